"""Publicity and objections: the steps of a run, each refusal with its code, evidence files, and the
percentile re-rank of everyone after an accepted objection."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from kunlu.accounts.models import Organisation
from kunlu.core.models import AuditEvent, Job
from kunlu.core.testing import World
from kunlu.evaluation import services
from kunlu.evaluation.choices import ObjectionStatus, RunStatus
from kunlu.evaluation.models import EnterpriseFigure, EvaluationResult, EvaluationRun, Objection
from kunlu.evaluation.tests.conftest import city_run, cohort, figures, huaian

PDF = b"%PDF-1.4 test evidence"


def code_of(exc: pytest.ExceptionInfo[ValidationError]) -> str:
    return next(str(error.code) for errors in exc.value.error_dict.values() for error in errors)


def result_of(run: EvaluationRun, org: Organisation) -> EvaluationResult:
    return EvaluationResult.objects.get(run=run, computation=run.computation, enterprise=org)


def published_cohort(world: World) -> EvaluationRun:
    cohort(world, 10)
    run = services.run_create(ruleset_version=huaian(), year=2024, territory=world.zone_a, actor=world.admin)
    return services.run_publish(run=run, actor=world.admin)


def test_an_accepted_objection_adjusts_the_figure_and_re_ranks_everyone(world: World) -> None:
    run = published_cohort(world)
    before = {
        r.enterprise_id: (r.rank, r.band) for r in EvaluationResult.objects.filter(run=run, computation=1)
    }
    assert before[world.enterprise_a.pk] == (10, "C")  # ceil(0.95 × 10) = 10: no D among ten
    objection = services.objection_file(
        result=result_of(run, world.enterprise_a), text="税收漏计", actor=world.enterprise_user_a
    )
    services.objection_accept(
        objection=objection, adjustments={"tax": Decimal(1000)}, decision="核实采纳", actor=world.admin
    )
    run.refresh_from_db()
    assert run.computation == 2
    after = {
        r.enterprise_id: (r.rank, r.band) for r in EvaluationResult.objects.filter(run=run, computation=2)
    }
    assert after[world.enterprise_a.pk] == (1, "A")
    # everyone below moved down a rank, and the bands moved with the ranks (percentile banding)
    moved = [pk for pk in before if pk != world.enterprise_a.pk and after[pk][0] == (before[pk][0] or 0) + 1]
    assert len(moved) == 9
    assert sum(1 for pk in before if before[pk][1] != after[pk][1]) >= 3
    figure = EnterpriseFigure.objects.get(
        enterprise=world.enterprise_a, year=2024, input="tax", superseded_at=None
    )
    assert figure.version == 2 and figure.value == 1000 and figure.source == "异议调整"
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.ACCEPTED
    assert objection.adjustments["tax"] == {"old": "1", "new": "1000"}
    # the first computation is kept as it was
    assert EvaluationResult.objects.filter(run=run, computation=1).count() == 10
    events = set(AuditEvent.objects.values_list("event", flat=True))
    assert {"evaluation.run.publish", "evaluation.objection.file", "evaluation.objection.accept"} <= events


def test_an_accepted_objection_counts_only_its_adjustment_over_the_runs_moment(world: World) -> None:
    run = city_run(world, extra=3)
    as_of = run.as_of
    first = {r.enterprise_id: r.total for r in EvaluationResult.objects.filter(run=run, computation=1)}
    # enterprise B's figure is revised after publication: not part of this evaluation
    figures(world.enterprise_b, 2024, tax=5000)
    objection = services.objection_file(
        result=result_of(run, world.enterprise_a), text="税收有误", actor=world.enterprise_user_a
    )
    services.objection_accept(
        objection=objection, adjustments={"tax": Decimal(900)}, decision="核实采纳", actor=world.admin
    )
    run.refresh_from_db()
    second = {r.enterprise_id: r.total for r in EvaluationResult.objects.filter(run=run, computation=2)}
    assert run.as_of == as_of
    assert second[world.enterprise_b.pk] == first[world.enterprise_b.pk]
    assert second[world.enterprise_a.pk] != first[world.enterprise_a.pk]
    trace = EvaluationResult.objects.get(run=run, computation=2, enterprise=world.enterprise_a).trace
    assert trace["inputs"]["tax"] == "900"
    # a later recomputation (in review) still counts the accepted adjustment, and still not B's revision
    run = services.run_close_publicity(run=run, actor=world.admin)
    run = services.run_recompute(run=run, actor=world.admin)
    third = {r.enterprise_id: r.total for r in EvaluationResult.objects.filter(run=run, computation=3)}
    assert third == second


def test_only_one_pending_objection_per_result(world: World) -> None:
    run = city_run(world)
    result = result_of(run, world.enterprise_a)
    objection = services.objection_file(result=result, text="异议一", actor=world.enterprise_user_a)
    with pytest.raises(ValidationError) as exc:
        services.objection_file(result=result, text="异议二", actor=world.enterprise_user_a)
    assert code_of(exc) == "objection_pending"
    assert Objection.objects.count() == 1
    services.objection_reject(objection=objection, decision="不予采纳", actor=world.admin)
    again = services.objection_file(result=result, text="补充材料后再提", actor=world.enterprise_user_a)
    assert again.status == ObjectionStatus.PENDING and Objection.objects.count() == 2


def test_the_whole_workflow_to_final(world: World) -> None:
    run = published_cohort(world)
    objection = services.objection_file(result=result_of(run, world.enterprise_a), text="有异议", actor=None)
    run = services.run_close_publicity(run=run, actor=world.admin)
    with pytest.raises(ValidationError) as exc:
        services.run_finalize(run=run, actor=world.admin)
    assert code_of(exc) == "objections_pending"
    services.objection_reject(objection=objection, decision="数据来自税务部门，核实无误", actor=world.admin)
    run = services.run_finalize(run=run, actor=world.admin)
    assert run.status == RunStatus.FINAL and run.is_locked
    events = set(AuditEvent.objects.values_list("event", flat=True))
    assert {"evaluation.run.close", "evaluation.objection.reject", "evaluation.run.finalize"} <= events


def test_publishing_twice_is_refused(world: World) -> None:
    run = city_run(world)
    with pytest.raises(ValidationError) as exc:
        services.run_publish(run=run, actor=world.admin)
    assert code_of(exc) == "already_published"


def test_an_objection_outside_publicity_is_refused(world: World) -> None:
    run = city_run(world, published=False)
    with pytest.raises(ValidationError) as exc:
        services.objection_file(result=result_of(run, world.enterprise_a), text="异议", actor=None)
    assert code_of(exc) == "not_in_publicity"
    run = services.run_publish(run=run, actor=world.admin)
    run = services.run_close_publicity(run=run, actor=world.admin)
    with pytest.raises(ValidationError) as exc:
        services.objection_file(result=result_of(run, world.enterprise_a), text="异议", actor=None)
    assert code_of(exc) == "not_in_publicity"
    assert Objection.objects.count() == 0


def final_run(world: World) -> EvaluationRun:
    run = city_run(world)
    run = services.run_close_publicity(run=run, actor=world.admin)
    return services.run_finalize(run=run, actor=world.admin)


def test_an_objection_on_a_locked_run_is_refused(world: World) -> None:
    run = final_run(world)
    with pytest.raises(ValidationError) as exc:
        services.objection_file(result=result_of(run, world.enterprise_a), text="异议", actor=None)
    assert code_of(exc) == "locked"


def test_adjusting_a_locked_run_is_refused(world: World) -> None:
    run = city_run(world)
    objection = services.objection_file(result=result_of(run, world.enterprise_a), text="异议", actor=None)
    run = services.run_close_publicity(run=run, actor=world.admin)
    Objection.objects.filter(pk=objection.pk).update(status=ObjectionStatus.REJECTED)
    run = services.run_finalize(run=run, actor=world.admin)
    Objection.objects.filter(pk=objection.pk).update(status=ObjectionStatus.PENDING)
    with pytest.raises(ValidationError) as exc:
        services.objection_accept(objection=objection, adjustments={"tax": Decimal(1)}, actor=world.admin)
    assert code_of(exc) == "locked"
    with pytest.raises(ValidationError) as exc:
        services.run_recompute(run=run, actor=world.admin)
    assert code_of(exc) == "locked"
    assert EnterpriseFigure.objects.filter(input="tax", enterprise=world.enterprise_a).count() == 1


def test_decisions_need_a_reason_and_happen_once(world: World) -> None:
    run = city_run(world)
    objection = services.objection_file(result=result_of(run, world.enterprise_a), text="异议", actor=None)
    with pytest.raises(ValidationError) as exc:
        services.objection_reject(objection=objection, decision="  ", actor=world.admin)
    assert code_of(exc) == "reason_required"
    with pytest.raises(ValidationError) as exc:
        services.objection_accept(objection=objection, adjustments={}, actor=world.admin)
    assert code_of(exc) == "adjustments_required"
    services.objection_reject(objection=objection, decision="不予采纳", actor=world.admin)
    with pytest.raises(ValidationError) as exc:
        services.objection_reject(objection=objection, decision="再次", actor=world.admin)
    assert code_of(exc) == "decided"


def test_an_objection_needs_text(world: World) -> None:
    run = city_run(world)
    with pytest.raises(ValidationError) as exc:
        services.objection_file(result=result_of(run, world.enterprise_a), text=" ", actor=None)
    assert code_of(exc) == "text_required"


def test_evidence_is_stored_and_bounded(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    run = city_run(world)
    result = result_of(run, world.enterprise_a)
    objection = services.objection_file(
        result=result, text="附证明", files=[SimpleUploadedFile("完税证明.pdf", PDF)], actor=None
    )
    evidence = objection.evidence.get()
    assert evidence.file_name == "完税证明.pdf" and evidence.size == len(PDF)
    assert (services.evidence_folder() / f"{evidence.sha256}.pdf").read_bytes() == PDF
    cases = [
        ([SimpleUploadedFile("x.exe", b"MZ")], "evidence_type"),
        ([SimpleUploadedFile("fake.pdf", b"<html>")], "evidence_type"),
        ([SimpleUploadedFile(f"{n}.pdf", PDF) for n in range(6)], "evidence_count"),
    ]
    other = result_of(run, world.enterprise_b)  # A's objection is pending: one at a time per result
    for files, code in cases:
        with pytest.raises(ValidationError) as exc:
            services.objection_file(result=other, text="x", files=files, actor=None)
        assert code_of(exc) == code
    monkeypatch.setattr(services, "MAX_EVIDENCE_BYTES", 10)
    with pytest.raises(ValidationError) as exc:
        services.objection_file(
            result=other, text="x", files=[SimpleUploadedFile("big.pdf", PDF)], actor=None
        )
    assert code_of(exc) == "evidence_size"
    assert Objection.objects.count() == 1


def test_figures_refuse_bad_values(world: World) -> None:
    cases = [
        ("land_mu", Decimal(0), "land_area"),
        ("tax", Decimal(-1), "negative"),
        ("nonsense", Decimal(1), "unknown_input"),
    ]
    for code, value, error in cases:
        with pytest.raises(ValidationError) as exc:
            services.figure_record(
                enterprise=world.enterprise_a, year=2024, input=code, value=value, actor=None
            )
        assert code_of(exc) == error
    with pytest.raises(ValidationError) as exc:
        services.figure_record(
            enterprise=world.bureau_a, year=2024, input="tax", value=Decimal(1), actor=None
        )
    assert code_of(exc) == "not_enterprise"
    first, written = services.figure_record(
        enterprise=world.enterprise_a, year=2024, input="tax", value=Decimal(5), actor=None
    )
    again, written_again = services.figure_record(
        enterprise=world.enterprise_a, year=2024, input="tax", value=Decimal(5), actor=None
    )
    assert written and not written_again and first.pk == again.pk


def test_a_large_run_is_recomputed_in_the_background_after_an_objection(world: World, settings: Any) -> None:
    run = published_cohort(world)
    settings.KUNLU_JOB_THRESHOLD_ROWS = 5  # ten enterprises: a large run for this test
    objection = services.objection_file(
        result=result_of(run, world.enterprise_a), text="税收漏计", actor=world.enterprise_user_a
    )
    services.objection_accept(
        objection=objection, adjustments={"tax": Decimal(1000)}, decision="核实采纳", actor=world.admin
    )
    run.refresh_from_db()
    assert run.computation == 1  # not recomputed in the request
    job = Job.objects.get(kind="evaluation.run")
    assert job.params == {"run": run.pk}
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.ACCEPTED and objection.adjustments["computation"] is None
