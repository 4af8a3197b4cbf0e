"""Importing organisations from Excel/CSV: good files, the same file twice, updates, every bad row."""

from __future__ import annotations

import codecs
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from python_calamine import CalamineWorkbook

from kunlu.accounts import services as account_services
from kunlu.accounts.demo import demo_uscc
from kunlu.accounts.imports import OrganisationDataset, territories_for_adding
from kunlu.accounts.models import Organisation, OrganisationKind, User
from kunlu.core.imports.services import import_commit, import_preview
from kunlu.core.models import AuditEvent, ImportBatch, ImportRecord, ImportStatus
from kunlu.core.testing import World, client_for
from kunlu.core.tests.importfiles import HEADERS, csv_bytes, good_rows, upload, xlsx_bytes

DATASET = "accounts.organisation"
USCC = "统一社会信用代码"
TERRITORY = "所属地区代码"


@pytest.fixture(autouse=True)
def _data_dir(settings: Any, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path


def preview(world: World, content: bytes, name: str = "机构.xlsx", actor: Any = None) -> ImportBatch:
    return import_preview(
        dataset=DATASET, uploaded_file=upload(content, name), actor=actor or world.analyst_a
    )


def counts() -> dict[str, int]:
    """What an import may change: organisations, their history, lineage and their audit events."""
    return {
        "organisations": Organisation.objects.count(),
        "history": Organisation.history.count(),
        "records": ImportRecord.objects.count(),
        "events": AuditEvent.objects.filter(event__startswith="accounts.organisation").count(),
    }


def reasons(batch: ImportBatch, row: int | None, column: str) -> list[str]:
    return [e["reason"] for e in batch.errors if e["row"] == row and e["column"] == column]


def committed(world: World, content: bytes, name: str = "机构.xlsx") -> ImportBatch:
    batch = preview(world, content, name)
    assert batch.status == ImportStatus.PREVIEWED, batch.errors
    batch = import_commit(batch=batch, actor=world.analyst_a)
    assert batch.status == ImportStatus.COMMITTED, batch.errors
    return batch


# -- a good file -------------------------------------------------------------------------------------------


def test_a_good_file_previews_without_writing_then_commits_with_lineage(world: World) -> None:
    before = counts()
    batch = preview(world, xlsx_bytes(good_rows()))
    assert batch.status == ImportStatus.PREVIEWED
    assert batch.errors == []
    assert batch.row_count == 3
    assert batch.summary["created"] == 3 and batch.summary["updated"] == 0
    assert len(batch.file_sha256) == 64 and batch.stored_file == f"imports/{batch.file_sha256}.xlsx"
    assert counts() == before  # the preview writes no domain row

    batch = import_commit(batch=batch, actor=world.analyst_a)
    assert batch.status == ImportStatus.COMMITTED and batch.committed_at is not None
    assert batch.summary["created"] == 3
    one = Organisation.objects.get(uscc=demo_uscc(501))
    assert (one.name, one.kind, one.territory, one.contact_phone) == (
        "甲区导入企业一",
        OrganisationKind.ENTERPRISE,
        world.zone_a,
        "13800000001",  # a number in Excel comes back as the digits, not 13800000001.0
    )
    bureau = Organisation.objects.get(name="甲区导入科技局")
    assert bureau.kind == OrganisationKind.BUREAU and bureau.uscc == ""
    records = ImportRecord.objects.filter(batch=batch)
    assert sorted(r.row_number for r in records) == [2, 3, 4]  # rows as Excel shows them
    assert {r.action for r in records} == {"created"}
    assert {r.object_id for r in records} == {
        str(pk)
        for pk in Organisation.objects.filter(name__startswith="甲区导入").values_list("pk", flat=True)
    }
    event = AuditEvent.objects.get(event="core.import.commit")
    assert event.actor == world.analyst_a and event.object_id == str(batch.pk)
    assert event.data["created"] == 3 and event.data["sha256"] == batch.file_sha256
    assert counts()["history"] == before["history"] + 3


def test_the_same_file_again_changes_nothing(world: World) -> None:
    content = xlsx_bytes(good_rows())
    first = committed(world, content)
    before = counts()
    again = preview(world, content, "机构（再次上传）.xlsx")
    assert again.status == ImportStatus.DUPLICATE
    assert "已于" in again.summary["message"] and str(first.pk) in again.summary["message"]
    with pytest.raises(ValidationError):
        import_commit(batch=again, actor=world.analyst_a)
    assert counts() == before


def test_two_previews_of_one_file_commit_once(world: World) -> None:
    content = xlsx_bytes(good_rows())
    first, second = preview(world, content), preview(world, content)
    assert first.status == second.status == ImportStatus.PREVIEWED
    import_commit(batch=first, actor=world.analyst_a)
    before = counts()
    second = import_commit(batch=second, actor=world.analyst_a)
    assert second.status == ImportStatus.DUPLICATE
    assert counts() == before


def test_a_different_file_with_the_same_rows_leaves_everything_unchanged(world: World) -> None:
    committed(world, xlsx_bytes(good_rows()))
    before = counts()
    again = preview(world, csv_bytes(list(reversed(good_rows()))), "机构.csv")
    assert again.status == ImportStatus.PREVIEWED
    assert again.summary["unchanged"] == 3 and again.summary["created"] == again.summary["updated"] == 0
    again = import_commit(batch=again, actor=world.analyst_a)
    assert again.status == ImportStatus.COMMITTED
    after = counts()
    assert after["organisations"] == before["organisations"]
    assert after["history"] == before["history"]  # nothing saved, not even a history row
    assert after["events"] == before["events"]
    assert after["records"] == before["records"] + 3  # the lineage says which rows confirmed what
    assert set(ImportRecord.objects.filter(batch=again).values_list("action", flat=True)) == {"unchanged"}


def test_a_file_with_one_changed_row_updates_that_row_only(world: World) -> None:
    committed(world, xlsx_bytes(good_rows()))
    before = counts()
    rows = good_rows()
    rows[1][5] = "0512-57009999"
    batch = preview(world, xlsx_bytes(rows), "机构（改电话）.xlsx")
    assert (batch.summary["created"], batch.summary["updated"], batch.summary["unchanged"]) == (0, 1, 2)
    batch = import_commit(batch=batch, actor=world.analyst_a)
    assert Organisation.objects.get(uscc=demo_uscc(502)).contact_phone == "0512-57009999"
    after = counts()
    assert after["organisations"] == before["organisations"]
    assert after["history"] == before["history"] + 1
    updated = ImportRecord.objects.get(batch=batch, action="updated")
    assert updated.row_number == 3


def test_an_organisation_with_a_known_uscc_is_merged_not_doubled(world: World) -> None:
    before = Organisation.objects.count()
    rows = [["甲区测试企业（更名后）", "企业", "ZA", demo_uscc(101).lower(), "新联系人", ""]]
    batch = committed(world, xlsx_bytes(rows))
    assert batch.summary["updated"] == 1
    world.enterprise_a.refresh_from_db()
    assert world.enterprise_a.name == "甲区测试企业（更名后）"
    assert world.enterprise_a.contact_name == "新联系人"
    assert Organisation.objects.count() == before


def test_an_organisation_without_uscc_is_found_by_territory_kind_and_name(world: World) -> None:
    before = Organisation.objects.count()
    batch = committed(world, xlsx_bytes([["甲区经发局", "政府部门", "ZA", "", "赵六", ""]]))
    assert batch.summary["updated"] == 1
    world.bureau_a.refresh_from_db()
    assert world.bureau_a.contact_name == "赵六"
    assert Organisation.objects.count() == before


def test_csv_in_gbk_with_a_utf8_bom_imports_correctly(world: World) -> None:
    content = csv_bytes(good_rows(), encoding="gbk", bom=codecs.BOM_UTF8)
    batch = committed(world, content, "机构.csv")
    assert batch.stored_file.endswith(".csv")
    assert Organisation.objects.get(uscc=demo_uscc(501)).name == "甲区导入企业一"
    assert Organisation.objects.get(uscc=demo_uscc(502)).contact_name == "李四"


@pytest.mark.parametrize(
    ("encoding", "bom"), [("utf-8", b""), ("utf-8", codecs.BOM_UTF8), ("gbk", b""), ("gb18030", b"")]
)
def test_csv_in_utf8_or_gbk_imports_correctly(world: World, encoding: str, bom: bytes) -> None:
    committed(world, csv_bytes(good_rows(), encoding=encoding, bom=bom), "机构.csv")
    assert Organisation.objects.get(uscc=demo_uscc(501)).name == "甲区导入企业一"
    assert Organisation.objects.get(name="甲区导入科技局").contact_name == "王五"


def test_a_superuser_may_import_into_any_territory(world: World) -> None:
    rows = [["乙区导入企业", "企业", "ZB", demo_uscc(601), "", ""]]
    batch = preview(world, xlsx_bytes(rows), actor=world.admin)
    assert batch.status == ImportStatus.PREVIEWED, batch.errors
    import_commit(batch=batch, actor=world.admin)
    assert Organisation.objects.get(uscc=demo_uscc(601)).territory == world.zone_b


# -- bad rows: the message names row and column, nothing is written ----------------------------------------


def bad(world: World, rows: list[list[Any]]) -> ImportBatch:
    before = counts()
    batch = preview(world, xlsx_bytes(rows))
    assert batch.status == ImportStatus.INVALID
    with pytest.raises(ValidationError):
        import_commit(batch=batch, actor=world.analyst_a)
    assert counts() == before
    return batch


def test_unknown_and_missing_columns_are_refused_naming_them(world: World) -> None:
    headers = ["名字", *HEADERS[1:]]
    before = counts()
    batch = preview(world, xlsx_bytes(good_rows(), headers=headers))
    assert batch.status == ImportStatus.INVALID
    (unknown,) = reasons(batch, 1, "名字")
    assert "第1行表头「名字」不是本数据集的列" in unknown and "名称、类别" in unknown
    (missing,) = reasons(batch, 1, "名称")
    assert "缺少必填列「名称」" in missing
    assert counts() == before


def test_optional_columns_may_be_left_out(world: World) -> None:
    rows = [row[:3] for row in good_rows()]
    rows[0][1] = rows[1][1] = "政府部门"  # enterprises would need their 统一社会信用代码
    batch = committed(world, xlsx_bytes(rows, headers=HEADERS[:3]))
    assert batch.summary["created"] == 3


def test_a_commit_whose_stored_file_is_gone_writes_nothing(world: World, settings: Any) -> None:
    batch = preview(world, xlsx_bytes(good_rows()))
    (Path(settings.DATA_DIR) / batch.stored_file).unlink()
    before = counts()
    batch = import_commit(batch=batch, actor=world.analyst_a)
    assert batch.status == ImportStatus.INVALID
    assert "已不在服务器上" in batch.errors[0]["reason"]
    assert counts() == before


def test_an_invalid_uscc_check_digit_is_refused(world: World) -> None:
    wrong = demo_uscc(503)[:-1] + ("0" if demo_uscc(503)[-1] != "0" else "1")
    rows = good_rows()
    rows[1][3] = wrong
    batch = bad(world, rows)
    (reason,) = reasons(batch, 3, USCC)
    assert "第3行「统一社会信用代码」" in reason and "校验位" in reason
    assert batch.errors[0]["value"] == wrong


def test_an_unknown_territory_code_is_refused(world: World) -> None:
    rows = good_rows()
    rows[2][2] = "NOPE"
    (reason,) = reasons(bad(world, rows), 4, TERRITORY)
    assert "第4行「所属地区代码」" in reason and "NOPE" in reason and "不存在" in reason


def test_a_territory_outside_the_users_scope_is_refused(world: World) -> None:
    rows = good_rows()
    rows[0][2] = "ZB"
    (reason,) = reasons(bad(world, rows), 2, TERRITORY)
    assert "第2行「所属地区代码」" in reason and "ZB" in reason


def test_a_territory_seen_but_not_managed_is_refused(world: World) -> None:
    account_services.role_grant(user=world.nobody_a, role_code="leader", territory=world.zone_a, actor=None)
    account_services.role_grant(user=world.nobody_a, role_code="analyst", territory=world.zone_b, actor=None)
    reader = User.objects.get(pk=world.nobody_a.pk)  # a fresh object: grants are read once per object
    before = counts()
    batch = preview(
        world, xlsx_bytes([["甲区导入企业一", "企业", "ZA", demo_uscc(501), "", ""]]), actor=reader
    )
    (reason,) = reasons(batch, 2, TERRITORY)
    assert "您无权在地区“ZA”登记或修改机构" in reason
    assert counts() == before


def test_the_territories_for_adding_follow_the_grants(world: World) -> None:
    assert territories_for_adding(world.analyst_a).keys() == {"ZA"}
    assert territories_for_adding(world.city_analyst).keys() == {"C1", "ZA", "ZB"}
    assert territories_for_adding(world.enterprise_user_a) == {}
    assert territories_for_adding(world.nobody_a) == {}
    assert territories_for_adding(world.admin).keys() >= {"C1", "ZA", "ZB"}


def test_duplicate_uscc_within_the_file_is_refused(world: World) -> None:
    rows = [*good_rows(), ["甲区导入企业一（重复）", "企业", "ZA", demo_uscc(501), "", ""]]
    (reason,) = reasons(bad(world, rows), 5, USCC)
    assert "与第2行重复" in reason


def test_duplicate_names_without_uscc_within_the_file_are_refused(world: World) -> None:
    rows = [*good_rows(), ["甲区导入科技局", "政府部门", "ZA", "", "另一人", ""]]
    (reason,) = reasons(bad(world, rows), 5, "名称")
    assert "与第4行重复" in reason


def test_an_enterprise_without_uscc_is_refused(world: World) -> None:
    rows = good_rows()
    rows[0][3] = ""
    (reason,) = reasons(bad(world, rows), 2, USCC)
    assert "企业须填写统一社会信用代码" in reason


def test_an_unknown_kind_and_an_empty_name_are_refused(world: World) -> None:
    rows = good_rows()
    rows[0][1] = "公司"
    rows[2][0] = ""
    batch = bad(world, rows)
    (kind,) = reasons(batch, 2, "类别")
    assert "“公司”不是可选的值" in kind and "企业" in kind
    (name,) = reasons(batch, 4, "名称")
    assert "必填" in name


def test_a_name_longer_than_the_field_is_refused(world: World) -> None:
    rows = good_rows()
    rows[0][0] = "长" * 201
    (reason,) = reasons(bad(world, rows), 2, "名称")
    assert "超过200个字符" in reason


def test_a_uscc_registered_in_another_zone_is_refused(world: World) -> None:
    rows = [["乙区测试企业", "企业", "ZA", demo_uscc(102), "", ""]]
    (reason,) = reasons(bad(world, rows), 2, USCC)
    assert "不在您的管理范围内" in reason
    world.enterprise_b.refresh_from_db()
    assert world.enterprise_b.territory == world.zone_b


def test_a_name_match_with_another_uscc_is_refused(world: World) -> None:
    rows = [["甲区测试企业", "企业", "ZA", demo_uscc(777), "", ""]]
    (reason,) = reasons(bad(world, rows), 2, USCC)
    assert "不一致" in reason


def test_the_commit_checks_again_and_writes_nothing_when_data_changed(world: World) -> None:
    batch = preview(world, xlsx_bytes(good_rows()))
    assert batch.status == ImportStatus.PREVIEWED
    account_services.organisation_create(
        data={
            "name": "乙区抢先登记",
            "kind": "enterprise",
            "territory": world.zone_b,
            "uscc": demo_uscc(501),
        },
        actor=world.admin,
    )
    before = counts()
    batch = import_commit(batch=batch, actor=world.analyst_a)
    assert batch.status == ImportStatus.INVALID
    assert reasons(batch, 2, USCC)
    assert counts() == before


def test_an_interrupted_commit_writes_nothing(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    batch = preview(world, xlsx_bytes(good_rows()))
    before = counts()
    original = OrganisationDataset.save_row
    saved: list[str] = []

    def fail_on_the_last_row(self: OrganisationDataset, values: dict[str, Any], *, actor: Any) -> Any:
        if len(saved) == 2:
            raise RuntimeError("写入第三行时断电")
        result = original(self, values, actor=actor)
        saved.append(values["name"])
        return result

    monkeypatch.setattr(OrganisationDataset, "save_row", fail_on_the_last_row)
    with pytest.raises(RuntimeError):
        import_commit(batch=batch, actor=world.analyst_a)
    assert saved == ["甲区导入企业一", "甲区导入企业二"]  # two rows were written inside the transaction …
    assert counts() == before  # … and rolled back with it
    assert not Organisation.objects.filter(name__startswith="甲区导入").exists()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED
    assert "没有写入任何数据" in batch.errors[0]["reason"]


# -- the template ------------------------------------------------------------------------------------------


def test_the_template_lists_the_columns_and_a_filled_template_imports(world: World) -> None:
    response = client_for(world.analyst_a).get(reverse("core:import_template", args=[DATASET]))
    assert response.status_code == 200
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    assert book.sheet_names[1] == "填写说明"
    headers = book.get_sheet_by_index(0).to_python()[0]
    assert headers == ["名称*", "类别*", "所属地区代码*", *HEADERS[3:]]
    notes = book.get_sheet_by_index(1).to_python()
    assert notes[0] == ["列名", "是否必填", "格式说明", "示例"]
    described = {row[0]: row for row in notes[1 : len(HEADERS) + 1]}
    assert set(described) == set(HEADERS)
    assert described["名称"][1] == "必填" and described[USCC][1] == "选填"
    assert described[USCC][3] == demo_uscc(1)
    batch = preview(world, xlsx_bytes(good_rows(), headers=headers))
    assert batch.status == ImportStatus.PREVIEWED, batch.errors
