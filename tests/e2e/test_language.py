"""The language switch turns the interface to English and back to Chinese, and the choice sticks."""

from __future__ import annotations

from e2e_helpers import PageGuard, demo_logins, has_chinese, log_in
from playwright.sync_api import Browser, Page, expect

_, DEMO_PASSWORD = demo_logins()


def html_lang(page: Page) -> str | None:
    return page.locator("html").get_attribute("lang")


def switch_language(page: Page) -> None:
    page.get_by_test_id("language-switch").click()
    page.wait_for_load_state()


def expect_switch_to(page: Page, code: str, name: str) -> None:
    """The switch offers the other language, named in that language (a reader of it can find it)."""
    switch = page.get_by_test_id("language-switch")
    expect(switch).to_have_attribute("value", code)
    expect(switch).to_have_text(name)


def test_switch_round_trips_when_logged_in(page: Page, guard: PageGuard) -> None:
    log_in(page, "admin", DEMO_PASSWORD)
    page.goto("/territories/")
    assert html_lang(page) == "zh-CN"
    expect_switch_to(page, "en", "English")

    switch_language(page)
    assert page.url.endswith("/territories/"), f"the switch left the page for {page.url}"
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect_switch_to(page, "zh-hans", "简体中文")
    page.goto("/")  # the choice is kept for the next pages
    expect(page.locator("html")).to_have_attribute("lang", "en")
    guard.assert_clean("English")

    switch_language(page)
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect_switch_to(page, "en", "English")
    assert has_chinese(page.locator("aside nav").inner_text()), "the navigation is not back in Chinese"
    assert has_chinese(page.locator("main h1").inner_text())
    guard.assert_clean("back to Chinese")


def test_switch_on_the_login_page(page: Page, guard: PageGuard) -> None:
    page.goto("/login/")
    assert html_lang(page) == "zh-CN"
    switch_language(page)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect_switch_to(page, "zh-hans", "简体中文")
    assert page.url.endswith("/login/")
    switch_language(page)
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.get_by_role("button", name="登录", exact=True)).to_be_visible()
    guard.assert_clean("login page")


def test_english_browser_still_gets_chinese(browser: Browser, base_url: str) -> None:
    """An intranet PC's browser installed in English does not turn the interface to English by itself."""
    context = browser.new_context(base_url=base_url, locale="en-US")
    guard = PageGuard()
    guard.watch(context)
    try:
        page = context.new_page()
        page.goto("/login/")
        expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
        expect_switch_to(page, "en", "English")
        guard.assert_clean("login page, en-US browser")
    finally:
        context.close()
