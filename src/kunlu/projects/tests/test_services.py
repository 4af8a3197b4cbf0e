"""Rules of S2: leads move through follow-ups, signing and termination; projects keep their phases, stage
order and a reasoned log of changes; plans and monthly actuals refuse what would corrupt the totals."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from kunlu.accounts.models import Organisation, OrganisationKind
from kunlu.core.services import period_for
from kunlu.core.testing import World
from kunlu.projects import services
from kunlu.projects.choices import LeadStage, Stage
from kunlu.projects.models import InvestmentActual, Lead, Project, ProjectChange, SigningEvent


def _code(exc: pytest.ExceptionInfo[ValidationError]) -> str:
    return next(str(e.code) for errors in exc.value.error_dict.values() for e in errors)


def _lead(world: World, **fields: object) -> Lead:
    return services.lead_create(
        data={
            "territory": world.zone_a,
            "name": "测试线索",
            "investor": "测试投资方",
            "source": "expo",
            "estimated_investment": Decimal(50000),
            "currency": "CNY",
            **fields,
        },
        actor=world.analyst_a,
    )


# -- leads -----------------------------------------------------------------------------------------------


def test_follow_up_moves_the_stage_and_sets_the_next_step(world: World) -> None:
    lead = _lead(world)
    services.lead_follow_up(
        lead=lead,
        happened_on=date(2025, 3, 1),
        content="实地考察园区",
        stage=LeadStage.VISIT,
        next_action="准备投资协议",
        next_action_on=date(2025, 3, 20),
        actor=world.analyst_a,
    )
    lead.refresh_from_db()
    assert (lead.stage, lead.next_action_on, lead.stage_changed_on) == (
        LeadStage.VISIT,
        date(2025, 3, 20),
        date(2025, 3, 1),
    )
    assert lead.follow_ups.count() == 1


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"stage": LeadStage.SIGNED}, "stage_invalid"),
        ({"content": " "}, "content_required"),
        ({"next_action_on": date(2025, 2, 1)}, "next_before_now"),
        ({"happened_on": date(2999, 1, 1)}, "date_future"),
    ],
)
def test_follow_up_refusals(world: World, fields: dict[str, object], code: str) -> None:
    lead = _lead(world)
    args: dict[str, object] = {"happened_on": date(2025, 3, 1), "content": "电话沟通", **fields}
    with pytest.raises(ValidationError) as exc:
        services.lead_follow_up(lead=lead, actor=world.analyst_a, **args)  # type: ignore[arg-type]
    assert _code(exc) == code


def test_termination_needs_a_reason_and_closes_the_lead(world: World) -> None:
    lead = _lead(world)
    with pytest.raises(ValidationError) as exc:
        services.lead_terminate(lead=lead, reason="", actor=world.analyst_a)
    assert _code(exc) == "reason_required"
    services.lead_terminate(lead=lead, reason="投资方另选址", actor=world.analyst_a)
    with pytest.raises(ValidationError) as exc:
        services.lead_follow_up(lead=lead, happened_on=date(2025, 3, 1), content="再联系", actor=None)
    assert _code(exc) == "lead_closed"


def test_signing_a_lead_makes_a_project_with_six_stages(world: World, defaults: None) -> None:
    lead = _lead(world, is_foreign=True, origin="日本", chain="半导体")
    event = SigningEvent.objects.create(territory=world.zone_a, name="集中签约", held_on=date(2025, 2, 18))
    project = services.project_sign(
        signing_event=event, lead=lead, data={"total_investment": Decimal(120000)}, actor=world.analyst_a
    )
    lead.refresh_from_db()
    assert lead.stage == LeadStage.SIGNED
    assert (project.signed_on, project.origin, project.is_foreign, project.chain, project.name) == (
        date(2025, 2, 18),
        "日本",
        True,
        "半导体",
        "测试线索",
    )
    assert project.code == f"{world.zone_a.code}-2025-001"
    assert project.stages.count() == len(Stage)
    with pytest.raises(ValidationError) as exc:
        services.project_sign(
            signing_event=event, lead=lead, data={"total_investment": Decimal(1)}, actor=world.analyst_a
        )
    assert _code(exc) == "lead_closed"


# -- projects and phases ---------------------------------------------------------------------------------


def test_later_phases_number_themselves_and_share_the_timeline(world: World, project: Project) -> None:
    second = services.project_create(
        data={
            "name": "二期",
            "territory": world.zone_a,
            "first_phase": project,
            "total_investment": Decimal(1),
            "signed_on": date(2025, 1, 2),
        },
        actor=None,
    )
    third = services.project_create(
        data={
            "name": "增资",
            "territory": world.zone_a,
            "first_phase": project,
            "total_investment": Decimal(1),
            "currency": "USD",
            "signed_on": date(2025, 6, 2),
        },
        actor=None,
    )
    assert (second.phase_no, third.phase_no) == (2, 3)
    assert second.enterprise == project.enterprise
    assert third.timeline_root == project
    with pytest.raises(ValidationError) as exc:
        services.project_create(
            data={"name": "错", "territory": world.zone_a, "first_phase": second, "total_investment": 1},
            actor=None,
        )
    assert _code(exc) == "phase_not_first"
    with pytest.raises(ValidationError) as exc:
        services.project_create(
            data={
                "name": "错",
                "territory": world.zone_a,
                "first_phase": project,
                "enterprise": world.enterprise_b,
                "total_investment": 1,
            },
            actor=None,
        )
    assert _code(exc) == "phase_enterprise"


def test_a_project_belongs_to_an_enterprise(world: World, defaults: None) -> None:
    bureau = Organisation.objects.exclude(kind=OrganisationKind.ENTERPRISE).first()
    with pytest.raises(ValidationError) as exc:
        services.project_create(
            data={"name": "错", "territory": world.zone_a, "enterprise": bureau, "total_investment": 1},
            actor=None,
        )
    assert _code(exc) == "not_enterprise"


def test_changing_the_investment_needs_a_reason_and_is_logged(world: World, project: Project) -> None:
    with pytest.raises(ValidationError) as exc:
        services.project_update(
            obj=project, data={"total_investment": Decimal(250000)}, actor=world.analyst_a
        )
    assert _code(exc) == "reason_required"
    services.project_update(
        obj=project,
        data={"total_investment": Decimal(250000), "change_reason": "追加二号厂房"},
        actor=world.analyst_a,
    )
    change = ProjectChange.objects.get(project=project)
    assert (change.old_value, change.new_value, change.reason, change.changed_by) == (
        "200000",
        "250000",
        "追加二号厂房",
        world.analyst_a,
    )
    project.refresh_from_db()
    assert project.total_investment == Decimal(250000)


# -- stages ----------------------------------------------------------------------------------------------


def _plan_stages(project: Project) -> None:
    for stage, planned in [
        (Stage.REGISTERED, date(2024, 6, 1)),
        (Stage.LAND, date(2024, 9, 1)),
        (Stage.STARTED, date(2025, 3, 1)),
    ]:
        services.stage_set(project=project, stage=stage, planned_on=planned, actor=None)


def test_stages_keep_their_order(project: Project) -> None:
    _plan_stages(project)
    with pytest.raises(ValidationError) as exc:
        services.stage_set(project=project, stage=Stage.STARTED, actual_on=date(2025, 3, 5), actor=None)
    assert _code(exc) == "stage_skipped"
    services.stage_set(project=project, stage=Stage.REGISTERED, actual_on=date(2024, 6, 10), actor=None)
    with pytest.raises(ValidationError) as exc:
        services.stage_set(project=project, stage=Stage.LAND, actual_on=date(2024, 5, 1), actor=None)
    assert _code(exc) == "before_previous"
    with pytest.raises(ValidationError) as exc:
        services.stage_set(project=project, stage=Stage.LAND, planned_on=date(2024, 1, 1), actor=None)
    assert _code(exc) == "planned_order"
    with pytest.raises(ValidationError) as exc:
        services.stage_set(project=project, stage=Stage.LAND, actual_on=date(2999, 1, 1), actor=None)
    assert _code(exc) == "date_future"


def test_moving_a_date_already_set_needs_a_reason(project: Project) -> None:
    _plan_stages(project)
    with pytest.raises(ValidationError) as exc:
        services.stage_set(project=project, stage=Stage.STARTED, planned_on=date(2025, 6, 1), actor=None)
    assert _code(exc) == "reason_required"
    services.stage_set(
        project=project, stage=Stage.STARTED, planned_on=date(2025, 6, 1), reason="规划许可延后", actor=None
    )
    change = ProjectChange.objects.get(project=project)
    assert (change.field, change.old_value, change.new_value) == ("开工计划日期", "2025-03-01", "2025-06-01")


# -- plans and actuals -----------------------------------------------------------------------------------


def test_plan_by_month_must_accumulate(project: Project) -> None:
    with pytest.raises(ValidationError) as exc:
        services.plan_set(
            project=project,
            year=2025,
            amount=Decimal(100),
            months={3: Decimal(50), 6: Decimal(40)},
            actor=None,
        )
    assert _code(exc) == "months_decreasing"
    with pytest.raises(ValidationError) as exc:
        services.plan_set(
            project=project, year=2025, amount=Decimal(100), months={12: Decimal(90)}, actor=None
        )
    assert _code(exc) == "months_total"
    services.plan_set(project=project, year=2025, amount=Decimal(100), actor=None)
    with pytest.raises(ValidationError) as exc:
        services.plan_set(project=project, year=2025, amount=Decimal(120), actor=None)
    assert _code(exc) == "reason_required"


def _actual(
    project: Project, month: int, cumulative: Decimal | None = None, monthly: Decimal | None = None
) -> tuple[InvestmentActual, bool]:
    return services.actual_record(
        project=project,
        period=period_for(2025, month),
        currency="CNY",
        cumulative=cumulative,
        monthly=monthly,
        actor=None,
    )


def test_monthly_actuals_accumulate_and_revisions_are_versions(project: Project) -> None:
    _actual(project, 1, cumulative=Decimal(1000))
    march, _written = _actual(project, 3, monthly=Decimal(500))
    assert march.cumulative == Decimal(1500)
    revised, written = _actual(project, 3, cumulative=Decimal(1600))
    assert written and revised.version == 2
    same, written = _actual(project, 3, cumulative=Decimal(1600))
    assert not written and same.pk == revised.pk
    versions = list(revised.versions().values_list("version", "cumulative", "superseded_at"))
    assert [(v, c) for v, c, _s in versions] == [(2, Decimal(1600)), (1, Decimal(1500))]
    assert versions[0][2] is None and versions[1][2] is not None


@pytest.mark.parametrize(
    ("month", "amount", "code"),
    [
        (4, {"cumulative": Decimal(900)}, "cumulative_decrease"),
        (2, {"cumulative": Decimal(1200)}, "cumulative_exceeds_later"),
        (4, {"monthly": Decimal(-5)}, "amount_negative"),
        (4, {}, "amount_required"),
    ],
)
def test_actuals_that_would_corrupt_the_totals_are_refused(
    project: Project, month: int, amount: dict[str, Decimal], code: str
) -> None:
    _actual(project, 1, cumulative=Decimal(500))
    _actual(project, 3, cumulative=Decimal(1000))
    with pytest.raises(ValidationError) as exc:
        _actual(project, month, **amount)
    assert _code(exc) == code
    assert InvestmentActual.objects.count() == 2


def test_dollars_are_not_entered_into_a_yuan_project(project: Project) -> None:
    with pytest.raises(ValidationError) as exc:
        services.actual_record(
            project=project, period=period_for(2025, 1), currency="USD", cumulative=Decimal(1), actor=None
        )
    assert _code(exc) == "currency_mismatch"
    assert "美元" in exc.value.messages[0]


def test_a_lead_signs_only_at_an_event_of_its_place(world: World, defaults: None) -> None:
    lead = _lead(world)
    elsewhere = SigningEvent.objects.create(territory=world.zone_b, name="乙区签约", held_on=date(2025, 2, 1))
    with pytest.raises(ValidationError) as exc:
        services.project_sign(
            signing_event=elsewhere, lead=lead, data={"total_investment": Decimal(1)}, actor=None
        )
    assert _code(exc) == "event_territory"
    city = SigningEvent.objects.create(territory=world.city, name="全市集中签约", held_on=date(2025, 3, 1))
    project = services.project_sign(
        signing_event=city, lead=lead, data={"total_investment": Decimal(1)}, actor=None
    )
    assert project.territory == world.zone_a  # a city-wide ceremony signs the zone's project


def test_an_open_lead_becomes_a_project_only_by_signing(world: World, defaults: None) -> None:
    lead = _lead(world)
    with pytest.raises(ValidationError) as exc:
        services.project_create(
            data={"name": "绕过签约", "territory": world.zone_a, "lead": lead, "total_investment": 1},
            actor=None,
        )
    assert _code(exc) == "lead_not_signed"


def test_the_currency_is_fixed_once_money_is_recorded(project: Project) -> None:
    services.plan_set(project=project, year=2025, amount=Decimal(100), actor=None)
    with pytest.raises(ValidationError) as exc:
        services.project_update(
            obj=project, data={"currency": "USD", "change_reason": "改为外资"}, actor=None
        )
    assert _code(exc) == "currency_locked"
