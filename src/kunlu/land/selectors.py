"""Reads with meaning over 标准地 and 数据得地: idle-land flags, a park's 标准地 overview, applications in
rank order, commitments with their latest review, and commitments measured from the holder's reported data."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import F, Prefetch, QuerySet
from django.utils.translation import gettext as _

from kunlu.core import formatting
from kunlu.core.models import Territory
from kunlu.core.permissions import permitted_territories
from kunlu.engine.evaluation.library import INPUTS_BY_CODE
from kunlu.enterprises.models import EnterpriseProfile
from kunlu.evaluation.models import EnterpriseFigure
from kunlu.land import rules
from kunlu.land.catalogue import (
    PARCEL_AREA,
    PROJECT_INVESTMENT,
    RATIO,
    REPORTED_MEASURES,
    UNIT_FACTORS,
)
from kunlu.land.choices import AWARDED, ParcelStatus
from kunlu.land.models import Allocation, Application, Commitment, Parcel, ReviewResult
from kunlu.projects.choices import Currency
from kunlu.projects.models import InvestmentActual

TAX_PER_MU = "tax_per_mu"
"""The code of the 亩均税收 control indicator (万元/亩), which the park overview counts commitments on."""
INVESTMENT_INTENSITY = "investment_intensity"
OUTPUT_PER_MU = "output_per_mu"


# -- idle land ---------------------------------------------------------------------------------------------


class IdleLevel:
    LATE = 1  # 未按约定日期开工: a warning that the parcel is turning idle
    FEE = 2  # one full year late: 闲置, 征收闲置费 (20% of the land price)
    RECOVER = 3  # two years late: 无偿收回


@dataclass(frozen=True)
class IdleFlag:
    """A parcel sold but not started by its agreed date, and what the idle-land rules say about it."""

    parcel: Parcel
    level: int
    days_late: int
    fee_wan: Decimal | None

    @property
    def label(self) -> str:
        if self.level == IdleLevel.RECOVER:
            return _("满两年未动工：无偿收回")
        if self.level == IdleLevel.FEE:
            return _("满一年未动工：征收闲置费")
        return _("未按约定日期开工：闲置预警")


def idle_flag(parcel: Parcel, as_of: date) -> IdleFlag | None:
    """The idle-land flag of one parcel on a day (None when it is not late)."""
    if parcel.status not in AWARDED or parcel.actual_start_date is not None:
        return None
    agreed = parcel.agreed_start_date
    if agreed is None or as_of <= agreed:
        return None
    if as_of >= rules.add_months(agreed, 24):
        level = IdleLevel.RECOVER
    elif as_of >= rules.add_months(agreed, 12):
        level = IdleLevel.FEE
    else:
        level = IdleLevel.LATE
    fee = None
    if level >= IdleLevel.FEE and parcel.price_wan is not None:
        fee = parcel.price_wan * rules.IDLE_FEE_RATE
    return IdleFlag(parcel, level, (as_of - agreed).days, fee)


def idle_flags(*, user: Any, as_of: date, territory: Territory | None = None) -> list[IdleFlag]:
    """Parcels not started within the agreed period, most serious first, for the parcels a user sees."""
    qs = Parcel.objects.restrict(user, "view").filter(
        status__in=AWARDED, actual_start_date__isnull=True, agreed_start_date__lt=as_of
    )
    if territory is not None:
        qs = qs.filter(territory__path__startswith=territory.path)
    flags = [idle_flag(p, as_of) for p in qs.select_related("territory", "holder")]
    found = [f for f in flags if f is not None]
    return sorted(found, key=lambda f: (-f.level, -f.days_late, f.parcel.code))


# -- the park overview ---------------------------------------------------------------------------------------


@dataclass
class ParkOverview:
    """园区标准地概况: figures computed from a park's parcels, allocations and commitments."""

    territory: Territory
    threshold: Decimal
    enterprises: list[Any] = field(default_factory=list)
    parcels: int = 0
    area_mu: Decimal = Decimal(0)
    investment_wan: Decimal = Decimal(0)
    output_wan: Decimal = Decimal(0)
    tax_committed_above: int = 0
    headquarters: int = 0
    rows: list[dict[str, Any]] = field(default_factory=list)

    @property
    def enterprise_count(self) -> int:
        return len(self.enterprises)

    @property
    def all_above(self) -> bool:
        return bool(self.enterprises) and self.tax_committed_above == len(self.enterprises)


def _committed(commitments: list[Commitment], code: str) -> Decimal | None:
    return next((c.value for c in commitments if c.indicator.code == code), None)


def park_overview(*, user: Any, territory: Territory, threshold: Decimal = Decimal(150)) -> ParkOverview:
    """Enterprises holding awarded parcels in the park (or committed on them), their total investment and
    expected annual output (committed per mu × area, or the winner's declared figure where no commitment
    covers it), and how many committed to 亩均税收 above the threshold (万元/亩)."""
    parcels = (
        Parcel.objects.restrict(user, "view")
        .filter(territory__path__startswith=territory.path, status__in=AWARDED)
        .select_related("holder")
        .prefetch_related(
            Prefetch(
                "commitments",
                queryset=Commitment.objects.filter(allocation__is_current=True).select_related(
                    "indicator", "enterprise"
                ),
            )
        )
        .prefetch_related(
            Prefetch(
                "allocations",
                queryset=Allocation.objects.filter(is_current=True).select_related("winner"),
                to_attr="current_allocations",
            ),
        )
        .order_by("code")
    )
    overview = ParkOverview(territory=territory, threshold=threshold)
    best_tax: dict[int, Decimal] = {}
    enterprises: dict[int, Any] = {}
    for parcel in parcels:
        commitments = list(parcel.commitments.all())
        holder = parcel.holder or (commitments[0].enterprise if commitments else None)
        if holder is None:
            continue
        current = getattr(parcel, "current_allocations", [])
        winner = current[0].winner if current else None
        intensity = _committed(commitments, INVESTMENT_INTENSITY)
        per_mu_output = _committed(commitments, OUTPUT_PER_MU)
        tax = _committed(commitments, TAX_PER_MU)
        investment = intensity * parcel.area_mu if intensity is not None else None
        if investment is None and winner is not None:
            investment = winner.total_investment_wan
        output = per_mu_output * parcel.area_mu if per_mu_output is not None else None
        if output is None and winner is not None:
            output = winner.expected_output_wan
        enterprises[holder.pk] = holder
        overview.parcels += 1
        overview.area_mu += parcel.area_mu
        overview.investment_wan += investment or Decimal(0)
        overview.output_wan += output or Decimal(0)
        if tax is not None:
            best_tax[holder.pk] = max(best_tax.get(holder.pk, tax), tax)
        overview.rows.append(
            {
                "parcel": parcel,
                "holder": holder,
                "investment_wan": investment,
                "output_wan": output,
                "tax_per_mu": tax,
                "above": tax is not None and tax > threshold,
            }
        )
    overview.enterprises = sorted(enterprises.values(), key=lambda o: o.name)
    overview.headquarters = EnterpriseProfile.objects.filter(
        organisation__in=list(enterprises), is_headquarters=True
    ).count()
    overview.tax_committed_above = sum(1 for v in best_tax.values() if v > threshold)
    return overview


def parks_for(user: Any) -> QuerySet[Territory]:
    """The territories a user may open the overview of (the subtrees of their grants on parcels)."""
    return permitted_territories(user, Parcel, "view").exclude(kind__in=("peer_city", "peer_zone"))


# -- applications and commitments ----------------------------------------------------------------------------


def applications_ranked(*, user: Any, parcel: Parcel) -> QuerySet[Application]:
    """A parcel's applications the user may see, best rank first (unscored ones last)."""
    return (
        Application.objects.restrict(user, "view")
        .filter(parcel=parcel, is_current=True)
        .select_related("applicant", "parcel")
        .order_by(F("rank").asc(nulls_last=True), "created_at", "id")
    )


def commitments_with_results(*, user: Any, parcel: Parcel) -> list[tuple[Commitment, list[ReviewResult]]]:
    """A parcel's commitments the user may see, each with its review results, newest first."""
    commitments = (
        Commitment.objects.restrict(user, "view")
        .filter(parcel=parcel, allocation__is_current=True)
        .select_related("indicator")
        .prefetch_related(
            Prefetch(
                "results",
                queryset=ReviewResult.objects.select_related("review")
                .prefetch_related("actions")
                .order_by("-review__reviewed_on", "-review__sequence"),
            )
        )
    )
    return [(c, list(c.results.all())) for c in commitments]


def status_choices_from(status: str) -> list[tuple[str, str]]:
    """The statuses a parcel may move to next, with their labels (for the transition buttons)."""
    from kunlu.land.choices import TRANSITIONS

    return [
        (s.value, str(s.label))
        for s in ParcelStatus
        if s.value in TRANSITIONS.get(status, frozenset()) and s != ParcelStatus.SOLD
    ]


def parcels_held(user: Any, enterprise: Any) -> list[Any]:
    """The parcels an enterprise holds that the user may see, for the enterprise registry's page."""
    from kunlu.enterprises.selectors import LandHolding
    from kunlu.land.views import ParcelViewSet

    parcels = Parcel.objects.restrict(user, "view").filter(holder=enterprise).order_by("code")
    return [
        LandHolding(
            p.code, p.area_mu, p.get_land_use_display(), p.get_status_display(), ParcelViewSet.detail_url(p)
        )
        for p in parcels
    ]


# -- commitments measured from reported data -----------------------------------------------------------

MEASURED_PLACES = Decimal("0.0001")
"""Measured values keep the review form's four decimals, so a value taken over unchanged compares equal."""


@dataclass(frozen=True)
class Reported:
    """A commitment's value computed from the holder's reported data, in the commitment's unit, and how."""

    value: Decimal
    source_text: str


@dataclass(frozen=True)
class _Operand:
    name: str
    unit: str
    value: Decimal

    @property
    def shown(self) -> str:
        if self.unit == "万元":
            return formatting.amount(self.value, scale="万")
        return f"{self.value.normalize():f}{self.unit}"


@dataclass(frozen=True)
class _Investment:
    total_wan: Decimal
    projects: int
    first_year: int
    last_year: int


def _figures(user: Any, holder_id: int, year: int, inputs: set[str]) -> dict[str, Decimal]:
    """The holder's current figures of a year that the user may see (an enterprise outside the user's
    territory gives nothing)."""
    if not inputs:
        return {}
    rows = (
        EnterpriseFigure.objects.restrict(user, "view")
        .filter(enterprise_id=holder_id, year=year, input__in=inputs, superseded_at__isnull=True)
        .values_list("input", "value")
    )
    return dict(rows)


def _project_investment(user: Any, parcel: Parcel, year: int) -> _Investment | None:
    """The holder's completed investment on the parcel as the project register has it: for each of the
    holder's projects in the parcel's territory and each year from the contract's to the review year, the
    1–M月累计 of the last month reported (December where given), summed.

    None where the register cannot be read as this parcel's: nothing reported, a project in another currency
    than 人民币, or the holder holding another awarded parcel in the same territory (projects are not tied to
    parcels, so the investment could be either's)."""
    holder_id = parcel.holder_id
    territory = parcel.territory
    # A guard, not a read shown to the user: another parcel held here makes the attribution unreliable.
    shared = (
        Parcel.objects.filter(
            holder_id=holder_id, status__in=AWARDED, territory__path__startswith=territory.path
        )
        .exclude(pk=parcel.pk)
        .exists()
    )
    if shared:
        return None
    rows = InvestmentActual.objects.restrict(user, "view").filter(
        project__enterprise_id=holder_id,
        project__territory__path__startswith=territory.path,
        superseded_at__isnull=True,
        period__year__lte=year,
    )
    if parcel.contract_date is not None:
        rows = rows.filter(period__year__gte=parcel.contract_date.year)
    last: dict[tuple[int, int], tuple[int, Decimal]] = {}
    for project_id, currency, y, month, cumulative in rows.values_list(
        "project_id", "project__currency", "period__year", "period__month", "cumulative"
    ):
        if currency != Currency.CNY:
            return None
        seen = last.get((project_id, y))
        if seen is None or month > seen[0]:
            last[(project_id, y)] = (month, cumulative)
    if not last:
        return None
    years = [y for _p, y in last]
    return _Investment(
        total_wan=sum((c for _m, c in last.values()), Decimal(0)),
        projects=len({p for p, _y in last}),
        first_year=min(years),
        last_year=max(years),
    )


def _quotient_unit(numerator: str, denominator: str) -> str:
    return RATIO if numerator == denominator else f"{numerator}/{denominator}"


def reported_values(
    *, user: Any, parcel: Parcel, commitments: Sequence[Commitment], year: int
) -> dict[int, Reported]:
    """Each commitment's value computed from the holder's reported data for a year, where the catalogue maps
    its indicator (catalogue.REPORTED_MEASURES) and the data exist: the holder's evaluation figures (税收,
    工业总产值, 综合能耗 …) and, for 投资强度, the project register. The quotient is converted from its own
    unit to the commitment's (比值 → %); with no data, a zero denominator or units that do not convert, the
    commitment has no value here and the reviewer types it. Figures are read through the user's scope."""
    if parcel.holder_id is None:
        return {}
    wanted = [
        (c, REPORTED_MEASURES[c.indicator.code]) for c in commitments if c.indicator.code in REPORTED_MEASURES
    ]
    if not wanted:
        return {}
    inputs = {op for _c, pair in wanted for op in pair if op in INPUTS_BY_CODE}
    figures = _figures(user, parcel.holder_id, year, inputs)
    needs_investment = any(PROJECT_INVESTMENT in pair for _c, pair in wanted)
    investment = _project_investment(user, parcel, year) if needs_investment else None

    def operand(code: str) -> _Operand | None:
        if code == PARCEL_AREA:
            return _Operand(_("地块面积"), "亩", parcel.area_mu)
        if code == PROJECT_INVESTMENT:
            if investment is None:
                return None
            return _Operand(_("项目累计完成投资"), "万元", investment.total_wan)
        if code not in figures:
            return None
        known = INPUTS_BY_CODE[code]
        return _Operand(known.name, known.unit, figures[code])

    found: dict[int, Reported] = {}
    for c, (top, bottom) in wanted:
        numerator, denominator = operand(top), operand(bottom)
        if numerator is None or denominator is None or denominator.value <= 0:
            continue
        unit = _quotient_unit(numerator.unit, denominator.unit)
        factor = Decimal(1) if unit == c.unit else UNIT_FACTORS.get((unit, c.unit))
        if factor is None:
            continue
        value = (numerator.value / denominator.value * factor).quantize(MEASURED_PLACES, ROUND_HALF_UP)
        sum_text = f"{numerator.name}{numerator.shown} ÷ {denominator.name}{denominator.shown}"
        if factor != 1:
            sum_text += f" × {factor.normalize():f}"
        if PROJECT_INVESTMENT in (top, bottom) and investment is not None:
            span = (
                str(investment.first_year)
                if investment.first_year == investment.last_year
                else f"{investment.first_year}—{investment.last_year}"
            )
            lead = _("据项目库%(span)s年%(n)s个项目填报") % {"span": span, "n": investment.projects}
        else:
            lead = _("据%(year)s年企业申报") % {"year": year}
        found[c.pk] = Reported(value, f"{lead}：{sum_text}")
    return found
