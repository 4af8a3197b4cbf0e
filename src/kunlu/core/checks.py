"""System checks: every domain model must be scoped and keep its history."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core import checks

NOT_DOMAIN = {"AuditEvent", "ImportRecord", "Job", "Period"}


@checks.register()
def domain_models_are_scoped_and_historied(
    app_configs: Any = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    """Every model of a Kunlu app declares its scope and keeps field history (rules 3 and 4 of DESIGN.md)."""
    errors: list[checks.CheckMessage] = []
    for model in apps.get_models():
        if not model.__module__.startswith("kunlu.") or model.__name__.startswith("Historical"):
            continue
        if model.__name__ in NOT_DOMAIN:
            continue
        if not hasattr(model, "scope"):
            errors.append(checks.Error(f"{model.__name__} declares no scope", obj=model, id="kunlu.E001"))
        if not hasattr(model, "history") and not hasattr(model, "history_kept_by"):
            errors.append(checks.Error(f"{model.__name__} keeps no history", obj=model, id="kunlu.E002"))
    return errors
