"""The arithmetic of 数据得地 and of commitment verification, as small pure functions (no database).

- criterion points: linear between a floor (0 points) and a target (full points), banded, or by category;
- shortfall: how far a measured value falls short of a commitment, direction aware;
- the remedy a rule gives for a shortfall (整改期, 违约金 = 出让价款 × 差额比例 × 系数, 回购/收回);
- the national idle-land steps (闲置土地处置办法): one year late → idle fee of 20% of the land price,
  two years → recovered without compensation.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)

IDLE_FEE_RATE = Decimal("0.2")
"""闲置费: 20% of the land price when construction has not started one full year after the agreed date."""


@dataclass(frozen=True)
class Points:
    """What one criterion gives an applicant: the points, the share of full points, and why."""

    points: Decimal
    fraction: Decimal
    note: str


def linear_points(value: Decimal, *, weight: Decimal, floor: Decimal, target: Decimal) -> Points:
    """Linear between floor (0 points) and target (full points), clipped; works both ways (floor > target
    scores lower-is-better figures such as energy per unit of output)."""
    fraction = (value - floor) / (target - floor)
    fraction = min(ONE, max(ZERO, fraction))
    return Points(weight * fraction, fraction, "")


def banded_points(value: Decimal, *, weight: Decimal, bands: Sequence[dict[str, Any]]) -> Points:
    """The points of the highest band whose lower bound the value reaches (0 below every band)."""
    best: dict[str, Any] | None = None
    for band in bands:
        low = Decimal(str(band["min"]))
        if value >= low and (best is None or low > Decimal(str(best["min"]))):
            best = band
    if best is None:
        return Points(ZERO, ZERO, "")
    points = min(weight, Decimal(str(best["points"])))
    return Points(points, points / weight, f"≥{best['min']}")


def categorical_points(label: str, *, weight: Decimal, bands: Sequence[dict[str, Any]]) -> Points:
    """The points set for the applicant's category (0 when its category is not listed)."""
    for band in bands:
        if str(band["label"]) == label:
            points = min(weight, Decimal(str(band["points"])))
            return Points(points, points / weight, label)
    return Points(ZERO, ZERO, label)


def shortfall(*, committed: Decimal, measured: Decimal, at_least: bool) -> Decimal:
    """How far the measured value falls short of the commitment, as a share of the commitment (0 when
    met): below it for a ≥ commitment, above it for a ≤ commitment."""
    if committed == 0:
        return ZERO if (measured >= 0 if at_least else measured <= 0) else ONE
    gap = (committed - measured) if at_least else (measured - committed)
    return max(ZERO, gap / abs(committed))


def rule_applies(
    *,
    shortfall_pct: Decimal,
    failures: int,
    min_pct: Decimal,
    max_pct: Decimal | None,
    min_failures: int | None,
) -> bool:
    """A rule with a failure count applies once the commitment has failed that often; otherwise when the
    shortfall (in %) lies in [min, max)."""
    if min_failures is not None:
        return failures >= min_failures
    return shortfall_pct >= min_pct and (max_pct is None or shortfall_pct < max_pct)


def penalty(*, price_wan: Decimal, shortfall_share: Decimal, rate: Decimal) -> Decimal:
    """违约金 = 出让价款 × 差额比例 × 合同约定系数 (万元)."""
    return price_wan * shortfall_share * rate


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it has no such day)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
