"""The permission triple for every evaluation record: allowed, forbidden, other zone or other enterprise;
an enterprise sees only its own result, and only once the run is published."""

from __future__ import annotations

from decimal import Decimal

from django.db import models

from kunlu.core.testing import PermissionTriple, World, client_for
from kunlu.evaluation import services
from kunlu.evaluation.choices import Department, MeasureKind
from kunlu.evaluation.models import BandPolicy, EvaluationResult, Objection
from kunlu.evaluation.tests.conftest import city_run, huaian
from kunlu.evaluation.views import (
    BandPolicyViewSet,
    EnterpriseFigureViewSet,
    EvaluationResultViewSet,
    EvaluationRunViewSet,
    ObjectionViewSet,
    RuleSetViewSet,
)


def result_a(world: World, *, published: bool = True) -> EvaluationResult:
    run = city_run(world, published=published)
    return EvaluationResult.objects.get(run=run, enterprise=world.enterprise_a)


class TestRuleSetTriple(PermissionTriple):
    """Rule sets are a catalogue for staff; enterprise users do not browse them."""

    viewset = RuleSetViewSet
    other = "enterprise_user_a"

    def make_object(self, world: World) -> models.Model:
        return huaian().ruleset


class TestFigureZoneTriple(PermissionTriple):
    viewset = EnterpriseFigureViewSet

    def make_object(self, world: World) -> models.Model:
        figure, _w = services.figure_record(
            enterprise=world.enterprise_a, year=2024, input="tax", value=Decimal(7), actor=None
        )
        services.figure_record(
            enterprise=world.enterprise_b, year=2024, input="tax", value=Decimal(8), actor=None
        )
        return figure


class TestRunZoneTriple(PermissionTriple):
    viewset = EvaluationRunViewSet

    def make_object(self, world: World) -> models.Model:
        services.figure_record(
            enterprise=world.enterprise_a, year=2024, input="tax", value=Decimal(7), actor=None
        )
        services.figure_record(
            enterprise=world.enterprise_a, year=2024, input="land_mu", value=Decimal(1), actor=None
        )
        from kunlu.evaluation.tests.conftest import simple_version

        return services.run_create(
            ruleset_version=simple_version(), year=2024, territory=world.zone_a, actor=world.admin
        )

    def test_enterprises_see_no_runs(self, world: World) -> None:
        run = self.make_object(world)
        assert client_for(world.enterprise_user_a).get(self.viewset.detail_url(run)).status_code == 404


class TestResultZoneTriple(PermissionTriple):
    """Zone staff see their zone's results (published or not); the other zone's are a 404."""

    viewset = EvaluationResultViewSet

    def make_object(self, world: World) -> models.Model:
        return result_a(world, published=False)


class TestResultOwnTriple(PermissionTriple):
    """An enterprise sees its own published result; the other enterprise's is a 404."""

    viewset = EvaluationResultViewSet
    allowed = "enterprise_user_a"
    other = "enterprise_user_b"

    def make_object(self, world: World) -> models.Model:
        return result_a(world)

    def test_not_before_publication(self, world: World) -> None:
        result = result_a(world, published=False)
        client = client_for(world.enterprise_user_a)
        assert client.get(self.viewset.detail_url(result)).status_code == 404
        assert client.get(f"/api/evaluation/results/{result.pk}/").status_code == 404
        assert client.get("/api/evaluation/results/").json()["results"] == []
        assert client_for(world.analyst_a).get(self.viewset.detail_url(result)).status_code == 200

    def test_the_trace_is_shown_in_chinese(self, world: World) -> None:
        result = result_a(world)
        page = client_for(world.enterprise_user_a).get(self.viewset.detail_url(result)).content.decode()
        assert "亩均税收（权重100）：50 万元/亩 ÷ 基准10" in page
        assert "评价税收" in page and "500.00万元" in page
        assert 'data-testid="objection-form"' in page


class TestObjectionOwnTriple(PermissionTriple):
    viewset = ObjectionViewSet
    allowed = "enterprise_user_a"
    other = "enterprise_user_b"

    def make_object(self, world: World) -> models.Model:
        result = result_a(world)
        other = EvaluationResult.objects.get(run=result.run, enterprise=world.enterprise_b)
        services.objection_file(result=other, text="乙的异议", actor=None)
        return services.objection_file(result=result, text="甲的异议", actor=None)


class TestObjectionZoneTriple(TestObjectionOwnTriple):
    allowed = "analyst_a"
    other = "analyst_b"


class TestBandPolicyTriple(PermissionTriple):
    viewset = BandPolicyViewSet
    other = "enterprise_user_a"

    def make_object(self, world: World) -> models.Model:
        return BandPolicy.objects.create(
            band="D", department=Department.WATER, measure=MeasureKind.SEWAGE_SURCHARGE, description="加价"
        )


def test_evidence_is_served_only_to_those_who_see_the_objection(world: World) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    result = result_a(world)
    objection = services.objection_file(
        result=result, text="附件", files=[SimpleUploadedFile("证明.pdf", b"%PDF-1 x")], actor=None
    )
    evidence = objection.evidence.get()
    url = f"/evaluation/evidence/{evidence.pk}/"
    own = client_for(world.enterprise_user_a).get(url)
    assert own.status_code == 200 and b"".join(own.streaming_content) == b"%PDF-1 x"  # type: ignore[attr-defined]
    assert client_for(world.analyst_a).get(url).status_code == 200
    assert client_for(world.enterprise_user_b).get(url).status_code == 404
    assert client_for(world.analyst_b).get(url).status_code == 404
    assert Objection.objects.count() == 1
