"""A rule set compiled for a run, and one firm's facts as the rule set's expressions read them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from kunlu.engine.evaluation.expressions import Expression, Value, parse_condition, parse_formula
from kunlu.engine.evaluation.library import (
    FLAGS_BY_CODE,
    FORMULAS_BY_CODE,
    INPUTS_BY_CODE,
    FormulaDef,
    industry_division,
    industry_matches,
)
from kunlu.engine.evaluation.rows import EnterpriseRow, Number, Track
from kunlu.engine.evaluation.ruleset import (
    AdjustmentRule,
    Averaging,
    Banding,
    BenchmarkKind,
    Direction,
    Exemption,
    Group,
    Indicator,
    MissingRule,
    MissingTreatment,
    Period,
    RuleSet,
)

ZERO = Decimal(0)
TWO = Decimal(2)
HUNDRED = Decimal(100)
_ABSENT = object()

GROUP_NAMES = {Group.ALL: "全体", Group.INDUSTRY: "同行业大类", Group.PARK: "同园区", Group.REGION: "同区域"}
PERIOD_NAMES = {Period.PRIOR: "上年", Period.CURRENT: "本年"}
KIND_NAMES = {
    BenchmarkKind.MEAN: "平均值",
    BenchmarkKind.MEDIAN: "中位数",
    BenchmarkKind.PERCENTILE: "百分位数",
    BenchmarkKind.MAX: "最高值",
}


class EvaluationError(ValueError):
    """Input the engine cannot evaluate (duplicate firms, prior-year benchmarks without reference rows)."""


# ------------------------------------------------------------------------------------------------ plan


@dataclass(frozen=True)
class IndicatorPlan:
    """One indicator compiled: its formula, direction, missing rule and bounds in points."""

    spec: Indicator
    formula: FormulaDef
    expression: Expression
    ratio_parts: tuple[Expression, Expression] | None
    direction: Direction
    missing: MissingRule
    cap: Decimal | None
    floor: Decimal | None
    key_of: Callable[[Facts], str]  # the firm's benchmark group key


@dataclass(frozen=True)
class AdjustmentPlan:
    rule: AdjustmentRule
    when: Expression | None


class Plan:
    """A rule set compiled once per run: expressions parsed, names classified, defaults resolved."""

    def __init__(self, ruleset: RuleSet) -> None:
        self.ruleset = ruleset
        formulas = dict(FORMULAS_BY_CODE)
        formulas.update({item.code: item for item in ruleset.formulas})
        self.formulas = {code: parse_formula(item.expression) for code, item in formulas.items()}
        self.formula_defs = formulas
        self.flags = set(FLAGS_BY_CODE) | {item.code for item in ruleset.flags}
        self.tracks: dict[Track, tuple[IndicatorPlan, ...]] = {
            Track.MAIN: tuple(self._indicator(spec) for spec in ruleset.indicators)
        }
        self.bandings: dict[Track, Banding] = {Track.MAIN: ruleset.banding}
        separate = ruleset.below_scale_scoring
        if separate is not None:
            self.tracks[Track.BELOW_SCALE] = tuple(self._indicator(spec) for spec in separate.indicators)
            self.bandings[Track.BELOW_SCALE] = separate.banding or ruleset.banding
        scope = ruleset.scope
        self.scope_when = {
            True: _maybe_condition(scope.above_scale.when),
            False: _maybe_condition(scope.below_scale.when),
        }
        self.exemptions = [(item, _maybe_condition(item.when)) for item in scope.exemptions]
        self._industries: dict[str, tuple[bool, str, tuple[bool, ...]]] = {}
        self.vetoes = [(item, parse_condition(item.when)) for item in ruleset.vetoes]
        self.bonuses = [AdjustmentPlan(rule, _maybe_condition(rule.when)) for rule in ruleset.bonuses]
        self.deductions = [AdjustmentPlan(rule, _maybe_condition(rule.when)) for rule in ruleset.deductions]
        self.overrides = {
            track: [(item, parse_condition(item.when)) for item in banding.overrides]
            for track, banding in self.bandings.items()
        }

    def industry(self, code: str) -> tuple[bool, str, tuple[bool, ...]]:
        """For an industry code (cached): included?, the exclusion prefix hit, each exemption's match."""
        known = self._industries.get(code)
        if known is not None:
            return known
        scope = self.ruleset.scope
        included = not scope.industries or any(industry_matches(code, p) for p in scope.industries)
        excluded = next((p for p in scope.exclude_industries if industry_matches(code, p)), "")
        exempt = tuple(
            not item.industries or any(industry_matches(code, p) for p in item.industries)
            for item, _ in self.exemptions
        )
        self._industries[code] = (included, excluded, exempt)
        return included, excluded, exempt

    def _indicator(self, spec: Indicator) -> IndicatorPlan:
        formula = self.formula_defs[spec.formula]
        expression = self.formulas[spec.formula]
        direction = spec.direction or Direction(formula.direction)
        return IndicatorPlan(
            spec=spec,
            formula=formula,
            expression=expression,
            ratio_parts=expression.top_level_ratio(),
            direction=direction,
            missing=spec.missing or self.ruleset.missing,
            cap=spec.cap.bound(spec.weight) if spec.cap is not None else None,
            floor=spec.floor.bound(spec.weight) if spec.floor is not None else None,
            key_of=no_group
            if spec.benchmark.kind is BenchmarkKind.FIXED
            else GROUP_KEYS[spec.benchmark.group],
        )

    def prior_values_needed(self) -> bool:
        """Whether last year's rows need their indicator values (not only Σ numerator ÷ Σ denominator)."""
        for plans in self.tracks.values():
            for plan in plans:
                benchmark = plan.spec.benchmark
                if plan.missing.treatment is MissingTreatment.EXCLUDE:
                    return True
                if benchmark.kind is not BenchmarkKind.FIXED and benchmark.period is Period.PRIOR:
                    aggregate = (
                        benchmark.kind is BenchmarkKind.MEAN and benchmark.averaging is Averaging.AGGREGATE
                    )
                    if not aggregate:
                        return True
        return False

    def needs_prior(self) -> bool:
        """Whether any benchmark is a statistic of the prior year (so reference rows are required)."""
        return any(
            plan.spec.benchmark.kind is not BenchmarkKind.FIXED and plan.spec.benchmark.period is Period.PRIOR
            for plans in self.tracks.values()
            for plan in plans
        )


def _maybe_condition(text: str | None) -> Expression | None:
    return parse_condition(text) if text is not None else None


# ----------------------------------------------------------------------------------------------- facts


def to_decimal(value: Number | None) -> Decimal | None:
    """An input value as Decimal (floats through their shortest repr, so 0.1 stays 0.1); NaN is missing."""
    kind = type(value)
    if kind is float:
        assert isinstance(value, float)
        return Decimal(repr(value)) if value - value == 0 else None  # NaN and ±inf are missing
    if kind is int:
        assert isinstance(value, int)
        return Decimal(value)
    if value is None:
        return None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return to_decimal(float(value) if isinstance(value, float) else int(value))
    raise EvaluationError(f"输入值应为数字，实为“{value!r}”")


class Facts:
    """One firm's values as the expressions read them: inputs, flags, and formulas computed once."""

    __slots__ = ("cache", "plan", "row", "values")

    def __init__(self, row: EnterpriseRow, plan: Plan) -> None:
        self.row = row
        self.plan = plan
        self.values: dict[str, Decimal | None] = {key: to_decimal(raw) for key, raw in row.inputs.items()}
        self.cache: dict[str, Value] = {}

    def lookup(self, name: str) -> Value:
        value = self.values.get(name, _ABSENT)
        if value is not _ABSENT:
            return value  # type: ignore[return-value]
        if name in self.cache:
            return self.cache[name]
        if name == "above_scale":
            return self.row.above_scale
        if name in self.plan.flags:
            return name in self.row.flags
        expression = self.plan.formulas.get(name)
        if expression is None:
            return None
        result = expression.evaluate(self.lookup)
        self.cache[name] = result
        return result

    def number(self, expression: Expression) -> Decimal | None:
        value = expression.function(self.lookup)
        return None if value.__class__ is bool else value  # type: ignore[return-value]

    def holds(self, expression: Expression | None) -> bool:
        return True if expression is None else bool(expression.function(self.lookup))

    def group_key(self, group: Group) -> str:
        return GROUP_KEYS[group](self)


def no_group(facts: Facts) -> str:
    return ""


GROUP_KEYS: dict[Group, Callable[[Facts], str]] = {
    Group.ALL: no_group,
    Group.REGION: lambda facts: facts.row.region,
    Group.PARK: lambda facts: facts.row.park,
    Group.INDUSTRY: lambda facts: industry_division(facts.row.industry),
}


@dataclass
class Candidate:
    """A firm admitted to the evaluation with its list, indicator values and exemption (if unranked)."""

    facts: Facts
    track: Track
    values: list[Decimal | None]
    exemption: Exemption | None


def missing_reason(facts: Facts, indicator: IndicatorPlan) -> str:
    absent = sorted(name for name in indicator.expression.names if facts.lookup(name) is None)
    if absent:
        labels = [INPUTS_BY_CODE[name].name if name in INPUTS_BY_CODE else name for name in absent]
        return "缺少" + "、".join(labels)
    return "分母为零"


def fmt(value: Decimal | None) -> str:
    """A Decimal without trailing zeros or exponent, for reasons shown to people."""
    return "—" if value is None else format(value.normalize(), "f")
