"""The S2 demo: the seed report's lines computed from the records, and loading twice changes nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.apps import apps

from kunlu.accounts import demo as accounts_demo
from kunlu.accounts.models import User
from kunlu.core import demo as core_demo
from kunlu.core.formatting import amount, percent
from kunlu.core.models import AuditEvent, Territory
from kunlu.projects import demo, selectors
from kunlu.projects.choices import AlertLevel
from kunlu.projects.models import Alert, Project


def _load() -> None:
    core_demo.load()
    accounts_demo.load()
    demo.load()


def _counts() -> dict[str, int]:
    models = [m for m in apps.get_models() if m._meta.app_label == "projects"]
    return {m._meta.label: m._default_manager.count() for m in models} | {"audit": AuditEvent.objects.count()}


@pytest.fixture
def loaded(db: None) -> User:
    _load()
    user: User = User.objects.get(username="projects_gx")
    return user


def test_loading_twice_changes_nothing(loaded: User) -> None:
    first = _counts()
    demo.load()
    assert _counts() == first


def test_signings_of_2025_give_the_seed_line(loaded: User) -> None:
    signed = list(selectors.signed_projects(loaded, 2025, month=9))
    (cny,) = selectors.group_totals(signed, lambda p: "全部")
    assert cny.count == 27
    assert amount(cny.total) == "156.1亿元"
    assert len(selectors.at_least(signed, Decimal(100000))) == 6


def test_major_projects_all_started_and_96_9_percent_of_plan(loaded: User) -> None:
    projects = selectors.listed_projects(loaded, 2025)
    rows = selectors.project_progress(projects, 2025, 9)
    (summary,) = selectors.summarise("全部", rows)
    assert summary.count == 20
    assert summary.started == 20
    assert amount(summary.done) == "39.6亿元"
    assert percent(summary.completion) == "96.9%"


def test_one_enterprise_has_three_phases_on_one_timeline(loaded: User) -> None:
    second = Project.objects.get(name="示例新能源材料二期项目")
    phases = {row["phase"] for row in selectors.timeline(loaded, second)}
    assert phases == {1, 2, 3}
    increase = Project.objects.get(name="示例新能源材料增资项目")
    assert increase.currency == "USD"
    assert increase.timeline_root == second.timeline_root


def test_september_alerts_name_the_lagging_projects(loaded: User) -> None:
    zone = Territory.objects.get(code="KS-GX")
    alerts = Alert.objects.filter(run__territory=zone, run__rule_set__code="yinchuan")
    red = set(alerts.filter(level=AlertLevel.RED).values_list("project__name", flat=True))
    assert "示例生物样本库项目" in red  # 40% of plan against 75% → 35 百分点 behind
    yellow = set(alerts.filter(level=AlertLevel.YELLOW).values_list("project__name", flat=True))
    assert "示例高端医疗影像设备项目" in yellow  # 58% → 17 百分点 behind
    assert "示例数字孪生工厂项目" in yellow  # no report for August and September
