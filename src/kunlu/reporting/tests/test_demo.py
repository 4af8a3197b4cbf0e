"""The direct-reporting demo: loaded with the demo zone, idempotent, one report awaiting review."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import Client

from kunlu.accounts.demo import DEMO_PASSWORD
from kunlu.accounts.models import User
from kunlu.core.models import AuditEvent
from kunlu.indicators.models import UnitObservation
from kunlu.reporting.choices import ReportStatus
from kunlu.reporting.models import MonthlyReport, ReportingCategory, ReviewRule
from kunlu.reporting.selectors import Month, reporting_progress, review_queue


def _counts() -> dict[str, int]:
    models = [m for m in apps.get_models() if m._meta.app_label in {"reporting", "indicators"}]
    return {m._meta.label: m._default_manager.count() for m in models} | {"audit": AuditEvent.objects.count()}


@pytest.fixture
def demo(db: None) -> None:
    call_command("load_demo", stdout=StringIO())


def test_loading_twice_changes_nothing(demo: None) -> None:
    first = _counts()
    call_command("load_demo", stdout=StringIO())
    assert _counts() == first


def test_demo_categories_rules_and_reports(demo: None) -> None:
    assert set(ReportingCategory.objects.values_list("name", flat=True)) == {
        "规上工业",
        "限上批零",
        "规上服务业",
    }
    industry = ReportingCategory.objects.get(code="industry")
    assert set(industry.indicators.values_list("code", flat=True)) == {
        "ind_output",
        "ind_electricity",
        "rd_expense",
        "trade",
        "export",
    }
    assert set(ReviewRule.objects.values_list("kind", "severity")) == {
        ("range", "block"),
        ("required", "explain"),
        ("mom_jump", "explain"),
        ("yoy_jump", "explain"),
        ("cross", "block"),
    }
    waiting = MonthlyReport.objects.get(status=ReportStatus.SUBMITTED)
    assert waiting.period.code == "2026-09" and waiting.enterprise.name == "昆山示例精密机械有限公司"
    finding = waiting.lines.get(indicator__code="ind_output").findings[0]
    assert finding["kind"] == "mom_jump" and finding["explained"]
    assert MonthlyReport.objects.filter(status=ReportStatus.ACCEPTED).count() == 3
    assert UnitObservation.objects.filter(source="企业直报").count() == 15  # 3 accepted reports × 5 lines


def test_demo_users_find_their_work(demo: None) -> None:
    analyst = User.objects.get(username="analyst_gx")
    assert [r.period.code for r in review_queue(user=analyst)] == ["2026-09"]
    assert list(review_queue(user=User.objects.get(username="analyst_kf"))) == []
    city = User.objects.get(username="analyst_city")
    progress = reporting_progress(user=city, month=Month(2026, 9), today=date(2026, 10, 20))
    assert [r.enterprise.name for r in progress.overdue] == ["昆山示例光电科技有限公司"]
    client = Client()
    assert client.post("/login/", {"username": "ent_gx", "password": DEMO_PASSWORD}).status_code == 302
    assert client.get("/reporting/fill/").status_code == 200
    page = client.get("/reporting/reports/").content.decode()
    assert "规上工业" in page and "已报送待审核" in page and "昆山示例光电科技有限公司" not in page
