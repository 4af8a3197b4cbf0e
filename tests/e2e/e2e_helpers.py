"""What every browser test shares: the page guard, logging in through the real form, Chinese-text checks."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext, ConsoleMessage, Page, Request, Response, Route, expect

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts" / "e2e"
# The lockout test counts on this limit; the server gets it explicitly rather than from the caller's shell.
LOGIN_FAILURE_LIMIT = 5

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost"})
# Schemes that never leave the browser.
INERT_SCHEMES = frozenset({"data", "blob", "about"})
STATIC_RESOURCE_TYPES = frozenset({"stylesheet", "script", "image", "font", "media", "manifest"})

_CJK = re.compile(r"[\u4e00-\u9fff]")


def kunlu_command() -> Path:
    """The virtualenv's `kunlu` command (the one beside the running Python)."""
    for candidate in (REPO / ".venv" / "bin" / "kunlu", Path(sys.executable).parent / "kunlu"):
        if candidate.exists():
            return candidate
    raise RuntimeError("the `kunlu` command is not installed in the virtualenv (run `make test-e2e`)")


@dataclass(frozen=True)
class KunluServer:
    """A running Kunlu: its address, its data dir and a way to run management commands against it."""

    url: str
    data_dir: Path
    env: dict[str, str]

    def kunlu(self, *args: str) -> str:
        """Run the `kunlu` command on this server's data; return its output, fail with it on error."""
        done = subprocess.run(
            [str(kunlu_command()), *args],
            env=self.env,
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"kunlu {' '.join(args)} failed ({done.returncode}):\n{done.stderr[-3000:]}")
        return done.stdout


def demo_logins() -> tuple[list[str], str]:
    """The usernames of `kunlu.accounts.demo.USERS` and `DEMO_PASSWORD`.

    The module imports models, so Django's app registry must be ready (pytest-django readies it; without
    the plugin this does). Nothing here opens a database.
    """
    from django.apps import apps

    if not apps.ready:
        import django

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kunlu.config.settings")
        os.environ.setdefault("KUNLU_DATA_DIR", str(REPO / "var" / "test" / "e2e"))
        django.setup()
    from kunlu.accounts import demo

    return [username for username, *_ in demo.USERS], demo.DEMO_PASSWORD


def has_chinese(text: str) -> bool:
    """Whether the text holds at least one CJK unified ideograph."""
    return bool(_CJK.search(text))


def is_local(url: str) -> bool:
    """Whether a request stays on this machine (the intranet has no internet)."""
    parts = urlsplit(url)
    if parts.scheme in INERT_SCHEMES:
        return True
    return parts.scheme in {"http", "https", "ws", "wss"} and parts.hostname in LOCAL_HOSTS


def is_static(url: str, resource_type: str) -> bool:
    return resource_type in STATIC_RESOURCE_TYPES or urlsplit(url).path.startswith("/static/")


@dataclass
class PageGuard:
    """Watches a browser context: every request, outside hosts, console errors, page errors, broken assets.

    Requests to outside hosts are recorded and aborted, so a test behaves as on the offline intranet.
    `assert_clean()` fails with everything seen since the last check; the `guard` fixture calls it once
    more when the test ends.
    """

    requests: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    allowed_console: list[re.Pattern[str]] = field(default_factory=list)

    def watch(self, context: BrowserContext) -> None:
        context.route(lambda url: not is_local(url), self._abort_outside)
        context.on("request", self._on_request)
        context.on("response", self._on_response)
        context.on("requestfailed", self._on_request_failed)
        context.on("console", self._on_console)
        context.on("weberror", lambda error: self.problems.append(f"page error: {error.error}"))

    def allow_console_error(self, pattern: str) -> None:
        """Accept console errors matching the pattern (e.g. the 429 Chromium logs for the lockout page)."""
        self.allowed_console.append(re.compile(pattern))

    def assert_clean(self, where: str = "") -> None:
        problems, self.problems = self.problems, []
        if problems:
            raise AssertionError(f"page guard ({where or 'page'}):\n  " + "\n  ".join(problems))

    def _abort_outside(self, route: Route) -> None:
        route.abort("blockedbyclient")

    def _on_request(self, request: Request) -> None:
        self.requests.append(f"{request.method} {request.url}")
        if not is_local(request.url):
            self.problems.append(f"outside request: {request.method} {request.url} ({request.resource_type})")

    def _on_response(self, response: Response) -> None:
        if response.status >= 400 and is_static(response.url, response.request.resource_type):
            self.problems.append(f"static asset {response.status}: {response.url}")

    def _on_request_failed(self, request: Request) -> None:
        # ERR_ABORTED is a load the page itself cancelled (it navigated away while the favicon was loading);
        # an asset refused for its content is reported on the console as well.
        if request.failure == "net::ERR_ABORTED":
            return
        if is_local(request.url) and is_static(request.url, request.resource_type):
            self.problems.append(f"static asset failed ({request.failure}): {request.url}")

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        if any(p.search(message.text) for p in self.allowed_console):
            return
        where = message.location.get("url", "") if message.location else ""
        self.problems.append(f"console error: {message.text} [{where}]")


def submit_login(page: Page, username: str, password: str) -> Response:
    """Fill the Chinese login form (用户名 / 密码), press 登录 and return the server's answer to the post."""
    page.goto("/login/")
    page.get_by_label("用户名", exact=True).fill(username)
    page.get_by_label("密码", exact=True).fill(password)
    with page.expect_response(
        lambda r: r.request.method == "POST" and urlsplit(r.url).path == "/login/"
    ) as posted:
        page.get_by_role("button", name="登录", exact=True).click()
    page.wait_for_load_state()
    return posted.value


def log_in(page: Page, username: str, password: str) -> None:
    """Log in through the form and land on the home page as that user."""
    submit_login(page, username, password)
    expect(page.get_by_test_id("current-user")).to_be_visible()
    assert urlsplit(page.url).path == "/", f"{username} landed on {page.url}, not the home page"


def assert_chinese_page(page: Page, where: str) -> None:
    """The page is served in Chinese: <html lang="zh-CN"> and a non-empty heading in Chinese."""
    assert page.locator("html").get_attribute("lang") == "zh-CN", f"{where}: html lang is not zh-CN"
    heading = page.locator("main h1").first.inner_text().strip()
    assert heading, f"{where}: empty heading"
    assert has_chinese(heading), f"{where}: heading {heading!r} holds no Chinese"


def screenshot(page: Page, name: str) -> Path:
    """Keep a full-page screenshot in test-artifacts/e2e/."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    return path
