"""The S1 datasets on the import pages: listed, described, their templates downloadable, uploads previewed."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from kunlu.core.models import ImportBatch, ImportStatus
from kunlu.core.testing import World, client_for
from kunlu.core.tests.importfiles import upload, xlsx_bytes
from kunlu.indicators.models import Indicator

pytestmark = pytest.mark.usefixtures("import_dir")

TEMPLATE_HEADERS = {
    "indicators.indicator": ["代码*", "名称*", "英文名称", "单位*", "币种", "统计口径"],
    "indicators.observation_long": [
        "地区代码",
        "统一社会信用代码",
        "指标代码*",
        "年*",
        "月*",
        "数值口径",
        "数值*",
    ],
    "indicators.observation_wide": ["年*", "月*", "数值口径", "地区代码", "地区名称", "来源", "确认"],
    "indicators.target": ["地区代码*", "指标代码*", "年度*", "目标值*", "备注"],
}


def test_the_datasets_are_listed_for_analysts(world: World, catalogue: dict[str, Indicator]) -> None:
    response = client_for(world.analyst_a).get(reverse("core:import_index"))
    assert {d.name for d in response.context["datasets"]} >= set(TEMPLATE_HEADERS)


@pytest.mark.parametrize("name", sorted(TEMPLATE_HEADERS))
def test_each_dataset_page_and_template(world: World, catalogue: dict[str, Indicator], name: str) -> None:
    client = client_for(world.analyst_a)
    page = client.get(reverse("core:import_dataset", args=[name]))
    assert page.status_code == 200
    if name == "indicators.indicator":
        assert "从下拉列表选择：规上、限上、全口径" in page.content.decode()  # help built when shown
    template = client.get(reverse("core:import_template", args=[name]))
    assert template.status_code == 200
    headers = (
        CalamineWorkbook.from_filelike(io.BytesIO(template.content)).get_sheet_by_index(0).to_python()[0]
    )
    expected = TEMPLATE_HEADERS[name]
    assert headers[: len(expected)] == expected


def test_an_upload_through_the_page_is_previewed_and_committed(
    world: World, catalogue: dict[str, Indicator]
) -> None:
    client = client_for(world.analyst_a)
    content = xlsx_bytes([[2025, 9, "ZA", 1234567.8]], headers=["年", "月", "地区代码", "规上工业总产值"])
    response = client.post(
        reverse("core:import_dataset", args=["indicators.observation_wide"]), {"file": upload(content)}
    )
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and batch.status == ImportStatus.PREVIEWED
    assert client.post(reverse("core:import_commit", args=[batch.pk])).status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportStatus.COMMITTED and batch.summary["created"] == 1
