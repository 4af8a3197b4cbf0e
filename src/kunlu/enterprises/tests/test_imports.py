"""企业名录 from Excel: register and merge by credit code, refuse bad cells by row and column, change nothing
the second time, and read back the registry's own export."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from kunlu.accounts.demo import demo_uscc
from kunlu.accounts.models import Organisation
from kunlu.core.imports.services import import_commit, import_preview
from kunlu.core.models import AuditEvent, ImportStatus
from kunlu.core.testing import World, client_for, xlsx_rows
from kunlu.core.tests.importfiles import upload, xlsx_bytes
from kunlu.enterprises.imports import EnterpriseDataset
from kunlu.enterprises.models import EnterpriseName, EnterpriseProfile

pytestmark = pytest.mark.usefixtures("import_dir")

DATASET = "enterprises.enterprise"
HEADERS = [
    "统一社会信用代码",
    "企业名称",
    "所属地区代码",
    "行业代码",
    "规上企业",
    "总部企业",
    "从业人数",
    "用地面积（亩）",
]


def rows() -> list[list[Any]]:
    return [
        [demo_uscc(701), "导入装备一有限公司", "ZA", "34", "是", "是", 200, 40.5],
        [demo_uscc(702), "导入装备二有限公司", "ZA", "3491", "否", "", 35, ""],
    ]


def preview(actor: Any, data: list[list[Any]], headers: list[str] = HEADERS, content: bytes = b"") -> Any:
    content = content or xlsx_bytes(data, headers=headers)
    return import_preview(dataset=DATASET, uploaded_file=upload(content), actor=actor)


def commit(actor: Any, data: list[list[Any]], headers: list[str] = HEADERS, content: bytes = b"") -> Any:
    batch = preview(actor, data, headers, content)
    assert batch.status == ImportStatus.PREVIEWED, batch.errors
    batch = import_commit(batch=batch, actor=actor)
    assert batch.status == ImportStatus.COMMITTED, batch.errors
    return batch


def counts() -> tuple[int, ...]:
    return (
        Organisation.objects.count(),
        EnterpriseProfile.objects.count(),
        EnterpriseProfile.history.count(),
        Organisation.history.count(),
        EnterpriseName.objects.count(),
        AuditEvent.objects.filter(event__startswith="enterprises.").count(),
    )


def reasons(batch: Any) -> list[str]:
    return [e["reason"] for e in batch.errors]


def test_a_good_file_registers_the_enterprises(world: World) -> None:
    batch = commit(world.analyst_a, rows())
    assert batch.summary["created"] == 2
    one = EnterpriseProfile.objects.get(organisation__uscc=demo_uscc(701))
    assert (one.organisation.name, one.organisation.territory, one.industry.code) == (  # type: ignore[union-attr]
        "导入装备一有限公司",
        world.zone_a,
        "34",
    )
    assert (
        one.is_above_scale
        and one.is_headquarters
        and one.employees == 200
        and str(one.land_area_mu) == "40.50"
    )
    two = EnterpriseProfile.objects.get(organisation__uscc=demo_uscc(702))
    assert not two.is_headquarters and two.land_area_mu is None


def test_the_same_file_twice_changes_nothing(world: World) -> None:
    content = xlsx_bytes(rows(), headers=HEADERS)
    commit(world.analyst_a, [], content=content)
    before = counts()
    again = preview(world.analyst_a, [], content=content)
    assert again.status == ImportStatus.DUPLICATE
    remade = commit(world.analyst_a, rows()[::-1])  # the same rows in another file
    assert remade.summary["unchanged"] == 2 and remade.summary["created"] == remade.summary["updated"] == 0
    assert counts() == before


def test_a_known_credit_code_merges_into_that_enterprise(world: World) -> None:
    before = Organisation.objects.count()
    data = [[world.enterprise_a.uscc, world.enterprise_a.name, "ZA", "35", "是", "否", 80, 12]]
    batch = commit(world.analyst_a, data)
    assert batch.summary["created"] == 1  # a new profile, on the enterprise already known
    assert Organisation.objects.count() == before
    assert EnterpriseProfile.objects.get().organisation == world.enterprise_a
    data[0][6] = 95
    batch = commit(world.analyst_a, data)
    assert batch.summary["updated"] == 1 and EnterpriseProfile.objects.get().employees == 95
    assert Organisation.objects.count() == before and EnterpriseProfile.objects.count() == 1


def test_a_repeated_credit_code_names_both_rows(world: World) -> None:
    data = rows()
    data[1][0] = data[0][0].lower()
    batch = preview(world.analyst_a, data)
    assert batch.status == ImportStatus.INVALID
    assert len(batch.errors) == 1
    assert batch.errors[0]["row"] == 3 and "与第2行重复" in batch.errors[0]["reason"]
    assert not EnterpriseProfile.objects.exists()


def _bad_digit(code: str) -> str:
    return code[:17] + ("0" if code[17] != "0" else "1")


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        (0, _bad_digit(demo_uscc(701)), "「统一社会信用代码」：统一社会信用代码校验位错误"),
        (3, "99", "「行业代码」：行业代码“99”不是 GB/T 4754-2017 的行业代码"),
        (3, "C", "是门类"),
        (2, "NOWHERE", "「所属地区代码」：地区代码“NOWHERE”不存在"),
        (2, "ZB", "「所属地区代码」：地区代码“ZB”不存在，或不在您的管理范围内"),
        (7, 0, "「用地面积（亩）」：用地面积须大于0"),
        (7, -2.5, "「用地面积（亩）」：用地面积须大于0"),
        (4, "也许", "「规上企业」："),
    ],
)
def test_bad_cells_are_refused_by_row_and_column(
    world: World, column: int, value: Any, expected: str
) -> None:
    data = rows()
    data[0][column] = value
    batch = preview(world.analyst_a, data)
    assert batch.status == ImportStatus.INVALID
    assert [e["row"] for e in batch.errors] == [2]
    assert reasons(batch)[0].startswith("第2行") and expected in reasons(batch)[0]
    assert not EnterpriseProfile.objects.exists()


def test_a_row_rule_names_its_column(world: World) -> None:
    headers = [*HEADERS, "外资来源国家/地区"]
    data = [[*row, "德国"] for row in rows()]
    batch = preview(world.analyst_a, data, headers)
    assert batch.status == ImportStatus.INVALID
    assert "「外资来源国家/地区」：填写了外资来源，但未标记为外资企业" in reasons(batch)[0]


def test_another_zone_cannot_change_an_enterprise_by_import(world: World) -> None:
    commit(world.analyst_a, rows())
    data = [[demo_uscc(701), "导入装备一有限公司", "ZB", "34", "是", "是", 1, 1]]
    batch = preview(world.analyst_b, data)
    assert batch.status == ImportStatus.INVALID
    assert "不在您的管理范围内" in reasons(batch)[0]


def test_the_registry_export_imports_back_unchanged(world: World) -> None:
    commit(world.analyst_a, rows())
    response = client_for(world.analyst_a).get(reverse("enterprises_enterpriseprofile_export"))
    exported = xlsx_rows(response.content)
    assert exported[0] == [c.title for c in EnterpriseDataset.columns]
    before = counts()
    batch = commit(world.analyst_a, exported[1:], headers=exported[0])
    assert batch.summary["unchanged"] == 2 and batch.summary["updated"] == 0
    assert counts() == before
