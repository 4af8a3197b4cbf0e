"""Reads of S2 with meaning: investment progress per project against plan and 序时进度, summaries per tier
and zone, the lead pipeline, signings by band, and a project's timeline."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from itertools import pairwise
from typing import Any

from django.db.models import Count, QuerySet
from django.utils import timezone

from kunlu.core import versions
from kunlu.core.formatting import plain, unit_label
from kunlu.core.models import Period, Territory
from kunlu.projects.choices import PIPELINE, STAGES, Currency, LeadStage, ProjectStatus, Stage
from kunlu.projects.models import (
    AlertRuleSet,
    AlertRun,
    InvestmentActual,
    InvestmentPlan,
    Lead,
    Project,
    ProjectListing,
    ProjectStage,
    SizeBandScheme,
)


def _ratio(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    if part is None or not whole:
        return None
    return part / whole


@dataclass
class Progress:
    """A project's investment in a year up to a month, against its annual plan and 序时进度."""

    project: Project
    year: int
    month: int
    plan: Decimal | None = None
    planned_to_date: Decimal | None = None
    done: Decimal | None = None
    reported_month: int | None = None
    started_on: date | None = None

    @property
    def currency(self) -> str:
        return self.project.currency

    @property
    def completion(self) -> Decimal | None:
        """投资完成率: 1–M月 completed investment / annual plan (a rate: 0.969)."""
        return _ratio(self.done or Decimal(0), self.plan)

    @property
    def time_progress(self) -> Decimal | None:
        """序时进度: the monthly plan's share to date where given, else M/12 (a rate)."""
        return _ratio(self.planned_to_date, self.plan)

    @property
    def gap(self) -> Decimal | None:
        """Completion minus 序时进度, a difference of rates (negative: behind)."""
        if self.completion is None or self.time_progress is None:
            return None
        return self.completion - self.time_progress

    @property
    def started(self) -> bool:
        return self.started_on is not None


def project_progress(
    projects: Iterable[Project], year: int, month: int, *, as_of: datetime | None = None
) -> list[Progress]:
    """Each project's progress for 1–`month` of `year` (facts as of `as_of`): five queries in all."""
    projects = list(projects)
    ids = [p.pk for p in projects]
    result = {p.pk: Progress(project=p, year=year, month=month) for p in projects}
    plans = InvestmentPlan.objects.filter(project_id__in=ids, year=year).prefetch_related("months")
    for plan in plans:
        row = result[plan.project_id]
        row.plan = plan.amount
        months = {m.month: m.cumulative for m in plan.months.all()}
        given = [m for m in months if m <= month]
        if months and given:
            row.planned_to_date = months[max(given)]
        elif months:
            row.planned_to_date = Decimal(0)
        else:
            row.planned_to_date = plan.amount * month / 12
    actuals = versions.as_of(
        InvestmentActual.objects.filter(project_id__in=ids, period__year=year, period__month__lte=month),
        as_of,
    ).values_list("project_id", "period__month", "cumulative")
    for project_id, reported, cumulative in actuals:
        row = result[project_id]
        if row.reported_month is None or reported > row.reported_month:
            row.reported_month, row.done = reported, cumulative
    end = date(year, month, 28)
    starts = ProjectStage.objects.filter(
        project_id__in=ids, stage=Stage.STARTED, actual_on__isnull=False
    ).values_list("project_id", "actual_on")
    for project_id, actual_on in starts:
        if actual_on is not None and (actual_on.year, actual_on.month) <= (end.year, end.month):
            result[project_id].started_on = actual_on
    return [result[p.pk] for p in projects]


@dataclass
class Summary:
    """Totals of a group of projects in one currency: counts, start rate, plan, done, completion, gap."""

    label: str
    currency: str = Currency.CNY
    rows: list[Progress] = field(default_factory=list)
    url: str = ""  # where a page links the summary to: the projects behind it

    @property
    def ids(self) -> list[int]:
        return [r.project.pk for r in self.rows]

    @property
    def count(self) -> int:
        return len(self.rows)

    @property
    def started(self) -> int:
        return sum(1 for r in self.rows if r.started)

    @property
    def start_rate(self) -> Decimal | None:
        return _ratio(Decimal(self.started), Decimal(self.count))

    @property
    def plan(self) -> Decimal:
        return sum((r.plan or Decimal(0) for r in self.rows), Decimal(0))

    @property
    def planned_to_date(self) -> Decimal:
        return sum((r.planned_to_date or Decimal(0) for r in self.rows), Decimal(0))

    @property
    def done(self) -> Decimal:
        return sum((r.done or Decimal(0) for r in self.rows), Decimal(0))

    @property
    def completion(self) -> Decimal | None:
        return _ratio(self.done, self.plan)

    @property
    def time_progress(self) -> Decimal | None:
        return _ratio(self.planned_to_date, self.plan)

    @property
    def gap(self) -> Decimal | None:
        if self.completion is None or self.time_progress is None:
            return None
        return self.completion - self.time_progress

    @property
    def behind(self) -> int:
        return sum(1 for r in self.rows if r.gap is not None and r.gap < 0)


def summarise(label: str, rows: Sequence[Progress]) -> list[Summary]:
    """One summary per currency (amounts in different currencies are never added)."""
    by_currency: dict[str, Summary] = {}
    for row in rows:
        by_currency.setdefault(row.currency, Summary(label=label, currency=row.currency)).rows.append(row)
    return sorted(by_currency.values(), key=lambda s: s.currency != Currency.CNY)


def listed_projects(user: Any, year: int, *, tier: Any = None, territory: Any = None) -> QuerySet[Project]:
    """The projects on a list (a tier, or any tier) in `year` that the user may see."""
    listings = ProjectListing.objects.filter(year=year)
    if tier is not None:
        listings = listings.filter(tier=tier)
    # 开工率 and completion are of the projects being implemented: reserve and terminated ones are left out.
    qs = Project.objects.restrict(user).filter(
        pk__in=listings.values("project_id"), status=ProjectStatus.ACTIVE
    )
    if territory is not None:
        qs = qs.filter(territory__path__startswith=territory.path)
    return qs.select_related("territory", "enterprise", "category").order_by("code")


def tier_board(user: Any, year: int, month: int, *, territory: Any = None) -> list[tuple[Any, list[Summary]]]:
    """The major-project board: per tier listed in `year`, the summaries of its projects."""
    listings = (
        ProjectListing.objects.restrict(user)
        .filter(year=year, project__status=ProjectStatus.ACTIVE)
        .select_related("tier", "project", "project__territory", "project__enterprise")
        .order_by("tier__sort_order", "project__code")
    )
    if territory is not None:
        listings = listings.filter(project__territory__path__startswith=territory.path)
    projects = {li.project_id: li.project for li in listings}
    progress = {p.project.pk: p for p in project_progress(projects.values(), year, month)}
    tiers: dict[Any, list[Progress]] = defaultdict(list)
    for li in listings:
        tiers[li.tier].append(progress[li.project_id])
    return [(tier, summarise(tier.name, rows)) for tier, rows in tiers.items()]


def lagging_first(rows: Iterable[Progress]) -> list[Progress]:
    """Projects most behind 序时进度 first; projects without a plan last."""
    return sorted(rows, key=lambda r: (r.gap is None, r.gap if r.gap is not None else 0, r.project.code))


# -- pipeline and signings -------------------------------------------------------------------------------


def funnel(leads: QuerySet[Lead]) -> list[tuple[str, str, int]]:
    """Leads that reached each stage of the pipeline (a lead at 谈判 has passed 线索, 接洽 and 考察)."""
    counts = {stage: 0 for stage in PIPELINE}
    rows = leads.exclude(stage=LeadStage.TERMINATED).values("stage").order_by().annotate(n=Count("id"))
    for row in rows:
        counts[LeadStage(row["stage"])] = row["n"]
    reached = []
    running = 0
    for stage in reversed(PIPELINE):
        running += counts[stage]
        reached.append((stage.value, str(stage.label), running))
    return list(reversed(reached))


def overdue_leads(leads: QuerySet[Lead], today: date | None = None) -> QuerySet[Lead]:
    """Open leads whose next follow-up date has passed, oldest first."""
    today = today or timezone.localdate()
    return (
        leads.filter(stage__in=[s.value for s in PIPELINE[:-1]], next_action_on__lt=today)
        .select_related("owner", "territory")
        .order_by("owner__username", "next_action_on")
    )


def band_of(amount: Decimal, thresholds: Sequence[Decimal]) -> int:
    """The index of the band `amount` falls in: 0 below the first threshold, i at or above threshold i−1."""
    index = 0
    for i, bound in enumerate(thresholds, start=1):
        if amount >= bound:
            index = i
    return index


def band_labels(scheme: SizeBandScheme) -> list[str]:
    """Readable labels of a scheme's bands, e.g. 1亿元以下, 1亿–10亿元, 10亿元及以上."""
    unit = unit_label("亿", scheme.currency)  # type: ignore[arg-type]
    small = unit_label("万", scheme.currency)  # type: ignore[arg-type]

    def shown(wan: Decimal) -> str:
        return f"{plain(wan / 10000)}{unit}" if wan >= 10000 else f"{plain(wan)}{small}"

    bounds = [Decimal(str(t)) for t in scheme.thresholds]
    labels = [f"{shown(bounds[0])}以下"] if bounds else ["全部"]
    for lower, upper in pairwise(bounds):
        labels.append(f"{shown(lower)}–{shown(upper)}")
    if bounds:
        labels.append(f"{shown(bounds[-1])}及以上")
    return labels


def phases_of(user: Any, project: Project) -> list[Project]:
    """The phases of the project's enterprise investment (一期, 二期, 增资 …) that the user may see."""
    root = project.timeline_root
    ids = [root.pk, *root.later_phases.values_list("pk", flat=True)]
    return list(Project.objects.restrict(user).filter(pk__in=ids).order_by("phase_no"))


def timeline(user: Any, project: Project) -> list[dict[str, Any]]:
    """The stages of a project and of its other phases the user may see, on one timeline: planned and
    actual dates."""
    phases = phases_of(user, project)
    rows = ProjectStage.objects.filter(project__in=phases).select_related("project")
    order = {s.value: i for i, s in enumerate(STAGES)}
    several = len(phases) > 1
    return [
        {
            "label": f"{r.project.phase_no}·{r.get_stage_display()}" if several else r.get_stage_display(),
            "phase": r.project.phase_no,
            "project": r.project.name,
            "stage": r.get_stage_display(),
            "planned": r.planned_on.isoformat() if r.planned_on else None,
            "actual": r.actual_on.isoformat() if r.actual_on else None,
        }
        for r in sorted(rows, key=lambda r: (r.project.phase_no, order[r.stage]))
    ]


# -- signings --------------------------------------------------------------------------------------------


@dataclass
class Totals:
    """A group of signed projects in one currency: how many and how much (万)."""

    label: str
    currency: str
    count: int = 0
    total: Decimal = Decimal(0)
    ids: list[int] = field(default_factory=list)


def signed_projects(user: Any, year: int, *, month: int = 12, territory: Any = None) -> QuerySet[Project]:
    """Projects signed in `year` from January to `month` that the user may see."""
    qs = Project.objects.restrict(user).filter(signed_on__year=year, signed_on__month__lte=month)
    if territory is not None:
        qs = qs.filter(territory__path__startswith=territory.path)
    return qs.select_related("signing_event", "territory", "industry__parent__parent").order_by(
        "signed_on", "code"
    )


def group_totals(projects: Iterable[Project], key: Any) -> list[Totals]:
    """Totals per (group, currency), in the order groups first appear; `key(project)` names the group."""
    groups: dict[tuple[str, str], Totals] = {}
    for project in projects:
        label = str(key(project))
        row = groups.setdefault((label, project.currency), Totals(label, project.currency))
        row.count += 1
        row.total += project.total_investment
        row.ids.append(project.pk)
    return list(groups.values())


def band_key(scheme: SizeBandScheme) -> Any:
    """A grouping key by the scheme's size bands (projects in another currency fall in 其他币种)."""
    bounds = [Decimal(str(t)) for t in scheme.thresholds]
    labels = band_labels(scheme)

    def key(project: Project) -> str:
        if project.currency != scheme.currency:
            return "其他币种"
        return labels[band_of(project.total_investment, bounds)]

    return key


def at_least(projects: Iterable[Project], wan: Decimal, currency: str = Currency.CNY) -> list[Project]:
    """The projects of `currency` whose planned total investment is at least `wan` 万."""
    return [p for p in projects if p.currency == currency and p.total_investment >= wan]


def latest_run(rule_set: AlertRuleSet, territory: Territory, period: Period) -> AlertRun | None:
    """The latest computation of a month's alerts for a territory under a rule set."""
    return (
        AlertRun.objects.filter(rule_set=rule_set, territory=territory, period=period).order_by("-id").first()
    )
