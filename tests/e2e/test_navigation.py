"""Every page of the navigation opens, in Chinese and offline, for every demo role; so does the API's docs."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from e2e_helpers import PageGuard, assert_chinese_page, demo_logins, log_in, screenshot
from playwright.sync_api import Page, expect

DEMO_USERNAMES, DEMO_PASSWORD = demo_logins()


def sidebar_links(page: Page) -> list[str]:
    """The hrefs of the sidebar navigation, in order, each once."""
    links = page.locator("aside nav a")
    hrefs: list[str] = links.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    return list(dict.fromkeys(hrefs))


@pytest.mark.parametrize("username", DEMO_USERNAMES)
def test_every_sidebar_page_opens_in_chinese(page: Page, guard: PageGuard, username: str) -> None:
    log_in(page, username, DEMO_PASSWORD)
    assert_chinese_page(page, f"home of {username}")
    screenshot(page, f"home-{username}")
    guard.assert_clean(f"home of {username}")

    links = sidebar_links(page)
    assert "/" in links, f"{username}: the sidebar has no link home"
    for href in links:
        response = page.goto(href)
        assert response is not None, f"{username} {href}: no response"
        assert response.status == 200, f"{username} {href}: HTTP {response.status}"
        assert urlsplit(page.url).path == urlsplit(href).path, f"{username} {href}: redirected to {page.url}"
        assert_chinese_page(page, f"{username} {href}")
        guard.assert_clean(f"{username} {href}")


def test_api_docs_load_offline(page: Page, guard: PageGuard) -> None:
    """The Swagger UI from drf-spectacular's sidecar renders the schema with no outside request."""
    log_in(page, "admin", DEMO_PASSWORD)
    with page.expect_response(lambda r: urlsplit(r.url).path == "/api/schema/") as schema:
        response = page.goto("/api/docs/")
    assert response is not None and response.status == 200
    assert schema.value.status == 200, f"schema: HTTP {schema.value.status}"
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Kunlu API")
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible()
    # Swagger UI renders only the operations in view: a deep link scrolls a later one into it.
    # (A link to the tag: an operation's link holds "_", which Swagger UI now warns about on the console.)
    page.goto("/api/docs/#/territories")
    page.reload()  # a change of hash alone does not make Swagger UI follow the link
    expect(page.locator("#operations-territories-territories_list")).to_contain_text("/api/territories/")
    screenshot(page, "api-docs")
    guard.assert_clean("/api/docs/")
