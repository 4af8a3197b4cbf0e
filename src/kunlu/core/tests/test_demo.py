"""The demo zone: loaded by `kunlu demo`, idempotent, with a login for every kind of user."""

from __future__ import annotations

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import Client

from kunlu.accounts.demo import DEMO_PASSWORD, USERS
from kunlu.core.models import Territory, TerritoryKind


def _counts() -> dict[str, int]:
    return {
        m._meta.label: m._default_manager.count()
        for m in apps.get_models()
        if m.__module__.startswith("kunlu.")
    }


@pytest.mark.django_db
def test_demo_loads_and_loading_twice_changes_nothing() -> None:
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "Kunlu#Demo2025" in out.getvalue() and "analyst_gx" in out.getvalue()
    first = _counts()
    call_command("load_demo", stdout=StringIO())
    assert _counts() == first


@pytest.mark.django_db
def test_demo_city_has_three_zones_including_kunshan_hi_tech() -> None:
    call_command("load_demo", stdout=StringIO())
    city = Territory.objects.get(kind=TerritoryKind.CITY)
    zones = Territory.objects.filter(kind=TerritoryKind.ZONE, parent=city)
    assert zones.count() >= 3
    assert zones.filter(name="昆山高新区（示例数据）", is_demo=True).exists()
    assert Territory.objects.filter(kind=TerritoryKind.PEER_CITY).exists()


@pytest.mark.django_db
def test_every_demo_user_can_log_in() -> None:
    call_command("load_demo", stdout=StringIO())
    for username, *_rest in USERS:
        response = Client().post("/login/", {"username": username, "password": DEMO_PASSWORD})
        assert response.status_code == 302 and response["Location"] == "/", username
