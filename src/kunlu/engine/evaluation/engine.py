"""亩均效益评价: score, rank and band enterprises under a rule set, keeping the trace of every number.

Steps, in the order a county office does them (docs/domain.md §1.2–§1.6):
1. scope — who is evaluated, who is exempt (T 类 / 不定等级), who is out by veto or missing data;
2. indicator values from the formula library over each firm's inputs;
3. benchmarks — fixed, or multiple × a statistic of a peer group this year or the prior year;
4. points = value / benchmark × weight (reverse indicators: (2 − value/benchmark) × weight), capped and
   floored, missing values treated by the rule, rounded as published;
5. total = Σ points + bonuses − deductions;
6. rank within the list (main / 规下) and ranking group, band by percentile or score line, then overrides
   and vetoes.
Arithmetic is Decimal throughout, so published roundings (四舍五入) come out exactly. This module scores
and wires the steps; `plan` compiles the rule set, `scope`, `benchmarks` and `banding` hold steps 1, 3, 6.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

from kunlu.engine.evaluation.banding import rank_group
from kunlu.engine.evaluation.benchmarks import BenchmarkTable, basis_text, benchmark_table
from kunlu.engine.evaluation.plan import (
    TWO,
    ZERO,
    AdjustmentPlan,
    Candidate,
    EvaluationError,
    Facts,
    Plan,
    missing_reason,
)
from kunlu.engine.evaluation.rows import (
    AdjustmentTrace,
    BandBasis,
    Capping,
    EnterpriseResult,
    EnterpriseRow,
    EvaluationResult,
    Exclusion,
    IndicatorTrace,
    Track,
    VetoTrace,
)
from kunlu.engine.evaluation.ruleset import BandingMethod, Direction, MissingTreatment, RuleSet, VetoEffect
from kunlu.engine.evaluation.schema import RuleSetError, validate
from kunlu.engine.evaluation.scope import admit

# ---------------------------------------------------------------------------------------------- points


def _quantize(value: Decimal, places: int | None) -> Decimal:
    return value if places is None else value.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)


@dataclass
class _Scored:
    candidate: Candidate
    group: str
    traces: list[IndicatorTrace]
    penalties: list[AdjustmentTrace]


def _score_indicators(plan: Plan, candidate: Candidate, table: BenchmarkTable, group: str) -> _Scored:
    places = plan.ruleset.rounding.points
    traces: list[IndicatorTrace] = []
    penalties: list[AdjustmentTrace] = []
    facts, track = candidate.facts, candidate.track
    for index, indicator in enumerate(plan.tracks[track]):
        spec, formula, weight = indicator.spec, indicator.formula, indicator.spec.weight
        key = indicator.key_of(facts)
        found = table[(track, index)].get(key)
        benchmark, basis = found if found is not None else (None, basis_text(indicator, key))
        value = candidate.values[index]
        if value is None or not benchmark:
            treatment = indicator.missing.treatment
            if value is None:
                reason = missing_reason(facts, indicator)
            else:
                # The value is there but its group has no benchmark: not the firm's fault, so no penalty,
                # and an "exclude" rule (which is about the firm's own data) scores it as zero instead.
                reason = "无可用基准值（该组无数据）"
                if treatment is MissingTreatment.EXCLUDE:
                    treatment = MissingTreatment.ZERO
            points = weight if treatment is MissingTreatment.FULL else ZERO
            if places is not None:
                points = _quantize(points, places)
            traces.append(
                IndicatorTrace(
                    spec.formula, formula.name, formula.unit, value, benchmark, basis, None, weight,
                    None, points, None, treatment, reason,
                )
            )  # fmt: skip
            if indicator.missing.penalty and value is None:
                name = f"{formula.name}数据缺失扣分"
                penalties.append(AdjustmentTrace(f"missing:{spec.formula}", name, indicator.missing.penalty))
            continue
        ratio = value / benchmark
        if indicator.direction is Direction.HIGHER:
            raw = ratio * weight
        else:
            raw = (TWO - ratio) * weight
            if raw < 0:
                raw = ZERO  # zero once the value reaches twice the benchmark
        points, capping = raw, None
        if indicator.cap is not None and points > indicator.cap:
            points, capping = indicator.cap, Capping.CAP
        if indicator.floor is not None and points < indicator.floor:
            points, capping = indicator.floor, Capping.FLOOR
        if places is not None:
            points = _quantize(points, places)
        traces.append(
            IndicatorTrace(
                spec.formula, formula.name, formula.unit, value, benchmark, basis, ratio, weight,
                raw, points, capping,
            )
        )  # fmt: skip
    return _Scored(candidate, group, traces, penalties)


def _fill_mean_points(plan: Plan, scored: list[_Scored]) -> None:
    """Missing values under the "mean" rule get the mean points of their list and group's firms with data."""
    for track, indicators in plan.tracks.items():
        for index, indicator in enumerate(indicators):
            if indicator.missing.treatment is not MissingTreatment.MEAN:
                continue
            sums: dict[str, list[Decimal]] = defaultdict(list)
            for item in scored:
                if item.candidate.track is track and item.traces[index].missing is None:
                    sums[item.group].append(item.traces[index].points)
            for item in scored:
                if item.candidate.track is not track:
                    continue
                trace = item.traces[index]
                if trace.missing is MissingTreatment.MEAN:
                    points = sums[item.group]
                    mean = sum(points, ZERO) / len(points) if points else ZERO
                    item.traces[index] = _replace_points(trace, _quantize(mean, plan.ruleset.rounding.points))


def _replace_points(trace: IndicatorTrace, points: Decimal) -> IndicatorTrace:
    return replace(trace, points=points)


def _adjustments(
    facts: Facts, rules: list[AdjustmentPlan], extra: list[AdjustmentTrace], cap: Decimal | None
) -> tuple[tuple[AdjustmentTrace, ...], Decimal]:
    applied = list(extra)
    for item in rules:
        if item.when is not None and not facts.holds(item.when):
            continue
        rule = item.rule
        if rule.points is not None:
            points = rule.points
        else:
            assert rule.points_from is not None  # validated
            found = facts.lookup(rule.points_from)
            if not (isinstance(found, Decimal) and found > 0):
                continue
            points = found
        if rule.max_points is not None and points > rule.max_points:
            points = rule.max_points
        if points:
            applied.append(AdjustmentTrace(rule.code, rule.name, points))
    if not applied:
        return (), ZERO
    total = sum((item.points for item in applied), ZERO)
    if cap is not None and total > cap:
        total = cap
    return tuple(applied), total


@dataclass(frozen=True)
class _Standing:
    rank: int | None
    count: int
    score_band: str | None
    band: str
    basis: BandBasis
    reason: str


# ---------------------------------------------------------------------------------------------- public


def evaluate(
    ruleset: RuleSet,
    enterprises: Iterable[EnterpriseRow],
    *,
    reference: Iterable[EnterpriseRow] | None = None,
) -> EvaluationResult:
    """Evaluate every enterprise under a rule set; `reference` = the prior year's rows for its benchmarks."""
    with collector_paused():
        return _evaluate(ruleset, enterprises, reference)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector during a run.

    A run allocates a few hundred thousand small acyclic objects (Decimals, traces) that stay alive until it
    returns; the collector would walk them again and again for nothing (about 15 % of a 35 000-firm run).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _evaluate(
    ruleset: RuleSet, enterprises: Iterable[EnterpriseRow], reference: Iterable[EnterpriseRow] | None
) -> EvaluationResult:
    issues = validate(ruleset)
    if issues:
        raise RuleSetError(issues)  # a rule set built in code, not loaded: same checks as a loaded one
    plan = Plan(ruleset)
    rows = list(enterprises)
    _check_unique(rows, "企业")
    if reference is None and plan.needs_prior():
        raise EvaluationError("本规则集的基准取自上年数据，须提供上年企业数据（reference）")
    candidates: list[Candidate] = []
    excluded: list[Exclusion] = []
    for row in rows:
        admitted = admit(row, plan)
        if isinstance(admitted, Exclusion):
            excluded.append(admitted)
        else:
            candidates.append(admitted)
    prior: list[Candidate] = []
    if reference is not None:
        reference_rows = list(reference)
        _check_unique(reference_rows, "上年企业")
        needed = plan.prior_values_needed()
        prior = [
            item
            for item in (admit(row, plan, values_needed=needed) for row in reference_rows)
            if isinstance(item, Candidate)
        ]
    table, published = benchmark_table(plan, candidates, prior)

    scored = [
        _score_indicators(plan, item, table, item.facts.group_key(plan.bandings[item.track].ranking_group))
        for item in candidates
    ]
    _fill_mean_points(plan, scored)
    results = _finish(plan, scored)
    return EvaluationResult(
        ruleset_code=ruleset.code,
        ruleset_version=ruleset.version,
        year=ruleset.year,
        results=tuple(results),
        excluded=tuple(excluded),
        benchmarks=tuple(published),
    )


def _check_unique(rows: list[EnterpriseRow], label: str) -> None:
    seen: set[str | int] = set()
    for row in rows:
        if row.id in seen:
            raise EvaluationError(f"{label}“{row.id}”重复出现")
        seen.add(row.id)


@dataclass
class _Totals:
    scored: _Scored
    indicator_points: Decimal
    bonuses: tuple[AdjustmentTrace, ...]
    bonus_points: Decimal
    deductions: tuple[AdjustmentTrace, ...]
    deduction_points: Decimal
    total: Decimal


def _finish(plan: Plan, scored: list[_Scored]) -> list[EnterpriseResult]:
    """Totals, ranks and bands of all scored firms, sorted by list, group and rank."""
    ruleset = plan.ruleset
    totals: list[_Totals] = []
    for item in scored:
        facts = item.candidate.facts
        points = sum((trace.points for trace in item.traces), ZERO)
        bonuses, bonus_points = _adjustments(facts, plan.bonuses, [], ruleset.bonus_cap)
        deductions, deduction_points = _adjustments(
            facts, plan.deductions, item.penalties, ruleset.deduction_cap
        )
        total = _quantize(points + bonus_points - deduction_points, ruleset.rounding.total)
        totals.append(_Totals(item, points, bonuses, bonus_points, deductions, deduction_points, total))

    groups: dict[tuple[Track, str], list[_Totals]] = defaultdict(list)
    for entry in totals:
        groups[(entry.scored.candidate.track, entry.scored.group)].append(entry)
    results: list[EnterpriseResult] = []
    for (track, group), members in sorted(
        groups.items(), key=lambda item: (item[0][0] != Track.MAIN, item[0][1])
    ):
        banding = plan.bandings[track]
        graded = [m for m in members if m.scored.candidate.exemption is None]
        graded.sort(key=_id_order)  # equal totals in a stable order: by enterprise id
        graded.sort(key=_total, reverse=True)
        ranked = rank_group(banding, [m.total for m in graded])
        standings: dict[int, _Standing] = {}
        for entry, (rank, band, reason) in zip(graded, ranked, strict=True):
            basis = (
                BandBasis.PERCENTILE if banding.method is BandingMethod.PERCENTILE else BandBasis.THRESHOLD
            )
            standings[id(entry)] = _Standing(rank, len(graded), band, band, basis, reason)
        ungraded = [m for m in members if m.scored.candidate.exemption is not None]
        ungraded.sort(key=_id_order)
        ungraded.sort(key=_total, reverse=True)
        for entry in ungraded:
            exemption = entry.scored.candidate.exemption
            assert exemption is not None
            band = exemption.band or ""
            reason = f"{exemption.name}：不定等级" + (f"，按{band}类对待" if band else "")
            standings[id(entry)] = _Standing(None, len(graded), None, band, BandBasis.EXEMPT, reason)
        for entry in [*graded, *ungraded]:
            results.append(_result(plan, track, group, entry, standings[id(entry)]))
    return results


def _id_order(entry: _Totals) -> str:
    return str(entry.scored.candidate.facts.row.id)


def _total(entry: _Totals) -> Decimal:
    return entry.total


def _result(plan: Plan, track: Track, group: str, entry: _Totals, standing: _Standing) -> EnterpriseResult:
    facts = entry.scored.candidate.facts
    band, basis, reason = standing.band, standing.basis, standing.reason
    for override, when in plan.overrides[track]:
        if facts.holds(when):
            band, basis = override.band, BandBasis.OVERRIDE
            reason = f"{override.name}（{override.when}），定为{override.band}类"
            break
    vetoes: list[VetoTrace] = []
    for veto, when in plan.vetoes:
        if veto.effect is VetoEffect.BAND and facts.holds(when):
            assert veto.band is not None  # validated
            vetoes.append(VetoTrace(veto.code, veto.name, veto.band))
    if vetoes:
        band, basis = vetoes[0].band, BandBasis.VETO
        reason = f"一票否决：{vetoes[0].name}，定为{band}类"
    row = facts.row
    exemption = entry.scored.candidate.exemption
    return EnterpriseResult(
        enterprise_id=row.id,
        name=row.name,
        track=track,
        ranking_group=group,
        indicators=tuple(entry.scored.traces),
        indicator_points=entry.indicator_points,
        bonuses=entry.bonuses,
        bonus_points=entry.bonus_points,
        deductions=entry.deductions,
        deduction_points=entry.deduction_points,
        vetoes=tuple(vetoes),
        total=entry.total,
        rank=standing.rank,
        graded_count=standing.count,
        score_band=standing.score_band,
        band=band,
        band_basis=basis,
        band_reason=reason,
        exemption=exemption.code if exemption is not None else None,
    )
