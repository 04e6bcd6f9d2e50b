"""The Settings page's parts: the accounts, the rule thresholds and weights, the backup.

Every change goes through a service with the signed-in administrator as the actor; a refused
change shows each problem under its field, keeps what was typed, and writes nothing.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import annotated_types
import pandas as pd
import streamlit as st
from sqlalchemy import Engine
from sqlmodel import Session

from dashboard import clock
from dashboard.i18n import current_language, format_int, format_number, label, t
from dashboard.services.backup import BackupError, audit_backup, backup_database
from dashboard.services.permissions import Actor, Permission, PermissionDenied
from dashboard.services.rule_settings import (
    GROUPS,
    INDUSTRY_LISTS,
    RuleRow,
    effective_rules,
    is_whole_number,
    reset_rules,
    rule_rows,
    same,
    save_rules,
    stored_values_ignored,
)
from dashboard.services.users import UserRow, add_user, change_role, list_users, reset_password, set_active
from dashboard.settings import RuleSettings, get_settings
from dashboard.views.data import database_key, engine
from dashboard.views.signed_in import on_click, save, session_token
from models.enums import Industry, Role
from models.validation import FieldProblem, RecordInvalid

FLASH = "settings._flash"


# --- reads -------------------------------------------------------------------------------------


@st.cache_data(show_spinner=False, max_entries=4)
def _rule_rows(url: str, revision: int) -> tuple[list[RuleRow], bool]:
    with Session(engine()) as session:
        return rule_rows(session), stored_values_ignored(session)


def _users() -> list[UserRow]:
    # Not cached: sign-ins and lockouts change it without a data revision.
    with Session(engine()) as session:
        return list_users(session)


# --- shared bits ------------------------------------------------------------------------------


def _flash(message: str) -> None:
    st.session_state[FLASH] = message


def show_flash() -> None:
    message = st.session_state.pop(FLASH, None)
    if message:
        st.success(message, icon=":material/check_circle:")


def _park_time(moment: datetime | None) -> str:
    if moment is None:
        return "—"
    return moment.astimezone(ZoneInfo(get_settings().timezone)).strftime("%Y-%m-%d %H:%M")


def rule_label(name: str) -> str:
    return t(f"settings.rule.{name}")


def _inline(text: str) -> str:
    """A label inside an English sentence: "Grade A from" → "grade A from" (not "L3: …")."""
    if current_language() == "en" and len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def _number(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    if isinstance(value, float) and not value.is_integer():
        return format_number(value, 2).rstrip("0").rstrip(".")
    return format_int(int(value))


def _problem_text(problem: FieldProblem, labels: Callable[[str], str]) -> str:
    """A problem in the user's language, naming fields by the labels this page shows."""
    params = {name: _number(value) for name, value in problem.params.items()}
    if isinstance(params.get("other"), str):
        params["other"] = _inline(labels(params["other"]))
    # replace(), not a new FieldProblem: a problem of another kind (a database fault) words itself its own way
    return replace(problem, params=params).text(current_language(), field_label=_inline(labels(problem.field)))


def _role_names() -> dict[Role, str]:
    # Names looked up now, in this run's language (a format_func may be called outside the run).
    return {role: label("role", role) for role in Role}


def _industry_names() -> dict[Industry, str]:
    return {industry: label("industry", industry) for industry in Industry}


def _user_field(name: str) -> str:
    return t(f"settings.users.field.{name}")


def _denied(error: PermissionDenied) -> None:
    st.error(t("settings.denied"), icon=":material/block:")


# --- users -------------------------------------------------------------------------------------


def users_section() -> None:
    """The accounts table, the form to add one, and the changes to a picked account (each change acts for the
    administrator signed in when it is saved: ``signed_in.save``)."""
    users = _users()
    _users_table(users)
    left, right = st.columns(2, gap="large")
    with left:
        _manage_user(users)
    with right:
        _add_user_form()


def _users_table(users: Sequence[UserRow]) -> None:
    frame = pd.DataFrame([{
        "username": u.username,
        "display_name": u.display_name,
        "role": label("role", u.role),
        "active": u.active,
        "throttled_until": _park_time(u.throttled_until) if u.throttled_until else "",
        "last_sign_in": _park_time(u.last_sign_in) if u.last_sign_in else t("settings.users.never"),
        "open_sessions": u.open_sessions,
    } for u in users])
    st.dataframe(frame, hide_index=True, width="stretch", column_config={
        "username": st.column_config.TextColumn(_user_field("username")),
        "display_name": st.column_config.TextColumn(_user_field("display_name")),
        "role": st.column_config.TextColumn(_user_field("role")),
        "active": st.column_config.CheckboxColumn(_user_field("active")),
        "throttled_until": st.column_config.TextColumn(_user_field("throttled_until"),
                                                       help=t("settings.users.throttled_help")),
        "last_sign_in": st.column_config.TextColumn(_user_field("last_sign_in")),
        "open_sessions": st.column_config.NumberColumn(_user_field("open_sessions"), format="%d"),
    })


def _field_errors(slots: dict[str, Any], error: RecordInvalid, labels: Callable[[str], str],
                  fallback: str) -> None:
    for problem in error.problems:
        where = slots.get(problem.field) or slots[fallback]
        where.error(_problem_text(problem, labels), icon=":material/error:")


def _add_user_form() -> None:
    st.subheader(t("settings.users.add_title"))
    roles = list(Role)
    with st.form("settings_add_user", clear_on_submit=False):
        slots: dict[str, Any] = {}
        username = st.text_input(_user_field("username"), key="settings.add.username", max_chars=64,
                                 help=t("settings.users.username_help"))
        slots["username"] = st.empty()
        display_name = st.text_input(_user_field("display_name"), key="settings.add.display_name", max_chars=100)
        slots["display_name"] = st.empty()
        role = st.selectbox(_user_field("role"), roles, index=roles.index(Role.staff), key="settings.add.role",
                            format_func=_role_names().__getitem__)
        slots["role"] = st.empty()
        password = st.text_input(_user_field("password"), type="password", key="settings.add.password",
                                 autocomplete="new-password", help=t("settings.users.password_help"))
        slots["password"] = st.empty()
        again = st.text_input(_user_field("password_again"), type="password", key="settings.add.again",
                              autocomplete="new-password")
        slots["password_again"] = st.empty()
        submitted = st.form_submit_button(t("settings.users.add_submit"), type="primary", icon=":material/person_add:")
    if not submitted:
        return
    if password != again:
        slots["password_again"].error(t("settings.users.passwords_differ"), icon=":material/error:")
        return
    try:
        data = {"username": username, "display_name": display_name, "role": role, "password": password}
        name = save(lambda s, actor: add_user(session=s, actor=actor, data=data).username)
    except PermissionDenied as error:
        _denied(error)
        return
    except RecordInvalid as error:
        _field_errors(slots, error, _user_field, "password_again")
        return
    for field in ("username", "display_name", "password", "again"):
        st.session_state.pop(f"settings.add.{field}", None)
    _flash(t("settings.users.added", username=name))
    st.rerun()


def _manage_user(users: Sequence[UserRow]) -> None:
    st.subheader(t("settings.users.manage_title"))
    by_id = {u.id: u for u in users}
    picked = st.selectbox(t("settings.users.pick"), list(by_id), key="settings.manage.user",
                          format_func=lambda i: f"{by_id[i].display_name} ({by_id[i].username})")
    if picked is None:
        return
    user = by_id[picked]
    slots: dict[str, Any] = {}
    roles = list(Role)
    with st.form("settings_change_role"):
        role = st.selectbox(_user_field("role"), roles, index=roles.index(user.role), key=f"settings.role.{user.id}",
                            format_func=_role_names().__getitem__)
        slots["role"] = st.empty()
        change = st.form_submit_button(t("settings.users.role_submit"), icon=":material/badge:")
    if change:
        _apply(lambda s, actor: change_role(session=s, actor=actor, user_id=user.id, role=role), slots, "role",
               t("settings.users.role_changed", username=user.username, role=label("role", role)))

    slots["active"] = st.empty()
    if user.active:
        st.caption(t("settings.users.deactivate_help"))
        if st.button(t("settings.users.deactivate"), key="settings.deactivate", icon=":material/person_off:"):
            _apply(lambda s, actor: set_active(session=s, actor=actor, user_id=user.id, active=False), slots, "active",
                   t("settings.users.deactivated", username=user.username))
    else:
        if st.button(t("settings.users.reactivate"), key="settings.reactivate", icon=":material/person_check:"):
            _apply(lambda s, actor: set_active(session=s, actor=actor, user_id=user.id, active=True), slots, "active",
                   t("settings.users.reactivated", username=user.username))

    with st.form("settings_reset_password", clear_on_submit=False):
        st.markdown(f"**{t('settings.users.reset_title')}**")
        password = st.text_input(_user_field("new_password"), type="password", key="settings.reset.password",
                                 autocomplete="new-password", help=t("settings.users.password_help"))
        slots["password"] = st.empty()
        again = st.text_input(_user_field("password_again"), type="password", key="settings.reset.again",
                              autocomplete="new-password")
        slots["password_again"] = st.empty()
        reset = st.form_submit_button(t("settings.users.reset_submit"), icon=":material/lock_reset:")
    if reset:
        if password != again:
            slots["password_again"].error(t("settings.users.passwords_differ"), icon=":material/error:")
            return
        _apply(lambda s, actor: reset_password(session=s, actor=actor, user_id=user.id, password=password), slots,
               "password", t("settings.users.reset_done", username=user.username),
               clear=("settings.reset.password", "settings.reset.again"))


def _apply(write: Callable[[Session, Actor], object], slots: dict[str, Any], fallback: str, success: str,
           clear: Sequence[str] = ()) -> None:
    """Run one write for the administrator signed in now; on success say so and rerun; else show why under the
    field."""
    try:
        save(write)
    except PermissionDenied as error:
        _denied(error)
        return
    except RecordInvalid as error:
        _field_errors(slots, error, _user_field, fallback)
        return
    for name in clear:
        st.session_state.pop(name, None)
    _flash(success)
    st.rerun()


# --- rules -------------------------------------------------------------------------------------


def _bounds(name: str) -> tuple[float | None, float | None]:
    low = high = None
    for item in RuleSettings.model_fields[name].metadata:
        if isinstance(item, annotated_types.Ge):
            low = item.ge
        if isinstance(item, annotated_types.Le):
            high = item.le
    return low, high  # type: ignore[return-value]


def show_value(row: RuleRow, value: Any) -> str:
    """A setting's value as the page shows it: numbers for the language, industries by name."""
    if row.name in INDUSTRY_LISTS:
        return "、".join(label("industry", v) for v in value) if current_language() == "zh" \
            else ", ".join(label("industry", v) for v in value)
    if isinstance(value, bool):
        return t("settings.switch.on") if value else t("settings.switch.off")
    if isinstance(value, int):
        return format_int(value)
    if isinstance(value, float):
        return format_int(int(value)) if value.is_integer() else format_number(value, 2).rstrip("0").rstrip(".")
    return str(value)


def _widget_key(name: str) -> str:
    return f"settings.rule.{name}"


def _input(row: RuleRow) -> Any:
    title = rule_label(row.name)
    if row.name in INDUSTRY_LISTS:
        return st.multiselect(title, list(Industry), default=[Industry(v) for v in row.current],
                              key=_widget_key(row.name), format_func=_industry_names().__getitem__,
                              label_visibility="collapsed")
    if row.unit == "switch":
        return st.toggle(title, value=bool(row.current), key=_widget_key(row.name), label_visibility="collapsed")
    low, high = _bounds(row.name)
    if is_whole_number(row.name):
        return st.number_input(title, value=int(row.current), step=1, format="%d", key=_widget_key(row.name),
                               min_value=int(low) if low is not None else None,
                               max_value=int(high) if high is not None else None, label_visibility="collapsed")
    step = 1_000_000.0 if row.unit == "yuan" else 0.5
    return st.number_input(title, value=float(row.current), step=step, format="%.0f" if row.unit == "yuan" else "%g",
                           key=_widget_key(row.name), min_value=float(low) if low is not None else None,
                           max_value=float(high) if high is not None else None, label_visibility="collapsed")


def _value_of(row: RuleRow, widget_value: Any) -> Any:
    if row.name in INDUSTRY_LISTS:
        return [Industry(v).value for v in widget_value or []]
    return widget_value


def rules_section() -> None:
    """Every rule setting, group by group, with its default, its value in force and who changed it."""
    rows, ignored = _rule_rows(*database_key())
    st.caption(t("settings.rules.caption"))
    if ignored:
        st.warning(t("settings.rules.ignored"), icon=":material/warning:")
    for index, (group, _names) in enumerate(GROUPS):
        group_rows = [r for r in rows if r.group == group]
        changed = sum(r.changed for r in group_rows)
        title = t(f"settings.group.{group}")
        if changed:
            title += " · " + t("settings.rules.n_changed", n=changed)
        with st.expander(title, expanded=index == 0 or bool(st.session_state.get(f"settings.open.{group}"))):
            _group_form(group, group_rows)


def _group_form(group: str, rows: Sequence[RuleRow]) -> None:
    st.caption(t(f"settings.group_help.{group}"))
    widths = (5, 2, 3)
    lists = all(row.name in INDUSTRY_LISTS for row in rows)
    with st.form(f"settings_rules_{group}", border=False):
        if not lists:
            head = st.columns(widths, vertical_alignment="bottom")
            for column, key in zip(head, ("setting", "default", "current"), strict=True):
                column.markdown(f"**{t(f'settings.rules.col.{key}')}**")
        values: dict[str, Any] = {}
        slots: dict[str, Any] = {}
        for row in rows:
            notes = [t(f"settings.help.{row.name}")] if row.description else []
            if row.changed and row.updated_by:
                notes.append(t("settings.rules.changed_by", user=row.updated_by, when=_park_time(row.updated_at)))
            if lists:
                # an industry list: the name and its default above a full-width picker
                notes.insert(0, t("settings.rules.default_is", value=show_value(row, row.default)))
                st.markdown(f"**{rule_label(row.name)}**  \n:gray[{' · '.join(notes)}]")
                values[row.name] = _value_of(row, _input(row))
                slots[row.name] = st.empty()
                continue
            left, middle, right = st.columns(widths, vertical_alignment="top")
            left.markdown(rule_label(row.name) + (f"  \n:gray[{' · '.join(notes)}]" if notes else ""))
            unit = t(f"settings.unit1.{row.unit}") if row.default == 1 else t(f"settings.unit.{row.unit}")
            middle.markdown(f"{show_value(row, row.default)} {unit}")
            with right:
                values[row.name] = _value_of(row, _input(row))
                slots[row.name] = st.empty()
        slots["__form__"] = st.empty()
        save_col, reset_col = st.columns(2)
        with save_col:
            saving = st.form_submit_button(t("settings.rules.save"), type="primary", icon=":material/save:")
        with reset_col:
            reset = st.form_submit_button(t("settings.rules.reset_group"), icon=":material/restart_alt:",
                                          disabled=not any(r.changed for r in rows))
    if not (saving or reset):
        return
    st.session_state[f"settings.open.{group}"] = True
    def change(session: Session, actor: Actor) -> list[str]:
        before = effective_rules(session)
        if saving:
            after = save_rules(session=session, actor=actor, changes={row.name: values[row.name] for row in rows})
        else:
            after = reset_rules(session=session, actor=actor, names=[r.name for r in rows if r.changed])
        return [r.name for r in rows if not same(r.name, getattr(before, r.name), getattr(after, r.name))]

    try:
        changed = save(change)
    except PermissionDenied as error:
        _denied(error)
        return
    except RecordInvalid as error:
        slots["__form__"].error(t("settings.rules.not_saved"), icon=":material/block:")
        labels = rule_label
        for problem in error.problems:
            (slots.get(problem.field) or slots["__form__"]).error(_problem_text(problem, labels),
                                                                  icon=":material/error:")
        return
    if not changed:
        slots["__form__"].info(t("settings.rules.nothing_changed"), icon=":material/info:")
        return
    for row in rows:
        st.session_state.pop(_widget_key(row.name), None)
    names = "、".join(map(rule_label, changed)) if current_language() == "zh" else ", ".join(map(rule_label, changed))
    _flash(t("settings.rules.saved", names=names) if saving else t("settings.rules.reset_done", names=names))
    st.rerun()


# --- backup ------------------------------------------------------------------------------------


def database_copy(eng: Engine) -> bytes:
    """A consistent copy of the SQLite database (online backup API) as bytes."""
    with tempfile.TemporaryDirectory(prefix="park-safety-backup-") as folder:
        return backup_database(eng, Path(folder) / "backup.sqlite3").read_bytes()


def backup_section() -> None:
    eng = engine()
    st.caption(t("settings.backup.caption"))
    if eng.url.get_backend_name() != "sqlite":
        st.info(t("settings.backup.postgres_note"), icon=":material/database:")
        st.code("park-safety db backup park-safety.dump\n# " + t("settings.backup.or") +
                "\npg_dump --format=custom --file=park-safety.dump \"$PARK_SAFETY_DATABASE_URL\"", language="bash")
        return
    stamp = clock.now().astimezone(ZoneInfo(get_settings().timezone)).strftime("%Y%m%d-%H%M")

    token = session_token()

    def make(_: Actor) -> bytes:
        try:
            data = database_copy(eng)
        except BackupError as error:  # shown by the browser as a failed download
            raise RuntimeError(str(error)) from error
        # audited as every write is saved: for the user of this tab's session, read again in the write
        save(lambda session, actor: audit_backup(session=session, actor=actor, size=len(data)), token=token)
        return data

    # made on the click, only while this tab's session is live and its user still an administrator
    data = on_click(make, page="settings", permission=Permission.manage_settings)
    st.download_button(t("settings.backup.button"), data=data, file_name=f"park-safety-{stamp}.sqlite3",
                       mime="application/vnd.sqlite3", icon=":material/download:", type="primary",
                       on_click="ignore", key="settings.backup")
    st.caption(t("settings.backup.restore"))
