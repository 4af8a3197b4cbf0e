"""Shared test scaffolding: a small world of two zones and their users, and the permission triple.

Every scoped model's tests subclass `PermissionTriple`: the allowed user sees the record (page, export,
history, API), a user without the permission sees nothing, and a user of another territory or another
organisation gets a 404 for it — everywhere.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any, ClassVar

from django.db import models
from django.test import Client
from python_calamine import CalamineWorkbook

from kunlu.accounts import services as account_services
from kunlu.accounts.demo import demo_uscc
from kunlu.accounts.models import Organisation, OrganisationKind, User
from kunlu.core.models import Territory, TerritoryKind
from kunlu.core.services import territory_create
from kunlu.core.viewsets import CrudViewSet

PASSWORD = "Test#Pass2025"  # noqa: S105  (test users only)


@dataclass
class World:
    """Two zones of one city, with a bureau and an enterprise in each, and users of every standing."""

    city: Territory
    zone_a: Territory
    zone_b: Territory
    bureau_a: Organisation
    bureau_b: Organisation
    enterprise_a: Organisation
    enterprise_b: Organisation
    admin: User
    analyst_a: User
    analyst_b: User
    city_analyst: User
    nobody_a: User
    enterprise_user_a: User
    enterprise_user_b: User


def _territory(code: str, name: str, kind: str, parent: Territory | None) -> Territory:
    return territory_create(data={"code": code, "name": name, "kind": kind, "parent": parent}, actor=None)


def _org(name: str, kind: str, territory: Territory, uscc: str = "") -> Organisation:
    return account_services.organisation_create(
        data={"name": name, "kind": kind, "territory": territory, "uscc": uscc}, actor=None
    )


def _user(username: str, org: Organisation | None, grants: list[tuple[str, Territory]], **extra: Any) -> User:
    user = account_services.user_create(
        data={"username": username, "organisation": org, "password": PASSWORD, **extra}, actor=None
    )
    for role, territory in grants:
        account_services.role_grant(user=user, role_code=role, territory=territory, actor=None)
    return user


def build_world() -> World:
    account_services.roles_sync(actor=None)
    city = _territory("C1", "测试市", TerritoryKind.CITY, None)
    zone_a = _territory("ZA", "甲开发区", TerritoryKind.ZONE, city)
    zone_b = _territory("ZB", "乙开发区", TerritoryKind.ZONE, city)
    bureau_a = _org("甲区经发局", OrganisationKind.BUREAU, zone_a)
    bureau_b = _org("乙区经发局", OrganisationKind.BUREAU, zone_b)
    enterprise_a = _org("甲区测试企业", OrganisationKind.ENTERPRISE, zone_a, demo_uscc(101))
    enterprise_b = _org("乙区测试企业", OrganisationKind.ENTERPRISE, zone_b, demo_uscc(102))
    return World(
        city=city,
        zone_a=zone_a,
        zone_b=zone_b,
        bureau_a=bureau_a,
        bureau_b=bureau_b,
        enterprise_a=enterprise_a,
        enterprise_b=enterprise_b,
        admin=_user("root_admin", None, [], is_superuser=True, is_staff=True),
        analyst_a=_user("analyst_a", bureau_a, [("analyst", zone_a), ("user_admin", zone_a)]),
        analyst_b=_user("analyst_b", bureau_b, [("analyst", zone_b), ("user_admin", zone_b)]),
        city_analyst=_user("analyst_c", None, [("analyst", city)]),
        nobody_a=_user("nobody_a", bureau_a, []),
        enterprise_user_a=_user("ent_a", enterprise_a, [("enterprise", zone_a)]),
        enterprise_user_b=_user("ent_b", enterprise_b, [("enterprise", zone_b)]),
    )


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def xlsx_rows(content: bytes) -> list[list[Any]]:
    """The first sheet of an xlsx as rows of values."""
    book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    return book.get_sheet_by_index(0).to_python()


class PermissionTriple:
    """The permission triple for a declared model: allowed / forbidden / other territory or organisation.

    Subclasses set `viewset` and the names of the three users in the World, and implement `make_object`
    (a record the allowed user may see and the other user may not).
    """

    viewset: ClassVar[type[CrudViewSet]]
    allowed: ClassVar[str] = "analyst_a"
    forbidden: ClassVar[str] = "nobody_a"
    other: ClassVar[str] = "analyst_b"

    def make_object(self, world: World) -> models.Model:
        raise NotImplementedError

    def _client(self, world: World, who: str) -> Client:
        return client_for(getattr(world, who))

    def _api_url(self, obj: models.Model | None = None) -> str:
        base = f"/api/{self.viewset.api_route()}/"
        return base if obj is None else f"{base}{obj.pk}/"

    def test_detail_triple(self, world: World) -> None:
        obj = self.make_object(world)
        url = self.viewset.detail_url(obj)
        assert self._client(world, self.allowed).get(url).status_code == 200
        assert self._client(world, self.forbidden).get(url).status_code == 404
        assert self._client(world, self.other).get(url).status_code == 404

    def test_history_triple(self, world: World) -> None:
        obj = self.make_object(world)
        from django.urls import reverse

        url = reverse(self.viewset.url_name("history"), args=[obj.pk])
        assert self._client(world, self.allowed).get(url).status_code == 200
        assert self._client(world, self.forbidden).get(url).status_code == 404
        assert self._client(world, self.other).get(url).status_code == 404

    def test_list_triple(self, world: World) -> None:
        obj = self.make_object(world)
        from django.urls import reverse

        url = reverse(self.viewset.url_name("list"))
        allowed = self._client(world, self.allowed).get(url)
        assert allowed.status_code == 200
        assert obj.pk in [row.record.pk for row in allowed.context["table"].page.object_list]
        assert self._client(world, self.forbidden).get(url).status_code == 404
        other = self._client(world, self.other).get(url)
        assert other.status_code == 404 or obj.pk not in [
            r.record.pk for r in other.context["table"].page.object_list
        ]

    def test_export_triple(self, world: World) -> None:
        obj = self.make_object(world)
        from django.urls import reverse

        url = reverse(self.viewset.url_name("export"))
        first_field = self.viewset.export_fields[0]
        from kunlu.core.fields import field_value

        marker = field_value(obj, first_field)
        allowed = self._client(world, self.allowed).get(url)
        assert allowed.status_code == 200
        assert marker in [row[0] for row in xlsx_rows(allowed.content)[1:]]
        assert self._client(world, self.forbidden).get(url).status_code == 404
        other = self._client(world, self.other).get(url)
        assert other.status_code == 404 or marker not in [row[0] for row in xlsx_rows(other.content)[1:]]

    def test_api_triple(self, world: World) -> None:
        obj = self.make_object(world)
        allowed = self._client(world, self.allowed)
        assert allowed.get(self._api_url(obj)).status_code == 200
        assert obj.pk in [r["id"] for r in allowed.get(self._api_url(), {"page_size": 500}).json()["results"]]
        forbidden = self._client(world, self.forbidden)
        assert forbidden.get(self._api_url(obj)).status_code == 404
        assert forbidden.get(self._api_url()).status_code == 404
        other = self._client(world, self.other)
        assert other.get(self._api_url(obj)).status_code == 404
        listed = other.get(self._api_url())
        assert listed.status_code == 404 or obj.pk not in [r["id"] for r in listed.json()["results"]]
