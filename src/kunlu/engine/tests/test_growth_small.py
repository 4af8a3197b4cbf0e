"""拉动, 贡献率, 两位数增长, 占比提升 and enterprise contributions in the tiny city, by hand."""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pytest

from kunlu.engine import highlight_counts, unit_contributions, zone_growth
from kunlu.engine.compare import doubles_equal
from kunlu.engine.duckdb_backend import DuckDBBackend
from kunlu.engine.tests.tiny import MONTH, tiny_city


@pytest.fixture(scope="module")
def backend() -> DuckDBBackend:
    """DuckDB over the tiny city."""
    return DuckDBBackend(tiny_city())


def rows(table: pa.Table, indicator: str) -> dict[str, dict[str, Any]]:
    """The rows of one indicator, by zone code."""
    return {r["zone_code"]: r for r in table.to_pylist() if r["indicator_code"] == indicator}


def close(a: float | None, b: float | None) -> bool:
    """Equal under the benchmark's comparison rule."""
    return doubles_equal(a, b)


def test_zone_pulls_and_contributions(backend: DuckDBBackend) -> None:
    table = zone_growth(backend, MONTH)
    a = rows(table, "A")  # city comparable base 70, increment −35
    assert [a[z]["increment"] for z in ("Z1", "Z2", "Z3", "CITY")] == [0.0, -35.0, 0.0, -35.0]
    assert [a[z]["pull_pp"] for z in ("Z1", "Z2", "Z3", "CITY")] == [0.0, -50.0, 0.0, -50.0]
    assert a["Z2"]["contribution_rate"] == 1.0
    g = rows(table, "G")  # city comparable base 300, increment 35
    assert close(g["Z1"]["pull_pp"], 20 / 3)
    assert close(g["Z3"]["pull_pp"], 10 / 3)
    assert close(g["CITY"]["pull_pp"], 35 / 3)
    assert close(g["Z1"]["contribution_rate"], 20 / 35)
    assert close(sum(g[z]["pull_pp"] for z in ("Z1", "Z2", "Z3")), g["CITY"]["pull_pp"])


def test_no_pull_without_a_base_and_no_contribution_without_a_change(backend: DuckDBBackend) -> None:
    table = zone_growth(backend, MONTH)
    assert rows(table, "R")["Z3"]["pull_pp"] is None  # nothing last year
    assert rows(table, "B")["Z1"]["contribution_rate"] is None  # the city did not change


def test_double_digit_growth_and_share_rose_flags(backend: DuckDBBackend) -> None:
    g = rows(zone_growth(backend, MONTH), "G")
    assert [g[z]["double_digit_growth"] for z in ("Z1", "Z2", "Z3", "CITY")] == [True, False, True, True]
    assert [g[z]["share_rose"] for z in ("Z1", "Z2", "Z3", "CITY")] == [True, False, False, False]
    r = rows(zone_growth(backend, MONTH), "R")
    assert r["Z3"]["double_digit_growth"] is False  # no growth rate is no double-digit growth
    assert r["Z3"]["share_rose"] is False  # no share last year


def test_highlight_counts_per_zone(backend: DuckDBBackend) -> None:
    counts = highlight_counts(backend, MONTH).to_pylist()
    assert counts == [
        {"zone_code": "Z1", "double_digit_count": 1, "share_up_count": 2},  # G; shares of A and G rose
        {"zone_code": "Z2", "double_digit_count": 0, "share_up_count": 0},
        {"zone_code": "Z3", "double_digit_count": 1, "share_up_count": 0},  # G at exactly +10%
        {"zone_code": "CITY", "double_digit_count": 1, "share_up_count": 0},
    ]


def test_enterprise_contributions_to_their_zone(backend: DuckDBBackend) -> None:
    table = unit_contributions(backend, MONTH, top_n=2).to_pylist()
    keys = [(r["indicator_code"], r["zone_code"], r["rank"], r["unit_id"]) for r in table]
    assert keys == [
        ("A", "Z1", 1, 1),  # unit 2 stopped reporting: not in the comparable set
        ("A", "Z2", 1, 3),
        ("A", "Z2", 2, 4),
        ("B", "Z1", 1, 1),
        ("B", "Z2", 1, 3),
        ("G", "Z1", 1, 1),
        ("G", "Z2", 1, 3),
        ("G", "Z3", 1, 5),
        ("R", "Z3", 1, 5),
    ]
    entrant, shrinking = table[1], table[2]  # zone Z2, A: base 40, increment −35
    assert (entrant["increment"], entrant["pull_pp"]) == (5.0, 12.5)
    assert close(entrant["contribution_rate"], -1 / 7)
    assert (shrinking["increment"], shrinking["pull_pp"]) == (-40.0, -100.0)
    assert close(shrinking["contribution_rate"], 8 / 7)
    assert table[0]["contribution_rate"] is None  # zone Z1's A did not change


def test_top_n_keeps_the_largest_increments(backend: DuckDBBackend) -> None:
    table = unit_contributions(backend, MONTH, top_n=1).to_pylist()
    assert [
        (r["indicator_code"], r["zone_code"], r["unit_id"]) for r in table if r["indicator_code"] == "A"
    ] == [
        ("A", "Z1", 1),
        ("A", "Z2", 3),
    ]


def test_top_n_must_be_positive() -> None:
    with pytest.raises(ValueError, match="top_n"):
        unit_contributions(DuckDBBackend(tiny_city()), MONTH, top_n=0)
