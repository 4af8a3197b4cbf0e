"""The 亩均评价基础数据 import: a good file, bad cells named by row and column, the same file twice."""

from __future__ import annotations

from typing import Any

from kunlu.accounts import services as account_services
from kunlu.core.imports.services import import_commit, import_preview
from kunlu.core.models import ImportStatus
from kunlu.core.testing import PASSWORD, World
from kunlu.core.tests.importfiles import upload, xlsx_bytes
from kunlu.evaluation.models import EnterpriseFigure

HEADERS = [
    "统一社会信用代码",
    "年度",
    "评价税收（万元）",
    "销售收入（开票销售）（万元）",
    "评价用地面积（亩）",
]


def preview(actor: Any, rows: list[list[Any]], headers: list[str] = HEADERS) -> Any:
    return import_preview(
        dataset="evaluation.figures", uploaded_file=upload(xlsx_bytes(rows, headers=headers)), actor=actor
    )


def test_a_good_file_writes_versions_and_the_same_data_twice_changes_nothing(world: World) -> None:
    rows = [[world.enterprise_a.uscc, "2024", "240", "4800", "10"]]
    batch = preview(world.admin, rows)
    assert batch.status == ImportStatus.PREVIEWED, batch.errors
    import_commit(batch=batch, actor=world.admin)
    figures = dict(EnterpriseFigure.objects.values_list("input", "value"))
    assert figures == {"tax": 240, "sales": 4800, "land_mu": 10}
    assert {f.batch_id for f in EnterpriseFigure.objects.all()} == {batch.pk}
    again = preview(world.admin, [[world.enterprise_a.uscc, "2024", "240", "4800", "10"]])
    assert again.status in (ImportStatus.PREVIEWED, ImportStatus.DUPLICATE)
    if again.status == ImportStatus.PREVIEWED:
        assert again.summary["unchanged"] == 3, again.summary
        import_commit(batch=again, actor=world.admin)
    assert EnterpriseFigure.objects.count() == 3
    changed = preview(world.admin, [[world.enterprise_a.uscc, "2024", "250", "4800", "10"]])
    import_commit(batch=changed, actor=world.admin)
    assert EnterpriseFigure.objects.filter(input="tax").count() == 2


def test_bad_cells_are_named_by_row_and_column(world: World) -> None:
    rows = [
        [world.enterprise_a.uscc, "2024", "-5", "4800", "10"],
        [world.enterprise_a.uscc, "2023", "1", "2", "0"],
        ["91320583MA0000999X", "2024", "1", "2", "3"],
        [world.enterprise_a.uscc, "20x4", "1", "2", "3"],
    ]
    batch = preview(world.admin, rows)
    assert batch.status == ImportStatus.INVALID
    where = {(e["row"], e["column"]) for e in batch.errors}
    assert (2, "评价税收（万元）") in where
    assert (3, "评价用地面积（亩）") in where
    assert (4, "统一社会信用代码") in where
    assert (5, "年度") in where
    assert EnterpriseFigure.objects.count() == 0


def test_an_unknown_column_and_a_wrong_unit_are_refused(world: World) -> None:
    batch = preview(
        world.admin, [[world.enterprise_a.uscc, "2024", "1"]], ["统一社会信用代码", "年度", "评价税收（元）"]
    )
    assert batch.status == ImportStatus.INVALID and "单位" in batch.errors[0]["reason"]
    batch = preview(
        world.admin, [[world.enterprise_a.uscc, "2024", "1"]], ["统一社会信用代码", "年度", "利润"]
    )
    assert batch.status == ImportStatus.INVALID


def test_another_zones_enterprise_is_refused(world: World) -> None:
    land_office = account_services.user_create(
        data={"username": "land_a", "organisation": world.bureau_a, "password": PASSWORD}, actor=None
    )
    account_services.role_grant(user=land_office, role_code="land_office", territory=world.zone_a, actor=None)
    good = preview(land_office, [[world.enterprise_a.uscc, "2024", "1", "2", "3"]])
    assert good.status == ImportStatus.PREVIEWED, good.errors
    batch = preview(land_office, [[world.enterprise_b.uscc, "2024", "1", "2", "3"]])
    assert batch.status == ImportStatus.INVALID
    assert batch.errors[0]["column"] == "统一社会信用代码"
