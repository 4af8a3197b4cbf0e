"""Pages: the enterprise's forms and form, the review page and queue, missing and overdue lists with the
Excel export, the declared CRUD with its rules, menus, and query counts that do not grow with rows."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kunlu.core import menus
from kunlu.core.models import AuditEvent
from kunlu.core.testing import client_for, xlsx_rows
from kunlu.indicators.choices import Basis
from kunlu.indicators.services import unit_observation_record
from kunlu.reporting import services
from kunlu.reporting.choices import ReportStatus, RuleKind, Severity
from kunlu.reporting.models import (
    CategoryMembership,
    MonthlyReport,
    ReportingCategory,
    ReportLine,
    ReviewRule,
)
from kunlu.reporting.selectors import Month
from kunlu.reporting.tests.conftest import Setup, period

FORM_URL = "/reporting/fill/industry/2025-09/"


def _form(**values: Any) -> dict[str, Any]:
    data = {f"v_{code}": "" for code in ("ind_output", "ind_electricity", "rd_expense", "trade", "export")}
    data |= {f"e_{code}": "" for code in ("ind_output", "ind_electricity", "rd_expense", "trade", "export")}
    data |= {k: str(v) for k, v in values.items()}
    return data


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _page(response: Any) -> str:
    return str(response.content.decode())


# -- the enterprise ------------------------------------------------------------------------------------------


def test_my_reports_lists_this_months_forms(setup: Setup) -> None:
    response = client_for(setup.world.enterprise_user_a).get(reverse("reporting:my_reports"))
    page = _page(response)
    assert response.status_code == 200
    assert "本月填报" in page and "规上工业" in page and Month.due_now().label in page
    assert [e.month for e in response.context["current"]] == [Month.due_now()]
    assert len(response.context["earlier"]) == 11


@pytest.mark.parametrize("who", ["analyst_a", "nobody_a", "admin", "city_analyst"])
def test_my_reports_is_for_enterprise_users_only(setup: Setup, who: str) -> None:
    assert client_for(getattr(setup.world, who)).get(reverse("reporting:my_reports")).status_code == 404


def test_the_form_shows_each_indicator_with_last_month_and_last_year(setup: Setup) -> None:
    w = setup.world
    for year, month, value in ((2025, 8, "1111.5"), (2024, 9, "987")):
        unit_observation_record(
            indicator=setup.ind["ind_output"],
            enterprise=w.enterprise_a,
            period=period(year, month),
            basis=Basis.MONTH,
            value=Decimal(value),
            actor=None,
        )
    response = client_for(w.enterprise_user_a).get(FORM_URL)
    page = _page(response)
    assert response.status_code == 200
    for text in (
        "规上工业总产值",
        "万元",
        "万千瓦时",
        "1111.5",
        "987",
        "保存草稿",
        "报送",
        "2025-10-14",
        "上月",
        "去年同月",
    ):
        assert text in page, text
    row = next(
        item["row"] for item in response.context["lines"] if item["row"].indicator.code == "ind_output"
    )
    assert (row.previous, row.last_year) == (Decimal("1111.5"), Decimal(987))


def test_saving_a_draft_from_the_form(setup: Setup) -> None:
    client = client_for(setup.world.enterprise_user_a)
    response = client.post(FORM_URL, _form(v_ind_output="12,345.6", v_ind_electricity=50, action="save"))
    assert response.status_code == 302 and response["Location"] == FORM_URL
    report = MonthlyReport.objects.get()
    assert report.status == ReportStatus.DRAFT
    assert report.lines.get(indicator__code="ind_output").value == Decimal("12345.6")
    assert "草稿已保存" in _page(client.get(FORM_URL))


def test_a_bad_number_is_shown_beside_its_line_and_nothing_is_saved(setup: Setup) -> None:
    response = client_for(setup.world.enterprise_user_a).post(
        FORM_URL, _form(v_ind_output="一千", action="save")
    )
    assert response.status_code == 200
    assert "v_ind_output" in response.context["form"].errors
    assert not MonthlyReport.objects.exists()


def test_a_refused_submission_keeps_the_draft_and_names_each_line(setup: Setup) -> None:
    setup.rule("export", RuleKind.CROSS, Severity.BLOCK, operator="lte", right_indicator="trade")
    client = client_for(setup.world.enterprise_user_a)
    response = client.post(FORM_URL, _form(v_ind_output=100, v_trade=10, v_export=20, action="submit"))
    page = _page(response)
    assert response.status_code == 200
    assert "草稿已保存，但尚未报送" in page
    assert "“其中：工业用电量”为必填项" in page
    assert "出口总额（20.0万美元）应≤外贸进出口总额（10.0万美元）" in page
    lines = {item["row"].indicator.code: item["errors"] for item in response.context["lines"]}
    assert lines["ind_electricity"] and lines["export"] and not lines["ind_output"]
    assert MonthlyReport.objects.get().status == ReportStatus.DRAFT


def test_a_draft_shows_what_the_rules_will_ask_before_submitting(setup: Setup) -> None:
    setup.rule("rd_expense", RuleKind.REQUIRED, Severity.EXPLAIN, message="{indicator}未填写，请说明原因")
    client = client_for(setup.world.enterprise_user_a)
    client.post(FORM_URL, _form(v_ind_output=100, v_ind_electricity=5, action="save"))
    page = _page(client.get(FORM_URL))
    assert "研发经费支出未填写，请说明原因" in page and "须说明" in page


def test_submitting_from_the_form(setup: Setup) -> None:
    client = client_for(setup.world.enterprise_user_a)
    response = client.post(FORM_URL, _form(v_ind_output=100, v_ind_electricity=5, action="submit"))
    report = MonthlyReport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "reporting:report", args=[report.pk]
    )
    assert report.status == ReportStatus.SUBMITTED
    page = _page(client.get(response["Location"]))
    assert "已报送，等待审核" in page and "已报送待审核" in page
    # A submitted report is read only: the form shows it, a post is a 404.
    assert client.post(FORM_URL, _form(v_ind_output=1, action="save")).status_code == 404
    assert "查看报表" in _page(client.get(FORM_URL))


@pytest.mark.parametrize(
    "url",
    [
        "/reporting/fill/industry/2024-12/",  # before the membership
        "/reporting/fill/industry/2025-13/",  # not a month
        "/reporting/fill/retail/2025-09/",  # not its category
    ],
)
def test_forms_outside_the_enterprises_memberships_are_404(setup: Setup, url: str) -> None:
    ReportingCategory.objects.create(code="retail", name="限上批零")
    assert client_for(setup.world.enterprise_user_a).get(url).status_code == 404


def test_other_users_cannot_open_the_form(setup: Setup) -> None:
    for user in (setup.world.analyst_a, setup.world.nobody_a, setup.world.admin):
        assert client_for(user).get(FORM_URL).status_code == 404
        assert client_for(user).post(FORM_URL, _form(v_ind_output=1, action="save")).status_code == 404
    assert not MonthlyReport.objects.exists()


def test_an_unknown_calendar_year_is_explained_on_the_form(setup: Setup) -> None:
    client = client_for(setup.world.enterprise_user_a)
    page = _page(client.get("/reporting/fill/industry/2098-12/"))
    assert "节假日数据不包含2099年" in page
    response = client.post("/reporting/fill/industry/2098-12/", _form(v_ind_output=1, action="save"))
    assert response.status_code == 200 and "报送截止日" in _page(response)
    assert not MonthlyReport.objects.exists()


# -- review --------------------------------------------------------------------------------------------------


def _submitted(setup: Setup, **explanations: str) -> MonthlyReport:
    report = setup.draft(explanations=explanations)
    return services.report_submit(report=report, actor=setup.world.enterprise_user_a)


def test_the_review_page_shows_values_findings_and_explanations(setup: Setup) -> None:
    setup.rule("rd_expense", RuleKind.REQUIRED, Severity.EXPLAIN)
    report = _submitted(setup, rd_expense="研发项目推迟到四季度")
    page = _page(client_for(setup.world.analyst_a).get(reverse("reporting:report", args=[report.pk])))
    for text in ("研发经费支出未填写", "研发项目推迟到四季度", "受理", "退回", "环比", "同比", "1000"):
        assert text in page, text


def test_accepting_on_the_review_page(setup: Setup) -> None:
    report = _submitted(setup)
    client = client_for(setup.world.analyst_a)
    url = reverse("reporting:report", args=[report.pk])
    response = client.post(url, {"action": "accept", "comment": "核实无误"})
    assert response.status_code == 302 and response["Location"] == reverse("reporting:review_queue")
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED and report.review_comment == "核实无误"
    assert "已受理" in _page(client.get(response["Location"]))


def test_returning_needs_a_comment_on_the_page(setup: Setup) -> None:
    report = _submitted(setup)
    client = client_for(setup.world.analyst_a)
    url = reverse("reporting:report", args=[report.pk])
    response = client.post(url, {"action": "return", "comment": ""})
    assert response.status_code == 200 and "退回报表时须填写审核意见" in _page(response)
    client.post(url, {"action": "return", "comment": "用电量与供电公司数据相差较大"})
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    page = _page(client_for(setup.world.enterprise_user_a).get(FORM_URL))
    assert "审核退回意见" in page and "用电量与供电公司数据相差较大" in page


def test_only_reviewers_of_the_zone_may_decide(setup: Setup) -> None:
    report = _submitted(setup)
    url = reverse("reporting:report", args=[report.pk])
    assert client_for(setup.world.enterprise_user_a).post(url, {"action": "accept"}).status_code == 404
    assert client_for(setup.world.analyst_b).post(url, {"action": "accept"}).status_code == 404
    assert client_for(setup.world.analyst_b).get(url).status_code == 404
    page = _page(client_for(setup.world.enterprise_user_a).get(url))
    assert "受理后" not in page  # no review form for the enterprise
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_the_review_queue(setup: Setup) -> None:
    report = _submitted(setup)
    client = client_for(setup.world.analyst_a)
    response = client.get(reverse("reporting:review_queue"))
    assert response.status_code == 200 and "审核队列" in _page(response) and "甲区测试企业" in _page(response)
    assert [r["report"] for r in response.context["rows"]] == [report]
    assert client.get(reverse("reporting:review_queue"), {"zone": setup.world.zone_b.pk}).status_code == 404
    assert client_for(setup.world.enterprise_user_a).get(reverse("reporting:review_queue")).status_code == 404
    assert client_for(setup.world.analyst_b).get(reverse("reporting:review_queue")).context["rows"] == []


def _many_reports(setup: Setup, n: int, status: str = ReportStatus.SUBMITTED, start: int = 1) -> None:
    """Reports written straight to the tables: enough rows to show an N+1, whatever today's date."""
    for i in range(start, start + n):
        report = MonthlyReport.objects.create(
            enterprise=setup.world.enterprise_a,
            territory=setup.world.zone_a,
            category=setup.category,
            period=period(2020 + i // 12, i % 12 + 1),
            status=status,
            deadline=date(2025, 1, 1),
            revision=1,
        )
        ReportLine.objects.create(
            report=report, indicator=setup.ind["ind_output"], value=Decimal(i), findings=[{"message": "x"}]
        )


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("analyst_a", "/reporting/review/"),
        ("analyst_a", "/reporting/reports/"),
        ("enterprise_user_a", "/reporting/reports/"),
        ("enterprise_user_a", "/reporting/fill/"),
        ("analyst_a", "/api/reporting/reports/"),
    ],
)
def test_list_queries_do_not_grow_with_reports(setup: Setup, who: str, url: str) -> None:
    client = client_for(getattr(setup.world, who))
    _many_reports(setup, 2)
    before = _queries(client, url)
    _many_reports(setup, 10, start=3)
    due = Month.due_now()
    for back in range(12):  # reports in the months the enterprise's page shows
        m = due.shift(-back)
        MonthlyReport.objects.create(
            enterprise=setup.world.enterprise_a,
            territory=setup.world.zone_a,
            category=setup.category,
            period=period(m.year, m.month),
            status=ReportStatus.SUBMITTED,
            deadline=date(2025, 1, 1),
        )
    assert _queries(client, url) == before


# -- missing and overdue -------------------------------------------------------------------------------------


def test_the_progress_page_lists_missing_and_overdue_per_zone(setup: Setup) -> None:
    _submitted(setup)
    client = client_for(setup.world.city_analyst)
    response = client.get(reverse("reporting:progress"), {"month": "2025-09", "show": "overdue"})
    page = _page(response)
    assert response.status_code == 200
    assert "未报与逾期" in page and "2025年9月" in page and "报送进度" in page
    assert [r.enterprise.name for r in response.context["rows"]] == ["乙区测试企业"]  # past 2025-10-14 today
    assert "逾期" in page


def test_the_progress_export(setup: Setup) -> None:
    _submitted(setup)
    response = client_for(setup.world.city_analyst).get(
        reverse("reporting:progress_export"), {"month": "2025-09"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = xlsx_rows(response.content)
    assert rows[0] == ["园区", "应报", "已报", "已受理", "待审核", "未报", "逾期未报", "迟报"]
    assert sorted(r[0] for r in rows[1:]) == ["乙开发区", "甲开发区"]
    assert AuditEvent.objects.filter(
        event="reporting.progress.export", actor=setup.world.city_analyst
    ).exists()


def test_the_missing_sheet_names_the_firms_to_chase(setup: Setup) -> None:
    import io

    from python_calamine import CalamineWorkbook

    response = client_for(setup.world.analyst_a).get(
        reverse("reporting:progress_export"), {"month": "2025-09"}
    )
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    assert book.sheet_names == ["报送进度", "未报企业", "逾期未报企业"]
    missing = book.get_sheet_by_name("未报企业").to_python()
    assert missing[0][:4] == ["园区", "企业", "统一社会信用代码", "报表类别"]
    assert [r[1] for r in missing[1:]] == ["甲区测试企业"]  # zone A only


@pytest.mark.parametrize("who", ["enterprise_user_a", "nobody_a"])
def test_progress_is_for_zone_staff(setup: Setup, who: str) -> None:
    client = client_for(getattr(setup.world, who))
    assert client.get(reverse("reporting:progress")).status_code == 404
    assert client.get(reverse("reporting:progress_export")).status_code == 404


def test_progress_queries_do_not_grow_with_enterprises(setup: Setup) -> None:
    from kunlu.accounts import services as account_services
    from kunlu.accounts.demo import demo_uscc

    client = client_for(setup.world.city_analyst)
    url = f"{reverse('reporting:progress')}?month=2025-09&show=all"
    before = _queries(client, url)
    for n in range(8):
        firm = account_services.organisation_create(
            data={
                "name": f"企业{n}",
                "kind": "enterprise",
                "territory": setup.world.zone_a,
                "uscc": demo_uscc(200 + n),
            },
            actor=None,
        )
        CategoryMembership.objects.create(
            enterprise=firm, category=setup.category, valid_from=period(2025, 1)
        )
        if n % 2:
            MonthlyReport.objects.create(
                enterprise=firm,
                territory=firm.territory,
                category=setup.category,
                period=period(2025, 9),
                status=ReportStatus.ACCEPTED,
                deadline=date(2025, 10, 14),
            )
    assert _queries(client, url) == before


# -- declared CRUD, menus ------------------------------------------------------------------------------------


def test_adding_a_membership_with_months(setup: Setup) -> None:
    from kunlu.accounts import services as account_services
    from kunlu.accounts.demo import demo_uscc

    firm = account_services.organisation_create(
        data={
            "name": "新升规企业",
            "kind": "enterprise",
            "territory": setup.world.zone_a,
            "uscc": demo_uscc(300),
        },
        actor=None,
    )
    client = client_for(setup.world.analyst_a)
    url = reverse("reporting_categorymembership_add")
    data = {"enterprise": firm.pk, "category": setup.category.pk, "valid_from": "2026-01", "valid_to": ""}
    assert client.post(url, data).status_code == 302
    membership = CategoryMembership.objects.get(enterprise=firm)
    assert membership.valid_from.code == "2026-01" and membership.valid_to is None
    edit = client.get(reverse("reporting_categorymembership_edit", args=[membership.pk]))
    assert 'value="2026-01"' in _page(edit)
    again = client.post(url, {**data, "valid_from": "2026-06"})
    assert again.status_code == 200 and "valid_from" in again.context["form"].errors
    assert "重叠" in _page(again)
    bad = client.post(url, {**data, "valid_from": "2026年13月"})
    assert "不是有效的月份" in _page(bad)


def test_an_analyst_cannot_add_a_member_of_another_zone(setup: Setup) -> None:
    response = client_for(setup.world.analyst_a).post(
        reverse("reporting_categorymembership_add"),
        {"enterprise": setup.world.enterprise_b.pk, "category": setup.category.pk, "valid_from": "2026-01"},
    )
    assert response.status_code == 200 and "enterprise" in response.context["form"].errors


def test_a_review_rule_is_checked_on_its_form(setup: Setup) -> None:
    client = client_for(setup.world.analyst_a)
    data = {
        "category": setup.category.pk,
        "indicator": setup.ind["export"].pk,
        "kind": RuleKind.CROSS,
        "severity": Severity.BLOCK,
        "operator": "lte",
        "right_indicator": setup.ind["ind_output"].pk,
        "factor": "1",
        "sort_order": 0,
        "is_active": "on",
    }
    response = client.post(reverse("reporting_reviewrule_add"), data)
    assert response.status_code == 200 and "单位或币种不同" in _page(response)
    response = client.post(
        reverse("reporting_reviewrule_add"), {**data, "right_indicator": setup.ind["trade"].pk}
    )
    assert response.status_code == 302 and ReviewRule.objects.count() == 1
    listing = _page(client.get(reverse("reporting_reviewrule_list")))
    assert "≤ 1×外贸进出口总额" in listing


@pytest.mark.parametrize(
    "name",
    [
        "reporting_reportingcategory_list",
        "reporting_categoryindicator_list",
        "reporting_categorymembership_list",
        "reporting_reviewrule_list",
        "reporting_reportingdeadline_list",
        "reporting_monthlyreport_list",
    ],
)
def test_declared_lists_render_in_chinese(setup: Setup, name: str) -> None:
    response = client_for(setup.world.analyst_a).get(reverse(name))
    assert response.status_code == 200
    assert "导出Excel" in _page(response) and "企业直报" in _page(response)


def test_the_register_filters_by_month_and_status(setup: Setup) -> None:
    _submitted(setup)
    client = client_for(setup.world.city_analyst)
    url = reverse("reporting_monthlyreport_list")
    assert len(client.get(url, {"period": "2025-09", "status": "submitted"}).context["table"].rows) == 1
    assert len(client.get(url, {"period": "2025-08"}).context["table"].rows) == 0
    assert len(client.get(url, {"period": "九月"}).context["table"].rows) == 0
    assert len(client.get(url, {"zone": setup.world.zone_b.pk}).context["table"].rows) == 0


def test_the_register_add_and_edit_lead_to_the_form(setup: Setup) -> None:
    report = setup.draft()
    client = client_for(setup.world.enterprise_user_a)
    assert client.get(reverse("reporting_monthlyreport_add"))["Location"] == reverse("reporting:my_reports")
    edit = client.get(reverse("reporting_monthlyreport_edit", args=[report.pk]))
    assert edit["Location"] == FORM_URL
    assert (
        client_for(setup.world.analyst_a)
        .get(reverse("reporting_monthlyreport_edit", args=[report.pk]))
        .status_code
        == 404
    )


def test_deleting_a_submitted_report_is_refused_with_the_reason(setup: Setup) -> None:
    report = _submitted(setup)
    client = client_for(setup.world.admin)
    response = client.post(reverse("reporting_monthlyreport_delete", args=[report.pk]), follow=True)
    assert "只能删除从未报送过的草稿" in _page(response)
    assert MonthlyReport.objects.filter(pk=report.pk).exists()
    draft = setup.draft(enterprise=setup.world.enterprise_b, actor=setup.world.enterprise_user_b)
    client.post(reverse("reporting_monthlyreport_delete", args=[draft.pk]))
    assert not MonthlyReport.objects.filter(pk=draft.pk).exists()


def test_menus_show_what_each_user_may_open(setup: Setup) -> None:
    def labels(user: Any) -> set[str]:
        return {str(i.label) for i in menus.items_for(user) if str(i.group) == "企业直报"}

    w = setup.world
    assert {"本月填报", "报表台账", "直报企业名录"} <= labels(w.enterprise_user_a)
    assert not {"审核队列", "未报与逾期", "审核规则"} & labels(w.enterprise_user_a)
    assert {"审核队列", "未报与逾期", "报表台账", "审核规则", "报表类别", "报表指标", "报送截止日"} <= labels(
        w.analyst_a
    )
    assert "本月填报" not in labels(w.analyst_a)
    assert labels(w.nobody_a) == set()
    page = _page(client_for(w.enterprise_user_a).get("/"))
    assert "企业直报" in page and reverse("reporting:my_reports") in page
