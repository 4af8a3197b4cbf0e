"""The registry's REST API: scoped like the pages, writes through the services (one registration a code)."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from kunlu.accounts.demo import demo_uscc
from kunlu.accounts.models import Organisation
from kunlu.core.testing import World, client_for
from kunlu.enterprises import services
from kunlu.enterprises.models import EnterpriseProfile
from kunlu.enterprises.tests.conftest import registration

URL = "/api/enterprises/"


def test_an_enterprise_sees_only_itself(world: World) -> None:
    own = services.enterprise_register(data={"uscc": world.enterprise_a.uscc}, actor=None)
    other = services.enterprise_register(data={"uscc": world.enterprise_b.uscc}, actor=None)
    zone_a = services.enterprise_register(data=registration(world.zone_a), actor=None)
    client = client_for(world.enterprise_user_a)
    assert [r["id"] for r in client.get(URL).json()["results"]] == [own.pk]
    assert client.get(f"{URL}{own.pk}/").json()["uscc"] == world.enterprise_a.uscc
    assert client.get(f"{URL}{other.pk}/").status_code == 404
    assert client.get(f"{URL}{zone_a.pk}/").status_code == 404
    assert client_for(world.analyst_b).get(f"{URL}{own.pk}/").status_code == 404
    assert {r["id"] for r in client_for(world.analyst_a).get(URL).json()["results"]} == {own.pk, zone_a.pk}


def test_post_registers_and_refuses_a_credit_code_already_registered(world: World) -> None:
    client = client_for(world.analyst_a)
    body = {
        "uscc": demo_uscc(350),
        "name": "接口登记企业",
        "territory": "ZA",
        "industry": "35",
        "land_area_mu": "8",
    }
    created = client.post(URL, body, content_type="application/json")
    assert created.status_code == 201, created.json()
    again = client.post(
        URL,
        {"uscc": demo_uscc(350), "name": "接口登记企业", "territory": "ZA", "employees": 99},
        content_type="application/json",
    )
    assert again.status_code == 400
    assert again.json()["uscc"] == ["该统一社会信用代码已登记为“接口登记企业”，请在该企业页面修改"]
    assert Organisation.objects.filter(uscc=demo_uscc(350)).count() == 1
    profile = EnterpriseProfile.objects.get()
    assert profile.employees is None and profile.land_area_mu == 8 and profile.industry.code == "35"  # type: ignore[union-attr]


def test_post_cannot_take_over_an_enterprise_of_another_zone(world: World) -> None:
    services.enterprise_register(data={"uscc": world.enterprise_b.uscc}, actor=None)
    body = {"uscc": world.enterprise_b.uscc, "name": "乙区测试企业", "territory": "ZA"}
    response = client_for(world.analyst_a).post(URL, body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["uscc"] == ["该统一社会信用代码已由其他地区登记，无权修改"]
    world.enterprise_b.refresh_from_db()
    assert world.enterprise_b.territory == world.zone_b


def test_post_refuses_a_bad_check_digit_and_land_of_zero(world: World) -> None:
    client = client_for(world.analyst_a)
    good = demo_uscc(351)
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    body = {"uscc": bad, "name": "坏代码企业", "territory": "ZA"}
    refused = client.post(URL, body, content_type="application/json")
    assert refused.status_code == 400 and refused.json()["uscc"][0].startswith("统一社会信用代码校验位错误")
    refused = client.post(URL, {**body, "uscc": good, "land_area_mu": "0"}, content_type="application/json")
    assert refused.status_code == 400 and "用地面积须大于0" in refused.json()["land_area_mu"][0]
    assert not EnterpriseProfile.objects.exists()


def test_other_zone_cannot_register_in_zone_a(world: World) -> None:
    body = {"uscc": demo_uscc(352), "name": "越权企业", "territory": "ZA"}
    response = client_for(world.analyst_b).post(URL, body, content_type="application/json")
    assert response.status_code == 400
    assert not Organisation.objects.filter(uscc=demo_uscc(352)).exists()


def test_api_queries_do_not_grow_with_rows(world: World) -> None:
    services.enterprise_register(data=registration(world.zone_a, 360), actor=None)
    client = client_for(world.analyst_a)
    with CaptureQueriesContext(connection) as one:
        assert client.get(URL).status_code == 200
    for serial in range(361, 371):
        services.enterprise_register(data=registration(world.zone_a, serial), actor=None)
    with CaptureQueriesContext(connection) as many:
        assert client.get(URL).status_code == 200
    assert len(many) == len(one)
