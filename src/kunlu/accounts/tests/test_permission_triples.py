"""The permission triple for every declared model of core and accounts."""

from __future__ import annotations

from kunlu.accounts.models import Organisation, RoleGrant, User
from kunlu.accounts.views import OrganisationViewSet, RoleGrantViewSet, UserViewSet
from kunlu.core.models import Territory
from kunlu.core.testing import PermissionTriple, World
from kunlu.core.views import TerritoryViewSet


class TestTerritoryTriple(PermissionTriple):
    viewset = TerritoryViewSet

    def make_object(self, world: World) -> Territory:
        return world.zone_a


class TestOrganisationTriple(PermissionTriple):
    viewset = OrganisationViewSet

    def make_object(self, world: World) -> Organisation:
        return world.bureau_a


class TestOrganisationEnterpriseTriple(PermissionTriple):
    """An enterprise user sees its own enterprise, not another enterprise of the same zone or another."""

    viewset = OrganisationViewSet
    allowed = "enterprise_user_a"
    other = "enterprise_user_b"

    def make_object(self, world: World) -> Organisation:
        return world.enterprise_a


class TestUserTriple(PermissionTriple):
    viewset = UserViewSet

    def make_object(self, world: World) -> User:
        return world.nobody_a


class TestRoleGrantTriple(PermissionTriple):
    viewset = RoleGrantViewSet

    def make_object(self, world: World) -> RoleGrant:
        return world.analyst_a.grants.get(role__code="analyst")
