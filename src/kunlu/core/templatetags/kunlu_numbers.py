"""Template filters over kunlu.core.formatting: {{ v|yi }}, {{ v|wan }}, {{ r|growth }}, {{ d|points }}."""

from __future__ import annotations

from typing import Any

from django import template

from kunlu.core import formatting

register = template.Library()


@register.filter
def yi(wan: Any, currency: str = "CNY") -> str:
    return formatting.amount(wan, currency=currency, scale="亿")  # type: ignore[arg-type]


@register.filter
def wan(value: Any, currency: str = "CNY") -> str:
    return formatting.amount(value, currency=currency, scale="万")  # type: ignore[arg-type]


@register.filter
def growth(rate: Any) -> str:
    return formatting.growth(rate)


@register.filter
def points(diff: Any) -> str:
    return formatting.points(diff)


@register.filter
def pct(rate: Any) -> str:
    return formatting.percent(rate)


@register.filter
def payload(data: Any) -> str:
    """An audit payload as "key：value" pairs, one per line."""
    if not isinstance(data, dict):
        return "" if data is None else str(data)
    return "\n".join(f"{key}：{value}" for key, value in data.items())


@register.filter
def schedule_gap(diff: Any) -> str:
    """A completion rate against 序时进度 (a difference of rates): "落后序时进度3.0个百分点"."""
    return formatting.schedule_gap(diff)


@register.filter
def plain(value: Any) -> str:
    """A stored decimal without trailing zeros: {{ parcel.area_mu|plain }} → "35"."""
    return formatting.plain(value)
