"""In a real browser: sign in, a refresh keeps the session (HttpOnly cookie), sign-out ends it,
a wrong password is refused, and the language switch changes the page and survives a refresh."""

from __future__ import annotations

from typing import Any

from tests.e2e.conftest import IDLE


def _settle(page: Any) -> None:
    page.wait_for_selector(IDLE, timeout=60_000)
    page.wait_for_timeout(500)
    page.wait_for_selector(IDLE, timeout=60_000)


def _sign_in(page: Any, url: str, username: str, password: str) -> None:
    page.goto(url)
    _settle(page)
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_timeout(1000)
    _settle(page)


def test_refresh_keeps_the_session_and_sign_out_ends_it(server_url: str, browser: Any) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    _sign_in(page, server_url, "committee", "park-demo")
    assert page.get_by_text("管委会成员").count() == 1
    cookie = next(c for c in context.cookies() if c["name"] == "park_safety_session")
    assert cookie["httpOnly"] is True
    assert cookie["sameSite"] == "Strict"
    assert page.evaluate("document.cookie").find("park_safety_session") == -1  # not readable by scripts

    page.reload()
    _settle(page)
    assert page.locator("input[type='password']").count() == 0
    assert page.get_by_text("管委会成员").count() == 1

    page.get_by_role("button", name="退出登录").click()
    page.wait_for_timeout(1000)
    _settle(page)
    assert page.locator("input[type='password']").count() == 1
    assert all(c["name"] != "park_safety_session" for c in context.cookies())
    page.reload()
    _settle(page)
    assert page.locator("input[type='password']").count() == 1
    context.close()


def test_a_wrong_password_is_refused_in_the_browser(server_url: str, browser: Any) -> None:
    context = browser.new_context()
    page = context.new_page()
    _sign_in(page, server_url, "finance", "wrong-password")
    assert page.get_by_text("用户名或密码错误。").count() == 1
    assert all(c["name"] != "park_safety_session" for c in context.cookies())
    context.close()


def test_the_language_switch_changes_the_page_and_survives_a_refresh(server_url: str, browser: Any) -> None:
    context = browser.new_context()
    page = context.new_page()
    _sign_in(page, server_url, "staff", "park-demo")
    page.get_by_text("English", exact=True).click()
    _settle(page)
    assert page.get_by_role("button", name="Sign out").count() == 1
    page.reload()
    _settle(page)
    assert page.get_by_role("button", name="Sign out").count() == 1
    context.close()
