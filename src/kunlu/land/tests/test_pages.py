"""Pages: a land officer's path from reserve to remedy, what viewers and enterprises may open, and query
counts that do not grow with rows."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kunlu.core.testing import client_for
from kunlu.land import services
from kunlu.land.choices import ActionStatus, ParcelStatus, Stage
from kunlu.land.models import Allocation, Application, Commitment, Parcel, RemedyAction, Review
from kunlu.land.tests.conftest import CONTROLS, Land


def test_the_land_officer_path(land: Land) -> None:
    office = client_for(land.office)
    add = office.post(
        reverse("land_parcel_add"),
        {
            "code": "ZA-01",
            "name": "一号地块",
            "territory": land.world.zone_a.pk,
            "area_mu": "20",
            "land_use": "industrial",
            "price_wan": "960",
        },
    )
    assert add.status_code == 302
    parcel = Parcel.objects.get()
    listing = reverse("land:listing", args=[parcel.pk])
    # Listing without the standard is refused with the reason beside the form.
    refused = office.post(
        listing, {"scorecard": land.scorecard.pk, "listed_on": "2024-06-20", "action": "list"}
    )
    assert refused.status_code == 200 and "挂牌前须设定控制指标" in refused.content.decode()
    values = {code: str(v) for code, v in CONTROLS.items()}
    done = office.post(
        listing, {**values, "scorecard": land.scorecard.pk, "listed_on": "2024-06-20", "action": "list"}
    )
    assert done.status_code == 302
    parcel.refresh_from_db()
    assert parcel.status == ParcelStatus.LISTED and parcel.control_values.count() == 4
    land.apply(parcel)
    land.apply(parcel, applicant="enterprise_b", total_investment_wan=Decimal(20000))
    applications = reverse("land:applications", args=[parcel.pk])
    assert office.post(applications).status_code == 302
    page = office.get(applications).content.decode()
    assert "预计亩均税收：165.00 → 23.00/30" in page
    winner = Application.objects.get(rank=1)
    allocate = office.post(
        reverse("land:allocate", args=[parcel.pk]),
        {
            "winner": winner.pk,
            "reasons": "评分第一",
            "contract_date": "2024-09-10",
            "agreed_start_date": "2024-10-31",
            "agreed_completion_date": "2025-10-31",
            "agreed_production_date": "2026-10-31",
        },
    )
    assert allocate.status_code == 302 and Allocation.objects.get().winner == winner
    completion = {c.indicator.code: c.pk for c in Commitment.objects.filter(due_stage=Stage.COMPLETION)}
    review = office.post(
        reverse("land:review_new", args=[parcel.pk, "completion"]),
        {
            "reviewed_on": "2025-11-20",
            f"m_{completion['investment_intensity']}": "1496",
            f"m_{completion['far']}": "2",
        },
    )
    assert review.status_code == 302 and Review.objects.count() == 1
    page = office.get(reverse("land:commitments", args=[parcel.pk])).content.decode()
    assert "未达标" in page and "15.0%" in page and "144.0万元" in page
    assert RemedyAction.objects.get().description.startswith("投资强度低于承诺值15.0%")
    actions = office.get(reverse("land_remedyaction_list")).content.decode()
    assert "144.0" in actions and "144.0000" not in actions
    action = RemedyAction.objects.get()
    edit = office.post(
        reverse("land_remedyaction_edit", args=[action.pk]), {"status": "done", "status_note": "已缴纳违约金"}
    )
    assert edit.status_code == 302 and RemedyAction.objects.get().status == ActionStatus.DONE
    detail = office.get(reverse("land_parcel_detail", args=[parcel.pk])).content.decode()
    assert "出让" in detail and "甲区测试企业" in detail


def test_a_decision_on_a_parcel_not_listed_is_refused_on_the_form(land: Land) -> None:
    parcel = land.awarded()
    response = client_for(land.office).post(
        reverse("land:allocate", args=[parcel.pk]),
        {
            "winner": Application.objects.get(rank=1).pk,
            "reasons": "再次决定",
            "contract_date": "2024-09-10",
            "agreed_start_date": "2024-10-31",
            "agreed_completion_date": "2025-10-31",
            "agreed_production_date": "2026-10-31",
        },
    )
    assert response.status_code == 200 and "只有挂牌中的地块" in response.content.decode()
    assert Allocation.objects.count() == 1


def test_the_area_error_names_the_field(land: Land) -> None:
    response = client_for(land.office).post(
        reverse("land_parcel_add"),
        {
            "code": "ZA-01",
            "name": "一号地块",
            "territory": land.world.zone_a.pk,
            "area_mu": "0",
            "land_use": "industrial",
        },
    )
    assert response.status_code == 200 and "面积（亩）必须大于0" in response.content.decode()


def test_a_refused_transition_is_explained(land: Land) -> None:
    parcel = land.parcel()
    office = client_for(land.office)
    response = office.post(reverse("land:transition", args=[parcel.pk]), {"to": "producing"}, follow=True)
    assert "不能由“储备”变为“投产”" in response.content.decode()


def test_viewers_cannot_write(land: Land) -> None:
    parcel = land.listed()
    analyst = client_for(land.world.analyst_a)
    assert analyst.get(reverse("land_parcel_detail", args=[parcel.pk])).status_code == 200
    assert analyst.get(reverse("land:listing", args=[parcel.pk])).status_code == 200
    assert analyst.post(reverse("land:listing", args=[parcel.pk]), {"action": "save"}).status_code == 404
    assert analyst.post(reverse("land:applications", args=[parcel.pk])).status_code == 404
    assert analyst.get(reverse("land:allocate", args=[parcel.pk])).status_code == 404
    assert analyst.post(reverse("land:transition", args=[parcel.pk]), {"to": "reserve"}).status_code == 404


def test_enterprises_see_their_own_parcel_commitments_and_reviews(land: Land) -> None:
    parcel = land.awarded()
    other = land.awarded("ZA-02", applicant="enterprise_b")
    mine = client_for(land.world.enterprise_user_a)
    for name in ("land_parcel_detail", "land:commitments", "land:applications", "land:listing"):
        assert mine.get(reverse(name, args=[parcel.pk])).status_code == 200
        assert mine.get(reverse(name, args=[other.pk])).status_code == 404
    assert mine.get(reverse("land:review_new", args=[parcel.pk, "completion"])).status_code == 404
    assert mine.get(reverse("land:park")).status_code == 404
    assert mine.get(reverse("land:idle")).status_code == 404
    # The ranking shows the enterprise its own application only.
    page = mine.get(reverse("land:applications", args=[parcel.pk])).content.decode()
    assert "甲区测试企业" in page and "拟设投资方" not in page


def test_park_and_idle_pages(land: Land) -> None:
    land.awarded()
    analyst = client_for(land.world.analyst_a)
    park = analyst.get(reverse("land:park"), {"territory": "ZA"})
    assert park.status_code == 200
    assert park.context["overview"].enterprise_count == 1
    assert analyst.get(reverse("land:park"), {"territory": "ZB"}).status_code == 404
    idle = analyst.get(reverse("land:idle"))
    assert idle.status_code == 200 and "ZA-01" in idle.content.decode()  # never started since 2024-10-31
    menu = analyst.get(reverse("land_parcel_list")).content.decode()
    assert "标准地与数据得地" in menu and "园区标准地概况" in menu


def _queries(client, url: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url",
    [
        "/land/parcels/",
        "/land/applications/",
        "/land/allocations/",
        "/land/commitments/",
        "/land/reviews/",
        "/land/remedies/",
        "/land/park/?territory=ZA",
        "/land/idle/",
        "/api/land/parcels/",
        "/api/land/applications/",
        "/api/land/commitments/",
        "/api/land/reviews/",
        "/api/land/remedies/",
    ],
)
def test_query_counts_do_not_grow_with_rows(land: Land, url: str) -> None:
    def reviewed(code: str) -> None:
        parcel = land.awarded(code)
        ids = {c.indicator.code: c.pk for c in parcel.commitments.select_related("indicator")}
        services.review_record(
            parcel=parcel,
            stage=Stage.COMPLETION,
            reviewed_on=date(2025, 11, 20),
            measured={ids["investment_intensity"]: Decimal(1496), ids["far"]: Decimal(2)},
            actor=None,
        )

    reviewed("ZA-01")
    client = client_for(land.world.analyst_a)
    one = _queries(client, url)
    reviewed("ZA-02")
    reviewed("ZA-03")
    assert _queries(client, url) == one


def test_lists_print_decimals_the_house_way(land: Land) -> None:
    land.awarded(area=35)
    office = client_for(land.office)
    parcels = office.get(reverse("land_parcel_list")).content.decode()
    assert "<td >35</td>" in parcels and "35.0000" not in parcels
    applications = office.get(reverse("land_application_list")).content.decode()
    assert "35200.0" in applications and "35200.0000" not in applications
    commitments = office.get(reverse("land_commitment_list")).content.decode()
    assert "1005.7143" not in commitments and "1500.0000" not in commitments
