"""The Settings page on the demo park, on each database: what an administrator sees; a weight pair saved
from the page changes the scorecards; a change that breaks a sum shows the field's message and writes
nothing; the last administrator is protected from the page too; committee cannot reach the page;
the backup is a working copy of the database (SQLite) or a note to use pg_dump (PostgreSQL)."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from dashboard.db import make_engine
from dashboard.services.evaluation import evaluate_all, evaluate_enterprise
from dashboard.services.rule_settings import effective_rules
from dashboard.settings import RuleSettings
from models.enums import Role
from tests.apptest import download, open_app, texts


def _scalar(url: str, sql: str) -> object:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(text(sql)).scalar_one()
    finally:
        engine.dispose()


def _writes(url: str) -> tuple[object, object, object]:
    return (_scalar(url, "SELECT count(*) FROM rule_setting"),
            _scalar(url, "SELECT count(*) FROM audit_log WHERE entity IN ('rule_setting', 'app_user') "
                         "AND action NOT IN ('sign_in', 'sign_out', 'sign_in_refused')"),
            _scalar(url, "SELECT revision FROM data_revision WHERE id = 1"))


def _submit(at: AppTest, form: str, label: str) -> AppTest:
    [button] = [b for b in at.button if b.form_id == form and b.label == label]
    return button.click().run()


def test_admin_sees_users_rules_with_defaults_and_backup(demo_app_url: str) -> None:
    at = open_app("admin", page="settings")
    assert not at.exception
    shown = texts(at)
    assert "系统设置" in shown
    assert [tab.label for tab in at.tabs] == ["用户管理", "规则阈值与权重", "数据备份"]
    users = at.dataframe[0].value
    assert list(users["username"]) == ["admin", "committee", "finance", "staff"]
    assert set(users["role"]) == {"系统管理员", "管委会成员", "金融联络员", "工作人员"}
    # every rule setting has an input holding the value in force, its default beside it
    rules = RuleSettings()
    for name in RuleSettings.model_fields:
        widget = at.multiselect(key=f"settings.rule.{name}") if name.endswith("_industries") \
            else at.toggle(key=f"settings.rule.{name}") if isinstance(getattr(rules, name), bool) \
            else at.number_input(key=f"settings.rule.{name}")
        current = widget.value
        assert (list(current) if isinstance(current, list) else current) == (
            list(getattr(rules, name)) if isinstance(getattr(rules, name), tuple) else getattr(rules, name)), name
    assert "评分卡:六个评分项满分" in [e.label for e in at.expander]
    assert "隐患排查治理" in shown and "35 分" in shown and "180 天" in shown
    assert "每条已过整改时限仍未整改完成的一般隐患扣分" in shown  # a field's description, in Chinese
    assert "Asia" not in shown and "None" not in shown


def test_admin_sees_the_page_in_english(demo_app_url: str) -> None:
    at = open_app("admin", page="settings", language="en")
    assert not at.exception
    shown = texts(at)
    assert "Scorecard: full marks of the six components" in [e.label for e in at.expander]
    assert "Overdue general hazard" in shown and "per general hazard past its deadline and not rectified" in shown
    assert "Hazardous chemicals" in shown  # an industry list's default, named
    # only the term 四不放过 and the admin's own (Chinese) display name, in the sidebar, are Chinese
    rest = shown.replace("四不放过", "").replace("系统管理员", "")
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in rest), "Chinese on the English page"


def test_a_switch_is_turned_off_and_on_on_the_page(fresh_park: str) -> None:
    """verify_needs_photo is a switch (not a number to type 1 or 0 into): its default reads "On", and turning it off
    and saving is what the verification then obeys."""
    at = open_app("admin", page="settings", language="en")
    switch = at.toggle(key="settings.rule.verify_needs_photo")
    assert switch.value is True
    assert "A major hazard is verified only with a rectification photo" in texts(at)
    assert "1 = on" not in texts(at)
    switch.set_value(False)
    _submit(at, "settings_rules_verification", "Save")
    assert not at.exception and not at.error
    assert any("Saved: A major hazard is verified only with a rectification photo" in str(s.value)
               for s in at.success)
    assert at.toggle(key="settings.rule.verify_needs_photo").value is False
    engine = make_engine(fresh_park)
    try:
        with Session(engine) as session:
            assert effective_rules(session).verify_needs_photo is False
    finally:
        engine.dispose()
    at.toggle(key="settings.rule.verify_needs_photo").set_value(True)
    _submit(at, "settings_rules_verification", "Save")
    assert at.toggle(key="settings.rule.verify_needs_photo").value is True


def test_a_weight_pair_saved_on_the_page_changes_the_scorecards(fresh_park: str, today: date) -> None:
    engine = make_engine(fresh_park)
    with Session(engine) as session:
        before = {e.enterprise_id: e.scorecard for e in evaluate_all(session, today, effective_rules(session))}
    revision = _writes(fresh_park)[2]

    at = open_app("admin", page="settings", language="en")
    at.number_input(key="settings.rule.hazards_max").set_value(25.0)
    at.number_input(key="settings.rule.accidents_max").set_value(35.0)
    _submit(at, "settings_rules_weights", "Save")
    assert not at.exception
    assert not at.error
    assert any("Saved: Hidden hazards, Accidents" in str(s.value) for s in at.success)
    assert at.number_input(key="settings.rule.hazards_max").value == 25.0
    assert "changed by admin" in texts(at)

    with Session(engine) as session:
        rules = effective_rules(session)
        assert (rules.hazards_max, rules.accidents_max) == (25, 35)
        after = {e.enterprise_id: e.scorecard for e in evaluate_all(session, today, rules)}
        # one enterprise in detail: each component is its new maximum less what it loses, never below 0
        chosen = max(before, key=lambda i: before[i].lost("hazards"))
        detail = evaluate_enterprise(session, chosen, today, rules).scorecard
    assert detail.components == after[chosen].components
    assert before[chosen].lost("hazards") > 0
    assert after[chosen].components["hazards"] == max(0.0, 25 - before[chosen].lost("hazards"))
    assert after[chosen].score == pytest.approx(sum(after[chosen].components.values()))
    unharmed = [i for i, card in before.items() if card.lost("accidents") == 0]
    assert unharmed and all(after[i].components["accidents"] == 35 for i in unharmed)
    assert any(after[i].score != before[i].score for i in before), "no enterprise's score moved"
    assert _writes(fresh_park)[2] == int(revision) + 1  # type: ignore[call-overload]

    # restoring the group's defaults from the page puts everything back
    _submit(at, "settings_rules_weights", "Restore the defaults of this group")
    assert not at.exception and not at.error
    assert any("Defaults restored" in str(s.value) for s in at.success)
    assert at.number_input(key="settings.rule.hazards_max").value == 35.0
    assert _writes(fresh_park)[0] == 0
    engine.dispose()


def test_an_invalid_change_shows_the_fields_message_and_writes_nothing(demo_app_url: str) -> None:
    before = _writes(demo_app_url)
    at = open_app("admin", page="settings")
    at.number_input(key="settings.rule.hazards_max").set_value(30.0)
    _submit(at, "settings_rules_weights", "保存")
    assert not at.exception
    errors = [str(e.value) for e in at.error]
    assert "未保存任何内容。请更正下方标出的取值后重新保存。" in errors
    assert "六个评分项满分之和必须为 100;隐患排查治理为 30 时合计为 95。" in errors
    assert not at.success
    assert at.number_input(key="settings.rule.hazards_max").value == 30.0  # what was typed stays
    assert _writes(demo_app_url) == before


def test_a_grade_order_problem_names_both_fields_in_english(demo_app_url: str) -> None:
    before = _writes(demo_app_url)
    at = open_app("admin", page="settings", language="en")
    at.number_input(key="settings.rule.grade_b_min").set_value(95.0)
    _submit(at, "settings_rules_grades", "Save")
    assert "Grade B from (95) must not be more than grade A from (90)." in [str(e.value) for e in at.error]
    assert _writes(demo_app_url) == before


def test_the_last_admin_cannot_be_demoted_or_deactivated_from_the_page(demo_app_url: str) -> None:
    before = _writes(demo_app_url)
    at = open_app("admin", page="settings")
    assert at.selectbox(key="settings.manage.user").value is not None
    admin_id = int(_scalar(demo_app_url, "SELECT id FROM app_user WHERE username = 'admin'"))  # type: ignore[call-overload]
    at.selectbox(key="settings.manage.user").set_value(admin_id).run()
    at.selectbox(key=f"settings.role.{admin_id}").set_value(Role.staff)
    _submit(at, "settings_change_role", "修改角色")
    assert not at.exception
    assert any("账号 admin 是最后一名在用的系统管理员" in str(e.value) for e in at.error)
    at.button(key="settings.deactivate").click().run()
    assert any("不能停用自己的账号" in str(e.value) for e in at.error)
    assert _writes(demo_app_url) == before
    assert _scalar(demo_app_url, "SELECT role FROM app_user WHERE username = 'admin'") == "admin"


def test_adding_a_user_checks_the_password_twice(demo_app_url: str) -> None:
    before = _writes(demo_app_url)
    at = open_app("admin", page="settings", language="en")
    at.text_input(key="settings.add.username").set_value("zhao")
    at.text_input(key="settings.add.display_name").set_value("赵敏")
    at.text_input(key="settings.add.password").set_value("long-enough-1")
    at.text_input(key="settings.add.again").set_value("long-enough-2")
    _submit(at, "settings_add_user", "Add user")
    assert "The two passwords differ; type the same password twice." in [str(e.value) for e in at.error]
    at.text_input(key="settings.add.again").set_value("long-enough-1")
    at.text_input(key="settings.add.username").set_value("zhao min")
    _submit(at, "settings_add_user", "Add user")
    assert any("may contain only letters" in str(e.value) for e in at.error)
    assert at.text_input(key="settings.add.display_name").value == "赵敏"
    assert _writes(demo_app_url) == before


def test_adding_deactivating_and_resetting_a_user_from_the_page(fresh_park: str) -> None:
    at = open_app("admin", page="settings", language="en")
    at.text_input(key="settings.add.username").set_value("zhao")
    at.text_input(key="settings.add.display_name").set_value("Zhao Min")
    at.selectbox(key="settings.add.role").set_value(Role.committee)
    at.text_input(key="settings.add.password").set_value("long-enough-1")
    at.text_input(key="settings.add.again").set_value("long-enough-1")
    _submit(at, "settings_add_user", "Add user")
    assert not at.exception and not at.error
    assert "User zhao added." in [str(s.value) for s in at.success]
    assert "zhao" in list(at.dataframe[0].value["username"])
    zhao = int(_scalar(fresh_park, "SELECT id FROM app_user WHERE username = 'zhao'"))  # type: ignore[call-overload]
    at.selectbox(key="settings.manage.user").set_value(zhao).run()
    at.button(key="settings.deactivate").click().run()
    assert "zhao is deactivated and signed out everywhere." in [str(s.value) for s in at.success]
    assert _scalar(fresh_park, "SELECT active FROM app_user WHERE username = 'zhao'") in (False, 0)
    at.button(key="settings.reactivate").click().run()
    at.text_input(key="settings.reset.password").set_value("brand-new-pass")
    at.text_input(key="settings.reset.again").set_value("brand-new-pass")
    _submit(at, "settings_reset_password", "Set new password")
    assert not at.error
    assert any("The password of zhao is changed" in str(s.value) for s in at.success)
    actions = _scalar(fresh_park, "SELECT count(*) FROM audit_log WHERE entity = 'app_user' AND entity_id = "
                                  f"{zhao} AND action IN ('create', 'deactivate', 'reactivate', 'reset_password')")
    assert actions == 4


def test_committee_cannot_reach_the_settings_page(demo_app_url: str) -> None:
    with pytest.raises(ValueError, match=r"Could not find a navigation page for .*settings\.py"):
        open_app("committee", page="settings")


def test_the_backup_is_a_copy_of_the_database_or_a_pg_dump_note(demo_app_url: str, tmp_path: Path) -> None:
    at = open_app("admin", page="settings", language="en")
    engine = make_engine(demo_app_url)
    try:
        if engine.url.get_backend_name() != "sqlite":
            assert "back it up on the server" in texts(at).lower() or "pg_dump" in texts(at)
            assert not at.get("download_button")
            return
        assert [b.proto.label for b in at.get("download_button")] == ["Download a backup"]
        _, data = download(at, "settings.backup")  # made as the click makes it, for the admin signed in
        copy = tmp_path / "copy.sqlite3"
        copy.write_bytes(data)
        with sqlite3.connect(copy) as connection:
            copied = connection.execute("SELECT count(*) FROM enterprise").fetchone()[0]
        assert copied == _scalar(demo_app_url, "SELECT count(*) FROM enterprise") and copied > 0
        assert _scalar(demo_app_url, "SELECT count(*) FROM audit_log WHERE action = 'backup'") >= 1  # type: ignore[operator]
    finally:
        engine.dispose()
