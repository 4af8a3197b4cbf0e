"""Runs: the worked example through stored figures, stored results equal to the engine's, atomic failure,
recomputation keeping earlier computations, and the refusals of runs."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from kunlu.core.models import AuditEvent, JobStatus
from kunlu.core.testing import World
from kunlu.engine.evaluation import evaluate
from kunlu.evaluation import services
from kunlu.evaluation.choices import RunStatus
from kunlu.evaluation.models import EvaluationResult, EvaluationRun
from kunlu.evaluation.tests.conftest import cohort, figures, huaian, profile_of, worked_example


def test_worked_example_reproduces_through_a_run(world: World) -> None:
    run = worked_example(world)
    result = EvaluationResult.objects.get(run=run, enterprise=world.enterprise_a)
    assert result.total == 83
    assert [result.indicator_points, result.bonus_points, result.deduction_points] == [80, 3, 0]
    assert (result.rank, result.graded_count, result.band) == (1, 1, "A")
    benchmarks = [line["benchmark"] for line in result.trace["indicators"]]
    assert benchmarks == ["30", "600", "1"]
    assert [line["points"] for line in result.trace["indicators"]] == ["36", "28", "16"]
    assert result.trace["lines"][-2] == "总分：83分"
    assert run.evaluated_count == 1 and run.band_counts == {"A": 1} and run.computation == 1


def test_stored_results_equal_the_engines(world: World) -> None:
    firms = cohort(world, 12)
    version = huaian()
    run = services.run_create(ruleset_version=version, year=2024, territory=world.zone_a, actor=world.admin)
    rows = services.enterprise_rows(territory=world.zone_a, year=2024, moment=run.as_of)
    reference = services.enterprise_rows(territory=world.zone_a, year=2023, moment=run.as_of)
    engine = evaluate(services.engine_ruleset(version), rows, reference=reference)
    stored: dict[object, EvaluationResult] = {
        r.enterprise_id: r for r in EvaluationResult.objects.filter(run=run)
    }
    assert len(stored) == len(firms) == len(engine.results)
    for item in engine.results:
        mine = stored[item.enterprise_id]
        assert (mine.total, mine.rank, mine.band, mine.graded_count) == (
            item.total.quantize(Decimal("1e-10")),
            item.rank,
            item.band,
            item.graded_count,
        )
    assert run.band_counts == engine.band_counts()


def test_a_failing_run_leaves_nothing(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    cohort(world, 5)
    version = huaian()

    def broken(stored: object) -> dict[str, int]:
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "_band_counts", broken)
    with pytest.raises(RuntimeError):
        services.run_create(ruleset_version=version, year=2024, territory=world.zone_a, actor=world.admin)
    assert EvaluationRun.objects.count() == 0 and EvaluationResult.objects.count() == 0


def test_a_failing_recomputation_keeps_the_previous_results(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    cohort(world, 5)
    run = services.run_create(ruleset_version=huaian(), year=2024, territory=world.zone_a, actor=world.admin)
    before = sorted(EvaluationResult.objects.values_list("pk", "total", "band"))
    monkeypatch.setattr(services, "_band_counts", lambda stored: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        services.run_recompute(run=run, actor=world.admin)
    run.refresh_from_db()
    assert run.computation == 1
    assert sorted(EvaluationResult.objects.values_list("pk", "total", "band")) == before


def test_recomputation_keeps_earlier_computations_and_the_runs_moment(world: World) -> None:
    firms = cohort(world, 5)
    run = services.run_create(ruleset_version=huaian(), year=2024, territory=world.zone_a, actor=world.admin)
    as_of = run.as_of
    figures(firms[0], 2024, tax=500)  # recorded after the run's moment: not part of this evaluation
    run = services.run_recompute(run=run, actor=world.admin)
    assert run.computation == 2 and run.as_of == as_of
    assert EvaluationResult.objects.filter(run=run, computation=1).count() == 5
    assert EvaluationResult.objects.filter(run=run, computation=2).count() == 5
    first = EvaluationResult.objects.get(run=run, computation=1, enterprise=firms[0])
    second = EvaluationResult.objects.get(run=run, computation=2, enterprise=firms[0])
    assert first.rank == second.rank == 5 and first.total == second.total


def test_a_run_takes_the_data_as_of_its_chosen_moment(world: World) -> None:
    firms = cohort(world, 5)
    moment = timezone.now()
    figures(firms[0], 2024, tax=500)
    run = services.run_create(
        ruleset_version=huaian(), year=2024, territory=world.zone_a, as_of=moment, actor=world.admin
    )
    assert run.as_of == moment
    assert EvaluationResult.objects.get(run=run, enterprise=firms[0]).rank == 5


def test_a_run_as_of_the_future_is_refused(world: World) -> None:
    cohort(world, 5)
    with pytest.raises(ValidationError) as exc:
        services.run_create(
            ruleset_version=huaian(),
            year=2024,
            territory=world.zone_a,
            as_of=timezone.now() + timedelta(hours=1),
            actor=world.admin,
        )
    assert exc.value.error_dict["as_of"][0].code == "as_of_future"
    assert not EvaluationRun.objects.exists()


def run_worker() -> None:
    """Process the queued tasks in this process, as `kunlu worker` does."""
    call_command("db_worker", batch=True, startup_delay=False, reload=False, queue_name="*", verbosity=0)


# The worker commits and closes connections as the real one does: these tests run outside a test transaction.
@pytest.mark.django_db(transaction=True)
def test_a_failing_background_computation_leaves_no_empty_run(
    world: World, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    cohort(world, 5)
    settings.KUNLU_JOB_THRESHOLD_ROWS = 2
    monkeypatch.setattr(services, "_band_counts", lambda stored: 1 / 0)
    run, job = services.run_start(
        ruleset_version=huaian(), year=2024, territory=world.zone_a, actor=world.admin
    )
    assert job is not None
    run_worker()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "division" in job.result["error"]
    assert not EvaluationRun.objects.filter(pk=run.pk).exists()
    assert EvaluationResult.objects.count() == 0
    assert AuditEvent.objects.filter(event="evaluation.run.discard", object_id=str(run.pk)).exists()


@pytest.mark.django_db(transaction=True)
def test_a_background_computation_keeps_its_run(world: World, settings: Any) -> None:
    cohort(world, 5)
    settings.KUNLU_JOB_THRESHOLD_ROWS = 2
    run, job = services.run_start(
        ruleset_version=huaian(), year=2024, territory=world.zone_a, actor=world.admin
    )
    assert job is not None
    run_worker()
    job.refresh_from_db()
    run.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and run.computation == 1 and run.evaluated_count == 5
    assert services.run_discard(run=run, actor=None) is False


def test_a_run_with_no_enterprise_in_scope_is_refused(world: World) -> None:
    cohort(world, 3)
    with pytest.raises(ValidationError) as exc:
        services.run_create(ruleset_version=huaian(), year=2024, territory=world.zone_b, actor=world.admin)
    assert exc.value.error_dict["territory"][0].code == "no_enterprises"
    assert EvaluationRun.objects.count() == 0


def test_a_run_whose_enterprises_are_all_out_of_scope_is_refused(world: World) -> None:
    version = huaian()
    utility = profile_of(world.enterprise_b, industry="44")  # water, power and gas suppliers are class T
    figures(utility, 2023, tax=1, sales=1, land_mu=5, energy_tce=1)
    figures(utility, 2024, tax=1, sales=1, land_mu=5, energy_tce=1)
    with pytest.raises(ValidationError) as exc:
        services.run_create(ruleset_version=version, year=2024, territory=world.zone_b, actor=world.admin)
    assert exc.value.error_dict["territory"][0].code == "no_enterprises"


def test_prior_year_benchmarks_need_last_years_figures(world: World) -> None:
    firm = profile_of(world.enterprise_a)
    figures(firm, 2024, tax=1, sales=1, land_mu=5, energy_tce=1)
    with pytest.raises(ValidationError) as exc:
        services.run_create(ruleset_version=huaian(), year=2024, territory=world.zone_a, actor=world.admin)
    assert exc.value.error_dict["year"][0].code == "no_reference"


def test_land_comes_from_the_registry_when_no_figure_gives_it(world: World) -> None:
    firm = profile_of(world.enterprise_a, land="20")
    figures(firm, 2024, tax=100)
    rows = services.enterprise_rows(territory=world.zone_a, year=2024, moment=timezone.now())
    assert rows[0].inputs["land_mu"] == Decimal("20")
    figures(firm, 2024, land_mu=25)
    rows = services.enterprise_rows(territory=world.zone_a, year=2024, moment=timezone.now())
    assert rows[0].inputs["land_mu"] == Decimal("25")
    assert rows[0].above_scale and rows[0].industry == "34" and rows[0].region == "测试市"


def test_status_is_draft_until_published(world: World) -> None:
    run = worked_example(world)
    assert run.status == RunStatus.DRAFT
