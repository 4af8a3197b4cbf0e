"""The evaluation demo: a final 2024 run with an accepted objection; loading twice changes nothing."""

from __future__ import annotations

import pytest

from kunlu.accounts import demo as accounts_demo
from kunlu.accounts.models import User
from kunlu.core import demo as core_demo
from kunlu.core.models import AuditEvent
from kunlu.core.testing import client_for
from kunlu.enterprises import demo as enterprises_demo
from kunlu.evaluation import demo
from kunlu.evaluation.choices import ObjectionStatus, RunStatus
from kunlu.evaluation.models import (
    BandPolicy,
    EnterpriseFigure,
    EvaluationResult,
    EvaluationRun,
    Objection,
    RuleSetVersion,
)


def load_all() -> None:
    core_demo.load()
    accounts_demo.load()
    enterprises_demo.load()
    assert demo.load() == []


def snapshot() -> tuple[object, ...]:
    return (
        sorted(EnterpriseFigure.objects.values_list("pk", "version", "superseded_at")),
        sorted(EvaluationRun.objects.values_list("pk", "updated_at")),
        EvaluationResult.objects.count(),
        Objection.objects.count(),
        RuleSetVersion.objects.count(),
        BandPolicy.objects.count(),
        AuditEvent.objects.count(),
    )


@pytest.mark.django_db
def test_demo_loads_twice_without_change() -> None:
    load_all()
    first = snapshot()
    load_all()
    assert snapshot() == first


@pytest.mark.django_db
def test_the_demo_run_is_final_with_an_accepted_objection() -> None:
    load_all()
    run = EvaluationRun.objects.get(title=demo.TITLE)
    assert run.status == RunStatus.FINAL and run.computation == 2
    assert run.evaluated_count >= 40
    assert set(run.band_counts) >= {"A", "B", "C", "D", "T"}
    objection = Objection.objects.get(run=run)
    assert objection.status == ObjectionStatus.ACCEPTED and objection.adjustments["tax"]["new"]
    # ent_gx's user sees its own result and trace, and only that one
    user = User.objects.get(username="ent_gx")
    mine = EvaluationResult.objects.restrict(user, "view").filter(computation=run.computation)
    assert [r.enterprise_id for r in mine] == [user.organisation_id]
    page = client_for(user).get(f"/evaluation/results/{mine[0].pk}/")
    assert page.status_code == 200 and "总分" in page.content.decode()
