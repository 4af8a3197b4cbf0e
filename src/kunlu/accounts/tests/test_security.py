"""The foundation's security points, exercised through real requests.

Login lockout, idle session timeout, CSRF, the content security policy (headers and templates), the
security headers, and bounded request bodies. Password rules are in test_passwords.py; settings under
production environments (check --deploy, secret key, cookies) in kunlu/core/tests/test_settings.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from unittest import mock

import pytest
from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.test import Client
from django.urls import path

from kunlu.accounts import middleware
from kunlu.core.models import Territory
from kunlu.core.testing import PASSWORD, World, client_for

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

LOCKED_TEXT = "登录失败次数过多，该账户已被暂时锁定"
IDLE_TEXT = "长时间未操作，已自动退出，请重新登录"


def _login(client: Client, username: str, password: str, **extra: Any) -> Response:
    return client.post("/login/", {"username": username, "password": password}, **extra)


def _logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


# -- login lockout (django-axes) -------------------------------------------------------------------


@pytest.fixture
def lockout(world: World) -> Iterator[World]:
    """The world with no failed attempts on record, before and after the test (axes' own reset)."""
    axes_reset()
    yield world
    axes_reset()


def _fail(username: str, times: int) -> list[Response]:
    return [_login(Client(), username, "Wrong#Pass2025") for _ in range(times)]


def test_four_failures_then_the_right_password_logs_in(lockout: World) -> None:
    failures = _fail("analyst_a", 4)
    assert [r.status_code for r in failures] == [200] * 4
    assert all("accounts/login.html" in [t.name for t in r.templates] for r in failures)
    client = Client()
    response = _login(client, "analyst_a", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert _logged_in(client)


def test_fifth_failure_locks_the_account_with_the_lockout_page(lockout: World) -> None:
    *_, fifth = _fail("analyst_a", 5)
    assert fifth.status_code == 429
    assert "accounts/locked_out.html" in [t.name for t in fifth.templates]
    assert LOCKED_TEXT in fifth.content.decode()


def test_locked_account_refuses_the_right_password(lockout: World) -> None:
    _fail("analyst_a", 5)
    client = Client()
    response = _login(client, "analyst_a", PASSWORD)
    assert response.status_code == 429
    assert LOCKED_TEXT in response.content.decode()
    assert not _logged_in(client)
    assert client.get("/").status_code == 302


def test_lockout_is_by_account_not_by_address(lockout: World) -> None:
    """Locked from one address, the account stays locked from another (many users share one proxy)."""
    for _ in range(5):
        _login(Client(), "analyst_a", "Wrong#Pass2025", REMOTE_ADDR="10.0.0.1")
    response = _login(Client(), "analyst_a", PASSWORD, REMOTE_ADDR="10.0.0.2")
    assert response.status_code == 429


@pytest.mark.parametrize("variant", [" analyst_a", "analyst_a ", "ａｎａｌｙｓｔ_ａ"])
def test_lockout_is_not_dodged_by_spelling_the_username_differently(lockout: World, variant: str) -> None:
    """The login form strips and NFKC-normalises the username; the lock must follow the same account."""
    _fail("analyst_a", 5)
    client = Client()
    response = _login(client, variant, PASSWORD)
    assert response.status_code == 429
    assert not _logged_in(client)


def test_lockout_of_one_user_leaves_another_alone(lockout: World) -> None:
    _fail("analyst_a", 5)
    client = Client()
    response = _login(client, "analyst_b", PASSWORD)
    assert response.status_code == 302
    assert _logged_in(client)


def test_a_successful_login_clears_earlier_failures(lockout: World) -> None:
    _fail("analyst_a", 4)
    assert _login(Client(), "analyst_a", PASSWORD).status_code == 302
    _fail("analyst_a", 4)
    client = Client()
    assert _login(client, "analyst_a", PASSWORD).status_code == 302
    assert _logged_in(client)


def _age_failures(minutes: int) -> None:
    """Move the recorded failures back in time, as if the minutes had passed."""
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=minutes))


def test_the_lock_lifts_thirty_minutes_after_the_last_attempt(lockout: World) -> None:
    """The lockout page promises 30 minutes (AXES_COOLOFF_TIME); an attempt while locked restarts them."""
    _fail("analyst_a", 5)
    _age_failures(29)
    assert _login(Client(), "analyst_a", PASSWORD).status_code == 429  # counts as one more failure
    _age_failures(2)
    assert _login(Client(), "analyst_a", PASSWORD).status_code == 429
    _age_failures(31)
    client = Client()
    assert _login(client, "analyst_a", PASSWORD).status_code == 302
    assert _logged_in(client)


# -- idle session timeout --------------------------------------------------------------------------


class _Clock:
    """Stands in for the `time` module inside the middleware: a clock the test moves by hand."""

    def __init__(self, now: float = 1_750_000_000.0) -> None:
        self.now = now

    def time(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Iterator[_Clock]:
    fake = _Clock()
    with mock.patch.object(middleware, "time", fake):
        yield fake


def test_request_within_the_idle_window_keeps_the_session(world: World, clock: _Clock) -> None:
    client = client_for(world.analyst_a)
    assert client.get("/").status_code == 200
    clock.now += settings.SESSION_IDLE_SECONDS - 60
    assert client.get("/").status_code == 200
    assert _logged_in(client)


def test_each_request_restarts_the_idle_window(world: World, clock: _Clock) -> None:
    client = client_for(world.analyst_a)
    client.get("/")
    for _ in range(3):  # longer than the window in all, never the window without a request
        clock.now += settings.SESSION_IDLE_SECONDS * 0.8
        assert client.get("/").status_code == 200
    assert _logged_in(client)


def test_request_after_the_idle_window_logs_out_and_goes_to_login(world: World, clock: _Clock) -> None:
    client = client_for(world.analyst_a)
    assert client.get("/").status_code == 200
    clock.now += settings.SESSION_IDLE_SECONDS + 1
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
    assert not _logged_in(client)
    login_page = client.get(response["Location"])
    assert login_page.status_code == 200
    assert IDLE_TEXT in login_page.content.decode()
    clock.now += 1
    assert client.get("/").status_code == 302  # the session is gone, not just this one request


def test_idle_timeout_is_configurable(world: World, clock: _Clock, settings: pytest.FixtureRequest) -> None:
    settings.SESSION_IDLE_SECONDS = 60  # type: ignore[attr-defined]
    client = client_for(world.analyst_a)
    client.get("/")
    clock.now += 59
    assert client.get("/").status_code == 200
    clock.now += 61
    assert client.get("/").status_code == 302
    assert not _logged_in(client)


# -- CSRF -----------------------------------------------------------------------------------------


def test_login_post_without_csrf_token_is_refused(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    response = _login(client, "analyst_a", PASSWORD)
    assert response.status_code == 403
    assert not _logged_in(client)


def test_login_post_with_csrf_token_is_accepted(world: World) -> None:
    """The refusal above is the token's doing: the same post carrying the token logs in."""
    client = Client(enforce_csrf_checks=True)
    client.get("/login/")
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    response = client.post(
        "/login/", {"username": "analyst_a", "password": PASSWORD, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    assert _logged_in(client)


def test_form_post_without_csrf_token_is_refused_and_writes_nothing(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.admin)
    data = {"code": "ZX", "name": "跨站开发区", "kind": "zone", "parent": world.city.pk, "sort_order": 0}
    response = client.post("/territories/add/", data)
    assert response.status_code == 403
    assert not Territory.objects.filter(code="ZX").exists()


def test_api_post_with_session_but_without_csrf_token_is_refused(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.admin)
    data = {"code": "ZY", "name": "跨站开发区", "kind": "zone", "parent": world.city.pk, "sort_order": 0}
    response = client.post("/api/territories/", data, content_type="application/json")
    assert response.status_code == 403
    assert not Territory.objects.filter(code="ZY").exists()


# -- content security policy -------------------------------------------------------------------------

PAGES = [
    "/login/",
    "/",
    "/territories/",
    "/territories/add/",
    "/core/audit/",
    "/api/territories/",
    "/api/docs/",
    "/admin/",
    "/nope/",
]


def _policy(response: Response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy")
    assert header, f"no Content-Security-Policy on {response.wsgi_request.path}"
    directives = [part.split() for part in header.split(";") if part.strip()]
    return {name: values for name, *values in directives}


@pytest.mark.parametrize("url", PAGES)
def test_every_response_carries_a_strict_policy(world: World, url: str) -> None:
    policy = _policy(client_for(world.admin).get(url))
    scripts = policy["script-src"]
    assert "'self'" in scripts
    # Nothing but our own files and, when a page uses one, this response's nonce.
    assert [s for s in scripts if s != "'self'" and not s.startswith("'nonce-")] == []
    assert policy["default-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert not {"'unsafe-inline'", "'unsafe-eval'", "*"} & {v for values in policy.values() for v in values}


def _nonce_page(request: HttpRequest) -> HttpResponse:
    """A page with an inline script that carries the nonce, the one way an inline script may run."""
    template = engines["django"].from_string(
        '<script nonce="{{ request.csp_nonce }}">window.kunlu = 1;</script>'
    )
    return HttpResponse(template.render({}, request))


urlpatterns = [path("nonce/", _nonce_page)]


@pytest.mark.urls(__name__)
def test_nonce_in_policy_matches_the_page_and_changes_per_response() -> None:
    client = Client()
    nonces = []
    for _ in range(2):
        response = client.get("/nonce/")
        (page_nonce,) = re.findall(r'nonce="([^"]+)"', response.content.decode())
        assert f"'nonce-{page_nonce}'" in _policy(response)["script-src"]
        assert len(page_nonce) >= 16
        nonces.append(page_nonce)
    assert nonces[0] != nonces[1]


PACKAGE = Path(__file__).resolve().parents[2]
TAG = re.compile(
    r"<(?P<name>[a-zA-Z][\w:-]*)(?P<attrs>(?:\{\{.*?\}\}|\{%.*?%\}|\"[^\"]*\"|'[^']*'|[^>\"'])*)>", re.S
)
QUOTED = re.compile(r"\"[^\"]*\"|'[^']*'")
HANDLER = re.compile(r"(?:^|\s)(on[a-z]+|hx-on[\w:.-]*|style)\s*=", re.I)
NONCE_ATTR = re.compile(r"""nonce\s*=\s*["']\{\{\s*(request\.csp_nonce|CSP_NONCE)\s*\}\}["']""")
COMMENT = re.compile(r"\{#.*?#\}|\{%\s*comment\b.*?%\}.*?\{%\s*endcomment\s*%\}|<!--.*?-->", re.S)


def csp_violations(text: str, name: str) -> list[str]:
    """What in one template the policy would block: inline scripts without nonce, inline handlers, styles."""
    # Comments reach no browser (or none that runs them); blank them out, keeping the line numbers.
    text = COMMENT.sub(lambda m: "\n" * m[0].count("\n"), text)
    found = []
    for match in TAG.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        tag, attrs = match["name"].lower(), match["attrs"]
        bare = QUOTED.sub('""', attrs)
        if tag == "script" and not re.search(r"(?:^|\s)src\s*=", bare) and not NONCE_ATTR.search(attrs):
            found.append(f"{name}:{line}: inline <script> without src or nonce")
        if tag == "style":
            found.append(f"{name}:{line}: inline <style> element")
        for attribute in HANDLER.findall(bare):
            found.append(f"{name}:{line}: {attribute}= attribute on <{tag}>")
        if re.search(r"""=\s*["']\s*javascript:""", attrs, re.I):
            found.append(f"{name}:{line}: javascript: URL on <{tag}>")
    return found


def _templates() -> list[Path]:
    dirs = [PACKAGE / "templates", *PACKAGE.glob("*/templates")]
    return sorted(
        p for d in dirs for p in d.rglob("*") if p.is_file() and p.suffix in {".html", ".txt", ".xml"}
    )


def test_scanner_finds_what_the_policy_blocks() -> None:
    sample = "\n".join(
        [
            "<script src=\"{% static 'a.js' %}\" defer></script>",
            '<script nonce="{{ request.csp_nonce }}">ok()</script>',
            "<script>bad()</script>",
            '<button class="btn"\n  onclick="bad()">x</button>',
            '<div style="color: red" data-x="onclick=fine">',
            '<a href="javascript:bad()">x</a>',
            '<div hx-on:click="bad()"></div>',
            "<style>p { color: red }</style>",
            '<p title="{% if a > b %}x{% endif %}" onload="bad()">',
            "{# an inline <style> in a comment #}<!-- <script>x()</script>",
            '-->{% comment "why" %}<p style="x">{% endcomment %}<b onclick="bad()">',
        ]
    )
    assert csp_violations(sample, "t.html") == [
        "t.html:3: inline <script> without src or nonce",
        "t.html:4: onclick= attribute on <button>",
        "t.html:6: style= attribute on <div>",
        "t.html:7: javascript: URL on <a>",
        "t.html:8: hx-on:click= attribute on <div>",
        "t.html:9: inline <style> element",
        "t.html:10: onload= attribute on <p>",
        "t.html:12: onclick= attribute on <b>",
    ]


def test_templates_hold_nothing_the_policy_would_block() -> None:
    templates = _templates()
    assert PACKAGE / "templates" / "base.html" in templates
    found = [v for p in templates for v in csp_violations(p.read_text(), str(p.relative_to(PACKAGE)))]
    assert found == [], "\n".join(found)


# -- security headers --------------------------------------------------------------------------------


@pytest.mark.parametrize("url", PAGES)
def test_security_headers_on_every_response(world: World, url: str) -> None:
    response = client_for(world.analyst_a).get(url)
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_security_headers_on_the_lockout_page(lockout: World) -> None:
    *_, locked = _fail("analyst_a", 5)
    assert locked.status_code == 429
    assert locked["X-Frame-Options"] == "DENY"
    assert locked["X-Content-Type-Options"] == "nosniff"
    assert locked["Referrer-Policy"] == "same-origin"
    assert "Content-Security-Policy" in locked


# -- bounded request bodies --------------------------------------------------------------------------


def test_upload_bounds_are_set() -> None:
    assert 0 < settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 10 * 1024 * 1024
    assert 0 < settings.KUNLU_UPLOAD_MAX_BYTES <= 100 * 1024 * 1024
    assert 0 < settings.DATA_UPLOAD_MAX_NUMBER_FIELDS <= 10_000


def _form_body(size: int) -> str:
    head = "username=analyst_a&password=x&filler="
    return head + "x" * (size - len(head))


def test_form_post_over_the_memory_limit_is_refused(world: World) -> None:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    form = "application/x-www-form-urlencoded"
    assert Client().post("/login/", _form_body(limit), content_type=form).status_code == 200
    assert Client().post("/login/", _form_body(limit + 1), content_type=form).status_code == 400


def test_form_post_with_too_many_fields_is_refused(world: World) -> None:
    fields = "&".join(f"f{i}=1" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
    response = Client().post("/login/", fields, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400


def _upload(size: int) -> Response:
    upload = SimpleUploadedFile("big.xlsx", b"\0" * size)
    return Client().post("/login/", {"username": "analyst_a", "password": "x", "file": upload})


def test_file_upload_over_the_upload_limit_is_refused(world: World, settings: pytest.FixtureRequest) -> None:
    """Files are not counted by DATA_UPLOAD_MAX_MEMORY_SIZE; KUNLU_UPLOAD_MAX_BYTES must bound them,
    on every url and before anything reads the body (an anonymous post could otherwise fill the disk)."""
    settings.KUNLU_UPLOAD_MAX_BYTES = 64 * 1024  # type: ignore[attr-defined]
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 4 * 1024  # type: ignore[attr-defined]
    assert _upload(60 * 1024).status_code == 200
    refused = _upload(80 * 1024)
    assert refused.status_code == 413
    assert "上传" in refused.content.decode()
