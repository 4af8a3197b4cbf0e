"""The permission triple for the registry and the industry list: allowed, forbidden, other zone/enterprise."""

from __future__ import annotations

from django.urls import reverse

from kunlu.core.testing import PermissionTriple, World, client_for
from kunlu.enterprises import services
from kunlu.enterprises.models import EnterpriseProfile, Industry
from kunlu.enterprises.views import EnterpriseProfileViewSet, IndustryViewSet


def profile_of(world: World, which: str = "a") -> EnterpriseProfile:
    enterprise = world.enterprise_a if which == "a" else world.enterprise_b
    existing = EnterpriseProfile.objects.filter(organisation=enterprise).first()
    return existing or services.enterprise_register(
        data={"uscc": enterprise.uscc, "industry": Industry.objects.get(code="35"), "land_area_mu": "12"},
        actor=None,
    )


class TestEnterpriseZoneTriple(PermissionTriple):
    """Zone analysts see their zone's enterprises; the other zone's are a 404."""

    viewset = EnterpriseProfileViewSet

    def make_object(self, world: World) -> EnterpriseProfile:
        profile_of(world, "b")
        return profile_of(world, "a")

    def test_city_analyst_sees_every_zone(self, world: World) -> None:
        profile = self.make_object(world)
        assert client_for(world.city_analyst).get(self.viewset.detail_url(profile)).status_code == 200

    def test_other_zone_cannot_edit_or_rename(self, world: World) -> None:
        profile = self.make_object(world)
        for view in ("edit", "rename"):
            url = reverse(self.viewset.url_name(view), args=[profile.pk])
            assert client_for(world.analyst_a).get(url).status_code == 200
            assert client_for(world.analyst_b).get(url).status_code == 404


class TestEnterpriseOwnTriple(PermissionTriple):
    """An enterprise user sees its own enterprise only, and may not change it here."""

    viewset = EnterpriseProfileViewSet
    allowed = "enterprise_user_a"
    other = "enterprise_user_b"

    def make_object(self, world: World) -> EnterpriseProfile:
        profile_of(world, "b")
        return profile_of(world, "a")

    def test_the_enterprise_sees_no_edit_and_cannot_post(self, world: World) -> None:
        profile = self.make_object(world)
        client = client_for(world.enterprise_user_a)
        page = client.get(self.viewset.detail_url(profile))
        assert page.status_code == 200 and not page.context["can_change"]
        edit = reverse(self.viewset.url_name("edit"), args=[profile.pk])
        assert client.get(edit).status_code == 404
        assert client.post(edit, {"employees": 1}).status_code == 404
        api = client.patch(
            f"/api/enterprises/{profile.pk}/", {"employees": 1}, content_type="application/json"
        )
        assert api.status_code == 404
        profile.refresh_from_db()
        assert profile.employees is None


class TestIndustryTriple(PermissionTriple):
    """The classification is a catalogue for staff: analysts see all of it, users without a role nothing."""

    viewset = IndustryViewSet
    other = "nobody_a"

    def make_object(self, world: World) -> Industry:
        return Industry.objects.get(code="A")  # first on the first page

    def test_enterprise_users_do_not_browse_it(self, world: World) -> None:
        industry = self.make_object(world)
        assert client_for(world.enterprise_user_a).get(self.viewset.detail_url(industry)).status_code == 404
