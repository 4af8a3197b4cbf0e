"""Reads of enterprise direct reporting: months and deadlines in Chinese working days, what the review
rules say about a report, the enterprise's forms, the review queue, and missing and overdue reports."""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import reduce
from operator import or_
from typing import Any

import chinese_calendar
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kunlu.accounts.models import Organisation
from kunlu.core.formatting import growth, percent, plain, round_half_up
from kunlu.core.models import Period, Territory, TerritoryKind
from kunlu.core.permissions import scope_q
from kunlu.core.versions import as_of
from kunlu.indicators.choices import Basis
from kunlu.indicators.models import Indicator, UnitObservation
from kunlu.reporting.choices import EDITABLE, HANDED_IN, Operator, ReportStatus, RuleKind, Severity
from kunlu.reporting.models import (
    CategoryIndicator,
    CategoryMembership,
    MonthlyReport,
    ReportingCategory,
    ReportingDeadline,
    ReportLine,
    ReviewRule,
)

# -- months ------------------------------------------------------------------------------------------------

_MONTH_PATTERNS = (
    re.compile(r"^(\d{4})-(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月$"),
    re.compile(r"^(\d{4})(\d{2})$"),
    re.compile(r"^(\d{4})-(\d{1,2})-\d{1,2}$"),  # a date (an Excel date cell) stands for its month
)


@dataclass(frozen=True, order=True)
class Month:
    """A calendar month (报告期), without touching the database: Period rows are made only on writes."""

    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Month:
        """A month written as 2025-09, 2025-9, 2025年9月, 202509 or as a date in it (2025-09-01);
        ValidationError otherwise."""
        cleaned = (text or "").strip()
        for pattern in _MONTH_PATTERNS:
            if match := pattern.match(cleaned):
                year, month = int(match.group(1)), int(match.group(2))
                if 1900 <= year <= 2999 and 1 <= month <= 12:
                    return cls(year, month)
        raise ValidationError(
            _("“%(value)s”不是有效的月份，应写作“2025-09”") % {"value": cleaned}, code="month_invalid"
        )

    @classmethod
    def of(cls, period: Period) -> Month:
        return cls(period.year, period.month)

    @classmethod
    def containing(cls, day: date) -> Month:
        return cls(day.year, day.month)

    @classmethod
    def due_now(cls, today: date | None = None) -> Month:
        """The month whose reports are filed now: last month (the report for M is due in M+1)."""
        return cls.containing(today or timezone.localdate()).previous()

    @property
    def code(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        return _("%(year)s年%(month)s月") % {"year": self.year, "month": self.month}

    def __str__(self) -> str:
        return self.code

    def shift(self, months: int) -> Month:
        index = self.year * 12 + self.month - 1 + months
        return Month(index // 12, index % 12 + 1)

    def previous(self) -> Month:
        return self.shift(-1)

    def next(self) -> Month:
        return self.shift(1)

    def last_year(self) -> Month:
        return Month(self.year - 1, self.month)

    def q(self, prefix: str = "period") -> Q:
        """The filter `prefix` is this month."""
        return Q(**{f"{prefix}__year": self.year, f"{prefix}__month": self.month})


def months_q(months: Iterable[Month], prefix: str = "period") -> Q:
    """The filter `prefix` is any of the months (matches nothing when there are none)."""
    parts = [m.q(prefix) for m in months]
    return reduce(or_, parts) if parts else Q(pk__in=[])


def _not_after(prefix: str, month: Month) -> Q:
    return Q(**{f"{prefix}__year__lt": month.year}) | Q(
        **{f"{prefix}__year": month.year, f"{prefix}__month__lte": month.month}
    )


def _not_before(prefix: str, month: Month) -> Q:
    return Q(**{f"{prefix}__year__gt": month.year}) | Q(
        **{f"{prefix}__year": month.year, f"{prefix}__month__gte": month.month}
    )


def member_in(month: Month, prefix: str = "") -> Q:
    """The filter on CategoryMembership (or a path to it) for memberships in force in `month`."""
    p = f"{prefix}__" if prefix else ""
    return _not_after(f"{p}valid_from", month) & (
        Q(**{f"{p}valid_to__isnull": True}) | _not_before(f"{p}valid_to", month)
    )


def memberships_overlapping(
    *, enterprise: Organisation, category: ReportingCategory, start: Month, end: Month | None
) -> QuerySet[CategoryMembership]:
    """The enterprise's memberships of the category that share at least one month with start…end."""
    qs = CategoryMembership.objects.filter(enterprise=enterprise, category=category)
    qs = qs.filter(Q(valid_to__isnull=True) | _not_before("valid_to", start))
    return qs if end is None else qs.filter(_not_after("valid_from", end))


def is_member(*, enterprise: Organisation, category: ReportingCategory, month: Month) -> bool:
    """Whether the enterprise belongs to the category's reporting units in `month`."""
    return memberships_overlapping(enterprise=enterprise, category=category, start=month, end=month).exists()


# -- deadlines in Chinese working days -----------------------------------------------------------------------


def _is_workday(day: date) -> bool:
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError as exc:
        raise ValidationError(
            _(
                "节假日数据不包含%(year)s年（chinese-calendar 尚未收录该年的法定节假日与调休安排），"
                "无法按工作日计算截止日期：请升级 chinese-calendar，或在“报送截止日”中手工设定该月的截止日期"
            )
            % {"year": day.year},
            code="calendar_unknown_year",
        ) from exc


def nth_working_day(year: int, month: int, n: int) -> date:
    """The n-th working day of a month in China: weekends and statutory holidays off, 调休 Saturdays and
    Sundays on. Raises ValidationError (calendar_unknown_year) for a year the calendar does not know."""
    if n < 1:
        raise ValidationError(_("工作日序号须大于0"), code="workday_number")
    day, counted = date(year, month, 1), 0
    while day.month == month:
        if _is_workday(day):
            counted += 1
            if counted == n:
                return day
        day += timedelta(days=1)
    raise ValidationError(
        _("%(year)s年%(month)s月没有第%(n)s个工作日") % {"year": year, "month": month, "n": n},
        code="workday_number",
    )


def _rule_deadline(category: ReportingCategory, month: Month) -> date:
    due_month = month.next()
    return nth_working_day(due_month.year, due_month.month, category.deadline_workday)


def report_deadline(*, category: ReportingCategory, month: Month) -> date:
    """When the report for `month` is due: a deadline set by hand for that month (for the category,
    else for all categories), otherwise the category's N-th working day of the following month."""
    overrides = ReportingDeadline.objects.filter(month.q()).filter(Q(category=category) | Q(category=None))
    by_category = {d.category_id: d.due_on for d in overrides}
    if category.pk in by_category:
        return by_category[category.pk]
    if None in by_category:
        return by_category[None]
    return _rule_deadline(category, month)


@dataclass(frozen=True)
class Due:
    """A deadline, or why it cannot be told."""

    on: date | None
    error: str = ""


def deadlines(*, pairs: Iterable[tuple[ReportingCategory, Month]]) -> dict[tuple[int, Month], Due]:
    """Deadlines of many (category, month) pairs in one query, for lists."""
    wanted = list(pairs)
    months = {m for _c, m in wanted}
    overrides: dict[tuple[int | None, Month], date] = {
        (d.category_id, Month.of(d.period)): d.due_on
        for d in ReportingDeadline.objects.filter(months_q(months)).select_related("period")
    }
    result: dict[tuple[int, Month], Due] = {}
    for category, month in wanted:
        key = (category.pk, month)
        if key in result:
            continue
        manual = overrides.get(key) or overrides.get((None, month))
        if manual is not None:
            result[key] = Due(manual)
            continue
        try:
            result[key] = Due(_rule_deadline(category, month))
        except ValidationError as exc:
            result[key] = Due(None, " ".join(exc.messages))
    return result


# -- review rules --------------------------------------------------------------------------------------------

PLACEHOLDERS = frozenset(
    {
        "indicator",
        "value",
        "unit",
        "base",
        "change",
        "threshold",
        "min",
        "max",
        "operator",
        "factor",
        "right_indicator",
        "right_value",
    }
)

ERROR_CODES = {
    RuleKind.REQUIRED: "value_required",
    RuleKind.RANGE: "out_of_range",
    RuleKind.MOM_JUMP: "mom_jump",
    RuleKind.YOY_JUMP: "yoy_jump",
    RuleKind.CROSS: "cross_check",
}


def message_fields(template: str) -> list[str]:
    """The placeholders a message template uses; ValidationError when it is malformed or uses an
    unknown one (only plain names are allowed: no attribute or index access)."""
    try:
        names = [name for _text, name, _spec, _conv in string.Formatter().parse(template) if name is not None]
    except ValueError as exc:
        raise ValidationError(
            _("提示语格式有误（花括号不成对）：%(error)s") % {"error": exc}, code="message_template"
        ) from exc
    unknown = [n for n in names if n not in PLACEHOLDERS]
    if unknown:
        raise ValidationError(
            _("提示语中的占位符“%(names)s”不可用，可用的有：%(known)s")
            % {"names": "、".join(unknown), "known": "、".join(sorted(PLACEHOLDERS))},
            code="message_placeholder",
        )
    return names


def _default_message(rule: ReviewRule) -> str:
    if rule.kind == RuleKind.REQUIRED:
        return _("{indicator}未填写")
    if rule.kind == RuleKind.RANGE:
        return _("{indicator}为{value}{unit}，超出允许范围（{min}～{max}）")
    if rule.kind == RuleKind.MOM_JUMP:
        return _("{indicator}本月{value}{unit}，比上月（{base}{unit}）{change}，变动超过{threshold}")
    if rule.kind == RuleKind.YOY_JUMP:
        return _("{indicator}本月{value}{unit}，比去年同月（{base}{unit}）{change}，变动超过{threshold}")
    if rule.factor == 1:
        return _("{indicator}（{value}{unit}）应{operator}{right_indicator}（{right_value}{unit}）")
    return _("{indicator}（{value}{unit}）应{operator}{right_indicator}（{right_value}{unit}）的{factor}倍")


class _Blank(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "—"


def change(value: Decimal | None, base: Decimal | None) -> Decimal | None:
    """The relative change on a base ((value − base) / |base|); None without a usable base."""
    if value is None or base is None or base == 0:
        return None
    return (value - base) / abs(base)


def _number(value: Decimal | None, precision: int) -> str:
    return "—" if value is None else f"{round_half_up(value, precision)}"


def rule_message(rule: ReviewRule, **values: str) -> str:
    """The rule's message with the figures filled in (the default one when the template is unusable)."""
    template = rule.message or _default_message(rule)
    try:
        message_fields(template)
        return template.format_map(_Blank(values))
    except (ValidationError, ValueError, IndexError):
        return _default_message(rule).format_map(_Blank(values))


def _holds(left: Decimal, op: str, right: Decimal) -> bool:
    return {
        Operator.LTE: left <= right,
        Operator.LT: left < right,
        Operator.GTE: left >= right,
        Operator.GT: left > right,
        Operator.EQ: left == right,
    }[Operator(op)]


@dataclass(frozen=True)
class Finding:
    """What one check found about one line: shown beside it, kept on the line when it is submitted."""

    indicator: str
    kind: str
    severity: str
    code: str
    message: str
    rule: int | None = None
    explained: bool = False

    @property
    def blocks(self) -> bool:
        """Whether it stops the submission: a blocking rule, or an explanation still missing."""
        return self.severity == Severity.BLOCK or not self.explained

    @property
    def error_code(self) -> str:
        return self.code if self.severity == Severity.BLOCK else "explanation_required"

    def as_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "kind": self.kind,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
            "explained": self.explained,
        }


def evaluate(
    *,
    form: Sequence[CategoryIndicator],
    rules: Sequence[ReviewRule],
    values: Mapping[int, Decimal | None],
    explanations: Mapping[int, str],
    previous: Mapping[int, Decimal],
    last_year: Mapping[int, Decimal],
) -> list[Finding]:
    """Apply the form's required flags and the active review rules to one report's values (by indicator
    id), comparing jumps with the enterprise's previous month and the same month last year."""
    indicators = {line.indicator_id: line.indicator for line in form}
    required = {line.indicator_id for line in form if line.required}
    findings: list[Finding] = []

    def add(indicator: Indicator, kind: str, severity: str, message: str, rule: int | None) -> None:
        explained = bool(explanations.get(indicator.pk, "").strip())
        code = ERROR_CODES[RuleKind(kind)]
        findings.append(Finding(indicator.code, kind, severity, code, message, rule, explained))

    for line in form:
        if line.required and values.get(line.indicator_id) is None:
            message = _("“%(name)s”为必填项") % {"name": line.indicator.name}
            add(line.indicator, RuleKind.REQUIRED, Severity.BLOCK, message, None)
    for rule in rules:
        indicator = indicators.get(rule.indicator_id)
        if indicator is None or not rule.is_active:
            continue
        value = values.get(indicator.pk)
        figures = {
            "indicator": indicator.name,
            "unit": indicator.unit,
            "value": _number(value, indicator.precision),
            "min": _number(rule.min_value, indicator.precision),
            "max": _number(rule.max_value, indicator.precision),
        }
        failed = False
        if rule.kind == RuleKind.REQUIRED:
            # A line the form itself requires is already refused when empty.
            failed = value is None and indicator.pk not in required
        elif value is None:
            continue
        elif rule.kind == RuleKind.RANGE:
            failed = (rule.min_value is not None and value < rule.min_value) or (
                rule.max_value is not None and value > rule.max_value
            )
        elif rule.kind in (RuleKind.MOM_JUMP, RuleKind.YOY_JUMP):
            base = (previous if rule.kind == RuleKind.MOM_JUMP else last_year).get(indicator.pk)
            if base is None or base == 0 or rule.threshold_pct is None:
                continue
            rate = (value - base) / abs(base)
            failed = abs(rate) * 100 > rule.threshold_pct
            figures |= {
                "base": _number(base, indicator.precision),
                "change": growth(rate),
                "threshold": percent(rule.threshold_pct / 100),
            }
        elif rule.kind == RuleKind.CROSS:
            right = indicators.get(rule.right_indicator_id or 0)
            right_value = values.get(right.pk) if right is not None else None
            if right is None or right_value is None or not rule.operator:
                continue
            failed = not _holds(value, rule.operator, rule.factor * right_value)
            figures |= {
                "operator": Operator(rule.operator).label,
                "factor": f"{rule.factor.normalize():f}",
                "right_indicator": right.name,
                "right_value": _number(right_value, right.precision),
            }
        if failed:
            add(indicator, rule.kind, rule.severity, rule_message(rule, **figures), rule.pk)
    return findings


def comparison_values(
    *, enterprise: Organisation, month: Month, indicator_ids: Iterable[int], user: Any = None
) -> tuple[dict[int, Decimal], dict[int, Decimal]]:
    """The enterprise's current monthly values for the month before and the same month last year, by
    indicator id (accepted reports and anything the bureau recorded); within `user`'s scope when given."""
    qs: QuerySet[UnitObservation] = (
        UnitObservation.objects.all() if user is None else UnitObservation.objects.restrict(user, "view")
    )
    qs = as_of(qs, None).filter(
        months_q([month.previous(), month.last_year()]),
        enterprise=enterprise,
        basis=Basis.MONTH,
        indicator_id__in=list(indicator_ids),
    )
    previous: dict[int, Decimal] = {}
    last_year: dict[int, Decimal] = {}
    for indicator_id, year, month_number, value in qs.values_list(
        "indicator_id", "period__year", "period__month", "value"
    ):
        target = previous if Month(year, month_number) == month.previous() else last_year
        target[indicator_id] = value
    return previous, last_year


def category_form(category: ReportingCategory) -> list[CategoryIndicator]:
    """The lines of a category's form, in order, with their indicators."""
    return list(category.form_lines.select_related("indicator").order_by("order", "id"))


def category_rules(category: ReportingCategory) -> list[ReviewRule]:
    """The active review rules of a category."""
    return list(category.rules.filter(is_active=True).order_by("sort_order", "id"))


def report_findings(*, report: MonthlyReport) -> list[Finding]:
    """What the required flags and review rules find about a report's current values."""
    form = category_form(report.category)
    lines = {line.indicator_id: line for line in report.lines.all()}
    previous, last_year = comparison_values(
        enterprise=report.enterprise,
        month=Month.of(report.period),
        indicator_ids=[f.indicator_id for f in form],
    )
    return evaluate(
        form=form,
        rules=category_rules(report.category),
        values={i: line.value for i, line in lines.items()},
        explanations={i: line.explanation for i, line in lines.items()},
        previous=previous,
        last_year=last_year,
    )


# -- the enterprise's form -----------------------------------------------------------------------------------


@dataclass
class FormRow:
    """One line of the monthly form as shown: the indicator, what was entered, last month and last year."""

    form_line: CategoryIndicator
    line: ReportLine | None
    previous: Decimal | None
    last_year: Decimal | None
    findings: list[Finding] = field(default_factory=list)

    @property
    def indicator(self) -> Indicator:
        return self.form_line.indicator

    @property
    def value(self) -> Decimal | None:
        return self.line.value if self.line is not None else None

    @property
    def value_text(self) -> str:
        return plain(self.value)

    @property
    def previous_text(self) -> str:
        return plain(self.previous)

    @property
    def last_year_text(self) -> str:
        return plain(self.last_year)

    @property
    def mom(self) -> str:
        """环比: the change on the month before, in the trade's words."""
        return growth(change(self.value, self.previous))

    @property
    def yoy(self) -> str:
        """同比: the change on the same month last year."""
        return growth(change(self.value, self.last_year))

    @property
    def stored_findings(self) -> list[dict[str, Any]]:
        """What the rules found when the report was last submitted."""
        return list(self.line.findings) if self.line is not None else []


def form_rows(
    *,
    user: Any,
    enterprise: Organisation,
    category: ReportingCategory,
    month: Month,
    report: MonthlyReport | None,
    findings: Sequence[Finding] = (),
) -> list[FormRow]:
    """The rows of a report's form (or of an empty one), with the comparison values the user may see."""
    form = category_form(category)
    lines = {line.indicator_id: line for line in report.lines.all()} if report is not None else {}
    previous, last_year = comparison_values(
        enterprise=enterprise, month=month, indicator_ids=[f.indicator_id for f in form], user=user
    )
    by_code: dict[str, list[Finding]] = {}
    for finding in findings:
        by_code.setdefault(finding.indicator, []).append(finding)
    return [
        FormRow(
            form_line=f,
            line=lines.get(f.indicator_id),
            previous=previous.get(f.indicator_id),
            last_year=last_year.get(f.indicator_id),
            findings=by_code.get(f.indicator.code, []),
        )
        for f in form
    ]


@dataclass
class FormEntry:
    """One form an enterprise has to file: its category and month, its report if started, its deadline."""

    category: ReportingCategory
    month: Month
    report: MonthlyReport | None
    due: Due
    today: date

    @property
    def status(self) -> str:
        return self.report.status if self.report is not None else "missing"

    @property
    def status_label(self) -> str:
        return str(self.report.get_status_display()) if self.report is not None else _("未填报")

    @property
    def handed_in(self) -> bool:
        return self.report is not None and self.report.status in HANDED_IN

    @property
    def days_left(self) -> int | None:
        return None if self.due.on is None else (self.due.on - self.today).days

    @property
    def overdue(self) -> bool:
        return not self.handed_in and self.due.on is not None and self.today > self.due.on

    @property
    def days_overdue(self) -> int:
        return (self.today - self.due.on).days if self.overdue and self.due.on is not None else 0

    @property
    def editable(self) -> bool:
        return self.report is None or self.report.status in EDITABLE


def enterprise_forms(*, user: Any, months: Sequence[Month], today: date | None = None) -> list[FormEntry]:
    """The forms the user's enterprise has to file for `months`, newest first: one per category it
    belongs to in each month, with the report when one was started."""
    today = today or timezone.localdate()
    org_id = getattr(user, "organisation_id", None)
    if org_id is None or not months:
        return []
    memberships = list(
        CategoryMembership.objects.restrict(user, "view")
        .filter(enterprise_id=org_id)
        .filter(reduce(or_, (member_in(m) for m in months)))
        .select_related("category", "valid_from", "valid_to")
    )
    reports = {
        (r.category_id, Month.of(r.period)): r
        for r in MonthlyReport.objects.restrict(user, "view")
        .filter(enterprise_id=org_id)
        .filter(months_q(months))
        .select_related("period", "category")
    }
    pairs = [
        (ms.category, m)
        for m in sorted(set(months), reverse=True)
        for ms in memberships
        if Month.of(ms.valid_from) <= m and (ms.valid_to is None or m <= Month.of(ms.valid_to))
    ]
    dues = deadlines(pairs=pairs)
    seen: set[tuple[int, Month]] = set()
    entries = []
    for category, month in pairs:
        if (category.pk, month) in seen:
            continue
        seen.add((category.pk, month))
        entries.append(
            FormEntry(category, month, reports.get((category.pk, month)), dues[(category.pk, month)], today)
        )
    return entries


# -- review --------------------------------------------------------------------------------------------------


def may_review(user: Any) -> bool:
    """Whether the user may review reports anywhere (审核企业直报)."""
    return scope_q(user, MonthlyReport, "review") is not None


def reviewable(user: Any) -> QuerySet[MonthlyReport]:
    """Reports the user sees and may review: within the territories of their review grants."""
    q = scope_q(user, MonthlyReport, "review")
    qs = MonthlyReport.objects.restrict(user, "view")
    return qs.filter(q) if q is not None else qs.none()


def zones_for(user: Any) -> list[Territory]:
    """The zones (开发区/高新区) the user sees, in tree order."""
    return list(Territory.objects.restrict(user, "view").filter(kind=TerritoryKind.ZONE).order_by("path"))


def review_queue(
    *, user: Any, zone: Territory | None = None, month: Month | None = None
) -> QuerySet[MonthlyReport]:
    """Submitted reports waiting for the user's review, oldest submission first."""
    qs = reviewable(user).filter(status=ReportStatus.SUBMITTED)
    if zone is not None:
        qs = qs.filter(territory__path__startswith=zone.path)
    if month is not None:
        qs = qs.filter(month.q())
    lines = ReportLine.objects.only("id", "report_id", "findings", "explanation")
    return (
        qs.select_related("enterprise", "territory", "category", "period", "submitted_by")
        .prefetch_related(Prefetch("lines", queryset=lines))
        .order_by("submitted_at", "id")
    )


# -- missing and overdue -------------------------------------------------------------------------------------


def _zone_of(territory: Territory, zones: Sequence[Territory]) -> Territory | None:
    matches = [z for z in zones if territory.path.startswith(z.path)]
    return max(matches, key=lambda z: len(z.path)) if matches else None


@dataclass
class ProgressRow:
    """One enterprise that has to report a category for the month, and how far it has got."""

    membership: CategoryMembership
    zone: Territory | None
    report: MonthlyReport | None
    due: Due
    today: date

    @property
    def enterprise(self) -> Organisation:
        return self.membership.enterprise

    @property
    def category(self) -> ReportingCategory:
        return self.membership.category

    @property
    def status_label(self) -> str:
        return str(self.report.get_status_display()) if self.report is not None else _("未填报")

    @property
    def missing(self) -> bool:
        """未报: no report submitted or accepted (a draft or a returned report is still missing)."""
        return self.report is None or self.report.status not in HANDED_IN

    @property
    def overdue(self) -> bool:
        """逾期未报: missing and past the deadline."""
        return self.missing and self.due.on is not None and self.today > self.due.on

    @property
    def days_overdue(self) -> int:
        return (self.today - self.due.on).days if self.overdue and self.due.on is not None else 0

    @property
    def late(self) -> bool:
        """迟报: handed in, but first after the deadline."""
        return self.report is not None and not self.missing and self.report.is_late


@dataclass
class ZoneProgress:
    """How far a zone's enterprises have got with the month's reports."""

    zone: Territory | None
    members: int = 0
    handed_in: int = 0
    accepted: int = 0
    waiting: int = 0
    missing: int = 0
    overdue: int = 0
    late: int = 0

    @property
    def rate(self) -> str:
        return percent(Decimal(self.handed_in) / self.members) if self.members else "—"


@dataclass
class Progress:
    """The month's reporting progress in the user's zones: every enterprise due, and totals per zone."""

    month: Month
    today: date
    rows: list[ProgressRow]
    zones: list[ZoneProgress]

    @property
    def missing(self) -> list[ProgressRow]:
        return [r for r in self.rows if r.missing]

    @property
    def overdue(self) -> list[ProgressRow]:
        return [r for r in self.rows if r.overdue]


def reporting_progress(
    *, user: Any, month: Month, zone: Territory | None = None, today: date | None = None
) -> Progress:
    """Which enterprises due to report `month` (members of a category in that month) have reported, which
    are missing (no submitted or accepted report) and which are overdue (missing past the deadline),
    per zone the user sees."""
    today = today or timezone.localdate()
    zones = zones_for(user)
    memberships = (
        CategoryMembership.objects.restrict(user, "view")
        .filter(member_in(month))
        .select_related("enterprise__territory", "category")
        .order_by("enterprise__territory__path", "enterprise__name", "category__sort_order")
    )
    if zone is not None:
        memberships = memberships.filter(enterprise__territory__path__startswith=zone.path)
    members = list(memberships)
    reports = {
        (r.enterprise_id, r.category_id): r
        for r in MonthlyReport.objects.restrict(user, "view")
        .filter(month.q())
        .filter(enterprise_id__in={m.enterprise_id for m in members})
    }
    dues = deadlines(pairs=[(m.category, month) for m in members])
    seen: set[tuple[int, int]] = set()
    rows = []
    for ms in members:
        key = (ms.enterprise_id, ms.category_id)
        if key in seen:
            continue
        seen.add(key)
        rows.append(
            ProgressRow(
                ms,
                _zone_of(ms.enterprise.territory, zones),
                reports.get(key),
                dues[(ms.category_id, month)],
                today,
            )
        )
    summaries: dict[int | None, ZoneProgress] = {}
    for row in rows:
        summary = summaries.setdefault(row.zone.pk if row.zone else None, ZoneProgress(row.zone))
        summary.members += 1
        summary.handed_in += not row.missing
        summary.accepted += row.report is not None and row.report.status == ReportStatus.ACCEPTED
        summary.waiting += row.report is not None and row.report.status == ReportStatus.SUBMITTED
        summary.missing += row.missing
        summary.overdue += row.overdue
        summary.late += row.late
    return Progress(month, today, rows, list(summaries.values()))
