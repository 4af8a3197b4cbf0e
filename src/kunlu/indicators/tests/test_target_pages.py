"""Target and exchange-rate pages: targets versioned (never edited), rates plain CRUD with history."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from kunlu.core.menus import items_for
from kunlu.core.models import AuditEvent
from kunlu.core.services import period_for
from kunlu.core.testing import PermissionTriple, World, client_for
from kunlu.indicators import services
from kunlu.indicators.models import ExchangeRate, Indicator, Target
from kunlu.indicators.views import ExchangeRateViewSet, TargetViewSet


@pytest.fixture
def fai(world: World) -> Indicator:
    services.catalogue_install_defaults(actor=None)
    return Indicator.objects.get(code="fai")


def _post_target(client: Client, fai: Indicator, world: World, value: str) -> Any:
    return client.post(
        reverse("indicators_target_add"),
        {"indicator": fai.pk, "territory": world.zone_a.pk, "year": 2025, "value": value, "note": ""},
    )


def test_a_target_set_by_hand_is_versioned(world: World, fai: Indicator) -> None:
    client = client_for(world.analyst_a)
    assert _post_target(client, fai, world, "1500000").status_code == 302
    assert _post_target(client, fai, world, "1500000").status_code == 302  # the same value writes nothing
    assert _post_target(client, fai, world, "1600000").status_code == 302
    assert list(Target.objects.order_by("version").values_list("version", "value")) == [
        (1, Decimal(1500000)),
        (2, Decimal(1600000)),
    ]
    current = Target.objects.get(superseded_at__isnull=True)
    assert current.recorded_by == world.analyst_a
    assert AuditEvent.objects.filter(event="indicators.target.set").count() == 2
    history = client.get(reverse("indicators_target_history", args=[current.pk]))
    assert history.status_code == 200
    assert [t.version for t in history.context["facts"]] == [2, 1]


def test_targets_cannot_be_edited_or_deleted(world: World, fai: Indicator) -> None:
    target, _ = services.target_set(
        indicator=fai, territory=world.zone_a, year=2025, value=Decimal(1), actor=None
    )
    for view in ("edit", "delete"):
        with pytest.raises(NoReverseMatch):
            reverse(f"indicators_target_{view}", args=[target.pk])
    client = client_for(world.admin)
    assert client.delete(f"/api/targets/{target.pk}/").status_code == 405
    assert client.patch(f"/api/targets/{target.pk}/", {"value": "2"}).status_code == 405


def test_an_analyst_cannot_set_another_zones_target(world: World, fai: Indicator) -> None:
    response = _post_target(client_for(world.analyst_b), fai, world, "1")
    assert response.status_code == 200 and "territory" in response.context["form"].errors
    assert not Target.objects.exists()


def test_the_api_sets_targets_as_versions(world: World, fai: Indicator) -> None:
    client = client_for(world.analyst_a)
    payload = {"indicator": fai.pk, "territory": world.zone_a.pk, "year": 2025, "value": "100"}
    assert client.post("/api/targets/", payload).status_code == 201
    assert client.post("/api/targets/", {**payload, "value": "120"}).status_code == 201
    assert list(Target.objects.order_by("version").values_list("version", "value")) == [
        (1, Decimal(100)),
        (2, Decimal(120)),
    ]
    refused = client_for(world.analyst_b).post(
        "/api/targets/", {**payload, "territory": world.zone_a.pk, "value": "1"}
    )
    assert refused.status_code == 400
    assert Target.objects.count() == 2


def test_the_list_shows_current_targets_as_of_a_moment(world: World, fai: Indicator) -> None:
    services.target_set(indicator=fai, territory=world.zone_a, year=2025, value=Decimal(100), actor=None)
    between = timezone.now()
    services.target_set(indicator=fai, territory=world.zone_a, year=2025, value=Decimal(120), actor=None)
    client = client_for(world.analyst_a)
    url = reverse("indicators_target_list")

    def values(**query: str) -> list[Decimal]:
        return [row.record.value for row in client.get(url, query).context["table"].page.object_list]

    assert values() == [Decimal(120)]
    assert values(year="2025") == [Decimal(120)]
    assert values(as_of=between.isoformat()) == [Decimal(100)]
    assert sorted(values(all_versions="true")) == [Decimal(100), Decimal(120)]


def test_the_target_list_costs_the_same_queries_for_more_rows(world: World, fai: Indicator) -> None:
    client = client_for(world.analyst_a)
    url = reverse("indicators_target_list")

    def queries() -> int:
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    services.target_set(
        indicator=fai, territory=world.zone_a, year=2025, value=Decimal(1), actor=world.analyst_a
    )
    one = queries()
    for code in ("ind_investment", "retail", "trade", "gdp"):
        indicator = Indicator.objects.get(code=code)
        services.target_set(
            indicator=indicator, territory=world.zone_a, year=2025, value=Decimal(1), actor=world.analyst_a
        )
    assert queries() == one


def test_an_exchange_rate_is_added_corrected_and_deleted_with_its_history(world: World) -> None:
    client = client_for(world.admin)
    data = {"year": 2025, "month": 9, "currency": "USD", "cny_per_unit": "7.1", "source": "人民银行"}
    assert client.post(reverse("indicators_exchangerate_add"), data).status_code == 302
    rate = ExchangeRate.objects.get()
    assert (rate.period, rate.cny_per_unit) == (period_for(2025, 9), Decimal("7.1"))
    edit = reverse("indicators_exchangerate_edit", args=[rate.pk])
    assert client.get(edit).context["form"].initial["month"] == 9
    assert client.post(edit, {**data, "cny_per_unit": "7.12"}).status_code == 302
    rate.refresh_from_db()
    assert rate.cny_per_unit == Decimal("7.12")
    history = client.get(reverse("indicators_exchangerate_history", args=[rate.pk]))
    assert history.status_code == 200 and len(history.context["versions"]) == 2
    again = client.post(reverse("indicators_exchangerate_add"), data)
    assert again.status_code == 200 and again.context["form"].errors  # one rate a month and currency
    assert client.post(reverse("indicators_exchangerate_delete", args=[rate.pk])).status_code == 302
    assert not ExchangeRate.objects.exists()
    events = set(
        AuditEvent.objects.filter(event__startswith="indicators.exchangerate").values_list("event", flat=True)
    )
    assert events == {
        "indicators.exchangerate.create",
        "indicators.exchangerate.update",
        "indicators.exchangerate.delete",
    }


def test_an_analyst_adds_a_rate_through_the_api(world: World) -> None:
    period = period_for(2025, 8)
    payload = {"period": period.pk, "currency": "USD", "cny_per_unit": "7.15"}
    assert client_for(world.analyst_a).post("/api/exchange-rates/", payload).status_code == 201
    assert ExchangeRate.objects.get().period == period


def test_the_menu_lists_targets_and_rates_under_monitoring(world: World) -> None:
    labels = {(str(item.group), str(item.label)) for item in items_for(world.analyst_a)}
    assert {("经济运行监测", "年度目标"), ("经济运行监测", "汇率")} <= labels
    hidden = {str(item.label) for item in items_for(world.nobody_a)}
    assert not {"年度目标", "汇率"} & hidden


class TestTargetTriple(PermissionTriple):
    viewset = TargetViewSet

    def make_object(self, world: World) -> Target:
        services.catalogue_install_defaults(actor=None)
        target, _ = services.target_set(
            indicator=Indicator.objects.get(code="fai"),
            territory=world.zone_a,
            year=2025,
            value=Decimal(1500000),
            actor=None,
        )
        return target

    def test_enterprise_users_see_no_targets(self, world: World) -> None:
        target = self.make_object(world)
        client = client_for(world.enterprise_user_a)
        assert client.get(self.viewset.detail_url(target)).status_code == 404
        assert client.get(reverse("indicators_target_list")).status_code == 404


class TestExchangeRateTriple(PermissionTriple):
    """Rates are not territorial: the triple's "other" is a user with no grant at all."""

    viewset = ExchangeRateViewSet
    other = "enterprise_user_a"

    def make_object(self, world: World) -> ExchangeRate:
        return services.exchange_rate_create(
            data={"year": 2025, "month": 9, "currency": "USD", "cny_per_unit": Decimal("7.1")}, actor=None
        )

    def test_other_zones_see_the_same_rates(self, world: World) -> None:
        rate = self.make_object(world)
        assert client_for(world.analyst_b).get(self.viewset.detail_url(rate)).status_code == 200
