"""Browser tests against a live Kunlu: `kunlu demo` on a fresh SQLite data dir, then `kunlu serve` (gunicorn,
debug off, WhiteNoise) and `kunlu worker` as subprocesses, driven by Debian's chromium through Playwright.

The tests talk to the live server only: nothing here uses the Django test database.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pytest
from e2e_helpers import ARTIFACTS, LOGIN_FAILURE_LIMIT, REPO, KunluServer, PageGuard, kunlu_command
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SERVER_START_SECONDS = 120
# Written into the data dir so that a later run may wipe it; a directory holding a Kunlu database without
# this mark is someone's real data and is never wiped.
E2E_MARK = ".kunlu-e2e"


def _fresh_data_dir() -> Path:
    path = Path(os.environ.get("KUNLU_DATA_DIR") or REPO / "var" / "test" / "e2e").resolve()
    if (path / "kunlu.sqlite3").exists() and not (path / E2E_MARK).exists():
        raise RuntimeError(f"{path} holds a Kunlu database the browser tests did not make; not wiping it")
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    (path / E2E_MARK).write_text("data dir of the browser tests (tests/e2e); wiped at every run\n")
    return path


def _server_env(data_dir: Path) -> dict[str, str]:
    """Production settings on SQLite in the data dir, whatever the caller's shell says."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KUNLU_")}
    env.update(
        KUNLU_DATA_DIR=str(data_dir),
        DATABASE_URL="",
        DJANGO_SETTINGS_MODULE="kunlu.config.settings",
        KUNLU_LOGIN_FAILURE_LIMIT=str(LOGIN_FAILURE_LIMIT),
        PYTHONUNBUFFERED="1",
    )
    return env


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _answers(port: int) -> bool:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        connection.request("GET", "/login/")
        return connection.getresponse().status == 200
    except OSError:
        return False
    finally:
        connection.close()


def _tail(path: Path, lines: int = 40) -> str:
    text = path.read_text(errors="replace") if path.exists() else ""
    return "\n".join(text.splitlines()[-lines:])


@dataclass
class _Process:
    name: str
    popen: subprocess.Popen[bytes]
    log_path: Path
    log: IO[bytes]

    def stop(self) -> None:
        """Stop the process and its children (gunicorn workers): TERM, then KILL after 15 s."""
        try:
            if self.popen.poll() is None:
                os.killpg(self.popen.pid, signal.SIGTERM)
                try:
                    self.popen.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(self.popen.pid, signal.SIGKILL)
                    self.popen.wait()
        except ProcessLookupError:
            pass
        finally:
            self.log.close()


def _start(name: str, args: list[str], env: dict[str, str]) -> _Process:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log_path = ARTIFACTS / f"{name}.log"
    log = log_path.open("wb")
    popen = subprocess.Popen(
        [str(kunlu_command()), *args],
        env=env,
        cwd=REPO,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, so stop() reaches the gunicorn workers too
    )
    return _Process(name, popen, log_path, log)


@pytest.fixture(scope="session", autouse=True)
def _fresh_artifacts() -> None:
    """test-artifacts/e2e/ holds this run's screenshots and logs only."""
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True)


@pytest.fixture(scope="session")
def kunlu_server(_fresh_artifacts: None) -> Iterator[KunluServer]:
    """Demo data on a fresh data dir, then the web server and the worker; both stopped at the end."""
    data_dir = _fresh_data_dir()
    port = _free_port()
    server = KunluServer(url=f"http://127.0.0.1:{port}", data_dir=data_dir, env=_server_env(data_dir))
    server.kunlu("demo")
    processes: list[_Process] = []
    try:
        processes.append(_start("server", ["serve", "--bind", f"127.0.0.1:{port}"], server.env))
        processes.append(_start("worker", ["worker"], server.env))
        deadline = time.monotonic() + SERVER_START_SECONDS
        while not _answers(port):
            for p in processes:
                if p.popen.poll() is not None:
                    code = p.popen.returncode
                    raise RuntimeError(f"kunlu {p.name} exited with {code}:\n{_tail(p.log_path)}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"kunlu serve did not answer in {SERVER_START_SECONDS} s")
            time.sleep(0.2)
        yield server
        for p in processes:
            assert p.popen.poll() is None, f"kunlu {p.name} died during the tests:\n{_tail(p.log_path)}"
            failed = "Traceback (most recent call last)" in p.log_path.read_text(errors="replace")
            assert not failed, f"kunlu {p.name} logged an exception: see {p.log_path}"
    finally:
        for p in reversed(processes):
            p.stop()


@pytest.fixture(scope="session")
def base_url(kunlu_server: KunluServer) -> str:
    return kunlu_server.url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Debian chromium for the whole session (never a downloaded browser)."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def context(browser: Browser, base_url: str) -> Iterator[BrowserContext]:
    """A fresh browser profile per test, set up like a zone office's PC: Chinese, Beijing time."""
    context = browser.new_context(
        base_url=base_url,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        viewport={"width": 1440, "height": 900},
        accept_downloads=True,
    )
    context.set_default_timeout(15_000)
    try:
        yield context
    finally:
        context.close()


@pytest.fixture
def guard(context: BrowserContext) -> Iterator[PageGuard]:
    """The page guard on the test's context; whatever it saw and the test did not check fails at the end."""
    guard = PageGuard()
    guard.watch(context)
    yield guard
    guard.assert_clean("end of test")


_FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Remember whether the test itself failed, for the `page` fixture's screenshot."""
    report = yield
    if report.when == "call":
        item.stash[_FAILED] = report.failed
    return report


@pytest.fixture
def page(context: BrowserContext, guard: PageGuard, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A page of the guarded context; on failure its screenshot is kept in test-artifacts/e2e/."""
    page = context.new_page()
    yield page
    if request.node.stash.get(_FAILED, False):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.name)
        page.screenshot(path=ARTIFACTS / f"failed-{name}.png", full_page=True)
