"""The statistics bureau's wide table: territories as rows, indicators as columns, one month per file."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from kunlu.core.imports.services import import_commit, import_preview
from kunlu.core.models import ImportRecord, ImportStatus
from kunlu.core.testing import World, client_for
from kunlu.core.tests.importfiles import upload, xlsx_bytes
from kunlu.indicators.models import Indicator, Observation
from kunlu.indicators.tests.importing import (
    committed,
    counts,
    preview,
    reasons,
    record,
    refused,
)

DATASET = "indicators.observation_wide"
# Headers as the bureau writes them: by name, by name with its unit, by code.
HEADERS = ["年", "月", "地区代码", "地区名称", "规上工业总产值", "外贸进出口总额（万美元）", "retail"]


pytestmark = pytest.mark.usefixtures("import_dir")


def good_rows() -> list[list[Any]]:
    """September 2025 for the city and both zones (a city analyst's file); zone B has no retail figure."""
    return [
        [2025, 9, "C1", "", 5000000, 300000, 900000],
        [2025, 9, "", "甲开发区", 1234567.8, 75200, 120000],
        [2025, 9, "ZB", "乙开发区", 2000000, 100000, None],
    ]


def values() -> dict[tuple[str, str], str]:
    return {
        (o.territory.code, o.indicator.code): f"{o.value:f}".rstrip("0").rstrip(".")
        for o in Observation.objects.select_related("territory", "indicator")
    }


def test_a_good_file_writes_a_fact_per_filled_cell(world: World, catalogue: dict[str, Indicator]) -> None:
    before = counts()
    batch = preview(DATASET, world.city_analyst, good_rows(), HEADERS)
    assert batch.status == ImportStatus.PREVIEWED, batch.errors
    assert batch.row_count == 3
    assert (batch.summary["created"], batch.summary["updated"], batch.summary["unchanged"]) == (8, 0, 0)
    assert counts() == before

    batch = import_commit(batch=batch, actor=world.city_analyst)
    assert batch.status == ImportStatus.COMMITTED
    assert values() == {
        ("C1", "ind_output"): "5000000",
        ("C1", "trade"): "300000",
        ("C1", "retail"): "900000",
        ("ZA", "ind_output"): "1234567.8",
        ("ZA", "trade"): "75200",
        ("ZA", "retail"): "120000",
        ("ZB", "ind_output"): "2000000",
        ("ZB", "trade"): "100000",
    }  # an empty cell is no value, not zero
    assert set(Observation.objects.values_list("period__year", "period__month", "basis")) == {
        (2025, 9, "ytd")
    }
    assert set(Observation.objects.values_list("batch", flat=True)) == {batch.pk}
    # A lineage record per fact, with the Excel row it came from.
    lineage = {
        (r.row_number, int(r.object_id)) for r in ImportRecord.objects.filter(batch=batch, action="created")
    }
    expected = {
        (2 + ["C1", "ZA", "ZB"].index(o.territory.code), o.pk)
        for o in Observation.objects.select_related("territory")
    }
    assert lineage == expected


def test_the_same_file_twice_changes_nothing(world: World, catalogue: dict[str, Indicator]) -> None:
    content = xlsx_bytes(good_rows(), headers=HEADERS)
    committed(DATASET, world.city_analyst, [], [], content)
    before = counts()
    again = preview(DATASET, world.city_analyst, [], [], content)
    assert again.status == ImportStatus.DUPLICATE
    assert counts() == before


def test_the_same_values_under_other_headers_write_no_version(
    world: World, catalogue: dict[str, Indicator]
) -> None:
    committed(DATASET, world.city_analyst, good_rows(), HEADERS)
    before = counts()
    headers = ["年", "月", "地区代码", "地区名称", "ind_output", "trade", "社会消费品零售总额"]
    batch = committed(DATASET, world.city_analyst, list(reversed(good_rows())), headers)
    assert (batch.summary["created"], batch.summary["updated"], batch.summary["unchanged"]) == (0, 0, 8)
    after = counts()
    assert after["observation_versions"] == before["observation_versions"]


def test_a_revised_cell_becomes_a_new_version(world: World, catalogue: dict[str, Indicator]) -> None:
    first = committed(DATASET, world.city_analyst, good_rows(), HEADERS)
    rows = good_rows()
    rows[1][4] = 1240000
    second = committed(DATASET, world.city_analyst, rows, HEADERS)
    assert (second.summary["created"], second.summary["updated"], second.summary["unchanged"]) == (0, 1, 7)
    versions = Observation.objects.filter(territory=world.zone_a, indicator__code="ind_output").order_by(
        "version"
    )
    assert [(v.version, v.value, v.batch_id) for v in versions] == [
        (1, Decimal("1234567.8"), first.pk),
        (2, Decimal("1240000"), second.pk),
    ]
    assert versions[0].superseded_at == versions[1].recorded_at


def test_a_given_basis_applies_to_every_column(world: World, catalogue: dict[str, Indicator]) -> None:
    headers = ["年", "月", "数值口径", "地区代码", "规上工业总产值", "trade"]
    committed(DATASET, world.analyst_a, [[2025, 9, "当月", "ZA", 140000, 8300]], headers)
    assert set(Observation.objects.values_list("basis", flat=True)) == {"month"}


# -- scope ---------------------------------------------------------------------------------------------


def test_another_zones_territory_is_refused(world: World, catalogue: dict[str, Indicator]) -> None:
    batch = refused(DATASET, world.analyst_a, good_rows(), HEADERS)
    (city,) = reasons(batch, 2, "地区代码")
    assert "C1" in city and "不在您的管理范围内" in city
    (zone_b,) = reasons(batch, 4, "地区代码")
    assert "第4行「地区代码」" in zone_b and "ZB" in zone_b
    (by_name,) = reasons(batch, 4, "地区名称")
    assert "乙开发区" in by_name


def test_an_analyst_loads_own_zones_rows(world: World, catalogue: dict[str, Indicator]) -> None:
    committed(DATASET, world.analyst_a, good_rows()[1:2], HEADERS)
    assert set(Observation.objects.values_list("territory__code", flat=True)) == {"ZA"}


# -- bad files: each names its row and column, and nothing is written ----------------------------------------


def test_an_unknown_indicator_header_is_named(world: World, catalogue: dict[str, Indicator]) -> None:
    headers = [*HEADERS[:-1], "规上工业产值（万元）"]
    (reason,) = reasons(refused(DATASET, world.city_analyst, good_rows(), headers), 1, "规上工业产值（万元）")
    assert reason.startswith("第1行表头「规上工业产值（万元）」：不是指标目录中的指标名称或代码")


def test_a_unit_other_than_the_catalogues_is_refused(world: World, catalogue: dict[str, Indicator]) -> None:
    headers = [*HEADERS[:-1], "社会消费品零售总额（亿元）"]
    (reason,) = reasons(
        refused(DATASET, world.city_analyst, good_rows(), headers), 1, "社会消费品零售总额（亿元）"
    )
    assert "“亿元”" in reason and "“万元”不一致" in reason


def test_one_indicator_in_two_columns_is_refused(world: World, catalogue: dict[str, Indicator]) -> None:
    headers = [*HEADERS[:-1], "ind_output"]
    (reason,) = reasons(refused(DATASET, world.city_analyst, good_rows(), headers), 1, "ind_output")
    assert "与「规上工业总产值」列是同一指标" in reason


def test_an_inactive_indicator_column_is_refused(world: World, catalogue: dict[str, Indicator]) -> None:
    Indicator.objects.filter(code="retail").update(is_active=False)
    (reason,) = reasons(refused(DATASET, world.city_analyst, good_rows(), HEADERS), 1, "retail")
    assert "已停用" in reason


def test_a_file_without_indicator_columns_is_refused(world: World, catalogue: dict[str, Indicator]) -> None:
    rows = [row[:4] for row in good_rows()]
    batch = refused(DATASET, world.city_analyst, rows, HEADERS[:4])
    assert "表中没有指标列" in reasons(batch, 2, "")[0]


def test_text_in_a_value_cell_names_the_row_and_the_indicator(
    world: World, catalogue: dict[str, Indicator]
) -> None:
    rows = good_rows()
    rows[2][5] = "—"
    (reason,) = reasons(refused(DATASET, world.city_analyst, rows, HEADERS), 4, "外贸进出口总额（万美元）")
    assert reason == "第4行「外贸进出口总额（万美元）」：“—”不是数字"


def test_rows_of_another_month_are_refused(world: World, catalogue: dict[str, Indicator]) -> None:
    rows = good_rows()
    rows[2][1] = 8
    (reason,) = reasons(refused(DATASET, world.city_analyst, rows, HEADERS), 4, "月")
    assert "只能是一个月" in reason and "2025年9月" in reason and "2025年8月" in reason


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [("年", "2025年9月", "不是年份"), ("月", "2025-13", "不是月份"), ("地区名称", "丙开发区", "不存在")],
)
def test_a_bad_fixed_cell_is_named(
    world: World, catalogue: dict[str, Indicator], column: str, value: str, expected: str
) -> None:
    rows = good_rows()
    rows[1][HEADERS.index(column)] = value
    (reason,) = reasons(refused(DATASET, world.city_analyst, rows, HEADERS), 3, column)
    assert f"第3行「{column}」" in reason and expected in reason


def test_a_territory_code_and_name_must_agree(world: World, catalogue: dict[str, Indicator]) -> None:
    rows = good_rows()
    rows[2][3] = "甲开发区"
    (reason,) = reasons(refused(DATASET, world.city_analyst, rows, HEADERS), 4, "地区名称")
    assert "不是同一地区" in reason


def test_a_territory_given_twice_is_refused(world: World, catalogue: dict[str, Indicator]) -> None:
    rows = [*good_rows(), [2025, 9, "ZA", "", 1, 2, 3]]
    (reason,) = reasons(refused(DATASET, world.city_analyst, rows, HEADERS), 5, "地区代码")
    assert "与第3行重复" in reason


def test_a_row_without_territory_is_refused(world: World, catalogue: dict[str, Indicator]) -> None:
    rows = good_rows()
    rows[2][2] = rows[2][3] = ""
    (reason,) = reasons(refused(DATASET, world.city_analyst, rows, HEADERS), 4, "地区代码")
    assert "须填写地区代码或地区名称" in reason


# -- the magnitude check and its confirmation ----------------------------------------------------------------


def test_a_cell_ten_thousand_times_its_history_is_flagged_on_its_column(
    world: World, catalogue: dict[str, Indicator]
) -> None:
    record(catalogue["retail"], world.zone_a, 2025, 8, "107000")
    rows = good_rows()
    rows[1][6] = 1200000000
    batch = refused(DATASET, world.city_analyst, rows, HEADERS)
    (reason,) = reasons(batch, 3, "retail")
    assert reason.startswith("第3行「retail」：数值约为历史值的10000倍（2025年8月为107000）")
    assert "是否误用“元”作单位（应为万元）？" in reason

    headers = [*HEADERS, "确认"]
    confirmed = [[*row, "是" if i == 1 else ""] for i, row in enumerate(rows)]
    committed(DATASET, world.city_analyst, confirmed, headers)
    assert values()[("ZA", "retail")] == "1200000000"


# -- the template --------------------------------------------------------------------------------------


def test_the_template_has_a_column_per_indicator_and_imports_once_filled(
    world: World, catalogue: dict[str, Indicator]
) -> None:
    response = client_for(world.analyst_a).get(reverse("core:import_template", args=[DATASET]))
    assert response.status_code == 200
    headers = (
        CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()[0]
    )
    assert headers[:7] == ["年*", "月*", "数值口径", "地区代码", "地区名称", "来源", "确认"]
    assert "规上工业总产值" in headers and "外贸进出口总额" in headers
    assert "高新技术产业产值占比" not in headers  # a ratio is derived, not loaded
    assert "地区生产总值" in headers  # quarterly, loaded in the quarter's last month
    row = [2025, 9, "", "ZA", "", "统计局", ""] + [""] * (len(headers) - 7)
    row[headers.index("规上工业总产值")] = 1234567.8
    batch = import_preview(
        dataset=DATASET, uploaded_file=upload(xlsx_bytes([row], headers=headers)), actor=world.analyst_a
    )
    assert batch.status == ImportStatus.PREVIEWED, batch.errors
    assert batch.summary["created"] == 1
