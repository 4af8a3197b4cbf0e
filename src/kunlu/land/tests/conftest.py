"""Fixtures of the land tests: the default catalogue, a land-office user, and parcels at each step."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from kunlu.accounts import services as account_services
from kunlu.accounts.models import User
from kunlu.core.testing import PASSWORD, World
from kunlu.land import services
from kunlu.land.models import Application, IndicatorDefinition, Parcel, Scorecard

CONTROLS = {"investment_intensity": 1500, "far": 2, "tax_per_mu": 150, "output_per_mu": 4000}


@dataclass
class Land:
    """The world, its land office user, the default catalogue, and helpers that walk a parcel's path."""

    world: World
    office: User
    scorecard: Scorecard
    ind: dict[str, IndicatorDefinition]

    def parcel(self, code: str = "ZA-01", *, area: int = 20, territory: Any = None, **extra: Any) -> Parcel:
        return services.parcel_create(
            data={
                "code": code,
                "name": f"{code}号地块",
                "territory": territory or self.world.zone_a,
                "area_mu": Decimal(area),
                "price_wan": Decimal(960),
                **extra,
            },
            actor=self.office,
        )

    def listed(self, code: str = "ZA-01", **extra: Any) -> Parcel:
        parcel = self.parcel(code, **extra)
        services.parcel_indicators_set(
            parcel=parcel, values={self.ind[c]: Decimal(v) for c, v in CONTROLS.items()}, actor=self.office
        )
        return services.parcel_list(
            parcel=parcel, scorecard=self.scorecard, listed_on=date(2024, 6, 20), actor=self.office
        )

    def apply(self, parcel: Parcel, applicant: Any = "enterprise_a", **figures: Any) -> Application:
        """An application with declared figures; `applicant` None is a new investor (name in figures)."""
        data = {
            "parcel": parcel,
            "applicant": getattr(self.world, applicant) if isinstance(applicant, str) else applicant,
            "total_investment_wan": Decimal(35200),
            "expected_output_wan": Decimal(105600),
            "expected_tax_wan": Decimal(3300),
            "rd_intensity_pct": Decimal("4.2"),
            "chain_fit": "core",
            "existing_band": "none",
        }
        data.update(figures)
        return services.application_create(data=data, actor=self.office)

    def awarded(self, code: str = "ZA-01", applicant: Any = "enterprise_a", **extra: Any) -> Parcel:
        parcel = self.listed(code, **extra)
        self.apply(parcel, applicant)
        self.apply(
            parcel,
            applicant=None,
            investor_name="拟设投资方",
            total_investment_wan=Decimal(20000),
            expected_tax_wan=Decimal(1800),
            chain_fit="none",
        )
        ranked = services.applications_score(parcel=parcel, actor=self.office)
        services.allocation_decide(
            parcel=parcel,
            winner=ranked[0],
            reasons="评分第一",
            price_wan=None,
            contract_date=date(2024, 9, 10),
            agreed_start_date=date(2024, 10, 31),
            agreed_completion_date=date(2025, 10, 31),
            agreed_production_date=date(2026, 10, 31),
            actor=self.office,
        )
        parcel.refresh_from_db()
        return parcel


def build_land(world: World) -> Land:
    services.catalogue_install_defaults(actor=None)
    office = User.objects.filter(username="land_a").first()
    if office is None:
        office = account_services.user_create(
            data={"username": "land_a", "organisation": world.bureau_a, "password": PASSWORD}, actor=None
        )
        account_services.role_grant(user=office, role_code="land_office", territory=world.zone_a, actor=None)
    return Land(
        world=world,
        office=office,
        scorecard=Scorecard.objects.get(code="standard"),
        ind={d.code: d for d in IndicatorDefinition.objects.all()},
    )


@pytest.fixture
def land(world: World) -> Land:
    return build_land(world)
