"""A real user path through declared CRUD, in Chinese: the administrator keeps the territory list (地区).

Filter, export to Excel, add, find, edit, read the change history, delete with confirmation.
"""

from __future__ import annotations

import re
from pathlib import Path

from e2e_helpers import PageGuard, demo_logins, has_chinese, log_in, screenshot
from playwright.sync_api import Page, expect
from python_calamine import CalamineWorkbook

_, DEMO_PASSWORD = demo_logins()

CODE = "E2E-PARK-1"
NAME = "浏览器测试园区（示例）"
NEW_NAME = "浏览器测试科创园（示例）"
PARENT = "昆山高新区（示例数据）"
# The demo zone's parks (kunlu.core.demo.TERRITORIES), what the 类型 = 园区 filter must return.
DEMO_PARK_CODES = {"KS-GX-ZB", "KS-GX-YZ", "KS-KF-GL", "KS-HQ-JR"}
# The label of a required field ends with a red "*"; 英文名称 must not match.
NAME_LABEL = re.compile(r"^名称")


def filter_list(page: Page, *, search: str = "", kind: str = "") -> None:
    """Fill the list's filter form and press 筛选 (the table is replaced in place by HTMX)."""
    form = page.locator("form.kunlu-filter")
    form.get_by_label("名称或代码", exact=True).fill(search)
    form.get_by_label("类型", exact=True).select_option(label=kind or "---------")
    with page.expect_response(lambda r: "/territories/?" in r.url and r.request.method == "GET"):
        form.get_by_role("button", name="筛选").click()


def listed_codes(page: Page) -> set[str]:
    """The 代码 column of the list table as shown."""
    return set(page.locator("#list-table table tbody tr td:first-child").all_inner_texts())


def read_sheet(path: Path) -> list[list[object]]:
    """The first sheet of an xlsx, read as Kunlu's importers read files (python-calamine)."""
    return [list(row) for row in CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()]


def test_territory_list_export_add_edit_history_delete(page: Page, guard: PageGuard, tmp_path: Path) -> None:
    log_in(page, "admin", DEMO_PASSWORD)

    # 地区 from the sidebar.
    page.locator('aside nav a[data-nav="core_territory_list"]').click()
    expect(page.locator("main h1")).to_have_text("地区")
    expect(page.locator("#list-table")).to_contain_text("昆山市")
    guard.assert_clean("territory list")

    # Filter: 类型 = 园区 leaves the demo parks only.
    filter_list(page, kind="园区")
    expect(page.locator("#list-table")).to_contain_text(f"共 {len(DEMO_PARK_CODES)} 条")
    assert listed_codes(page) == DEMO_PARK_CODES
    screenshot(page, "crud-1-filtered")

    # Export what is shown: an xlsx with a Chinese header row and the filtered rows.
    with page.expect_download() as download_info:
        page.get_by_test_id("export").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    exported = tmp_path / "territories.xlsx"
    download.save_as(exported)
    header, *rows = read_sheet(exported)
    assert header[:2] == ["代码", "名称"], f"export header {header}"
    assert all(has_chinese(str(cell)) for cell in header), f"export header not all Chinese: {header}"
    assert {str(row[0]) for row in rows} == DEMO_PARK_CODES, "the export does not follow the list's filter"
    guard.assert_clean("filter and export")

    # Add a park through the form.
    page.get_by_role("link", name="新增").click()
    expect(page.locator("main h1")).to_have_text("新增地区")
    form = page.locator("form.kunlu-form")
    form.get_by_label(re.compile(r"^代码")).fill(CODE)
    form.get_by_label(NAME_LABEL).fill(NAME)
    form.get_by_label("英文名称").fill("Browser Test Park (demo)")
    form.get_by_label("类型").select_option(label="园区")
    form.get_by_label("上级").select_option(label=PARENT)
    form.get_by_label("示例数据").check()
    screenshot(page, "crud-2-add-form")
    form.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert")).to_contain_text(f"已保存：{NAME}")
    expect(page.locator("main h1")).to_have_text(NAME)
    expect(page.locator("main table")).to_contain_text(PARENT)
    guard.assert_clean("add")

    # It is in the list.
    page.goto("/territories/")
    filter_list(page, search=CODE)
    expect(page.locator("#list-table")).to_contain_text("共 1 条")
    assert listed_codes(page) == {CODE}
    page.locator("#list-table").get_by_role("link", name=NAME).click()
    expect(page.locator("main h1")).to_have_text(NAME)

    # Edit its name.
    page.locator("main").get_by_role("link", name="编辑").click()
    expect(page.locator("main h1")).to_have_text(f"编辑 {NAME}")
    page.locator("form.kunlu-form").get_by_label(NAME_LABEL).fill(NEW_NAME)
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert")).to_contain_text(f"已保存：{NEW_NAME}")
    expect(page.locator("main h1")).to_have_text(NEW_NAME)
    guard.assert_clean("edit")

    # 变更历史 shows the creation and the change of 名称, by the administrator.
    page.get_by_role("link", name="变更历史").click()
    expect(page.locator("main h1")).to_have_text(f"变更历史：{NEW_NAME}")
    history = page.get_by_test_id("field-history")
    expect(history).to_contain_text(f"名称：{NAME} → {NEW_NAME}")
    expect(history).to_contain_text("创建记录")
    expect(history).to_contain_text("系统管理员")
    expect(page.get_by_test_id("event-history")).to_contain_text("core.territory.update")
    screenshot(page, "crud-3-history")
    guard.assert_clean("history")

    # Delete, after the confirmation page.
    page.locator("main").get_by_role("link", name=NEW_NAME).click()
    page.locator("main").get_by_role("link", name="删除").click()
    expect(page.locator("main")).to_contain_text("确定删除吗")
    page.get_by_role("button", name="确认删除").click()
    expect(page.get_by_role("alert")).to_contain_text(f"已删除：{NEW_NAME}")
    expect(page.locator("main h1")).to_have_text("地区")
    filter_list(page, search=CODE)
    expect(page.locator("#list-table")).to_contain_text("共 0 条")
    screenshot(page, "crud-4-deleted")
    guard.assert_clean("delete")
