"""Real S3 paths in Chinese: the land office reads the equipment HQ park's figures (computed from its
parcels, decisions and commitments); an enterprise reads its own 亩均 result with its line-by-line trace."""

from __future__ import annotations

from e2e_helpers import PageGuard, demo_logins, log_in, screenshot
from playwright.sync_api import Page, expect

_, DEMO_PASSWORD = demo_logins()


def test_park_overview_shows_the_seed_figures(page: Page, guard: PageGuard) -> None:
    log_in(page, "land_gx", DEMO_PASSWORD)
    page.locator('aside nav a[data-nav="land:park"]').click()
    page.get_by_label("园区").select_option(label="昆山高端装备总部产业园（示例）")
    page.get_by_role("button", name="查看").click()
    figures = page.get_by_test_id("park-figures")
    expect(figures.locator('[data-figure="enterprises"]')).to_have_text("8家")
    expect(figures.locator('[data-figure="headquarters"]')).to_have_text("其中总部企业8家")
    expect(figures.locator('[data-figure="investment"]')).to_have_text("40.0亿元")
    expect(figures.locator('[data-figure="output"]')).to_have_text("120.0亿元")
    expect(figures.locator('[data-figure="tax-above"]')).to_have_text("8/8家")
    screenshot(page, "land-1-park")
    guard.assert_clean("park overview")


def test_enterprise_reads_its_own_evaluation_result(page: Page, guard: PageGuard) -> None:
    log_in(page, "ent_gx", DEMO_PASSWORD)
    page.locator('aside nav a[data-nav="evaluation_evaluationresult_list"]').click()
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("昆山示例精密机械有限公司")
    rows.first.get_by_role("link").first.click()
    expect(page.get_by_test_id("band")).not_to_be_empty()
    expect(page.get_by_test_id("trace").locator("li").first).to_be_visible()
    screenshot(page, "evaluation-1-own-result")
    guard.assert_clean("own evaluation result")
