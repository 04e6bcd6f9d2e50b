"""The scorecards page's pieces: the ranked, filterable list of enterprises and one enterprise's file (一企一档).

The enterprise whose file is open is carried by the URL (``scorecards?enterprise=12``), so a file
can be shared and other pages link to it that way (:func:`file_query`). The cached reads are
keyed by the database's data revision, the as-of date and the enterprise.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st
from sqlmodel import Session

from dashboard.charts.scorecards import components_chart, score_trend_chart
from dashboard.i18n import (
    current_language,
    format_date,
    format_int,
    format_money,
    format_month,
    format_number,
    in_current_language,
    label,
    name_in_language,
    t,
)
from dashboard.rules.facts import RecordRef
from dashboard.rules.grade import GRADES
from dashboard.rules.loan_eligibility import STATUSES
from dashboard.rules.risk_colour import COLOURS
from dashboard.rules.scorecard import component_maxima
from dashboard.services.enterprise_file import EnterpriseFile, enterprise_file
from dashboard.services.evaluation import EnterpriseEvaluation, HistoryPoint, enterprise_history, evaluate_enterprise
from dashboard.services.facts import UnknownEnterprise, record_id
from dashboard.services.rule_reports import shown_score
from dashboard.services.tabular import frame_csv
from dashboard.views.data import current_rules, database_key, engine
from dashboard.views.evidence import gallery, load_counts, with_counts
from dashboard.views.forms_common import plain
from dashboard.views.paging import page_of, pager
from dashboard.views.session import current_user
from dashboard.views.signed_in import on_click
from models import FOUR_NOT_LETTING_GO

FILE_PARAM = "enterprise"
# (background, text) of a cell or chip naming a risk colour or a loan status
COLOUR_STYLES = {"red": ("#ffe3e3", "#c92a2a"), "orange": ("#ffe8cc", "#d9480f"),
                 "yellow": ("#fff3bf", "#7a5d00"), "blue": ("#d0ebff", "#1864ab")}
STATUS_STYLES = {"eligible": ("#d3f9d8", "#2b8a3e"), "conditional": ("#fff3bf", "#7a5d00"),
                 "ineligible": ("#ffe3e3", "#c92a2a")}
SWATCHES = {"red": "#e03131", "orange": "#f76707", "yellow": "#fcc419", "blue": "#1c7ed6",
            "eligible": "#2f9e44", "conditional": "#f59f00", "ineligible": "#e03131"}
LIST_KEY = "scorecards_list"
PAGE_KEY = "scorecards_page"
GENERATION_KEY = "_scorecards_list_generation"
FILTER_KEYS = ("scorecards_search", "scorecards_industry", "scorecards_grade", "scorecards_colour",
               "scorecards_loan")
SAVED_FILTERS_KEY = "_scorecards_filters"
FILE_SHOWN_KEY = "_scorecards_file_shown"
TICK, CROSS = "✓", "✗"
DATE_WIDTH = {"zh": 116, "en": 100}  # "2026年11月29日", "29 Nov 2026"
LASTING_ACTIONS = ("suspension", "closure")

# the list's columns, in order: (column of the shown frame, catalog key of its header)
LIST_COLUMNS = (
    ("rank", "scorecards.col.rank"), ("name", "scorecards.col.name"), ("uscc", "scorecards.col.uscc"),
    ("industry", "scorecards.col.industry"), ("score", "scorecards.col.score"), ("grade", "scorecards.col.grade"),
    ("colour", "scorecards.col.colour"), ("loan", "scorecards.col.loan"), ("open_hazards", "scorecards.col.open"),
    ("overdue_hazards", "scorecards.col.overdue"), ("major_hazards", "scorecards.col.major"),
)

# column widths of the list in pixels, per language, so that it fits a 1440-pixel screen without scrolling
LIST_WIDTHS: dict[str, dict[str, int]] = {
    "zh": {"rank": 52, "name": 230, "industry": 96, "score": 96, "grade": 48, "colour": 112, "loan": 92, "count": 64},
    "en": {"rank": 52, "name": 236, "industry": 122, "score": 88, "grade": 48, "colour": 112, "loan": 100, "count": 60},
}


# --- cached reads ---------------------------------------------------------------------------------


@st.cache_data(show_spinner=False, max_entries=32)
def _file(url: str, revision: int, as_of: date, enterprise_id: int) -> EnterpriseFile | None:
    with Session(engine()) as session:
        try:
            return enterprise_file(session, enterprise_id, as_of, current_rules())
        except UnknownEnterprise:
            return None


@st.cache_data(show_spinner=False, max_entries=32)
def _evaluation(url: str, revision: int, as_of: date, enterprise_id: int) -> EnterpriseEvaluation:
    with Session(engine()) as session:
        return evaluate_enterprise(session, enterprise_id, as_of, current_rules())


@st.cache_data(show_spinner=False, max_entries=32)
def _history(url: str, revision: int, as_of: date, enterprise_id: int) -> list[HistoryPoint]:
    with Session(engine()) as session:
        return enterprise_history(session, enterprise_id, as_of, current_rules())


def load_file(as_of: date, enterprise_id: int) -> EnterpriseFile | None:
    """One enterprise's profile and records at D, or None if no enterprise has this id."""
    return _file(*database_key(), as_of, enterprise_id)


def load_evaluation(as_of: date, enterprise_id: int) -> EnterpriseEvaluation:
    """One enterprise's scorecard, colour and loan assessment at D, every deduction naming its records."""
    return _evaluation(*database_key(), as_of, enterprise_id)


def load_history(as_of: date, enterprise_id: int) -> list[HistoryPoint]:
    """One enterprise's score, grade and status at the last 12 month-ends, oldest first."""
    return _history(*database_key(), as_of, enterprise_id)


# --- the URL --------------------------------------------------------------------------------------


def file_query(enterprise_id: int) -> dict[str, str]:
    """The query parameters that open an enterprise's file (for ``st.page_link`` / ``st.switch_page``)."""
    return {FILE_PARAM: str(enterprise_id)}


def requested_enterprise() -> tuple[int | None, str | None]:
    """The enterprise id the URL asks for, and the raw value (None, None without one; None, raw if no enterprise
    can have it: not a number, negative, or past the id column's range, :func:`record_id`)."""
    raw = st.query_params.get(FILE_PARAM)
    if raw is None or not str(raw).strip():
        return None, None
    text = str(raw).strip()
    return record_id(text), text


def open_file(enterprise_id: int) -> None:
    st.query_params[FILE_PARAM] = str(enterprise_id)
    st.session_state[GENERATION_KEY] = st.session_state.get(GENERATION_KEY, 0) + 1  # a fresh, unselected list
    st.rerun()


def close_file() -> None:
    if FILE_PARAM in st.query_params:
        del st.query_params[FILE_PARAM]
    st.rerun()


# --- the list (pure helpers, tested without streamlit) ------------------------------------------


def ranked(table: pd.DataFrame) -> pd.DataFrame:
    """The enterprise table with its ``rank`` by score (equal scores share a rank), best first."""
    out = table.sort_values(["score", "name"], ascending=[False, True], kind="stable").reset_index(drop=True)
    out["rank"] = out["score"].rank(method="min", ascending=False).astype(int)
    return out


def filtered(table: pd.DataFrame, *, industries: Sequence[str] = (), grades: Sequence[str] = (),
             colours: Sequence[str] = (), statuses: Sequence[str] = (), search: str = "") -> pd.DataFrame:
    """The rows matching every filter given (an empty choice filters nothing); ``search`` matches
    the Chinese or English name or the credit code, ignoring case. ``statuses`` are effective loan statuses."""
    keep = pd.Series(True, index=table.index)
    for column, chosen in (("industry", industries), ("grade", grades), ("risk_colour", colours),
                           ("effective_status", statuses)):
        if chosen:
            keep &= table[column].isin(list(chosen))
    needle = search.strip().casefold()
    if needle:
        names = (table["name"].fillna("") + "\n" + table["name_en"].fillna("") + "\n" + table["uscc"].fillna(""))
        keep &= names.str.casefold().str.contains(needle, regex=False)
    return table[keep]


def list_frame(table: pd.DataFrame) -> pd.DataFrame:
    """The list as shown: one row per enterprise, values named in the user's language (columns LIST_COLUMNS
    plus ``enterprise_id``)."""
    return pd.DataFrame({
        "enterprise_id": table["enterprise_id"].astype(int).to_numpy(),
        "rank": table["rank"].astype(int).to_numpy(),
        "name": [name_in_language(n, e) for n, e in zip(table["name"], table["name_en"], strict=True)],
        "uscc": table["uscc"].to_numpy(),
        "industry": [label("industry", v) for v in table["industry"]],
        "score": table["score"].astype(float).to_numpy(),
        "grade": table["grade"].to_numpy(),
        "colour": [label("risk_colour", c) for c in table["risk_colour"]],
        "loan": [label("loan_status", v) for v in table["effective_status"]],
        "open_hazards": table["open_hazards"].astype(int).to_numpy(),
        "overdue_hazards": table["overdue_hazards"].astype(int).to_numpy(),
        "major_hazards": table["major_hazards"].astype(int).to_numpy(),
    })


def _cell(styles: tuple[str, str] | None) -> str:
    return "" if styles is None else f"background-color: {styles[0]}; color: {styles[1]}"


def styled_list(frame: pd.DataFrame, table: pd.DataFrame) -> Any:
    """The shown list with its colour and loan-status cells tinted (``table`` holds the keys, row for row)."""
    colours = [_cell(COLOUR_STYLES.get(c)) for c in table["risk_colour"]]
    statuses = [_cell(STATUS_STYLES.get(s)) for s in table["effective_status"]]
    return (frame.style
            .apply(lambda _: colours, subset=["colour"])
            .apply(lambda _: statuses, subset=["loan"]))


def list_csv(table: pd.DataFrame) -> bytes:
    """The list as CSV: UTF-8 with a byte order mark (so Excel reads Chinese), the header in the user's language."""
    frame = list_frame(table)[[column for column, _ in LIST_COLUMNS]]
    frame.columns = [t(key) for _, key in LIST_COLUMNS]
    return frame_csv(frame, float_format="%.1f")  # a name a spreadsheet would run as a formula stays text


# --- the list (drawing) ---------------------------------------------------------------------------


def _restore_filters() -> None:
    """Put back the filters chosen before a file was opened: widgets not drawn in a run lose their state.

    Only when the previous run showed a file; otherwise the widgets hold the user's latest choice.
    """
    if not st.session_state.pop(FILE_SHOWN_KEY, False):
        return
    saved: dict[str, Any] = st.session_state.get(SAVED_FILTERS_KEY, {})
    for key in FILTER_KEYS:
        if saved.get(key) is not None:
            st.session_state[key] = saved[key]


def _save_filters() -> None:
    st.session_state[SAVED_FILTERS_KEY] = {key: st.session_state.get(key) for key in FILTER_KEYS}


def _multiselect(column: Any, key: str, title: str, options: Sequence[str], kind: str) -> list[str]:
    format_func: Callable[[str], str] = str if kind == "grade" else (lambda v: label(kind, v))
    chosen = column.multiselect(title, list(options), format_func=format_func, key=key,
                                placeholder=t("scorecards.filter_all"))
    return [str(value) for value in chosen]


def draw_list(table: pd.DataFrame, as_of: date) -> None:
    """Filters, the ranked table (a row opens its file) and the CSV export."""
    st.title(t("scorecards.title"))
    if table.empty:
        st.info(t("scorecards.empty"))
        return
    st.caption(t("scorecards.caption", count=format_int(len(table)), date=format_date(as_of)))
    _restore_filters()
    search_col, industry_col, grade_col, colour_col, loan_col = st.columns([3, 3, 2, 3, 3])
    search = search_col.text_input(t("scorecards.search"), key="scorecards_search",
                                   placeholder=t("scorecards.search_placeholder"))
    industries = sorted(table["industry"].unique(), key=lambda v: label("industry", v))
    chosen_industries = _multiselect(industry_col, "scorecards_industry", t("scorecards.filter_industry"),
                                     industries, "industry")
    chosen_grades = _multiselect(grade_col, "scorecards_grade", t("scorecards.filter_grade"), GRADES, "grade")
    chosen_colours = _multiselect(colour_col, "scorecards_colour", t("scorecards.filter_colour"), COLOURS,
                                  "risk_colour")
    chosen_statuses = _multiselect(loan_col, "scorecards_loan", t("scorecards.filter_loan"), STATUSES,
                                   "loan_status")
    _save_filters()

    ranked_table = ranked(table)
    shown = filtered(ranked_table, industries=chosen_industries, grades=chosen_grades, colours=chosen_colours,
                     statuses=chosen_statuses, search=search or "")
    st.caption(t("scorecards.shown", shown=format_int(len(shown)), total=format_int(len(table))))
    if shown.empty:
        st.info(t("scorecards.none_match"))
        return
    signature = (tuple(chosen_industries), tuple(chosen_grades), tuple(chosen_colours), tuple(chosen_statuses),
                 search or "", current_language())
    page = page_of(shown, PAGE_KEY, signature)
    frame = list_frame(page)
    generation = st.session_state.get(GENERATION_KEY, 0)
    w = LIST_WIDTHS[current_language()]
    event = st.dataframe(
        styled_list(frame, page), hide_index=True, width="stretch", height=min(38 + 35 * len(frame), 640),
        column_order=[column for column, _ in LIST_COLUMNS if column != "uscc"],  # the code is searchable and exported
        column_config={
            "rank": st.column_config.NumberColumn(t("scorecards.col.rank"), format="%d", width=w["rank"]),
            "name": st.column_config.TextColumn(t("scorecards.col.name"), width=w["name"]),
            "industry": st.column_config.TextColumn(t("scorecards.col.industry"), width=w["industry"]),
            "score": st.column_config.ProgressColumn(t("scorecards.col.score"), min_value=0, max_value=100,
                                                     format="%.1f", help=t("scorecards.help.score"), width=w["score"],
                                                     color="#1c7ed6"),
            "grade": st.column_config.TextColumn(t("scorecards.col.grade"), width=w["grade"]),
            "colour": st.column_config.TextColumn(t("scorecards.col.colour"), width=w["colour"]),
            "loan": st.column_config.TextColumn(t("scorecards.col.loan"), width=w["loan"]),
            "open_hazards": st.column_config.NumberColumn(t("scorecards.col.open_short"), format="%d",
                                                          help=t("scorecards.help.open"), width=w["count"]),
            "overdue_hazards": st.column_config.NumberColumn(t("scorecards.col.overdue_short"), format="%d",
                                                             help=t("scorecards.help.overdue"), width=w["count"]),
            "major_hazards": st.column_config.NumberColumn(t("scorecards.col.major_short"), format="%d",
                                                           help=t("scorecards.help.major"), width=w["count"]),
        },
        on_select="rerun", selection_mode="single-row", key=f"{LIST_KEY}_{generation}",
    )
    pager(len(shown), PAGE_KEY)
    st.download_button(  # every matching row, made when clicked
        t("scorecards.download"), data=in_current_language(on_click(lambda _: list_csv(shown), page="scorecards")),
        file_name=t("scorecards.csv_name", date=as_of.isoformat()), mime="text/csv", icon=":material/download:",
        key="scorecards_download",
    )
    rows = list(event.selection.rows) if event is not None else []
    if rows:
        open_file(int(frame.iloc[rows[0]]["enterprise_id"]))


# --- one enterprise's file -------------------------------------------------------------------------


def _yes_no(value: object) -> str:
    return TICK if bool(value) else CROSS


def _dates(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    for column in columns:
        frame[column] = [format_date(v) if isinstance(v, date) else "—" for v in frame[column]]
    return frame


def _money(value: object) -> str:
    return format_money(float(value)) if isinstance(value, int | float) and not pd.isna(value) else "—"


def _blank(value: object) -> str:
    return "—" if value is None or (isinstance(value, float) and pd.isna(value)) or value == "" else str(value)


def points_text(points: float) -> str:
    """Points with at most two decimals and no trailing zeros: 12, 1.33."""
    return f"{round(float(points), 2):g}"


def reference(ref: RecordRef) -> str:
    """A record behind a deduction, named the way its tab shows it ("隐患 #142")."""
    if ref.table == "enterprise":
        return t("scorecards.ref.enterprise")
    return t(f"scorecards.ref.{ref.table}", id=ref.id)


def deductions_frame(result: EnterpriseEvaluation) -> pd.DataFrame:
    """Every deduction of the scorecard: component, points lost, the reason in the user's language, the records."""
    separator = "、" if current_language() == "zh" else ", "
    language = current_language()
    return pd.DataFrame({
        t("scorecards.col.component"): [label("component", d.component) for d in result.scorecard.deductions],
        t("scorecards.col.points"): [f"−{points_text(d.points)}" for d in result.scorecard.deductions],
        t("scorecards.col.reason"): [d.reason(language) for d in result.scorecard.deductions],
        t("scorecards.col.records"): [separator.join(dict.fromkeys(reference(r) for r in d.records)) or "—"
                                      for d in result.scorecard.deductions],
    })


def components_frame(result: EnterpriseEvaluation) -> pd.DataFrame:
    maxima = component_maxima(current_rules())
    return pd.DataFrame({
        "component": [label("component", c) for c in maxima],
        "points": [round(result.scorecard.components[c], 2) for c in maxima],
        "maximum": [maxima[c] for c in maxima],
    })


def history_frame(history: Sequence[HistoryPoint]) -> pd.DataFrame:
    return pd.DataFrame({
        "month": [format_month(p.on) for p in history],
        "on": [p.on for p in history],
        "score": [shown_score(p.score) for p in history],
        "grade": [p.grade for p in history],
    })


def grade_thresholds() -> dict[str, float]:
    rules = current_rules()
    return {"A": rules.grade_a_min, "B": rules.grade_b_min, "C": rules.grade_c_min}


def _licence_text(record: EnterpriseFile) -> str:
    profile = record.profile
    if profile.license_expires_on is None:
        return "—"
    text = format_date(profile.license_expires_on)
    days = record.licence_days_left()
    if days is not None and days < 0:
        return f"{text} :red-badge[{t('scorecards.licence_expired')}]"
    if days is not None and days <= current_rules().loan_licence_expiry_warning_days:
        return f"{text} :orange-badge[{t('scorecards.licence_expiring', days=days)}]"
    return text


def chip(column: Any, title: str, value: str, swatch: str) -> None:
    """A card like ``st.metric`` whose value is a name with a coloured square (and wraps when long)."""
    square = (f"<span style='display:inline-block;width:0.75em;height:0.75em;border-radius:3px;"
              f"background:{swatch};margin-right:0.35em;vertical-align:0'></span>")
    column.markdown(
        f"<div style='font-size:0.875rem;margin-bottom:0.2rem'>{html.escape(title)}</div>"
        f"<div style='font-size:1.45rem;line-height:1.35'>{square}{html.escape(value)}</div>",
        unsafe_allow_html=True,
    )


def _draw_header(record: EnterpriseFile, result: EnterpriseEvaluation) -> None:
    profile = record.profile
    shown = name_in_language(profile.name, profile.name_en)
    st.title(plain(shown))
    # the name in the other language beside it, when the enterprise has one
    other = profile.name if shown != profile.name else name_in_language(profile.name, profile.name_en, "en")
    caption = t("scorecards.file_caption", date=format_date(record.as_of))
    st.caption(f"{plain(other)} · {caption}" if other != shown else caption)

    score_col, grade_col, colour_col, loan_col = st.columns(4, border=True)
    score_col.metric(t("scorecards.score"), format_number(shown_score(result.score)))
    grade_col.metric(t("scorecards.grade"), result.grade)
    chip(colour_col, t("scorecards.colour"), label("risk_colour", result.risk_colour), SWATCHES[result.risk_colour])
    chip(loan_col, t("scorecards.loan"), label("loan_status", result.effective_status),
         SWATCHES[result.effective_status])
    override = result.loan.override
    if override is not None:
        loan_col.caption(t("scorecards.loan_computed", status=label("loan_status", result.status)))
        loan_col.caption(t("scorecards.override", by=plain(override.decided_by),
                           until=format_date(override.expires_on), reason=plain(override.reason)))

    st.subheader(t("scorecards.identity"))
    staff = t("scorecards.safety_staff", fulltime=profile.safety_staff_fulltime,
              parttime=profile.safety_staff_parttime)
    if profile.safety_org:
        staff = f"{staff}; {t('scorecards.safety_org')}" if current_language() == "en" \
            else f"{staff};{t('scorecards.safety_org')}"
    fields = [
        (t("scorecards.field.uscc"), profile.uscc),
        (t("scorecards.field.industry"), label("industry", profile.industry)),
        (t("scorecards.field.plot"), profile.plot_code or "—"),
        (t("scorecards.field.status"), label("enterprise_status", profile.status)),
        (t("scorecards.field.legal_rep"), plain(profile.legal_rep)),
        (t("scorecards.field.safety_lead"), plain(profile.safety_lead)),
        (t("scorecards.field.phone"), plain(profile.phone)),
        (t("scorecards.field.employees"), format_int(profile.employees)),
        (t("scorecards.field.safety_staff"), staff),
        (t("scorecards.field.licence"), plain(profile.license_no or t("scorecards.no_licence"))),
        (t("scorecards.field.licence_expires"), _licence_text(record)),
        (t("scorecards.field.standardization"), label("standardization_grade", profile.standardization_grade)),
        (t("scorecards.field.major_hazard_source"), label("major_hazard_source", profile.major_hazard_source)),
    ]
    with st.container(border=True):
        columns = st.columns(3)
        per_column = -(-len(fields) // 3)
        for index, column in enumerate(columns):
            lines = [f"**{name}**  \n{value}" for name, value in fields[index * per_column:(index + 1) * per_column]]
            column.markdown("\n\n".join(lines))


def _draw_scores(result: EnterpriseEvaluation, history: Sequence[HistoryPoint]) -> None:
    left, right = st.columns(2)
    with left:
        st.subheader(t("scorecards.components"))
        st.caption(t("scorecards.components_caption"))
        st.altair_chart(components_chart(components_frame(result)), width="stretch")
    with right:
        st.subheader(t("scorecards.trend"))
        st.caption(t("scorecards.trend_caption"))
        st.altair_chart(score_trend_chart(history_frame(history), grade_thresholds()), width="stretch")

    st.subheader(t("scorecards.deductions"))
    deductions = result.scorecard.deductions
    if not deductions:
        st.success(t("scorecards.no_deductions"))
        return
    lost = sum(d.points for d in deductions)
    st.caption(t("scorecards.deductions_caption", count=len(deductions), points=points_text(lost),
                 score=format_number(shown_score(result.score))))
    st.table(deductions_frame(result), hide_index=True)


def _table(frame: pd.DataFrame, config: dict[str, Any], table: str | None = None) -> None:
    """One tab's records (or a note that there are none); for a ``table`` that takes files, each record's
    count of files and the gallery of one record picked among those that have some."""
    if frame.empty:
        st.caption(t("scorecards.no_records"))
        return
    if table is not None:
        with_counts(table, frame, frame, config)
    columns = [column for column in config if column in frame.columns]
    st.dataframe(frame[columns], hide_index=True, width="stretch", column_config=config,
                 height=min(38 + 35 * len(frame), 460))
    if table is not None and "files" in frame.columns:
        _files(table, frame)


def _files(table: str, frame: pd.DataFrame, record_column: str = "id") -> None:
    """The gallery of one of the tab's records that has files (read-only here: files are attached and removed
    on the Records page), picked by the row's ``id``; the files are those of the ``record_column`` record of
    ``table`` (a sign's row shows its last check's)."""
    user = current_user()
    having = {int(row_id): int(record_id) for row_id, record_id, count
              in zip(frame["id"], frame[record_column], frame["files"], strict=True) if count}
    if user is None or not having:
        return
    picked = st.selectbox(t("evidence.pick"), list(having), format_func=lambda i: f"#{i}",
                          key=f"scorecards.files.{table}", width=240)
    if picked is not None:
        record_id = having[int(picked)]
        gallery(table, record_id, user, page="scorecards", base=f"scorecards.evidence.{table}.{record_id}",
                removable=False)


def _text_columns(*columns: str, width: str | int = "small") -> dict[str, Any]:
    return {c: st.column_config.TextColumn(t(f"scorecards.col.{c}"), width=width) for c in columns}  # type: ignore[arg-type]


def _date_columns(*columns: str) -> dict[str, Any]:
    return _text_columns(*columns, width=DATE_WIDTH[current_language()])


def _id_column() -> dict[str, Any]:
    return {"id": st.column_config.NumberColumn(t("scorecards.col.id"), format="#%d", width=70)}


def _hazards_tab(record: EnterpriseFile) -> None:
    frame = record.hazards.copy()
    if not frame.empty:
        not_closed = frame["state"] != "verified"
        overdue = frame["state"] == "overdue"
        major = not_closed & (frame["severity"] == "major")
        st.caption(t("scorecards.hazard_summary", open=int(not_closed.sum()), overdue=int(overdue.sum()),
                     major=int(major.sum())))
        frame["state"] = [label("hazard_state", v) for v in frame["state"]]
        frame["severity"] = [label("hazard_severity", v) for v in frame["severity"]]
        frame["category"] = [label("hazard_category", v) for v in frame["category"]]
        frame = _dates(frame, "found_on", "deadline", "rectified_on", "verified_on")
        frame["days_overdue"] = [format_int(int(v)) if v else "—" for v in frame["days_overdue"]]
        frame["funds_yuan"] = [_money(v) for v in frame["funds_yuan"]]
        for column in ("measures", "contingency_plan", "responsible_person"):
            frame[column] = [_blank(v) for v in frame[column]]
        for column in ("listed_supervision", "publicly_exposed"):
            frame[column] = [_yes_no(v) for v in frame[column]]
    config = {
        **_id_column(),
        **_text_columns("state", width=120),
        **_text_columns("severity", "category", width=90),
        **_text_columns("description", width=240),
        **_date_columns("found_on", "deadline"),
        "days_overdue": st.column_config.TextColumn(t("scorecards.col.days_overdue"), width=100, alignment="right"),
        **_date_columns("rectified_on", "verified_on"),
        **_text_columns("responsible_person", width=80),
        **_text_columns("measures", width=220),
        **_text_columns("funds_yuan", width=100),
        **_text_columns("contingency_plan", width=180),
        **_text_columns("listed_supervision", "publicly_exposed", width=80),
    }
    _table(frame, config, "hazard")


def _signs_tab(record: EnterpriseFile, result: EnterpriseEvaluation) -> None:
    frame = record.signs.copy()
    answer = t("scorecards.yes") if result.facts.signage_compliant else t("scorecards.no")
    st.caption(t("scorecards.signs_summary", answer=answer))
    if not frame.empty:
        frame["kind"] = [label("sign_kind", v) for v in frame["kind"]]
        frame["condition"] = [label("sign_condition", v) if pd.notna(v) else "—" for v in frame["condition"]]
        frame = _dates(frame, "installed_on", "last_checked_on")
        frame["counts"] = [_yes_no(v) for v in frame["counts"]]
    config = {**_id_column(), **_text_columns("kind", width=120), **_text_columns("location", width="medium"),
              **_date_columns("installed_on", "last_checked_on"), **_text_columns("condition", "counts")}
    if not frame.empty:  # the files of each sign's last check: the board as seen that day
        checks = frame["check_id"]
        counts = load_counts("sign_check", (int(c) for c in checks.dropna()))
        frame["files"] = [counts.get(int(c), 0) if pd.notna(c) else 0 for c in checks]
        config["files"] = st.column_config.NumberColumn(t("evidence.count"), format="%d", width="small")
    _table(frame, config)
    if not frame.empty:
        _files("sign_check", frame, record_column="check_id")


def _inspections_tab(record: EnterpriseFile) -> None:
    frame = record.inspections.copy()
    if not frame.empty:
        frame["tier"] = [label("inspection_tier", v) for v in frame["tier"]]
        frame = _dates(frame, "inspected_on")
        frame["notes"] = [_blank(v) for v in frame["notes"]]
    config = {**_id_column(), **_date_columns("inspected_on"), **_text_columns("tier", width=110),
              **_text_columns("inspector", width="medium"),
              "hazards_found": st.column_config.NumberColumn(t("scorecards.col.hazards_found"), format="%d",
                                                             width="small"),
              **_text_columns("notes", width="large")}
    _table(frame, config, "inspection")


def _accidents_tab(record: EnterpriseFile) -> None:
    frame = record.accidents.copy()
    st.caption(t("scorecards.accident_summary"))
    if not frame.empty:
        frame["level"] = [label("accident_level", v) for v in frame["level"]]
        frame = _dates(frame, "occurred_on")
        frame["direct_loss_yuan"] = [_money(v) for v in frame["direct_loss_yuan"]]
        for flag in FOUR_NOT_LETTING_GO:
            frame[flag] = [_yes_no(v) for v in frame[flag]]
    config = {
        **_id_column(), **_date_columns("occurred_on"), **_text_columns("level"),
        "deaths": st.column_config.NumberColumn(t("scorecards.col.deaths"), format="%d", width="small"),
        "serious_injuries": st.column_config.NumberColumn(t("scorecards.col.serious_injuries"), format="%d",
                                                          width="small"),
        **_text_columns("direct_loss_yuan", width=110), **_text_columns(*FOUR_NOT_LETTING_GO),
        **_text_columns("description", width="large"),
    }
    _table(frame, config, "accident")


def _trainings_tab(record: EnterpriseFile) -> None:
    frame = record.trainings.copy()
    if not frame.empty:
        frame["audience"] = [label("training_audience", v) for v in frame["audience"]]
        frame = _dates(frame, "held_on")
    config = {**_id_column(), **_date_columns("held_on"), **_text_columns("audience", width=110),
              "attendees": st.column_config.NumberColumn(t("scorecards.col.attendees"), format="%d", width="small"),
              "hours": st.column_config.NumberColumn(t("scorecards.col.hours"), format="%g", width="small")}
    _table(frame, config, "training")


def _enforcement_tab(record: EnterpriseFile) -> None:
    frame = record.enforcements.copy()
    if not frame.empty:
        frame["action"] = [label("enforcement_action", v) for v in frame["action"]]
        frame = _dates(frame, "decided_on", "lifted_on")
        frame["fine_yuan"] = [_money(v) for v in frame["fine_yuan"]]
        # only a suspension or a closure stays in force; a fine or an order is a one-off decision
        frame["in_force"] = [_yes_no(v) if action in LASTING_ACTIONS else "—"
                             for action, v in zip(record.enforcements["action"], frame["in_force"], strict=True)]
        frame["note"] = [_blank(v) for v in frame["note"]]
    config = {**_id_column(), **_date_columns("decided_on"), **_text_columns("action"),
              **_text_columns("fine_yuan", width=110), **_date_columns("lifted_on"), **_text_columns("in_force"),
              **_text_columns("note", width="large")}
    _table(frame, config, "enforcement")
    listings = record.listings.copy()
    if listings.empty:
        return
    st.markdown(f"**{t('scorecards.listings')}**")
    listings = _dates(listings, "listed_on", "removed_on")
    listings["in_force"] = [_yes_no(v) for v in listings["in_force"]]
    _table(listings, {**_id_column(), **_date_columns("listed_on"), **_text_columns("reason", width="large"),
                      **_date_columns("removed_on"), **_text_columns("in_force")})


def _draw_tabs(record: EnterpriseFile, result: EnterpriseEvaluation) -> None:
    counts = {
        "hazards": len(record.hazards), "signs": len(record.signs), "inspections": len(record.inspections),
        "accidents": len(record.accidents), "trainings": len(record.trainings),
        "enforcements": len(record.enforcements) + len(record.listings),
    }
    tabs = st.tabs([t(f"scorecards.tab.{name}", count=format_int(count)) for name, count in counts.items()])
    with tabs[0]:
        _hazards_tab(record)
    with tabs[1]:
        _signs_tab(record, result)
    with tabs[2]:
        _inspections_tab(record)
    with tabs[3]:
        _accidents_tab(record)
    with tabs[4]:
        _trainings_tab(record)
    with tabs[5]:
        _enforcement_tab(record)


def draw_file(record: EnterpriseFile) -> None:
    """The file of one enterprise at D: header, components, trend, deductions and its records in tabs."""
    if st.button(t("scorecards.back"), icon=":material/arrow_back:", key="scorecards_back"):
        close_file()
    st.session_state[FILE_SHOWN_KEY] = True
    result = load_evaluation(record.as_of, record.profile.id)
    history = load_history(record.as_of, record.profile.id)
    _draw_header(record, result)
    _draw_scores(result, history)
    _draw_tabs(record, result)
