"""Reads with meaning for the monitoring pages: the engine's bulletin over the database, narrowed to the user.

The engine computes over every zone of the city (shares and ranks need them all); what a user sees is then
narrowed through `restrict`: a zone analyst gets the zone's lines and the city's totals, never another
zone's figures; an enterprise's contribution is shown only to users who may see that enterprise.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any

from django.db.models import Q
from django.http import Http404

from kunlu.accounts.models import Organisation
from kunlu.core.models import Territory, TerritoryKind
from kunlu.engine.api import bulletin, open_backend, unit_contributions, zone_growth
from kunlu.engine.periods import ReportingMonth
from kunlu.indicators.loaders import engine_tables
from kunlu.indicators.models import Indicator

CITY = "CITY"


@dataclass
class Line:
    """One indicator of one zone (or the city) in a monitoring table, with every metric of the engine."""

    indicator: Indicator
    zone_code: str
    metrics: dict[str, Any]

    @property
    def flags(self) -> list[str]:
        """两位数增长, 占比提升, 低于序时进度: the bulletin's highlight marks."""
        marks = []
        if self.metrics.get("double_digit_growth"):
            marks.append("double_digit")
        if self.metrics.get("share_rose"):
            marks.append("share_rose")
        gap = self.metrics.get("progress_gap_pp")
        if gap is not None and gap < 0:
            marks.append("behind_schedule")
        return marks


@dataclass
class Monitoring:
    """The monitoring of a city's zones for month M of a year, as the facts stood at a moment."""

    city: Territory
    year: int
    month: int
    moment: datetime | None = None
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def reporting_month(self) -> ReportingMonth:
        return ReportingMonth(self.year, self.month)

    @cached_property
    def zones(self) -> list[Territory]:
        """The zones of the city, in display order."""
        return list(
            Territory.objects.filter(kind=TerritoryKind.ZONE, path__startswith=self.city.path).order_by(
                "sort_order", "code"
            )
        )

    @cached_property
    def indicators(self) -> dict[str, Indicator]:
        return {i.code: i for i in Indicator.objects.filter(is_active=True)}

    @cached_property
    def backend(self) -> Any:
        return open_backend(engine_tables(city=self.city, year=self.year, moment=self.moment))

    @cached_property
    def rows(self) -> dict[tuple[str, str], dict[str, Any]]:
        """Bulletin and growth columns merged, by (zone code or CITY, indicator code)."""
        merged: dict[tuple[str, str], dict[str, Any]] = {}
        for row in bulletin(self.backend, self.reporting_month).to_pylist():
            merged[(row["zone_code"], row["indicator_code"])] = row
        for row in zone_growth(self.backend, self.reporting_month).to_pylist():
            merged.setdefault((row["zone_code"], row["indicator_code"]), {}).update(row)
        return merged

    def lines(self, zone_code: str) -> list[Line]:
        """The indicators with data for a zone (or CITY), in catalogue order."""
        result = []
        for indicator in sorted(self.indicators.values(), key=lambda i: (i.sort_order, i.code)):
            metrics = self.rows.get((zone_code, indicator.code)) or self.ratio(zone_code, indicator)
            if metrics and (metrics["ytd_value"] or metrics["prior_ytd_value"]):
                result.append(Line(indicator, zone_code, metrics))
        return result

    def ratio(self, zone_code: str, indicator: Indicator) -> dict[str, Any] | None:
        """A ratio indicator (高新技术产业产值占比 …) from its terms' cumulative values: this year's ratio,
        last year's, and the change in percentage points; sums, shares and ranks do not apply to it."""
        if indicator.numerator_id is None or indicator.denominator_id is None:
            return None
        codes = {i.pk: i.code for i in self.indicators.values()}
        top = self.rows.get((zone_code, codes.get(indicator.numerator_id, "")))
        bottom = self.rows.get((zone_code, codes.get(indicator.denominator_id, "")))
        if not top or not bottom:
            return None
        now = top["ytd_value"] / bottom["ytd_value"] if bottom["ytd_value"] else None
        before = top["comp_prior"] / bottom["comp_prior"] if bottom["comp_prior"] else None
        return {
            "is_ratio": True,
            "ytd_value": now,
            "prior_ytd_value": before,
            "ratio_change": now - before if now is not None and before is not None else None,
            "numerator_code": codes[indicator.numerator_id],
        }

    def trend(self, zone_code: str, indicator_code: str) -> list[dict[str, Any]]:
        """Month by month (1..M): cumulative value and comparable growth of one indicator of a zone."""
        points = []
        for month in range(1, self.month + 1):
            rows = bulletin(self.backend, ReportingMonth(self.year, month)).to_pylist()
            row = next(
                r for r in rows if r["zone_code"] == zone_code and r["indicator_code"] == indicator_code
            )
            points.append(
                {"month": month, "ytd_value": row["ytd_value"], "yoy_comparable": row["yoy_comparable"]}
            )
        return points

    def facts(self, zone: Territory, indicator: Indicator, *, user: Any) -> list[Any]:
        """The enterprise facts behind a zone's figure (this year's months 1..M and the same months a year
        earlier, as they stood at the moment) that the user may see, with their versions."""
        from kunlu.core.versions import as_of
        from kunlu.indicators.models import UnitObservation

        months = Q(period__month__lte=self.month) & Q(period__year__in=[self.year - 1, self.year])
        qs = (
            UnitObservation.objects.restrict(user, "view")
            .filter(months, indicator=indicator, territory__path__startswith=zone.path)
            .select_related("enterprise", "period", "batch", "recorded_by")
            .order_by("enterprise__name", "-period__year", "-period__month")
        )
        return list(as_of(qs, self.moment))

    def contributors(
        self, zone_code: str, indicator_code: str, *, user: Any, top_n: int = 10
    ) -> list[dict[str, Any]]:
        """The enterprises behind a zone's growth of an indicator (拉动, 贡献率), those the user may see."""
        rows = [
            r
            for r in unit_contributions(self.backend, self.reporting_month, top_n).to_pylist()
            if r["zone_code"] == zone_code and r["indicator_code"] == indicator_code
        ]
        visible = Organisation.objects.restrict(user, "view").in_bulk([r["unit_id"] for r in rows])
        return [{**r, "enterprise": visible[r["unit_id"]]} for r in rows if r["unit_id"] in visible]


def visible_zones(*, user: Any, city: Territory) -> list[Territory]:
    """The city's zones whose figures the user may see."""
    return list(
        Territory.objects.restrict(user, "view")
        .filter(kind=TerritoryKind.ZONE, path__startswith=city.path)
        .order_by("sort_order", "code")
    )


def zone_for(*, user: Any, city: Territory, code: str) -> Territory:
    """A zone of the city the user may see, or 404."""
    for zone in visible_zones(user=user, city=city):
        if zone.code == code:
            return zone
    raise Http404


def cities_for(user: Any) -> list[Territory]:
    """The cities whose zones the user may see (a zone user's city comes with its zone)."""
    paths = {z.path for z in Territory.objects.restrict(user, "view").filter(kind=TerritoryKind.ZONE)}
    cities = Territory.objects.filter(kind=TerritoryKind.CITY).order_by("sort_order", "code")
    return [c for c in cities if any(p.startswith(c.path) for p in paths)]


def latest_month(city: Territory) -> tuple[int, int] | None:
    """The latest month that most of the city's enterprises have reported (more than half of the busiest
    month's reporters): a month in which only a few early reporters have filed is not yet the one to show."""
    from django.db.models import Count

    from kunlu.indicators.models import UnitObservation

    counts = list(
        UnitObservation.objects.filter(territory__path__startswith=city.path, superseded_at__isnull=True)
        .values("period__year", "period__month")
        .annotate(reporters=Count("enterprise", distinct=True))
        .order_by("-period__year", "-period__month")[:36]
    )
    if not counts:
        return None
    busiest = max(c["reporters"] for c in counts)
    latest = next(c for c in counts if c["reporters"] * 2 > busiest)
    return latest["period__year"], latest["period__month"]


def usd_rate(year: int, month: int) -> Any:
    """The exchange rate to show a 美元 figure's 人民币 estimate for month M: that month's, else the latest
    before it; None when the table has none (nothing is converted without a dated rate)."""
    from kunlu.indicators.models import ExchangeRate

    return (
        ExchangeRate.objects.filter(currency="USD")
        .filter(Q(period__year__lt=year) | Q(period__year=year, period__month__lte=month))
        .select_related("period")
        .order_by("-period__year", "-period__month")
        .first()
    )
