"""The sign-in gate and the navigation per role, through AppTest."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest import APP, TIMEOUT, open_app, texts


def _sign_in(username: str, password: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    at.text_input[0].input(username)
    at.text_input[1].input(password)
    at.button[0].click().run()
    return at


def test_the_app_asks_for_a_password_first(demo_app_url: str) -> None:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    assert not at.exception
    assert [field.label for field in at.text_input] == ["用户名", "密码"]
    assert "总览" not in texts(at)


def test_a_wrong_password_is_refused_with_a_generic_message(demo_app_url: str) -> None:
    at = _sign_in("committee", "not-the-password")
    assert [e.value for e in at.error] == ["用户名或密码错误。"]
    unknown = _sign_in("nobody", "park-demo")
    assert [e.value for e in unknown.error] == ["用户名或密码错误。"]
    assert len(unknown.text_input) == 2


def test_the_right_password_signs_in_and_sign_out_ends_it(demo_app_url: str) -> None:
    at = _sign_in("staff", "park-demo")
    assert not at.exception
    assert not at.text_input  # the form is gone
    assert "工作人员" in "\n".join(str(t.value) for t in at.sidebar.text)
    at.sidebar.button(key="sign_out").click().run()
    assert [field.label for field in at.text_input] == ["用户名", "密码"]
    assert "您已退出登录。" in [s.value for s in at.success]


@pytest.mark.parametrize(("username", "allowed", "refused"), [
    ("staff", ["overview", "risk_map", "heatmaps", "scorecards", "records"],
     ["loans", "briefing", "audit", "settings"]),
    ("finance", ["overview", "risk_map", "heatmaps", "scorecards", "loans"],
     ["briefing", "records", "audit", "settings"]),
    ("committee", ["overview", "risk_map", "heatmaps", "scorecards", "loans", "briefing", "audit"],
     ["records", "settings"]),
    ("admin", ["overview", "risk_map", "heatmaps", "scorecards", "loans", "briefing", "records", "audit",
               "settings"], []),
])
def test_each_role_sees_its_pages(demo_app_url: str, username: str, allowed: list[str], refused: list[str]) -> None:
    from dashboard.navigation import PAGES
    from models.enums import Role

    roles = {"staff": Role.staff, "finance": Role.finance, "committee": Role.committee, "admin": Role.admin}
    assert [p.key for p in PAGES if roles[username] in p.roles] == allowed
    at = open_app(username)
    for page in refused:  # not registered in this role's navigation, so not reachable by URL either
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(f"../pages/{page}.py")
