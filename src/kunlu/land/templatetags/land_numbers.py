"""Template filters of the land pages: {{ value|plain }} prints a stored decimal without trailing zeros."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

register = template.Library()


@register.filter
def plain(value: Any) -> str:
    """1600.0000 → "1600", 2.5000 → "2.5", None → "—" (never 1.6E+3)."""
    if value is None or value == "":
        return "—"
    if not isinstance(value, Decimal):
        value = Decimal(str(value))
    return f"{value.normalize():f}"
