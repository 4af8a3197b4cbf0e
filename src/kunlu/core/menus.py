"""The navigation: each app registers its own entries; a user sees the ones they may open."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise


@dataclass
class MenuItem:
    """One entry of the navigation, shown to users for whom `allowed(user)` is true."""

    label: str | Promise
    group: str | Promise
    url_name: str = ""
    icon: str = "circle"
    order: int = 100
    allowed: Callable[[Any], bool] = field(default=lambda user: user.is_authenticated)

    @property
    def url(self) -> str:
        return reverse(self.url_name)


_items: list[MenuItem] = []


def register(item: MenuItem) -> MenuItem:
    """Add an entry to the navigation (once per url name)."""
    if not any(existing.url_name == item.url_name for existing in _items):
        _items.append(item)
    return item


def items_for(user: Any) -> list[MenuItem]:
    """Entries the user may open, in menu order."""
    return sorted((i for i in _items if i.allowed(user)), key=lambda i: (i.order, str(i.label)))


def groups_for(user: Any) -> list[tuple[str, list[MenuItem]]]:
    """Entries the user may open, grouped by their group label, in order of first appearance."""
    groups: dict[str, list[MenuItem]] = {}
    for item in items_for(user):
        groups.setdefault(str(item.group), []).append(item)
    return list(groups.items())


def all_items() -> list[MenuItem]:
    return list(_items)
