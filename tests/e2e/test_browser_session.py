"""In a real browser: sign in, a refresh keeps the session (HttpOnly cookie), sign-out ends it,
a wrong password is refused, and the language switch changes the page and survives a refresh."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from dashboard.auth_routes import SIGN_OUT_PATH
from tests.e2e.conftest import signed_in
from tests.e2e.server import server_answers, settle, sign_in


def test_refresh_keeps_the_session_and_sign_out_ends_it(server_url: str, browser: Any) -> None:
    context, page = signed_in(browser, server_url, "committee", viewport={"width": 1280, "height": 900})
    assert page.get_by_text("管委会成员").count() == 1
    cookie = next(c for c in context.cookies() if c["name"] == "park_safety_session")
    assert cookie["httpOnly"] is True
    assert cookie["sameSite"] == "Strict"
    assert page.evaluate("document.cookie").find("park_safety_session") == -1  # not readable by scripts

    page.reload()
    settle(page)
    expect(page.get_by_text("管委会成员")).to_have_count(1)
    assert page.locator("input[type='password']").count() == 0

    with server_answers(page, SIGN_OUT_PATH):  # the page clears the cookie with a request of its own, after the run
        page.get_by_role("button", name="退出登录").click()
        expect(page.locator("input[type='password']")).to_have_count(1)
    settle(page)
    assert all(c["name"] != "park_safety_session" for c in context.cookies())
    page.reload()
    settle(page)
    expect(page.locator("input[type='password']")).to_have_count(1)
    context.close()


def test_a_wrong_password_is_refused_in_the_browser(server_url: str, browser: Any) -> None:
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, server_url, "finance", "wrong-password")
    expect(page.get_by_text("用户名或密码错误。")).to_have_count(1)
    assert all(c["name"] != "park_safety_session" for c in context.cookies())
    context.close()


def test_the_language_switch_changes_the_page_and_survives_a_refresh(server_url: str, browser: Any) -> None:
    context, page = signed_in(browser, server_url, "staff")
    page.get_by_text("English", exact=True).click()
    expect(page.get_by_role("button", name="Sign out")).to_have_count(1)
    settle(page)
    page.reload()
    settle(page)
    expect(page.get_by_role("button", name="Sign out")).to_have_count(1)
    context.close()
