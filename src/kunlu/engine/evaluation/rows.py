"""What the engine takes and gives: enterprise rows in, the full trace of every score out."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from functools import cached_property

from kunlu.engine.evaluation.ruleset import MissingTreatment

Number = Decimal | int | float


@dataclass(frozen=True)
class EnterpriseRow:
    """One enterprise's facts for an evaluation year: attributes, flags and input values (万元, 亩, …).

    `inputs` maps input codes of the formula library (tax, sales, land_mu, energy_tce, …) or of the rule
    set to numbers; an absent or None value is missing. `flags` holds the codes of the flags that are set.
    """

    id: str | int
    name: str = ""
    industry: str = ""  # GB/T 4754-2017 code, with or without the 门类 letter ("C3411" or "3411")
    park: str = ""
    region: str = ""  # 县区: the usual ranking and benchmark group
    above_scale: bool = False  # 规上
    flags: frozenset[str] = frozenset()
    inputs: Mapping[str, Number | None] = field(default_factory=dict)


class Track(StrEnum):
    """The list a firm is ranked in: the main formula, or the separate simplified 规下 formula."""

    MAIN = "main"
    BELOW_SCALE = "below_scale"


class BandBasis(StrEnum):
    """Why a firm has its band."""

    PERCENTILE = "percentile"  # its rank within the ranking group
    THRESHOLD = "threshold"  # its total against the score lines
    OVERRIDE = "override"  # a banding override's condition held
    VETO = "veto"  # a veto item held
    EXEMPT = "exempt"  # scored but not ranked (不定等级), band set by the exemption


class Capping(StrEnum):
    """Whether an indicator's points were cut to its cap or raised to its floor."""

    CAP = "cap"
    FLOOR = "floor"


@dataclass(frozen=True)
class IndicatorTrace:
    """One indicator of one firm: value, benchmark, ratio, weight, points before and after cap/floor."""

    formula: str
    name: str
    unit: str
    value: Decimal | None
    benchmark: Decimal | None
    benchmark_basis: str
    ratio: Decimal | None
    weight: Decimal
    points_raw: Decimal | None  # before cap and floor (None when the value or benchmark is missing)
    points: Decimal  # after cap, floor, missing-data treatment and rounding
    capping: Capping | None = None
    missing: MissingTreatment | None = None  # the treatment applied, when the value was missing
    missing_reason: str = ""


@dataclass(frozen=True)
class AdjustmentTrace:
    """A bonus or deduction applied: the item and its points (positive for both)."""

    code: str
    name: str
    points: Decimal


@dataclass(frozen=True)
class VetoTrace:
    """A veto item that held for the firm and the band it forces."""

    code: str
    name: str
    band: str


@dataclass(frozen=True)
class EnterpriseResult:
    """The whole trace of one evaluated firm, as the firm and the reviewers see it."""

    enterprise_id: str | int
    name: str
    track: Track
    ranking_group: str  # the region / park / 大类 the firm is ranked in ("" = everyone)
    indicators: tuple[IndicatorTrace, ...]
    indicator_points: Decimal
    bonuses: tuple[AdjustmentTrace, ...]
    bonus_points: Decimal  # after the bonus cap
    deductions: tuple[AdjustmentTrace, ...]
    deduction_points: Decimal  # after the deduction cap
    vetoes: tuple[VetoTrace, ...]
    total: Decimal
    rank: int | None  # 1 = best, equal totals share a rank; None when not ranked (不定等级)
    graded_count: int  # N: the firms ranked in the same list and group
    score_band: str | None  # the band the total alone gives (before overrides and vetoes)
    band: str
    band_basis: BandBasis
    band_reason: str  # why, in Chinese
    exemption: str | None = None  # code of the exemption of a scored-but-unranked firm


@dataclass(frozen=True)
class Exclusion:
    """A firm that is not evaluated, with the reason (a stable code and a Chinese message)."""

    enterprise_id: str | int
    name: str
    reason: str
    message: str
    band: str | None = None  # e.g. T 不适合评价 for an exempt class


@dataclass(frozen=True)
class BenchmarkValue:
    """A group benchmark the run used: list, indicator, group, value, and how many firms it came from."""

    track: Track
    formula: str
    group: str
    value: Decimal | None
    sample_size: int
    basis: str


@dataclass(frozen=True)
class EvaluationResult:
    """A run's output: every evaluated firm's trace and every firm left out.

    `results` are ordered by list (main, then 规下), ranking group (by name), then rank (unranked firms of a
    group after its ranked ones); `excluded` keeps the order of the input rows.
    """

    ruleset_code: str
    ruleset_version: int
    year: int
    results: tuple[EnterpriseResult, ...]
    excluded: tuple[Exclusion, ...]
    benchmarks: tuple[BenchmarkValue, ...]

    @cached_property
    def _results_by_id(self) -> dict[str | int, EnterpriseResult]:
        return {result.enterprise_id: result for result in self.results}

    @cached_property
    def _excluded_by_id(self) -> dict[str | int, Exclusion]:
        return {exclusion.enterprise_id: exclusion for exclusion in self.excluded}

    def result_for(self, enterprise_id: str | int) -> EnterpriseResult | None:
        """The trace of one firm, or None if it was not evaluated."""
        return self._results_by_id.get(enterprise_id)

    def exclusion_for(self, enterprise_id: str | int) -> Exclusion | None:
        """Why a firm was not evaluated, or None if it was."""
        return self._excluded_by_id.get(enterprise_id)

    def band_counts(self, track: Track = Track.MAIN) -> dict[str, int]:
        """How many firms of a list are in each band (for the publicity notice)."""
        counts: dict[str, int] = {}
        for result in self.results:
            if result.track is track:
                counts[result.band] = counts.get(result.band, 0) + 1
        return counts
