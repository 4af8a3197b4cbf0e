"""Importing reporting units (直报企业名录) from Excel/CSV: a good file, the same file twice, an update,
each class of bad row, an interrupted commit."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kunlu.accounts import services as account_services
from kunlu.accounts.demo import demo_uscc
from kunlu.core.imports.services import import_commit, import_preview
from kunlu.core.models import AuditEvent, ImportBatch, ImportRecord, ImportStatus
from kunlu.core.tests.importfiles import csv_bytes, upload, xlsx_bytes
from kunlu.reporting.imports import MembershipDataset
from kunlu.reporting.models import CategoryMembership
from kunlu.reporting.tests.conftest import Setup

DATASET = "reporting.categorymembership"
HEADERS = ["统一社会信用代码", "报表类别代码", "起始月份", "终止月份", "备注"]


@pytest.fixture(autouse=True)
def _data_dir(settings: Any, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path


@pytest.fixture
def firms(setup: Setup) -> Setup:
    for n in (601, 602):
        account_services.organisation_create(
            data={
                "name": f"升规企业{n}",
                "kind": "enterprise",
                "territory": setup.world.zone_a,
                "uscc": demo_uscc(n),
            },
            actor=None,
        )
    return setup


def rows() -> list[list[Any]]:
    return [
        [demo_uscc(601), "industry", "2026-01", "", "2025年主营业务收入达标"],
        [demo_uscc(602), "industry", "2026年3月", "2026-12", "月度入库"],
    ]


def preview(setup: Setup, content: bytes, name: str = "名录.xlsx", actor: Any = None) -> ImportBatch:
    return import_preview(
        dataset=DATASET, uploaded_file=upload(content, name), actor=actor or setup.world.analyst_a
    )


def committed(setup: Setup, content: bytes, name: str = "名录.xlsx") -> ImportBatch:
    batch = preview(setup, content, name)
    assert batch.status == ImportStatus.PREVIEWED, batch.errors
    batch = import_commit(batch=batch, actor=setup.world.analyst_a)
    assert batch.status == ImportStatus.COMMITTED, batch.errors
    return batch


def counts() -> dict[str, int]:
    return {
        "memberships": CategoryMembership.objects.count(),
        "history": CategoryMembership.history.count(),
        "records": ImportRecord.objects.count(),
        "events": AuditEvent.objects.filter(event__startswith="reporting.categorymembership").count(),
    }


def reasons(batch: ImportBatch, column: str) -> list[str]:
    return [e["reason"] for e in batch.errors if e["column"] == column]


def test_a_good_file_previews_then_commits_with_lineage(firms: Setup) -> None:
    before = counts()
    batch = preview(firms, xlsx_bytes(rows(), headers=HEADERS))
    assert batch.status == ImportStatus.PREVIEWED and batch.summary["created"] == 2
    assert counts()["memberships"] == before["memberships"]
    batch = import_commit(batch=batch, actor=firms.world.analyst_a)
    assert batch.status == ImportStatus.COMMITTED
    second = CategoryMembership.objects.get(enterprise__uscc=demo_uscc(602))
    assert (second.valid_from.code, second.valid_to.code if second.valid_to else None) == (
        "2026-03",
        "2026-12",
    )
    assert ImportRecord.objects.filter(batch=batch).count() == 2
    assert counts()["events"] == before["events"] + 2


def test_the_same_rows_again_change_nothing(firms: Setup) -> None:
    committed(firms, xlsx_bytes(rows(), headers=HEADERS))
    before = counts()
    again = preview(firms, csv_bytes(rows(), headers=HEADERS), "名录.csv")
    assert again.summary["unchanged"] == 2 and again.summary["created"] == again.summary["updated"] == 0
    import_commit(batch=again, actor=firms.world.analyst_a)
    after = counts()
    assert (after["memberships"], after["history"], after["events"]) == (
        before["memberships"],
        before["history"],
        before["events"],
    )


def test_a_firm_dropping_out_closes_its_membership(firms: Setup) -> None:
    committed(firms, xlsx_bytes(rows(), headers=HEADERS))
    changed = rows()
    changed[0][3] = "2026-06"
    batch = committed(firms, xlsx_bytes(changed, headers=HEADERS))
    assert batch.summary["updated"] == 1 and batch.summary["unchanged"] == 1
    first = CategoryMembership.objects.get(enterprise__uscc=demo_uscc(601))
    assert first.valid_to is not None and first.valid_to.code == "2026-06"


def test_an_excel_date_cell_means_its_month(firms: Setup) -> None:
    from datetime import date

    def dated(book: Any, sheet: Any) -> None:
        sheet.write_datetime(1, 2, date(2026, 1, 1), book.add_format({"num_format": "yyyy-mm-dd"}))

    committed(firms, xlsx_bytes(rows(), headers=HEADERS, edit=dated))
    assert CategoryMembership.objects.get(enterprise__uscc=demo_uscc(601)).valid_from.code == "2026-01"


@pytest.mark.parametrize(
    ("row", "column", "text"),
    [
        ([demo_uscc(699), "industry", "2026-01", "", ""], "统一社会信用代码", "未登记"),
        (["91320583MA00006010", "industry", "2026-01", "", ""], "统一社会信用代码", "无效"),
        ([demo_uscc(102), "industry", "2026-01", "", ""], "统一社会信用代码", "不在您的管理范围内"),
        ([demo_uscc(601), "retail", "2026-01", "", ""], "报表类别代码", "不存在或已停用"),
        ([demo_uscc(601), "industry", "2026-13", "", ""], "起始月份", "不是有效的月份"),
        ([demo_uscc(601), "industry", "", "", ""], "起始月份", "必填"),
        ([demo_uscc(601), "industry", "2026-05", "2026-01", ""], "终止月份", "早于起始月份"),
        ([demo_uscc(101), "industry", "2026-01", "", ""], "起始月份", "重叠"),
    ],
)
def test_each_bad_row_is_named_and_nothing_is_written(
    firms: Setup, row: list[Any], column: str, text: str
) -> None:
    before = counts()
    batch = preview(firms, xlsx_bytes([row], headers=HEADERS))
    assert batch.status == ImportStatus.INVALID
    assert any(text in reason for reason in reasons(batch, column)), batch.errors
    assert counts() == before


def test_an_interrupted_commit_writes_nothing(firms: Setup, monkeypatch: pytest.MonkeyPatch) -> None:
    batch = preview(firms, xlsx_bytes(rows(), headers=HEADERS))
    before = counts()
    original = MembershipDataset.save_row
    saved: list[Any] = []

    def fail_on_the_last_row(self: MembershipDataset, values: dict[str, Any], *, actor: Any) -> Any:
        if saved:
            raise RuntimeError("写入第二行时断电")
        saved.append(original(self, values, actor=actor))
        return saved[-1]

    monkeypatch.setattr(MembershipDataset, "save_row", fail_on_the_last_row)
    with pytest.raises(RuntimeError):
        import_commit(batch=batch, actor=firms.world.analyst_a)
    assert len(saved) == 1 and counts() == before


def test_enterprises_may_not_import_memberships(firms: Setup) -> None:
    assert not MembershipDataset.allowed(firms.world.enterprise_user_a)
    assert MembershipDataset.allowed(firms.world.analyst_a)


def test_the_template_and_the_import_page(firms: Setup) -> None:
    import io

    from django.urls import reverse
    from python_calamine import CalamineWorkbook

    from kunlu.core.testing import client_for

    client = client_for(firms.world.analyst_a)
    response = client.get(reverse("core:import_template", args=[DATASET]))
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    headers = book.get_sheet_by_index(0).to_python()[0]
    assert headers == ["统一社会信用代码*", "报表类别代码*", "起始月份*", "终止月份", "备注"]
    assert preview(firms, xlsx_bytes(rows(), headers=headers)).status == ImportStatus.PREVIEWED
    page = client.get(reverse("core:import_dataset", args=[DATASET]))
    assert page.status_code == 200 and "直报企业名录" in page.content.decode()
    assert (
        client_for(firms.world.enterprise_user_a)
        .get(reverse("core:import_dataset", args=[DATASET]))
        .status_code
        == 404
    )
