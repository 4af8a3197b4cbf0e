"""The measures of alert rules kept as data: for a month, each project is measured against each rule (stage
lateness, investment gap or ratio to 序时进度, missing monthly reports), reaching yellow or red with a reason.
Computing a month's run and acknowledging alerts are services (`kunlu.projects.services`)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kunlu.core.formatting import percent, round_half_up, schedule_gap
from kunlu.core.models import Period
from kunlu.projects.choices import LOWER_IS_WORSE, AlertKind, AlertLevel, LatenessUnit
from kunlu.projects.models import (
    AlertRule,
    AlertRuleSet,
    InvestmentActual,
    Project,
    ProjectStage,
)
from kunlu.projects.selectors import Progress, project_progress


@dataclass(frozen=True)
class Finding:
    """What one rule found on one project."""

    project: Project
    rule: AlertRule
    level: str
    measure: Decimal
    threshold: Decimal
    reason: str


def level_for(rule: AlertRule, measure: Decimal) -> tuple[str, Decimal] | None:
    """The level a measure reaches under a rule (red before yellow), with the threshold it crossed."""
    lower = rule.kind in LOWER_IS_WORSE
    for level, bound, strict in (
        (AlertLevel.RED, rule.red_at, rule.red_strict),
        (AlertLevel.YELLOW, rule.yellow_at, rule.yellow_strict),
    ):
        if lower:
            hit = measure < bound if strict else measure <= bound
        else:
            hit = measure > bound if strict else measure >= bound
        if hit:
            return level, bound
    return None


def months_between(start: date, end: date) -> int:
    """Month-ends passed from the month of `start` to the month of `end`, both counted (March→May = 3)."""
    return (end.year - start.year) * 12 + end.month - start.month + 1


def rule_check(rule: AlertRule) -> None:
    """Refuse a rule whose thresholds contradict its direction or whose stage rule lacks a stage."""
    lower = rule.kind in LOWER_IS_WORSE
    if (lower and rule.red_at > rule.yellow_at) or (not lower and rule.red_at < rule.yellow_at):
        message = (
            _("该类预警数值越小越严重，红色阈值不能高于黄色阈值") if lower else _("红色阈值不能低于黄色阈值")
        )
        raise ValidationError({"red_at": ValidationError(message, code="threshold_order")})
    if rule.kind == AlertKind.STAGE_LATE and (not rule.stage or not rule.unit):
        raise ValidationError(
            {"stage": ValidationError(_("节点滞后规则须选择节点和计量单位"), code="stage_required")}
        )


def _stage_findings(
    rule: AlertRule, stages: dict[tuple[int, str], ProjectStage], project: Project, period: Period
) -> Iterator[Finding]:
    row = stages.get((project.pk, rule.stage))
    end = period.last_day
    if row is None or row.planned_on is None or row.planned_on > end:
        return
    if row.actual_on is not None and row.actual_on <= end:
        return
    if rule.unit == LatenessUnit.MONTHS:
        late = Decimal(months_between(row.planned_on, end))
        unit = _("个月")
    else:
        late = Decimal((end - row.planned_on).days)
        unit = _("天")
    hit = level_for(rule, late)
    if hit:
        reason = _("%(stage)s计划于%(planned)s，截至%(month)s末未完成，滞后%(late)s%(unit)s") % {
            "stage": row.get_stage_display(),
            "planned": f"{row.planned_on:%Y-%m-%d}",
            "month": f"{period.year}年{period.month}月",
            "late": late,
            "unit": unit,
        }
        yield Finding(project, rule, hit[0], late, hit[1], reason)


def _investment_findings(rule: AlertRule, row: Progress) -> Iterator[Finding]:
    if not row.plan or row.completion is None or row.time_progress is None:
        return
    if rule.kind == AlertKind.INVESTMENT_GAP:
        # Compared as shown: to one decimal of a 百分点 (9.96 reads 10.0 and is yellow at 10).
        behind = round_half_up((row.time_progress - row.completion) * 100, 1)
        hit = level_for(rule, behind)
        if hit:
            reason = _("1–%(month)s月完成投资占年度计划%(completion)s，%(gap)s（序时进度%(progress)s）") % {
                "month": row.month,
                "completion": percent(row.completion),
                "gap": schedule_gap(row.completion - row.time_progress),
                "progress": percent(row.time_progress),
            }
            yield Finding(row.project, rule, hit[0], behind, hit[1], reason)
    elif rule.kind == AlertKind.INVESTMENT_RATIO and row.time_progress:
        ratio = round_half_up(row.completion / row.time_progress * 100, 1)
        hit = level_for(rule, ratio)
        if hit:
            reason = _("投资完成率%(completion)s，为序时进度（%(progress)s）的%(ratio)s") % {
                "completion": percent(row.completion),
                "progress": percent(row.time_progress),
                "ratio": percent(ratio / 100),
            }
            yield Finding(row.project, rule, hit[0], ratio, hit[1], reason)


def _missing_findings(
    rule: AlertRule, row: Progress, reported: set[tuple[int, int]], period: Period
) -> Iterator[Finding]:
    """Months passed without a report: since the last month reported this year, else since the start
    (a project started in an earlier year counts from December)."""
    if not row.plan or row.started_on is None:
        return
    months = [m for (pk, m) in reported if pk == row.project.pk and m <= period.month]
    start = row.started_on.month if row.started_on.year == period.year else 0
    anchor = max(months, default=start)
    silent = period.month - anchor
    hit = level_for(rule, Decimal(silent))
    if hit:
        reason = _("截至%(month)s月已%(n)s个月未报送月度完成投资") % {"month": period.month, "n": silent}
        yield Finding(row.project, rule, hit[0], Decimal(silent), hit[1], reason)


def findings_for(rule_set: AlertRuleSet, projects: list[Project], period: Period) -> list[Finding]:
    """Every alert the rule set raises on the projects for the month, worst first per project."""
    rules = list(rule_set.rules.filter(is_active=True).order_by("sort_order", "id"))
    ids = [p.pk for p in projects]
    stages = {(s.project_id, s.stage): s for s in ProjectStage.objects.filter(project_id__in=ids)}
    progress = project_progress(projects, period.year, period.month)
    reported = set(
        InvestmentActual.objects.filter(
            project_id__in=ids,
            period__year=period.year,
            period__month__lte=period.month,
            superseded_at__isnull=True,
        ).values_list("project_id", "period__month")
    )
    found: list[Finding] = []
    for row in progress:
        for rule in rules:
            if rule.kind == AlertKind.STAGE_LATE:
                found += _stage_findings(rule, stages, row.project, period)
            elif rule.kind == AlertKind.MISSING_REPORT:
                found += _missing_findings(rule, row, reported, period)
            else:
                found += _investment_findings(rule, row)
    return found
