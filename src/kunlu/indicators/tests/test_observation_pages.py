"""Observation pages: record by hand (a new version when the value changes), read as of a moment, no edits."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from kunlu.core.services import period_for
from kunlu.core.testing import PermissionTriple, World, client_for
from kunlu.indicators import services
from kunlu.indicators.models import Indicator, Observation
from kunlu.indicators.views import ObservationViewSet


@pytest.fixture
def trade(world: World) -> Indicator:
    services.catalogue_install_defaults(actor=None)
    return Indicator.objects.get(code="trade")


def _post(client, trade: Indicator, world: World, value: str):  # type: ignore[no-untyped-def]
    return client.post(
        reverse("indicators_observation_add"),
        {
            "indicator": trade.pk,
            "territory": world.zone_a.pk,
            "year": 2025,
            "month": 9,
            "basis": "ytd",
            "value": value,
            "source": "海关",
        },
    )


def test_recording_by_hand_versions_the_value(world: World, trade: Indicator) -> None:
    client = client_for(world.analyst_a)
    assert _post(client, trade, world, "752000").status_code == 302
    assert _post(client, trade, world, "752000").status_code == 302  # the same value again writes nothing
    assert _post(client, trade, world, "753000").status_code == 302
    assert list(Observation.objects.order_by("version").values_list("version", "value")) == [
        (1, Decimal("752000")),
        (2, Decimal("753000")),
    ]
    current = Observation.objects.get(superseded_at__isnull=True)
    history = client.get(reverse("indicators_observation_history", args=[current.pk]))
    assert [f.version for f in history.context["facts"]] == [2, 1]


def test_an_analyst_cannot_record_for_another_zone(world: World, trade: Indicator) -> None:
    response = client_for(world.analyst_b).post(
        reverse("indicators_observation_add"),
        {
            "indicator": trade.pk,
            "territory": world.zone_a.pk,
            "year": 2025,
            "month": 9,
            "basis": "ytd",
            "value": "1",
        },
    )
    assert response.status_code == 200 and "territory" in response.context["form"].errors
    assert not Observation.objects.exists()


def test_observations_cannot_be_edited_or_deleted(world: World, trade: Indicator) -> None:
    obs, _ = services.observation_record(
        indicator=trade,
        territory=world.zone_a,
        period=period_for(2025, 9),
        basis="ytd",
        value=Decimal(1),
        actor=None,
    )
    with pytest.raises(NoReverseMatch):
        reverse("indicators_observation_edit", args=[obs.pk])
    client = client_for(world.admin)
    assert client.delete(f"/api/observations/{obs.pk}/").status_code == 405
    assert client.patch(f"/api/observations/{obs.pk}/", {"value": "2"}).status_code == 405


def test_the_list_shows_values_as_of_a_moment(world: World, trade: Indicator) -> None:
    t0 = timezone.now() - timedelta(days=3)
    for days, value in ((0, "100"), (2, "110")):
        services.observation_record(
            indicator=trade,
            territory=world.zone_a,
            period=period_for(2025, 9),
            basis="ytd",
            value=Decimal(value),
            actor=None,
            at=t0 + timedelta(days=days),
        )
    client = client_for(world.analyst_a)
    url = reverse("indicators_observation_list")

    def values(**query: str) -> list[Decimal]:
        return [row.record.value for row in client.get(url, query).context["table"].page.object_list]

    assert values() == [Decimal("110")]
    assert values(as_of=(t0 + timedelta(days=1)).isoformat()) == [Decimal("100")]
    assert sorted(values(all_versions="true")) == [Decimal("100"), Decimal("110")]


class TestObservationTriple(PermissionTriple):
    viewset = ObservationViewSet

    def make_object(self, world: World) -> Observation:
        services.catalogue_install_defaults(actor=None)
        obs, _ = services.observation_record(
            indicator=Indicator.objects.get(code="gdp"),
            territory=world.zone_a,
            period=period_for(2025, 9),
            basis="ytd",
            value=Decimal(5),
            actor=None,
        )
        return obs
