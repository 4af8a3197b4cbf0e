"""Template filters and tags for S1 figures: amounts in the indicator's unit, pulls, schedule gaps."""

from __future__ import annotations

from typing import Any

from django import template

from kunlu.indicators.display import amount_of, cny_estimate_of, pull_of, schedule_gap_of
from kunlu.indicators.models import Indicator

register = template.Library()


@register.filter
def ind_amount(value: Any, indicator: Indicator) -> str:
    return amount_of(indicator, value)


@register.filter
def schedule_gap(gap_pp: Any) -> str:
    return schedule_gap_of(gap_pp)


@register.filter
def pull_points(pull_pp: Any) -> str:
    return pull_of(pull_pp)


@register.filter
def lookup(mapping: Any, key: Any) -> Any:
    """mapping[key] in a template (None when absent)."""
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.simple_tag
def cny_estimate(indicator: Indicator, value: Any, rate: Any) -> str:
    return cny_estimate_of(indicator, value, rate)
