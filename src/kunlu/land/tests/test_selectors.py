"""Selectors: idle-land flags and the park overview, for the parcels a user may see."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from kunlu.land import services
from kunlu.land.choices import ParcelStatus
from kunlu.land.selectors import IdleLevel, idle_flag, idle_flags, park_overview
from kunlu.land.tests.conftest import Land


def test_idle_flags_follow_the_national_rule(land: Land) -> None:
    """Agreed start 2024-10-31, price 960万元: late from the next day, 闲置费 192万元 from 2025-10-31,
    无偿收回 from 2026-10-31."""
    parcel = land.awarded()
    assert idle_flag(parcel, date(2024, 10, 31)) is None
    late = idle_flag(parcel, date(2024, 11, 1))
    assert late is not None and late.level == IdleLevel.LATE and late.fee_wan is None
    fee = idle_flag(parcel, date(2025, 10, 31))
    assert fee is not None and fee.level == IdleLevel.FEE and fee.fee_wan == Decimal(192)
    recover = idle_flag(parcel, date(2026, 10, 31))
    assert recover is not None and recover.level == IdleLevel.RECOVER and "无偿收回" in recover.label
    services.parcel_transition(parcel=parcel, to=ParcelStatus.BUILDING, on=date(2025, 1, 5), actor=None)
    parcel.refresh_from_db()
    assert idle_flag(parcel, date(2026, 10, 31)) is None  # started, even if late


def test_idle_flags_are_scoped(land: Land) -> None:
    land.awarded()
    land.awarded("ZB-01", applicant="enterprise_b", territory=land.world.zone_b)
    w = land.world
    assert [f.parcel.code for f in idle_flags(user=w.analyst_a, as_of=date(2026, 1, 1))] == ["ZA-01"]
    assert len(idle_flags(user=w.city_analyst, as_of=date(2026, 1, 1))) == 2
    assert idle_flags(user=w.nobody_a, as_of=date(2026, 1, 1)) == []
    assert len(idle_flags(user=w.city_analyst, as_of=date(2026, 1, 1), territory=w.zone_b)) == 1


def test_park_overview_counts_from_commitments(land: Land) -> None:
    land.awarded()  # enterprise A: 20亩, committed 1760/亩, 5280/亩, 165/亩
    land.awarded("ZA-02", applicant="enterprise_b", area=10)  # enterprise B: 3300/10 = 330 tax per mu
    land.listed("ZA-03")  # listed only: not counted
    overview = park_overview(user=land.world.analyst_a, territory=land.world.zone_a, threshold=Decimal(200))
    assert overview.enterprise_count == 2 and overview.parcels == 2 and overview.area_mu == 30
    assert overview.investment_wan == Decimal(35200) * 2  # committed intensity × area = declared investment
    assert overview.output_wan == Decimal(105600) * 2
    assert overview.tax_committed_above == 1  # only B above 200万元/亩
    assert park_overview(user=land.world.analyst_b, territory=land.world.zone_a).enterprise_count == 0
