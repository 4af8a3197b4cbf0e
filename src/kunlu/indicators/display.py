"""How S1 prints an indicator's figures: amounts at the trade's scale in the indicator's own currency."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from kunlu.core.formatting import amount, pull, schedule_gap, to_decimal
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


def schedule_gap_of(gap_pp: Any) -> str:
    """The engine's progress_gap_pp (already in percentage points) in words: 超/落后序时进度."""
    return "—" if gap_pp is None else schedule_gap(to_decimal(gap_pp) / 100)


def pull_of(pull_pp: Any) -> str:
    """The engine's pull_pp (already in percentage points) in words: 拉动/拉低 … 个百分点."""
    return "—" if pull_pp is None else pull(to_decimal(pull_pp) / 100)


def cny_estimate_of(indicator: Indicator, value: Any, rate: Any) -> str:
    """A 美元 figure's 人民币 estimate at a dated rate ("约合532.9亿元"), or "" for other currencies."""
    if rate is None or value is None or indicator.unit != "万美元":
        return ""
    return _("约合%(amount)s") % {"amount": amount(to_decimal(value) * rate.cny_per_unit, currency="CNY")}
