"""The Records page's shared reads and writes, the enterprise picker, and the two forms that guard
against concurrent edits: the enterprise and the hazard.

Each of those two forms remembers the record as it was when opened (with its ``version``). A save
someone else beat is refused by the service; the form then lists what changed since it was opened
(field, value then → value now, and who saved it) and offers to reload the current record. The
user's typed values stay in the form until they reload; nothing is overwritten.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st
from sqlmodel import Session
from streamlit.delta_generator import DeltaGenerator

from dashboard.i18n import current_language, format_int, label, name_in_language, t
from dashboard.services.audit import LastChange, last_change
from dashboard.services.enterprises import close_enterprise, create_enterprise, update_enterprise
from dashboard.services.facts import record_id
from dashboard.services.hazards import create_hazard, update_hazard
from dashboard.services.permissions import PermissionDenied
from dashboard.services.record_lookup import (
    ENTERPRISE_FIELDS,
    HAZARD_FIELDS,
    ParkPlace,
    changes_since,
    enterprise_choices,
    park_place,
    plot_choices,
    record,
    records_of,
)
from dashboard.settings import get_settings
from dashboard.views.data import database_key, engine
from dashboard.views.evidence import (
    FILES,
    empty_new_files,
    new_record_files,
    picked_record_evidence,
    save_new,
    with_counts,
)
from dashboard.views.forms_common import (
    Spec,
    clear,
    draw,
    draw_general_problems,
    ensure,
    enum_spec,
    field_title,
    flash,
    key,
    load,
    plain,
    read,
    record_list,
    records_by_id,
    refused,
    set_problems,
    show_flash,
    shown_value,
)
from dashboard.views.signed_in import save
from models.enums import (
    EnterpriseStatus,
    HazardCategory,
    HazardSeverity,
    Industry,
    MajorHazardSource,
    StandardizationGrade,
)
from models.validation import RecordInvalid

T = TypeVar("T")
PICKER_KEY = "records.enterprise"
NEW = 0  # the picker's "new enterprise" option


@dataclass(frozen=True)
class Context:
    """Who is editing (their name, for what the forms show; a save acts for the user signed in when it runs:
    ``signed_in.save``), today's date in the park, and the enterprise picked (None: a new one)."""

    display_name: str
    today: date
    enterprise_id: int | None


# --- reads --------------------------------------------------------------------------------------


@st.cache_data(show_spinner=False, max_entries=4)
def _enterprise_choices(url: str, revision: int) -> pd.DataFrame:
    with Session(engine()) as session:
        return enterprise_choices(session)


@st.cache_resource(show_spinner=False, max_entries=8)  # shared and read-only: one label per enterprise
def _picker_names(url: str, revision: int, language: str) -> dict[int, str]:
    """The picker's options, "new enterprise" first: each enterprise's name in ``language`` (the run's
    language, part of the key) and credit code."""
    names: dict[int, str] = {NEW: t("records.new_enterprise")}
    for row in records_by_id(_enterprise_choices(url, revision)).values():
        name = name_in_language(row["name"], row["name_en"], language)
        closed = f" ({label('enterprise_status', row['status'])})" if row["status"] == EnterpriseStatus.closed else ""
        names[int(row["id"])] = f"{name} · {row['uscc']}{closed}"
    return names


@st.cache_data(show_spinner=False, max_entries=4)
def _plots(url: str, revision: int) -> dict[int, str]:
    with Session(engine()) as session:
        return plot_choices(session)


@st.cache_data(show_spinner=False, max_entries=4)
def _park_place(url: str, revision: int) -> ParkPlace | None:
    with Session(engine()) as session:
        return park_place(session)


@st.cache_data(show_spinner=False, max_entries=64)
def _records(url: str, revision: int, table: str, enterprise_id: int) -> pd.DataFrame:
    with Session(engine()) as session:
        return records_of(session, table, enterprise_id)


def load_plots() -> dict[int, str]:
    return _plots(*database_key())


def load_records(table: str, enterprise_id: int) -> pd.DataFrame:
    """An enterprise's records of one table, newest first (cached until the next write)."""
    return _records(*database_key(), table, enterprise_id)


def read_record(table: str, record_id: int) -> dict[str, Any] | None:
    """One record as stored now (never cached: an edit form starts from the current version)."""
    with Session(engine()) as session:
        return record(session, table, record_id)


def read_last_change(entity: str, entity_id: int) -> LastChange | None:
    with Session(engine()) as session:
        return last_change(session, entity, entity_id)


# --- the enterprise picker ----------------------------------------------------------------------


def enterprise_picker() -> int | None:
    """The searchable enterprise picker above the tabs; None while none is picked or for a new one."""
    names = _picker_names(*database_key(), current_language())
    requested = st.query_params.get("enterprise")
    if requested and requested != st.session_state.get("_records_query"):
        st.session_state["_records_query"] = requested
        wanted = record_id(requested)
        if wanted is not None and wanted in names:
            st.session_state[PICKER_KEY] = wanted
        else:  # not an id, or no enterprise's: say so, and pick none
            st.warning(t("records.unknown_enterprise", value=requested))
            st.session_state[PICKER_KEY] = None
    if st.session_state.get(PICKER_KEY) not in names:
        st.session_state[PICKER_KEY] = None
    picked = st.selectbox(t("records.pick"), list(names), format_func=names.__getitem__, key=PICKER_KEY,
                          placeholder=t("records.pick_placeholder"), help=t("records.pick_help"))
    if picked is None or picked == NEW:
        st.query_params.pop("enterprise", None)
        return None
    if st.query_params.get("enterprise") != str(picked):
        st.query_params["enterprise"] = str(picked)
        st.session_state["_records_query"] = str(picked)
    return int(picked)


# --- what someone else changed ------------------------------------------------------------------


def stale_panel(form: str, entity: str, specs: Sequence[Spec], on_reload: Callable[[], None],
                choices: Mapping[str, Mapping[Any, str]] | None = None) -> None:
    """After a save refused because the record changed since the form was opened: what changed, who changed
    it, and a button that loads the current record (the typed values stay until then)."""
    stale = st.session_state.get(key(form, "_stale"))
    if not stale:
        return
    by_name = {spec.name: spec for spec in specs}
    typed = read(form, specs)
    who: LastChange | None = stale.get("by")
    when = "—"
    if who is not None and who.at is not None:
        at = who.at if who.at.tzinfo is not None else who.at.replace(tzinfo=UTC)  # stored in UTC
        when = at.astimezone(ZoneInfo(get_settings().timezone)).strftime("%Y-%m-%d %H:%M")
    lines = [t("records.stale", who=plain(who.display_name) if who else t("records.someone"), when=when), ""]
    changes = stale["changes"]
    if changes:
        lines.append(t("records.stale_changes"))
        for change in changes:
            options = (choices or {}).get(change.field)
            spec = by_name.get(change.field)
            line = t("records.stale_line", field=field_title(change.field),
                     opened=plain(shown_value(spec, change.opened, options)),
                     current=plain(shown_value(spec, change.current, options)))
            if spec is not None and typed.get(change.field) not in (change.opened, change.current):
                line += t("records.stale_typed", value=plain(shown_value(spec, typed.get(change.field), options)))
            lines.append(line)
    else:
        lines.append(t("records.stale_no_fields"))
    box = st.container(border=True)
    box.warning("\n".join(lines), icon=":material/sync_problem:")
    box.caption(t("records.stale_hint"))
    box.button(t("records.reload"), key=key(form, "_reload"), icon=":material/refresh:", type="primary",
               on_click=on_reload)


COMPARED = {"enterprise": ENTERPRISE_FIELDS, "hazard": HAZARD_FIELDS}
"""The fields a stale form lists the changes of, by the record's table."""


def _stale(form: str, entity: str, record_id: int) -> None:
    opened = st.session_state.get(key(form, "_opened")) or {}
    current = read_record(entity, record_id) or {}
    st.session_state[key(form, "_stale")] = {
        "changes": changes_since(opened, current, COMPARED[entity]),
        "by": read_last_change(entity, record_id),
    }


def _refused(form: str, entity: str, record_id: int | None, invalid: RecordInvalid, fields: Sequence[str]) -> None:
    """A refused save of a form that guards against concurrent edits: a stale version is shown as what changed
    since the form was opened and who saved it (:func:`stale_panel`), any other problem under its field."""
    if "version" not in invalid.fields or record_id is None:
        refused(form, invalid, fields)
        return
    _stale(form, entity, record_id)
    others = [p for p in invalid.problems if p.field != "version"]
    if others:
        refused(form, RecordInvalid(others), fields)
    else:
        set_problems(form, None)


def _open(form: str, specs: Sequence[Spec], current: Mapping[str, Any]) -> None:
    """Load a record into a form and remember it as opened (its version is what a save is checked against)."""
    load(form, specs, current)
    st.session_state[key(form, "_opened")] = dict(current)
    st.session_state.pop(key(form, "_stale"), None)
    set_problems(form, None)


# --- the enterprise -----------------------------------------------------------------------------

# the form's sections, each a list of rows of fields
ENTERPRISE_GROUPS: tuple[tuple[str, tuple[tuple[Spec, ...], ...]], ...] = (
    ("identity", (
        (Spec("uscc", "text", required=True, hint="uscc"), Spec("name", "text", required=True),
         Spec("name_en", "text")),
        (enum_spec("industry", "industry", Industry, preselect=False),
         enum_spec("status", "enterprise_status", EnterpriseStatus, hint="status")),
    )),
    ("place", (
        (Spec("plot_id", "choice"), Spec("lat", "coordinate", required=True), Spec("lon", "coordinate", required=True)),
    )),
    ("contacts", (
        (Spec("legal_rep", "text", required=True), Spec("safety_lead", "text", required=True),
         Spec("phone", "text", required=True), Spec("employees", "int", required=True)),
    )),
    ("staffing", (
        (Spec("safety_staff_fulltime", "int", required=True), Spec("safety_staff_parttime", "int", required=True),
         Spec("special_operators", "int", required=True), Spec("special_operators_certified", "int", required=True)),
        (Spec("safety_org", "bool"), Spec("principal_certified", "bool"), Spec("safety_managers_certified", "bool")),
    )),
    ("standards", (
        (enum_spec("standardization_grade", "standardization_grade", StandardizationGrade),
         enum_spec("major_hazard_source", "major_hazard_source", MajorHazardSource),
         Spec("license_no", "text"), Spec("license_expires_on", "opt_date", hint="license")),
    )),
)
ENTERPRISE_SPECS: tuple[Spec, ...] = tuple(spec for _, rows in ENTERPRISE_GROUPS for row in rows for spec in row)
assert {spec.name for spec in ENTERPRISE_SPECS} == set(ENTERPRISE_FIELDS)
ENT = "ent"


def _enterprise_defaults(today: date) -> dict[str, Any]:
    place = _park_place(*database_key())
    values: dict[str, Any] = {"status": EnterpriseStatus.operating.value,
                              "standardization_grade": StandardizationGrade.none.value,
                              "major_hazard_source": MajorHazardSource.none.value}
    if place is not None:
        values.update(lat=round(place.center_lat, 6), lon=round(place.center_lon, 6))
    return values


def _reset_enterprise_form(enterprise_id: int | None, today: date) -> None:
    if enterprise_id is None:
        clear(ENT, ENTERPRISE_SPECS, today, keep=_enterprise_defaults(today))
        st.session_state[key(ENT, "_opened")] = None
        st.session_state.pop(key(ENT, "_stale"), None)
        set_problems(ENT, None)
    else:
        current = read_record("enterprise", enterprise_id)
        if current is not None:
            _open(ENT, ENTERPRISE_SPECS, current)
    st.session_state[key(ENT, "_for")] = enterprise_id
    st.session_state.pop(key(ENT, "_confirm_close"), None)


def _save_enterprise(ctx: Context) -> None:
    data = read(ENT, ENTERPRISE_SPECS)
    opened = st.session_state.get(key(ENT, "_opened"))
    try:
        if ctx.enterprise_id is not None and opened:
            enterprise_id = ctx.enterprise_id
            data["version"] = opened["version"]
            save(lambda s, actor: update_enterprise(session=s, actor=actor, enterprise_id=enterprise_id, data=data))
        else:
            created = save(lambda s, actor: create_enterprise(session=s, actor=actor, data=data))
            st.session_state[PICKER_KEY] = created.id
            st.session_state[key(ENT, "_for")] = created.id
            _open(ENT, ENTERPRISE_SPECS, read_record("enterprise", created.id or 0) or {})
            flash(ENT, "enterprise_created", name=created.name, name_en=created.name_en)
            return
    except RecordInvalid as invalid:
        _refused(ENT, "enterprise", ctx.enterprise_id, invalid, ENTERPRISE_FIELDS)
        return
    except PermissionDenied as denied:
        refused(ENT, denied, ())
        return
    _open(ENT, ENTERPRISE_SPECS, read_record("enterprise", ctx.enterprise_id or 0) or {})
    flash(ENT, "enterprise_saved", name=str(data.get("name") or ""), name_en=data.get("name_en"))


def _reload_enterprise(enterprise_id: int) -> None:
    current = read_record("enterprise", enterprise_id)
    if current is not None:
        _open(ENT, ENTERPRISE_SPECS, current)


def _close_enterprise(ctx: Context) -> None:
    st.session_state.pop(key(ENT, "_confirm_close"), None)
    opened = st.session_state.get(key(ENT, "_opened")) or {}
    enterprise_id = ctx.enterprise_id or 0
    try:
        save(lambda s, actor: close_enterprise(session=s, actor=actor, enterprise_id=enterprise_id,
                                               version=int(opened.get("version") or 0)))
    except RecordInvalid as invalid:
        _refused(ENT, "enterprise", enterprise_id, invalid, ENTERPRISE_FIELDS)
        return
    except PermissionDenied as denied:
        refused(ENT, denied, ())
        return
    _reload_enterprise(enterprise_id)
    flash(ENT, "enterprise_closed", name=str(opened.get("name") or ""), name_en=opened.get("name_en"))


def enterprise_tab(ctx: Context) -> None:
    """Create an enterprise, or edit every field of the picked one; close it (soft delete) after a confirmation."""
    if st.session_state.get(key(ENT, "_for"), -1) != ctx.enterprise_id:
        _reset_enterprise_form(ctx.enterprise_id, ctx.today)
    ensure(ENT, ENTERPRISE_SPECS, ctx.today)
    show_flash(ENT)
    opened = st.session_state.get(key(ENT, "_opened"))
    plots = load_plots()
    if ctx.enterprise_id is not None:
        stale_panel(ENT, "enterprise", ENTERPRISE_SPECS, lambda: _reload_enterprise(ctx.enterprise_id or 0),
                    choices={"plot_id": plots})
    place = _park_place(*database_key())
    with st.form("records_enterprise_form", border=True):
        if ctx.enterprise_id is None:
            st.markdown(f"**{t('records.enterprise_new_heading')}**")
        else:
            shown_name = name_in_language(str((opened or {}).get("name") or ""), (opened or {}).get("name_en"))
            st.markdown(f"**{t('records.enterprise_edit_heading', name=plain(shown_name))}**")
            st.caption(t("records.version_note", version=format_int(int((opened or {}).get("version") or 1))))
        st.caption(t("records.required_note"))
        for group_key, rows in ENTERPRISE_GROUPS:
            st.markdown(f"###### {t(f'records.group.{group_key}')}")
            for row in rows:
                columns = st.columns(4 if len(row) == 4 else 3)
                for where, spec in zip(columns, row, strict=False):
                    if spec.name == "plot_id":
                        draw(ENT, spec, where=where, choices=plots)
                    elif spec.name in ("lat", "lon") and place is not None:
                        low, high = (place.min_lat, place.max_lat) if spec.name == "lat" else (place.min_lon,
                                                                                              place.max_lon)
                        span = t("records.help.range", low=f"{low:.4f}", high=f"{high:.4f}")
                        draw(ENT, spec, where=where, help_text=span)
                    else:
                        draw(ENT, spec, where=where)
        draw_general_problems(ENT)
        st.form_submit_button(
            t("records.save_changes") if ctx.enterprise_id is not None else t("records.create_enterprise"),
            type="primary", icon=":material/save:", on_click=_save_enterprise, args=(ctx,), key=key(ENT, "_submit"))
    if ctx.enterprise_id is None or not opened:
        return
    if opened.get("status") == EnterpriseStatus.closed:
        st.info(t("records.enterprise_is_closed"), icon=":material/info:")
        return
    confirming = key(ENT, "_confirm_close")
    if not st.session_state.get(confirming):
        st.button(t("records.close_enterprise"), key=key(ENT, "_close"), icon=":material/domain_disabled:",
                  on_click=lambda: st.session_state.__setitem__(confirming, True), help=t("records.close_help"))
        return
    box = st.container(border=True)
    box.warning(t("records.confirm_close", name=plain(opened.get("name", ""))), icon=":material/warning:")
    buttons = box.container(horizontal=True)
    buttons.button(t("records.confirm_close_button"), key=key(ENT, "_close_yes"), type="primary",
                   on_click=_close_enterprise, args=(ctx,))
    buttons.button(t("records.cancel"), key=key(ENT, "_close_no"),
                   on_click=lambda: st.session_state.pop(confirming, None))


# --- the hazard ---------------------------------------------------------------------------------

HAZARD_ROW_SPECS: tuple[Spec, ...] = (
    enum_spec("category", "hazard_category", HazardCategory, preselect=False),
    enum_spec("severity", "hazard_severity", HazardSeverity, hint="severity"),
    Spec("description", "area", required=True),
    Spec("responsible_person", "text", required=True),
    Spec("deadline", "opt_date", required=True),
    Spec("measures", "area"),
    Spec("funds_yuan", "money"),
    Spec("contingency_plan", "area"),
)
def draw_hazard_fields(form: str, *, prefix: str = "", where: DeltaGenerator | None = None) -> None:
    """A hazard's own fields: what it is and who fixes it by when on one line, the description below it,
    then the rest of the five in place."""
    box = where or st.container()
    by_name = {spec.name: spec for spec in HAZARD_ROW_SPECS}
    for where_, name in zip(box.columns(4), ("category", "severity", "responsible_person", "deadline"), strict=True):
        draw(form, by_name[name], where=where_, prefix=prefix)
    draw(form, by_name["description"], where=box, prefix=prefix)
    for where_, name in zip(box.columns([2, 1, 2]), ("measures", "funds_yuan", "contingency_plan"), strict=True):
        draw(form, by_name[name], where=where_, prefix=prefix)


HAZARD_SPECS: tuple[Spec, ...] = (
    Spec("found_on", "date", required=True),
    Spec("inspection_id", "choice"),
    *HAZARD_ROW_SPECS,
    Spec("listed_supervision", "bool", hint="listed"),
    Spec("publicly_exposed", "bool", hint="exposed"),
)
LOOP_FIELDS = ("status", "rectified_on", "verified_on", "verified_by")
HZ = "hz"


def inspection_names(enterprise_id: int) -> dict[int, str]:
    """The enterprise's inspections, id → "No. 12 · 2026-03-02 · park comprehensive inspection"."""
    frame = load_records("inspection", enterprise_id)
    return {int(row["id"]): t("records.option.inspection", id=int(row["id"]), date=row["inspected_on"].isoformat(),
                              tier=label("inspection_tier", row["tier"]))
            for row in records_by_id(frame).values()}


def _hazard_summary(row: Mapping[str, Any]) -> str:
    description = str(row["description"])
    short = description if len(description) <= 28 else description[:27] + "…"
    return t("records.hazard_option", id=int(row["id"]), date=row["found_on"].isoformat(),
             severity=label("hazard_severity", row["severity"]), text=short)


def _edit_hazard(hazard_id: int) -> None:
    current = read_record("hazard", hazard_id)
    if current is not None:
        _open(HZ, HAZARD_SPECS, current)
        st.session_state[key(HZ, "_editing")] = hazard_id


def _new_hazard(today: date) -> None:
    clear(HZ, HAZARD_SPECS, today)
    empty_new_files(HZ)
    st.session_state[key(HZ, "_editing")] = None
    st.session_state[key(HZ, "_opened")] = None
    st.session_state.pop(key(HZ, "_stale"), None)
    set_problems(HZ, None)


def _save_hazard(ctx: Context) -> None:
    data = {**read(HZ, HAZARD_SPECS), "enterprise_id": ctx.enterprise_id}
    editing = st.session_state.get(key(HZ, "_editing"))
    opened = st.session_state.get(key(HZ, "_opened")) or {}
    try:
        if editing:
            # the loop's status and dates are not on this form: they go back as they were when opened
            data.update({name: opened.get(name) for name in LOOP_FIELDS}, version=opened.get("version"))
            save(lambda s, actor: update_hazard(session=s, actor=actor, hazard_id=int(editing), data=data))
        else:
            saved, files = save_new(HZ, "hazard", lambda s, actor: create_hazard(session=s, actor=actor, data=data))
    except RecordInvalid as invalid:
        _refused(HZ, "hazard", int(editing) if editing else None, invalid,
                 [*(spec.name for spec in HAZARD_SPECS), FILES])
        return
    except PermissionDenied as denied:
        refused(HZ, denied, ())
        return
    if editing:
        _edit_hazard(int(editing))
        flash(HZ, "hazard_saved", id=int(editing))
    else:
        _new_hazard(ctx.today)
        flash(HZ, "hazard_created", id=int(saved.id or 0), files=files)


def hazard_tab(ctx: Context) -> None:
    """Record a hazard found outside an inspection, or correct one's fields (its status and dates move
    only through the workflow)."""
    enterprise_id = ctx.enterprise_id or 0
    if st.session_state.get(key(HZ, "_for")) != enterprise_id:
        _new_hazard(ctx.today)
        st.session_state[key(HZ, "_for")] = enterprise_id
    ensure(HZ, HAZARD_SPECS, ctx.today)
    show_flash(HZ)
    editing = st.session_state.get(key(HZ, "_editing"))
    opened = st.session_state.get(key(HZ, "_opened")) or {}
    inspections = inspection_names(enterprise_id)
    if editing:
        stale_panel(HZ, "hazard", HAZARD_SPECS, lambda: _edit_hazard(int(editing)),
                    choices={"inspection_id": inspections})
        top = st.container(horizontal=True, vertical_alignment="center")
        top.markdown(f"**{t('records.hazard_edit_heading', id=int(editing))}**")
        top.button(t("records.stop_editing"), key=key(HZ, "_stop"), icon=":material/close:",
                   on_click=_new_hazard, args=(ctx.today,))
        status = str(opened.get("status") or "open")
        loop = [t("records.hazard_status", status=label("hazard_status", status))]
        for name in ("rectified_on", "verified_on", "verified_by"):
            if opened.get(name):
                loop.append(f"{field_title(name)}: {plain(shown_value(None, opened[name]))}")
        st.caption(" · ".join(loop) + " — " + t("records.loop_note"))
    else:
        st.markdown(f"**{t('records.hazard_new_heading')}**")
    with st.form("records_hazard_form", border=True):
        st.caption(t("records.five_in_place_note"))
        left, right, _ = st.columns([1, 2, 1])
        draw(HZ, HAZARD_SPECS[0], where=left)
        draw(HZ, HAZARD_SPECS[1], where=right, choices=inspections)
        draw_hazard_fields(HZ)
        flags = st.container(horizontal=True)
        draw(HZ, HAZARD_SPECS[-2], where=flags)
        draw(HZ, HAZARD_SPECS[-1], where=flags)
        if not editing:
            new_record_files(HZ, "hazard")
        draw_general_problems(HZ)
        st.form_submit_button(t("records.save_changes") if editing else t("records.create_hazard"), type="primary",
                              icon=":material/save:", on_click=_save_hazard, args=(ctx,), key=key(HZ, "_submit"))
    st.markdown(f"###### {t('records.list_heading.hazard')}")
    frame = load_records("hazard", enterprise_id)
    shown = pd.DataFrame({
        "id": frame["id"],
        "found_on": frame["found_on"],
        "category": [label("hazard_category", v) for v in frame["category"]],
        "severity": [label("hazard_severity", v) for v in frame["severity"]],
        "description": frame["description"],
        "deadline": frame["deadline"],
        "status": [label("hazard_status", v) for v in frame["status"]],
    })
    config: dict[str, Any] = {
        "id": st.column_config.NumberColumn(t("records.col.id"), format="%d", width="small"),
        **{name: st.column_config.DateColumn(field_title(name), format="YYYY-MM-DD", width="small")
           for name in ("found_on", "deadline")},
        **{name: st.column_config.TextColumn(field_title(name), width="small")
           for name in ("category", "severity", "status")},
        "description": st.column_config.TextColumn(field_title("description"), width="large"),
    }
    with_counts("hazard", frame, shown, config)
    record_list(HZ, frame, shown, config, _hazard_summary, on_edit=_edit_hazard, on_delete=None)
    st.caption(t("records.hazard_no_delete"))
    if not frame.empty:
        picked_record_evidence("hazard", st.session_state.get(key(HZ, "_pick")))

