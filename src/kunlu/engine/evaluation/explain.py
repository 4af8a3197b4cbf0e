"""A firm's score line by line in Chinese: what the firm sees beside its band during 公示."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from kunlu.engine.evaluation.rows import EnterpriseResult, IndicatorTrace
from kunlu.engine.evaluation.ruleset import MissingTreatment

MISSING_NAMES = {
    MissingTreatment.ZERO: "按0分计",
    MissingTreatment.FULL: "按满分计",
    MissingTreatment.MEAN: "按同组平均得分计",
    MissingTreatment.EXCLUDE: "不参加评价",
}


def _n(value: Decimal | None, places: int = 4) -> str:
    """A number for reading: at most `places` decimals (half up), no trailing zeros."""
    if value is None:
        return "—"
    rounded = value.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP).normalize()
    return format(rounded, "f")


def _indicator_line(trace: IndicatorTrace) -> str:
    head = f"{trace.name}（权重{_n(trace.weight)}）"
    if trace.missing is not None:
        return f"{head}：{trace.missing_reason}，{MISSING_NAMES[trace.missing]}，得{_n(trace.points)}分"
    line = (
        f"{head}：{_n(trace.value)} {trace.unit} ÷ 基准{_n(trace.benchmark)}（{trace.benchmark_basis}）"
        f" = {_n(trace.ratio)}，得{_n(trace.points_raw)}分"
    )
    if trace.capping is not None:
        line += f"，{'超过上限' if trace.capping.value == 'cap' else '低于下限'}，计{_n(trace.points)}分"
    elif trace.points != trace.points_raw:
        line += f"，计{_n(trace.points)}分"
    return line


def explain(result: EnterpriseResult) -> list[str]:
    """The lines of a firm's score: each indicator, each bonus and deduction, the total, rank and band."""
    lines = [_indicator_line(trace) for trace in result.indicators]
    lines += [f"加分：{item.name} +{_n(item.points)}分" for item in result.bonuses]
    lines += [f"扣分：{item.name} −{_n(item.points)}分" for item in result.deductions]
    if result.bonuses and sum(item.points for item in result.bonuses) != result.bonus_points:
        lines.append(f"加分合计超过上限，计{_n(result.bonus_points)}分")
    if result.deductions and sum(item.points for item in result.deductions) != result.deduction_points:
        lines.append(f"扣分合计超过上限，计{_n(result.deduction_points)}分")
    lines.append(f"总分：{_n(result.total)}分")
    lines.append(f"等级：{result.band}（{result.band_reason}）")
    return lines
