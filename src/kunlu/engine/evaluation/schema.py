"""Rule sets in and out of YAML: structural loading, the rules of a valid rule set, and dumping.

`load_ruleset(text)` parses YAML, builds the dataclasses of `ruleset` and validates them; every problem
is collected and raised together as a `RuleSetError` whose issues name the field path in the YAML
(``indicators[2].benchmark.value：基准值不能为0``). `dump_ruleset(ruleset)` writes YAML that loads back
to an equal rule set (fields at their default are left out).
"""

from __future__ import annotations

import dataclasses
import enum
import re
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, TypeVar

import yaml

from kunlu.engine.evaluation.expressions import Expression, ExpressionError, parse_condition, parse_formula
from kunlu.engine.evaluation.library import (
    FLAGS_BY_CODE,
    FORMULAS_BY_CODE,
    INPUTS_BY_CODE,
    SECTIONS,
    FormulaDef,
)
from kunlu.engine.evaluation.ruleset import (
    AdjustmentRule,
    Averaging,
    Banding,
    BandingMethod,
    BenchmarkKind,
    Indicator,
    Limit,
    MissingRule,
    RuleSet,
    VetoEffect,
)

T = TypeVar("T")
IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")
INDUSTRY_PREFIX = re.compile(r"^(?:[A-T]|\d{1,4})$")
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Issue:
    """One problem of a rule set: the field path, a Chinese message, and a stable code for tests."""

    path: str
    message: str
    code: str

    def __str__(self) -> str:
        return f"{self.path}：{self.message}" if self.path else self.message


class RuleSetError(ValueError):
    """A rule set that cannot be used; `issues` lists every problem found."""

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = tuple(issues)
        super().__init__("；".join(str(issue) for issue in issues))

    @property
    def codes(self) -> set[str]:
        """The codes of all issues (what tests assert)."""
        return {issue.code for issue in self.issues}


# --------------------------------------------------------------------------------------------- loading


def load_ruleset(text: str) -> RuleSet:
    """A validated rule set from YAML text."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise RuleSetError([Issue("", f"YAML格式错误：{error}", "yaml")]) from None
    return ruleset_from_dict(data)


def load_ruleset_file(path: str | Path) -> RuleSet:
    """A validated rule set from a YAML file."""
    return load_ruleset(Path(path).read_text(encoding="utf-8"))


def ruleset_from_dict(data: object) -> RuleSet:
    """A validated rule set from plain data (the parsed YAML, or a JSON field of a database row)."""
    issues: list[Issue] = []
    if not isinstance(data, Mapping):
        raise RuleSetError([Issue("", "规则集应为一个映射（键: 值）", "type")])
    ruleset = _build(RuleSet, data, "", issues)
    if ruleset is not None:
        issues.extend(validate(ruleset))
    if issues or ruleset is None:
        raise RuleSetError(issues)
    return ruleset


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _build(cls: type[T], data: Mapping[Any, Any], path: str, issues: list[Issue]) -> T | None:
    """A dataclass from a mapping, field by field by type hint; problems go to `issues`."""
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    for key in data:
        if key not in fields:
            issues.append(Issue(_join(path, str(key)), "未知字段", "unknown_field"))
    values: dict[str, Any] = {}
    ok = True
    for name, spec in fields.items():
        if not spec.init:
            continue
        here = _join(path, name)
        if name not in data or data[name] is None:
            required = spec.default is dataclasses.MISSING and spec.default_factory is dataclasses.MISSING
            if required:
                issues.append(Issue(here, "缺少必填字段", "required"))
                ok = False
            continue
        value, good = _convert(hints[name], data[name], here, issues)
        ok = ok and good
        values[name] = value
    return cls(**values) if ok else None


def _convert(hint: Any, raw: Any, path: str, issues: list[Issue]) -> tuple[Any, bool]:
    """Convert one raw YAML value to the hinted type."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        (inner,) = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        return _convert(inner, raw, path, issues)
    if origin is tuple:
        item_hint = typing.get_args(hint)[0]
        if not isinstance(raw, list):
            issues.append(Issue(path, "应为列表", "type"))
            return None, False
        items, ok = [], True
        for index, item in enumerate(raw):
            value, good = _convert(item_hint, item, f"{path}[{index}]", issues)
            items.append(value)
            ok = ok and good
        return tuple(items), ok
    if dataclasses.is_dataclass(hint):
        if not isinstance(raw, Mapping):
            issues.append(Issue(path, "应为映射（键: 值）", "type"))
            return None, False
        built = _build(hint, raw, path, issues)  # type: ignore[arg-type]
        return built, built is not None
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        try:
            return hint(raw), True
        except ValueError:
            allowed = "、".join(str(member.value) for member in hint)
            issues.append(Issue(path, f"取值“{raw}”无效，应为：{allowed}", "choice"))
            return None, False
    if hint is Decimal:
        number = _decimal(raw)
        if number is None:
            issues.append(Issue(path, f"应为数字，实为“{raw}”", "type"))
            return None, False
        return number, True
    if hint is bool:
        if not isinstance(raw, bool):
            issues.append(Issue(path, "应为 true 或 false", "type"))
            return None, False
        return raw, True
    if hint is int:
        if isinstance(raw, bool) or not isinstance(raw, int):
            issues.append(Issue(path, "应为整数", "type"))
            return None, False
        return raw, True
    if hint is str:
        if isinstance(raw, bool) or not isinstance(raw, str | int | float):
            issues.append(Issue(path, "应为文字", "type"))
            return None, False
        return str(raw), True
    raise TypeError(f"no conversion for {hint!r}")  # a schema bug, not a user error


def _decimal(raw: Any) -> Decimal | None:
    if isinstance(raw, bool) or not isinstance(raw, int | float | str | Decimal):
        return None
    try:
        number = Decimal(str(raw).strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


# ------------------------------------------------------------------------------------------ validation


class _Names:
    """What expressions of a rule set may read: inputs, flags and formulas (library + declared)."""

    def __init__(self, ruleset: RuleSet) -> None:
        self.inputs = set(INPUTS_BY_CODE) | {item.code for item in ruleset.inputs}
        self.flags = set(FLAGS_BY_CODE) | {item.code for item in ruleset.flags}
        self.formulas: dict[str, FormulaDef] = dict(FORMULAS_BY_CODE)
        self.formulas.update({item.code: item for item in ruleset.formulas})


def validate(ruleset: RuleSet) -> list[Issue]:
    """Every rule a structurally sound rule set must also satisfy."""
    issues: list[Issue] = []
    names = _Names(ruleset)
    for path, value in (
        ("code", ruleset.code),
        ("name", ruleset.name),
        ("jurisdiction", ruleset.jurisdiction),
    ):
        if not value.strip():
            issues.append(Issue(path, "不能为空", "required"))
    if ruleset.version < 1:
        issues.append(Issue("version", "版本号应为正整数", "version"))
    if not 1990 <= ruleset.year <= 2100:
        issues.append(Issue("year", f"评价年度“{ruleset.year}”不合理", "year"))
    _validate_declarations(ruleset, issues)
    _validate_formulas(ruleset, names, issues)
    _validate_scope(ruleset, names, issues)
    _validate_indicators(ruleset.indicators, "indicators", names, issues)
    _validate_missing(ruleset.missing, "missing", issues)
    if ruleset.rounding.points is not None and not 0 <= ruleset.rounding.points <= 10:
        issues.append(Issue("rounding.points", "小数位数应在0到10之间", "rounding"))
    if ruleset.rounding.total is not None and not 0 <= ruleset.rounding.total <= 10:
        issues.append(Issue("rounding.total", "小数位数应在0到10之间", "rounding"))
    for key, rules in (("bonuses", ruleset.bonuses), ("deductions", ruleset.deductions)):
        _validate_adjustments(rules, key, names, issues)
    for key, cap in (("bonus_cap", ruleset.bonus_cap), ("deduction_cap", ruleset.deduction_cap)):
        if cap is not None and cap < 0:
            issues.append(Issue(key, "上限不能为负数", "cap"))
    bands = _validate_banding(ruleset.banding, "banding", names, issues)
    if ruleset.below_scale_scoring is not None:
        track = ruleset.below_scale_scoring
        _validate_indicators(track.indicators, "below_scale_scoring.indicators", names, issues)
        if track.banding is not None:
            bands |= _validate_banding(track.banding, "below_scale_scoring.banding", names, issues)
    _unique([rule.code for rule in ruleset.vetoes], "vetoes", issues)
    for index, veto in enumerate(ruleset.vetoes):
        path = f"vetoes[{index}]"
        _condition(veto.when, f"{path}.when", names, issues)
        if veto.effect is VetoEffect.BAND:
            if veto.band is None:
                issues.append(Issue(f"{path}.band", "否决项须指定等级（如 D）", "required"))
            elif veto.band not in bands:
                issues.append(Issue(f"{path}.band", f"未知的等级“{veto.band}”", "unknown_band"))
    for index, exemption in enumerate(ruleset.scope.exemptions):
        if exemption.band is not None and exemption.band not in bands:
            path = f"scope.exemptions[{index}].band"
            issues.append(Issue(path, f"未知的等级“{exemption.band}”", "unknown_band"))
    return issues


def _unique(codes: list[str], path: str, issues: list[Issue]) -> set[str]:
    seen: set[str] = set()
    for index, code in enumerate(codes):
        if code in seen:
            issues.append(Issue(f"{path}[{index}].code", f"编码“{code}”重复", "duplicate"))
        seen.add(code)
    return seen


def _validate_declarations(ruleset: RuleSet, issues: list[Issue]) -> None:
    """Declared inputs, flags and formulas: identifiers, unique, not shadowing the library or each other."""
    taken = set(INPUTS_BY_CODE) | set(FLAGS_BY_CODE) | set(FORMULAS_BY_CODE)
    declared: list[tuple[str, list[str]]] = [
        ("inputs", [item.code for item in ruleset.inputs]),
        ("flags", [item.code for item in ruleset.flags]),
        ("formulas", [item.code for item in ruleset.formulas]),
    ]
    for key, codes in declared:
        for index, code in enumerate(codes):
            path = f"{key}[{index}].code"
            if not IDENTIFIER.match(code):
                issues.append(Issue(path, f"编码“{code}”应由小写字母、数字和下划线组成", "identifier"))
            elif code in taken:
                issues.append(Issue(path, f"编码“{code}”与公式库或已声明的名称重复", "duplicate"))
            taken.add(code)


def _validate_formulas(ruleset: RuleSet, names: _Names, issues: list[Issue]) -> None:
    """Rule-set formulas parse, read known names, and do not refer to themselves in a cycle."""
    declared = {item.code: index for index, item in enumerate(ruleset.formulas)}
    edges: dict[str, set[str]] = {}
    for index, item in enumerate(ruleset.formulas):
        path = f"formulas[{index}]"
        if item.direction not in ("higher", "lower"):
            issues.append(Issue(f"{path}.direction", "方向应为 higher 或 lower", "choice"))
        expression = _formula(item.expression, f"{path}.expression", names, issues, allow_formulas=True)
        if expression is not None:
            edges[item.code] = {name for name in expression.names if name in declared}
    for cycle in _cycles(edges):
        first = cycle[0]
        chain = " → ".join([*cycle, first])
        path = f"formulas[{declared[first]}].expression"
        issues.append(Issue(path, f"公式循环引用：{chain}", "formula_cycle"))


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """One representative cycle per strongly connected loop of the formula graph (depth-first search)."""
    state: dict[str, int] = {}
    found: list[list[str]] = []
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for target in sorted(edges.get(node, ())):
            if state.get(target) == 1:
                found.append(stack[stack.index(target) :])
            elif target not in state:
                visit(target)
        stack.pop()
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node)
    return found


def _formula(
    text: str, path: str, names: _Names, issues: list[Issue], *, allow_formulas: bool
) -> Expression | None:
    try:
        expression = parse_formula(text)
    except ExpressionError as error:
        issues.append(Issue(path, str(error), "expression"))
        return None
    known = names.inputs | (set(names.formulas) if allow_formulas else set())
    for name in sorted(expression.names - known):
        issues.append(Issue(path, f"未知的输入项或公式“{name}”", "unknown_name"))
    return expression


def _condition(text: str | None, path: str, names: _Names, issues: list[Issue]) -> None:
    if text is None:
        return
    try:
        expression = parse_condition(text)
    except ExpressionError as error:
        issues.append(Issue(path, str(error), "expression"))
        return
    known = names.inputs | names.flags | set(names.formulas)
    for name in sorted(expression.names - known):
        issues.append(Issue(path, f"未知的输入项、标志或公式“{name}”", "unknown_name"))


def _validate_scope(ruleset: RuleSet, names: _Names, issues: list[Issue]) -> None:
    scope = ruleset.scope
    for key in ("above_scale", "below_scale"):
        group = getattr(scope, key)
        if group.min_land_mu is not None and group.min_land_mu < 0:
            issues.append(Issue(f"scope.{key}.min_land_mu", "最小用地面积不能为负数", "land"))
        _condition(group.when, f"scope.{key}.when", names, issues)
    if not scope.above_scale.include and not scope.below_scale.include:
        issues.append(Issue("scope", "规上、规下企业均未纳入评价", "empty_scope"))
    for key in ("industries", "exclude_industries"):
        for index, prefix in enumerate(getattr(scope, key)):
            if not INDUSTRY_PREFIX.match(prefix.strip().upper()):
                issues.append(Issue(f"scope.{key}[{index}]", f"行业代码“{prefix}”无效", "industry"))
    _unique([item.code for item in scope.exemptions], "scope.exemptions", issues)
    for index, exemption in enumerate(scope.exemptions):
        path = f"scope.exemptions[{index}]"
        if not exemption.industries and exemption.when is None:
            issues.append(Issue(path, "豁免类别须指定行业或条件", "required"))
        for position, prefix in enumerate(exemption.industries):
            if prefix.strip().upper() not in SECTIONS and not INDUSTRY_PREFIX.match(prefix.strip()):
                issues.append(Issue(f"{path}.industries[{position}]", f"行业代码“{prefix}”无效", "industry"))
        _condition(exemption.when, f"{path}.when", names, issues)


def _validate_indicators(
    indicators: tuple[Indicator, ...], key: str, names: _Names, issues: list[Issue]
) -> None:
    if not indicators:
        issues.append(Issue(key, "至少需要一个评价指标", "required"))
        return
    seen: set[str] = set()
    total = Decimal(0)
    for index, indicator in enumerate(indicators):
        path = f"{key}[{index}]"
        formula = names.formulas.get(indicator.formula)
        if formula is None:
            message = f"未知的指标公式“{indicator.formula}”"
            issues.append(Issue(f"{path}.formula", message, "unknown_formula"))
        elif indicator.formula in seen:
            issues.append(Issue(f"{path}.formula", f"指标“{formula.name}”重复", "duplicate"))
        seen.add(indicator.formula)
        if indicator.weight <= 0:
            issues.append(Issue(f"{path}.weight", "权重应大于0", "weight"))
        total += indicator.weight
        _validate_benchmark(indicator, formula, path, issues)
        _validate_limits(indicator, path, issues)
        if indicator.missing is not None:
            _validate_missing(indicator.missing, f"{path}.missing", issues)
    if total != HUNDRED:
        issues.append(Issue(key, f"权重合计应为100，实为{_plain(total)}", "weights_sum"))


def _validate_benchmark(
    indicator: Indicator, formula: FormulaDef | None, path: str, issues: list[Issue]
) -> None:
    benchmark, here = indicator.benchmark, f"{path}.benchmark"
    if benchmark.kind is BenchmarkKind.FIXED:
        if benchmark.value is None:
            issues.append(Issue(f"{here}.value", "固定基准须填写基准值", "required"))
        elif benchmark.value == 0:
            issues.append(Issue(f"{here}.value", "基准值不能为0", "zero_benchmark"))
        elif benchmark.value < 0:
            issues.append(Issue(f"{here}.value", "基准值不能为负数", "negative_benchmark"))
    elif benchmark.value is not None:
        issues.append(Issue(f"{here}.value", "只有固定基准（fixed）才填写基准值", "unexpected"))
    if benchmark.multiple == 0:
        issues.append(Issue(f"{here}.multiple", "基准倍数不能为0", "zero_benchmark"))
    elif benchmark.multiple < 0:
        issues.append(Issue(f"{here}.multiple", "基准倍数不能为负数", "negative_benchmark"))
    if benchmark.kind is BenchmarkKind.PERCENTILE:
        if benchmark.percentile is None:
            issues.append(Issue(f"{here}.percentile", "百分位基准须填写百分位（0–100）", "required"))
        elif not 0 <= benchmark.percentile <= HUNDRED:
            issues.append(Issue(f"{here}.percentile", "百分位应在0到100之间", "percentile"))
    elif benchmark.percentile is not None:
        issues.append(Issue(f"{here}.percentile", "只有百分位基准（percentile）才填写百分位", "unexpected"))
    if benchmark.averaging is Averaging.AGGREGATE:
        if benchmark.kind is not BenchmarkKind.MEAN:
            issues.append(Issue(f"{here}.averaging", "合计口径（aggregate）只适用于平均值基准", "averaging"))
        elif formula is not None:
            try:
                ratio = parse_formula(formula.expression).top_level_ratio()
            except ExpressionError:
                ratio = None
            if ratio is None:
                message = f"合计口径要求公式为“分子 / 分母”，“{formula.expression}”不是"
                issues.append(Issue(f"{here}.averaging", message, "averaging"))


def _validate_limits(indicator: Indicator, path: str, issues: list[Issue]) -> None:
    bounds: dict[str, Decimal] = {}
    for key in ("cap", "floor"):
        limit: Limit | None = getattr(indicator, key)
        if limit is None:
            continue
        if (limit.points is None) == (limit.multiple_of_weight is None):
            issues.append(Issue(f"{path}.{key}", "须且只能填写 points 或 multiple_of_weight 之一", "limit"))
            continue
        bounds[key] = limit.bound(indicator.weight)
    if "cap" in bounds and "floor" in bounds and bounds["floor"] > bounds["cap"]:
        issues.append(Issue(f"{path}.floor", "得分下限高于上限", "limit"))


def _validate_missing(rule: MissingRule, path: str, issues: list[Issue]) -> None:
    if rule.penalty < 0:
        issues.append(Issue(f"{path}.penalty", "扣分应为正数（填写扣除的分值）", "penalty"))


def _validate_adjustments(
    rules: tuple[AdjustmentRule, ...], key: str, names: _Names, issues: list[Issue]
) -> None:
    _unique([rule.code for rule in rules], key, issues)
    for index, rule in enumerate(rules):
        path = f"{key}[{index}]"
        if (rule.points is None) == (rule.points_from is None):
            issues.append(
                Issue(path, "须且只能填写 points（固定分值）或 points_from（取自输入项）之一", "points")
            )
        if rule.points is not None and rule.points < 0:
            issues.append(Issue(f"{path}.points", "分值应为正数", "points"))
        if rule.points_from is not None and rule.points_from not in names.inputs:
            message = f"未知的输入项“{rule.points_from}”"
            issues.append(Issue(f"{path}.points_from", message, "unknown_name"))
        if rule.max_points is not None and rule.max_points < 0:
            issues.append(Issue(f"{path}.max_points", "上限不能为负数", "cap"))
        _condition(rule.when, f"{path}.when", names, issues)


def _validate_banding(banding: Banding, key: str, names: _Names, issues: list[Issue]) -> set[str]:
    """Bands in order, best first, ending with one catch-all; returns the band codes."""
    codes = _unique([band.code for band in banding.bands], f"{key}.bands", issues)
    graded = [(index, band) for index, band in enumerate(banding.bands) if not band.special]
    if not graded:
        issues.append(Issue(f"{key}.bands", "至少需要一个参与排名的等级", "required"))
        return codes
    previous: Decimal | None = None
    for position, (index, band) in enumerate(graded):
        path = f"{key}.bands[{index}]"
        last = position == len(graded) - 1
        bound = band.top_percent if banding.method is BandingMethod.PERCENTILE else band.min_score
        wrong = "min_score" if banding.method is BandingMethod.PERCENTILE else "top_percent"
        if getattr(band, wrong) is not None:
            issues.append(
                Issue(f"{path}.{wrong}", f"{banding.method.value} 分级不使用 {wrong}", "unexpected")
            )
        field_name = "top_percent" if banding.method is BandingMethod.PERCENTILE else "min_score"
        if last:
            if bound is not None:
                issues.append(
                    Issue(f"{path}.{field_name}", "最后一个等级应为其余全部（不填界限）", "band_order")
                )
            continue
        if bound is None:
            issues.append(Issue(f"{path}.{field_name}", "除最后一个等级外，每个等级须填写界限", "required"))
            continue
        if banding.method is BandingMethod.PERCENTILE:
            if not 0 < bound <= HUNDRED:
                issues.append(Issue(f"{path}.top_percent", "排名百分比应在0到100之间", "band_order"))
            elif previous is not None and bound <= previous:
                issues.append(Issue(f"{path}.top_percent", "排名百分比应逐级增大", "band_order"))
        elif previous is not None and bound >= previous:
            issues.append(Issue(f"{path}.min_score", "分数线应逐级降低", "band_order"))
        previous = bound
    for index, band in enumerate(banding.bands):
        if band.special and (band.top_percent is not None or band.min_score is not None):
            issues.append(Issue(f"{key}.bands[{index}]", "特殊等级不参与排名，不填界限", "unexpected"))
    for index, override in enumerate(banding.overrides):
        path = f"{key}.overrides[{index}]"
        _condition(override.when, f"{path}.when", names, issues)
        if override.band not in codes:
            issues.append(Issue(f"{path}.band", f"未知的等级“{override.band}”", "unknown_band"))
    return codes


def _plain(number: Decimal) -> str:
    return format(number.normalize(), "f")


# --------------------------------------------------------------------------------------------- dumping


def ruleset_to_dict(ruleset: RuleSet) -> dict[str, Any]:
    """Plain data of a rule set (fields at their default left out), ready for YAML or a JSON field."""
    result = _plain_data(ruleset)
    assert isinstance(result, dict)
    return result


def dump_ruleset(ruleset: RuleSet) -> str:
    """YAML text of a rule set, keys in the order of the schema, Chinese left readable."""
    return yaml.safe_dump(ruleset_to_dict(ruleset), allow_unicode=True, sort_keys=False, width=100)


def _plain_data(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out: dict[str, Any] = {}
        for spec in dataclasses.fields(value):
            if not spec.init:
                continue
            item = getattr(value, spec.name)
            if spec.default is not dataclasses.MISSING and item == spec.default:
                continue
            if spec.default_factory is not dataclasses.MISSING and item == spec.default_factory():
                continue
            out[spec.name] = _plain_data(item)
        return out
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Decimal):
        return _number(value)
    if isinstance(value, tuple | list):
        return [_plain_data(item) for item in value]
    return value


def _number(value: Decimal) -> int | float | str:
    """A YAML number that reads back as the same Decimal (a string when a float would not)."""
    if value == value.to_integral_value():
        return int(value)
    as_float = float(value)
    return as_float if Decimal(repr(as_float)) == value else str(value)
