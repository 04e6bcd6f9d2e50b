"""The hazard closed-loop worklist (隐患闭环工作台): the hazards not yet verified today, most overdue
first, filterable; one hazard's details; and the transitions its status allows, each asking only
for what it needs. Public exposure (公开曝光) is set or withdrawn here too.

Staff and admin (``edit_records``) get the buttons; every other role sees the same list and details
read-only (the services refuse their writes anyway). A transition is sent with the version the user
was shown when they opened it: if someone saved the hazard in between, nothing is written, the user
is told and the panel shows the hazard as it now is.

Widget state lives under ``worklist.*`` keys. Reads are cached by (database, data revision, day, ...),
so a write shows on the next run for every user.
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import asdict
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st
from sqlmodel import Session

from dashboard.clock import park_today
from dashboard.i18n import current_language, format_date, format_int, format_money, label, name_in_language, t
from dashboard.services.hazard_workflow import allowed_transitions, transition_hazard
from dashboard.services.hazard_worklist import (
    PAGE_SIZE,
    UNCLOSED_STATES,
    VIEWS,
    HazardDetail,
    Worklist,
    WorklistCounts,
    WorklistQuery,
    hazard_detail,
    set_public_exposure,
    worklist_counts,
)
from dashboard.services.hazard_worklist import hazard_worklist as worklist_page
from dashboard.services.permissions import Permission, PermissionDenied
from dashboard.services.sign_in import CurrentUser
from dashboard.views.data import database_key, engine
from dashboard.views.evidence import before_after, hazard_photos
from dashboard.views.session import current_user
from dashboard.views.signed_in import save
from models.enums import HazardCategory, HazardSeverity, HazardStatus
from models.messages import field_label
from models.validation import RecordInvalid, saved_by

K = "worklist."
ACTION = K + "_action"  # {"hazard": id, "name": transition or "expose"/"withdraw", "version": shown}
FLASH = K + "_flash"  # (worklist.flash.<name>, params, kind) for the next run
KEPT = K + "_kept"  # the hazard just acted on: it stays picked even when it leaves the list
PICK = K + "pick"
PAGE = K + "page"

STATE_COLOURS = {"open": "orange", "rectifying": "blue", "rectified": "green", "verified": "gray"}


# --- cached reads ---------------------------------------------------------------------------------


@st.cache_data(show_spinner=False, max_entries=32)
def _worklist(url: str, revision: int, as_of: date, query: WorklistQuery, offset: int) -> Worklist:
    with Session(engine()) as session:
        return worklist_page(session, as_of, query, offset=offset, limit=PAGE_SIZE)


@st.cache_data(show_spinner=False, max_entries=8)
def _counts(url: str, revision: int, as_of: date) -> WorklistCounts:
    with Session(engine()) as session:
        return worklist_counts(session, as_of)


@st.cache_data(show_spinner=False, max_entries=32)
def _detail(url: str, revision: int, as_of: date, hazard_id: int) -> HazardDetail | None:
    with Session(engine()) as session:
        return hazard_detail(session, hazard_id, as_of)


def load_worklist(as_of: date, query: WorklistQuery, offset: int) -> Worklist:
    return _worklist(*database_key(), as_of, query, offset)


def load_counts(as_of: date) -> WorklistCounts:
    return _counts(*database_key(), as_of)


def load_detail(as_of: date, hazard_id: int) -> HazardDetail | None:
    return _detail(*database_key(), as_of, hazard_id)


# --- words ----------------------------------------------------------------------------------------

_MARKDOWN = re.compile(r"([\\`*_\[\]#|~<>$:])")


def plain(text: object) -> str:
    """What a user typed, shown as typed inside markdown (never as markup)."""
    return _MARKDOWN.sub(r"\\\1", str(text))


def state_name(state: str) -> str:
    """A hazard's state in the closed loop as every page names it (未整改, 整改中, 已整改待验收, 已验收销号);
    how its deadline stands – overdue, due, awaiting verification – is told apart in the due column."""
    return label("hazard_status", state)


def due_text(state: str, days_overdue: int, days_left: int | None) -> str:
    """How the deadline stands: overdue by k days, k days left, due today; rectified: awaiting verification."""
    if days_overdue > 0:
        return t("worklist.due.overdue", days=format_int(days_overdue))
    if days_left == 0:
        return t("worklist.due.today")
    if days_left is not None:
        return t("worklist.due.left", days=format_int(days_left))
    return t(f"worklist.due.{'closed' if state == 'verified' else 'awaiting'}")


def marks(listed: bool, exposed: bool) -> str:
    """挂牌督办 · 公开曝光, as far as they apply ("" for neither)."""
    return " · ".join([t("worklist.mark.listed")] * listed + [t("worklist.mark.exposed")] * exposed)


def field_title(name: str) -> str:
    text = field_label(name, current_language())
    return text[:1].upper() + text[1:]


# --- the panel ------------------------------------------------------------------------------------


def hazard_worklist() -> None:
    """The whole worklist panel for the signed-in user (read-only for roles that may not edit records)."""
    user = current_user()
    if user is None:
        st.info(t("worklist.signed_out"))
        return
    today = park_today()
    may_edit = user.actor.may(Permission.edit_records)
    st.subheader(t("worklist.title"))
    st.caption(t("worklist.caption", today=format_date(today)))
    _counts_row(load_counts(today))
    query = _filters()
    listed = _table(today, query)
    hazard_id = _pick(listed)
    if hazard_id is None:
        _show_flash()
        return
    detail = load_detail(today, hazard_id)
    if detail is None:
        st.warning(t("worklist.gone"))
        return
    box = st.container(border=True)
    with box:
        _show_flash()
        _details(detail)
        with st.expander(t("evidence.photos_heading"), expanded=True, icon=":material/photo_library:"):
            hazard_photos(detail.id, user, base=f"{K}evidence.hazard.{detail.id}")
        if may_edit:
            _actions(detail, user, today)
        else:
            st.caption(t("worklist.read_only"), help=t("worklist.read_only_help"))


def _counts_row(counts: WorklistCounts) -> None:
    row = st.columns(5)
    row[0].metric(t("worklist.count.todo"), format_int(counts.todo))
    row[1].metric(t("worklist.count.overdue"), format_int(counts.overdue))
    row[2].metric(t("worklist.count.rectified"), format_int(counts.rectified))
    row[3].metric(t("worklist.count.listed"), format_int(counts.listed))
    row[4].metric(t("worklist.count.exposed"), format_int(counts.exposed))


def _filters() -> WorklistQuery:
    # names worded now: a widget's format_func may also run outside this script run (another language)
    views = {v: t(f"worklist.view.{v}") for v in VIEWS}
    category_names = {c.value: label("hazard_category", c) for c in HazardCategory}
    severity_names = {s.value: label("hazard_severity", s) for s in HazardSeverity}
    state_names = {s: state_name(s) for s in UNCLOSED_STATES}
    view = st.radio(t("worklist.view"), VIEWS, key=K + "view", horizontal=True, format_func=views.__getitem__)
    todo = view != "closed"
    first = st.columns([2, 1.4, 1, 1.4])
    search = first[0].text_input(t("worklist.search"), key=K + "search", placeholder=t("worklist.search_hint"))
    categories = first[1].multiselect(
        t("worklist.category"), list(category_names), key=K + "categories", format_func=category_names.__getitem__,
        placeholder=t("worklist.any"))
    severities = first[2].multiselect(
        t("worklist.severity"), list(severity_names), key=K + "severities", format_func=severity_names.__getitem__,
        placeholder=t("worklist.any"))
    states = first[3].multiselect(
        t("worklist.state"), list(state_names), key=K + "states", format_func=state_names.__getitem__,
        placeholder=t("worklist.any"), disabled=not todo)
    flags = st.container(horizontal=True)
    overdue = flags.checkbox(t("worklist.overdue_only"), key=K + "overdue", disabled=not todo)
    listed = flags.checkbox(t("worklist.listed_only"), key=K + "listed", help=t("worklist.listed_help"))
    exposed = flags.checkbox(t("worklist.exposed_only"), key=K + "exposed", help=t("worklist.exposed_help"))
    return WorklistQuery(
        view="closed" if not todo else "todo", search=str(search or "").strip()[:100],
        categories=tuple(categories), severities=tuple(severities), states=tuple(states) if todo else (),
        overdue_only=bool(overdue) and todo, listed_only=bool(listed), exposed_only=bool(exposed),
    )


def _signature(query: WorklistQuery) -> str:
    return hashlib.sha1(repr(sorted(asdict(query).items())).encode()).hexdigest()[:10]


def _table(today: date, query: WorklistQuery) -> pd.DataFrame:
    """One page of the worklist as a table whose row can be selected; returns the page's rows."""
    signature = _signature(query)
    if st.session_state.get(K + "_query") != signature:  # new filters: back to the first page
        st.session_state[K + "_query"] = signature
        st.session_state[PAGE] = 1
    page = int(st.session_state.get(PAGE) or 1)
    listed = load_worklist(today, query, (page - 1) * PAGE_SIZE)
    pages = max(1, math.ceil(listed.total / PAGE_SIZE))
    if page > pages:  # the list shrank (a write, or another user's)
        st.session_state[PAGE] = page = pages
        listed = load_worklist(today, query, (page - 1) * PAGE_SIZE)
    rows = listed.rows
    if rows.empty:
        st.info(t("worklist.empty_closed") if query.view == "closed" else t("worklist.empty"))
        return rows
    closed = query.view == "closed"
    shown = pd.DataFrame({
        "id": rows["id"],
        "enterprise": [name_in_language(n, e) for n, e in zip(rows["enterprise_name"], rows["enterprise_name_en"],
                                                              strict=True)],
        "description": rows["description"],
        "deadline": rows["deadline"],
        "due": [due_text(s, int(o), None if pd.isna(left) else int(left))
                for s, o, left in zip(rows["state"], rows["days_overdue"], rows["days_left"], strict=True)],
        "verified_on": rows["verified_on"],
        "verified_by": rows["verified_by"],
        "state": [state_name(s) for s in rows["state"]],
        "marks": [marks(bool(a), bool(b)) for a, b in zip(rows["listed_supervision"], rows["publicly_exposed"],
                                                         strict=True)],
        "severity": [label("hazard_severity", v) for v in rows["severity"]],
        "category": [label("hazard_category", v) for v in rows["category"]],
        "responsible": rows["responsible_person"],
    })
    shown = shown.drop(columns=["due", "state"] if closed else ["verified_on", "verified_by"])
    # widths in pixels: what identifies a hazard and how late it is comes first and fits without scrolling
    config = {
        "id": st.column_config.NumberColumn(t("worklist.col.id"), format="%d", width=64),
        "enterprise": st.column_config.TextColumn(t("worklist.col.enterprise"), width=184),
        "description": st.column_config.TextColumn(t("worklist.col.description"), width=210),
        "deadline": st.column_config.DateColumn(t("worklist.col.deadline"), format="YYYY-MM-DD", width=96),
        "due": st.column_config.TextColumn(t("worklist.col.due"), width=120),
        "verified_on": st.column_config.DateColumn(t("worklist.col.verified_on"), format="YYYY-MM-DD", width=110),
        "verified_by": st.column_config.TextColumn(t("worklist.col.verified_by"), width=112),
        "state": st.column_config.TextColumn(t("worklist.col.state"), width=112),
        "marks": st.column_config.TextColumn(t("worklist.col.marks"), width=136,
                                             help=f"{t('worklist.listed_help')} {t('worklist.exposed_help')}"),
        "severity": st.column_config.TextColumn(t("worklist.col.severity"), width=84),
        "category": st.column_config.TextColumn(t("worklist.col.category"), width=150),
        "responsible": st.column_config.TextColumn(t("worklist.col.responsible"), width=100),
    }
    # a new table (no row selected) for new filters, another page or changed data: a selected row index
    # must never come to mean another hazard
    table_key = f"{K}table.{signature}.{page}.{database_key()[1]}"
    event = st.dataframe(shown, hide_index=True, key=table_key, on_select="rerun", selection_mode="single-row",
                         column_config=config, height=min(35 * (len(shown) + 1) + 3, 420), width="stretch")
    selected = list(event.selection.rows) if event is not None else []
    if selected and 0 <= selected[0] < len(rows):
        picked = int(rows["id"].iloc[selected[0]])
        if st.session_state.get(K + "_table_pick") != (table_key, picked):  # a new click in the table
            st.session_state[K + "_table_pick"] = (table_key, picked)
            st.session_state[PICK] = picked
    first, last = listed.offset + 1, listed.offset + len(rows)
    line = st.container(horizontal=True, vertical_alignment="center")
    line.caption(t("worklist.showing", first=format_int(first), last=format_int(last),
                   total=format_int(listed.total)))
    if pages > 1:
        line.number_input(t("worklist.page", pages=format_int(pages)), min_value=1, max_value=pages, step=1,
                          key=PAGE, width=160)
    return rows


def _pick(rows: pd.DataFrame) -> int | None:
    """The hazard whose details are shown: picked in the table or the box, else the first listed. The
    hazard just acted on stays picked even when it has left the list (verified, or filtered out)."""
    ids = [int(i) for i in rows["id"]] if not rows.empty else []
    records = [{str(k): v for k, v in r.items()} for r in rows.to_dict("records")]
    names = {int(r["id"]): _summary(r) for r in records}
    current = st.session_state.get(PICK)
    kept = st.session_state.get(KEPT)
    if current not in names:
        if current is not None and current == kept:
            detail = load_detail(park_today(), int(current))
            if detail is not None:
                ids.insert(0, int(current))
                names[int(current)] = _detail_summary(detail)
        if st.session_state.get(PICK) not in names:
            if not ids:
                return None
            st.session_state[PICK] = ids[0]
    if st.session_state.get(PICK) != kept:
        st.session_state.pop(KEPT, None)
    chosen = st.selectbox(t("worklist.pick"), ids, key=PICK, format_func=names.__getitem__,
                          help=t("worklist.pick_help"))
    return int(chosen) if chosen is not None else None


def _summary(row: dict[str, Any]) -> str:
    text = str(row["description"])
    short = text if len(text) <= 30 else text[:29] + "…"
    return (f"#{row['id']} · {name_in_language(row['enterprise_name'], row['enterprise_name_en'])} · "
            f"{label('hazard_category', row['category'])} · {short}")


def _detail_summary(d: HazardDetail) -> str:
    return _summary({"id": d.id, "description": d.description, "enterprise_name": d.enterprise_name,
                     "enterprise_name_en": d.enterprise_name_en, "category": d.category})


# --- one hazard -----------------------------------------------------------------------------------


def _details(d: HazardDetail) -> None:
    st.markdown(f"**{t('worklist.detail.title', id=d.id)}** · "
                f"{plain(name_in_language(d.enterprise_name, d.enterprise_name_en))}")
    badges = st.container(horizontal=True, gap="small")
    with badges:
        st.badge(state_name(d.state), color=STATE_COLOURS.get(d.state, "gray"))  # type: ignore[arg-type]
        if d.days_overdue > 0:
            st.badge(due_text(d.state, d.days_overdue, d.days_left), icon=":material/schedule:", color="red")
        st.badge(label("hazard_severity", d.severity), color="red" if d.severity == "major" else "gray")
        st.badge(label("hazard_category", d.category), color="gray")
        if d.listed_supervision:
            st.badge(t("worklist.badge.listed"), icon=":material/flag:", color="violet")
        if d.publicly_exposed:
            st.badge(t("worklist.badge.exposed"), icon=":material/campaign:", color="red")
    st.markdown(plain(d.description))
    left, right = st.columns(2)
    inspection = "—"
    if d.inspection_id is not None and d.inspected_on is not None:
        inspection = t("worklist.detail.inspection", id=d.inspection_id, date=format_date(d.inspected_on),
                       tier=label("inspection_tier", d.inspection_tier or ""))
    due = due_text(d.state, d.days_overdue, d.days_left)
    _facts(left, [
        (t("worklist.detail.uscc"), plain(d.uscc)),
        (field_title("found_on"), format_date(d.found_on)),
        (field_title("inspection_id"), inspection),
        (field_title("deadline"), t("worklist.detail.deadline", date=format_date(d.deadline), due=due)),
        (field_title("responsible_person"), plain(d.responsible_person)),
        (t("worklist.detail.funds"), format_money(d.funds_yuan) if d.funds_yuan is not None else "—"),
    ])
    _facts(right, [
        (field_title("measures"), plain(d.measures) if d.measures else "—"),
        (field_title("contingency_plan"), plain(d.contingency_plan) if d.contingency_plan else "—"),
        (field_title("rectified_on"), format_date(d.rectified_on)),
        (field_title("verified_on"), format_date(d.verified_on)),
        (field_title("verified_by"), plain(d.verified_by) if d.verified_by else "—"),
    ])


def _facts(where: Any, items: list[tuple[str, str]]) -> None:
    where.markdown("\n".join("- " + t("worklist.detail.fact", name=f"**{name}**", value=value)
                              for name, value in items))


# --- what the user may do with it -----------------------------------------------------------------


def _open_action(hazard_id: int, name: str, version: int) -> None:
    """Open the form of an action on the hazard as shown (its version); the form starts afresh."""
    for field in ("rectified_on", "verified_on", "verified_by", "reason"):
        st.session_state.pop(K + field, None)
    st.session_state[ACTION] = {"hazard": hazard_id, "name": name, "version": version}
    st.session_state[KEPT] = hazard_id  # it stays picked while the form is open, even if a save elsewhere
    # takes it off the list: the save is then refused as stale and says so, never dropped unseen


def _actions(d: HazardDetail, user: CurrentUser, today: date) -> None:
    names = allowed_transitions(HazardStatus(d.status))
    exposure = "withdraw" if d.publicly_exposed else "expose"
    line = st.container(horizontal=True)
    for name in [*names, exposure]:
        line.button(t(f"worklist.do.{name}"), key=f"{K}do.{name}", icon=ICONS[name],
                    type="primary" if name in ("rectify", "verify") else "secondary",
                    on_click=_open_action, args=(d.id, name, d.version))
    action = st.session_state.get(ACTION)
    if not action or action.get("hazard") != d.id or action.get("name") not in (*names, exposure):
        st.session_state.pop(ACTION, None)
        return
    if action.get("name") == "verify":  # the verifier looks at the before and after photos first
        before_after(d.id, user)
    _action_form(d, action, user.display_name, today)


ICONS = {
    "start_rectifying": ":material/construction:", "stop_rectifying": ":material/undo:",
    "rectify": ":material/task_alt:", "verify": ":material/verified:", "reopen": ":material/restart_alt:",
    "expose": ":material/campaign:", "withdraw": ":material/visibility_off:",
}


def _action_form(d: HazardDetail, action: dict[str, Any], display_name: str, today: date) -> None:
    name = str(action["name"])
    with st.form(f"{K}form.{name}", border=True):
        st.markdown(f"**{t(f'worklist.do.{name}')}**")
        st.caption(t(f"worklist.explain.{name}"))
        values: dict[str, Any] = {}
        spots: dict[str, Any] = {}
        if name == "rectify":
            values["rectified_on"] = st.date_input(
                field_title("rectified_on"), value=today, min_value=d.found_on, max_value=today,
                key=K + "rectified_on", format="YYYY-MM-DD")
            spots["rectified_on"] = st.empty()
        elif name == "verify":
            values["verified_on"] = st.date_input(
                field_title("verified_on"), value=today, min_value=d.rectified_on or d.found_on, max_value=today,
                key=K + "verified_on", format="YYYY-MM-DD")
            spots["verified_on"] = st.empty()
            values["verified_by"] = st.text_input(field_title("verified_by"), value=display_name,
                                                  key=K + "verified_by", max_chars=100)
            spots["verified_by"] = st.empty()
        elif name in ("stop_rectifying", "reopen"):
            values["reason"] = st.text_area(field_title("reason"), key=K + "reason", height=80, max_chars=1000,
                                            placeholder=t(f"worklist.reason_hint.{name}"))
            spots["reason"] = st.empty()
        general = st.empty()
        buttons = st.container(horizontal=True)
        with buttons:
            submitted = st.form_submit_button(t(f"worklist.confirm.{name}"), type="primary", key=K + "submit")
            cancelled = st.form_submit_button(t("worklist.cancel"), key=K + "cancel")
    if cancelled:
        st.session_state.pop(ACTION, None)
        st.rerun()
    if not submitted:
        return
    try:
        version = int(action["version"])
        if name in ("expose", "withdraw"):
            save(lambda s, actor: set_public_exposure(session=s, actor=actor, hazard_id=d.id, version=version,
                                                      exposed=name == "expose"))
        else:
            save(lambda s, actor: transition_hazard(session=s, actor=actor, hazard_id=d.id, version=version,
                                                    transition=name, today=today, **values))
    except PermissionDenied:
        general.error(t("worklist.denied"), icon=":material/block:")
        return
    except RecordInvalid as refused:
        language = current_language()
        if "version" in refused.fields:
            stale = next(p for p in refused.problems if p.field == "version")
            st.session_state.pop(ACTION, None)
            st.session_state[KEPT] = d.id  # shown as it now stands, even when the other save took it off the list
            st.session_state[FLASH] = ("stale", {"id": d.id, "who": plain(saved_by(stale, language))}, "warning")
            st.rerun()
        elsewhere = []
        for problem in refused.problems:
            spot = spots.get(problem.field)
            if spot is not None:
                spot.error(plain(problem.text(language)), icon=":material/error:")
            else:
                elsewhere.append(plain(problem.text(language)))
        lines = [t("worklist.not_saved")] + [f"- {line}" for line in elsewhere]
        general.error("\n".join(lines), icon=":material/block:")
        return
    st.session_state.pop(ACTION, None)
    for field in ("rectified_on", "verified_on", "verified_by", "reason"):
        st.session_state.pop(K + field, None)
    st.session_state[KEPT] = d.id
    st.session_state[FLASH] = (name, {"id": d.id}, "success")
    st.rerun()


def _show_flash() -> None:
    note = st.session_state.pop(FLASH, None)
    if not note:
        return
    name, params, kind = note
    if kind == "warning":
        st.warning(t(f"worklist.flash.{name}", **params), icon=":material/sync_problem:")
    else:
        st.success(t(f"worklist.flash.{name}", **params), icon=":material/check_circle:")
