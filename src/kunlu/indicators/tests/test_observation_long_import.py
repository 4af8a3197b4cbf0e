"""The long table of facts: one value a row, of a territory or an enterprise, versioned, with lineage."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from kunlu.accounts import services as account_services
from kunlu.accounts.demo import demo_uscc
from kunlu.accounts.models import User
from kunlu.core.imports.services import import_commit, import_preview
from kunlu.core.models import AuditEvent, ImportRecord, ImportStatus
from kunlu.core.services import period_for
from kunlu.core.testing import World, client_for
from kunlu.core.tests.importfiles import csv_bytes, upload, xlsx_bytes
from kunlu.indicators import services
from kunlu.indicators.imports import ObservationLongDataset
from kunlu.indicators.models import Indicator, Observation, UnitObservation
from kunlu.indicators.tests.importing import (
    committed,
    counts,
    preview,
    reasons,
    record,
    refused,
)

DATASET = "indicators.observation_long"
HEADERS = ["地区代码", "统一社会信用代码", "指标代码", "年", "月", "数值口径", "数值", "来源", "备注", "确认"]
ENTERPRISE_A = demo_uscc(101)  # the world's enterprise in zone A
ENTERPRISE_B = demo_uscc(102)


pytestmark = pytest.mark.usefixtures("import_dir")


def good_rows() -> list[list[Any]]:
    """Zone A's output and trade for 2025年9月, and zone A's enterprise's output."""
    return [
        ["ZA", "", "ind_output", 2025, 9, "累计", 1234567.8, "统计局", "", ""],
        ["ZA", "", "trade", "2025", "9月", "", 75200, "海关", "", ""],
        ["", ENTERPRISE_A, "ind_output", 2025, 9, "当月", 3456.7, "企业直报", "补报", ""],
    ]


def load(world: World, rows: list[list[Any]], actor: Any = None) -> Any:
    return committed(DATASET, actor or world.analyst_a, rows, HEADERS)


def test_a_good_file_writes_territory_and_enterprise_facts_with_the_batch_as_source(
    world: World, catalogue: dict[str, Indicator]
) -> None:
    before = counts()
    batch = preview(DATASET, world.analyst_a, good_rows(), HEADERS)
    assert batch.status == ImportStatus.PREVIEWED, batch.errors
    assert (batch.summary["created"], batch.summary["updated"], batch.summary["unchanged"]) == (3, 0, 0)
    assert counts() == before  # the preview writes nothing

    batch = import_commit(batch=batch, actor=world.analyst_a)
    assert batch.status == ImportStatus.COMMITTED
    output = Observation.objects.get(indicator__code="ind_output")
    assert (output.territory, output.period.code, output.basis, output.value, output.source) == (
        world.zone_a,
        "2025-09",
        "ytd",
        Decimal("1234567.8"),
        "统计局",
    )
    trade = Observation.objects.get(indicator__code="trade")
    assert trade.basis == catalogue["trade"].reporting_basis  # an empty basis is the indicator's own
    unit = UnitObservation.objects.get()
    assert (unit.enterprise, unit.territory, unit.basis, unit.note) == (
        world.enterprise_a,
        world.zone_a,
        "month",
        "补报",
    )
    # Lineage both ways: the batch → its rows → the facts; each fact → its batch and author.
    assert {o.batch_id for o in [output, trade, unit]} == {batch.pk}
    assert {o.recorded_by for o in [output, trade, unit]} == {world.analyst_a}
    assert output.recorded_at == trade.recorded_at == unit.recorded_at  # one moment for the whole batch
    lineage = {
        (r.row_number, r.content_type.model, r.object_id, r.action)
        for r in ImportRecord.objects.filter(batch=batch).select_related("content_type")
    }
    assert lineage == {
        (2, "observation", str(output.pk), "created"),
        (3, "observation", str(trade.pk), "created"),
        (4, "unitobservation", str(unit.pk), "created"),
    }
    # Audited once, by the commit; not one event per value.
    assert AuditEvent.objects.filter(event="core.import.commit").count() == 1
    assert not AuditEvent.objects.filter(event__startswith="indicators.observation").exists()
    assert not AuditEvent.objects.filter(event__startswith="indicators.unitobservation").exists()


def test_the_same_file_twice_changes_nothing(world: World, catalogue: dict[str, Indicator]) -> None:
    content = xlsx_bytes(good_rows(), headers=HEADERS)
    committed(DATASET, world.analyst_a, [], [], content)
    before = counts()
    again = import_preview(dataset=DATASET, uploaded_file=upload(content), actor=world.analyst_a)
    assert again.status == ImportStatus.DUPLICATE
    assert counts() == before


def test_the_same_values_in_another_file_write_no_version(
    world: World, catalogue: dict[str, Indicator]
) -> None:
    load(world, good_rows())
    before = counts()
    rows = [row[:8] for row in reversed(good_rows())]
    batch = import_preview(
        dataset=DATASET,
        uploaded_file=upload(csv_bytes(rows, headers=HEADERS[:8]), "数据.csv"),
        actor=world.analyst_a,
    )
    assert batch.summary["unchanged"] == 3 and batch.summary["created"] == batch.summary["updated"] == 0
    batch = import_commit(batch=batch, actor=world.analyst_a)
    after = counts()
    assert after["observation_versions"] == before["observation_versions"]
    assert after["unit_observations"] == before["unit_observations"]
    assert after["records"] == before["records"] + 3  # the lineage says which rows confirmed which facts
    assert set(ImportRecord.objects.filter(batch=batch).values_list("action", flat=True)) == {"unchanged"}


def test_a_revised_value_becomes_a_new_version_with_the_new_batch_as_source(
    world: World, catalogue: dict[str, Indicator]
) -> None:
    first = load(world, good_rows())
    rows = good_rows()
    rows[0][6] = 1240000
    batch = preview(DATASET, world.analyst_a, rows, HEADERS)
    assert (batch.summary["created"], batch.summary["updated"], batch.summary["unchanged"]) == (0, 1, 2)
    second = import_commit(batch=batch, actor=world.analyst_a)
    versions = list(Observation.objects.filter(indicator__code="ind_output").order_by("version"))
    assert [(v.version, v.batch_id, v.superseded_at is None) for v in versions] == [
        (1, first.pk, False),
        (2, second.pk, True),
    ]
    assert ImportRecord.objects.get(batch=second, action="updated").object_id == str(versions[1].pk)
    assert Observation.objects.filter(indicator__code="trade").count() == 1


def test_an_interrupted_commit_writes_nothing(
    world: World, catalogue: dict[str, Indicator], monkeypatch: pytest.MonkeyPatch
) -> None:
    batch = preview(DATASET, world.analyst_a, good_rows(), HEADERS)
    before = counts()
    original = ObservationLongDataset.save_row
    saved: list[Any] = []

    def fail_on_the_last_row(self: ObservationLongDataset, values: dict[str, Any], *, actor: Any) -> Any:
        if len(saved) == 2:
            raise RuntimeError("写入第三行时断电")
        saved.append(original(self, values, actor=actor))
        return saved[-1]

    monkeypatch.setattr(ObservationLongDataset, "save_row", fail_on_the_last_row)
    with pytest.raises(RuntimeError):
        import_commit(batch=batch, actor=world.analyst_a)
    assert len(saved) == 2
    assert counts() == before
    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED


# -- who may import, and where ------------------------------------------------------------------------------


def test_another_zones_territory_and_enterprise_are_refused(
    world: World, catalogue: dict[str, Indicator]
) -> None:
    rows = good_rows()
    rows[0][0] = "ZB"
    rows[2][1] = ENTERPRISE_B
    batch = refused(DATASET, world.analyst_a, rows, HEADERS)
    (territory,) = reasons(batch, 2, "地区代码")
    assert "第2行「地区代码」" in territory and "ZB" in territory and "不在您的管理范围内" in territory
    (enterprise,) = reasons(batch, 4, "统一社会信用代码")
    assert "第4行「统一社会信用代码」" in enterprise and "不在您的管理范围内" in enterprise


def test_a_city_analyst_may_load_both_zones(world: World, catalogue: dict[str, Indicator]) -> None:
    rows = good_rows()
    rows[1][0] = "ZB"
    rows[2][1] = ENTERPRISE_B
    load(world, rows, actor=world.city_analyst)
    assert set(Observation.objects.values_list("territory__code", flat=True)) == {"ZA", "ZB"}
    assert UnitObservation.objects.get().enterprise == world.enterprise_b


def test_users_without_the_add_right_do_not_see_the_dataset(world: World) -> None:
    url = reverse("core:import_dataset", args=[DATASET])
    assert client_for(world.analyst_a).get(url).status_code == 200
    for user in (world.nobody_a, world.enterprise_user_a):
        assert client_for(user).get(url).status_code == 404
        assert not ObservationLongDataset.allowed(user)


# -- bad rows: each names its row and column, and nothing is written ---------------------------------------


@pytest.mark.parametrize(
    ("row", "column", "value", "expected"),
    [
        (0, "指标代码", "no_such", "不在指标目录中"),
        (0, "年", "2025年9月", "不是年份"),
        (0, "月", "2025-13", "不是月份"),
        (0, "月", "13", "不是月份"),
        (0, "数值口径", "季度", "不是数值口径"),
        (0, "数值", "约一百万", "不是数字"),
        (0, "数值", "1e16", "超出允许范围"),
        (2, "统一社会信用代码", "91320583MA00000000", "无效"),
        (2, "统一社会信用代码", demo_uscc(999), "未登记"),
        (0, "地区代码", "NOPE", "不存在"),
        (0, "确认", "也许", "应为“是”或“否”"),
    ],
)
def test_a_bad_cell_is_named_by_row_and_column(
    world: World, catalogue: dict[str, Indicator], row: int, column: str, value: Any, expected: str
) -> None:
    rows = good_rows()
    rows[row][HEADERS.index(column)] = value
    batch = refused(DATASET, world.analyst_a, rows, HEADERS)
    (reason,) = reasons(batch, row + 2, column)
    assert f"第{row + 2}行「{column}」" in reason and expected in reason
    assert batch.errors[0]["value"] == str(value)


def test_a_row_needs_exactly_one_of_territory_and_enterprise(
    world: World, catalogue: dict[str, Indicator]
) -> None:
    rows = good_rows()
    rows[0][1] = ENTERPRISE_A
    rows[1][0] = ""
    batch = refused(DATASET, world.analyst_a, rows, HEADERS)
    for row in (2, 3):
        (reason,) = reasons(batch, row, "地区代码")
        assert "须填且只填一个" in reason


def test_an_inactive_indicator_is_refused(world: World, catalogue: dict[str, Indicator]) -> None:
    Indicator.objects.filter(code="trade").update(is_active=False)
    (reason,) = reasons(refused(DATASET, world.analyst_a, good_rows(), HEADERS), 3, "指标代码")
    assert "已停用" in reason


def test_a_repeated_key_is_refused_naming_the_first_row(
    world: World, catalogue: dict[str, Indicator]
) -> None:
    rows = [*good_rows(), ["ZA", "", "ind_output", 2025, 9, "1–N月累计", 1, "", "", ""]]
    (reason,) = reasons(refused(DATASET, world.analyst_a, rows, HEADERS), 5, "地区代码")
    assert "与第2行重复" in reason


def test_a_formula_in_a_value_cell_is_refused(world: World, catalogue: dict[str, Indicator]) -> None:
    def formula(book: Any, sheet: Any) -> None:
        sheet.write_formula(1, HEADERS.index("数值"), "=1+1", None, 2)

    content = xlsx_bytes(good_rows(), headers=HEADERS, edit=formula)
    before = counts()
    batch = import_preview(dataset=DATASET, uploaded_file=upload(content), actor=world.analyst_a)
    assert batch.status == ImportStatus.INVALID
    (reason,) = reasons(batch, 2, "数值")
    assert "公式" in reason
    assert counts() == before


def test_a_missing_required_column_is_named(world: World, catalogue: dict[str, Indicator]) -> None:
    headers = [h for h in HEADERS if h != "数值"]
    rows = [[v for i, v in enumerate(row) if HEADERS[i] != "数值"] for row in good_rows()]
    (reason,) = reasons(refused(DATASET, world.analyst_a, rows, headers), 1, "数值")
    assert "缺少必填列「数值」" in reason


# -- the magnitude check ------------------------------------------------------------------------------------


def test_a_value_ten_thousand_times_its_history_is_flagged_until_confirmed(
    world: World, catalogue: dict[str, Indicator]
) -> None:
    record(catalogue["ind_output"], world.zone_a, 2025, 8, "1100000")
    rows = good_rows()
    rows[0][6] = 12345678000  # 元, not 万元
    batch = refused(DATASET, world.analyst_a, rows, HEADERS)
    (reason,) = reasons(batch, 2, "数值")
    assert reason.startswith("第2行「数值」：数值约为历史值的10000倍")
    assert "2025年8月为1100000" in reason and "是否误用“元”作单位（应为万元）？" in reason
    assert "「确认」列填“是”" in reason

    rows[0][HEADERS.index("确认")] = "是"
    load(world, rows)
    assert Observation.objects.get(indicator__code="ind_output", period__month=9).value == 12345678000


def test_a_negative_value_is_refused_naming_the_cell(world: World, catalogue: dict[str, Indicator]) -> None:
    rows = good_rows()
    rows[0][6] = -100
    (reason,) = reasons(refused(DATASET, world.analyst_a, rows, HEADERS), 2, "数值")
    assert "不能为负数" in reason
    assert not Observation.objects.exists()


def test_a_value_ten_thousand_times_too_small_is_flagged(
    world: World, catalogue: dict[str, Indicator]
) -> None:
    record(catalogue["trade"], world.zone_a, 2024, 9, "68000")
    rows = good_rows()
    rows[1][6] = 7.52  # 亿美元, not 万美元
    (reason,) = reasons(refused(DATASET, world.analyst_a, rows, HEADERS), 3, "数值")
    assert "万分之一" in reason and "2024年9月为68000" in reason and "“亿美元”" in reason


def test_a_value_in_line_with_one_month_of_its_history_passes(
    world: World, catalogue: dict[str, Indicator]
) -> None:
    # Last year's value was itself keyed in 元 and confirmed; last month's is right: not a unit slip.
    record(catalogue["ind_output"], world.zone_a, 2024, 9, "11000000000")
    record(catalogue["ind_output"], world.zone_a, 2025, 8, "1100000")
    load(world, good_rows())


def test_the_history_is_the_same_basis_and_holder(world: World, catalogue: dict[str, Indicator]) -> None:
    record(catalogue["ind_output"], world.zone_a, 2025, 8, "110", basis="month")  # another basis
    record(catalogue["ind_output"], world.zone_b, 2025, 8, "110")  # another zone
    load(world, good_rows())


def test_an_unchanged_value_is_not_flagged_again(world: World, catalogue: dict[str, Indicator]) -> None:
    record(catalogue["ind_output"], world.zone_a, 2025, 8, "110")
    record(catalogue["ind_output"], world.zone_a, 2025, 9, "1234567.8")  # confirmed earlier
    batch = load(world, good_rows())
    assert batch.summary["unchanged"] == 1


def test_enterprise_facts_are_checked_against_the_enterprises_history(
    world: World, catalogue: dict[str, Indicator]
) -> None:
    services.unit_observation_record(
        indicator=catalogue["ind_output"],
        enterprise=world.enterprise_a,
        period=period_for(2025, 8),
        basis="month",
        value=Decimal("0.3"),
        actor=None,
    )
    (reason,) = reasons(refused(DATASET, world.analyst_a, good_rows(), HEADERS), 4, "数值")
    assert "10000倍" in reason


def test_lineage_records_name_the_model_of_each_fact(world: World, catalogue: dict[str, Indicator]) -> None:
    batch = load(world, good_rows())
    types = set(ImportRecord.objects.filter(batch=batch).values_list("content_type", flat=True))
    assert types == {
        ContentType.objects.get_for_model(Observation).pk,
        ContentType.objects.get_for_model(UnitObservation).pk,
    }


def test_a_territory_seen_but_not_managed_is_refused(world: World, catalogue: dict[str, Indicator]) -> None:
    account_services.role_grant(user=world.nobody_a, role_code="leader", territory=world.zone_a, actor=None)
    account_services.role_grant(user=world.nobody_a, role_code="analyst", territory=world.zone_b, actor=None)
    reader = User.objects.get(pk=world.nobody_a.pk)  # a fresh object: grants are read once per object
    batch = refused(DATASET, reader, good_rows()[:2], HEADERS)
    (reason,) = reasons(batch, 2, "地区代码")
    assert "您无权为地区“ZA”导入数据" in reason
