"""The permission triple for the declared models of S2: zone staff see their zone's records, enterprise
users only their own projects, and what one may not see is a 404 on page, export, history and API."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from kunlu.core.services import period_for
from kunlu.core.testing import PermissionTriple, World
from kunlu.projects import services
from kunlu.projects.models import (
    Alert,
    AlertRuleSet,
    InvestmentActual,
    InvestmentPlan,
    Lead,
    Project,
    ProjectChange,
    ProjectListing,
    ProjectTier,
    SigningEvent,
)
from kunlu.projects.views import crud


def _project(world: World) -> Project:
    services.defaults_install(actor=None)
    project = services.project_create(
        data={
            "name": "甲区测试项目",
            "territory": world.zone_a,
            "enterprise": world.enterprise_a,
            "signed_on": date(2024, 3, 1),
            "total_investment": Decimal(100000),
        },
        actor=None,
    )
    ProjectListing.objects.create(project=project, tier=ProjectTier.objects.get(code="zone"), year=2025)
    return project


class TestLeadTriple(PermissionTriple):
    viewset = crud.LeadViewSet

    def make_object(self, world: World) -> Lead:
        return services.lead_create(
            data={"territory": world.zone_a, "name": "甲区线索", "investor": "某投资方", "source": "expo"},
            actor=None,
        )


class TestLeadHiddenFromEnterprisesTriple(TestLeadTriple):
    allowed = "analyst_a"
    forbidden = "enterprise_user_a"
    other = "analyst_b"


class TestSigningEventTriple(PermissionTriple):
    viewset = crud.SigningEventViewSet

    def make_object(self, world: World) -> SigningEvent:
        return SigningEvent.objects.create(
            territory=world.zone_a, name="甲区签约仪式", held_on=date(2025, 2, 1)
        )


class TestProjectZoneTriple(PermissionTriple):
    viewset = crud.ProjectViewSet

    def make_object(self, world: World) -> Project:
        return _project(world)


class TestProjectEnterpriseTriple(PermissionTriple):
    """An enterprise user sees its own projects; another enterprise's are a 404."""

    viewset = crud.ProjectViewSet
    allowed = "enterprise_user_a"
    other = "enterprise_user_b"

    def make_object(self, world: World) -> Project:
        return _project(world)


class TestListingTriple(PermissionTriple):
    viewset = crud.ProjectListingViewSet

    def make_object(self, world: World) -> ProjectListing:
        return _project(world).listings.get()


class TestActualEnterpriseTriple(PermissionTriple):
    viewset = crud.InvestmentActualViewSet
    allowed = "enterprise_user_a"
    other = "enterprise_user_b"

    def make_object(self, world: World) -> InvestmentActual:
        actual, _written = services.actual_record(
            project=_project(world),
            period=period_for(2025, 3),
            currency="CNY",
            cumulative=Decimal(500),
            actor=None,
        )
        return actual


class TestChangeTriple(PermissionTriple):
    viewset = crud.ProjectChangeViewSet

    def make_object(self, world: World) -> ProjectChange:
        project = _project(world)
        services.project_update(
            obj=project, data={"name": "甲区测试项目（调整）", "change_reason": "更名"}, actor=None
        )
        return project.changes.get()


class TestAlertTriple(PermissionTriple):
    viewset = crud.AlertViewSet

    def make_object(self, world: World) -> Alert:
        project = _project(world)
        services.plan_set(project=project, year=2025, amount=Decimal(10000), actor=None)
        services.alerts_compute(
            rule_set=AlertRuleSet.objects.get(code="yinchuan"),
            territory=world.zone_a,
            period=period_for(2025, 9),
            actor=None,
        )
        return Alert.objects.get()


class TestTierTriple(PermissionTriple):
    """A catalogue: every holder of the permission sees it; an enterprise user does not."""

    viewset = crud.ProjectTierViewSet
    other = "enterprise_user_a"

    def make_object(self, world: World) -> ProjectTier:
        services.defaults_install(actor=None)
        return ProjectTier.objects.get(code="province")


class TestPlanEnterpriseTriple(PermissionTriple):
    """An enterprise sees its own projects' plans; another enterprise's are a 404."""

    viewset = crud.InvestmentPlanViewSet
    allowed = "enterprise_user_a"
    other = "enterprise_user_b"

    def make_object(self, world: World) -> InvestmentPlan:
        return services.plan_set(project=_project(world), year=2025, amount=Decimal(5000), actor=None)
