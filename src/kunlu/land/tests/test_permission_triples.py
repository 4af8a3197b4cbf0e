"""The permission triple for every declared model of the land app: zone staff, enterprises, catalogues."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.urls import reverse

from kunlu.core.testing import PermissionTriple, World, client_for
from kunlu.land import services
from kunlu.land.choices import Stage
from kunlu.land.models import (
    Allocation,
    Application,
    Commitment,
    Criterion,
    IndicatorDefinition,
    Parcel,
    RemedyAction,
    RemedyRule,
    Review,
    Scorecard,
)
from kunlu.land.tests.conftest import build_land
from kunlu.land.views import (
    AllocationViewSet,
    ApplicationViewSet,
    CommitmentViewSet,
    CriterionViewSet,
    IndicatorDefinitionViewSet,
    ParcelViewSet,
    RemedyActionViewSet,
    RemedyRuleViewSet,
    ReviewViewSet,
    ScorecardViewSet,
)


def _reviewed(world: World) -> Review:
    land = build_land(world)
    parcel = land.awarded()
    ids = {c.indicator.code: c.pk for c in parcel.commitments.select_related("indicator")}
    return services.review_record(
        parcel=parcel,
        stage=Stage.COMPLETION,
        reviewed_on=date(2025, 11, 20),
        measured={ids["investment_intensity"]: Decimal(1496), ids["far"]: Decimal(2)},
        actor=land.office,
    )


class _Enterprise(PermissionTriple):
    """An enterprise user sees its own enterprise's records; another enterprise's are a 404."""

    allowed = "enterprise_user_a"
    other = "enterprise_user_b"


class TestParcelTriple(PermissionTriple):
    viewset = ParcelViewSet

    def make_object(self, world: World) -> Parcel:
        return build_land(world).awarded()

    def test_city_analyst_sees_every_zone(self, world: World) -> None:
        parcel = self.make_object(world)
        assert client_for(world.city_analyst).get(self.viewset.detail_url(parcel)).status_code == 200


class TestParcelEnterpriseTriple(_Enterprise):
    viewset = ParcelViewSet

    def make_object(self, world: World) -> Parcel:
        return build_land(world).awarded()

    def test_a_parcel_not_yet_sold_is_not_shown_to_enterprises(self, world: World) -> None:
        parcel = build_land(world).listed("ZA-05")
        assert client_for(world.enterprise_user_a).get(self.viewset.detail_url(parcel)).status_code == 404


class TestApplicationTriple(PermissionTriple):
    viewset = ApplicationViewSet

    def make_object(self, world: World) -> Application:
        land = build_land(world)
        return land.apply(land.listed())


class TestApplicationEnterpriseTriple(_Enterprise):
    viewset = ApplicationViewSet

    def make_object(self, world: World) -> Application:
        land = build_land(world)
        return land.apply(land.listed())


class TestAllocationTriple(PermissionTriple):
    viewset = AllocationViewSet

    def make_object(self, world: World) -> Allocation:
        return build_land(world).awarded().allocations.get()


class TestAllocationEnterpriseTriple(_Enterprise):
    viewset = AllocationViewSet

    def make_object(self, world: World) -> Allocation:
        return build_land(world).awarded().allocations.get()


class TestCommitmentTriple(PermissionTriple):
    viewset = CommitmentViewSet

    def make_object(self, world: World) -> Commitment:
        return build_land(world).awarded().commitments.first()  # type: ignore[return-value]


class TestCommitmentEnterpriseTriple(_Enterprise):
    viewset = CommitmentViewSet

    def make_object(self, world: World) -> Commitment:
        return build_land(world).awarded().commitments.first()  # type: ignore[return-value]


class TestReviewTriple(PermissionTriple):
    viewset = ReviewViewSet

    def make_object(self, world: World) -> Review:
        return _reviewed(world)


class TestReviewEnterpriseTriple(_Enterprise):
    viewset = ReviewViewSet

    def make_object(self, world: World) -> Review:
        return _reviewed(world)


class TestRemedyActionTriple(PermissionTriple):
    viewset = RemedyActionViewSet

    def make_object(self, world: World) -> RemedyAction:
        _reviewed(world)
        return RemedyAction.objects.get()


class TestRemedyActionEnterpriseTriple(_Enterprise):
    viewset = RemedyActionViewSet

    def make_object(self, world: World) -> RemedyAction:
        _reviewed(world)
        return RemedyAction.objects.get()

    def test_an_enterprise_cannot_close_its_own_remedy(self, world: World) -> None:
        action = self.make_object(world)
        url = reverse(self.viewset.url_name("edit"), args=[action.pk])
        assert client_for(world.enterprise_user_a).get(url).status_code == 404


class _Catalogue(PermissionTriple):
    """Catalogues: every analyst sees all of them; "other" is a user with no grant; enterprises see none."""

    other = "nobody_a"

    def test_enterprises_do_not_browse_the_catalogue(self, world: World) -> None:
        obj = self.make_object(world)
        assert client_for(world.enterprise_user_a).get(self.viewset.detail_url(obj)).status_code == 404


class TestIndicatorDefinitionTriple(_Catalogue):
    viewset = IndicatorDefinitionViewSet

    def make_object(self, world: World) -> IndicatorDefinition:
        build_land(world)
        return IndicatorDefinition.objects.get(code="tax_per_mu")


class TestScorecardTriple(_Catalogue):
    viewset = ScorecardViewSet

    def make_object(self, world: World) -> Scorecard:
        return build_land(world).scorecard


class TestCriterionTriple(_Catalogue):
    viewset = CriterionViewSet

    def make_object(self, world: World) -> Criterion:
        return build_land(world).scorecard.criteria.first()  # type: ignore[return-value]


class TestRemedyRuleTriple(_Catalogue):
    viewset = RemedyRuleViewSet

    def make_object(self, world: World) -> RemedyRule:
        build_land(world)
        return RemedyRule.objects.first()  # type: ignore[return-value]
