"""Invariants of the bulletin over random small cities (hypothesis, DuckDB)."""

from __future__ import annotations

import math
from typing import Any

import pyarrow as pa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kunlu.engine import ArrowTables, ReportingMonth, bulletin, zone_growth
from kunlu.engine.duckdb_backend import DuckDBBackend

MONTH = ReportingMonth(2025, 4)
ZONES = ["Z1", "Z2", "Z3"]
INDICATORS = ["A", "B"]
CURRENT = [202501, 202502, 202503, 202504]
PRIOR = [202401, 202402, 202403, 202404]
OUTSIDE = [202312, 202405, 202412, 202505]
UNITS = range(1, 9)

# Values as statistics offices publish them: non-negative, two decimals, sometimes exactly 0.
values = st.one_of(st.just(0.0), st.integers(0, 10**8).map(lambda cents: cents / 100))
examples = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def city(unit_zones: list[str], facts: list[tuple[int, str, int, float]]) -> ArrowTables:
    """Input tables for units 1..8 in the given zones and the given facts (no targets)."""
    unit_id, indicator, period, value = zip(*facts, strict=True) if facts else ((), (), (), ())
    return ArrowTables(
        {
            "zones": pa.table({"zone_code": ZONES}),
            "units": pa.table({"unit_id": pa.array(list(UNITS), pa.int64()), "zone_code": unit_zones}),
            "indicators": pa.table({"indicator_code": INDICATORS}),
            "facts": pa.table(
                {
                    "unit_id": pa.array(unit_id, pa.int64()),
                    "indicator_code": pa.array(indicator, pa.string()),
                    "period": pa.array(period, pa.int32()),
                    "value": pa.array(value, pa.float64()),
                }
            ),
            "targets": pa.table(
                {
                    "zone_code": pa.array([], pa.string()),
                    "indicator_code": pa.array([], pa.string()),
                    "year": pa.array([], pa.int32()),
                    "target": pa.array([], pa.float64()),
                }
            ),
        }
    )


unit_zones = st.lists(st.sampled_from(ZONES), min_size=len(UNITS), max_size=len(UNITS))
any_facts = st.lists(
    st.tuples(
        st.sampled_from(list(UNITS)),
        st.sampled_from(INDICATORS),
        st.sampled_from(CURRENT + PRIOR + OUTSIDE),
        values,
    ),
    max_size=40,
)


@st.composite
def steady_facts(draw: st.DrawFn) -> list[tuple[int, str, int, float]]:
    """Facts where every unit that reports an indicator does so in both years (the unit set is unchanged)."""
    facts = []
    for unit in UNITS:
        for indicator in draw(st.sets(st.sampled_from(INDICATORS))):
            for window in (CURRENT, PRIOR):
                months = draw(st.lists(st.sampled_from(window), min_size=1, max_size=4))
                facts += [(unit, indicator, period, draw(values)) for period in months]
    return facts


def by_indicator(table: pa.Table) -> dict[str, list[dict[str, Any]]]:
    """Rows grouped by indicator, zones first and the CITY row last."""
    grouped: dict[str, list[dict[str, Any]]] = {}
    for r in table.to_pylist():
        grouped.setdefault(r["indicator_code"], []).append(r)
    return grouped


def near(a: float, b: float, scale: float) -> bool:
    """Equal up to rounding of sums whose terms are as large as `scale`."""
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9 * scale + 1e-12)


@examples
@given(unit_zones=unit_zones, facts=any_facts)
def test_zone_shares_sum_to_one_and_zone_sums_to_the_city(
    unit_zones: list[str], facts: list[tuple[int, str, int, float]]
) -> None:
    table = bulletin(DuckDBBackend(city(unit_zones, facts)), MONTH)
    for rows in by_indicator(table).values():
        *zones, total = rows
        assert total["zone_code"] == "CITY"
        for column in ("month_value", "ytd_value", "prior_ytd_value", "comp_prior"):
            assert near(sum(z[column] for z in zones), total[column], total[column])
        if total["ytd_value"] == 0:
            assert all(r["share_of_city"] is None for r in rows)
        else:
            assert near(sum(z["share_of_city"] for z in zones), 1.0, 1.0)
            assert total["share_of_city"] == 1.0


@examples
@given(unit_zones=unit_zones, facts=steady_facts())
def test_comparable_growth_is_nominal_growth_when_the_units_are_unchanged(
    unit_zones: list[str], facts: list[tuple[int, str, int, float]]
) -> None:
    table = bulletin(DuckDBBackend(city(unit_zones, facts)), MONTH)
    for r in table.to_pylist():
        assert near(r["comp_prior"], r["prior_ytd_value"], r["prior_ytd_value"])
        if r["yoy_nominal"] is None or r["yoy_comparable"] is None:
            assert r["yoy_nominal"] is r["yoy_comparable"] is None
        else:
            assert near(r["yoy_comparable"], r["yoy_nominal"], 1.0 + abs(r["yoy_nominal"]))


@examples
@given(unit_zones=unit_zones, facts=any_facts)
def test_zone_pulls_add_up_to_the_city_growth(
    unit_zones: list[str], facts: list[tuple[int, str, int, float]]
) -> None:
    table = zone_growth(DuckDBBackend(city(unit_zones, facts)), MONTH)
    for rows in by_indicator(table).values():
        *zones, total = rows
        if total["pull_pp"] is None:
            continue
        assert near(total["pull_pp"], 100 * total["yoy_comparable"], abs(total["pull_pp"]))
        scale = sum(abs(z["pull_pp"]) for z in zones)
        assert near(sum(z["pull_pp"] for z in zones), total["pull_pp"], scale)
