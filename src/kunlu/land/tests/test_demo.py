"""The demo: loaded with the demo zone, idempotent, and the park's figures computed from its records."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command

from kunlu.accounts.models import User
from kunlu.core.models import AuditEvent, Territory
from kunlu.land.choices import ActionStatus, ParcelStatus, RemedyKind
from kunlu.land.models import Parcel, RemedyAction, ReviewResult
from kunlu.land.selectors import IdleLevel, idle_flags, park_overview


def _counts() -> dict[str, int]:
    models = [m for m in apps.get_models() if m._meta.app_label == "land"]
    return {m._meta.label: m._default_manager.count() for m in models} | {"audit": AuditEvent.objects.count()}


@pytest.fixture
def demo(db: None) -> None:
    call_command("load_demo", stdout=StringIO())


def test_loading_twice_changes_nothing(demo: None) -> None:
    first = _counts()
    call_command("load_demo", stdout=StringIO())
    assert _counts() == first


def test_park_figures_are_computed_from_the_records(demo: None) -> None:
    """8 headquarters enterprises, 40亿元 investment, 120亿元 annual output, all 亩均税收 > 150万元/亩."""
    park = Territory.objects.get(code="KS-GX-ZB")
    overview = park_overview(user=User.objects.get(username="leader_gx"), territory=park)
    assert overview.enterprise_count == 8
    assert overview.headquarters == 8  # every holder is a 总部企业 in the registry
    assert overview.investment_wan == Decimal(400000)  # 万元 = 40亿元
    assert overview.output_wan == Decimal(1200000)  # 万元 = 120亿元
    assert overview.tax_committed_above == 8 and overview.all_above
    assert overview.threshold == Decimal(150)
    assert all(row["tax_per_mu"] > 150 for row in overview.rows)
    # Every parcel went the real way: listed with its standard, scored, decided, started.
    for parcel in Parcel.objects.filter(territory=park):
        assert parcel.status == ParcelStatus.BUILDING
        assert parcel.allocations.get(is_current=True).winner.rank == 1
        assert parcel.applications.count() == 2
        assert parcel.control_values.count() == 4


def test_the_park_page_shows_the_figures(demo: None) -> None:
    from django.test import Client

    from kunlu.accounts.demo import DEMO_PASSWORD

    client = Client()
    assert client.post("/login/", {"username": "leader_gx", "password": DEMO_PASSWORD}).status_code == 302
    page = client.get("/land/park/", {"territory": "KS-GX-ZB"}).content.decode()
    assert "40.0亿元" in page and "120.0亿元" in page and "8/8" in page


def test_one_completion_review_with_a_shortfall_and_its_remedy(demo: None) -> None:
    result = ReviewResult.objects.get(met=False)
    assert result.commitment.indicator.code == "investment_intensity"
    assert result.shortfall == Decimal("0.15")
    action = RemedyAction.objects.get()
    assert action.kind == RemedyKind.PENALTY and action.status == ActionStatus.OPEN
    assert action.amount_wan == Decimal(144)  # 960万元 × 15% × 1


def test_one_idle_parcel(demo: None) -> None:
    flags = idle_flags(user=User.objects.get(username="analyst_city"), as_of=date(2026, 11, 25))
    assert [f.parcel.status for f in flags] == [ParcelStatus.IDLE]
    assert flags[0].level == IdleLevel.RECOVER
