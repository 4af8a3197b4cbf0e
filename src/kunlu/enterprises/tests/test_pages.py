"""The registry's pages: the list (filters, query count), the enterprise page, registering and renaming."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kunlu.accounts.demo import demo_uscc
from kunlu.accounts.models import Organisation
from kunlu.core.testing import World, client_for
from kunlu.enterprises import services
from kunlu.enterprises.models import EnterpriseProfile, Industry
from kunlu.enterprises.selectors import LandHolding, _land_sources, register_land_source
from kunlu.enterprises.tests.conftest import registration

LIST = reverse("enterprises_enterpriseprofile_list")


def listed(world: World, **query: str) -> set[str]:
    response = client_for(world.city_analyst).get(LIST, query)
    assert response.status_code == 200
    return {row.record.organisation.name for row in response.context["table"].page.object_list}


def test_filters_by_zone_industry_flags_and_text(world: World) -> None:
    services.enterprise_register(data=registration(world.zone_a, 401, name="甲装备"), actor=None)
    services.enterprise_register(
        data=registration(
            world.zone_b,
            402,
            name="乙软件",
            industry=Industry.objects.get(code="65"),
            is_above_scale=False,
            is_headquarters=True,
        ),
        actor=None,
    )
    assert listed(world) == {"甲装备", "乙软件"}
    assert listed(world, territory=str(world.zone_a.pk)) == {"甲装备"}
    assert listed(world, section=str(Industry.objects.get(code="C").pk)) == {"甲装备"}
    assert listed(world, division=str(Industry.objects.get(code="65").pk)) == {"乙软件"}
    assert listed(world, is_above_scale="true") == {"甲装备"}
    assert listed(world, is_headquarters="true") == {"乙软件"}
    assert listed(world, q="软件") == {"乙软件"}
    assert listed(world, q=demo_uscc(401).lower()) == {"甲装备"}


def test_a_former_name_finds_the_enterprise(world: World) -> None:
    profile = services.enterprise_register(data=registration(world.zone_a, 403, name="旧名装备"), actor=None)
    services.enterprise_rename(
        enterprise=profile.organisation, name="新名装备", effective=date(2024, 1, 1), actor=None
    )
    assert listed(world, q="旧名") == {"新名装备"}


def test_list_queries_do_not_grow_with_rows(world: World) -> None:
    services.enterprise_register(data=registration(world.zone_a, 410), actor=None)
    client = client_for(world.analyst_a)
    with CaptureQueriesContext(connection) as one:
        assert client.get(LIST).status_code == 200
    for serial in range(411, 421):
        services.enterprise_register(data=registration(world.zone_a, serial), actor=None)
    with CaptureQueriesContext(connection) as many:
        assert client.get(LIST).status_code == 200
    assert len(many) == len(one)


def test_the_enterprise_page_shows_profile_names_and_land(world: World) -> None:
    profile = services.enterprise_register(
        data=registration(world.zone_a, 404, registered_capital="5000", founded_on=date(2012, 5, 1)),
        actor=None,
    )
    services.enterprise_rename(
        enterprise=profile.organisation, name="更名后装备", effective=date(2024, 3, 1), actor=None
    )

    def parcels(user: object, enterprise: Organisation) -> list[LandHolding]:
        return [
            LandHolding(
                code="KS-2024-07", area_mu=profile.land_area_mu or Decimal(0), use="工业", status="投产"
            )
        ]

    register_land_source(parcels)
    try:
        page = client_for(world.analyst_a).get(
            reverse("enterprises_enterpriseprofile_detail", args=[profile.pk])
        )
    finally:
        _land_sources.remove(parcels)
    text = page.content.decode()
    assert page.status_code == 200
    assert "更名后装备" in text and "测试装备制造有限公司404" in text and "2024-02-29" in text
    assert "5000.00万元" in text and "25.5亩" in text and "KS-2024-07" in text


def test_register_through_the_page_merges_by_credit_code(world: World) -> None:
    client = client_for(world.analyst_a)
    form = {
        "uscc": world.enterprise_a.uscc,
        "name": world.enterprise_a.name,
        "territory": world.zone_a.pk,
        "industry": Industry.objects.get(code="34").pk,
        "specialised_level": "none",
        "capital_currency": "CNY",
        "land_area_mu": "0",
    }
    refused = client.post(reverse("enterprises_enterpriseprofile_add"), form)
    assert refused.status_code == 200 and "用地面积须大于0" in refused.content.decode()
    response = client.post(reverse("enterprises_enterpriseprofile_add"), {**form, "land_area_mu": "30"})
    assert response.status_code == 302
    assert EnterpriseProfile.objects.get().organisation == world.enterprise_a
    assert Organisation.objects.filter(uscc=world.enterprise_a.uscc).count() == 1
    # the same code again through the form is refused: blank fields never wipe the stored ones
    again = client.post(reverse("enterprises_enterpriseprofile_add"), {**form, "land_area_mu": ""})
    assert again.status_code == 200
    assert [e.code for e in again.context["form"].errors.as_data()["uscc"]] == ["uscc_registered"]
    assert f"已登记为“{world.enterprise_a.name}”" in again.content.decode()
    assert EnterpriseProfile.objects.get().land_area_mu == 30


def test_the_page_cannot_take_over_another_zones_enterprise(world: World) -> None:
    form = {
        "uscc": world.enterprise_b.uscc,
        "name": world.enterprise_b.name,
        "territory": world.zone_a.pk,
        "specialised_level": "none",
        "capital_currency": "CNY",
    }
    refused = client_for(world.analyst_a).post(reverse("enterprises_enterpriseprofile_add"), form)
    assert refused.status_code == 200
    assert [e.code for e in refused.context["form"].errors.as_data()["uscc"]] == ["out_of_scope"]
    world.enterprise_b.refresh_from_db()
    assert world.enterprise_b.territory == world.zone_b and not EnterpriseProfile.objects.exists()


def test_rename_page(world: World) -> None:
    profile = services.enterprise_register(data={"uscc": world.enterprise_a.uscc}, actor=None)
    url = reverse("enterprises_enterpriseprofile_rename", args=[profile.pk])
    client = client_for(world.analyst_a)
    refused = client.post(url, {"name": world.enterprise_a.name, "effective": "2024-01-01"})
    assert refused.status_code == 200 and "新名称与现用名称相同" in refused.content.decode()
    assert client.post(url, {"name": "甲区新名企业", "effective": "2024-01-01"}).status_code == 302
    world.enterprise_a.refresh_from_db()
    assert world.enterprise_a.name == "甲区新名企业"
