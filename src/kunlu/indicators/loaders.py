"""Turn the database into the engine's five input tables (zones, units, indicators, facts, targets).

The engine knows nothing of Django; this is the one place that reads the facts for it. Facts are read as
they stood at a moment (as-of) and converted to 当月 values: an enterprise that reports 1–N月累计 gives
its month value as the difference from its previous cumulative figure of the same year, so a 1–2月 figure
lands on February whole, as the trade reports it (domain notes §3.3).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal

import pyarrow as pa

from kunlu.core.models import Territory, TerritoryKind
from kunlu.core.versions import as_of
from kunlu.engine.sources import ArrowTables
from kunlu.indicators.choices import Additivity, Basis
from kunlu.indicators.models import Indicator, Target, UnitObservation

Key = tuple[int, str, int]  # unit, indicator, year


def zones_of(city: Territory) -> list[Territory]:
    """The zones that partition a city, in their display order."""
    return list(
        Territory.objects.filter(kind=TerritoryKind.ZONE, path__startswith=city.path).order_by(
            "sort_order", "code"
        )
    )


def _zone_code_of(path: str, zone_paths: list[tuple[str, str]]) -> str | None:
    for zone_path, code in zone_paths:
        if path.startswith(zone_path):
            return code
    return None


def month_values(
    rows: Iterable[tuple[int, str, int, int, str, Decimal]],
) -> list[tuple[int, str, int, float]]:
    """(unit, indicator, year, month, basis, value) rows → (unit, indicator, YYYYMM, 当月 value).

    当月 rows pass through; 累计 rows become the difference from the unit's previous cumulative value of
    the same year for the same indicator (the first one of a year is taken whole).
    """
    facts: list[tuple[int, str, int, float]] = []
    cumulative: dict[Key, list[tuple[int, Decimal]]] = defaultdict(list)
    for unit, indicator, year, month, basis, value in rows:
        if basis == Basis.MONTH:
            facts.append((unit, indicator, year * 100 + month, float(value)))
        else:
            cumulative[(unit, indicator, year)].append((month, value))
    for (unit, indicator, year), points in cumulative.items():
        previous = Decimal(0)
        for month, value in sorted(points):
            facts.append((unit, indicator, year * 100 + month, float(value - previous)))
            previous = value
    return facts


def engine_tables(*, city: Territory, year: int, moment: datetime | None = None) -> ArrowTables:
    """The engine's input for the city's zones, years `year`−1 and `year`, as the facts stood at `moment`.

    This reads system-wide (every zone is needed for shares and ranks); callers narrow the engine's output
    to the rows the user may see.
    """
    zones = zones_of(city)
    zone_paths = sorted(((z.path, z.code) for z in zones), key=lambda p: -len(p[0]))
    indicators = list(
        Indicator.objects.filter(is_active=True, additivity=Additivity.SUM).values_list("code", flat=True)
    )
    facts_qs = as_of(UnitObservation.objects.all(), moment).filter(
        period__year__in=[year - 1, year],
        territory__path__startswith=city.path,
        indicator__code__in=indicators,
    )
    units: dict[int, str] = {}
    rows = []
    for unit, path, indicator, y, m, basis, value in facts_qs.values_list(
        "enterprise_id",
        "territory__path",
        "indicator__code",
        "period__year",
        "period__month",
        "basis",
        "value",
    ).iterator(chunk_size=5000):
        zone_code = _zone_code_of(path, zone_paths)
        if zone_code is None:
            continue
        units.setdefault(unit, zone_code)
        rows.append((unit, indicator, y, m, basis, value))
    facts = month_values(rows)
    targets = as_of(Target.objects.all(), moment).filter(
        year__in=[year - 1, year], territory__in=zones, indicator__code__in=indicators
    )
    return ArrowTables(
        {
            "zones": pa.table(
                {
                    "zone_code": pa.array([z.code for z in zones], pa.string()),
                    "zone_name": pa.array([z.name for z in zones], pa.string()),
                }
            ),
            "units": pa.table(
                {
                    "unit_id": pa.array(list(units), pa.int64()),
                    "zone_code": pa.array(list(units.values()), pa.string()),
                }
            ),
            "indicators": pa.table({"indicator_code": pa.array(indicators, pa.string())}),
            "facts": pa.table(
                {
                    "unit_id": pa.array([f[0] for f in facts], pa.int64()),
                    "indicator_code": pa.array([f[1] for f in facts], pa.string()),
                    "period": pa.array([f[2] for f in facts], pa.int32()),
                    "value": pa.array([f[3] for f in facts], pa.float64()),
                }
            ),
            "targets": pa.table(
                {
                    "zone_code": pa.array(
                        [t.territory.code for t in targets.select_related("territory")], pa.string()
                    ),
                    "indicator_code": pa.array(
                        [t.indicator.code for t in targets.select_related("indicator")], pa.string()
                    ),
                    "year": pa.array([t.year for t in targets], pa.int32()),
                    "target": pa.array([float(t.value) for t in targets], pa.float64()),
                }
            ),
        }
    )
