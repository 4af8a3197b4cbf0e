"""What every page of the shell needs: the navigation and the product's name."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from kunlu import __version__
from kunlu.core import menus


def shell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "nav_groups": menus.groups_for(user) if user is not None and user.is_authenticated else [],
        "kunlu_version": __version__,
    }
