"""Rule sets that cannot be used are refused: each problem with its field path, a Chinese message, a code."""

from __future__ import annotations

from typing import Any

import pytest

from kunlu.engine.evaluation import RuleSetError, load_ruleset, ruleset_from_dict
from kunlu.engine.evaluation.tests.helpers import BASE, base


def refusal(data: Any) -> RuleSetError:
    with pytest.raises(RuleSetError) as caught:
        ruleset_from_dict(data)
    return caught.value


def issue(error: RuleSetError, code: str) -> tuple[str, str]:
    """(path, message) of the one issue with that code."""
    found = [(item.path, item.message) for item in error.issues if item.code == code]
    assert len(found) == 1, error.issues
    return found[0]


def three_indicators(**third: Any) -> list[dict[str, Any]]:
    indicators = [
        {"formula": "tax_per_mu", "weight": 45, "benchmark": {"kind": "fixed", "value": 30}},
        {"formula": "sales_per_mu", "weight": 35, "benchmark": {"kind": "fixed", "value": 600}},
        {"formula": "tax_per_energy", "weight": 20, "benchmark": {"kind": "fixed", "value": 1}},
    ]
    indicators[2].update(third)
    return indicators


def test_zero_benchmark_names_the_field() -> None:
    error = refusal(base(indicators=three_indicators(benchmark={"kind": "fixed", "value": 0})))
    assert issue(error, "zero_benchmark") == ("indicators[2].benchmark.value", "基准值不能为0")
    assert "indicators[2].benchmark.value：基准值不能为0" in str(error)


def test_zero_multiple_is_a_zero_benchmark() -> None:
    error = refusal(base(indicators=three_indicators(benchmark={"kind": "mean", "multiple": 0})))
    assert issue(error, "zero_benchmark")[0] == "indicators[2].benchmark.multiple"


def test_weights_must_sum_to_100() -> None:
    error = refusal(base(indicators=three_indicators(weight=15)))
    assert issue(error, "weights_sum") == ("indicators", "权重合计应为100，实为95")


def test_weights_of_the_below_scale_list_sum_to_100_too() -> None:
    below = {
        "indicators": [{"formula": "tax_per_mu", "weight": 90, "benchmark": {"kind": "fixed", "value": 1}}]
    }
    error = refusal(base(below_scale_scoring=below))
    assert issue(error, "weights_sum")[0] == "below_scale_scoring.indicators"


def test_unknown_formula() -> None:
    error = refusal(base(indicators=three_indicators(formula="tax_per_acre")))
    assert issue(error, "unknown_formula") == ("indicators[2].formula", "未知的指标公式“tax_per_acre”")


def test_unknown_input_in_a_formula() -> None:
    formulas = [{"code": "x", "name": "X", "expression": "tax / hectares"}]
    error = refusal(base(formulas=formulas))
    assert issue(error, "unknown_name") == ("formulas[0].expression", "未知的输入项或公式“hectares”")


def test_cycle_in_derived_formulas() -> None:
    formulas = [
        {"code": "a", "name": "甲", "expression": "b + tax"},
        {"code": "b", "name": "乙", "expression": "c * 2"},
        {"code": "c", "name": "丙", "expression": "a / land_mu"},
    ]
    error = refusal(base(formulas=formulas))
    assert issue(error, "formula_cycle") == ("formulas[0].expression", "公式循环引用：a → b → c → a")


def test_self_reference_is_a_cycle() -> None:
    error = refusal(base(formulas=[{"code": "a", "name": "甲", "expression": "a + 1"}]))
    assert issue(error, "formula_cycle")[1] == "公式循环引用：a → a"


def test_unknown_band_of_a_veto() -> None:
    vetoes = [{"code": "accident", "name": "安全事故", "when": "high_tech", "band": "E"}]
    error = refusal(base(vetoes=vetoes))
    assert issue(error, "unknown_band") == ("vetoes[0].band", "未知的等级“E”")


def test_unknown_band_of_an_exemption_and_an_override() -> None:
    data = base(scope={"exemptions": [{"code": "u", "name": "公用事业", "industries": ["44"], "band": "T"}]})
    data["banding"]["overrides"] = [{"code": "o", "name": "低税", "when": "tax < 1", "band": "Z"}]
    error = refusal(data)
    paths = {item.path for item in error.issues if item.code == "unknown_band"}
    assert paths == {"scope.exemptions[0].band", "banding.overrides[0].band"}


def test_unknown_name_in_a_condition() -> None:
    bonuses = [{"code": "p", "name": "专利", "when": "patent > 3", "points": 2}]
    error = refusal(base(bonuses=bonuses))
    assert issue(error, "unknown_name") == ("bonuses[0].when", "未知的输入项、标志或公式“patent”")


def test_expressions_cannot_call_or_reach_attributes() -> None:
    formulas = [
        {"code": "a", "name": "甲", "expression": "__import__('os').system('true')"},
        {"code": "b", "name": "乙", "expression": "tax.real"},
    ]
    error = refusal(base(formulas=formulas))
    assert {item.path for item in error.issues if item.code == "expression"} == {
        "formulas[0].expression", "formulas[1].expression",
    }  # fmt: skip


def test_unknown_field_and_missing_required_field() -> None:
    data = base(scope={"above_scale": {"min_land": 3}})
    del data["indicators"][0]["weight"]
    error = refusal(data)
    assert issue(error, "unknown_field") == ("scope.above_scale.min_land", "未知字段")
    assert issue(error, "required") == ("indicators[0].weight", "缺少必填字段")


def test_wrong_types_and_choices() -> None:
    data = base(version="二")
    data["indicators"][0]["benchmark"] = {"kind": "avg"}
    data["indicators"][1]["weight"] = "forty"
    error = refusal(data)
    assert issue(error, "choice")[0] == "indicators[0].benchmark.kind"
    paths = {item.path for item in error.issues if item.code == "type"}
    assert paths == {"version", "indicators[1].weight"}


def test_percentile_bands_must_grow() -> None:
    data = base()
    data["banding"]["bands"][1]["top_percent"] = 10
    error = refusal(data)
    assert issue(error, "band_order") == ("banding.bands[1].top_percent", "排名百分比应逐级增大")


def test_threshold_bands_must_fall_and_end_with_the_rest() -> None:
    banding = {
        "method": "threshold",
        "bands": [{"code": "A", "name": "甲", "min_score": 80}, {"code": "B", "name": "乙", "min_score": 90}],
    }
    error = refusal(base(banding=banding))
    assert {item.path for item in error.issues if item.code == "band_order"} == {"banding.bands[1].min_score"}


def test_aggregate_mean_needs_a_ratio_formula() -> None:
    formulas = [{"code": "score", "name": "综合", "expression": "tax + sales"}]
    indicators = [
        {"formula": "score", "weight": 100, "benchmark": {"kind": "mean", "averaging": "aggregate"}}
    ]
    error = refusal(base(formulas=formulas, indicators=indicators))
    assert issue(error, "averaging")[0] == "indicators[0].benchmark.averaging"


def test_adjustment_needs_exactly_one_source_of_points() -> None:
    bonuses = [{"code": "x", "name": "某项", "points": 1, "points_from": "tax"}]
    error = refusal(base(bonuses=bonuses))
    assert issue(error, "points")[0] == "bonuses[0]"


def test_limits_floor_above_cap() -> None:
    indicators = three_indicators(cap={"points": 10}, floor={"multiple_of_weight": 1})
    error = refusal(base(indicators=indicators))
    assert issue(error, "limit") == ("indicators[2].floor", "得分下限高于上限")


def test_declared_names_may_not_shadow_the_library() -> None:
    error = refusal(base(inputs=[{"code": "tax", "name": "税"}]))
    assert issue(error, "duplicate")[0] == "inputs[0].code"


def test_every_problem_is_reported_at_once() -> None:
    data = base(
        indicators=three_indicators(formula="nope", benchmark={"kind": "fixed", "value": 0}, weight=10)
    )
    error = refusal(data)
    assert {"unknown_formula", "zero_benchmark", "weights_sum"} <= error.codes


def test_bad_yaml_and_not_a_mapping() -> None:
    with pytest.raises(RuleSetError) as caught:
        load_ruleset("code: [unclosed")
    assert caught.value.codes == {"yaml"}
    with pytest.raises(RuleSetError) as caught:
        load_ruleset("- just a list")
    assert caught.value.codes == {"type"}


def test_the_base_is_valid() -> None:
    assert ruleset_from_dict(BASE).code == "test-2025"
