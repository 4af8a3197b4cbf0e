"""The monthly 重大项目推进情况表: title, unit, headers, per-tier 小计 and the 合计 of 人民币 projects only,
a lagging project's gap to 序时进度, 美元 projects listed apart with a note."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from kunlu.core.services import period_for
from kunlu.core.testing import World, xlsx_rows
from kunlu.projects import services
from kunlu.projects.choices import Stage
from kunlu.projects.exports import period_label, progress_workbook, table_title
from kunlu.projects.models import Project, ProjectTier
from kunlu.projects.selectors import project_progress


def _new(world: World, name: str, total: int, currency: str, tier: str) -> Project:
    made = services.project_create(
        data={
            "name": name,
            "territory": world.zone_a,
            "investor": f"{name}投资方",
            "signed_on": date(2024, 8, 1),
            "total_investment": Decimal(total),
            "currency": currency,
        },
        actor=None,
    )
    made.listings.create(tier=ProjectTier.objects.get(code=tier), year=2025, responsible_unit="甲区经发局")
    return made


def _progress(project: Project, plan: int, done: int) -> None:
    services.plan_set(project=project, year=2025, amount=Decimal(plan), actor=None)
    services.actual_record(
        project=project,
        period=period_for(2025, 9),
        currency=project.currency,
        cumulative=Decimal(done),
        actor=None,
    )


@pytest.fixture
def board(world: World, project: Project) -> list[Project]:
    """A lagging 人民币 project (60% against 75%), one ahead (90%), and a 美元 project."""
    _progress(project, 100000, 60000)
    services.stage_set(project=project, stage=Stage.REGISTERED, actual_on=date(2024, 6, 1), actor=None)
    services.stage_set(project=project, stage=Stage.LAND, actual_on=date(2025, 2, 10), actor=None)
    services.stage_set(project=project, stage=Stage.STARTED, actual_on=date(2025, 3, 15), actor=None)
    project.listings.create(tier=ProjectTier.objects.get(code="suzhou"), year=2025)
    ahead = _new(world, "甲区新材料项目", 50000, "CNY", "province")
    _progress(ahead, 20000, 18000)
    foreign = _new(world, "甲区外资部件项目", 8000, "USD", "kunshan")
    _progress(foreign, 1000, 500)
    return [project, ahead, foreign]


def _sheet(board: list[Project], django_assert_num_queries: Any) -> list[list[Any]]:
    rows = project_progress(board, 2025, 9)
    with django_assert_num_queries(3):
        content = progress_workbook(rows, year=2025, month=9, title="重大项目推进情况表")
    return xlsx_rows(content)


def _line(sheet: list[list[Any]], name: str) -> list[Any]:
    return next(row for row in sheet if str(row[1]).startswith(name))


def test_title_unit_and_headers(board: list[Project], django_assert_num_queries: Any) -> None:
    sheet = _sheet(board, django_assert_num_queries)
    assert sheet[0][0] == "2025年1–9月重大项目推进情况表"
    assert sheet[1][0] == "单位：万元"
    assert sheet[2][:2] == ["序号", "项目名称"] and sheet[2][5] == "投资情况"
    assert sheet[3][5:13] == [
        "计划总投资",
        "年度计划投资",
        "1–9月完成投资",
        "完成年度计划%",
        "序时进度%",
        "超/落后序时进度（百分点）",
        "开工情况",
        "当前节点",
    ]
    assert sheet[2][13:] == ["责任单位", "备注"]


def test_totals_count_only_cny_projects(board: list[Project], django_assert_num_queries: Any) -> None:
    sheet = _sheet(board, django_assert_num_queries)
    total = _line(sheet, "合计")
    assert total[1] == "合计（3个）"
    # 人民币 only: 200000 + 50000 total, 100000 + 20000 plan, 60000 + 18000 done → 65.0% vs 75.0%.
    assert total[5:11] == [250000.0, 120000.0, 78000.0, 65.0, 75.0, -10.0]
    assert total[11] == "已开工1个" and "另有美元项目1个" in total[14]
    kunshan = _line(sheet, "三、昆山市重大项目小计")
    assert kunshan[1] == "三、昆山市重大项目小计（1个）" and kunshan[5:8] == [0.0, 0.0, 0.0]
    province = _line(sheet, "一、省重大项目小计")
    assert province[5:11] == [50000.0, 20000.0, 18000.0, 90.0, 75.0, 15.0]
    notes = [row[0] for row in sheet if str(row[0]).startswith("注")]
    assert notes and "美元" in notes[0] and "未计入小计和合计" in notes[0]
    assert any("完成年度计划% = 1–9月完成投资" in str(row[0]) for row in sheet)


def test_a_lagging_project_shows_its_gap(board: list[Project], django_assert_num_queries: Any) -> None:
    sheet = _sheet(board, django_assert_num_queries)
    lagging = _line(sheet, "测试智能制造项目")
    # Listed under its first tier (苏州市重点项目 comes before 昆山市重大项目), the other one noted.
    assert lagging[2:5] == ["甲区测试企业", "苏州市重点项目", "新开工"]
    assert lagging[7:11] == [60000.0, 60.0, 75.0, -15.0]
    assert lagging[11:13] == ["已开工（2025-03-15）", "开工"]
    assert "同时列入昆山市重大项目" in lagging[14]
    ahead = _line(sheet, "甲区新材料项目")
    assert ahead[2] == "甲区新材料项目投资方" and ahead[10] == 15.0 and ahead[11:13] == ["未开工", "未开始"]


def test_usd_projects_are_listed_with_their_currency(
    board: list[Project], django_assert_num_queries: Any
) -> None:
    sheet = _sheet(board, django_assert_num_queries)
    foreign = _line(sheet, "甲区外资部件项目")
    assert foreign[5:9] == [8000.0, 1000.0, 500.0, 50.0]
    assert "万美元" in foreign[14]
    order = [row[1] for row in sheet if row[0] not in ("", None) and isinstance(row[0], float)]
    assert order == ["甲区新材料项目", "测试智能制造项目", "甲区外资部件项目"]


def test_titles_name_the_period() -> None:
    assert period_label(2025, 1) == "2025年1月"
    assert table_title("重大项目推进情况表", 2025, 2) == "2025年1–2月重大项目推进情况表"
    assert (
        table_title("2025年1–9月昆山市重大项目推进情况表", 2025, 9) == "2025年1–9月昆山市重大项目推进情况表"
    )


def test_an_empty_board_still_writes_the_table(db: None) -> None:
    sheet = xlsx_rows(progress_workbook([], year=2025, month=3, title="重大项目推进情况表"))
    assert sheet[0][0] == "2025年1–3月重大项目推进情况表"
    assert _line(sheet, "合计")[1] == "合计（0个）"
