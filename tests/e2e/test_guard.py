"""The page guard itself: it must see what it is there to catch, or every other test passes for nothing."""

from __future__ import annotations

import time

from e2e_helpers import PageGuard
from playwright.sync_api import Page

# Run through DevTools on a Kunlu page (the page's own policy would refuse an inline script).
_BREAK_KUNLU_PAGE = """() => {
  const img = document.createElement("img");
  img.src = "/static/kunlu/no-such-file.png";
  document.body.append(img);
  console.error("guard self-test: console");
  setTimeout(() => { throw new Error("guard self-test: uncaught"); });
}"""
# On about:blank, where no content security policy stops the request before the guard can see it.
_OUTSIDE_IMAGE = '<img src="https://cdn.example.com/logo.png" alt="">'


def wait_for_problems(guard: PageGuard, page: Page, expected: tuple[str, ...]) -> None:
    deadline = time.monotonic() + 10
    while not all(any(p.startswith(e) for p in guard.problems) for e in expected):
        assert time.monotonic() < deadline, f"the guard missed some of {expected}: {guard.problems}"
        page.wait_for_timeout(100)


def test_guard_sees_broken_assets_console_and_page_errors(page: Page, guard: PageGuard) -> None:
    page.goto("/login/")
    guard.assert_clean("login page")
    assert any(r.endswith("/login/") for r in guard.requests), "the guard did not record the requests"

    page.evaluate(_BREAK_KUNLU_PAGE)
    wait_for_problems(
        guard,
        page,
        ("static asset 404: ", "console error: guard self-test: console", "page error: "),
    )
    guard.problems.clear()  # caused on purpose; the end-of-test check must pass


def test_guard_sees_and_stops_outside_requests(page: Page, guard: PageGuard) -> None:
    page.goto("about:blank")
    page.set_content(_OUTSIDE_IMAGE)
    wait_for_problems(guard, page, ("outside request: GET https://cdn.example.com/logo.png",))
    assert page.evaluate("document.images[0].naturalWidth") == 0, "the outside image was not stopped"
    guard.problems.clear()  # caused on purpose; the end-of-test check must pass
