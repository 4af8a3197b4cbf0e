"""Numbers printed one way: amounts in 亿元/万元, rates with 增长/下降, differences in 百分点.

Values are stored unrounded; rounding happens here only, half up (四舍五入) as bulletins do. Amounts carry
their currency: 人民币 and 美元 are never summed or compared, only shown side by side.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

import cn2an
from django.utils.translation import gettext as _

Number = Decimal | float | int
Currency = Literal["CNY", "USD"]
Scale = Literal["亿", "万", ""]

_SCALE_IN_WAN = {"亿": Decimal(10000), "万": Decimal(1), "": Decimal("0.0001")}


class CurrencyMismatch(TypeError):
    """人民币 and 美元 amounts may not be added or compared."""


def to_decimal(value: Number) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def round_half_up(value: Number, digits: int = 1) -> Decimal:
    """Round as the statistics bureau does (四舍五入), not to even."""
    return to_decimal(value).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Money:
    """An amount in 万 of a currency (万元 or 万美元), the unit the trade stores."""

    wan: Decimal
    currency: Currency = "CNY"

    def _same(self, other: Money) -> None:
        if self.currency != other.currency:
            raise CurrencyMismatch(f"{self.currency} ≠ {other.currency}")

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.wan + other.wan, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.wan - other.wan, self.currency)

    def __lt__(self, other: Money) -> bool:
        self._same(other)
        return self.wan < other.wan


def unit_label(scale: Scale, currency: Currency) -> str:
    """亿元, 万元, 元, 亿美元, 万美元, 美元."""
    return f"{scale}{'元' if currency == 'CNY' else '美元'}"


def amount(wan: Number | None, *, currency: Currency = "CNY", scale: Scale = "亿", digits: int = 1) -> str:
    """An amount given in 万元/万美元, printed at a scale: amount(1561000) → "156.1亿元"."""
    if wan is None:
        return "—"
    value = to_decimal(wan) / _SCALE_IN_WAN[scale]
    return f"{round_half_up(value, digits):,f}{unit_label(scale, currency)}".replace(",", "")


def percent(rate: Number | None, digits: int = 1) -> str:
    """A rate (0.969) as a percentage: "96.9%"."""
    if rate is None:
        return "—"
    return f"{round_half_up(to_decimal(rate) * 100, digits)}%"


def growth(rate: Number | None, digits: int = 1) -> str:
    """A year-on-year rate in the trade's words: "增长18.8%", "下降3.2%", "持平"."""
    if rate is None:
        return "—"
    shown = round_half_up(to_decimal(rate) * 100, digits)
    if shown == 0:
        return _("持平")
    return (_("增长%(r)s%%") if shown > 0 else _("下降%(r)s%%")) % {"r": abs(shown)}


def points(diff: Number | None, digits: int = 1) -> str:
    """A difference of two rates (0.012) in 百分点: "提高1.2个百分点", "回落0.5个百分点"."""
    if diff is None:
        return "—"
    shown = round_half_up(to_decimal(diff) * 100, digits)
    if shown == 0:
        return _("持平")
    return (_("提高%(p)s个百分点") if shown > 0 else _("回落%(p)s个百分点")) % {"p": abs(shown)}


def pull(diff: Number | None, digits: int = 1) -> str:
    """A part's pull on the whole's growth (拉动, a share of the prior whole): "拉动5.1个百分点"."""
    if diff is None:
        return "—"
    shown = round_half_up(to_decimal(diff) * 100, digits)
    if shown == 0:
        return _("无拉动")
    return (_("拉动%(p)s个百分点") if shown > 0 else _("拉低%(p)s个百分点")) % {"p": abs(shown)}


def schedule_gap(diff: Number | None, digits: int = 1) -> str:
    """Target completion against 序时进度 (a difference of rates): "超序时进度3.5个百分点"."""
    if diff is None:
        return "—"
    shown = round_half_up(to_decimal(diff) * 100, digits)
    if shown == 0:
        return _("与序时进度持平")
    return (_("超序时进度%(p)s个百分点") if shown > 0 else _("落后序时进度%(p)s个百分点")) % {"p": abs(shown)}


def plain(value: Number | str | None) -> str:
    """A stored decimal without trailing zeros: 1600.0000 → "1600", 2.5000 → "2.5" (never 1.6E+3)."""
    if value is None or value == "":
        return "—"
    return f"{Decimal(str(value)).normalize():f}"


def chinese_number(n: int) -> str:
    """An integer in Chinese numerals, as the style needs in headings: 27 → "二十七"."""
    return str(cn2an.an2cn(n))
