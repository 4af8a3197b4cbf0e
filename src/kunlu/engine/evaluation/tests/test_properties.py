"""Invariants of the engine over random small counties (hypothesis)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from kunlu.engine.evaluation import EnterpriseRow, RuleSet, evaluate, load_ruleset_file, shipped_ruleset_path
from kunlu.engine.evaluation.tests.helpers import build, firm

HUAIAN = load_ruleset_file(shipped_ruleset_path("huaian-2024"))
examples = settings(max_examples=60, deadline=None)

# Values as departments report them: two decimals, non-negative, sometimes exactly 0 or missing.
amounts = st.one_of(
    st.none(), st.just(Decimal(0)), st.integers(0, 10**7).map(lambda cents: Decimal(cents) / 100)
)
lands = st.integers(1, 10**5).map(lambda hundredths: Decimal(hundredths) / 100)
regions = st.sampled_from(["甲区", "乙区"])


@st.composite
def county(draw: st.DrawFn, size: int = 30) -> list[EnterpriseRow]:
    count = draw(st.integers(1, size))
    return [
        firm(
            number,
            region=draw(regions),
            land_mu=draw(lands),
            tax=draw(amounts),
            sales=draw(amounts),
            energy_tce=draw(amounts),
            years_in_production=5,
            bonus_innovation=draw(st.sampled_from([None, 1, 3])),
        )
        for number in range(count)
    ]


def capped_ruleset(cap: int, floor: int) -> RuleSet:
    limits = {"cap": {"multiple_of_weight": cap}, "floor": {"points": floor}}
    current = {"period": "current"}
    indicators = [
        {"formula": "tax_per_mu", "weight": 45, "benchmark": {"kind": "mean", "group": "region", **current}},
        {"formula": "sales_per_mu", "weight": 35, "benchmark": {"kind": "median", **current}},
        {"formula": "tax_per_energy", "weight": 20, "benchmark": {"kind": "max", **current}},
    ]
    indicators[2]["missing"] = {"treatment": "mean"}
    return build(indicators=[{**indicator, **limits} for indicator in indicators])


@examples
@given(county(), st.integers(1, 3), st.integers(0, 5))
def test_points_stay_within_cap_and_floor(rows: list[EnterpriseRow], cap: int, floor: int) -> None:
    for result in evaluate(capped_ruleset(cap, floor), rows).results:
        for trace in result.indicators:
            if trace.missing is None:
                assert min(Decimal(floor), cap * trace.weight) <= trace.points <= cap * trace.weight
            else:
                assert 0 <= trace.points <= cap * trace.weight
        assert (
            result.total
            == sum(t.points for t in result.indicators) + result.bonus_points - result.deduction_points
        )


@examples
@given(county(), county())
def test_bands_are_monotone_in_the_total(rows: list[EnterpriseRow], last_year: list[EnterpriseRow]) -> None:
    """Within a county: a higher total never has a worse band or rank; bands follow ceil(p·N) of the rank."""
    result = evaluate(HUAIAN, rows, reference=last_year)
    order = {"A": 0, "B": 1, "C": 2, "D": 3}
    for region in ("甲区", "乙区"):
        members = [r for r in result.results if r.ranking_group == region]
        for better in members:
            for worse in members:
                if better.total > worse.total:
                    assert order[better.band] <= order[worse.band]
                    assert better.rank is not None and worse.rank is not None and better.rank < worse.rank
                if better.total == worse.total:
                    assert better.rank == worse.rank and better.band == worse.band
        count = len(members)
        for member in members:
            assert member.rank is not None and member.graded_count == count
            cut = [-(-share * count // 100) for share in (20, 60, 95)]  # ceil(p·N)
            expected = (
                "A"
                if member.rank <= cut[0]
                else "B"
                if member.rank <= cut[1]
                else "C"
                if member.rank <= cut[2]
                else "D"
            )
            assert member.band == expected


@examples
@given(county(), county(), st.sampled_from([Decimal(10000), Decimal("0.0001"), Decimal(10)]))
def test_units_do_not_change_scores(
    rows: list[EnterpriseRow], last_year: list[EnterpriseRow], factor: Decimal
) -> None:
    """Relative benchmarks: every amount in another unit (元 or 亿元, not 万元) scores the same."""

    def scaled(items: list[EnterpriseRow]) -> list[EnterpriseRow]:
        out = []
        for item in items:
            inputs = dict(item.inputs)
            for key in ("tax", "sales", "energy_tce"):
                value = inputs.get(key)
                inputs[key] = None if value is None else value * factor  # type: ignore[operator]
            out.append(EnterpriseRow(id=item.id, industry=item.industry, region=item.region, above_scale=True,
                                     inputs=inputs))  # fmt: skip
        return out

    plain = evaluate(HUAIAN, rows, reference=last_year)
    other = evaluate(HUAIAN, scaled(rows), reference=scaled(last_year))
    assert [(r.enterprise_id, r.rank, r.band) for r in plain.results] == [
        (r.enterprise_id, r.rank, r.band) for r in other.results
    ]
    assert [r.total for r in plain.results] == [r.total for r in other.results]


@examples
@given(st.lists(st.integers(1, 99), min_size=2, max_size=5))
def test_at_the_benchmark_every_firm_scores_100(parts: list[int]) -> None:
    """Weights summing to 100: a firm exactly at every benchmark scores exactly 100, however split."""
    formulas = ["tax_per_mu", "sales_per_mu", "output_per_mu", "value_added_per_mu", "revenue_per_mu"]
    total = sum(parts)
    weights = [Decimal(part) * 100 / total for part in parts]
    weights[-1] = Decimal(100) - sum(weights[:-1], Decimal(0))
    indicators = [
        {"formula": formula, "weight": str(weight), "benchmark": {"kind": "fixed", "value": 7}}
        for formula, weight in zip(formulas, weights, strict=False)
    ]
    result = evaluate(
        build(indicators=indicators),
        [firm(1, land_mu=2, tax=14, sales=14, output=14, value_added=14, revenue=14)],
    )
    assert result.results[0].total == 100
