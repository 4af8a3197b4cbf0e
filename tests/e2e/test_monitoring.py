"""A real S1 path in Chinese: the zone analyst opens 园区经济运行 for 2025年1–9月, reads the seed's figures
(computed by the engine from the demo enterprises' reports), sees the charts, and follows a figure to the
enterprises behind it."""

from __future__ import annotations

from e2e_helpers import PageGuard, demo_logins, log_in, screenshot
from playwright.sync_api import Page, expect

_, DEMO_PASSWORD = demo_logins()


def test_zone_monitoring_shows_the_seed_figures_and_their_trace(page: Page, guard: PageGuard) -> None:
    log_in(page, "analyst_gx", DEMO_PASSWORD)
    page.locator('aside nav a[data-nav="indicators:monitoring_zone"]').click()
    form = page.get_by_test_id("monitoring-form")
    form.get_by_label("年度").fill("2025")
    form.get_by_label("截至月份").fill("9")
    form.get_by_role("button", name="查询").click()

    expect(page.locator("main h1")).to_contain_text("2025年1–9月经济运行")
    expect(page.get_by_test_id("highlights")).to_contain_text("5项指标实现两位数增长")
    expect(page.get_by_test_id("highlights")).to_contain_text("10项指标占全市比重提升")
    trade = page.locator('tr[data-indicator="trade"]')
    expect(trade).to_contain_text("75.2亿美元")
    expect(trade).to_contain_text("增长18.8%")
    fdi = page.locator('tr[data-indicator="fdi_actual"]')
    expect(fdi).to_contain_text("2.27亿美元")
    expect(fdi).to_contain_text("增长13.3%")
    expect(page.get_by_test_id("chart-trend")).to_have_attribute("data-rendered", "true")
    expect(page.get_by_test_id("chart-shares")).to_have_attribute("data-rendered", "true")
    screenshot(page, "monitoring-1-zone")
    guard.assert_clean("zone monitoring")

    trade.locator("a[data-trace]").first.click()
    expect(page.locator("main h1")).to_contain_text("外贸进出口总额")
    expect(page.get_by_test_id("trace-metrics")).to_contain_text("增长18.8%")
    expect(page.get_by_test_id("contributors").locator("tbody tr").first).to_contain_text("（示例）")
    screenshot(page, "monitoring-2-trace")
    guard.assert_clean("trace")
