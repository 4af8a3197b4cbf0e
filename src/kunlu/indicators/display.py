"""How S1 prints an indicator's figures: amounts at the trade's scale in the indicator's own currency."""

from __future__ import annotations

from typing import Any

from kunlu.core.formatting import amount, points, to_decimal
from kunlu.indicators.models import Indicator

_WAN_UNITS = {"万元": "CNY", "万美元": "USD"}


def amount_of(indicator: Indicator, value: Any) -> str:
    """A value as bulletins print it: 万元 → 亿元, 万美元 → 亿美元, other units as they are."""
    if value is None:
        return "—"
    currency = _WAN_UNITS.get(indicator.unit)
    if currency is not None:
        return amount(value, currency=currency, scale="亿", digits=indicator.precision)  # type: ignore[arg-type]
    return f"{to_decimal(value):,.{indicator.precision}f}{indicator.unit}"


def points_of(gap_pp: Any) -> str:
    """A gap already in percentage points (the engine's _pp columns) in words: 快/慢于序时进度."""
    return "—" if gap_pp is None else points(to_decimal(gap_pp) / 100)
