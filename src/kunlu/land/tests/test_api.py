"""The API: parcels, applications, commitments and reviews through the same scoping and services."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from kunlu.core.testing import client_for
from kunlu.land import services
from kunlu.land.choices import Stage
from kunlu.land.models import Application, Parcel
from kunlu.land.tests.conftest import Land


def test_an_enterprise_sees_only_its_own_records(land: Land) -> None:
    mine = land.awarded()
    theirs = land.awarded("ZA-02", applicant="enterprise_b")
    client = client_for(land.world.enterprise_user_a)
    for route in ("parcels", "applications", "commitments", "allocations"):
        rows = client.get(f"/api/land/{route}/").json()["results"]
        parcels = {r["id"] if route == "parcels" else r["parcel"] for r in rows}
        assert parcels == {mine.pk}, route
    assert client.get(f"/api/land/parcels/{theirs.pk}/").status_code == 404
    response = client.post("/api/land/parcels/", {"code": "X", "name": "x", "area_mu": "1"})
    assert response.status_code in (400, 404) and not Parcel.objects.filter(code="X").exists()


def test_reviews_carry_their_results(land: Land) -> None:
    parcel = land.awarded()
    ids = {c.indicator.code: c.pk for c in parcel.commitments.select_related("indicator")}
    review = services.review_record(
        parcel=parcel,
        stage=Stage.COMPLETION,
        reviewed_on=date(2025, 11, 20),
        measured={ids["investment_intensity"]: Decimal(1496), ids["far"]: Decimal(2)},
        actor=land.office,
    )
    body = client_for(land.world.enterprise_user_a).get(f"/api/land/reviews/{review.pk}/").json()
    results = {r["indicator"]: r for r in body["results"]}
    assert results["investment_intensity"]["met"] is False
    assert Decimal(results["investment_intensity"]["shortfall"]) == Decimal("0.15")
    assert client_for(land.world.enterprise_user_b).get(f"/api/land/reviews/{review.pk}/").status_code == 404


def test_the_land_office_writes_through_the_services(land: Land) -> None:
    client = client_for(land.office)
    bad = client.post(
        "/api/land/parcels/",
        {"code": "ZA-09", "name": "九号地块", "territory": land.world.zone_a.pk, "area_mu": "-1"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "area_mu" in bad.json()
    made = client.post(
        "/api/land/parcels/",
        {
            "code": "ZA-09",
            "name": "九号地块",
            "territory": land.world.zone_a.pk,
            "area_mu": "12.5",
            "status": "producing",
        },
        content_type="application/json",
    )
    assert made.status_code == 201 and made.json()["status"] == "reserve"
    parcel = Parcel.objects.get(code="ZA-09")
    refused = client.post(
        "/api/land/applications/",
        {
            "parcel": parcel.pk,
            "applicant": land.world.enterprise_a.pk,
            "total_investment_wan": "1000",
            "expected_output_wan": "1000",
            "expected_tax_wan": "100",
        },
        content_type="application/json",
    )
    assert refused.status_code == 400 and "parcel" in refused.json()
    assert not Application.objects.exists()


def test_viewers_cannot_write_through_the_api(land: Land) -> None:
    response = client_for(land.world.analyst_a).post(
        "/api/land/parcels/",
        {"code": "ZA-09", "name": "九号地块", "territory": land.world.zone_a.pk, "area_mu": "12"},
        content_type="application/json",
    )
    assert response.status_code == 404 and not Parcel.objects.exists()
