"""A real S2 path in Chinese: the project office opens 重大项目推进 for 2025年1–9月 and reads the seed's line
(computed from the demo's plans and monthly reports), sees the lagging project first and its timeline; the
enterprise reports its own project's October investment; leadership reads the signings line."""

from __future__ import annotations

from e2e_helpers import PageGuard, demo_logins, log_in, screenshot
from playwright.sync_api import Page, expect

_, DEMO_PASSWORD = demo_logins()


def test_board_shows_the_seed_line_and_the_lagging_project(page: Page, guard: PageGuard) -> None:
    log_in(page, "projects_gx", DEMO_PASSWORD)
    page.locator('aside nav a[data-nav="projects:board"]').click()
    form = page.get_by_test_id("period-form")
    form.get_by_label("年度").fill("2025")
    form.get_by_label("截至月份").fill("9")
    form.get_by_role("button", name="查询").click()

    expect(page.locator("main h1")).to_contain_text("2025年1–9月重大项目推进")
    line = page.get_by_test_id("board-line").first
    expect(line).to_contain_text("20个，已开工20个，1–9月完成投资39.6亿元，占年度计划96.9%")
    expect(page.get_by_test_id("chart-board")).to_have_attribute("data-rendered", "true")
    first = page.get_by_test_id("board-rows").locator("tbody tr").first
    expect(first).to_contain_text("示例生物样本库项目")
    expect(first).to_contain_text("落后序时进度35.0个百分点")
    screenshot(page, "projects-1-board")
    guard.assert_clean("major-project board")

    first.get_by_role("link", name="示例生物样本库项目").click()
    expect(page.locator("main h1")).to_contain_text("示例生物样本库项目")
    expect(page.get_by_test_id("chart-timeline")).to_have_attribute("data-rendered", "true")
    expect(page.get_by_test_id("project-alerts")).to_contain_text("红色")
    screenshot(page, "projects-2-project")
    guard.assert_clean("project page")


def test_enterprise_reports_its_projects_month(page: Page, guard: PageGuard) -> None:
    log_in(page, "ent_gx", DEMO_PASSWORD)
    page.locator('aside nav a[data-nav="projects_project_list"]').click()
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(1)
    rows.first.get_by_role("link").first.click()
    expect(page.locator("main h1")).to_contain_text("示例智能装备扩产项目")
    form = page.get_by_test_id("actual-form")
    form.get_by_label("年度").fill("2025")
    form.get_by_label("月份").fill("10")
    form.get_by_label("1–M月累计完成投资（万）").fill("17500")
    form.get_by_label("情况说明").fill("二号车间设备进场")
    form.get_by_role("button", name="报送").click()
    expect(page.locator(".alert-success")).to_contain_text("已报送月度完成投资")
    expect(page.get_by_test_id("actuals")).to_contain_text("17500.0万元")
    screenshot(page, "projects-3-enterprise-report")
    guard.assert_clean("enterprise report")


def test_signings_line_for_leadership(page: Page, guard: PageGuard) -> None:
    log_in(page, "leader_gx", DEMO_PASSWORD)
    page.locator('aside nav a[data-nav="projects:signings"]').click()
    form = page.get_by_test_id("period-form")
    form.get_by_label("年度").fill("2025")
    form.get_by_label("截至月份").fill("9")
    form.get_by_role("button", name="查询").click()
    expect(page.get_by_test_id("signing-line")).to_contain_text(
        "签约项目27个，计划总投资额156.1亿元，其中10亿元以上项目6个"
    )
    expect(page.get_by_test_id("chart-signings")).to_have_attribute("data-rendered", "true")
    screenshot(page, "projects-4-signings")
    guard.assert_clean("signings")
