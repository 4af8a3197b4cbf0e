"""Logging in: a wrong password is refused in Chinese; repeated failures lock the account (django-axes)."""

from __future__ import annotations

import pytest
from e2e_helpers import (
    LOGIN_FAILURE_LIMIT,
    KunluServer,
    PageGuard,
    demo_logins,
    has_chinese,
    log_in,
    screenshot,
    submit_login,
)
from playwright.sync_api import Page, expect

_, PASSWORD = demo_logins()
# Accounts of their own, so that failures and the lockout never touch the demo users of other tests.
WRONG_PASSWORD_USER = "e2e_wrong_password"
LOCKOUT_USER = "e2e_lockout"
LOCKED_TEXT = "已被暂时锁定"

_CREATE_USERS = """
from kunlu.accounts.models import User
from kunlu.accounts.services import user_create
for username in {usernames!r}:
    if not User.objects.filter(username=username).exists():
        user_create(data={{"username": username, "full_name": "浏览器测试用户", "password": {password!r}}},
                    actor=None)
"""


@pytest.fixture(scope="module")
def test_accounts(kunlu_server: KunluServer) -> None:
    """Create the two accounts through the account service, on the live server's database."""
    code = _CREATE_USERS.format(usernames=[WRONG_PASSWORD_USER, LOCKOUT_USER], password=PASSWORD)
    kunlu_server.kunlu("manage", "shell", "-c", code)


@pytest.mark.usefixtures("test_accounts")
def test_wrong_password_is_refused_in_chinese(page: Page, guard: PageGuard) -> None:
    response = submit_login(page, WRONG_PASSWORD_USER, PASSWORD + "x")
    assert response.status == 200, f"a wrong password answered HTTP {response.status}"
    error = page.get_by_test_id("login-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("用户名或密码不正确")
    assert has_chinese(error.inner_text())
    expect(page.get_by_label("用户名", exact=True)).to_have_value(WRONG_PASSWORD_USER)
    expect(page.get_by_label("密码", exact=True)).to_have_value("")
    expect(page.get_by_test_id("current-user")).to_have_count(0)
    guard.assert_clean("wrong password")

    # One failure is far from the limit: the right password still opens the account.
    log_in(page, WRONG_PASSWORD_USER, PASSWORD)
    guard.assert_clean("right password after one failure")


@pytest.mark.usefixtures("test_accounts")
def test_repeated_failures_lock_the_account(page: Page, guard: PageGuard) -> None:
    # Chromium logs the lockout page's HTTP status (429) as a console error; that one is expected here.
    guard.allow_console_error(r"status of 429")
    for attempt in range(1, LOGIN_FAILURE_LIMIT):
        submit_login(page, LOCKOUT_USER, f"wrong-{attempt}")
        expect(page.get_by_test_id("login-error")).to_be_visible()
        expect(page.get_by_test_id("locked-out")).to_have_count(0)

    response = submit_login(page, LOCKOUT_USER, f"wrong-{LOGIN_FAILURE_LIMIT}")
    assert response.status == 429, f"the failure that reaches the limit answered HTTP {response.status}"
    expect(page.get_by_test_id("locked-out")).to_contain_text(LOCKED_TEXT)
    assert page.locator("html").get_attribute("lang") == "zh-CN"

    # While locked, the right password is refused too, and no session is opened.
    response = submit_login(page, LOCKOUT_USER, PASSWORD)
    assert response.status == 429, f"the right password while locked answered HTTP {response.status}"
    expect(page.get_by_test_id("locked-out")).to_contain_text(LOCKED_TEXT)
    expect(page.get_by_test_id("current-user")).to_have_count(0)
    screenshot(page, "login-locked-out")
    page.goto("/")
    assert page.url.split("?")[0].endswith("/login/"), f"a locked account reached {page.url}"
    guard.assert_clean("lockout")
