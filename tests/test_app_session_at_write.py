"""A tab whose session has ended cannot write or download (issue 13, item 1 and the first half of item 4).

A staff member opens an enterprise in the Records page, types a change, and before they press Save their
session ends: they sign out in another tab, an administrator deactivates their account, or an administrator
gives them another role. The save runs in a button callback, before ``app.py`` checks the session; it must
still be refused, nothing written, and the tab shows the sign-in form saying why. The same holds for a save
made inline in a page run (the loan desk's override form, the Settings page's rules) and for a download made
on the click (the backup, the audit trail's CSV, the scorecards' CSV). Each on SQLite and PostgreSQL.
"""

from __future__ import annotations

from io import BytesIO

import pytest
from PIL import Image
from sqlalchemy import func, select
from sqlmodel import Session, col
from streamlit.testing.v1 import AppTest

from dashboard.db import make_engine
from dashboard.services.attachments import attach, attachments_of
from dashboard.services.permissions import SYSTEM, Actor
from dashboard.services.sign_in import SessionEnded, sign_out
from dashboard.services.users import add_user, change_role, set_active
from dashboard.views.signed_in import PageRefused
from models import AppUser, Hazard, LoanOverride, Role
from tests.apptest import download, open_app, texts
from tests.records import in_session
from tests.test_app_records import an_enterprise, stored, unchanged, written

ENDED_EN = "Your session has ended"
SIGN_IN_FIELDS_EN = ["Username", "Password"]


def _user_id(session: Session, username: str) -> int:
    return int(session.execute(select(col(AppUser.id)).where(col(AppUser.username) == username)).scalar_one())


def end_by_sign_out(url: str, at: AppTest, username: str) -> None:
    """The user signs out in another tab of the same browser: their session ends in the database."""
    token = at.session_state["_park_safety_token"]
    assert in_session(url, lambda s: sign_out(session=s, token=token))


def end_by_deactivation(url: str, at: AppTest, username: str) -> None:
    in_session(url, lambda s: set_active(session=s, actor=SYSTEM, user_id=_user_id(s, username), active=False))


def end_by_role_change(url: str, at: AppTest, username: str) -> None:
    """An administrator makes the user a finance liaison (who may not edit safety records)."""
    in_session(url, lambda s: change_role(session=s, actor=SYSTEM, user_id=_user_id(s, username), role="finance"))


ENDINGS = {"signed out": end_by_sign_out, "deactivated": end_by_deactivation, "role changed": end_by_role_change}


def shows_sign_in_form_saying_why(at: AppTest) -> bool:
    return [field.label for field in at.text_input] == SIGN_IN_FIELDS_EN and ENDED_EN in texts(at)


@pytest.mark.parametrize("ending", list(ENDINGS))
def test_a_save_from_a_tab_whose_session_ended_is_refused_with_the_sign_in_form(fresh_park: str,
                                                                                ending: str) -> None:
    enterprise = an_enterprise(fresh_park)
    at = open_app("staff", page="records", language="en", query={"enterprise": str(enterprise.id)})
    assert not at.exception
    at.number_input(key="ent.employees").set_value(enterprise.employees + 7)
    at.text_input(key="ent.name").set_value("Renamed by a tab whose session ended")
    ENDINGS[ending](fresh_park, at, "staff")
    before = written(fresh_park)

    at.button(key="ent._submit").click().run()  # the save runs in the button's callback, before app.py

    assert not at.exception
    assert shows_sign_in_form_saying_why(at), texts(at)
    assert unchanged(before, written(fresh_park))
    kept = stored(fresh_park, enterprise.id or 0)
    assert (kept.name, kept.employees, kept.version) == (enterprise.name, enterprise.employees, enterprise.version)


def test_the_same_save_from_a_live_session_goes_through(fresh_park: str) -> None:
    """The control: the save above is refused because the session ended, not for anything else."""
    enterprise = an_enterprise(fresh_park)
    at = open_app("staff", page="records", language="en", query={"enterprise": str(enterprise.id)})
    at.number_input(key="ent.employees").set_value(enterprise.employees + 7)
    at.button(key="ent._submit").click().run()
    assert not at.exception
    assert stored(fresh_park, enterprise.id or 0).employees == enterprise.employees + 7
    assert [field.label for field in at.text_input] != SIGN_IN_FIELDS_EN


def _a_hazard_on_records(url: str) -> tuple[AppTest, int]:
    """Staff's Records page at the demo park's first enterprise with a hazard, that hazard picked."""
    def first(session: Session) -> tuple[int, int]:
        enterprise_id, hazard_id = session.execute(
            select(col(Hazard.enterprise_id), func.max(col(Hazard.id))).group_by(col(Hazard.enterprise_id))
            .order_by(col(Hazard.enterprise_id)).limit(1)).one()
        return int(enterprise_id), int(hazard_id)

    enterprise_id, hazard_id = in_session(url, first)
    at = open_app("staff", page="records", language="en", query={"enterprise": str(enterprise_id)})
    at.selectbox(key="hz._pick").set_value(hazard_id).run()
    assert not at.exception, at.exception
    return at, hazard_id


def _live_files(url: str, hazard_id: int) -> list[str]:
    return in_session(url, lambda s: [a.original_name for a in attachments_of(s, "hazard", hazard_id)])


@pytest.mark.parametrize("ending", list(ENDINGS))
def test_a_file_attached_from_a_tab_whose_session_ended_is_refused_and_nothing_stored(fresh_park: str,
                                                                                       ending: str) -> None:
    """The photo is picked while the session is live; the attach runs in the button's callback after it ended."""
    at, hazard_id = _a_hazard_on_records(fresh_park)
    at.file_uploader(key=f"evidence.hazard.{hazard_id}.found.files.0").set_value(
        [("site.jpg", _jpeg(), "image/jpeg")]).run()
    ENDINGS[ending](fresh_park, at, "staff")
    before = written(fresh_park)

    at.button(key=f"evidence.hazard.{hazard_id}.found.attach.0").click().run()

    assert not at.exception
    assert shows_sign_in_form_saying_why(at), texts(at)
    assert unchanged(before, written(fresh_park))
    assert "site.jpg" not in _live_files(fresh_park, hazard_id)


@pytest.mark.parametrize("ending", list(ENDINGS))
def test_a_file_removed_from_a_tab_whose_session_ended_stays(fresh_park: str, ending: str) -> None:
    """Staff attached the file themselves (so they could remove it), typed the reason, and their session ended."""
    at, hazard_id = _a_hazard_on_records(fresh_park)
    stored = in_session(fresh_park, lambda s: attach(
        session=s, actor=Actor("staff", Role.staff), table="hazard", record_id=hazard_id, stage="found",
        files=[("wrong.jpg", _jpeg())])[0].id)
    at.run()
    base = f"evidence.hazard.{hazard_id}.found.{stored}"
    at.text_input(key=f"{base}.reason").input("attached to the wrong hazard").run()
    ENDINGS[ending](fresh_park, at, "staff")
    before = written(fresh_park)

    at.button(key=f"{base}.remove").click().run()

    assert not at.exception
    assert shows_sign_in_form_saying_why(at), texts(at)
    assert unchanged(before, written(fresh_park))
    assert "wrong.jpg" in _live_files(fresh_park, hazard_id)


def _jpeg() -> bytes:
    out = BytesIO()
    Image.new("RGB", (64, 48), "blue").save(out, "JPEG")
    return out.getvalue()


@pytest.mark.parametrize("ending", ["signed out", "role changed"])
def test_a_loan_override_from_a_tab_whose_session_ended_is_refused(fresh_park: str, ending: str) -> None:
    enterprise = an_enterprise(fresh_park)
    at = open_app("finance", page="loans", language="en", query={"enterprise": str(enterprise.id)})
    assert not at.exception
    at.text_area(key="loans_form_reason").set_value("The bank has a written rectification plan on file.")
    if ending == "role changed":  # finance made committee, who may read the desk but not override
        in_session(fresh_park, lambda s: change_role(session=s, actor=SYSTEM, user_id=_user_id(s, "finance"),
                                                        role="committee"))
    else:
        end_by_sign_out(fresh_park, at, "finance")
    before = in_session(fresh_park, lambda s: len(s.execute(select(LoanOverride)).all()))

    next(b for b in at.button if b.label == "Save override").click().run()

    assert not at.exception
    assert shows_sign_in_form_saying_why(at), texts(at)
    assert in_session(fresh_park, lambda s: len(s.execute(select(LoanOverride)).all())) == before


def test_a_rule_change_from_a_signed_out_administrators_tab_is_refused(fresh_park: str) -> None:
    at = open_app("admin", page="settings", language="en")
    assert not at.exception
    end_by_sign_out(fresh_park, at, "admin")
    before = written(fresh_park)
    next(b for b in at.button if b.label == "Save").click().run()
    assert not at.exception
    assert shows_sign_in_form_saying_why(at), texts(at)
    assert unchanged(before, written(fresh_park))


def test_a_backup_is_not_made_for_a_tab_whose_administrator_signed_out(fresh_park: str) -> None:
    at = open_app("admin", page="settings", language="en")
    if make_engine(fresh_park).url.get_backend_name() != "sqlite":
        pytest.skip("the backup download is for the embedded SQLite database")
    end_by_sign_out(fresh_park, at, "admin")
    audits = written(fresh_park)["all_audits"]
    with pytest.raises(SessionEnded):
        download(at, "settings.backup")
    assert written(fresh_park)["all_audits"] == audits  # no backup made, none audited


def test_a_backup_is_not_made_once_the_administrator_is_demoted(fresh_park: str) -> None:
    at = open_app("admin", page="settings", language="en")
    if make_engine(fresh_park).url.get_backend_name() != "sqlite":
        pytest.skip("the backup download is for the embedded SQLite database")
    name, content = download(at, "settings.backup")  # the control: a live administrator gets the copy
    assert name and content.startswith(b"SQLite format 3")
    # a second administrator makes this one staff: their sessions end, and the open tab makes nothing
    in_session(fresh_park, lambda s: add_user(session=s, actor=SYSTEM, data={
        "username": "admin2", "display_name": "Second administrator", "role": "admin", "password": "another-pass"}))
    in_session(fresh_park, lambda s: change_role(session=s, actor=SYSTEM, user_id=_user_id(s, "admin"),
                                                    role="staff"))
    with pytest.raises(SessionEnded):
        download(at, "settings.backup")


def test_the_audit_csv_is_not_made_for_a_deactivated_committee_member(fresh_park: str) -> None:
    at = open_app("committee", page="audit", language="en")
    assert not at.exception
    name, content = download(at, "audit.export")
    assert name and content.startswith("\ufeff".encode())
    end_by_deactivation(fresh_park, at, "committee")
    with pytest.raises(SessionEnded):
        download(at, "audit.export")


def test_a_download_is_refused_when_the_role_may_no_longer_open_its_page(fresh_park: str) -> None:
    """A session still live but whose role lost the page (the account changed role, then signed in again in
    the same browser, whose cookie the old tab shares)."""
    at = open_app("committee", page="audit", language="en")
    token = at.session_state["_park_safety_token"]

    def demote_keeping_the_session(session: Session) -> None:
        user = session.execute(select(AppUser).where(col(AppUser.username) == "committee")).scalar_one()
        user.role = "staff"  # straight in the database: a session that outlived a role change by any route
        session.add(user)

    in_session(fresh_park, demote_keeping_the_session)
    assert at.session_state["_park_safety_token"] == token
    with pytest.raises(PageRefused):
        download(at, "audit.export")


def test_the_scorecards_csv_is_not_made_after_sign_out(fresh_park: str) -> None:
    at = open_app("finance", page="scorecards", language="en")
    name, content = download(at, "scorecards_download")
    assert name and len(content) > 100
    end_by_sign_out(fresh_park, at, "finance")
    with pytest.raises(SessionEnded):
        download(at, "scorecards_download")


@pytest.mark.parametrize("ending", ["signed out", "role changed"])
def test_an_import_confirmed_from_a_tab_whose_session_ended_writes_nothing(fresh_park: str, ending: str) -> None:
    from tests.test_app_imports import enterprises, new_enterprises, upload
    from tests.test_imports import enterprise_file

    at = upload(open_app("staff", page="records", language="en"), "new.csv",
                enterprise_file(new_enterprises(301, 302)))
    assert "2 to create, 0 to update, 0 unchanged" in texts(at)
    ENDINGS[ending](fresh_park, at, "staff")
    before = written(fresh_park)
    count = enterprises(fresh_park)

    next(b for b in at.button if b.label.startswith("Import 2")).click().run()

    assert not at.exception
    assert shows_sign_in_form_saying_why(at), texts(at)
    assert enterprises(fresh_park) == count
    assert unchanged(before, written(fresh_park))
