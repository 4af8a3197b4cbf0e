"""The API: reports and their lines, saving and submitting drafts, accepting and returning, all scoped."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from kunlu.core.testing import client_for
from kunlu.indicators.models import UnitObservation
from kunlu.reporting.choices import ReportStatus
from kunlu.reporting.models import MonthlyReport
from kunlu.reporting.tests.conftest import Setup

DRAFT = "/api/reporting/reports/draft/"


def _draft(**extra: Any) -> dict[str, Any]:
    return {
        "category": "industry",
        "period": "2025-09",
        "lines": [
            {"indicator": "ind_output", "value": "1234.5"},
            {"indicator": "ind_electricity", "value": "50", "explanation": ""},
        ],
        **extra,
    }


def test_an_enterprise_saves_and_resaves_a_draft(setup: Setup) -> None:
    client = client_for(setup.world.enterprise_user_a)
    first = client.post(DRAFT, _draft(), content_type="application/json")
    assert first.status_code == 201
    body = first.json()
    assert body["status"] == "draft" and body["period"] == "2025-09" and body["category"] == "industry"
    assert {line["indicator"]: line["value"] for line in body["lines"]} == {
        "ind_output": "1234.5000",
        "ind_electricity": "50.0000",
    }
    again = client.post(
        DRAFT, _draft(lines=[{"indicator": "ind_output", "value": "1300"}]), content_type="application/json"
    )
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    assert MonthlyReport.objects.get().lines.get(indicator__code="ind_output").value == Decimal(1300)


def test_a_refused_submission_answers_with_codes_per_indicator(setup: Setup) -> None:
    client = client_for(setup.world.enterprise_user_a)
    payload = _draft(lines=[{"indicator": "ind_output", "value": "1"}], submit=True)
    response = client.post(DRAFT, payload, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["ind_electricity"][0]["code"] == "value_required"
    assert "必填" in response.json()["ind_electricity"][0]["message"]
    assert MonthlyReport.objects.get().status == ReportStatus.DRAFT  # the draft is kept


@pytest.mark.parametrize(
    ("payload", "key", "code"),
    [
        (_draft(lines=[{"indicator": "gdp", "value": "1"}]), "gdp", "unknown_indicator"),
        (_draft(period="2024-12"), "category", "not_member"),
    ],
)
def test_service_refusals_keep_their_codes(
    setup: Setup, payload: dict[str, Any], key: str, code: str
) -> None:
    response = client_for(setup.world.enterprise_user_a).post(DRAFT, payload, content_type="application/json")
    assert response.status_code == 400 and response.json()[key][0]["code"] == code


@pytest.mark.parametrize(
    ("payload", "key"),
    [
        (_draft(period="2025-13"), "period"),
        (_draft(category="retail"), "category"),
        (
            _draft(
                lines=[{"indicator": "ind_output", "value": "1"}, {"indicator": "ind_output", "value": "2"}]
            ),
            "lines",
        ),
        (_draft(lines=[{"indicator": "ind_output", "value": "abc"}]), "lines"),
    ],
)
def test_bad_requests_name_what_is_wrong(setup: Setup, payload: dict[str, Any], key: str) -> None:
    response = client_for(setup.world.enterprise_user_a).post(DRAFT, payload, content_type="application/json")
    assert response.status_code == 400 and key in response.json()
    assert not MonthlyReport.objects.exists()


def test_only_enterprise_users_save_drafts(setup: Setup) -> None:
    for user in (setup.world.analyst_a, setup.world.nobody_a, setup.world.admin):
        response = client_for(user).post(DRAFT, _draft(), content_type="application/json")
        assert response.status_code == 404
    assert not MonthlyReport.objects.exists()


def test_submit_accept_and_return_through_the_api(setup: Setup) -> None:
    w = setup.world
    report = setup.draft()
    url = f"/api/reporting/reports/{report.pk}/"
    assert client_for(w.enterprise_user_b).post(f"{url}submit/").status_code == 404
    submitted = client_for(w.enterprise_user_a).post(f"{url}submit/")
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    for outsider in (w.enterprise_user_a, w.analyst_b, w.nobody_a):
        assert client_for(outsider).post(f"{url}accept/").status_code == 404
    reviewer = client_for(w.analyst_a)
    accepted = reviewer.post(f"{url}accept/", {"comment": "核实无误"}, content_type="application/json")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    assert UnitObservation.objects.filter(enterprise=w.enterprise_a).count() == 2
    again = reviewer.post(f"{url}accept/")
    assert again.status_code == 400 and again.json()["non_field_errors"][0]["code"] == "not_submitted"
    no_comment = reviewer.post(f"{url}return/", {"comment": ""}, content_type="application/json")
    assert no_comment.status_code == 400 and no_comment.json()["comment"][0]["code"] == "comment_required"
    returned = reviewer.post(f"{url}return/", {"comment": "请核实用电量"}, content_type="application/json")
    assert returned.status_code == 200 and returned.json()["review_comment"] == "请核实用电量"


def test_reports_are_listed_within_scope_and_filtered(setup: Setup) -> None:
    w = setup.world
    a = setup.draft()
    b = setup.draft(enterprise=w.enterprise_b, actor=w.enterprise_user_b)

    def ids(user: Any, **query: Any) -> set[int]:
        response = client_for(user).get("/api/reporting/reports/", query)
        return {r["id"] for r in response.json()["results"]}

    assert ids(w.enterprise_user_a) == {a.pk}
    assert ids(w.analyst_b) == {b.pk}
    assert ids(w.city_analyst) == {a.pk, b.pk}
    assert ids(w.city_analyst, period="2025-09", status="draft") == {a.pk, b.pk}
    assert ids(w.city_analyst, period="2025-08") == set()
    assert ids(w.city_analyst, zone=w.zone_a.pk) == {a.pk}
    assert client_for(w.nobody_a).get("/api/reporting/reports/").status_code == 404


@pytest.mark.parametrize("pk", ["abc", "999999"])
def test_unknown_reports_are_404(setup: Setup, pk: str) -> None:
    client = client_for(setup.world.analyst_a)
    assert client.get(f"/api/reporting/reports/{pk}/").status_code == 404
    assert client.post(f"/api/reporting/reports/{pk}/accept/").status_code == 404
