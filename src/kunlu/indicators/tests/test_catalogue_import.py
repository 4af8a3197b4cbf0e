"""The indicator catalogue from Excel: add and update by code, leave equal rows alone, re-import exports."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from kunlu.core.imports.services import import_commit, import_preview
from kunlu.core.models import AuditEvent, ImportStatus
from kunlu.core.testing import World, client_for, xlsx_rows
from kunlu.core.tests.importfiles import upload, xlsx_bytes
from kunlu.indicators.models import Indicator
from kunlu.indicators.tests.importing import committed, counts, preview, reasons, refused

DATASET = "indicators.indicator"
HEADERS = [
    "代码",
    "名称",
    "英文名称",
    "单位",
    "币种",
    "统计口径",
    "数据来源部门",
    "可加性",
    "分子指标代码",
    "分母指标代码",
    "所属指标（其中项）代码",
    "报送方式",
    "频率",
    "显示小数位",
    "价格口径",
    "排序",
    "启用",
    "说明",
]


pytestmark = pytest.mark.usefixtures("import_dir")


def good_rows() -> list[list[Any]]:
    """Two new indicators: a part of an existing one, and a ratio of it to an existing one."""
    return [
        [
            "digital_output",
            "数字经济核心产业产值",
            "Digital economy core output",
            "万元",
            "人民币",
            "规上",
            "工信局",
            "可加总",
            "",
            "",
            "ind_output",
            "1–N月累计",
            "月度",
            1,
            "现价（名义）",
            95,
            "是",
            "",
        ],
        [
            "digital_share",
            "数字经济核心产业产值占比",
            "",
            "%",
            "非货币",
            "规上",
            "工信局",
            "两指标之比",
            "digital_output",
            "ind_output",
            "",
            "累计",
            "月度",
            1,
            "现价",
            96,
            "是",
            "占规上工业总产值的比重",
        ],
    ]


def export(world: World) -> list[list[Any]]:
    """The catalogue as the list page exports it."""
    response = client_for(world.analyst_a).get(reverse("indicators_indicator_export"))
    assert response.status_code == 200
    return xlsx_rows(response.content)


def test_a_good_file_adds_indicators_with_references_to_rows_above(
    world: World, catalogue: dict[str, Indicator]
) -> None:
    before = counts()
    batch = preview(DATASET, world.analyst_a, good_rows(), HEADERS)
    assert batch.status == ImportStatus.PREVIEWED, batch.errors
    assert batch.summary["created"] == 2
    assert counts() == before

    batch = import_commit(batch=batch, actor=world.analyst_a)
    assert batch.status == ImportStatus.COMMITTED, batch.errors
    output = Indicator.objects.get(code="digital_output")
    share = Indicator.objects.get(code="digital_share")
    assert (output.unit, output.currency, output.caliber, output.parent) == (
        "万元",
        "CNY",
        "above_size",
        catalogue["ind_output"],
    )
    assert (share.additivity, share.numerator, share.denominator, share.currency) == (
        "ratio",
        output,
        catalogue["ind_output"],
        "",
    )
    assert (share.reporting_basis, share.price_basis, share.description) == (
        "ytd",
        "nominal",
        "占规上工业总产值的比重",
    )
    assert AuditEvent.objects.filter(event="indicators.indicator.create").count() == 2


def test_the_same_file_twice_changes_nothing(world: World, catalogue: dict[str, Indicator]) -> None:
    content = xlsx_bytes(good_rows(), headers=HEADERS)
    committed(DATASET, world.analyst_a, [], [], content)
    before = counts()
    assert preview(DATASET, world.analyst_a, [], [], content).status == ImportStatus.DUPLICATE
    assert counts() == before


def test_a_changed_row_updates_that_indicator_only(world: World, catalogue: dict[str, Indicator]) -> None:
    committed(DATASET, world.analyst_a, good_rows(), HEADERS)
    before = counts()
    rows = good_rows()
    rows[0][1] = "数字经济核心产业总产值"
    batch = committed(DATASET, world.analyst_a, rows, HEADERS)
    assert (batch.summary["created"], batch.summary["updated"], batch.summary["unchanged"]) == (0, 1, 1)
    assert Indicator.objects.get(code="digital_output").name == "数字经济核心产业总产值"
    after = counts()
    assert after["indicator_history"] == before["indicator_history"] + 1
    assert after["indicators"] == before["indicators"]


def test_empty_optional_cells_take_the_defaults_and_keep_what_is_stored(
    world: World, catalogue: dict[str, Indicator]
) -> None:
    Indicator.objects.filter(code="gdp").update(precision=2)
    headers = ["代码", "名称", "单位", "显示小数位", "启用", "频率"]
    rows = [["gdp", "地区生产总值", "万元", "", "", ""], ["jobs", "从业人员", "人", "", "", ""]]
    batch = committed(DATASET, world.analyst_a, rows, headers)
    assert (batch.summary["created"], batch.summary["unchanged"]) == (1, 1)
    gdp = Indicator.objects.get(code="gdp")
    assert (gdp.precision, gdp.frequency, gdp.is_active) == (2, "quarterly", True)
    jobs = Indicator.objects.get(code="jobs")
    assert (jobs.precision, jobs.frequency, jobs.caliber, jobs.currency, jobs.is_active) == (
        1,
        "monthly",
        "all",
        "",
        True,
    )


# -- the export imports back unchanged ---------------------------------------------------------------------


def test_the_export_imports_back_unchanged(world: World, catalogue: dict[str, Indicator]) -> None:
    """Export the catalogue, import the file as it is: every row is recognised and nothing changes."""
    committed(DATASET, world.analyst_a, good_rows(), HEADERS)
    rows = export(world)
    assert rows[0] == HEADERS  # the export's headers are the import's (分子指标代码 … not three "代码")
    before = counts()
    batch = import_preview(
        dataset=DATASET, uploaded_file=upload(xlsx_bytes(rows[1:], headers=rows[0])), actor=world.analyst_a
    )
    assert batch.status == ImportStatus.PREVIEWED, batch.errors
    batch = import_commit(batch=batch, actor=world.analyst_a)
    assert batch.summary["unchanged"] == Indicator.objects.count()
    assert batch.summary["created"] == batch.summary["updated"] == 0
    after = counts()
    assert after["indicators"] == before["indicators"]
    assert after["indicator_history"] == before["indicator_history"]
    assert after["events"] == before["events"]


# -- bad rows ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "column", "value", "expected"),
    [
        (0, "代码", "数字 产值", "不是有效的指标代码"),
        (0, "单位", "元", "不是可选的值"),
        (0, "统计口径", "规下", "不是可选的值"),
        (0, "显示小数位", "1.5", "应为0至6之间的整数"),
        (0, "排序", "-1", "整数"),
        (0, "启用", "停用", "应为“是”或“否”"),
        (0, "报送方式", "季报", "不是数值口径"),
        (0, "所属指标（其中项）代码", "no_such", "不在指标目录中，也不在本文件前面的行中"),
        (0, "币种", "美元", "币种应为人民币"),
        (1, "分子指标代码", "", "须填写分子指标代码和分母指标代码"),
        (0, "名称", "", "必填"),
        (0, "名称", "长" * 101, "超过100个字符"),
    ],
)
def test_a_bad_cell_is_named_by_row_and_column(
    world: World, catalogue: dict[str, Indicator], row: int, column: str, value: str, expected: str
) -> None:
    rows = good_rows()
    rows[row][HEADERS.index(column)] = value
    batch = refused(DATASET, world.analyst_a, rows, HEADERS)
    (reason,) = reasons(batch, row + 2, column)
    assert f"第{row + 2}行「{column}」" in reason and expected in reason


def test_a_reference_to_a_row_below_is_refused(world: World, catalogue: dict[str, Indicator]) -> None:
    rows = list(reversed(good_rows()))
    (reason,) = reasons(refused(DATASET, world.analyst_a, rows, HEADERS), 2, "分子指标代码")
    assert "digital_output" in reason and "前面的行" in reason


def test_a_code_repeated_in_the_file_is_refused(world: World, catalogue: dict[str, Indicator]) -> None:
    rows = [*good_rows(), good_rows()[0]]
    (reason,) = reasons(refused(DATASET, world.analyst_a, rows, HEADERS), 4, "代码")
    assert "与第2行重复" in reason


def test_only_catalogue_editors_may_import_it(world: World) -> None:
    url = reverse("core:import_dataset", args=[DATASET])
    assert client_for(world.analyst_a).get(url).status_code == 200
    for user in (world.nobody_a, world.enterprise_user_a):
        assert client_for(user).get(url).status_code == 404
