"""The pieces every form of the Records page is built from.

A form is a set of :class:`Spec` fields whose widgets keep their values in ``st.session_state`` under
``"<form>.<field>"``; loading a record into a form or clearing it writes those keys (before the
widgets are drawn, or in a callback). A save runs in a button's callback: the service validates the
whole record, and a refusal is kept as ``{field: [messages]}`` so each widget draws its own
problems under it on the rerun, with what the user typed still in it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from dashboard.i18n import current_language, format_date, format_number, label, name_in_language, t
from dashboard.services.permissions import PermissionDenied
from models.messages import field_label
from models.validation import FieldProblem, RecordInvalid

Kind = Literal["text", "area", "int", "money", "decimal", "coordinate", "bool", "date", "opt_date", "enum", "choice"]
EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)
GENERAL = "__form__"  # problems that belong to no one field


@dataclass(frozen=True)
class Spec:
    """One field of a form: the contract's field name, its widget, and for a choice its options."""

    name: str
    kind: Kind
    required: bool = False
    enum: str | None = None  # the label() kind of an enum field
    options: tuple[str, ...] = ()  # an enum's values
    hint: str | None = None  # the name of a hint, records.help.<hint> in the catalog
    preselect: bool = True  # an enum starts on its first value (else empty, the user must choose)
    initial: Any = None  # what a new record starts with, when not the kind's usual empty value

    def default(self, today: date) -> Any:
        if self.initial is not None:
            return self.initial
        if self.kind in ("text", "area"):
            return ""
        if self.kind == "bool":
            return False
        if self.kind == "int":
            return 0 if self.required else None
        if self.kind == "date":
            return today
        if self.kind == "enum":
            return self.options[0] if self.preselect and self.options else None
        return None


def enum_spec(name: str, kind: str, values: Iterable[Any], *, required: bool = True, preselect: bool = True,
              hint: str | None = None) -> Spec:
    """A choice among an enum's values, shown by their names; ``preselect`` starts on the first value."""
    options = tuple(str(getattr(v, "value", v)) for v in values)
    return Spec(name, "enum", required=required, enum=kind, options=options, preselect=preselect, hint=hint)


def field_title(name: str, required: bool = False) -> str:
    """A field's label in the user's language (the same words the validation messages use)."""
    text = field_label(name.split(".")[-1], current_language())
    text = text[:1].upper() + text[1:]
    return f"{text} *" if required else text


_MARKDOWN = re.compile(r"([\\`*_\[\]#|~<>$:])")


def plain(text: object) -> str:
    """Text a user typed, safe to put into markdown (shown as typed, never as markup)."""
    return _MARKDOWN.sub(r"\\\1", str(text))


# --- state --------------------------------------------------------------------------------------


def key(form: str, name: str) -> str:
    return f"{form}.{name}"


def load(form: str, specs: Sequence[Spec], values: Mapping[str, Any], *, prefix: str = "") -> None:
    """Put a record's values into a form's widgets."""
    for spec in specs:
        value = values.get(spec.name)
        if spec.kind == "text" or spec.kind == "area":
            value = "" if value is None else str(value)
        elif spec.kind == "bool":
            value = bool(value)
        elif spec.kind == "int" and value is not None:
            value = int(value)
        elif spec.kind in ("money", "decimal", "coordinate") and value is not None:
            value = float(value)
        st.session_state[key(form, prefix + spec.name)] = value


def clear(form: str, specs: Sequence[Spec], today: date, *, prefix: str = "",
          keep: Mapping[str, Any] | None = None) -> None:
    """Empty a form (each field back to its default, or to ``keep``'s value)."""
    values = {spec.name: spec.default(today) for spec in specs}
    values.update(keep or {})
    load(form, specs, values, prefix=prefix)


def ensure(form: str, specs: Sequence[Spec], today: date, *, prefix: str = "") -> None:
    """Give every widget of a form a value before it is first drawn."""
    for spec in specs:
        name = key(form, prefix + spec.name)
        if name not in st.session_state:
            st.session_state[name] = spec.default(today)


def read(form: str, specs: Sequence[Spec], *, prefix: str = "") -> dict[str, Any]:
    """What the form's widgets hold, by field name."""
    return {spec.name: st.session_state.get(key(form, prefix + spec.name)) for spec in specs}


# Callbacks run before the script sets the user's language, so what they keep is words-to-be: a field
# problem (worded when drawn) or a catalog key with its parameters.
Note = FieldProblem | tuple[str, dict[str, Any]]


def _words(note: Note, field_label: str | None = None) -> str:
    if isinstance(note, FieldProblem):
        return note.text(current_language(), field_label=field_label)
    message_key, params = note
    return t(message_key, **params)


def problems(form: str) -> dict[str, list[str]]:
    """The last refused save's problems, worded in the user's language, by field."""
    found: dict[str, list[Note]] = st.session_state.get(key(form, "_problems")) or {}
    return {name: [_words(note) for note in notes] for name, notes in found.items()}


def set_problems(form: str, found: Mapping[str, list[Note]] | None) -> None:
    st.session_state[key(form, "_problems")] = dict(found or {})


_ITEM = re.compile(r"\[\d+\]$")


def refused(form: str, error: RecordInvalid | PermissionDenied, known: Iterable[str]) -> None:
    """Keep a refusal's problems by field (one item of a list, ``files[2]``, under its list's widget, ``files``);
    a problem with a field the form has no widget for is shown with the form's general problems."""
    found: dict[str, list[Note]] = {}
    if isinstance(error, PermissionDenied):
        found[GENERAL] = [("records.denied", {})]
    else:
        names = set(known)
        for problem in error.problems:
            owner = problem.field if problem.field in names else _ITEM.sub("", problem.field)
            place = owner if owner in names else GENERAL
            if problem.code == "not_one_of" and problem.params.get("value") is None:
                problem = FieldProblem(problem.field, "required")  # a choice left empty is missing, not wrong
            found.setdefault(place, []).append(problem)
    set_problems(form, found)


def flash(form: str, message: str, /, **params: Any) -> None:
    """A message for the next run (records.flash.<message>), worded then."""
    st.session_state[key(form, "_flash")] = (message, params)


def show_flash(form: str, where: DeltaGenerator | None = None) -> None:
    note = st.session_state.pop(key(form, "_flash"), None)
    if note:
        name, params = note
        params = dict(params)
        english = params.pop("name_en", None)
        if "name" in params:  # an enterprise as the page's language names it
            params["name"] = name_in_language(params["name"], english)
        files = int(params.pop("files", 0) or 0)  # saved with a new record
        shown = {k: plain(v) if isinstance(v, str) else v for k, v in params.items()}
        text = t(f"records.flash.{name}", **shown)
        if files:
            text += "  \n" + t("records.flash.with_files", count=files)
        (where or st).success(text, icon=":material/check_circle:")


# --- widgets ------------------------------------------------------------------------------------


def draw(form: str, spec: Spec, *, where: DeltaGenerator | None = None, prefix: str = "",
         choices: Mapping[Any, str] | None = None, disabled: bool = False, label_text: str | None = None,
         help_text: str | None = None, on_change: Callable[[], None] | None = None) -> Any:
    """A field's widget, and under it the problems the last save found with it."""
    box = where or st.container()
    name = key(form, prefix + spec.name)
    title = label_text or field_title(spec.name, spec.required)
    hint = help_text or (t(f"records.help.{spec.hint}") if spec.hint else None)
    kwargs: dict[str, Any] = {"key": name, "help": hint, "disabled": disabled}
    if on_change is not None:
        kwargs["on_change"] = on_change
    value: Any
    if spec.kind == "text":
        value = box.text_input(title, **kwargs)
    elif spec.kind == "area":
        value = box.text_area(title, height=80, **kwargs)
    elif spec.kind == "int":
        value = box.number_input(title, step=1, **kwargs)
    elif spec.kind == "money":
        value = box.number_input(title, step=1000.0, format="%.2f", **kwargs)
    elif spec.kind == "decimal":
        value = box.number_input(title, step=0.5, format="%.1f", **kwargs)
    elif spec.kind == "coordinate":
        value = box.number_input(title, step=0.0001, format="%.6f", **kwargs)
    elif spec.kind == "bool":
        value = box.checkbox(title, **kwargs)
    elif spec.kind in ("date", "opt_date"):
        value = box.date_input(title, min_value=EARLIEST, max_value=LATEST, format="YYYY-MM-DD", **kwargs)
    elif spec.kind == "enum":
        names = {option: label(spec.enum or "", option) for option in spec.options}
        value = box.selectbox(title, spec.options, format_func=names.__getitem__,
                              placeholder=t("records.choose"), **kwargs)
    else:  # a choice among records (a plot, an inspection, a sign)
        shown = dict(choices or {})
        value = box.selectbox(title, list(shown), format_func=lambda v: shown.get(v, str(v)),
                              placeholder=t("records.none_chosen"), **kwargs)
    # the message names the field as the form does (a hazard row's "category", an accident's description)
    draw_problems(form, prefix + spec.name, where=box,
                  named=label_text.rstrip(" *") if label_text else field_label(spec.name, current_language()))
    return value


def draw_problems(form: str, name: str, *, where: DeltaGenerator | None = None, named: str | None = None) -> None:
    """The problems the last save found with the form's field ``name``, each under the widget just drawn;
    ``named`` is the field's name as the form shows it."""
    notes: dict[str, list[Note]] = st.session_state.get(key(form, "_problems")) or {}
    for note in notes.get(name, []):
        (where or st).error(plain(_words(note, named)), icon=":material/error:")


def draw_general_problems(form: str, where: DeltaGenerator | None = None) -> None:
    """The problems of the last refused save that belong to no one field, and a line saying nothing was saved."""
    found = problems(form)
    if not found:
        return
    box = where or st
    fields = [name for name in found if name != GENERAL]
    lines = [t("records.not_saved", count=len(fields))] if fields else [t("records.not_saved_general")]
    lines += [f"- {plain(message)}" for message in found.get(GENERAL, [])]
    box.error("\n".join(lines), icon=":material/block:")


def shown_value(spec: Spec | None, value: Any, choices: Mapping[Any, str] | None = None) -> str:
    """A stored value as a person reads it (for the list of changes someone else made)."""
    if value is None or value == "":
        return "—"
    if choices is not None and value in choices:
        return choices[value]
    if spec is not None and spec.kind == "enum":
        return label(spec.enum or "", value)
    if isinstance(value, bool):
        return t("records.yes") if value else t("records.no")
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, float):
        return format_number(value, 6 if spec is not None and spec.kind == "coordinate" else 2)
    return str(value)


# --- a list of records to choose one from -------------------------------------------------------


def record_list(
    form: str, frame: pd.DataFrame, shown: pd.DataFrame, column_config: Mapping[str, Any],
    summary: Callable[[Mapping[str, Any]], str], *, on_edit: Callable[[int], None] | None,
    on_delete: Callable[[int], None] | None,
) -> None:
    """An enterprise's records of one table (``frame``, shown as ``shown``) and, for the one picked in the
    table or the box under it, an edit and a delete button; a delete asks to be confirmed first."""
    if frame.empty:
        st.caption(t("records.no_records"))
        return
    event = st.dataframe(shown, hide_index=True, key=key(form, "_table"), on_select="rerun",
                         selection_mode="single-row", column_config=dict(column_config),
                         height=min(35 * (len(shown) + 1) + 3, 320), width="stretch")
    ids = [int(i) for i in frame["id"]]
    rows = records_by_id(frame)
    pick = key(form, "_pick")
    selected = event.selection.rows if event is not None else []
    if selected:
        picked = ids[selected[0]]
        if picked != st.session_state.get(key(form, "_table_pick")):
            st.session_state[key(form, "_table_pick")] = picked
            st.session_state[pick] = picked
    if st.session_state.get(pick) not in rows:
        st.session_state[pick] = ids[0]
    line = st.container(horizontal=True, vertical_alignment="bottom")
    names = {i: summary(rows[i]) for i in ids}  # worded now: a format_func may run outside this script run
    line.selectbox(t("records.pick_record"), ids, format_func=names.__getitem__, key=pick, width=420)
    if on_edit is not None:
        line.button(t("records.edit"), key=key(form, "_edit"), icon=":material/edit:",
                    on_click=lambda: on_edit(int(st.session_state[pick])))
    confirming = key(form, "_confirm")
    if on_delete is not None:
        line.button(t("records.delete"), key=key(form, "_delete"), icon=":material/delete:",
                    on_click=lambda: st.session_state.__setitem__(confirming, int(st.session_state[pick])))
    target = st.session_state.get(confirming)
    if on_delete is not None and target in rows:
        box = st.container(border=True)
        box.warning(t("records.confirm_delete", record=plain(summary(rows[target]))), icon=":material/warning:")
        buttons = box.container(horizontal=True)
        buttons.button(t("records.confirm"), key=key(form, "_confirm_yes"), type="primary",
                       on_click=_confirmed, args=(confirming, on_delete, target))
        buttons.button(t("records.cancel"), key=key(form, "_confirm_no"),
                       on_click=lambda: st.session_state.pop(confirming, None))
    refusal = st.session_state.get(key(form, "_delete_problem"))
    if refusal:
        st.error("\n\n".join(plain(_words(note)) for note in refusal), icon=":material/block:")
        st.session_state.pop(key(form, "_delete_problem"), None)


def records_by_id(frame: pd.DataFrame) -> dict[int, dict[str, Any]]:
    """A frame's rows as dicts, by their ``id``."""
    return {int(row["id"]): {str(k): v for k, v in row.items()} for row in frame.to_dict("records")}


def _confirmed(confirming: str, on_delete: Callable[[int], None], target: int) -> None:
    st.session_state.pop(confirming, None)
    on_delete(target)


def delete_refused(form: str, error: RecordInvalid | PermissionDenied) -> None:
    """Keep why a delete was refused, shown under the list on the next run."""
    notes: list[Note] = [("records.denied", {})] if isinstance(error, PermissionDenied) else list(error.problems)
    st.session_state[key(form, "_delete_problem")] = notes
