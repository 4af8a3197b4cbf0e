"""Fixtures of the S2 tests: the defaults installed, a project with its stages in zone A, and the demo."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from kunlu.core.testing import World
from kunlu.projects import services
from kunlu.projects.models import Project, ProjectTier


@pytest.fixture
def defaults(db: None) -> None:
    services.defaults_install(actor=None)


@pytest.fixture
def project(world: World, defaults: None) -> Project:
    """A CNY project of enterprise A in zone A, signed in 2024, listed on 昆山市重大项目 for 2025."""
    made = services.project_create(
        data={
            "name": "测试智能制造项目",
            "territory": world.zone_a,
            "enterprise": world.enterprise_a,
            "signed_on": date(2024, 5, 20),
            "total_investment": Decimal(200000),
            "currency": "CNY",
        },
        actor=world.analyst_a,
    )
    made.listings.create(tier=ProjectTier.objects.get(code="kunshan"), year=2025)
    return made
