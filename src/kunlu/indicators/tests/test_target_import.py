"""Annual targets from Excel: per territory, indicator and year; a changed target is a new version."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from kunlu.core.imports.services import import_commit
from kunlu.core.models import AuditEvent, ImportRecord, ImportStatus
from kunlu.core.testing import World
from kunlu.core.tests.importfiles import xlsx_bytes
from kunlu.indicators.models import Indicator, Target
from kunlu.indicators.tests.importing import committed, counts, preview, reasons, refused

DATASET = "indicators.target"
HEADERS = ["地区代码", "指标代码", "年度", "目标值", "备注"]


pytestmark = pytest.mark.usefixtures("import_dir")


def good_rows() -> list[list[Any]]:
    return [
        ["ZA", "fai", 2025, 1500000, "年初下达"],
        ["ZA", "ind_investment", "2025年", 600000, ""],
    ]


def test_a_good_file_sets_the_targets(world: World, catalogue: dict[str, Indicator]) -> None:
    before = counts()
    batch = preview(DATASET, world.analyst_a, good_rows(), HEADERS)
    assert batch.status == ImportStatus.PREVIEWED, batch.errors
    assert batch.summary["created"] == 2
    assert counts() == before
    batch = import_commit(batch=batch, actor=world.analyst_a)
    fai = Target.objects.get(indicator__code="fai")
    assert (fai.territory, fai.year, fai.value, fai.version, fai.note, fai.recorded_by) == (
        world.zone_a,
        2025,
        Decimal(1500000),
        1,
        "年初下达",
        world.analyst_a,
    )
    assert set(ImportRecord.objects.filter(batch=batch).values_list("object_id", flat=True)) == {
        str(pk) for pk in Target.objects.values_list("pk", flat=True)
    }
    assert AuditEvent.objects.filter(event="indicators.target.set").count() == 2


def test_the_same_file_twice_changes_nothing(world: World, catalogue: dict[str, Indicator]) -> None:
    content = xlsx_bytes(good_rows(), headers=HEADERS)
    committed(DATASET, world.analyst_a, [], [], content)
    before = counts()
    assert preview(DATASET, world.analyst_a, [], [], content).status == ImportStatus.DUPLICATE
    batch = committed(DATASET, world.analyst_a, good_rows()[::-1], HEADERS)  # the same rows, another file
    assert batch.summary["unchanged"] == 2
    after = counts()
    assert after["targets"] == before["targets"] and after["events"] == before["events"]


def test_a_revised_target_is_a_new_version(world: World, catalogue: dict[str, Indicator]) -> None:
    committed(DATASET, world.analyst_a, good_rows(), HEADERS)
    rows = good_rows()
    rows[0][3] = 1600000
    batch = committed(DATASET, world.analyst_a, rows, HEADERS)
    assert (batch.summary["updated"], batch.summary["unchanged"]) == (1, 1)
    versions = Target.objects.filter(indicator__code="fai").order_by("version")
    assert [(t.version, t.value, t.superseded_at is None) for t in versions] == [
        (1, Decimal(1500000), False),
        (2, Decimal(1600000), True),
    ]


def test_another_zones_territory_is_refused(world: World, catalogue: dict[str, Indicator]) -> None:
    rows = good_rows()
    rows[1][0] = "ZB"
    (reason,) = reasons(refused(DATASET, world.analyst_a, rows, HEADERS), 3, "地区代码")
    assert "第3行「地区代码」" in reason and "不在您的管理范围内" in reason


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        ("指标代码", "nope", "不在指标目录中"),
        ("年度", "2025-13", "不是年份"),
        ("目标值", "一百五十万", "不是数字"),
        ("目标值", "", "必填"),
    ],
)
def test_a_bad_cell_is_named(
    world: World, catalogue: dict[str, Indicator], column: str, value: str, expected: str
) -> None:
    rows = good_rows()
    rows[0][HEADERS.index(column)] = value
    (reason,) = reasons(refused(DATASET, world.analyst_a, rows, HEADERS), 2, column)
    assert f"第2行「{column}」" in reason and expected in reason


def test_a_repeated_target_is_refused(world: World, catalogue: dict[str, Indicator]) -> None:
    rows = [*good_rows(), ["ZA", "fai", 2025, 1, ""]]
    (reason,) = reasons(refused(DATASET, world.analyst_a, rows, HEADERS), 4, "年度")
    assert "与第2行重复" in reason
