"""Ranks and bands of one ranking group: percentile cut-offs ceil(p·N) or score lines, and ties."""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

from kunlu.engine.evaluation.plan import HUNDRED, fmt
from kunlu.engine.evaluation.ruleset import Banding, BandingMethod, CutoffRounding, TieRule


def cutoff_rank(percent: Decimal, count: int, rounding: CutoffRounding) -> int:
    exact = percent * count / HUNDRED
    mode = {CutoffRounding.CEIL: ROUND_CEILING, CutoffRounding.FLOOR: ROUND_FLOOR}.get(
        rounding, ROUND_HALF_UP
    )
    return int(exact.to_integral_value(mode))


def rank_group(banding: Banding, totals: list[Decimal]) -> list[tuple[int, str, str]]:
    """Rank (1 = best, ties share the rank), score band and reason for totals sorted best first."""
    count = len(totals)
    graded = [band for band in banding.bands if not band.special]
    cutoffs: list[int] = []
    if banding.method is BandingMethod.PERCENTILE:
        for band in graded[:-1]:
            assert band.top_percent is not None  # validated
            cutoffs.append(cutoff_rank(band.top_percent, count, banding.cutoff_rounding))
    out: list[tuple[int, str, str]] = []
    start = 0
    while start < count:
        end = start
        while end + 1 < count and totals[end + 1] == totals[start]:
            end += 1
        rank, last = start + 1, end + 1
        position = rank if banding.ties is TieRule.BETTER else last
        for _ in range(start, end + 1):
            if banding.method is BandingMethod.PERCENTILE:
                chosen = len(graded) - 1
                for index, cutoff in enumerate(cutoffs):
                    if position <= cutoff:
                        chosen = index
                        break
                band = graded[chosen]
                low = (cutoffs[chosen - 1] if chosen > 0 else 0) + 1
                high = cutoffs[chosen] if chosen < len(cutoffs) else count
                share = f"前{fmt(band.top_percent)}%" if band.top_percent is not None else "其余"
                reason = f"排名第{rank}名/共{count}名，{band.code}（{band.name}）为{share}：第{low}–{high}名"
                if position != rank:
                    reason += f"（与第{rank}–{last}名同分，按同分取较低等级）"
                elif last != rank:
                    reason += f"（与第{rank}–{last}名同分，同分取较高等级）"
            else:
                total = totals[start]
                band = next(
                    (b for b in graded[:-1] if b.min_score is not None and total >= b.min_score), graded[-1]
                )
                if band.min_score is not None:
                    reason = f"总分{fmt(total)}，不低于{band.code}（{band.name}）分数线{fmt(band.min_score)}"
                else:
                    reason = f"总分{fmt(total)}，低于各等级分数线，为{band.code}（{band.name}）"
            out.append((rank, band.code, reason))
        start = end + 1
    return out
