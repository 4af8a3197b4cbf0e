"""A 亩均效益评价 rule set as frozen dataclasses: what one jurisdiction's published method says.

The YAML form (docs/evaluation-rules.md) maps one to one onto these classes: a key per field, nested
mappings for nested classes, lists for tuples. `kunlu.engine.evaluation.schema` loads, validates and
dumps them; `kunlu.engine.evaluation.engine` evaluates enterprises under them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from kunlu.engine.evaluation.library import FlagDef, FormulaDef, InputDef


class BenchmarkKind(StrEnum):
    """How an indicator's benchmark (基准值) is set."""

    FIXED = "fixed"  # a published number
    MEAN = "mean"  # multiple × mean of a group
    MEDIAN = "median"  # multiple × median of a group
    PERCENTILE = "percentile"  # multiple × the p-th percentile of a group
    MAX = "max"  # multiple × the best value of a group (the best firm gets full marks)


class Period(StrEnum):
    """Whose values a group statistic is taken over: the prior year's (reference rows) or this year's."""

    PRIOR = "prior"
    CURRENT = "current"


class Group(StrEnum):
    """A peer group: everyone, the same 大类 (two-digit GB/T 4754 division), park or region (县区)."""

    ALL = "all"
    INDUSTRY = "industry"
    PARK = "park"
    REGION = "region"


class Averaging(StrEnum):
    """A group mean of a ratio: the mean of the firms' ratios, or Σ numerator ÷ Σ denominator (区域亩均)."""

    SIMPLE = "simple"
    AGGREGATE = "aggregate"


class Direction(StrEnum):
    """Higher is better (亩均税收) or lower is better (单位增加值能耗, scored 2 − value/benchmark)."""

    HIGHER = "higher"
    LOWER = "lower"


class MissingTreatment(StrEnum):
    """Points of an indicator whose value is missing (no input, or a zero denominator)."""

    ZERO = "zero"  # no points
    FULL = "full"  # the full weight (neutral)
    MEAN = "mean"  # the mean points of the firms of the same list and ranking group that have the value
    EXCLUDE = "exclude"  # the firm is not evaluated (out of scope, reason given)


class BandingMethod(StrEnum):
    """Bands by rank percentile within the ranking group, or by fixed score thresholds."""

    PERCENTILE = "percentile"
    THRESHOLD = "threshold"


class CutoffRounding(StrEnum):
    """How a percentile cut-off p·N becomes a rank: ceil (default), floor, or rounded half up."""

    CEIL = "ceil"
    FLOOR = "floor"
    HALF_UP = "half_up"


class TieRule(StrEnum):
    """Firms with equal totals share the better band (default) or the worse one."""

    BETTER = "better"
    WORSE = "worse"


class ExemptTreatment(StrEnum):
    """An exempt firm is not evaluated (listed apart, e.g. class T), or scored but not ranked (不定等级)."""

    EXCLUDE = "exclude"
    UNGRADED = "ungraded"


class VetoEffect(StrEnum):
    """A veto (一票否决) forces a band (usually D) or takes the firm out of the evaluation."""

    BAND = "band"
    EXCLUDE = "exclude"


@dataclass(frozen=True)
class Benchmark:
    """An indicator's benchmark: a fixed value, or multiple × a statistic of a peer group."""

    kind: BenchmarkKind
    value: Decimal | None = None
    multiple: Decimal = Decimal(1)
    period: Period = Period.PRIOR
    group: Group = Group.ALL
    percentile: Decimal | None = None
    averaging: Averaging = Averaging.SIMPLE


@dataclass(frozen=True)
class Limit:
    """A cap or floor on an indicator's points: in points, or as a multiple of the indicator's weight."""

    points: Decimal | None = None
    multiple_of_weight: Decimal | None = None

    def bound(self, weight: Decimal) -> Decimal:
        """The bound in points for an indicator of this weight."""
        if self.points is not None:
            return self.points
        assert self.multiple_of_weight is not None  # validated: exactly one is set
        return self.multiple_of_weight * weight


@dataclass(frozen=True)
class MissingRule:
    """What a missing indicator value scores, and an optional penalty deducted from the total."""

    treatment: MissingTreatment = MissingTreatment.ZERO
    penalty: Decimal = Decimal(0)


@dataclass(frozen=True)
class Indicator:
    """One scored indicator: a library (or rule-set) formula with its weight, benchmark and limits."""

    formula: str
    weight: Decimal
    benchmark: Benchmark
    cap: Limit | None = None
    floor: Limit | None = None
    missing: MissingRule | None = None  # None: the rule set's default
    direction: Direction | None = None  # None: the formula's own


@dataclass(frozen=True)
class AdjustmentRule:
    """A bonus (加分) or deduction (扣分) item: fixed points when a condition holds, or from an input."""

    code: str
    name: str
    when: str | None = None
    points: Decimal | None = None
    points_from: str | None = None
    max_points: Decimal | None = None


@dataclass(frozen=True)
class Veto:
    """A veto item (一票否决, 门槛): a condition that forces a band or excludes the firm."""

    code: str
    name: str
    when: str
    effect: VetoEffect = VetoEffect.BAND
    band: str | None = None


@dataclass(frozen=True)
class ScopeGroup:
    """Who of the 规上 (or 规下) firms is evaluated: included at all, minimum land, a further condition."""

    include: bool = True
    min_land_mu: Decimal | None = None
    land_inclusive: bool = True  # ≥ (True) or > (False) the minimum
    when: str | None = None


@dataclass(frozen=True)
class Exemption:
    """An exempt class (T 类 / 不定等级): by industry prefix and/or a condition on inputs and flags."""

    code: str
    name: str
    industries: tuple[str, ...] = ()
    when: str | None = None
    treatment: ExemptTreatment = ExemptTreatment.EXCLUDE
    band: str | None = None


@dataclass(frozen=True)
class Scope:
    """Who is evaluated: 规上 and 规下 rules, industries by GB/T 4754 prefix, exemptions."""

    above_scale: ScopeGroup = ScopeGroup()
    below_scale: ScopeGroup = ScopeGroup()
    industries: tuple[str, ...] = ()  # included prefixes (门类 letter or digits); empty = all
    exclude_industries: tuple[str, ...] = ()
    exemptions: tuple[Exemption, ...] = ()


@dataclass(frozen=True)
class Band:
    """A band (A 优先发展 …): its rank share (top_percent) or score line; special bands are not ranked."""

    code: str
    name: str
    top_percent: Decimal | None = None
    min_score: Decimal | None = None
    special: bool = False


@dataclass(frozen=True)
class Override:
    """A banding override: a condition on inputs/flags that forces a band regardless of the score."""

    code: str
    name: str
    when: str
    band: str


@dataclass(frozen=True)
class Banding:
    """How totals become ranks and bands, within which ranking group."""

    method: BandingMethod
    bands: tuple[Band, ...]
    ranking_group: Group = Group.ALL
    cutoff_rounding: CutoffRounding = CutoffRounding.CEIL
    ties: TieRule = TieRule.BETTER
    overrides: tuple[Override, ...] = ()


@dataclass(frozen=True)
class Rounding:
    """Published rounding (四舍五入) of indicator points and totals, in decimals; None keeps them exact."""

    points: int | None = None
    total: int | None = None


@dataclass(frozen=True)
class SeparateScoring:
    """A separate simplified formula (规下企业): its own indicators, ranked apart, optionally banded apart."""

    indicators: tuple[Indicator, ...]
    banding: Banding | None = None


@dataclass(frozen=True, kw_only=True)
class RuleSet:
    """One versioned evaluation method: identity, scope, indicators, adjustments, vetoes and banding."""

    code: str
    name: str
    jurisdiction: str
    version: int
    year: int
    source: str  # the source key of docs/domain.md (e.g. HA) or the document it was taken from
    doc_no: str = ""
    source_url: str = ""
    notes: str = ""
    inputs: tuple[InputDef, ...] = ()
    flags: tuple[FlagDef, ...] = ()
    formulas: tuple[FormulaDef, ...] = ()
    scope: Scope = field(default_factory=Scope)
    indicators: tuple[Indicator, ...]
    missing: MissingRule = field(default_factory=MissingRule)
    rounding: Rounding = field(default_factory=Rounding)
    bonuses: tuple[AdjustmentRule, ...] = ()
    bonus_cap: Decimal | None = None
    deductions: tuple[AdjustmentRule, ...] = ()
    deduction_cap: Decimal | None = None
    vetoes: tuple[Veto, ...] = ()
    banding: Banding
    below_scale_scoring: SeparateScoring | None = None

    def band(self, code: str) -> Band | None:
        """The band of that code in the main banding or the 规下 one."""
        bandings = [self.banding]
        if self.below_scale_scoring is not None and self.below_scale_scoring.banding is not None:
            bandings.append(self.below_scale_scoring.banding)
        for banding in bandings:
            for band in banding.bands:
                if band.code == code:
                    return band
        return None
