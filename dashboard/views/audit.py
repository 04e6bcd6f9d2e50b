"""The Audit page's parts: the filters, one page of the log, what a change changed, the CSV export."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st
from sqlalchemy import Engine
from sqlmodel import Session

from dashboard import clock
from dashboard.clock import park_today
from dashboard.i18n import CATALOGS, current_language, format_int, label, t
from dashboard.services.audit_log import (
    AuditChoices,
    AuditEntry,
    AuditFilter,
    AuditPage,
    FieldChange,
    audit_choices,
    audit_entries,
    audit_page,
    changes,
    last_entry_id,
)
from dashboard.services.permissions import Actor, Permission
from dashboard.services.rule_settings import INDUSTRY_LISTS
from dashboard.services.tabular import csv_text
from dashboard.settings import get_settings
from dashboard.views.data import engine
from dashboard.views.signed_in import on_click
from models.enums import Role
from models.messages import field_label

PAGE_SIZES = (25, 50, 100, 200)
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
PAGE_KEY = "audit.page"
SIGNATURE_KEY = "audit._filters"

# Fields whose values are enumerations, named like the rest of the app (``status`` depends on the table).
ENUM_FIELDS = {
    "industry": "industry", "category": "hazard_category", "severity": "hazard_severity", "tier": "inspection_tier",
    "kind": "sign_kind", "condition": "sign_condition", "level": "accident_level", "audience": "training_audience",
    "standardization_grade": "standardization_grade", "major_hazard_source": "major_hazard_source",
    "decision": "loan_decision", "role": "role",
}
STATUS_KINDS = {"hazard": "hazard_status", "enterprise": "enterprise_status"}


# --- reads -------------------------------------------------------------------------------------


@st.cache_data(show_spinner=False, max_entries=4)
def _choices(url: str, last_id: int, username: str, role: str) -> AuditChoices:
    with Session(engine()) as session:
        return audit_choices(session, Actor(username, Role(role)))


def load_choices(actor: Actor) -> AuditChoices:
    """The users, tables and actions present in the log, read again whenever a row is added."""
    with Session(engine()) as session:
        last_id = last_entry_id(session)
    return _choices(get_settings().effective_database_url, last_id, actor.username, actor.role.value)


def load_page(actor: Actor, filters: AuditFilter, page: int, page_size: int) -> AuditPage:
    # Not cached: sign-ins add rows without a data revision, and each page is one indexed query.
    with Session(engine()) as session:
        return audit_page(session, actor, filters, page=page, page_size=page_size,
                          timezone=get_settings().timezone)


# --- names ----------------------------------------------------------------------------------------


def _known(key: str) -> bool:
    return key in CATALOGS["en"]


def entity_name(entity: str) -> str:
    """A table (or other thing the log names) in the user's language; an unknown one as it is."""
    return t(f"audit.entity.{entity}") if _known(f"audit.entity.{entity}") else entity


def action_name(action: str) -> str:
    return t(f"audit.action.{action}") if _known(f"audit.action.{action}") else action


def action_text(entry: AuditEntry) -> str:
    """The action as the list shows it: a burst of refused sign-ins is one row, "Sign-in refused ×37"."""
    attempts = _load_after(entry.after_json).get("attempts") if entry.action == "sign_in_refused" else None
    times = f" ×{format_int(attempts)}" if isinstance(attempts, int) and attempts > 1 else ""
    return action_name(entry.action) + times


def _load_after(after_json: str | None) -> dict[str, Any]:
    try:
        after = json.loads(after_json) if after_json else {}
    except ValueError:
        return {}
    return after if isinstance(after, dict) else {}


def field_name(entity: str, name: str) -> str:
    """A changed field's label in the user's language."""
    if entity == "rule_setting" and _known(f"settings.rule.{name}"):
        return t(f"settings.rule.{name}")
    if _known(f"audit.field.{name}"):
        return t(f"audit.field.{name}")
    return field_label(name, current_language())


def show(entity: str, name: str, value: Any) -> str:
    """A value from the log as the page shows it: enumerations by name, yes/no, a dash for nothing."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return t("audit.yes") if value else t("audit.no")
    kind = STATUS_KINDS.get(entity) if name == "status" else ENUM_FIELDS.get(name)
    if name == "action" and entity == "enforcement":
        kind = "enforcement_action"
    if entity == "rule_setting" and name in INDUSTRY_LISTS and isinstance(value, list):
        return "、".join(label("industry", v) for v in value)
    if kind is not None and isinstance(value, str):
        return label(kind, value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    return str(value)


# --- drawing ----------------------------------------------------------------------------------


def filters_form(choices: AuditChoices) -> tuple[AuditFilter, int]:
    """The filters (applied on submit) and the page size; returns the filter in force."""
    today = park_today()
    with st.form("audit_filters"):
        first, second, third = st.columns(3)
        usernames = first.multiselect(t("audit.filter.user"), choices.usernames, key="audit.users",
                                      placeholder=t("audit.filter.all"))
        entity_names = {entity: entity_name(entity) for entity in choices.entities}
        action_names = {action: action_name(action) for action in choices.actions}
        entities = second.multiselect(t("audit.filter.entity"), choices.entities, key="audit.entities",
                                      format_func=entity_names.__getitem__, placeholder=t("audit.filter.all"))
        actions = third.multiselect(t("audit.filter.action"), choices.actions, key="audit.actions",
                                    format_func=action_names.__getitem__, placeholder=t("audit.filter.all"))
        fourth, fifth, sixth = st.columns(3)
        days = fourth.date_input(t("audit.filter.dates"), value=[], max_value=today, key="audit.dates",
                                 format="YYYY-MM-DD", help=t("audit.filter.dates_help"))
        entity_id = fifth.number_input(t("audit.filter.entity_id"), value=None, min_value=1, step=1, format="%d",
                                       key="audit.entity_id", placeholder=t("audit.filter.any"))
        page_size = sixth.selectbox(t("audit.filter.page_size"), PAGE_SIZES, index=1, key="audit.page_size")
        st.form_submit_button(t("audit.filter.apply"), icon=":material/filter_alt:", type="primary")
    since, until = _range(days)
    filters = AuditFilter(tuple(usernames), tuple(entities), tuple(actions), since, until,
                          int(entity_id) if entity_id is not None else None)
    return filters, int(page_size)


def _range(days: Any) -> tuple[date | None, date | None]:
    if isinstance(days, date):
        return days, days
    picked = [d for d in (days or ()) if isinstance(d, date)]
    if not picked:
        return None, None
    return min(picked), max(picked)


def utc_offset(moment: datetime | None) -> str:
    """The park's offset from UTC, e.g. "UTC+8"."""
    moment = moment or clock.now().astimezone(ZoneInfo(get_settings().timezone))
    offset = moment.utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "−"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def entries_frame(entries: Sequence[AuditEntry]) -> pd.DataFrame:
    return pd.DataFrame([{
        "at": e.at.strftime(TIME_FORMAT),
        "username": e.username,
        "action": action_text(e),
        "entity": entity_name(e.entity),
        "entity_id": "" if e.entity_id is None else str(e.entity_id),
        "log_id": e.id,
    } for e in entries], columns=["at", "username", "action", "entity", "entity_id", "log_id"])


def entries_table(entries: Sequence[AuditEntry]) -> None:
    height: int | Literal["content"] = "content" if len(entries) <= 50 else 900  # longer pages scroll inside
    st.dataframe(entries_frame(entries), hide_index=True, width="stretch", height=height, column_config={
        "at": st.column_config.TextColumn(t("audit.col.at", zone=utc_offset(entries[0].at if entries else None))),
        "username": st.column_config.TextColumn(t("audit.col.username")),
        "action": st.column_config.TextColumn(t("audit.col.action")),
        "entity": st.column_config.TextColumn(t("audit.col.entity")),
        "entity_id": st.column_config.TextColumn(t("audit.col.entity_id")),
        "log_id": st.column_config.NumberColumn(t("audit.col.log_id"), format="%d"),
    })


def asked_page(filters: AuditFilter, page_size: int) -> int:
    """The page number picked under the table; back to the first page when the filters change."""
    if st.session_state.get(SIGNATURE_KEY) != (filters, page_size):
        st.session_state[SIGNATURE_KEY] = (filters, page_size)
        st.session_state[PAGE_KEY] = 1
    return int(st.session_state.get(PAGE_KEY) or 1)


def pager(page: AuditPage) -> int:
    """The page picker under the table; returns the page asked for."""
    left, right = st.columns((1, 3), vertical_alignment="bottom")
    st.session_state[PAGE_KEY] = page.page
    asked = left.number_input(t("audit.page"), min_value=1, max_value=page.pages, step=1, key=PAGE_KEY)
    first = (page.page - 1) * page.page_size + 1 if page.total else 0
    last = (page.page - 1) * page.page_size + len(page.entries)
    right.caption(t("audit.showing", first=format_int(first), last=format_int(last), total=format_int(page.total),
                    page=format_int(page.page), pages=format_int(page.pages)))
    return int(asked)


def change_table(entry: AuditEntry) -> None:
    """What one logged change changed: field, before, after (changed fields only)."""
    found: list[FieldChange] = changes(entry.before_json, entry.after_json)
    if not found:
        st.caption(t("audit.diff.none"))
        return
    frame = pd.DataFrame([{
        "field": field_name(entry.entity, c.field),
        "before": show(entry.entity, c.field, c.before),
        "after": show(entry.entity, c.field, c.after),
    } for c in found])
    st.dataframe(frame, hide_index=True, width="stretch", column_config={
        "field": st.column_config.TextColumn(t("audit.diff.field"), width="medium"),
        "before": st.column_config.TextColumn(t("audit.diff.before"), width="large"),
        "after": st.column_config.TextColumn(t("audit.diff.after"), width="large"),
    })


def describe(entry: AuditEntry) -> str:
    """One line naming a logged change, for the picker."""
    record = f" #{entry.entity_id}" if entry.entity_id is not None else ""
    return f"{entry.at.strftime(TIME_FORMAT)} · {entry.username} · {action_text(entry)} · " \
           f"{entity_name(entry.entity)}{record}"


def csv_bytes(eng: Engine, actor: Actor, filters: AuditFilter, headers: Sequence[str]) -> bytes:
    """Every row the filters match (newest first) as CSV with a BOM, so Excel opens it in UTF-8."""
    with Session(eng) as session:  # a user name typed at sign-in by anyone stays text (csv_text's guard)
        text = csv_text(headers, (
            [e.id, e.at.strftime(TIME_FORMAT), e.username, e.action, e.entity,
             "" if e.entity_id is None else e.entity_id, e.before_json or "", e.after_json or ""]
            for e in audit_entries(session, actor, filters, timezone=get_settings().timezone)))
    return ("\ufeff" + text).encode("utf-8")


def export_button(actor: Actor, filters: AuditFilter) -> None:
    eng = engine()
    headers = [t(f"audit.csv.{name}") for name in
               ("log_id", "at", "username", "action", "entity", "entity_id", "before", "after")]
    stamp = park_today().strftime("%Y%m%d")
    # made on the click, for the user signed in on this tab then, while their role may read the audit trail
    data = on_click(lambda now: csv_bytes(eng, now, filters, headers), page="audit", permission=Permission.view_audit)
    st.download_button(t("audit.export"), data=data,
                       file_name=f"audit-log-{stamp}.csv", mime="text/csv", icon=":material/download:",
                       on_click="ignore", key="audit.export", help=t("audit.export_help"))
