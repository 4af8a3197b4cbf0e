"""The permission triple for every declared model of direct reporting, and for the lines' API."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.urls import reverse

from kunlu.core import crud
from kunlu.core.testing import PermissionTriple, World, client_for
from kunlu.reporting import services
from kunlu.reporting.choices import RuleKind, Severity
from kunlu.reporting.models import (
    CategoryIndicator,
    CategoryMembership,
    MonthlyReport,
    ReportingCategory,
    ReportingDeadline,
    ReviewRule,
)
from kunlu.reporting.tests.conftest import Setup, period
from kunlu.reporting.views import (
    CategoryIndicatorViewSet,
    CategoryMembershipViewSet,
    MonthlyReportViewSet,
    ReportingCategoryViewSet,
    ReportingDeadlineViewSet,
    ReviewRuleViewSet,
)


def _setup(world: World) -> Setup:
    # The `setup` fixture cannot reach a PermissionTriple method: build the same thing from the world.
    from kunlu.indicators.models import Indicator
    from kunlu.indicators.services import catalogue_install_defaults
    from kunlu.reporting.tests.conftest import FORM

    catalogue_install_defaults(actor=None)
    ind = {i.code: i for i in Indicator.objects.all()}
    category = ReportingCategory.objects.filter(code="industry").first() or crud.record_create(
        model=ReportingCategory, data={"code": "industry", "name": "规上工业"}, actor=None
    )
    for order, (code, required) in enumerate(FORM, start=1):
        CategoryIndicator.objects.get_or_create(
            category=category, indicator=ind[code], defaults={"required": required, "order": order}
        )
    for enterprise in (world.enterprise_a, world.enterprise_b):
        if not CategoryMembership.objects.filter(enterprise=enterprise).exists():
            services.membership_create(
                data={"enterprise": enterprise, "category": category, "valid_from": period(2025, 1)},
                actor=None,
            )
    return Setup(world, category, ind)


class TestMonthlyReportEnterpriseTriple(PermissionTriple):
    """An enterprise user sees its own enterprise's reports; another enterprise's are a 404."""

    viewset = MonthlyReportViewSet
    allowed = "enterprise_user_a"
    other = "enterprise_user_b"

    def make_object(self, world: World) -> MonthlyReport:
        return _setup(world).draft()

    def test_generic_detail_page_triple(self, world: World) -> None:
        report = self.make_object(world)
        url = reverse(self.viewset.url_name("detail"), args=[report.pk])
        assert client_for(world.enterprise_user_a).get(url).status_code == 200
        assert client_for(world.nobody_a).get(url).status_code == 404
        assert client_for(world.enterprise_user_b).get(url).status_code == 404


class TestMonthlyReportZoneTriple(PermissionTriple):
    """Zone analysts see their zone's reports; a city analyst sees them all."""

    viewset = MonthlyReportViewSet

    def make_object(self, world: World) -> MonthlyReport:
        return _setup(world).draft()

    def test_city_analyst_sees_every_zone(self, world: World) -> None:
        report = self.make_object(world)
        assert client_for(world.city_analyst).get(self.viewset.detail_url(report)).status_code == 200


class TestMembershipTriple(PermissionTriple):
    viewset = CategoryMembershipViewSet

    def make_object(self, world: World) -> CategoryMembership:
        _setup(world)
        return CategoryMembership.objects.get(enterprise=world.enterprise_a)


class TestMembershipEnterpriseTriple(PermissionTriple):
    viewset = CategoryMembershipViewSet
    allowed = "enterprise_user_a"
    other = "enterprise_user_b"

    def make_object(self, world: World) -> CategoryMembership:
        _setup(world)
        return CategoryMembership.objects.get(enterprise=world.enterprise_a)


class TestCategoryTriple(PermissionTriple):
    """Categories are a catalogue: every analyst sees all of them; "other" is a user with no grant."""

    viewset = ReportingCategoryViewSet
    other = "nobody_a"

    def make_object(self, world: World) -> ReportingCategory:
        return _setup(world).category

    def test_enterprises_do_not_browse_the_catalogue(self, world: World) -> None:
        category = self.make_object(world)
        assert client_for(world.enterprise_user_a).get(self.viewset.detail_url(category)).status_code == 404


class TestCategoryIndicatorTriple(PermissionTriple):
    viewset = CategoryIndicatorViewSet
    other = "nobody_a"

    def make_object(self, world: World) -> CategoryIndicator:
        return _setup(world).category.form_lines.first()  # type: ignore[return-value]


class TestReviewRuleTriple(PermissionTriple):
    viewset = ReviewRuleViewSet
    other = "nobody_a"

    def make_object(self, world: World) -> ReviewRule:
        return _setup(world).rule("ind_output", RuleKind.RANGE, Severity.BLOCK, min_value=Decimal(0))


class TestReportingDeadlineTriple(PermissionTriple):
    viewset = ReportingDeadlineViewSet
    other = "nobody_a"

    def make_object(self, world: World) -> ReportingDeadline:
        _setup(world)
        return crud.record_create(
            model=ReportingDeadline,
            data={"period": period(2026, 12), "category": None, "due_on": date(2027, 1, 8)},
            actor=None,
        )


def test_report_lines_api_triple(world: World) -> None:
    report = _setup(world).draft()
    line = report.lines.first()
    assert line is not None
    url, item = "/api/reporting/lines/", f"/api/reporting/lines/{line.pk}/"
    for allowed in (world.enterprise_user_a, world.analyst_a, world.city_analyst):
        client = client_for(allowed)
        assert client.get(item).status_code == 200
        assert line.pk in [r["id"] for r in client.get(url).json()["results"]]
    assert client_for(world.nobody_a).get(url).status_code == 404
    assert client_for(world.nobody_a).get(item).status_code == 404
    for other in (world.enterprise_user_b, world.analyst_b):
        assert client_for(other).get(item).status_code == 404
        assert line.pk not in [r["id"] for r in client_for(other).get(url).json()["results"]]
