"""The REST API: token and session auth, the same scoping and services as the pages, an offline schema."""

from __future__ import annotations

from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from kunlu.accounts.models import Organisation
from kunlu.core.models import AuditEvent
from kunlu.core.testing import World, client_for


def token_client(user) -> APIClient:  # type: ignore[no-untyped-def]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def test_token_auth_lists_only_what_the_user_may_see(world: World) -> None:
    response = token_client(world.analyst_a).get("/api/organisations/")
    assert response.status_code == 200
    names = {r["name"] for r in response.json()["results"]}
    assert "甲区经发局" in names and "乙区经发局" not in names


def test_anonymous_requests_are_refused(world: World) -> None:
    assert APIClient().get("/api/organisations/").status_code in (401, 403)


def test_api_filters_are_the_list_filters(world: World) -> None:
    response = token_client(world.city_analyst).get("/api/organisations/", {"kind": "enterprise"})
    assert {r["name"] for r in response.json()["results"]} == {"甲区测试企业", "乙区测试企业"}


def test_create_through_the_api_goes_through_the_service(world: World) -> None:
    client = token_client(world.analyst_a)
    response = client.post(
        "/api/organisations/",
        {"name": "新企业", "kind": "enterprise", "territory": world.zone_a.pk, "uscc": "x"},
    )
    assert response.status_code == 400
    assert "uscc" in response.json()
    from kunlu.accounts.demo import demo_uscc

    response = client.post(
        "/api/organisations/",
        {"name": "新企业", "kind": "enterprise", "territory": world.zone_a.pk, "uscc": demo_uscc(555)},
    )
    assert response.status_code == 201, response.json()
    org = Organisation.objects.get(name="新企业")
    assert AuditEvent.objects.filter(event="accounts.organisation.create", object_id=str(org.pk)).exists()


def test_create_outside_the_users_territory_is_refused(world: World) -> None:
    response = token_client(world.analyst_a).post(
        "/api/organisations/", {"name": "越权", "kind": "bureau", "territory": world.zone_b.pk}
    )
    assert response.status_code == 400
    assert not Organisation.objects.filter(name="越权").exists()


def test_update_and_delete_of_out_of_scope_records_are_404(world: World) -> None:
    client = token_client(world.analyst_a)
    assert client.patch(f"/api/organisations/{world.bureau_b.pk}/", {"name": "改"}).status_code == 404
    assert client.delete(f"/api/organisations/{world.bureau_b.pk}/").status_code == 404
    world.bureau_b.refresh_from_db()
    assert world.bureau_b.name == "乙区经发局"


def test_delete_of_a_referenced_record_is_refused(world: World) -> None:
    response = token_client(world.admin).delete(f"/api/territories/{world.zone_a.pk}/")
    assert response.status_code == 400
    assert "non_field_errors" in response.json()


def test_schema_and_offline_docs(world: World) -> None:
    client = client_for(world.admin)
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/organisations/" in paths and "/api/territories/{id}/" in paths
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "http://" not in html.replace("http://www.w3.org", "") and "https://" not in html
