"""The Records page's forms for an enterprise's child records: safety signs (and a quick "checked
today"), inspections with the hazards they found, accidents (the level shown as the numbers are typed),
training, enforcement and dishonesty listings. Each has a create form, and a list of the enterprise's
records to load one into the form for a correction, or to delete one entered by mistake."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st
from sqlmodel import Session

from dashboard.i18n import current_language, format_money, label, t
from dashboard.rules.accident_level import accident_level
from dashboard.services.permissions import Actor, PermissionDenied
from dashboard.services.records import create_record, delete_record, record_inspection, update_record
from dashboard.views.data import current_rules
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
    delete_refused,
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
)
from dashboard.views.record_forms import HAZARD_ROW_SPECS, Context, draw_hazard_fields, load_records, read_record
from dashboard.views.signed_in import save
from models import FOUR_NOT_LETTING_GO, Hazard, Inspection
from models.enums import EnforcementAction, InspectionTier, SignCondition, SignKind, TrainingAudience
from models.validation import RecordInvalid


@dataclass(frozen=True)
class Table:
    """One child table's form: its fields, how many columns they take, how a record is named in a list,
    and the list's columns (field → how it is shown)."""

    name: str
    specs: tuple[Spec, ...]
    columns: int
    summary: Callable[[Mapping[str, Any]], str]
    listed: tuple[str, ...]


def _date(value: Any) -> str:
    return value.isoformat() if isinstance(value, date) else "—"


SIGNS = Table(
    "safety_sign",
    (enum_spec("kind", "sign_kind", SignKind), Spec("location", "text", required=True),
     Spec("installed_on", "date", required=True), Spec("last_checked_on", "opt_date"),
     enum_spec("condition", "sign_condition", SignCondition)),
    3,
    lambda r: t("records.option.safety_sign", id=int(r["id"]), kind=label("sign_kind", r["kind"]),
                location=str(r["location"])),
    ("kind", "location", "installed_on", "last_checked_on", "condition"),
)
INSPECTIONS = Table(
    "inspection",
    (Spec("inspected_on", "date", required=True), enum_spec("tier", "inspection_tier", InspectionTier),
     Spec("inspector", "text", required=True), Spec("notes", "area")),
    3,
    lambda r: t("records.option.inspection", id=int(r["id"]), date=_date(r["inspected_on"]),
                tier=label("inspection_tier", r["tier"])),
    ("inspected_on", "tier", "inspector", "notes", "hazards"),
)
ACCIDENTS = Table(
    "accident",
    (Spec("occurred_on", "date", required=True), Spec("deaths", "int", required=True),
     Spec("serious_injuries", "int", required=True), Spec("direct_loss_yuan", "money", required=True, initial=0.0),
     Spec("description", "area", required=True),
     *(Spec(name, "bool") for name in FOUR_NOT_LETTING_GO)),
    4,
    lambda r: t("records.option.accident", id=int(r["id"]), date=_date(r["occurred_on"]),
                level=label("accident_level", r["level"])),
    ("occurred_on", "level", "deaths", "serious_injuries", "direct_loss_yuan", *FOUR_NOT_LETTING_GO, "description"),
)
TRAININGS = Table(
    "training",
    (Spec("held_on", "date", required=True), enum_spec("audience", "training_audience", TrainingAudience),
     Spec("attendees", "int", required=True), Spec("hours", "decimal", required=True)),
    4,
    lambda r: t("records.option.training", id=int(r["id"]), date=_date(r["held_on"]),
                audience=label("training_audience", r["audience"])),
    ("held_on", "audience", "attendees", "hours"),
)
ENFORCEMENTS = Table(
    "enforcement",
    (Spec("decided_on", "date", required=True), enum_spec("action", "enforcement_action", EnforcementAction),
     Spec("fine_yuan", "money", hint="fine"), Spec("lifted_on", "opt_date"), Spec("note", "area")),
    4,
    lambda r: t("records.option.enforcement", id=int(r["id"]), date=_date(r["decided_on"]),
                action=label("enforcement_action", r["action"])),
    ("decided_on", "action", "fine_yuan", "lifted_on", "note"),
)
LISTINGS = Table(
    "dishonesty_listing",
    (Spec("listed_on", "date", required=True), Spec("removed_on", "opt_date"), Spec("reason", "area", required=True)),
    2,
    lambda r: t("records.option.dishonesty_listing", id=int(r["id"]), date=_date(r["listed_on"])),
    ("listed_on", "removed_on", "reason"),
)
ENUM_COLUMNS = {"kind": "sign_kind", "condition": "sign_condition", "tier": "inspection_tier",
                "level": "accident_level", "audience": "training_audience", "action": "enforcement_action"}


def shown_records(frame: pd.DataFrame, listed: Sequence[str],
                  titles: Mapping[str, str] | None = None) -> tuple[pd.DataFrame, dict[str, Any]]:
    """A list of records as the user reads it: enum values named, readable column titles (``titles`` names
    a column its own way)."""
    shown = pd.DataFrame({"id": frame["id"]})
    config: dict[str, Any] = {"id": st.column_config.NumberColumn(t("records.col.id"), format="%d", width="small")}
    for name in listed:
        values = frame[name]
        title = (titles or {}).get(name) or (t("records.col.hazards") if name == "hazards" else field_title(name))
        if name in ENUM_COLUMNS:
            shown[name] = [label(ENUM_COLUMNS[name], v) for v in values]
            config[name] = st.column_config.TextColumn(title, width="medium" if name in ("tier", "action") else "small")
        elif name.endswith("_on"):  # as text: an empty date reads "—", not "None"
            shown[name] = [_date(v) for v in values]
            config[name] = st.column_config.TextColumn(title, width="small")
        elif name.endswith("_yuan"):
            shown[name] = values.astype(float)
            config[name] = st.column_config.NumberColumn(title, format="localized", width="small")
        elif name in FOUR_NOT_LETTING_GO:
            shown[name] = values.fillna(False).astype(bool)
            config[name] = st.column_config.CheckboxColumn(title, width="small")
        elif name in ("deaths", "serious_injuries", "attendees", "hours", "hazards"):
            shown[name] = values
            config[name] = st.column_config.NumberColumn(title, width="small")
        else:
            shown[name] = values.fillna("")
            config[name] = st.column_config.TextColumn(title, width="large" if name in ("notes", "note", "reason",
                                                                                        "description") else "medium")
    return shown, config


# --- the common create / edit / delete of one child table ---------------------------------------


def _start_new(table: Table, today: date) -> None:
    clear(table.name, table.specs, today)
    empty_new_files(table.name)
    st.session_state[key(table.name, "_editing")] = None
    set_problems(table.name, None)


def _edit(table: Table, record_id: int) -> None:
    current = read_record(table.name, record_id)
    if current is not None:
        load(table.name, table.specs, current)
        st.session_state[key(table.name, "_editing")] = record_id
        set_problems(table.name, None)


def _save(table: Table, ctx: Context) -> None:
    data = {**read(table.name, table.specs), "enterprise_id": ctx.enterprise_id}
    editing = st.session_state.get(key(table.name, "_editing"))
    try:
        if editing:
            save(lambda s, actor: update_record(session=s, actor=actor, table=table.name, record_id=int(editing),
                                                data=data))
        else:
            saved, files = save_new(table.name, table.name, lambda s, actor: create_record(
                session=s, actor=actor, table=table.name, data=data))
    except (RecordInvalid, PermissionDenied) as error:
        refused(table.name, error, [*(spec.name for spec in table.specs), FILES])
        return
    if editing:
        flash(table.name, "saved", id=int(editing))
    else:
        flash(table.name, "created", id=int(getattr(saved, "id", 0) or 0), files=files)
    _start_new(table, ctx.today)


def _delete(table: Table, ctx: Context, record_id: int) -> None:
    try:
        save(lambda s, actor: delete_record(session=s, actor=actor, table=table.name, record_id=record_id))
    except (RecordInvalid, PermissionDenied) as error:
        delete_refused(table.name, error)
        return
    if st.session_state.get(key(table.name, "_editing")) == record_id:
        _start_new(table, ctx.today)
    flash(table.name, "deleted", id=record_id)


def _prepare(table: Table, ctx: Context) -> int | None:
    """The form's state for the picked enterprise (a new enterprise empties it); the record being edited."""
    if st.session_state.get(key(table.name, "_for")) != ctx.enterprise_id:
        _start_new(table, ctx.today)
        st.session_state[key(table.name, "_for")] = ctx.enterprise_id
    ensure(table.name, table.specs, ctx.today)
    show_flash(table.name)
    editing = st.session_state.get(key(table.name, "_editing"))
    return int(editing) if editing else None


def _heading(table: Table, ctx: Context, editing: int | None) -> None:
    if editing is None:
        st.markdown(f"**{t(f'records.new_heading.{table.name}')}**")
        return
    top = st.container(horizontal=True, vertical_alignment="center")
    top.markdown(f"**{t(f'records.edit_heading.{table.name}', id=editing)}**")
    top.button(t("records.stop_editing"), key=key(table.name, "_stop"), icon=":material/close:",
               on_click=_start_new, args=(table, ctx.today))


def _list(table: Table, ctx: Context) -> None:
    st.markdown(f"###### {t(f'records.list_heading.{table.name}')}")
    frame = load_records(table.name, ctx.enterprise_id or 0)
    titles = {"description": t("records.accident_description")} if table.name == "accident" else None
    shown, config = shown_records(frame, table.listed, titles)
    with_counts(table.name, frame, shown, config)
    record_list(table.name, frame, shown, config, table.summary, on_edit=lambda i: _edit(table, i),
                on_delete=lambda i: _delete(table, ctx, i))
    if not frame.empty:
        picked_record_evidence(table.name, st.session_state.get(key(table.name, "_pick")))


def simple_tab(table: Table, ctx: Context) -> None:
    """A child table's form (create, or correct the record loaded from the list) and its list."""
    editing = _prepare(table, ctx)
    _heading(table, ctx, editing)
    with st.form(f"records_{table.name}_form", border=True):
        columns = st.columns(table.columns)
        for index, spec in enumerate(table.specs):
            draw(table.name, spec, where=columns[index % table.columns] if spec.kind != "area" else None)
        if not editing:
            new_record_files(table.name, table.name)
        draw_general_problems(table.name)
        st.form_submit_button(t("records.save_changes") if editing else t("records.create"), type="primary",
                              icon=":material/save:", on_click=_save, args=(table, ctx), key=key(table.name, "_submit"))
    _list(table, ctx)


def training_tab(ctx: Context) -> None:
    simple_tab(TRAININGS, ctx)


def enforcement_tab(ctx: Context) -> None:
    simple_tab(ENFORCEMENTS, ctx)


def dishonesty_tab(ctx: Context) -> None:
    simple_tab(LISTINGS, ctx)


# --- safety signs and their checks --------------------------------------------------------------

CHECKS = Table(
    "sign_check", (), 1,
    lambda r: t("records.option.sign_check", id=int(r["id"]), sign=int(r["safety_sign_id"]),
                date=_date(r["checked_on"]), condition=label("sign_condition", r["condition"])),
    ("safety_sign_id", "checked_on", "condition", "checked_by"),
)


def _check_form(sign_id: int) -> str:
    """The one-click check of a sign, as a form of its own (its condition, the files saved with the check)."""
    return key("check", str(sign_id))


def _checked_today(ctx: Context, sign_id: int) -> None:
    condition = st.session_state.get(key("check", f"{sign_id}.condition")) or SignCondition.good.value
    data = {"safety_sign_id": sign_id, "checked_on": ctx.today, "condition": condition,
            "checked_by": ctx.display_name}
    try:
        _, files = save_new(_check_form(sign_id), "sign_check", lambda s, actor: create_record(
            session=s, actor=actor, table="sign_check", data=data))
    except (RecordInvalid, PermissionDenied) as error:
        delete_refused("check", error)
        return
    flash("check", "checked", id=sign_id, condition=condition, files=files)


def signs_tab(ctx: Context) -> None:
    """The enterprise's signs (create, correct, delete) and, per sign, a one-click "checked today"."""
    simple_tab(SIGNS, ctx)
    signs = load_records("safety_sign", ctx.enterprise_id or 0)
    if signs.empty:
        return
    st.markdown(f"###### {t('records.checks_heading')}")
    st.caption(t("records.checks_caption"))
    note = st.session_state.pop(key("check", "_flash"), None)
    if note:
        name, params = note
        text = t(f"records.flash.{name}", id=params["id"], condition=label("sign_condition", params["condition"]))
        if params.get("files"):
            text += "  \n" + t("records.flash.with_files", count=params["files"])
        st.success(text, icon=":material/check_circle:")
    refusal = st.session_state.pop(key("check", "_delete_problem"), None)
    if refusal:
        st.error("\n\n".join(t(p[0]) if isinstance(p, tuple) else p.text(current_language()) for p in refusal),
                 icon=":material/block:")
    conditions = [c.value for c in SignCondition]
    condition_names = {c: label("sign_condition", c) for c in conditions}
    for sign_id, row in records_by_id(signs).items():
        line = st.container(horizontal=True, vertical_alignment="center", border=True)
        state = (t("records.sign_state", condition=label("sign_condition", row["condition"]),
                   date=_date(row["last_checked_on"])) if row["last_checked_on"] is not None
                 else t("records.sign_never_checked"))
        line.markdown(f"{plain(SIGNS.summary(row))}  \n:small[{state}]", width="stretch")
        condition_key = key("check", f"{sign_id}.condition")
        st.session_state.setdefault(condition_key, SignCondition.good.value)
        line.segmented_control(t("records.check_condition"), conditions, key=condition_key,
                               format_func=condition_names.__getitem__, label_visibility="collapsed",
                               width="content")
        with line.popover(t("records.check_files"), icon=":material/attach_file:"):
            picked = new_record_files(_check_form(sign_id), "sign_check")
        line.button(t("records.checked_today_files", count=picked) if picked else t("records.checked_today"),
                    key=key("check", f"{sign_id}.go"), icon=":material/task_alt:", on_click=_checked_today,
                    args=(ctx, sign_id))
    checks = load_records("sign_check", ctx.enterprise_id or 0)
    if not checks.empty:
        with st.expander(t("records.checks_history", count=len(checks))):
            shown, config = shown_records(checks, CHECKS.listed)
            config["safety_sign_id"] = st.column_config.NumberColumn(t("records.col.sign"), format="%d", width="small")
            with_counts("sign_check", checks, shown, config)
            record_list("sign_check", checks, shown, config, CHECKS.summary, on_edit=None,
                        on_delete=lambda i: _delete(CHECKS, ctx, i))
            show_flash("sign_check")
            picked_record_evidence("sign_check", st.session_state.get(key("sign_check", "_pick")))


# --- inspections with the hazards they found ----------------------------------------------------

INSP = "inspection"


def _rows_key() -> str:
    return key(INSP, "_rows")


def _row_prefix(number: int) -> str:
    return f"hazards[{number}]."


def _hazard_blank(values: Mapping[str, Any]) -> bool:
    return not any(values.get(name) not in (None, "") for name in (
        "category", "description", "responsible_person", "measures", "funds_yuan", "contingency_plan", "deadline"))


def _add_row(ctx: Context) -> None:
    rows = int(st.session_state.get(_rows_key(), 1)) + 1
    st.session_state[_rows_key()] = rows
    clear(INSP, HAZARD_ROW_SPECS, ctx.today, prefix=_row_prefix(rows))


def _remove_row() -> None:
    st.session_state[_rows_key()] = max(0, int(st.session_state.get(_rows_key(), 1)) - 1)


def _start_new_inspection(ctx: Context) -> None:
    _start_new(INSPECTIONS, ctx.today)
    st.session_state[_rows_key()] = 1
    clear(INSP, HAZARD_ROW_SPECS, ctx.today, prefix=_row_prefix(1))


def _save_inspection(ctx: Context) -> None:
    editing = st.session_state.get(key(INSP, "_editing"))
    if editing:
        _save(INSPECTIONS, ctx)
        return
    inspection = {**read(INSP, INSPECTIONS.specs), "enterprise_id": ctx.enterprise_id}
    rows = int(st.session_state.get(_rows_key(), 1))
    hazards = [read(INSP, HAZARD_ROW_SPECS, prefix=_row_prefix(n)) for n in range(1, rows + 1)]
    kept = [(n, h) for n, h in enumerate(hazards, start=1) if not _hazard_blank(h)]
    # problems are named by the hazard's place among those sent; map them back to the rows on the form
    places = {sent: row for sent, (row, _) in enumerate(kept, start=1)}
    known = [spec.name for spec in INSPECTIONS.specs] + [
        _row_prefix(n) + spec.name for n in range(1, rows + 1) for spec in HAZARD_ROW_SPECS]
    found: list[Hazard] = []

    def create(s: Session, actor: Actor) -> Inspection:
        saved, hazards = record_inspection(session=s, actor=actor, inspection=inspection,
                                           hazards=[h for _, h in kept])
        found[:] = hazards
        return saved

    try:
        saved, files = save_new(INSP, INSP, create)
    except RecordInvalid as invalid:
        renamed = []
        for problem in invalid.problems:
            if problem.field.startswith("hazards["):
                sent, _, rest = problem.field[len("hazards["):].partition("].")
                problem = type(problem)(_row_prefix(places.get(int(sent), int(sent))) + rest, problem.code,
                                        problem.params)
            renamed.append(problem)
        refused(INSP, RecordInvalid(renamed), [*known, FILES])
        return
    except PermissionDenied as denied:
        refused(INSP, denied, ())
        return
    _start_new_inspection(ctx)
    flash(INSP, "inspection_created", id=int(saved.id or 0), count=len(found), files=files)


def inspection_tab(ctx: Context) -> None:
    """An inspection and the hazards it found, in one form and one save (all or nothing)."""
    editing = _prepare(INSPECTIONS, ctx)
    if _rows_key() not in st.session_state:
        st.session_state[_rows_key()] = 1
    rows = int(st.session_state[_rows_key()])
    for number in range(1, rows + 1):
        ensure(INSP, HAZARD_ROW_SPECS, ctx.today, prefix=_row_prefix(number))
    _heading(INSPECTIONS, ctx, editing)
    with st.form("records_inspection_form", border=True):
        columns = st.columns(3)
        for index, spec in enumerate(INSPECTIONS.specs):
            draw(INSP, spec, where=columns[index] if spec.kind != "area" else None)
        if editing:
            st.caption(t("records.inspection_edit_note"))
        else:
            st.markdown(f"###### {t('records.found_heading', count=rows)}")
            st.caption(t("records.found_caption"))
            for number in range(1, rows + 1):
                box = st.container(border=True)
                box.markdown(f"**{t('records.hazard_number', number=number)}**")
                draw_hazard_fields(INSP, prefix=_row_prefix(number), where=box)
            buttons = st.container(horizontal=True)
            buttons.form_submit_button(t("records.add_hazard"), icon=":material/add:", on_click=_add_row,
                                       args=(ctx,), help=t("records.add_hazard_help"))
            if rows:
                buttons.form_submit_button(t("records.remove_hazard"), icon=":material/remove:",
                                           on_click=_remove_row)
            new_record_files(INSP, INSP)
        draw_general_problems(INSP)
        st.form_submit_button(t("records.save_changes") if editing else t("records.create_inspection"),
                              type="primary", icon=":material/save:", on_click=_save_inspection, args=(ctx,),
                              key=key(INSP, "_submit"))
    _list(INSPECTIONS, ctx)


# --- accidents: the level follows the numbers as they are typed ---------------------------------


def accident_tab(ctx: Context) -> None:
    """An accident's form outside ``st.form``, so the derived level is shown as the numbers change."""
    table = ACCIDENTS
    editing = _prepare(table, ctx)
    _heading(table, ctx, editing)
    box = st.container(border=True)
    first, second, third, fourth = box.columns(4)
    by_name = {spec.name: spec for spec in table.specs}
    draw(table.name, by_name["occurred_on"], where=first)
    deaths = draw(table.name, by_name["deaths"], where=second)
    injuries = draw(table.name, by_name["serious_injuries"], where=third)
    loss = draw(table.name, by_name["direct_loss_yuan"], where=fourth)
    rules = current_rules()  # the thresholds in force, the same the service applies when it saves
    level = accident_level(int(deaths or 0), int(injuries or 0), float(loss or 0), rules)
    shown = box.container(horizontal=True, vertical_alignment="center")
    shown.metric(t("records.accident_level"), label("accident_level", level), border=True, width="content")
    shown.caption(t("records.accident_level_note", deaths=rules.accident_larger_deaths,
                    injuries=rules.accident_larger_serious_injuries,
                    loss=format_money(rules.accident_larger_loss_yuan)))
    draw(table.name, by_name["description"], where=box, label_text=t("records.accident_description") + " *")
    box.markdown(f"**{t('records.four_heading')}**")
    box.caption(t("records.four_caption"))
    checks = box.columns(4)
    for column, name in zip(checks, FOUR_NOT_LETTING_GO, strict=True):
        draw(table.name, by_name[name], where=column)
    if editing is None:
        new_record_files(table.name, table.name, where=box)
    draw_general_problems(table.name, where=box)
    box.button(t("records.save_changes") if editing else t("records.create_accident"), type="primary",
               icon=":material/save:", key=key(table.name, "_save"), on_click=_save, args=(table, ctx))
    _list(table, ctx)


