"""Every way a user saves, against a database that is read-only and one that cannot be reached, on each
backend (issue 14): the same message in the user's language, no traceback, nothing written.

Each save path is driven through the app in AppTest as a user would: the form filled (or the record picked,
the file uploaded) while the database is well, then the database broken (``tests.test_faults``: an immutable
SQLite file or PostgreSQL's ``default_transaction_read_only``; the SQLite file moved away or the PostgreSQL
database renamed) and the button clicked. A read-only database is named where the page shows the refusal (the
page itself still reads); an unreachable one ends the run with its one message, whether the save ran in a
button's callback before the page (and was refused) or the page never got as far. Every row of every table is
the same before and after.

The paths share one demo park per backend and one signed-in app per user and page (nothing is written, so
they do not depend on their order); each fills everything it needs before the click.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import text
from streamlit.testing.v1 import AppTest

from dashboard.clock import park_today
from dashboard.db import make_engine
from dashboard.views import imports as import_view
from dashboard.views.context import LANGUAGE_KEY
from models import Role
from tests.apptest import APP, DEMO_PASSWORD, TIMEOUT, import_uploader, open_app
from tests.records import enterprise_data, with_check_character
from tests.test_faults import READ_ONLY, UNREACHABLE, alerts, read_only, snapshot, unreachable
from tests.test_imports import enterprise_file

LANGUAGE = "zh"
FAULTS: dict[str, Callable[[str], AbstractContextManager[None]]] = {"read_only": read_only, "unreachable": unreachable}
MESSAGES = {"read_only": READ_ONLY[LANGUAGE], "unreachable": UNREACHABLE[LANGUAGE]}
LEFT_OVER = ("._problems", "._delete_problem")  # what a refused save leaves in a form's state


@dataclass(frozen=True)
class SaveTargets:
    """What the paths act on in the demo park: an enterprise with trainings and signs, one of each, an
    enterprise with a loan override in force, and the committee member's account."""

    enterprise: int
    training: int
    sign: int
    override_enterprise: int
    committee_user: int
    site: tuple[float, float]  # a point inside the park, for new enterprises


def _one(url: str, sql: str, **params: Any) -> Any:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            row = connection.execute(text(sql), params).first()
    finally:
        engine.dispose()
    assert row is not None, sql
    return row


@pytest.fixture(scope="module")
def targets(demo_app_url: str) -> SaveTargets:
    """The demo park's records the paths act on (read once per backend)."""
    today = park_today()
    enterprise, training = _one(demo_app_url, """
        SELECT e.id, max(t.id) FROM enterprise e JOIN training t ON t.enterprise_id = e.id
        WHERE e.status = 'operating' AND EXISTS (SELECT 1 FROM safety_sign s WHERE s.enterprise_id = e.id)
        GROUP BY e.id ORDER BY e.id LIMIT 1""")
    sign = _one(demo_app_url, "SELECT min(id) FROM safety_sign WHERE enterprise_id = :e", e=enterprise)[0]
    override = _one(demo_app_url, "SELECT min(enterprise_id) FROM loan_override WHERE expires_on >= :today "
                                  "AND decided_on <= :today", today=today)[0]
    committee = _one(demo_app_url, "SELECT id FROM app_user WHERE username = 'committee'")[0]
    lat, lon = _one(demo_app_url, "SELECT lat, lon FROM enterprise WHERE id = :e", e=enterprise)
    assert override is not None, "the demo park has no loan override in force"
    return SaveTargets(int(enterprise), int(training), int(sign), int(override), int(committee),
                       (float(lat), float(lon)))


@pytest.fixture(scope="module")
def signed_in(demo_app_url: str) -> Iterator[Callable[[str, str], AppTest]]:
    """The app signed in as a user on a page, opened once per backend and shared by the paths."""
    opened: dict[tuple[str, str], AppTest] = {}

    def app(username: str, page: str) -> AppTest:
        if (username, page) not in opened:
            opened[(username, page)] = open_app(username, page=page, language=LANGUAGE)
        at = opened[(username, page)]
        for name in [k for k in at.session_state if k.endswith(LEFT_OVER)]:
            del at.session_state[name]  # an earlier path's refusal, which its form would show until the next save
        at.run()
        assert not at.exception, at.exception
        return at

    yield app
    opened.clear()


def _ok(at: AppTest) -> AppTest:
    assert not at.exception, at.exception
    return at


def _button(at: AppTest, *, key: str | None = None, form: str | None = None, label: str | None = None) -> Any:
    found = [b for b in at.button if (key is None or b.key == key) and (form is None or b.form_id == form)
             and (label is None or b.label == label)]
    assert len(found) == 1, [(b.key, b.form_id, b.label) for b in at.button]
    return found[0]


def _click(at: AppTest, **which: str) -> None:
    _button(at, **which).click().run()


# --- the Records page ---------------------------------------------------------------------------


def _records(app: Callable[[str, str], AppTest], targets: SaveTargets, enterprise: int | None = None) -> AppTest:
    """The Records page for the enterprise (0: a new one), no form left editing a record by an earlier path."""
    at = app("staff", "records")
    wanted = targets.enterprise if enterprise is None else enterprise
    if at.selectbox(key="records.enterprise").value != wanted:
        at.selectbox(key="records.enterprise").set_value(wanted).run()
    for form in ("hz", "training"):
        if [b for b in _ok(at).button if b.key == f"{form}._stop"]:
            _click(at, key=f"{form}._stop")
    return _ok(at)


WIDGETS = ("text_input", "text_area", "number_input", "selectbox", "date_input")


def _fill(at: AppTest, values: dict[str, Any]) -> AppTest:
    """Type ``values`` into the widgets with those keys, whatever kind each is."""
    for name, value in values.items():
        found = [w for kind in WIDGETS for w in getattr(at, kind) if w.key == name]
        assert len(found) == 1, name
        found[0].set_value(value)
    return at


def _new_enterprise(app: Callable[[str, str], AppTest], targets: SaveTargets) -> AppTest:
    lat, lon = targets.site
    return _fill(_records(app, targets, enterprise=0), {  # "new enterprise"
        "ent.uscc": with_check_character("91360123987654321"), "ent.name": "青岚新材料有限公司",
        "ent.legal_rep": "张伟", "ent.safety_lead": "李娜", "ent.phone": "0571-88886666",
        "ent.industry": "machinery", "ent.lat": lat, "ent.lon": lon})


def _edited_enterprise(app: Callable[[str, str], AppTest], targets: SaveTargets) -> AppTest:
    return _fill(_records(app, targets), {"ent.phone": "0571-12345678"})


def _closing_enterprise(app: Callable[[str, str], AppTest], targets: SaveTargets) -> AppTest:
    at = _records(app, targets)
    _click(at, key="ent._close")  # the confirmation
    return _ok(at)


def _new_hazard(app: Callable[[str, str], AppTest], targets: SaveTargets) -> AppTest:
    return _fill(_records(app, targets), {
        "hz.category": "fire", "hz.severity": "general", "hz.description": "消防通道被货物堵塞",
        "hz.responsible_person": "王强", "hz.deadline": park_today()})


def _edited_hazard(app: Callable[[str, str], AppTest], targets: SaveTargets) -> AppTest:
    at = _records(app, targets)
    _click(at, key="hz._edit")  # the hazard the list picks first
    return _fill(_ok(at), {"hz.responsible_person": "赵六"})


def _new_accident(app: Callable[[str, str], AppTest], targets: SaveTargets) -> AppTest:
    return _fill(_records(app, targets), {"accident.serious_injuries": 1, "accident.description": "三号车间叉车碰撞"})


def _picked_training(app: Callable[[str, str], AppTest], targets: SaveTargets, button: str) -> AppTest:
    at = _records(app, targets)
    at.selectbox(key="training._pick").set_value(targets.training)
    _click(at, key=f"training.{button}")
    return _ok(at)


def _edited_training(app: Callable[[str, str], AppTest], targets: SaveTargets) -> AppTest:
    return _fill(_picked_training(app, targets, "_edit"), {"training.attendees": 43})


def _deleting_training(app: Callable[[str, str], AppTest], targets: SaveTargets) -> AppTest:
    return _picked_training(app, targets, "_delete")  # the confirmation


def _new_inspection(app: Callable[[str, str], AppTest], targets: SaveTargets) -> AppTest:
    found = "inspection.hazards[1]."
    return _fill(_records(app, targets), {
        "inspection.inspector": "园区安监科 王强", found + "category": "fire", found + "description": "灭火器过期",
        found + "responsible_person": "李娜", found + "deadline": park_today()})


def _worklist_action(name: str) -> Callable[[Callable[[str, str], AppTest], SaveTargets], AppTest]:
    """The worklist's first hazard with the form of ``name`` open (expose: expose or withdraw, as offered)."""
    def prepare(app: Callable[[str, str], AppTest], targets: SaveTargets) -> AppTest:
        at = _records(app, targets)
        offered = [str(b.key) for b in at.button if str(b.key).startswith("worklist.do.")]
        names = (name, "withdraw") if name == "expose" else (name,)
        wanted = [k for k in offered if k.removeprefix("worklist.do.") in names]
        assert wanted, offered
        _click(at, key=wanted[0])
        return _ok(at)
    return prepare


def _import_file(app: Callable[[str, str], AppTest], targets: SaveTargets) -> AppTest:
    at = _records(app, targets)
    at.selectbox(key="imports_table").set_value("enterprise").run()
    lat, lon = targets.site
    rows = [enterprise_data(uscc=with_check_character(f"91360123{n:09d}"), name=f"青岚第{n}化工有限公司", lat=lat,
                            lon=lon) for n in (801, 802)]
    import_uploader(at).upload("new-enterprises.csv", enterprise_file(rows), "text/csv")
    at.run()
    assert [b for b in at.button if str(b.key).startswith("imports_confirm_")], alerts(at)
    return _ok(at)


def _confirm_import(at: AppTest) -> None:
    [confirm] = [b for b in at.button if str(b.key).startswith("imports_confirm_")]
    confirm.click().run()


# --- the Loan desk and Settings ------------------------------------------------------------------


def _loans(app: Callable[[str, str], AppTest], targets: SaveTargets) -> AppTest:
    at = app("finance", "loans")
    at.query_params["enterprise"] = str(targets.override_enterprise)
    return _ok(at.run())


def _new_override(app: Callable[[str, str], AppTest], targets: SaveTargets) -> AppTest:
    return _fill(_loans(app, targets), {"loans_form_reason": "已完成重大隐患整改,银行已现场核查"})


def _settings(app: Callable[[str, str], AppTest], targets: SaveTargets) -> AppTest:
    return app("admin", "settings")


def _new_user(app: Callable[[str, str], AppTest], targets: SaveTargets) -> AppTest:
    password = "long-enough-1"
    return _fill(_settings(app, targets), {"settings.add.username": "zhao", "settings.add.display_name": "赵敏",
                                        "settings.add.password": password, "settings.add.again": password})


def _changed_role(app: Callable[[str, str], AppTest], targets: SaveTargets) -> AppTest:
    at = _settings(app, targets)
    at.selectbox(key="settings.manage.user").set_value(targets.committee_user).run()
    _ok(at).selectbox(key=f"settings.role.{targets.committee_user}").set_value(Role.finance)
    return at


def _changed_rule(app: Callable[[str, str], AppTest], targets: SaveTargets) -> AppTest:
    return _fill(_settings(app, targets), {"settings.rule.loan_override_max_days": 90})


def _rules_form(at: AppTest) -> str:
    return str(at.number_input(key="settings.rule.loan_override_max_days").form_id)


@dataclass(frozen=True)
class SavePath:
    """A save as a user makes it: ``prepare`` fills the form while the database is well, ``save`` clicks."""

    name: str
    prepare: Callable[[Callable[[str, str], AppTest], SaveTargets], AppTest]
    save: Callable[[AppTest], None]


PATHS = [
    SavePath("enterprise.create", _new_enterprise, lambda at: _click(at, key="ent._submit")),
    SavePath("enterprise.update", _edited_enterprise, lambda at: _click(at, key="ent._submit")),
    SavePath("enterprise.close", _closing_enterprise, lambda at: _click(at, key="ent._close_yes")),
    SavePath("hazard.create", _new_hazard, lambda at: _click(at, key="hz._submit")),
    SavePath("hazard.update", _edited_hazard, lambda at: _click(at, key="hz._submit")),
    SavePath("accident.create", _new_accident, lambda at: _click(at, key="accident._save")),
    SavePath("training.update", _edited_training, lambda at: _click(at, key="training._submit")),
    SavePath("training.delete", _deleting_training, lambda at: _click(at, key="training._confirm_yes")),
    SavePath("sign_check.today", _records, lambda at: _click(at, key=_sign_check_key(at))),
    SavePath("inspection.with_hazards", _new_inspection, lambda at: _click(at, key="inspection._submit")),
    SavePath("worklist.rectify", _worklist_action("rectify"), lambda at: _click(at, key="worklist.submit")),
    SavePath("worklist.expose", _worklist_action("expose"), lambda at: _click(at, key="worklist.submit")),
    SavePath("import.inline", _import_file, _confirm_import),
    SavePath("loan_override.create", _new_override, lambda at: _click(at, form="loans_override_form")),
    SavePath("loan_override.end", _loans, lambda at: _click(at, key="loans_end")),
    SavePath("user.add", _new_user, lambda at: _click(at, form="settings_add_user")),
    SavePath("user.change_role", _changed_role, lambda at: _click(at, form="settings_change_role")),
    SavePath("rules.save", _changed_rule, lambda at: _click(at, form=_rules_form(at), label="保存")),
]


def _sign_check_key(at: AppTest) -> str:
    keys = [str(b.key) for b in at.button if re.fullmatch(r"check\.\d+\.go", str(b.key))]
    assert keys, "no sign to check"
    return keys[0]


def _refused_with(at: AppTest, fault: str) -> None:
    """The page says the fault's message (an unreachable database: that message alone) and saved nothing."""
    assert not at.exception, at.exception
    shown = [re.sub(r"\\(.)", r"\1", alert) for alert in alerts(at)]
    if fault == "unreachable":
        assert shown == [MESSAGES[fault]]
    else:
        assert any(MESSAGES[fault] in alert for alert in shown), shown
    assert not at.success, [s.value for s in at.success]


@pytest.mark.parametrize("fault", list(FAULTS))
@pytest.mark.parametrize("path", PATHS, ids=[p.name for p in PATHS])
def test_a_save_the_database_cannot_take_says_so_and_writes_nothing(
    demo_app_url: str, targets: SaveTargets, signed_in: Callable[[str, str], AppTest], path: SavePath, fault: str
) -> None:
    at = path.prepare(signed_in, targets)
    assert not [alert for alert in alerts(at) if MESSAGES[fault] in alert]
    before = snapshot(demo_app_url)
    with FAULTS[fault](demo_app_url):
        path.save(at)
        _refused_with(at, fault)
    assert snapshot(demo_app_url) == before


@pytest.mark.parametrize("fault", list(FAULTS))
def test_an_import_in_a_worker_process_that_the_database_cannot_take_says_so_and_writes_nothing(
    demo_app_url: str, targets: SaveTargets, signed_in: Callable[[str, str], AppTest], fault: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A large file is written in a worker process: its database fault comes back as the page's. (Only the write
    goes to the worker: a worker that kept a connection from the check would write through an immutable SQLite
    file, which only stops new connections from writing.)"""
    at = _import_file(signed_in, targets)
    monkeypatch.setattr(import_view, "INLINE_BYTES", 0)
    before = snapshot(demo_app_url)
    with FAULTS[fault](demo_app_url):
        _confirm_import(at)
        _refused_with(at, fault)
    assert snapshot(demo_app_url) == before


@pytest.mark.parametrize("fault", list(FAULTS))
def test_signing_in_and_out_when_the_database_cannot_take_it_says_so_and_writes_nothing(
    demo_app_url: str, fault: str
) -> None:
    """Not a save of the signed-in user's, but a write all the same: the same message, no traceback."""
    signing_in = AppTest.from_file(APP, default_timeout=TIMEOUT)
    signing_in.session_state[LANGUAGE_KEY] = LANGUAGE
    _ok(signing_in.run()).text_input[0].set_value("staff")
    signing_in.text_input[1].set_value(DEMO_PASSWORD)
    signed = open_app("staff", language=LANGUAGE)
    before = snapshot(demo_app_url)
    with FAULTS[fault](demo_app_url):
        signing_in.button[0].click().run()
        _refused_with(signing_in, fault)
        _click(signed, key="sign_out")
        _refused_with(signed, fault)
    assert snapshot(demo_app_url) == before
    assert not [b for b in signing_in.sidebar.button if b.key == "sign_out"]  # not signed in
