"""The loader: database facts, as of a moment, become the engine's tables; the engine's bulletin agrees."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from kunlu.core.services import period_for
from kunlu.core.testing import World
from kunlu.engine.api import bulletin, open_backend
from kunlu.engine.periods import ReportingMonth
from kunlu.indicators import services
from kunlu.indicators.loaders import engine_tables, month_values
from kunlu.indicators.models import Indicator


def test_cumulative_reports_become_month_values() -> None:
    rows = [
        (1, "trade", 2025, 2, "ytd", Decimal(30)),  # 1–2月 merged: February takes it whole
        (1, "trade", 2025, 3, "ytd", Decimal(45)),
        (1, "trade", 2025, 5, "ytd", Decimal(70)),  # April missing: May takes the difference from March
        (2, "trade", 2025, 3, "month", Decimal(7)),
    ]
    assert sorted(month_values(rows)) == [
        (1, "trade", 202502, 30.0),
        (1, "trade", 202503, 15.0),
        (1, "trade", 202505, 25.0),
        (2, "trade", 202503, 7.0),
    ]


@pytest.fixture
def trade(world: World) -> Indicator:
    services.catalogue_install_defaults(actor=None)
    return Indicator.objects.get(code="trade")


def test_bulletin_from_the_database(world: World, trade: Indicator) -> None:
    record = services.unit_observation_record
    for enterprise, values in ((world.enterprise_a, (100, 120)), (world.enterprise_b, (50, 45))):
        for year, value in zip((2024, 2025), values, strict=True):
            record(
                indicator=trade,
                enterprise=enterprise,
                period=period_for(year, 9),
                basis="ytd",
                value=Decimal(value),
                actor=None,
            )
    services.target_set(indicator=trade, territory=world.zone_a, year=2025, value=Decimal(150), actor=None)
    backend = open_backend(engine_tables(city=world.city, year=2025))
    rows = {
        (r["zone_code"], r["indicator_code"]): r
        for r in bulletin(backend, ReportingMonth(2025, 9)).to_pylist()
    }
    zone_a, city = rows[("ZA", "trade")], rows[("CITY", "trade")]
    assert zone_a["ytd_value"] == 120 and zone_a["yoy_comparable"] == pytest.approx(0.2)
    assert city["ytd_value"] == 165 and city["yoy_comparable"] == pytest.approx(165 / 150 - 1)
    assert zone_a["share_of_city"] == pytest.approx(120 / 165)
    assert zone_a["target_completion"] == pytest.approx(0.8) and zone_a["rank_ytd"] == 1


def test_the_engine_sees_facts_as_they_stood(world: World, trade: Indicator) -> None:
    before = timezone.now() - timedelta(days=2)
    record = services.unit_observation_record
    record(
        indicator=trade,
        enterprise=world.enterprise_a,
        period=period_for(2025, 9),
        basis="month",
        value=Decimal(10),
        actor=None,
        at=before,
    )
    record(
        indicator=trade,
        enterprise=world.enterprise_a,
        period=period_for(2025, 9),
        basis="month",
        value=Decimal(12),
        actor=None,
    )

    def ytd(moment: datetime | None) -> float:
        table = bulletin(
            open_backend(engine_tables(city=world.city, year=2025, moment=moment)), ReportingMonth(2025, 9)
        )
        return float(
            next(
                r["ytd_value"]
                for r in table.to_pylist()
                if r["zone_code"] == "ZA" and r["indicator_code"] == "trade"
            )
        )

    assert ytd(before + timedelta(days=1)) == 10
    assert ytd(None) == 12
