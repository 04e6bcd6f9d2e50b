"""Managing accounts: only an administrator may; the last active administrator stays; every change is
audited and bumps the data revision; deactivating signs the user out everywhere."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlmodel import Session, select

from dashboard import clock
from dashboard.services.permissions import Actor, PermissionDenied
from dashboard.services.revision import current_revision
from dashboard.services.sign_in import SignInRefused, sign_in, user_for_token
from dashboard.services.users import add_user, change_role, list_users, reset_password, set_active
from dashboard.settings import Settings
from models import AppUser
from models.enums import Role
from models.validation import RecordInvalid

NOW = datetime(2026, 6, 30, 9, 0, tzinfo=UTC)
SETTINGS = Settings(session_hours=12, sign_in_free_failures=3)
ADMIN = Actor("boss", Role.admin)
PASSWORD = "first-password"


def _add(session: Session, username: str, role: Role) -> int:
    user = add_user(session=session, actor=ADMIN, data={"username": username, "display_name": username.title(),
                                                        "role": role, "password": PASSWORD})
    session.commit()
    assert user.id is not None
    return user.id


@pytest.fixture
def accounts(session: Session) -> dict[str, int]:
    """boss (the only admin), wang (committee), li (finance), zhang (staff), all active."""
    return {name: _add(session, name, role) for name, role in
            (("boss", Role.admin), ("wang", Role.committee), ("li", Role.finance), ("zhang", Role.staff))}


def _audit(session: Session, action: str) -> list[tuple[str, int, dict | None, dict | None]]:
    rows = session.execute(text("SELECT username, entity_id, before_json, after_json FROM audit_log "
                                "WHERE action = :a ORDER BY id"), {"a": action}).all()
    return [(u, i, json.loads(b) if b else None, json.loads(a) if a else None) for u, i, b, a in rows]


def _signed_in(session: Session, username: str, password: str = PASSWORD, now: datetime = NOW) -> str:
    token = sign_in(session=session, username=username, password=password, now=now, settings=SETTINGS).token
    session.commit()
    return token


WRITES: dict[str, Callable[[Session, Actor, int], object]] = {
    "add": lambda s, a, _: add_user(session=s, actor=a, data={"username": "new", "display_name": "New",
                                                              "role": "staff", "password": "long-enough"}),
    "role": lambda s, a, i: change_role(session=s, actor=a, user_id=i, role=Role.admin),
    "deactivate": lambda s, a, i: set_active(session=s, actor=a, user_id=i, active=False),
    "reset": lambda s, a, i: reset_password(session=s, actor=a, user_id=i, password="another-password"),
}


@pytest.mark.parametrize("role", [Role.staff, Role.committee, Role.finance])
@pytest.mark.parametrize("write", sorted(WRITES))
def test_only_an_administrator_may_manage_users(session: Session, accounts: dict[str, int], role: Role,
                                                write: str) -> None:
    revision = current_revision(session)
    with pytest.raises(PermissionDenied):
        WRITES[write](session, Actor("someone", role), accounts["zhang"])
    session.rollback()
    users = {u.username: u for u in list_users(session)}
    assert set(users) == {"boss", "wang", "li", "zhang"}
    assert users["zhang"].role == Role.staff and users["zhang"].active
    assert current_revision(session) == revision


def test_change_role_is_audited_and_bumps_the_revision(session: Session, accounts: dict[str, int]) -> None:
    revision = current_revision(session)
    change_role(session=session, actor=ADMIN, user_id=accounts["zhang"], role="committee")
    session.commit()
    assert {u.username: u.role for u in list_users(session)}["zhang"] == Role.committee
    [(who, entity_id, before, after)] = _audit(session, "change_role")
    assert (who, entity_id, before["role"], after["role"]) == ("boss", accounts["zhang"], "staff", "committee")
    assert current_revision(session) == revision + 1
    assert "password_hash" not in json.dumps([before, after])


def test_the_last_active_admin_can_be_neither_demoted_nor_deactivated(
    session: Session, accounts: dict[str, int]
) -> None:
    other = Actor("second", Role.admin)  # an admin acting from a session (not an account here)
    with pytest.raises(RecordInvalid) as demoted:
        change_role(session=session, actor=other, user_id=accounts["boss"], role=Role.staff)
    assert demoted.value.fields == {"role"}
    assert "The account boss is the last active administrator" in demoted.value.messages("en")[0]
    assert "最后一名在用的系统管理员" in demoted.value.messages("zh")[0]
    session.rollback()
    with pytest.raises(RecordInvalid) as deactivated:
        set_active(session=session, actor=other, user_id=accounts["boss"], active=False)
    assert deactivated.value.fields == {"active"} and "last active administrator" in deactivated.value.messages()[0]
    session.rollback()
    boss = session.get(AppUser, accounts["boss"])
    assert boss is not None and boss.role == Role.admin and boss.active
    assert _audit(session, "change_role") == [] and _audit(session, "deactivate") == []

    # With a second active admin, either may be demoted (but not both).
    change_role(session=session, actor=ADMIN, user_id=accounts["wang"], role=Role.admin)
    session.commit()
    change_role(session=session, actor=ADMIN, user_id=accounts["boss"], role=Role.staff)
    session.commit()
    with pytest.raises(RecordInvalid):
        change_role(session=session, actor=ADMIN, user_id=accounts["wang"], role=Role.finance)


def test_an_inactive_admin_does_not_count(session: Session, accounts: dict[str, int]) -> None:
    second = _add(session, "spare", Role.admin)
    set_active(session=session, actor=ADMIN, user_id=second, active=False)
    session.commit()
    with pytest.raises(RecordInvalid) as refused:
        change_role(session=session, actor=Actor("x", Role.admin), user_id=accounts["boss"], role=Role.committee)
    assert refused.value.problems[0].code == "last_admin"


def test_an_admin_cannot_deactivate_their_own_account(session: Session, accounts: dict[str, int]) -> None:
    _add(session, "deputy", Role.admin)
    with pytest.raises(RecordInvalid) as refused:
        set_active(session=session, actor=ADMIN, user_id=accounts["boss"], active=False)
    assert refused.value.problems[0].code == "own_account"


def test_deactivating_ends_the_users_sessions_and_refuses_sign_in(session: Session, accounts: dict[str, int]) -> None:
    first, second = _signed_in(session, "li"), _signed_in(session, "li", now=NOW + timedelta(minutes=5))
    other = _signed_in(session, "wang")
    revision = current_revision(session)
    set_active(session=session, actor=ADMIN, user_id=accounts["li"], active=False, now=NOW + timedelta(minutes=10))
    session.commit()
    later = NOW + timedelta(minutes=11)
    assert user_for_token(session=session, token=first, now=later) is None
    assert user_for_token(session=session, token=second, now=later) is None
    assert user_for_token(session=session, token=other, now=later) is not None
    ended = session.execute(text("SELECT count(*) FROM app_session s JOIN app_user u ON u.id = s.user_id "
                                 "WHERE u.username = 'li' AND s.ended_at IS NOT NULL")).scalar_one()
    assert ended == 2
    with pytest.raises(SignInRefused):
        sign_in(session=session, username="li", password=PASSWORD, now=later, settings=SETTINGS)
    session.rollback()
    [(who, entity_id, before, after)] = _audit(session, "deactivate")
    assert (who, entity_id, before["active"], after["active"], after["sessions_ended"]) == (
        "boss", accounts["li"], True, False, 2)
    assert current_revision(session) == revision + 1
    rows = {u.username: u for u in list_users(session, now=later)}
    assert not rows["li"].active and rows["li"].open_sessions == 0 and rows["wang"].open_sessions == 1

    set_active(session=session, actor=ADMIN, user_id=accounts["li"], active=True)
    session.commit()
    assert _signed_in(session, "li", now=later)
    assert [a["active"] for _, _, _, a in _audit(session, "reactivate")] == [True]


def test_reset_password_then_sign_in_works_and_the_old_password_does_not(
    session: Session, accounts: dict[str, int]
) -> None:
    old_token = _signed_in(session, "zhang")
    # three wrong passwords first
    for _ in range(3):
        with pytest.raises(SignInRefused):
            sign_in(session=session, username="zhang", password="wrong", now=NOW, settings=SETTINGS)
        session.commit()
    reset_password(session=session, actor=ADMIN, user_id=accounts["zhang"], password="a-new-password",
                   now=NOW + timedelta(minutes=1))
    session.commit()
    assert _signed_in(session, "zhang", password="a-new-password", now=NOW + timedelta(minutes=2))
    with pytest.raises(SignInRefused):
        sign_in(session=session, username="zhang", password=PASSWORD, now=NOW + timedelta(minutes=3),
                settings=SETTINGS)
    session.rollback()
    assert user_for_token(session=session, token=old_token, now=NOW + timedelta(minutes=2)) is None
    [(who, entity_id, before, after)] = _audit(session, "reset_password")
    assert (who, entity_id, before) == ("boss", accounts["zhang"], None)
    assert "a-new-password" not in json.dumps(after) and "password_hash" not in after


def test_a_short_password_is_refused_and_nothing_changes(session: Session, accounts: dict[str, int]) -> None:
    with pytest.raises(RecordInvalid) as refused:
        reset_password(session=session, actor=ADMIN, user_id=accounts["zhang"], password="short")
    assert refused.value.fields == {"password"}
    assert refused.value.messages("en") == ["Password must be at least 8 characters."]
    session.rollback()
    assert _signed_in(session, "zhang")
    assert _audit(session, "reset_password") == []


def test_an_unknown_user_is_named(session: Session, accounts: dict[str, int]) -> None:
    with pytest.raises(RecordInvalid) as refused:
        change_role(session=session, actor=ADMIN, user_id=9999, role=Role.staff)
    assert refused.value.problems[0].code == "unknown_reference"


def test_list_users_shows_the_last_sign_in_from_the_audit_log(session: Session, accounts: dict[str, int]) -> None:
    _signed_in(session, "wang", now=NOW)
    _signed_in(session, "wang", now=NOW + timedelta(hours=1))
    rows = {u.username: u for u in list_users(session, now=NOW + timedelta(hours=1, minutes=1))}
    assert rows["zhang"].last_sign_in is None
    last = rows["wang"].last_sign_in
    assert last is not None and abs((last - clock.now()).total_seconds()) < 120  # the app's clock, not the database's
    assert rows["wang"].open_sessions == 2
    assert [u.username for u in list_users(session)] == ["boss", "li", "wang", "zhang"]


def test_passwords_are_hashed_with_argon2_cffis_defaults_unless_the_settings_say_otherwise() -> None:
    """Production hashes with argon2-cffi's defaults (RFC 9106's low-memory profile); the tests lower the cost."""
    from argon2 import PasswordHasher

    defaults = PasswordHasher()
    assert Settings.model_fields["password_hash_time_cost"].default == defaults.time_cost == 3
    assert Settings.model_fields["password_hash_memory_kib"].default == defaults.memory_cost == 65_536


def test_a_new_password_gets_the_cost_in_force_and_an_older_hash_still_signs_in(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    from argon2 import extract_parameters

    from dashboard.services.permissions import SYSTEM
    from dashboard.settings import get_settings

    add_user(session=session, actor=SYSTEM, data={"username": "li", "display_name": "李晓梅", "role": "finance",
                                                  "password": "correct-horse"})
    session.commit()
    monkeypatch.setenv("PARK_SAFETY_PASSWORD_HASH_TIME_COST", "2")
    monkeypatch.setenv("PARK_SAFETY_PASSWORD_HASH_MEMORY_KIB", "2048")
    get_settings.cache_clear()
    add_user(session=session, actor=SYSTEM, data={"username": "wang", "display_name": "王芳", "role": "staff",
                                                  "password": "battery-staple"})
    session.commit()
    hashes = {user.username: user.password_hash for user in session.exec(select(AppUser)).all()}
    assert (extract_parameters(hashes["wang"]).time_cost, extract_parameters(hashes["wang"]).memory_cost) == (2, 2048)
    assert extract_parameters(hashes["li"]).time_cost != 2
    assert user_for_token(session=session, token=sign_in(session=session, username="li",
                                                         password="correct-horse").token) is not None
