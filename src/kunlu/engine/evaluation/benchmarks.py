"""Benchmarks (基准值): fixed, or multiple × a statistic of a peer group this year or last year."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from decimal import ROUND_FLOOR, Decimal

from kunlu.engine.evaluation.plan import (
    GROUP_NAMES,
    HUNDRED,
    KIND_NAMES,
    PERIOD_NAMES,
    ZERO,
    Candidate,
    Facts,
    IndicatorPlan,
    Plan,
    fmt,
)
from kunlu.engine.evaluation.rows import BenchmarkValue, Track
from kunlu.engine.evaluation.ruleset import Averaging, BenchmarkKind, Period


def percentile_of(ordered: Sequence[Decimal], p: Decimal) -> Decimal:
    """The p-th percentile by linear interpolation between closest ranks (Excel PERCENTILE.INC)."""
    position = p / HUNDRED * (len(ordered) - 1)
    low = int(position.to_integral_value(ROUND_FLOOR))
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def group_statistic(
    indicator: IndicatorPlan, members: list[Facts], values: list[Decimal]
) -> tuple[Decimal | None, int]:
    """The group statistic and the number of firms it was taken over."""
    benchmark = indicator.spec.benchmark
    if benchmark.kind is BenchmarkKind.MEAN and benchmark.averaging is Averaging.AGGREGATE:
        assert indicator.ratio_parts is not None  # validated
        numerator, denominator = indicator.ratio_parts
        top = bottom = ZERO
        count = 0
        for facts in members:
            a, b = facts.number(numerator), facts.number(denominator)
            if a is not None and b:
                top, bottom, count = top + a, bottom + b, count + 1
        return (top / bottom if bottom else None), count
    if not values:
        return None, 0
    if benchmark.kind is BenchmarkKind.MEAN:
        return sum(values, ZERO) / len(values), len(values)
    if benchmark.kind is BenchmarkKind.MAX:
        return max(values), len(values)
    p = Decimal(50) if benchmark.kind is BenchmarkKind.MEDIAN else benchmark.percentile
    assert p is not None  # validated
    return percentile_of(sorted(values), p), len(values)


def basis_text(indicator: IndicatorPlan, group: str) -> str:
    benchmark = indicator.spec.benchmark
    if benchmark.kind is BenchmarkKind.FIXED:
        return "固定基准值"
    kind = KIND_NAMES[benchmark.kind]
    if benchmark.kind is BenchmarkKind.PERCENTILE:
        kind = f"第{fmt(benchmark.percentile or ZERO)}百分位数"
    if benchmark.kind is BenchmarkKind.MEAN and benchmark.averaging is Averaging.AGGREGATE:
        kind += "（合计口径）"
    where = GROUP_NAMES[benchmark.group] + (f"（{group}）" if group else "")
    text = f"{PERIOD_NAMES[benchmark.period]}{where}{kind}"
    return text if benchmark.multiple == 1 else f"{text} × {fmt(benchmark.multiple)}"


BenchmarkTable = dict[tuple[Track, int], dict[str, tuple[Decimal | None, str]]]


def benchmark_table(
    plan: Plan, current: list[Candidate], prior: list[Candidate]
) -> tuple[BenchmarkTable, list[BenchmarkValue]]:
    """Per list and indicator: the benchmark of each group key (value or None, and how it was set)."""
    table: BenchmarkTable = {}
    published: list[BenchmarkValue] = []
    for track, indicators in plan.tracks.items():
        for index, indicator in enumerate(indicators):
            benchmark = indicator.spec.benchmark
            if benchmark.kind is BenchmarkKind.FIXED:
                assert benchmark.value is not None  # validated
                basis = basis_text(indicator, "")
                table[(track, index)] = {"": (benchmark.value * benchmark.multiple, basis)}
                continue
            source = prior if benchmark.period is Period.PRIOR else current
            aggregate = benchmark.kind is BenchmarkKind.MEAN and benchmark.averaging is Averaging.AGGREGATE
            members: dict[str, list[Facts]] = defaultdict(list)
            values: dict[str, list[Decimal]] = defaultdict(list)
            for candidate in source:
                if candidate.track is not track:
                    continue
                key = indicator.key_of(candidate.facts)
                members[key].append(candidate.facts)
                value = None if aggregate else candidate.values[index]
                if value is not None:
                    values[key].append(value)
            by_group: dict[str, tuple[Decimal | None, str]] = {}
            for key in members:
                statistic, sample = group_statistic(indicator, members[key], values[key])
                value = statistic * benchmark.multiple if statistic is not None else None
                basis = basis_text(indicator, key)
                by_group[key] = (value, basis)
                published.append(BenchmarkValue(track, indicator.spec.formula, key, value, sample, basis))
            table[(track, index)] = by_group
    return table, published
