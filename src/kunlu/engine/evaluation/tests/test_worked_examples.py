"""docs/domain.md §1.10: the worked example of the Huai'an method (R1), under the shipped rule set."""

from __future__ import annotations

from decimal import Decimal

from kunlu.engine.evaluation import (
    BandBasis,
    EnterpriseRow,
    evaluate,
    load_ruleset_file,
    shipped_ruleset_path,
)
from kunlu.engine.evaluation.tests.helpers import build, firm

HUAIAN = load_ruleset_file(shipped_ruleset_path("huaian-2024"))


def county_last_year() -> list[EnterpriseRow]:
    """Two firms of one county whose totals give the county means 15 万元/亩, 300 万元/亩, 0.5 万元/吨标煤."""
    return [
        firm("p1", tax=10, sales=200, land_mu=1, energy_tce=20, years_in_production=5),
        firm("p2", tax=20, sales=400, land_mu=1, energy_tce=40, years_in_production=5),
    ]


def test_huaian_score_is_83() -> None:
    """Benchmarks 2 × (15, 300, 0.5) = 30, 600, 1.0; firm 24, 480, 0.8, bonus +3 → 36 + 28 + 16 + 3 = 83."""
    example = firm(
        "f", tax=240, sales=4800, land_mu=10, energy_tce=300, bonus_safety=3, years_in_production=5
    )
    result = evaluate(HUAIAN, [example], reference=county_last_year()).results[0]
    tax, sales, green = result.indicators
    assert [trace.benchmark for trace in result.indicators] == [30, 600, Decimal("1.0")]
    assert [trace.value for trace in result.indicators] == [24, 480, Decimal("0.8")]
    assert [trace.ratio for trace in result.indicators] == [Decimal("0.8")] * 3
    assert (tax.points, sales.points, green.points) == (Decimal(36), Decimal(28), Decimal(16))
    assert result.indicator_points == 80 and result.bonus_points == 3 and result.deduction_points == 0
    assert result.total == 83
    assert [(item.code, int(item.points)) for item in result.bonuses] == [("safety", 3)]


def test_huaian_bands_of_120_graded_firms() -> None:
    """N = 120: A = ranks 1–24, B = 25–72, C = 73–114, D = 115–120."""
    ruleset = build(
        indicators=[{"formula": "tax_per_mu", "weight": 100, "benchmark": {"kind": "fixed", "value": 1}}],
        banding={
            "method": "percentile",
            "bands": [
                {"code": "A", "name": "优先发展", "top_percent": 20},
                {"code": "B", "name": "鼓励提升", "top_percent": 60},
                {"code": "C", "name": "监管调控", "top_percent": 95},
                {"code": "D", "name": "落后整治"},
            ],
        },
    )
    firms = [firm(number, tax=1000 - number, sales=1) for number in range(1, 121)]
    results = {item.rank: item.band for item in evaluate(ruleset, firms).results}
    expected = {
        rank: "A" if rank <= 24 else "B" if rank <= 72 else "C" if rank <= 114 else "D"
        for rank in range(1, 121)
    }
    assert results == expected
    assert sorted(rank for rank in results if rank is not None) == list(range(1, 121))


def test_huaian_bands_under_the_shipped_rule_set() -> None:
    """The same cut-offs from the shipped file: 120 firms of one county, distinct scores."""
    last_year = county_last_year()
    firms = [
        firm(n, tax=n, sales=20 * n, land_mu=1, energy_tce=2 * n, years_in_production=5)
        for n in range(1, 121)
    ]
    result = evaluate(HUAIAN, firms, reference=last_year)
    assert result.band_counts() == {"A": 24, "B": 48, "C": 42, "D": 6}
    best = result.results[0]
    assert (best.enterprise_id, best.rank, best.graded_count, best.band) == (120, 1, 120, "A")
    assert best.band_basis is BandBasis.PERCENTILE
    assert best.band_reason == "排名第1名/共120名，A（优先发展）为前20%：第1–24名"
