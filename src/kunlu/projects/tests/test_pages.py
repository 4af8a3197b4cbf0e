"""The S2 pages on the demo zone: the seed lines on the dashboards, drills to the projects behind a figure,
a lead signed from its page, an enterprise reporting its own project's month (and nobody else's), alerts
computed and acknowledged, and the API with the same scoping."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from itertools import pairwise
from urllib.parse import parse_qs, urlparse

import pytest
from django.test import Client
from django.urls import reverse

from kunlu.accounts import demo as accounts_demo
from kunlu.accounts.models import User
from kunlu.core import demo as core_demo
from kunlu.core.testing import client_for
from kunlu.projects import demo
from kunlu.projects.choices import LeadStage
from kunlu.projects.models import Alert, InvestmentActual, Lead, Project


@pytest.fixture
def users(db: None) -> dict[str, User]:
    core_demo.load()
    accounts_demo.load()
    demo.load()
    return {u.username: u for u in User.objects.all()}


def _client(users: dict[str, User], name: str) -> Client:
    return client_for(users[name])


def _text(response: object) -> str:
    """The page's text without tags or spaces: sentences read whole across their links."""
    html = response.content.decode()  # type: ignore[attr-defined]
    return re.sub(r"\s+", "", re.sub(r"<[^>]+>", "", html))


def test_signings_page_states_the_seed_line_and_drills_to_the_six(users: dict[str, User]) -> None:
    response = _client(users, "invest_gx").get(reverse("projects:signings"), {"year": 2025, "month": 9})
    assert response.status_code == 200
    text = _text(response)
    assert "签约项目27个，计划总投资额156.1亿元，其中10亿元以上项目6个。" in text
    (wan, count, url) = response.context["large"][0]
    assert (wan, count) == (100000, 6)
    ids = parse_qs(urlparse(url).query)["ids"][0].split(",")
    listed = _client(users, "invest_gx").get(url)
    assert {row.record.pk for row in listed.context["table"].page.object_list} == {int(i) for i in ids}


def test_board_states_the_seed_line_lagging_first(users: dict[str, User]) -> None:
    response = _client(users, "leader_gx").get(reverse("projects:board"), {"year": 2025, "month": 9})
    text = _text(response)
    assert (
        "全部重大项目20个，已开工20个，1–9月完成投资39.6亿元，占年度计划96.9%，超序时进度21.9个百分点" in text
    )
    rows = response.context["rows"]
    assert rows[0].project.name == "示例生物样本库项目"
    assert all(a.gap <= b.gap for a, b in pairwise(rows) if a.gap is not None and b.gap is not None)


def test_pipeline_funnel_counts_leads_that_reached_each_stage(users: dict[str, User]) -> None:
    response = _client(users, "invest_gx").get(reverse("projects:pipeline"))
    funnel = {label: (n, url) for label, n, url in response.context["funnel"]}
    open_or_signed = Lead.objects.exclude(stage=LeadStage.TERMINATED).count()
    assert funnel["线索"][0] == open_or_signed
    assert funnel["签约"][0] == 27
    # A count drills to the leads behind it: those that reached the stage.
    count, url = funnel["考察"]
    listed = _client(users, "invest_gx").get(url).context["table"].paginator.count
    assert listed == count == Lead.objects.filter(stage__in=["visit", "negotiation", "signed"]).count()
    assert response.context["overdue_count"] == 4


def test_signing_a_lead_from_its_page(users: dict[str, User]) -> None:
    lead = Lead.objects.get(name="示例储能系统项目")
    client = _client(users, "invest_gx")
    assert client.get(reverse("projects:lead", args=[lead.pk])).status_code == 200
    response = client.post(
        reverse("projects:lead_sign", args=[lead.pk]),
        {"signed_on": "2025-10-10", "total_investment": "80000"},
    )
    project = Project.objects.get(lead=lead)
    assert response.url == reverse("projects:project", args=[project.pk])  # type: ignore[attr-defined]
    lead.refresh_from_db()
    assert lead.stage == LeadStage.SIGNED
    assert client.get(response.url).status_code == 200  # type: ignore[attr-defined]


def test_an_enterprise_reports_its_own_project_only(users: dict[str, User]) -> None:
    own = Project.objects.get(name="示例智能装备扩产项目")
    other = Project.objects.get(name="示例汽车电子项目")
    client = _client(users, "ent_gx")
    page = client.get(reverse("projects:project", args=[own.pk]))
    assert page.status_code == 200 and page.context["may_report"]
    assert client.get(reverse("projects:project", args=[other.pk])).status_code == 404
    form = {"year": 2025, "month": 10, "cumulative": "17200", "currency": "CNY", "note": "设备进场"}
    client.post(reverse("projects:project_actual", args=[own.pk]), form)
    actual = InvestmentActual.objects.get(project=own, period__month=10)
    assert (actual.cumulative, actual.source, actual.recorded_by) == (
        Decimal(17200),
        "owner",
        users["ent_gx"],
    )
    assert client.post(reverse("projects:project_actual", args=[other.pk]), form).status_code == 404
    dollars = {**form, "month": 11, "currency": "USD"}
    refused = client.post(reverse("projects:project_actual", args=[own.pk]), dollars, follow=True)
    assert "该项目以人民币计，不能填报美元金额" in refused.content.decode()
    assert not InvestmentActual.objects.filter(project=own, period__month=11).exists()


def test_alerts_page_lists_reasons_and_acknowledges(users: dict[str, User]) -> None:
    client = _client(users, "projects_gx")
    query: dict[str, str | int] = {"year": 2025, "month": 9, "territory": "KS-GX", "rules": "yinchuan"}
    page = client.get(reverse("projects:alerts"), query)
    reasons = [a.reason for a, _may in page.context["alerts"]]
    assert any("落后序时进度35.0个百分点" in r for r in reasons)
    red = next(a for a, may in page.context["alerts"] if a.level == "red")
    client.post(reverse("projects:alert_acknowledge", args=[red.pk]), {"comment": "已约谈，10月加快进度"})
    red.refresh_from_db()
    assert red.comment == "已约谈，10月加快进度" and red.acknowledged_by == users["projects_gx"]
    computed = client.post(reverse("projects:alerts_compute"), {**query})
    assert computed.status_code == 302
    latest = Alert.objects.filter(project=red.project, rule=red.rule).latest("id")
    assert latest.pk != red.pk and latest.comment == "已约谈，10月加快进度"
    # A leader reads alerts but neither computes nor acknowledges them.
    leader = _client(users, "leader_gx")
    assert not leader.get(reverse("projects:alerts"), query).context["may_compute"]
    assert leader.post(reverse("projects:alerts_compute"), query).status_code == 404


def test_stage_dates_from_the_page_keep_order(users: dict[str, User]) -> None:
    project = Project.objects.get(name="示例高端晶圆制造设备项目")
    client = _client(users, "projects_gx")
    response = client.post(
        reverse("projects:project_stage", args=[project.pk]),
        {"stage": "started", "actual_on": "2025-03-02"},
        follow=True,
    )
    assert "不能跳过节点" in response.content.decode()


def test_api_reports_and_scopes_actuals(users: dict[str, User]) -> None:
    own = Project.objects.get(name="示例智能装备扩产项目")
    other = Project.objects.get(name="示例汽车电子项目")
    client = _client(users, "ent_gx")
    body = {"project": own.pk, "year": 2025, "month": 10, "currency": "CNY", "monthly": "300"}
    created = client.post("/api/projects/actuals/", body, content_type="application/json")
    assert created.status_code == 201 and created.json()["cumulative"] == "16300.00"
    refused = client.post(
        "/api/projects/actuals/", {**body, "month": 11, "cumulative": "1"}, content_type="application/json"
    )
    assert refused.status_code == 400
    hidden = client.post(
        "/api/projects/actuals/", {**body, "project": other.pk}, content_type="application/json"
    )
    assert hidden.status_code == 404
    listed = client.get("/api/projects/actuals/").json()
    assert {row["project"] for row in listed["results"]} == {own.pk}
    assert client.get(f"/api/projects/projects/{other.pk}/").status_code == 404


def test_lists_do_not_grow_in_queries(users: dict[str, User], django_assert_max_num_queries: object) -> None:
    client = _client(users, "projects_gx")
    for name in (
        "projects_project_list",
        "projects_investmentactual_list",
        "projects_alert_list",
        "projects_lead_list",
    ):
        client.get(reverse(name))  # warm the caches of the first request
        with django_assert_max_num_queries(25):  # type: ignore[operator]
            assert client.get(reverse(name)).status_code == 200


def test_api_plans_need_a_reason_to_change(users: dict[str, User]) -> None:
    project = Project.objects.get(name="示例新能源材料增资项目")
    client = _client(users, "projects_gx")
    created = client.post(
        "/api/projects/plans/",
        {"project": project.pk, "year": 2026, "amount": "3000", "note": ""},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    url = f"/api/projects/plans/{created.json()['id']}/"
    silent = client.patch(url, {"amount": "3500"}, content_type="application/json")
    assert silent.status_code == 400 and "变更原因" in silent.content.decode()
    reasoned = client.patch(
        url, {"amount": "3500", "note": "增资款提前到位"}, content_type="application/json"
    )
    assert reasoned.status_code == 200
    change = project.changes.get(field="2026年度计划投资（万）")
    assert (change.old_value, change.new_value, change.reason) == ("3000", "3500", "增资款提前到位")
    # An enterprise may not plan (its project's plan is the project office's): the project is not even a
    # valid choice for it, and nothing is written.
    refused = _client(users, "ent_gx").post(
        "/api/projects/plans/",
        {"project": project.pk, "year": 2027, "amount": "1"},
        content_type="application/json",
    )
    assert refused.status_code in (400, 404)
    assert not project.plans.filter(year=2027).exists()


def test_an_empty_date_on_the_stage_form_keeps_the_stored_one(users: dict[str, User]) -> None:
    project = Project.objects.get(name="示例高端晶圆制造设备项目")
    client = _client(users, "projects_gx")
    url = reverse("projects:project_stage", args=[project.pk])
    client.post(url, {"stage": "registered", "planned_on": "2025-04-01", "actual_on": ""})
    client.post(url, {"stage": "registered", "planned_on": "", "actual_on": "2025-04-03"})
    stage = project.stages.get(stage="registered")
    assert (stage.planned_on, stage.actual_on) == (date(2025, 4, 1), date(2025, 4, 3))
    client.post(url, {"stage": "registered", "clear_actual": "on", "reason": "误填"})
    stage.refresh_from_db()
    assert (stage.planned_on, stage.actual_on) == (date(2025, 4, 1), None)
    assert project.changes.filter(field="注册实际日期", reason="误填").exists()


def test_api_changes_a_project_with_its_reason(users: dict[str, User]) -> None:
    project = Project.objects.get(name="示例高端晶圆制造设备项目")
    client = _client(users, "projects_gx")
    url = f"/api/projects/projects/{project.pk}/"
    silent = client.patch(url, {"total_investment": "320000"}, content_type="application/json")
    assert silent.status_code == 400 and "变更原因" in silent.content.decode()
    patched = client.patch(
        url, {"total_investment": "320000", "change_reason": "追加二期厂房"}, content_type="application/json"
    )
    assert patched.status_code == 200 and "change_reason" not in patched.json()
    change = project.changes.get(field="计划总投资（万）")
    assert (change.old_value, change.new_value, change.reason) == ("300000", "320000", "追加二期厂房")
