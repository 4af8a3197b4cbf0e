"""Importing the major-project list (重大项目清单) and the monthly progress reports (项目月度进展): a good
file, the same data twice, each class of bad row named by row and column, and nothing half-written."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from kunlu.accounts import services as account_services
from kunlu.accounts.demo import demo_uscc
from kunlu.accounts.models import User
from kunlu.core.imports.datasets import get
from kunlu.core.imports.services import import_commit, import_preview
from kunlu.core.models import AuditEvent, ImportBatch, ImportRecord, ImportStatus
from kunlu.core.services import period_for
from kunlu.core.testing import PASSWORD, World
from kunlu.core.tests.importfiles import csv_bytes, upload, xlsx_bytes
from kunlu.projects import services
from kunlu.projects.choices import ActualSource, ConstructionKind, Stage
from kunlu.projects.imports import ProgressDataset, ProjectListDataset, safe_order
from kunlu.projects.models import (
    InvestmentActual,
    InvestmentPlan,
    Project,
    ProjectChange,
    ProjectListing,
    ProjectStage,
)

LIST = "projects.project_list"
PROGRESS = "projects.progress"
LIST_HEADERS = [
    "项目编号",
    "项目名称",
    "所属地区代码",
    "项目单位统一社会信用代码",
    "投资方",
    "项目层级",
    "年度",
    "建设类型",
    "项目类别",
    "建设性质",
    "计划总投资（万）",
    "币种",
    "年度计划投资（万）",
    "计划开工日期",
    "计划竣工日期",
    "计划投产日期",
    "责任单位",
    "建设内容",
]
PROGRESS_HEADERS = [
    "项目编号",
    "年度",
    "月份",
    "1–M月累计完成投资（万）",
    "当月完成投资（万）",
    "币种",
    "实际开工日期",
    "实际竣工日期",
    "实际投产日期",
    "情况说明",
]


@pytest.fixture(autouse=True)
def _data_dir(settings: Any, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path


def _office(world: World, username: str, territory: Any) -> User:
    """A project-office user: the role brings the right to upload files (core.add_importbatch)."""
    user = account_services.user_create(
        data={"username": username, "organisation": None, "password": PASSWORD}, actor=None
    )
    account_services.role_grant(user=user, role_code="project_office", territory=territory, actor=None)
    return user


@pytest.fixture
def office(world: World, defaults: None) -> User:
    return _office(world, "office_a", world.zone_a)


def list_row(**cells: Any) -> list[Any]:
    """A list row of a new CNY project of enterprise A in zone A; cells by header override."""
    row = {
        "项目编号": "",
        "项目名称": "甲区新能源电池项目",
        "所属地区代码": "ZA",
        "项目单位统一社会信用代码": demo_uscc(101),
        "投资方": "示例能源集团",
        "项目层级": "昆山市重大项目",
        "年度": 2025,
        "建设类型": "新开工",
        "项目类别": "产业类",
        "建设性质": "新建",
        "计划总投资（万）": 150000,
        "币种": "人民币",
        "年度计划投资（万）": 30000,
        "计划开工日期": "2025-03-01",
        "计划竣工日期": "2026-06-30",
        "计划投产日期": "2026-09-30",
        "责任单位": "甲区经发局",
        "建设内容": "年产10GWh动力电池",
    }
    row.update(cells)
    return [row[h] for h in LIST_HEADERS]


def progress_row(code: str, month: int, **cells: Any) -> list[Any]:
    row: dict[str, Any] = {h: "" for h in PROGRESS_HEADERS}
    row.update({"项目编号": code, "年度": 2025, "月份": month, "币种": "人民币"})
    row.update(cells)
    return [row[h] for h in PROGRESS_HEADERS]


def preview(dataset: str, actor: Any, rows: list[list[Any]], content: bytes = b"") -> ImportBatch:
    headers = LIST_HEADERS if dataset == LIST else PROGRESS_HEADERS
    content = content or xlsx_bytes(rows, headers=headers)
    return import_preview(dataset=dataset, uploaded_file=upload(content), actor=actor)


def committed(dataset: str, actor: Any, rows: list[list[Any]], content: bytes = b"") -> ImportBatch:
    batch = preview(dataset, actor, rows, content)
    assert batch.status == ImportStatus.PREVIEWED, batch.errors
    batch = import_commit(batch=batch, actor=actor)
    assert batch.status == ImportStatus.COMMITTED, batch.errors
    return batch


def counts() -> dict[str, Any]:
    """Everything an S2 import may write."""
    return {
        "projects": sorted(Project.objects.values_list("pk", "name", "total_investment", "currency")),
        "project_history": Project.history.count(),
        "listings": sorted(ProjectListing.objects.values_list("pk", "construction", "responsible_unit")),
        "plans": sorted(InvestmentPlan.objects.values_list("pk", "amount")),
        "stages": sorted(ProjectStage.objects.values_list("pk", "planned_on", "actual_on")),
        "stage_history": ProjectStage.history.count(),
        "actuals": sorted(
            InvestmentActual.objects.values_list("pk", "version", "cumulative", "superseded_at")
        ),
        "changes": ProjectChange.objects.count(),
        "records": ImportRecord.objects.count(),
        "events": AuditEvent.objects.filter(event__startswith="projects.").count(),
    }


def refused(dataset: str, actor: Any, rows: list[list[Any]]) -> ImportBatch:
    """A file the preview refuses, whose commit writes nothing."""
    before = counts()
    batch = preview(dataset, actor, rows)
    assert batch.status == ImportStatus.INVALID, batch.summary
    with pytest.raises(ValidationError):
        import_commit(batch=batch, actor=actor)
    assert counts() == before
    return batch


def reasons(batch: ImportBatch, row: int | None, column: str) -> list[str]:
    return [e["reason"] for e in batch.errors if e["row"] == row and e["column"] == column]


def test_both_datasets_are_on_the_import_pages(office: User, world: World) -> None:
    assert get(LIST) is ProjectListDataset and get(PROGRESS) is ProgressDataset
    assert ProjectListDataset.allowed(office) and ProgressDataset.allowed(office)
    assert not ProjectListDataset.allowed(world.analyst_a)  # views projects only
    template = ProjectListDataset.template_columns()
    tier = next(c for c in template if c.field == "tier")
    assert "昆山市重大项目" in [str(c) for c in tier.choices]


# -- 重大项目清单 ------------------------------------------------------------------------------------------


def test_a_good_list_creates_projects_with_listing_plan_and_dates(office: User, world: World) -> None:
    rows = [
        list_row(),
        list_row(
            项目名称="甲区外资精密部件项目",
            项目单位统一社会信用代码="",
            投资方="示例株式会社",
            项目层级="suzhou",
            建设类型="续建",
            建设性质="增资",
            **{"计划总投资（万）": 8000, "币种": "美元", "年度计划投资（万）": 2000},
        ),
    ]
    before = counts()
    batch = preview(LIST, office, rows)
    assert batch.status == ImportStatus.PREVIEWED, batch.errors
    assert batch.summary["created"] == 2
    assert counts() == before  # the preview's trial run left nothing behind
    batch = import_commit(batch=batch, actor=office)
    assert batch.status == ImportStatus.COMMITTED, batch.errors

    battery = Project.objects.get(name="甲区新能源电池项目")
    assert (battery.territory, battery.enterprise, battery.currency) == (
        world.zone_a,
        world.enterprise_a,
        "CNY",
    )
    assert battery.total_investment == Decimal(150000) and battery.category is not None
    assert battery.code.startswith("ZA-")
    listing = battery.listings.get()
    assert (listing.tier.code, listing.year, listing.construction, listing.responsible_unit) == (
        "kunshan",
        2025,
        ConstructionKind.NEW_START,
        "甲区经发局",
    )
    assert battery.plans.get(year=2025).amount == Decimal(30000)
    planned = dict(battery.stages.values_list("stage", "planned_on"))
    assert planned[Stage.STARTED] == date(2025, 3, 1) and planned[Stage.PRODUCING] == date(2026, 9, 30)

    foreign = Project.objects.get(name="甲区外资精密部件项目")
    assert (foreign.currency, foreign.project_type, foreign.enterprise) == ("USD", "capital_increase", None)
    assert foreign.listings.get().tier.code == "suzhou"
    assert foreign.listings.get().construction == ConstructionKind.CONTINUING
    assert ImportRecord.objects.filter(batch=batch).count() == 2


def test_the_same_list_again_changes_nothing(office: User) -> None:
    content = xlsx_bytes([list_row()], headers=LIST_HEADERS)
    committed(LIST, office, [], content)
    before = counts()
    same_file = preview(LIST, office, [], content)
    assert same_file.status == ImportStatus.DUPLICATE
    again = preview(LIST, office, [], csv_bytes([list_row()], headers=LIST_HEADERS))
    assert again.summary["unchanged"] == 1 and again.summary["created"] == again.summary["updated"] == 0
    import_commit(batch=again, actor=office)
    after = counts()
    assert {k: v for k, v in after.items() if k != "records"} == {
        k: v for k, v in before.items() if k != "records"
    }


def test_a_row_with_the_code_updates_the_project_with_reasons(office: User, project: Project) -> None:
    row = list_row(
        项目编号=project.code,
        项目名称=project.name,
        **{"计划总投资（万）": 240000, "年度计划投资（万）": 60000, "计划开工日期": "2025-04-01"},
    )
    batch = committed(LIST, office, [row])
    assert batch.summary["updated"] == 1 and Project.objects.count() == 1
    project.refresh_from_db()
    assert project.total_investment == Decimal(240000)
    changes = ProjectChange.objects.filter(project=project)
    assert {c.reason for c in changes} == {"导入《重大项目清单》"}
    assert changes.filter(old_value="200000", new_value="240000").exists()
    # The listing of the fixture (昆山市重大项目 2025) is updated, not doubled.
    listing = project.listings.get()
    assert listing.responsible_unit == "甲区经发局"
    # Changing planned dates already set is logged with the same reason.
    moved = list_row(
        项目编号=project.code,
        项目名称=project.name,
        **{"计划总投资（万）": 240000, "年度计划投资（万）": 60000, "计划开工日期": "2025-05-01"},
    )
    committed(LIST, office, [], csv_bytes([moved], headers=LIST_HEADERS))
    assert ProjectChange.objects.filter(
        project=project, field="开工计划日期", new_value="2025-05-01"
    ).exists()


def test_a_row_without_code_is_matched_by_name_and_territory(office: User, project: Project) -> None:
    batch = committed(LIST, office, [list_row(项目名称=project.name, **{"计划总投资（万）": 200000})])
    assert batch.summary["created"] == 0 and batch.summary["updated"] == 1
    assert Project.objects.count() == 1
    project.refresh_from_db()
    assert project.investor == "示例能源集团" and project.plans.get(year=2025).amount == Decimal(30000)


def test_a_date_moving_past_the_next_stage_is_applied_in_a_safe_order(office: User) -> None:
    committed(LIST, office, [list_row()])
    later = list_row(
        项目编号=Project.objects.get().code,
        **{"计划开工日期": "2026-08-01", "计划竣工日期": "2026-12-31", "计划投产日期": "2027-03-31"},
    )
    committed(LIST, office, [later])
    planned = dict(Project.objects.get().stages.values_list("stage", "planned_on"))
    assert planned[Stage.STARTED] == date(2026, 8, 1) and planned[Stage.COMPLETED] == date(2026, 12, 31)


def test_safe_order_moves_earlier_dates_forward_and_later_dates_backward() -> None:
    started, completed, producing = Stage.STARTED, Stage.COMPLETED, Stage.PRODUCING
    changes = [
        (started, date(2025, 3, 1), date(2025, 9, 1)),
        (completed, date(2025, 6, 1), date(2025, 12, 1)),
        (producing, None, date(2026, 1, 1)),
    ]
    assert [c[0] for c in safe_order(changes, actual=False)] == [producing, completed, started]
    assert [c[0] for c in safe_order(changes, actual=True)] == [producing, completed, started]
    filling = [(started, None, date(2025, 3, 1)), (completed, None, date(2025, 6, 1))]
    assert [c[0] for c in safe_order(filling, actual=True)] == [started, completed]


@pytest.mark.parametrize(
    ("cells", "column", "text"),
    [
        ({"项目单位统一社会信用代码": demo_uscc(699)}, "项目单位统一社会信用代码", "未登记"),
        ({"项目单位统一社会信用代码": "91320583MA00006010"}, "项目单位统一社会信用代码", "无效"),
        ({"所属地区代码": "ZB"}, "所属地区代码", "不在您的管理范围内"),
        ({"项目层级": "国家级"}, "项目层级", "不存在或已停用"),
        ({"项目类别": "其他类"}, "项目类别", "不存在"),
        ({"建设类型": "改建"}, "建设类型", "不是可选的值"),
        ({"建设性质": "改建"}, "建设性质", "不是可选的值"),
        ({"币种": "欧元"}, "币种", "不是可选的值"),
        ({"年度": "25年"}, "年度", "不是年份"),
        ({"计划总投资（万）": -5}, "计划总投资（万）", "不能为负数"),
        ({"计划总投资（万）": ""}, "计划总投资（万）", "必填"),
        ({"年度计划投资（万）": "三万"}, "年度计划投资（万）", "不是数字"),
        ({"计划开工日期": "2025-02-30"}, "计划开工日期", "不是有效日期"),
        ({"计划竣工日期": "2025-01-01"}, "计划竣工日期", "早于本行的「计划开工日期」"),
        ({"项目名称": ""}, "项目名称", "必填"),
    ],
)
def test_each_bad_list_row_is_named_and_nothing_is_written(
    office: User, cells: dict[str, Any], column: str, text: str
) -> None:
    batch = refused(LIST, office, [list_row(**cells)])
    found = reasons(batch, 2, column)
    assert any(text in r and r.startswith(f"第2行「{column}」") for r in found), batch.errors


def test_a_refusal_of_the_stage_service_comes_back_on_its_column(office: User, project: Project) -> None:
    services.stage_set(project=project, stage=Stage.LAND, planned_on=date(2025, 5, 1), actor=None)
    batch = refused(LIST, office, [list_row(项目编号=project.code, 项目名称=project.name)])
    found = reasons(batch, 2, "计划开工日期")
    assert any("早于供地计划日期" in r for r in found), batch.errors


def test_a_project_twice_in_the_list_names_both_rows(office: User, project: Project) -> None:
    by_code = refused(
        LIST,
        office,
        [list_row(项目编号=project.code), list_row(项目编号=project.code, 项目名称="另一个名称")],
    )
    assert any("与第2行重复" in r for r in reasons(by_code, 3, "项目编号")), by_code.errors
    by_name = refused(LIST, office, [list_row(), list_row(项目层级="苏州市重点项目")])
    assert any("与第2行重复" in r for r in reasons(by_name, 3, "项目名称")), by_name.errors


def test_a_new_code_on_a_known_name_is_a_conflict(office: User, project: Project) -> None:
    batch = refused(LIST, office, [list_row(项目编号="ZA-2025-999", 项目名称=project.name)])
    assert any(project.code in r for r in reasons(batch, 2, "项目编号")), batch.errors


def test_one_bad_row_keeps_the_good_rows_out_too(office: User) -> None:
    batch = refused(LIST, office, [list_row(), list_row(项目名称="第二个项目", 项目层级="国家级")])
    assert batch.summary["errors"] == 1 and Project.objects.count() == 0


def test_an_interrupted_list_commit_writes_nothing(office: User, monkeypatch: pytest.MonkeyPatch) -> None:
    batch = preview(LIST, office, [list_row(), list_row(项目名称="第二个项目")])
    before = counts()
    original = ProjectListDataset.apply
    done: list[Any] = []

    def fail_on_the_second_row(self: ProjectListDataset, values: dict[str, Any], *, actor: Any) -> Any:
        if done:
            raise RuntimeError("写入第二行时断电")
        done.append(original(self, values, actor=actor))
        return done[-1]

    monkeypatch.setattr(ProjectListDataset, "apply", fail_on_the_second_row)
    with pytest.raises(RuntimeError):
        import_commit(batch=batch, actor=office)
    assert len(done) == 1 and counts() == before


# -- 项目月度进展 ------------------------------------------------------------------------------------------


@pytest.fixture
def reporting(project: Project) -> Project:
    """The fixture project with its plan and its first two stages done."""
    return _reporting(project)


def _reporting(project: Project) -> Project:
    services.plan_set(project=project, year=2025, amount=Decimal(100000), actor=None)
    services.stage_set(project=project, stage=Stage.REGISTERED, actual_on=date(2024, 6, 1), actor=None)
    services.stage_set(project=project, stage=Stage.LAND, actual_on=date(2025, 2, 10), actor=None)
    return project


def test_good_progress_is_applied_in_month_order_with_lineage(office: User, reporting: Project) -> None:
    rows = [
        # September's own investment comes first in the file but is added to August's cumulative.
        progress_row(reporting.code, 9, **{"当月完成投资（万）": 8000, "情况说明": "设备安装"}),
        progress_row(reporting.code, 8, **{"1–M月累计完成投资（万）": 60000, "实际开工日期": "2025-03-15"}),
    ]
    batch = committed(PROGRESS, office, rows)
    assert batch.summary["created"] == 2
    current = InvestmentActual.objects.filter(project=reporting, superseded_at__isnull=True)
    assert dict(current.values_list("period__month", "cumulative")) == {8: Decimal(60000), 9: Decimal(68000)}
    assert set(current.values_list("source", "batch_id")) == {(ActualSource.IMPORT, batch.pk)}
    assert current.get(period__month=9).note == "设备安装"
    assert reporting.stages.get(stage=Stage.STARTED).actual_on == date(2025, 3, 15)
    lineage = ImportRecord.objects.filter(batch=batch).order_by("row_number")
    assert [r.row_number for r in lineage] == [2, 3]
    assert lineage[0].object_id == str(current.get(period__month=9).pk)


def test_the_same_progress_again_changes_nothing_and_a_revision_is_a_version(
    office: User, reporting: Project
) -> None:
    rows = [
        progress_row(reporting.code, 8, **{"1–M月累计完成投资（万）": 60000, "实际开工日期": "2025-03-15"})
    ]
    committed(PROGRESS, office, rows)
    before = counts()
    again = preview(PROGRESS, office, [], csv_bytes(rows, headers=PROGRESS_HEADERS))
    assert again.summary["unchanged"] == 1, again.errors
    import_commit(batch=again, actor=office)
    assert {k: v for k, v in counts().items() if k != "records"} == {
        k: v for k, v in before.items() if k != "records"
    }
    revised = committed(
        PROGRESS, office, [progress_row(reporting.code, 8, **{"1–M月累计完成投资（万）": 61000})]
    )
    assert revised.summary["updated"] == 1
    versions = InvestmentActual.objects.filter(project=reporting, period__month=8).order_by("version")
    assert [(a.version, a.cumulative) for a in versions] == [(1, Decimal(60000)), (2, Decimal(61000))]


def test_a_hyphenated_header_is_the_cumulative_column(office: User, reporting: Project) -> None:
    headers = [h.replace("1–M月累计完成投资（万）", "1-M月累计完成投资(万)") for h in PROGRESS_HEADERS]
    content = xlsx_bytes(
        [progress_row(reporting.code, 3, **{"1–M月累计完成投资（万）": 5000})], headers=headers
    )
    committed(PROGRESS, office, [], content)
    assert InvestmentActual.objects.get(project=reporting).cumulative == Decimal(5000)


def _record(project: Project, month: int, cumulative: int) -> None:
    services.actual_record(
        project=project,
        period=period_for(2025, month),
        currency=project.currency,
        cumulative=Decimal(cumulative),
        actor=None,
    )


@pytest.mark.parametrize(
    ("setup", "cells", "column", "text"),
    [
        (
            None,
            {"币种": "美元", "1–M月累计完成投资（万）": 100},
            "币种",
            "该项目以人民币计，不能填报美元金额",
        ),
        (
            (8, 60000),
            {"月份": 9, "1–M月累计完成投资（万）": 50000},
            "1–M月累计完成投资（万）",
            "累计数不能减少",
        ),
        (
            (9, 60000),
            {"月份": 8, "1–M月累计完成投资（万）": 70000},
            "1–M月累计完成投资（万）",
            "高于已报9月累计",
        ),
        ((9, 60000), {"月份": 8, "当月完成投资（万）": 70000}, "当月完成投资（万）", "高于已报9月累计"),
        (
            None,
            {"1–M月累计完成投资（万）": 100, "实际竣工日期": "2025-06-01"},
            "实际竣工日期",
            "不能跳过节点",
        ),
        (
            None,
            {"1–M月累计完成投资（万）": 100, "实际开工日期": "2025-01-05"},
            "实际开工日期",
            "早于供地实际日期",
        ),
        (None, {"年度": 2099, "1–M月累计完成投资（万）": 100}, "月份", "未来月份"),
        (None, {}, "1–M月累计完成投资（万）", "须填且只填一个"),
        (
            None,
            {"1–M月累计完成投资（万）": 1, "当月完成投资（万）": 1},
            "1–M月累计完成投资（万）",
            "须填且只填一个",
        ),
        (None, {"1–M月累计完成投资（万）": "-1"}, "1–M月累计完成投资（万）", "不能为负数"),
        (None, {"月份": 13, "1–M月累计完成投资（万）": 1}, "月份", "不是月份"),
        (None, {"项目编号": "ZA-2025-404", "1–M月累计完成投资（万）": 1}, "项目编号", "不存在"),
    ],
)
def test_each_refused_progress_row_is_named_and_nothing_is_written(
    office: User,
    reporting: Project,
    setup: tuple[int, int] | None,
    cells: dict[str, Any],
    column: str,
    text: str,
) -> None:
    if setup is not None:
        _record(reporting, *setup)
    row = progress_row(reporting.code, 8, **cells)
    batch = refused(PROGRESS, office, [row])
    found = reasons(batch, 2, column)
    assert any(text in r and r.startswith(f"第2行「{column}」") for r in found), batch.errors


def test_usd_progress_into_a_usd_project_is_accepted(office: User, project: Project) -> None:
    # The currency is set before any money is recorded (afterwards it is fixed).
    services.project_update(obj=project, data={"currency": "USD", "change_reason": "外资项目"}, actor=None)
    reporting = _reporting(project)
    committed(
        PROGRESS,
        office,
        [progress_row(reporting.code, 5, **{"币种": "美元", "1–M月累计完成投资（万）": 900})],
    )
    rmb = refused(PROGRESS, office, [progress_row(reporting.code, 6, **{"1–M月累计完成投资（万）": 1000})])
    assert any("该项目以美元计，不能填报人民币金额" in r for r in reasons(rmb, 2, "币种")), rmb.errors


def test_the_same_project_and_month_twice_is_refused(office: User, reporting: Project) -> None:
    rows = [
        progress_row(reporting.code, 8, **{"1–M月累计完成投资（万）": 60000}),
        progress_row(reporting.code, 8, **{"1–M月累计完成投资（万）": 61000}),
    ]
    batch = refused(PROGRESS, office, rows)
    assert any("与第2行重复" in r for r in reasons(batch, 3, "项目编号")), batch.errors


def test_a_later_row_of_the_same_project_is_checked_against_the_earlier_months(
    office: User, reporting: Project
) -> None:
    rows = [
        progress_row(reporting.code, 9, **{"1–M月累计完成投资（万）": 50000}),
        progress_row(reporting.code, 8, **{"1–M月累计完成投资（万）": 60000}),
    ]
    batch = refused(PROGRESS, office, rows)
    assert any("累计数不能减少" in r for r in reasons(batch, 2, "1–M月累计完成投资（万）")), batch.errors
    assert InvestmentActual.objects.count() == 0


def test_projects_of_another_zone_cannot_be_reported(world: World, reporting: Project) -> None:
    office_b = _office(world, "office_b", world.zone_b)
    batch = refused(PROGRESS, office_b, [progress_row(reporting.code, 8, **{"1–M月累计完成投资（万）": 1})])
    assert any("不存在，或不在您的管理范围内" in r for r in reasons(batch, 2, "项目编号")), batch.errors


def test_an_interrupted_progress_commit_writes_nothing(
    office: User, reporting: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = [
        progress_row(reporting.code, 8, **{"1–M月累计完成投资（万）": 60000, "实际开工日期": "2025-03-15"}),
        progress_row(reporting.code, 9, **{"1–M月累计完成投资（万）": 68000}),
    ]
    batch = preview(PROGRESS, office, rows)
    before = counts()
    original = ProgressDataset.apply
    done: list[Any] = []

    def fail_on_the_second_month(self: ProgressDataset, values: dict[str, Any], *, actor: Any) -> Any:
        if done:
            raise RuntimeError("写入9月时断电")
        done.append(original(self, values, actor=actor))
        return done[-1]

    monkeypatch.setattr(ProgressDataset, "apply", fail_on_the_second_month)
    with pytest.raises(RuntimeError):
        import_commit(batch=batch, actor=office)
    assert len(done) == 1 and counts() == before


def test_the_templates_and_the_import_page(office: User, world: World, reporting: Project) -> None:
    import io

    from django.urls import reverse
    from python_calamine import CalamineWorkbook

    from kunlu.core.testing import client_for

    client = client_for(office)
    for dataset, title, headers, row in (
        (LIST, "重大项目清单", LIST_HEADERS, list_row()),
        (
            PROGRESS,
            "项目月度进展",
            PROGRESS_HEADERS,
            progress_row(reporting.code, 8, **{"1–M月累计完成投资（万）": 100}),
        ),
    ):
        response = client.get(reverse("core:import_template", args=[dataset]))
        book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
        written = book.get_sheet_by_index(0).to_python()[0]
        assert [str(h).rstrip("*") for h in written] == headers
        assert (
            preview(dataset, office, [], xlsx_bytes([row], headers=written)).status == ImportStatus.PREVIEWED
        )
        page = client.get(reverse("core:import_dataset", args=[dataset]))
        assert page.status_code == 200 and title in page.content.decode()
    assert client_for(world.analyst_a).get(reverse("core:import_dataset", args=[LIST])).status_code == 404
