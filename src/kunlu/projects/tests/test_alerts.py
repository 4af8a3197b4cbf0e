"""Alerts from the default rule sets, on the worked example of domain.md §4.7: project P (20亿元 total,
2025 plan 5亿元, planned start March)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from kunlu.core.formatting import percent, schedule_gap
from kunlu.core.services import period_for
from kunlu.core.testing import World
from kunlu.projects import alerts, selectors, services
from kunlu.projects.choices import AlertKind, AlertLevel, Stage
from kunlu.projects.models import Alert, AlertRule, AlertRuleSet, Project


@pytest.fixture
def p(project: Project) -> Project:
    """Project P: registered and given land, start planned for March 2025, plan 5亿元."""
    services.stage_set(project=project, stage=Stage.REGISTERED, planned_on=date(2024, 6, 1), actor=None)
    services.stage_set(project=project, stage=Stage.LAND, planned_on=date(2024, 10, 1), actor=None)
    services.stage_set(project=project, stage=Stage.STARTED, planned_on=date(2025, 3, 1), actor=None)
    services.stage_set(project=project, stage=Stage.REGISTERED, actual_on=date(2024, 6, 5), actor=None)
    services.stage_set(project=project, stage=Stage.LAND, actual_on=date(2024, 10, 8), actor=None)
    services.plan_set(project=project, year=2025, amount=Decimal(50000), actor=None)
    return project


def _levels(world: World, code: str, month: int) -> dict[str, str]:
    run = services.alerts_compute(
        rule_set=AlertRuleSet.objects.get(code=code),
        territory=world.zone_a,
        period=period_for(2025, month),
        actor=world.analyst_a,
    )
    return {a.rule.kind: a.level for a in run.alerts.select_related("rule")}


def _start(p: Project, on: date) -> None:
    services.stage_set(project=p, stage=Stage.STARTED, actual_on=on, actor=None)


def test_worked_example_on_schedule_is_green_under_both_rule_sets(world: World, p: Project) -> None:
    _start(p, date(2025, 3, 10))
    for month in range(3, 10):
        services.actual_record(
            project=p,
            period=period_for(2025, month),
            currency="CNY",
            cumulative=Decimal(36000) * (month - 2) / 7,
            actor=None,
        )
    (row,) = selectors.project_progress([p], 2025, 9)
    assert percent(row.completion) == "72.0%"
    assert schedule_gap(row.gap) == "落后序时进度3.0个百分点"
    assert _levels(world, "yinchuan", 9) == {}
    assert _levels(world, "wuhan", 9) == {}


def test_a_start_three_months_late_turns_red(world: World, p: Project) -> None:
    late = AlertKind.STAGE_LATE
    assert late not in _levels(world, "yinchuan", 2)
    assert _levels(world, "yinchuan", 3)[late] == AlertLevel.YELLOW
    assert _levels(world, "yinchuan", 4)[late] == AlertLevel.YELLOW
    assert _levels(world, "yinchuan", 5)[late] == AlertLevel.RED
    _start(p, date(2025, 6, 2))
    assert AlertKind.STAGE_LATE not in _levels(world, "yinchuan", 6)


def test_no_report_two_months_after_start_is_yellow_then_red(world: World, p: Project) -> None:
    _start(p, date(2025, 6, 2))
    for month, level in [(7, AlertLevel.YELLOW), (8, AlertLevel.YELLOW), (9, AlertLevel.RED)]:
        assert _levels(world, "yinchuan", month)[AlertKind.MISSING_REPORT] == level


def test_progress_far_behind_time_is_red_under_both(world: World, p: Project) -> None:
    _start(p, date(2025, 3, 10))
    services.actual_record(
        project=p, period=period_for(2025, 9), currency="CNY", cumulative=Decimal(20000), actor=None
    )
    # 40.0% against 75.0%: 35 百分点 behind (Yinchuan: red above 30); 53% of the time progress (Wuhan:
    # red below 60%).
    assert _levels(world, "yinchuan", 9) == {AlertKind.INVESTMENT_GAP: AlertLevel.RED}
    assert _levels(world, "wuhan", 9) == {AlertKind.INVESTMENT_RATIO: AlertLevel.RED}
    alert = Alert.objects.filter(rule__kind=AlertKind.INVESTMENT_GAP).latest("id")
    assert "落后序时进度35.0个百分点" in alert.reason


def test_acknowledgement_needs_a_comment_and_survives_a_recompute(world: World, p: Project) -> None:
    _levels(world, "yinchuan", 5)
    alert = Alert.objects.get(rule__kind=AlertKind.STAGE_LATE)
    with pytest.raises(ValidationError):
        services.alert_acknowledge(alert=alert, comment=" ", actor=world.analyst_a)
    services.alert_acknowledge(alert=alert, comment="已约谈项目单位，6月初开工", actor=world.analyst_a)
    _levels(world, "yinchuan", 5)
    stage_alerts = Alert.objects.filter(rule__kind=AlertKind.STAGE_LATE)
    assert stage_alerts.count() == 2  # the first run is kept
    latest = stage_alerts.latest("id")
    assert (latest.comment, latest.acknowledged_by) == ("已约谈项目单位，6月初开工", world.analyst_a)


def test_thresholds_must_follow_the_direction_of_the_measure(defaults: None) -> None:
    wuhan = AlertRule.objects.get(rule_set__code="wuhan")
    wuhan.red_at = Decimal(90)
    with pytest.raises(ValidationError) as exc:
        alerts.rule_check(wuhan)
    assert exc.value.error_dict["red_at"][0].code == "threshold_order"
    stage_rule = AlertRule(rule_set=wuhan.rule_set, kind=AlertKind.STAGE_LATE, yellow_at=1, red_at=3)
    with pytest.raises(ValidationError) as exc:
        alerts.rule_check(stage_rule)
    assert exc.value.error_dict["stage"][0].code == "stage_required"
