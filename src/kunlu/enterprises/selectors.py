"""Reads of the enterprise registry with meaning: an enterprise's names over time and the land it holds."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import F, QuerySet

from kunlu.accounts.models import Organisation
from kunlu.enterprises.choices import IndustryLevel
from kunlu.enterprises.models import EnterpriseName, EnterpriseProfile, Industry


@dataclass(frozen=True)
class LandHolding:
    """One parcel an enterprise holds, as another module (the land registry) reports it."""

    code: str
    area_mu: Decimal
    use: str = ""
    status: str = ""
    url: str = ""


LandSource = Callable[[Any, Organisation], list[LandHolding]]
_land_sources: list[LandSource] = []


def register_land_source(source: LandSource) -> LandSource:
    """Let a module that keeps parcels list an enterprise's (called from its AppConfig.ready)."""
    if source not in _land_sources:
        _land_sources.append(source)
    return source


def land_held(*, user: Any, enterprise: Organisation) -> list[LandHolding]:
    """The parcels the enterprise holds that the user may see, from every registered land source."""
    return [holding for source in _land_sources for holding in source(user, enterprise)]


def name_history(*, user: Any, enterprise: Organisation) -> QuerySet[EnterpriseName]:
    """The enterprise's names the user may see, the current one first, then back in time."""
    return (
        EnterpriseName.objects.restrict(user, "view")
        .filter(organisation=enterprise)
        .order_by(F("valid_to").desc(nulls_first=True), F("valid_from").desc(nulls_last=True), "-id")
    )


def registry(user: Any) -> QuerySet[EnterpriseProfile]:
    """The enterprises of the registry the user may see, with what a list shows of them."""
    return EnterpriseProfile.objects.restrict(user, "view").select_related(
        "organisation", "organisation__territory", "industry"
    )


def sections() -> QuerySet[Industry]:
    """The 20 门类 of GB/T 4754-2017."""
    return Industry.objects.filter(level=IndustryLevel.SECTION)


def divisions() -> QuerySet[Industry]:
    """The 97 大类 of GB/T 4754-2017."""
    return Industry.objects.filter(level=IndustryLevel.DIVISION)
