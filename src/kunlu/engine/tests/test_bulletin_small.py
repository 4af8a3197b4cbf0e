"""The bulletin of the hand-made city in tiny.py, worked out by hand, row by row (DuckDB)."""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pytest

from kunlu.engine import bulletin
from kunlu.engine.bulletin import BULLETIN_COLUMNS
from kunlu.engine.compare import differences
from kunlu.engine.duckdb_backend import DuckDBBackend
from kunlu.engine.tests.tiny import MONTH, tiny_city

T = 0.25  # 序时进度 after March
NA = None  # NULL

# zone, indicator, month, ytd, prior, yoy_nominal, comp_ytd, comp_prior, yoy_comparable, share,
# rank_ytd, rank_yoy, target, target_completion, time_progress, progress_gap_pp
A_DONE, G_DONE = 35 / 90, 335 / 300  # the city's target completion of A and G

# fmt: off
EXPECTED: list[tuple[Any, ...]] = [
    # A: u1 30 vs 30; u2 left (20 last year); u3 entered with 5; u4 40 last year, 0 this year.
    ("Z1", "A", 18.0, 30.0, 50.0, -0.4, 30.0, 30.0, 0.0, 30 / 35, 1, 1, 60.0, 0.5, T, 25.0),
    ("Z2", "A", 0.0, 5.0, 40.0, -0.875, 5.0, 40.0, -0.875, 5 / 35, 2, 2, 10.0, 0.5, T, 25.0),
    ("Z3", "A", 0.0, 0.0, 0.0, NA, 0.0, 0.0, NA, 0.0, 3, 3, 20.0, 0.0, T, -25.0),
    ("CITY", "A", 18.0, 35.0, 90.0, 35 / 90 - 1, 35.0, 70.0, -0.5, 1.0, NA, NA, 90.0, A_DONE, T,
     (A_DONE - T) * 100),
    # B: equal values are ranked by zone code; a target of 0 gives no completion; Z3 has no target.
    ("Z1", "B", 10.0, 10.0, 10.0, 0.0, 10.0, 10.0, 0.0, 0.5, 1, 1, 20.0, 0.5, T, 25.0),
    ("Z2", "B", 0.0, 10.0, 10.0, 0.0, 10.0, 10.0, 0.0, 0.5, 2, 2, 0.0, NA, T, NA),
    ("Z3", "B", 0.0, 0.0, 0.0, NA, 0.0, 0.0, NA, 0.0, 3, 3, NA, NA, T, NA),
    ("CITY", "B", 10.0, 20.0, 20.0, 0.0, 20.0, 20.0, 0.0, 1.0, NA, NA, NA, NA, T, NA),
    # G: +20%, +5% (two facts in one month, both counted), +10%.
    ("Z1", "G", 0.0, 120.0, 100.0, 0.2, 120.0, 100.0, 0.2, 120 / 335, 1, 1, 100.0, 1.2, T, 95.0),
    ("Z2", "G", 0.0, 105.0, 100.0, 0.05, 105.0, 100.0, 0.05, 105 / 335, 3, 3, 100.0, 1.05, T, 80.0),
    ("Z3", "G", 110.0, 110.0, 100.0, 0.1, 110.0, 100.0, 0.1, 110 / 335, 2, 2, 100.0, 1.1, T, 85.0),
    ("CITY", "G", 110.0, 335.0, 300.0, G_DONE - 1, 335.0, 300.0, G_DONE - 1, 1.0, NA, NA, 300.0, G_DONE, T,
     (G_DONE - T) * 100),
    # N: no facts anywhere: zeros, no growth, no share (the city's total is 0), ranks by zone code.
    ("Z1", "N", 0.0, 0.0, 0.0, NA, 0.0, 0.0, NA, NA, 1, 1, 1.0, 0.0, T, -25.0),
    ("Z2", "N", 0.0, 0.0, 0.0, NA, 0.0, 0.0, NA, NA, 2, 2, 2.0, 0.0, T, -25.0),
    ("Z3", "N", 0.0, 0.0, 0.0, NA, 0.0, 0.0, NA, NA, 3, 3, 3.0, 0.0, T, -25.0),
    ("CITY", "N", 0.0, 0.0, 0.0, NA, 0.0, 0.0, NA, NA, NA, NA, 6.0, 0.0, T, -25.0),
    # R: one new unit in Z3; only last year's targets exist, which this year's bulletin ignores.
    ("Z1", "R", 0.0, 0.0, 0.0, NA, 0.0, 0.0, NA, 0.0, 2, 1, NA, NA, T, NA),
    ("Z2", "R", 0.0, 0.0, 0.0, NA, 0.0, 0.0, NA, 0.0, 3, 2, NA, NA, T, NA),
    ("Z3", "R", 0.0, 7.0, 0.0, NA, 7.0, 0.0, NA, 1.0, 1, 3, NA, NA, T, NA),
    ("CITY", "R", 0.0, 7.0, 0.0, NA, 7.0, 0.0, NA, 1.0, NA, NA, NA, NA, T, NA),
]
# fmt: on


def expected_table() -> pa.Table:
    """EXPECTED as a table with the output schema."""
    columns = list(zip(*EXPECTED, strict=True))
    return pa.table(
        {
            name: pa.array(values, type=pa.type_for_alias(kind))
            for (name, kind), values in zip(BULLETIN_COLUMNS, columns, strict=True)
        }
    )


@pytest.fixture(scope="module")
def table() -> pa.Table:
    """The tiny city's bulletin for 2025, months 1–3, on DuckDB."""
    return bulletin(DuckDBBackend(tiny_city()), MONTH)


def row(table: pa.Table, zone: str, indicator: str) -> dict[str, Any]:
    """One row of the bulletin as a dict."""
    rows = [r for r in table.to_pylist() if r["zone_code"] == zone and r["indicator_code"] == indicator]
    assert len(rows) == 1
    found: dict[str, Any] = rows[0]
    return found


def test_every_row_and_column_matches_the_hand_computation(table: pa.Table) -> None:
    assert differences(table, expected_table()) == []


def test_schema_is_the_specified_one(table: pa.Table) -> None:
    assert [(f.name, str(f.type)) for f in table.schema] == [
        (name, "int64" if kind == "int64" else kind) for name, kind in BULLETIN_COLUMNS
    ]


def test_rows_are_zones_times_indicators_plus_city_in_order(table: pa.Table) -> None:
    keys = list(zip(table["indicator_code"].to_pylist(), table["zone_code"].to_pylist(), strict=True))
    assert keys == [(i, z) for i in "ABGNR" for z in ("Z1", "Z2", "Z3", "CITY")]


def test_facts_outside_the_city_or_the_windows_are_ignored(table: pa.Table) -> None:
    # Unit 6 (zone ZX), unit 999 (not in units), IX (not an indicator), 2023-12, 2024-04, 2025-04.
    assert row(table, "CITY", "A")["ytd_value"] == 35.0
    assert row(table, "CITY", "A")["prior_ytd_value"] == 90.0
    assert "IX" not in table["indicator_code"].to_pylist()


def test_a_unit_that_left_is_in_nominal_but_not_comparable_prior(table: pa.Table) -> None:
    z1 = row(table, "Z1", "A")
    assert (z1["prior_ytd_value"], z1["comp_prior"]) == (50.0, 30.0)


def test_a_zero_fact_this_year_keeps_the_unit_in_the_comparable_set(table: pa.Table) -> None:
    assert row(table, "Z2", "A")["comp_prior"] == 40.0


def test_city_target_needs_every_zone_and_ignores_other_zones_and_years(table: pa.Table) -> None:
    assert row(table, "CITY", "A")["target"] == 90.0  # not 590: ZX is no zone of the city
    assert row(table, "CITY", "B")["target"] is None  # Z3 has no target for B
    assert row(table, "CITY", "R")["target"] is None  # 2024 targets only
    assert row(table, "Z1", "A")["target"] == 60.0  # not the 2024 target of 999


def test_no_nan_anywhere(table: pa.Table) -> None:
    for name, kind in BULLETIN_COLUMNS:
        if kind == "double":
            assert all(v == v for v in table[name].to_pylist() if v is not None), name
