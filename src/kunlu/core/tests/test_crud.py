"""Declared CRUD pages: add, edit, delete (confirmed, refused when referenced), history, export."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kunlu.accounts.models import Organisation, User
from kunlu.core.models import AuditEvent, Territory, TerritoryKind
from kunlu.core.testing import World, client_for, xlsx_rows


def test_add_territory_records_history_and_event(world: World) -> None:
    client = client_for(world.admin)
    response = client.post(
        reverse("core_territory_add"),
        {
            "code": "ZA-P1",
            "name": "甲区一号园",
            "kind": TerritoryKind.PARK,
            "parent": world.zone_a.pk,
            "sort_order": 1,
        },
    )
    territory = Territory.objects.get(code="ZA-P1")
    assert response.status_code == 302 and response["Location"] == f"/territories/{territory.pk}/"
    assert territory.path == f"{world.zone_a.path}{territory.pk}/"
    assert territory.history.count() >= 1
    assert AuditEvent.objects.filter(event="core.territory.create", object_id=str(territory.pk)).exists()


def test_form_errors_are_shown_beside_the_field(world: World) -> None:
    response = client_for(world.admin).post(reverse("core_territory_add"), {"code": "", "name": "无代码"})
    assert response.status_code == 200
    assert "code" in response.context["form"].errors
    assert not Territory.objects.filter(name="无代码").exists()


def test_moving_a_territory_reroots_its_subtree(world: World) -> None:
    client = client_for(world.admin)
    park = Territory.objects.create(
        code="P", name="园", kind=TerritoryKind.PARK, parent=world.zone_a, path="/"
    )
    park.path = f"{world.zone_a.path}{park.pk}/"
    park.save()
    client.post(
        reverse("core_territory_edit", args=[world.zone_a.pk]),
        {
            "code": "ZA",
            "name": "甲开发区",
            "kind": TerritoryKind.ZONE,
            "parent": world.zone_b.pk,
            "sort_order": 0,
        },
    )
    world.zone_a.refresh_from_db()
    park.refresh_from_db()
    assert world.zone_a.path == f"{world.zone_b.path}{world.zone_a.pk}/"
    assert park.path.startswith(world.zone_a.path)


def test_a_territory_cannot_move_beneath_itself(world: World) -> None:
    response = client_for(world.admin).post(
        reverse("core_territory_edit", args=[world.city.pk]),
        {
            "code": "C1",
            "name": "测试市",
            "kind": TerritoryKind.CITY,
            "parent": world.zone_a.pk,
            "sort_order": 0,
        },
    )
    assert response.status_code == 200
    assert "parent" in response.context["form"].errors
    world.city.refresh_from_db()
    assert world.city.parent is None


def test_delete_needs_confirmation_and_is_refused_when_referenced(world: World) -> None:
    client = client_for(world.admin)
    url = reverse("core_territory_delete", args=[world.zone_a.pk])
    assert client.get(url).status_code == 200
    assert Territory.objects.filter(pk=world.zone_a.pk).exists()
    response = client.post(url)
    assert response.status_code == 200
    assert response.context["referenced_by"]
    assert Territory.objects.filter(pk=world.zone_a.pk).exists()
    assert not AuditEvent.objects.filter(event="core.territory.delete").exists()


def test_delete_of_an_unreferenced_record(world: World) -> None:
    client = client_for(world.admin)
    lonely = Territory.objects.create(code="X", name="孤立", kind=TerritoryKind.PEER_CITY, path="/x/")
    response = client.post(reverse("core_territory_delete", args=[lonely.pk]))
    assert response.status_code == 302
    assert not Territory.objects.filter(pk=lonely.pk).exists()
    assert AuditEvent.objects.filter(event="core.territory.delete", object_id=str(lonely.pk)).exists()


def test_history_page_shows_field_changes(world: World) -> None:
    client = client_for(world.admin)
    client.post(
        reverse("accounts_organisation_edit", args=[world.bureau_a.pk]),
        {"name": "甲区经济发展局", "kind": "bureau", "territory": world.zone_a.pk, "uscc": ""},
    )
    response = client.get(reverse("accounts_organisation_history", args=[world.bureau_a.pk]))
    changes = [c for v in response.context["versions"] for c in v["changes"]]
    assert ("名称", "甲区经发局", "甲区经济发展局") in changes
    assert any(e.event == "accounts.organisation.update" for e in response.context["events"])


def test_an_analyst_cannot_create_outside_their_zone(world: World) -> None:
    response = client_for(world.analyst_a).post(
        reverse("accounts_organisation_add"),
        {"name": "越权机构", "kind": "bureau", "territory": world.zone_b.pk},
    )
    assert response.status_code == 200
    assert "territory" in response.context["form"].errors  # zone B is not among the analyst's choices
    assert not Organisation.objects.filter(name="越权机构").exists()


def test_an_enterprise_user_cannot_add_organisations(world: World) -> None:
    assert client_for(world.enterprise_user_a).get(reverse("accounts_organisation_add")).status_code == 404


def test_list_filters_sort_and_paginate(world: World) -> None:
    client = client_for(world.city_analyst)
    response = client.get(reverse("accounts_organisation_list"), {"kind": "enterprise", "sort": "-name"})
    names = [row.record.name for row in response.context["table"].page.object_list]
    assert names == sorted(["甲区测试企业", "乙区测试企业"], reverse=True)
    territory = client.get(reverse("accounts_organisation_list"), {"territory": world.zone_a.pk})
    assert {row.record.territory_id for row in territory.context["table"].page.object_list} == {
        world.zone_a.pk
    }


def test_export_follows_the_filters(world: World) -> None:
    client = client_for(world.city_analyst)
    response = client.get(reverse("accounts_organisation_export"), {"kind": "enterprise"})
    rows = xlsx_rows(response.content)
    assert rows[0][:3] == ["名称", "类别", "所属地区"]
    assert {r[0] for r in rows[1:]} == {"甲区测试企业", "乙区测试企业"}
    assert {r[1] for r in rows[1:]} == {"企业"}
    assert AuditEvent.objects.filter(event="accounts.organisation.export", actor=world.city_analyst).exists()


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", ["accounts_organisation_list", "core_territory_list", "accounts_user_list"])
def test_list_queries_do_not_grow_with_rows(world: World, name: str) -> None:
    """An N+1 on a list page shows up as more queries for more rows."""
    client = client_for(world.admin)
    url = reverse(name)
    before = _queries(client, url)
    for n in range(10):
        territory = Territory.objects.create(
            code=f"T{n}",
            name=f"园{n}",
            kind=TerritoryKind.PARK,
            parent=world.zone_a,
            path=f"{world.zone_a.path}t{n}/",
        )
        org = Organisation.objects.create(name=f"机构{n}", kind="bureau", territory=territory)
        User.objects.create(username=f"u{n}", organisation=org)
    assert _queries(client, url) == before
