"""The engine's rules one by one: scope, benchmarks, points, missing data, adjustments, vetoes, bands."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from decimal import Decimal as D
from typing import Any

import pytest

from kunlu.engine.evaluation import (
    BandBasis,
    Capping,
    EvaluationError,
    EvaluationResult,
    RuleSetError,
    Track,
    evaluate,
    explain,
    load_ruleset,
    load_ruleset_file,
    shipped_ruleset_path,
    to_arrow,
)
from kunlu.engine.evaluation.ruleset import MissingTreatment
from kunlu.engine.evaluation.tests.helpers import build, docs_example, firm

HUAIAN = load_ruleset_file(shipped_ruleset_path("huaian-2024"))
ONE = [{"formula": "tax_per_mu", "weight": 100, "benchmark": {"kind": "fixed", "value": 10}}]


def one(benchmark: dict[str, Any] | None = None, **indicator: Any) -> list[dict[str, Any]]:
    return [
        {
            "formula": "tax_per_mu",
            "weight": 100,
            "benchmark": benchmark or {"kind": "fixed", "value": 10},
            **indicator,
        }
    ]


# ----------------------------------------------------------------------------------------------- scope


def test_huaian_scope_reasons() -> None:
    last_year = [firm("p", tax=10, sales=100, energy_tce=10, years_in_production=5)]
    rows = [
        firm("in-big", tax=5, sales=50, energy_tce=5, years_in_production=5),
        firm("small-3mu", above_scale=False, land_mu=3, tax=5, sales=50, energy_tce=5, years_in_production=5),
        firm("small-2.9mu", above_scale=False, land_mu=2.9, tax=5, years_in_production=5),
        firm("small-no-land", above_scale=False, land_mu=None, tax=5, years_in_production=5),
        firm("power", industry="D4411", tax=5, years_in_production=9),
        firm("new", tax=5, years_in_production=1),
        firm("county-t", flags=("county_t_class",), tax=5, years_in_production=9),
        firm("shop", industry="5211", tax=5, years_in_production=9),
    ]
    result = evaluate(HUAIAN, rows, reference=last_year)
    assert {r.enterprise_id for r in result.results} == {"in-big", "small-3mu"}
    reasons = {e.enterprise_id: (e.reason, e.band) for e in result.excluded}
    assert reasons == {
        "small-2.9mu": ("land_below_minimum", None),
        "small-no-land": ("land_missing", None),
        "power": ("exempt:utility", "T"),
        "new": ("exempt:new_production", "T"),
        "county-t": ("exempt:county_t_class", "T"),
        "shop": ("industry_not_included", None),
    }
    assert result.exclusion_for("small-2.9mu").message == "用地2.9亩，未达到规下企业≥3亩的要求"  # type: ignore[union-attr]


def test_strict_land_minimum_and_scale_not_included() -> None:
    ruleset = build(
        scope={"above_scale": {"include": False}, "below_scale": {"min_land_mu": 3, "land_inclusive": False}}
    )
    result = evaluate(ruleset, [firm(1, above_scale=False, land_mu=3, tax=1), firm(2, tax=1),
                                firm(3, above_scale=False, land_mu=3.01, tax=1)])  # fmt: skip
    assert [r.enterprise_id for r in result.results] == [3]
    assert {e.enterprise_id: e.reason for e in result.excluded} == {
        1: "land_below_minimum",
        2: "scale_not_included",
    }


def test_excluded_industry_prefix_and_scope_condition() -> None:
    ruleset = build(scope={"exclude_industries": ["2511"], "above_scale": {"when": "employees >= 10"}})
    result = evaluate(ruleset, [firm(1, industry="C2511", employees=50, tax=1), firm(2, employees=5, tax=1),
                                firm(3, employees=10, tax=1)])  # fmt: skip
    assert [r.enterprise_id for r in result.results] == [3]
    assert {e.enterprise_id: e.reason for e in result.excluded} == {
        1: "industry_excluded",
        2: "scope_condition",
    }


def test_ungraded_exemption_is_scored_not_ranked() -> None:
    scope = {
        "exemptions": [
            {
                "code": "rescue",
                "name": "风险处置企业",
                "when": "headquarters",
                "treatment": "ungraded",
                "band": "B",
            }
        ]
    }
    ruleset = build(scope=scope, indicators=ONE)
    rows = [firm(1, tax=100), firm(2, tax=50, flags=("headquarters",)), firm(3, tax=10)]
    result = evaluate(ruleset, rows)
    exempt = result.result_for(2)
    assert exempt is not None and exempt.rank is None and exempt.band == "B" and exempt.total == 500
    assert exempt.band_basis is BandBasis.EXEMPT and exempt.exemption == "rescue"
    graded = [r for r in result.results if r.rank is not None]
    assert [(r.enterprise_id, r.rank, r.graded_count) for r in graded] == [(1, 1, 2), (3, 2, 2)]


# ------------------------------------------------------------------------------------------ benchmarks


def benchmark_of(
    ruleset_benchmark: dict[str, Any], rows: list[Any], target: Any, **kwargs: Any
) -> Decimal | None:
    result = evaluate(build(indicators=one(ruleset_benchmark)), rows, **kwargs)
    found = result.result_for(target)
    assert found is not None
    return found.indicators[0].benchmark


def test_fixed_mean_median_percentile_max() -> None:
    rows = [firm(n, tax=v) for n, v in enumerate([1, 2, 3, 4, 10], start=1)]
    assert benchmark_of({"kind": "fixed", "value": 7, "multiple": 2}, rows, 1) == 14
    assert benchmark_of({"kind": "mean", "period": "current"}, rows, 1) == 4
    assert benchmark_of({"kind": "median", "period": "current"}, rows, 1) == 3
    assert benchmark_of({"kind": "percentile", "percentile": 80, "period": "current"}, rows, 1) == Decimal(
        "5.2"
    )
    assert benchmark_of({"kind": "max", "period": "current"}, rows, 1) == 10


def test_simple_and_aggregate_means_differ() -> None:
    rows = [firm(1, tax=10, land_mu=1), firm(2, tax=10, land_mu=9)]  # ratios 10 and 1.111…
    simple = benchmark_of({"kind": "mean", "period": "current"}, rows, 1)
    aggregate = benchmark_of({"kind": "mean", "period": "current", "averaging": "aggregate"}, rows, 1)
    assert aggregate == 2 and simple is not None and simple > 5


def test_group_benchmarks_by_industry_park_and_region() -> None:
    rows = [
        firm(1, industry="C3411", park="一园", region="甲区", tax=2),
        firm(2, industry="3412", park="二园", region="甲区", tax=4),
        firm(3, industry="2611", park="一园", region="乙区", tax=12),
    ]
    assert benchmark_of({"kind": "mean", "period": "current", "group": "industry"}, rows, 1) == 3
    assert benchmark_of({"kind": "mean", "period": "current", "group": "park"}, rows, 1) == 7
    assert benchmark_of({"kind": "mean", "period": "current", "group": "region"}, rows, 3) == 12


def test_prior_year_benchmarks_need_reference_rows() -> None:
    ruleset = build(indicators=one({"kind": "mean", "multiple": 2}))
    with pytest.raises(EvaluationError, match="上年"):
        evaluate(ruleset, [firm(1, tax=1)])
    assert (
        benchmark_of({"kind": "mean", "multiple": 2}, [firm(1, tax=1)], 1, reference=[firm(9, tax=5)]) == 10
    )


def test_group_without_prior_data_falls_to_the_missing_rule() -> None:
    ruleset = build(indicators=one({"kind": "mean", "group": "region"}, missing={"treatment": "full"}))
    result = evaluate(ruleset, [firm(1, region="新区", tax=3)], reference=[firm(9, region="甲区", tax=5)])
    trace = result.results[0].indicators[0]
    assert trace.benchmark is None and trace.missing is MissingTreatment.FULL and trace.points == 100
    assert trace.missing_reason == "无可用基准值（该组无数据）"


def test_no_benchmark_is_not_the_firms_fault() -> None:
    """Without a benchmark for its group the firm is neither penalised nor excluded: it scores 0 there."""
    indicators = one({"kind": "mean", "group": "region"}, missing={"treatment": "exclude", "penalty": 3})
    result = evaluate(
        build(indicators=indicators), [firm(1, region="新区", tax=3)], reference=[firm(9, tax=5)]
    )
    assert not result.excluded
    only = result.results[0]
    assert only.indicators[0].missing is MissingTreatment.ZERO and only.total == 0 and not only.deductions


# ---------------------------------------------------------------------------------------------- points


def test_cap_and_floor_keep_the_raw_points() -> None:
    ruleset = build(indicators=one(cap={"multiple_of_weight": 1.5}, floor={"points": 10}))
    result = evaluate(ruleset, [firm(1, tax=30), firm(2, tax=0.5), firm(3, tax=10)])
    capped, middle, floored = (result.result_for(n).indicators[0] for n in (1, 3, 2))  # type: ignore[union-attr]
    assert (capped.points_raw, capped.points, capped.capping) == (300, 150, Capping.CAP)
    assert (floored.points_raw, floored.points, floored.capping) == (5, 10, Capping.FLOOR)
    assert (middle.points, middle.capping) == (100, None)


def test_reverse_indicator_scores_two_minus_ratio_never_below_zero() -> None:
    formulas = [
        {
            "code": "energy_per_mu",
            "name": "亩均能耗",
            "expression": "energy_tce / land_mu",
            "direction": "lower",
        }
    ]
    indicators = [{"formula": "energy_per_mu", "weight": 100, "benchmark": {"kind": "fixed", "value": 10}}]
    ruleset = build(formulas=formulas, indicators=indicators)
    result = evaluate(
        ruleset,
        [firm(1, energy_tce=5), firm(2, energy_tce=10), firm(3, energy_tce=20), firm(4, energy_tce=35)],
    )
    assert [result.result_for(n).total for n in (1, 2, 3, 4)] == [150, 100, 0, 0]  # type: ignore[union-attr]


def test_derived_formula_reads_other_formulas() -> None:
    formulas = [
        {"code": "net_tax", "name": "净税收", "expression": "tax - refund"},
        {"code": "net_tax_per_mu", "name": "亩均净税收", "expression": "net_tax / land_mu"},
    ]
    inputs = [{"code": "refund", "name": "退税"}]
    indicators = [{"formula": "net_tax_per_mu", "weight": 100, "benchmark": {"kind": "fixed", "value": 10}}]
    result = evaluate(
        build(formulas=formulas, inputs=inputs, indicators=indicators), [firm(1, tax=12, refund=2, land_mu=2)]
    )
    assert result.results[0].indicators[0].value == 5 and result.results[0].total == 50


def test_published_rounding_is_half_up() -> None:
    ruleset = build(indicators=one({"kind": "fixed", "value": 8}), rounding={"points": 2, "total": 1})
    result = evaluate(ruleset, [firm(1, tax=Decimal("0.001")), firm(2, tax=Decimal("0.2666"))])
    # 0.001 / 8 × 100 = 0.0125 → 0.01 (points), 0.01 → 0.0 (total); 0.2666/8×100 = 3.3325 → 3.33 → 3.3
    assert result.result_for(1).indicators[0].points == Decimal("0.01")  # type: ignore[union-attr]
    assert result.result_for(2).indicators[0].points == Decimal("3.33")  # type: ignore[union-attr]
    assert result.result_for(2).total == Decimal("3.3")  # type: ignore[union-attr]
    half = evaluate(
        build(indicators=one({"kind": "fixed", "value": 8}), rounding={"points": 2}),
        [firm(3, tax=Decimal("0.0001"))],
    )
    assert half.results[0].indicators[0].points == Decimal("0.00")
    up = evaluate(
        build(indicators=one({"kind": "fixed", "value": 1}), rounding={"points": 1}),
        [firm(4, tax=Decimal("0.0125"))],
    )
    assert up.results[0].indicators[0].points == Decimal("1.3")  # 1.25 → 1.3 (half up, not to even)


# ------------------------------------------------------------------------------------------ missing data


def missing_case(treatment: str, penalty: int = 0) -> EvaluationResult:
    indicators = [
        {"formula": "tax_per_mu", "weight": 60, "benchmark": {"kind": "fixed", "value": 10}},
        {"formula": "tax_per_energy", "weight": 40, "benchmark": {"kind": "fixed", "value": 1},
         "missing": {"treatment": treatment, "penalty": penalty}},
    ]  # fmt: skip
    rows = [
        firm(1, tax=10, energy_tce=10),
        firm(2, tax=10, energy_tce=20),
        firm(3, tax=10),
        firm(4, tax=10, energy_tce=0),
    ]
    return evaluate(build(indicators=indicators), rows)


def test_missing_zero_full_and_mean() -> None:
    zero = missing_case("zero")
    assert [zero.result_for(n).total for n in (1, 2, 3, 4)] == [100, 80, 60, 60]  # type: ignore[union-attr]
    trace = zero.result_for(3).indicators[1]  # type: ignore[union-attr]
    assert trace.missing is MissingTreatment.ZERO and trace.missing_reason == "缺少综合能耗（等价值）"
    assert zero.result_for(4).indicators[1].missing_reason == "分母为零"  # type: ignore[union-attr]
    full = missing_case("full")
    assert full.result_for(3).total == 100  # type: ignore[union-attr]
    mean = missing_case("mean")  # firms 1 and 2 have 40 and 20 points → 30
    assert mean.result_for(3).indicators[1].points == 30 and mean.result_for(4).total == 90  # type: ignore[union-attr]


def test_missing_penalty_is_a_deduction() -> None:
    result = missing_case("zero", penalty=3)
    third = result.result_for(3)
    assert third is not None and third.total == 57
    assert [(d.code, int(d.points)) for d in third.deductions] == [("missing:tax_per_energy", 3)]


def test_missing_exclude_takes_the_firm_out() -> None:
    result = missing_case("exclude")
    assert {e.enterprise_id: e.reason for e in result.excluded} == {3: "missing_data", 4: "missing_data"}
    assert "单位能耗税收数据缺失" in result.exclusion_for(3).message  # type: ignore[union-attr]


# ------------------------------------------------------------------------- adjustments, vetoes, overrides


def test_bonuses_deductions_and_caps() -> None:
    bonuses = [
        {"code": "ht", "name": "高新技术企业", "when": "high_tech", "points": 2},
        {"code": "pat", "name": "发明专利", "points_from": "patents", "max_points": 3},
    ]
    deductions = [{"code": "env", "name": "环保扣分", "points_from": "env_points"}]
    inputs = [{"code": "patents", "name": "专利"}, {"code": "env_points", "name": "环保扣分"}]
    ruleset = build(
        indicators=ONE, bonuses=bonuses, deductions=deductions, inputs=inputs, bonus_cap=4, deduction_cap=5
    )
    result = evaluate(
        ruleset, [firm(1, tax=5, flags=("high_tech",), patents=7, env_points=8), firm(2, tax=5, patents=1)]
    )
    first, second = result.result_for(1), result.result_for(2)
    assert first is not None and second is not None
    assert [(b.code, int(b.points)) for b in first.bonuses] == [("ht", 2), ("pat", 3)]
    assert (first.bonus_points, first.deduction_points, first.total) == (D(4), D(5), D(49))
    assert (second.bonus_points, second.total) == (D(1), D(51))


def test_veto_forces_band_and_keeps_rank() -> None:
    flags = [{"code": "accident", "name": "较大安全事故"}]
    vetoes = [{"code": "acc", "name": "发生较大安全事故", "when": "accident", "band": "D"}]
    result = evaluate(
        build(indicators=ONE, flags=flags, vetoes=vetoes),
        [firm(1, tax=100, flags=("accident",)), firm(2, tax=1)],
    )
    vetoed = result.result_for(1)
    assert vetoed is not None and vetoed.rank == 1 and vetoed.score_band == "A" and vetoed.band == "D"
    assert vetoed.band_basis is BandBasis.VETO and vetoed.band_reason == "一票否决：发生较大安全事故，定为D类"
    assert [(v.code, v.band) for v in vetoed.vetoes] == [("acc", "D")]


def test_veto_that_excludes() -> None:
    vetoes = [{"code": "fraud", "name": "数据造假", "when": "tax < 0", "effect": "exclude"}]
    result = evaluate(build(indicators=ONE, vetoes=vetoes), [firm(1, tax=-1), firm(2, tax=1)])
    assert [(e.enterprise_id, e.reason) for e in result.excluded] == [(1, "veto:fraud")]


def test_override_sets_band() -> None:
    banding = {
        "method": "percentile",
        "bands": [{"code": "A", "name": "甲", "top_percent": 50}, {"code": "D", "name": "丁"}],
        "overrides": [{"code": "low", "name": "亩均税收低于2万元", "when": "tax_per_mu < 2", "band": "D"}],
    }
    result = evaluate(
        build(indicators=ONE, banding=banding),
        [firm(1, tax=1), firm(2, tax=0.5), firm(3, tax=0.1), firm(4, tax=3)],
    )
    first = result.result_for(1)
    assert (
        first is not None
        and first.score_band == "A"
        and first.band == "D"
        and first.band_basis is BandBasis.OVERRIDE
    )


# --------------------------------------------------------------------------------------- ranks and bands


def tied(ties: str) -> EvaluationResult:
    banding = {
        "method": "percentile", "ties": ties,
        "bands": [{"code": "A", "name": "甲", "top_percent": 20}, {"code": "B", "name": "乙"}],
    }  # fmt: skip
    rows = [firm(n, tax=t) for n, t in enumerate([9, 8, 8, 8, 1, 1, 1, 1, 1, 1], start=1)]
    return evaluate(build(indicators=ONE, banding=banding), rows)


def test_ties_share_the_rank_and_the_better_band() -> None:
    result = tied("better")
    assert [(r.enterprise_id, r.rank, r.band) for r in result.results[:4]] == [
        (1, 1, "A"),
        (2, 2, "A"),
        (3, 2, "A"),
        (4, 2, "A"),
    ]
    assert "同分取较高等级" in result.results[1].band_reason


def test_ties_can_share_the_worse_band() -> None:
    result = tied("worse")
    assert [(r.rank, r.band) for r in result.results[:4]] == [(1, "A"), (2, "B"), (2, "B"), (2, "B")]


def test_threshold_bands_may_leave_a_band_empty() -> None:
    banding = {
        "method": "threshold",
        "bands": [{"code": "A", "name": "甲", "min_score": 90}, {"code": "B", "name": "乙", "min_score": 60},
                  {"code": "D", "name": "丁"}],
    }  # fmt: skip
    result = evaluate(
        build(indicators=ONE, banding=banding), [firm(1, tax=9), firm(2, tax=6), firm(3, tax=7)]
    )
    assert [(r.enterprise_id, r.band) for r in result.results] == [(1, "A"), (3, "B"), (2, "B")]
    assert result.results[0].band_reason == "总分90，不低于A（甲）分数线90"


def test_ranking_groups_rank_each_region_apart() -> None:
    bands = [{"code": "A", "name": "甲", "top_percent": 50}, {"code": "B", "name": "乙"}]
    banding = {"method": "percentile", "ranking_group": "region", "bands": bands}
    rows = [
        firm(1, region="甲区", tax=9),
        firm(2, region="甲区", tax=1),
        firm(3, region="乙区", tax=2),
        firm(4, region="乙区", tax=3),
    ]
    result = evaluate(build(indicators=ONE, banding=banding), rows)
    assert {r.enterprise_id: (r.ranking_group, r.rank, r.band) for r in result.results} == {
        1: ("甲区", 1, "A"), 2: ("甲区", 2, "B"), 3: ("乙区", 2, "B"), 4: ("乙区", 1, "A"),
    }  # fmt: skip


def test_below_scale_firms_have_their_own_formula_and_list() -> None:
    below = {
        "indicators": [
            {"formula": "tax_per_mu", "weight": 100, "benchmark": {"kind": "max", "period": "current"}}
        ]
    }
    indicators = [
        {"formula": "tax_per_mu", "weight": 50, "benchmark": {"kind": "fixed", "value": 10}},
        {"formula": "rd_intensity", "weight": 50, "benchmark": {"kind": "fixed", "value": 0.05}},
    ]
    ruleset = build(indicators=indicators, below_scale_scoring=below)
    rows = [
        firm(1, tax=10, rd_expense=5, revenue=100),
        firm(2, above_scale=False, tax=4),
        firm(3, above_scale=False, tax=2),
    ]
    result = evaluate(ruleset, rows)
    main, small = (
        [r for r in result.results if r.track is Track.MAIN],
        [r for r in result.results if r.track is Track.BELOW_SCALE],
    )
    assert [(r.enterprise_id, r.total, r.rank) for r in main] == [(1, D(100), 1)]
    assert [(r.enterprise_id, int(r.total), r.rank, r.graded_count) for r in small] == [
        (2, 100, 1, 2),
        (3, 50, 2, 2),
    ]
    assert [t.formula for t in small[0].indicators] == ["tax_per_mu"]
    assert result.band_counts(Track.BELOW_SCALE) == {"A": 1, "B": 1}


# --------------------------------------------------------------------------------------------- outputs


def test_documented_example_runs_end_to_end() -> None:
    ruleset = load_ruleset(docs_example())
    common: dict[str, Any] = {
        "value_added": 50,
        "energy_tce": 10,
        "revenue": 200,
        "rd_expense": 6,
        "employees": 10,
        "years_in_production": 5,
    }
    rows = [
        firm(1, tax=30, flags=("high_tech",), patents=5, **common),
        firm(2, tax=5, flags=("major_accident",), **common),
        firm(3, tax=10, flags=("env_violation",), **common),
        firm(4, tax=10, flags=("listed_rescue",), **common),
        firm(5, above_scale=False, land_mu=5, tax=8, **common),
        firm(6, above_scale=False, land_mu=3, tax=8, **common),
    ]
    result = evaluate(ruleset, rows, reference=[firm(9, tax=10, **common)])
    assert {e.enterprise_id: e.reason for e in result.excluded} == {3: "veto:env", 6: "land_below_minimum"}
    first = result.result_for(1)
    assert first is not None and first.bonus_points == 5  # 2 + min(5, 3) = 5, at the bonus cap
    assert first.indicators[0].benchmark == 18  # 2 × last year's 10 × 0.9 net tax per mu
    assert all(points.points == points.points.quantize(Decimal("0.01")) for points in first.indicators)
    assert result.result_for(2).band == "D"  # type: ignore[union-attr]
    assert result.result_for(4).rank is None and result.result_for(4).band == "B"  # type: ignore[union-attr]
    assert result.result_for(5).track is Track.BELOW_SCALE  # type: ignore[union-attr]


def test_explain_lines_in_chinese() -> None:
    ruleset = build(bonuses=[{"code": "ht", "name": "高新技术企业", "when": "high_tech", "points": 2}])
    result = evaluate(ruleset, [firm(1, tax=8, sales=50, flags=("high_tech",))])
    assert explain(result.results[0]) == [
        "亩均税收（权重60）：8 万元/亩 ÷ 基准10（固定基准值） = 0.8，得48分",
        "亩均销售收入（权重40）：50 万元/亩 ÷ 基准100（固定基准值） = 0.5，得20分",
        "加分：高新技术企业 +2分",
        "总分：70分",
        "等级：A（排名第1名/共1名，A（优先发展）为前20%：第1–1名）",
    ]


def test_to_arrow_tables() -> None:
    result = evaluate(HUAIAN, [firm(1, tax=5, sales=50, energy_tce=5, bonus_safety=1, years_in_production=5),
                               firm(2, tax=5, years_in_production=1)],
                      reference=[firm(9, tax=5, sales=50, energy_tce=5, years_in_production=5)])  # fmt: skip
    tables = to_arrow(result)
    assert {name: table.num_rows for name, table in tables.items()} == {
        "results": 1, "indicators": 3, "adjustments": 1, "excluded": 1,
    }  # fmt: skip
    row = tables["results"].to_pylist()[0]
    assert row["enterprise_id"] == "1" and row["band"] == "A" and row["total"] == Decimal("51.0000000000")
    assert tables["excluded"].to_pylist()[0]["band"] == "T"


def test_refusals_of_the_input() -> None:
    ruleset = build(indicators=ONE)
    with pytest.raises(EvaluationError, match="重复"):
        evaluate(ruleset, [firm(1, tax=1), firm(1, tax=2)])
    with pytest.raises(EvaluationError, match="数字"):
        evaluate(ruleset, [firm(1, tax=True)])


def test_floats_are_read_through_their_decimal_text() -> None:
    result = evaluate(build(indicators=one({"kind": "fixed", "value": 0.3})), [firm(1, tax=0.1)])
    assert result.results[0].indicators[0].value == Decimal("0.1")


def test_a_rule_set_built_in_code_is_validated_before_a_run() -> None:
    valid = build(indicators=ONE)
    broken = replace(valid, indicators=(replace(valid.indicators[0], weight=Decimal(90)),))
    with pytest.raises(RuleSetError) as caught:
        evaluate(broken, [firm(1, tax=1)])
    assert caught.value.codes == {"weights_sum"}


def test_no_firms_no_results() -> None:
    result = evaluate(build(indicators=ONE), [])
    assert result.results == () and result.excluded == () and result.band_counts() == {}


def test_results_are_ordered_by_list_group_and_rank() -> None:
    below = {"indicators": ONE}
    banding = {"method": "threshold", "ranking_group": "region", "bands": [{"code": "A", "name": "甲"}]}
    rows = [
        firm("s", above_scale=False, region="一区", tax=50),
        firm("b2", region="二区", tax=1),
        firm("a2", region="一区", tax=2),
        firm("a1", region="一区", tax=9),
        firm("b1", region="二区", tax=3),
    ]
    result = evaluate(build(indicators=ONE, banding=banding, below_scale_scoring=below), rows)
    assert [r.enterprise_id for r in result.results] == ["a1", "a2", "b1", "b2", "s"]  # groups by code point
    assert result.result_for("b1") is result.results[2] and result.result_for("zz") is None
