"""The briefing as sections of sentences and typed tables, in the current language.

The PDF, the workbook and the page all draw these same sections, so every figure is written once. A
table's cells hold plain values (int, float, date, str, None); its columns say how to show them,
so the workbook keeps numbers as numbers and the PDF formats them for the language.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from types import SimpleNamespace
from typing import Any

import pandas as pd

from dashboard.i18n import (
    current_language,
    format_date,
    format_int,
    format_money,
    format_month,
    format_percent,
    label,
    name_in_language,
    t,
)
from dashboard.rules.loan_eligibility import STATUSES
from dashboard.rules.risk_colour import COLOURS
from dashboard.services.attachments import RecordThumbnail
from dashboard.services.briefing import MonthFigures, MonthlyBriefing
from dashboard.services.rule_reports import shown_score
from dashboard.services.work_items import WorkItem, work_items
from dashboard.settings import RuleSettings
from models.enums import EnforcementAction

NUMERIC_KINDS = frozenset({"int", "number", "percent", "delta", "points", "score", "money", "id"})  # right-aligned
NAMES_SHOWN = 8  # enterprise names written out in a work item's sentence


@dataclass(frozen=True)
class Column:
    """A column's heading and kind: text, long (text that wraps), detail (a long text the PDF prints across
    the table under its row), int, id, percent (a share 0..1), date, score, money, delta (a signed count),
    points (a signed change of a share, in percentage points)."""

    title: str
    kind: str = "text"


@dataclass(frozen=True)
class Picture:
    """A picture printed in a table's row: its bytes, their media type, and the lines of its caption."""

    data: bytes
    media_type: str
    caption: tuple[str, ...]


@dataclass(frozen=True)
class PictureColumn:
    """Pictures the PDF prints in a last column of a table, one per row from the first (None: the row has none),
    and a note under the table on what they are. The workbook and the page leave them out: the workbook is the
    list's data, to sort and filter (a count of files would say nothing of what they show), and a hazard's files
    are on the Records page."""

    title: str
    pictures: tuple[Picture | None, ...]
    note: str = ""


@dataclass(frozen=True)
class Table:
    title: str | None
    columns: tuple[Column, ...]
    rows: tuple[tuple[Any, ...], ...]
    empty: str = ""  # said instead of the table when it has no rows
    printed: bool = True  # False: the workbook's data behind a chart, not repeated in the PDF
    pictures: PictureColumn | None = None  # printed in the PDF only


@dataclass(frozen=True)
class Section:
    key: str  # also the chart names: the charts of a section are drawn after its paragraphs
    title: str
    sheet: str  # the workbook sheet's name (at most 31 characters)
    paragraphs: tuple[str, ...] = ()
    tables: tuple[Table, ...] = ()
    charts: tuple[str, ...] = ()
    bullets: tuple[str, ...] = field(default=())


def _records(frame: pd.DataFrame) -> list[Any]:
    """The frame's rows as objects with one attribute per column."""
    return [SimpleNamespace(**{str(key): value for key, value in row.items()}) for row in frame.to_dict("records")]


def briefing_title(briefing: MonthlyBriefing) -> str:
    return t("briefing.title", month=format_month(briefing.month.month))


def park_title(briefing: MonthlyBriefing) -> str:
    return name_in_language(briefing.park_name, briefing.park_name_en)


def _periods(briefing: MonthlyBriefing) -> tuple[MonthFigures, MonthFigures, MonthFigures]:
    return briefing.month, briefing.previous, briefing.last_year


def _comparison_columns(briefing: MonthlyBriefing, first: str) -> tuple[Column, ...]:
    return (
        Column(first),
        Column(format_month(briefing.month.month), "number"),
        Column(format_month(briefing.previous.month), "number"),
        Column(t("briefing.column.change_previous"), "delta"),
        Column(format_month(briefing.last_year.month), "number"),
        Column(t("briefing.column.change_last_year"), "delta"),
    )


Figure = Callable[[MonthFigures], int | float | None]


FIGURES: dict[str, tuple[str, Figure]] = {  # name -> kind and how to read it off a month (briefing.figure.<name>)
    "enterprises": ("int", lambda p: p.figures.enterprises),
    "signage_compliant": ("int", lambda p: p.figures.signage_compliant),
    "signage_rate": ("percent", lambda p: p.figures.signage_compliance),
    "found": ("int", lambda p: p.found),
    "rectified": ("int", lambda p: p.rectified),
    "verified": ("int", lambda p: p.verified),
    "month_on_time": ("percent", lambda p: p.month_on_time_rate),
    "on_time_365": ("percent", lambda p: p.figures.on_time_rectification),
    "open": ("int", lambda p: p.figures.open_hazards),
    "overdue": ("int", lambda p: p.figures.overdue_hazards),
    "major": ("int", lambda p: p.figures.major_hazards),
    "listed_open": ("int", lambda p: p.listed_open),
    "accidents": ("int", lambda p: p.accidents),
    "accidents_this_year": ("int", lambda p: p.figures.accidents_this_year),
    "enforcement": ("int", lambda p: p.enforcement_total),
    "red": ("int", lambda p: p.colours["red"]),
    "ineligible": ("int", lambda p: p.figures.ineligible),
    "rectified_on_time": ("int", lambda p: p.rectified_on_time),
    "listed_new": ("int", lambda p: p.listed_new),
    "listed_closed": ("int", lambda p: p.listed_closed),
}


def _figures(*names: str) -> list[tuple[str, str, Figure]]:
    """The figures ``names`` as rows of a comparison table: their names in the current language, kinds and readers."""
    return [(t(f"briefing.figure.{name}"), *FIGURES[name]) for name in names]


def _change(current: int | float | None, earlier: int | float | None, share: bool) -> tuple[str, int | float | None]:
    """The change from ``earlier`` to ``current``: a count's difference, or a share's in percentage points."""
    if earlier is None or current is None:
        return ("points" if share else "delta"), None
    return ("points", round((current - earlier) * 100, 1)) if share else ("delta", current - earlier)


def _comparison_rows(briefing: MonthlyBriefing,
                     figures: Sequence[tuple[str, str, Figure]]) -> tuple[tuple[Any, ...], ...]:
    """One row per figure: its name, the value in the month, the previous month and a year earlier, and the
    changes."""
    rows = []
    now, previous, last_year = _periods(briefing)
    for name, kind, figure in figures:
        value, before, year_ago = figure(now), figure(previous), figure(last_year)
        share = kind == "percent"
        rows.append((name, (kind, value), (kind, before), _change(value, before, share), (kind, year_ago),
                     _change(value, year_ago, share)))
    return tuple(rows)


def _key_figures(briefing: MonthlyBriefing) -> Section:
    target = briefing.accident_target_per_year
    m = briefing.month
    in_progress = t("briefing.summary.in_progress", date=format_date(m.closing)) if briefing.in_progress else ""
    figures = _figures("enterprises", "signage_compliant", "signage_rate", "found", "rectified", "verified",
                       "month_on_time", "on_time_365", "open", "overdue", "major", "listed_open", "accidents",
                       "accidents_this_year", "enforcement", "red", "ineligible")
    paragraphs = [
        t("briefing.summary.lead", month=format_month(m.month), enterprises=format_int(m.figures.enterprises),
          found=format_int(m.found), rectified=format_int(m.rectified), verified=format_int(m.verified),
          open=format_int(m.figures.open_hazards), overdue=format_int(m.figures.overdue_hazards),
          major=format_int(m.figures.major_hazards)),
        t("briefing.summary.accidents", accidents=format_int(m.accidents),
          year=format_int(m.figures.accidents_this_year), target=format_int(target)) if target is not None
        else t("briefing.summary.accidents_no_target", accidents=format_int(m.accidents),
               year=format_int(m.figures.accidents_this_year)),
        t("briefing.summary.risk", red=format_int(m.colours["red"]), orange=format_int(m.colours["orange"]),
          ineligible=format_int(m.loan_statuses["ineligible"]),
          signage=format_percent(m.figures.signage_compliance)),
    ]
    if in_progress:
        paragraphs.insert(0, in_progress)
    return Section("summary", t("briefing.section.summary"), t("briefing.sheet.summary"), tuple(paragraphs),
                   (Table(None, _comparison_columns(briefing, t("briefing.column.figure")),
                          _comparison_rows(briefing, figures)),))


def _hazards(briefing: MonthlyBriefing) -> Section:
    figures = _figures("found", "rectified", "rectified_on_time", "month_on_time", "verified", "open", "overdue",
                       "major", "listed_open", "listed_new", "listed_closed")
    trend = briefing.trend
    trend_rows = tuple((format_month(row.month), ("int", int(row.found)), ("int", int(row.closed)))
                       for row in _records(trend))
    m = briefing.month
    return Section(
        "hazards", t("briefing.section.hazards"), t("briefing.sheet.hazards"),
        (t("briefing.hazards.lead", listed=format_int(m.listed_open), new=format_int(m.listed_new),
           closed=format_int(m.listed_closed)),),
        (Table(None, _comparison_columns(briefing, t("briefing.column.figure")), _comparison_rows(briefing, figures)),
         Table(t("briefing.hazards.trend_title"),
               (Column(t("briefing.column.month")), Column(t("briefing.column.found"), "int"),
                Column(t("briefing.column.closed"), "int")), trend_rows, printed=False)),
        charts=("trend",),
    )


def _photo(photo: RecordThumbnail | None) -> Picture | None:
    """A hazard's photo as the list prints it, captioned with its stage (整改前, 整改后) and the day, in the park,
    the server received it."""
    if photo is None:
        return None
    return Picture(photo.thumbnail.data, photo.thumbnail.media_type,
                   (label("attachment_stage", photo.stage), photo.uploaded_at.date().isoformat()))


def _hazard_list(briefing: MonthlyBriefing) -> Section:
    rows = []
    hazards = _records(briefing.hazards)
    photos = PictureColumn(t("briefing.column.photo"),
                           tuple(_photo(briefing.hazard_photos.get(int(h.hazard_id))) for h in hazards),
                           t("briefing.hazard_list.photos", date=format_date(briefing.month.closing)))
    for h in hazards:
        state = "overdue" if pd.notna(h.days_overdue) else h.state
        rows.append((
            name_in_language(h.name, h.name_en), ("id", int(h.hazard_id)), label("hazard_category", h.category),
            label("hazard_severity", h.severity), t("briefing.yes") if h.listed_supervision else t("briefing.no"),
            ("date", h.found_on), h.responsible_person or "", ("date", h.deadline), label("hazard_state", state),
            ("int", None if pd.isna(h.days_overdue) else int(h.days_overdue)), ("date", h.verified_on),
        ))
    overdue = int(briefing.hazards["days_overdue"].notna().sum())
    listed = int(briefing.hazards["listed_supervision"].sum())
    return Section(
        "hazard_list", t("briefing.section.hazard_list"), t("briefing.sheet.hazard_list"),
        (t("briefing.hazard_list.lead", overdue=format_int(overdue), listed=format_int(listed),
           date=format_date(briefing.month.closing)),),
        (Table(None, (
            Column(t("briefing.column.enterprise")), Column(t("briefing.column.hazard_id"), "id"),
            Column(t("briefing.column.category")), Column(t("briefing.column.severity")),
            Column(t("briefing.column.listed")), Column(t("briefing.column.found_on"), "date"),
            Column(t("briefing.column.responsible")), Column(t("briefing.column.deadline"), "date"),
            Column(t("briefing.column.state", date=format_date(briefing.month.closing))),
            Column(t("briefing.column.days_overdue"), "int"), Column(t("briefing.column.verified_on"), "date"),
        ), tuple(rows), t("briefing.hazard_list.none"), pictures=photos),),
    )


def _changes_table(briefing: MonthlyBriefing, changes: pd.DataFrame, kind: str, title: str, empty: str) -> Table:
    """The enterprises that changed, headed by the two days compared."""
    rows = tuple((name_in_language(c.name, c.name_en), label(kind, c.before), label(kind, c.after),
                  ("score", shown_score(c.score)), c.grade) for c in _records(changes))
    return Table(title, (Column(t("briefing.column.enterprise")), Column(format_date(briefing.previous.closing)),
                         Column(format_date(briefing.month.closing)), Column(t("briefing.column.score"), "score"),
                         Column(t("briefing.column.grade"))), rows, empty)


def _distribution(briefing: MonthlyBriefing, values: tuple[str, ...], kind: str,
                  of: Callable[[MonthFigures], dict[str, int]]) -> Table:
    figures: list[tuple[str, str, Figure]] = [
        (label(kind, value), "int", lambda p, value=value: of(p)[value]) for value in values]  # type: ignore[misc]
    return Table(None, _comparison_columns(briefing, t("briefing.column.category_of", kind=t(f"briefing.kind.{kind}"))),
                 _comparison_rows(briefing, figures))


def _colours(briefing: MonthlyBriefing) -> Section:
    m, before = briefing.month, briefing.previous
    changes = briefing.colour_changes
    return Section(
        "colours", t("briefing.section.colours"), t("briefing.sheet.colours"),
        (t("briefing.colours.lead", date=format_date(m.closing), red=format_int(m.colours["red"]),
           orange=format_int(m.colours["orange"]), yellow=format_int(m.colours["yellow"]),
           blue=format_int(m.colours["blue"]), changed=format_int(len(changes)),
           previous=format_date(before.closing)),),
        (_distribution(briefing, COLOURS, "risk_colour", lambda p: p.colours),
         _changes_table(briefing, changes, "risk_colour",
                        t("briefing.colours.changes_title", previous=format_date(before.closing)),
                        t("briefing.colours.no_changes"))),
        charts=("colours",),
    )


def _accidents(briefing: MonthlyBriefing) -> Section:
    m = briefing.month
    target = briefing.accident_target_per_year
    by_level = briefing.accidents_by_level
    level_rows: tuple[tuple[Any, ...], ...] = tuple(
        (label("accident_level", row.level), ("int", int(row.accidents))) for row in _records(by_level))
    level_rows += ((t("briefing.accidents.total"), ("int", m.figures.accidents_this_year)),
                   (t("briefing.accidents.target"), ("int", target)))
    rows = tuple((name_in_language(a.name, a.name_en), ("date", a.occurred_on), label("accident_level", a.level),
                  ("int", a.deaths), ("int", a.serious_injuries), ("money", a.direct_loss_yuan),
                  t("briefing.yes") if a.four_not_letting_go else t("briefing.no"))
                 for a in _records(briefing.accidents))
    if target is None:
        lead = t("briefing.accidents.lead_no_target", year=format_int(m.figures.accidents_this_year),
                 accidents=format_int(m.accidents))
    else:
        share = m.figures.accidents_this_year / target if target else None
        lead = t("briefing.accidents.lead", year=format_int(m.figures.accidents_this_year), target=format_int(target),
                 share=format_percent(share, 0), accidents=format_int(m.accidents), deaths=format_int(m.deaths),
                 injuries=format_int(m.serious_injuries))
    return Section(
        "accidents", t("briefing.section.accidents"), t("briefing.sheet.accidents"), (lead,),
        (Table(t("briefing.accidents.by_level_title", year=m.closing.year),
               (Column(t("briefing.column.level")), Column(t("briefing.column.accidents"), "int")), level_rows),
         Table(t("briefing.accidents.month_title", month=format_month(m.month)), (
             Column(t("briefing.column.enterprise")), Column(t("briefing.column.occurred_on"), "date"),
             Column(t("briefing.column.level")), Column(t("briefing.column.deaths"), "int"),
             Column(t("briefing.column.injuries"), "int"), Column(t("briefing.column.loss"), "money"),
             Column(t("briefing.column.four_not")),
         ), rows, t("briefing.accidents.none"))),
    )


def _enforcement(briefing: MonthlyBriefing) -> Section:
    actions = tuple(action.value for action in EnforcementAction)
    rows = tuple((name_in_language(e.name, e.name_en), ("date", e.decided_on), label("enforcement_action", e.action),
                  ("money", None if pd.isna(e.fine_yuan) else float(e.fine_yuan)), ("date", e.lifted_on),
                  e.note or "") for e in _records(briefing.enforcement))
    return Section(
        "enforcement", t("briefing.section.enforcement"), t("briefing.sheet.enforcement"),
        (t("briefing.enforcement.lead", total=format_int(briefing.month.enforcement_total),
           previous=format_int(briefing.previous.enforcement_total)),),
        (_distribution(briefing, actions, "enforcement_action", lambda p: p.enforcement),
         Table(t("briefing.enforcement.month_title", month=format_month(briefing.month.month)), (
             Column(t("briefing.column.enterprise")), Column(t("briefing.column.decided_on"), "date"),
             Column(t("briefing.column.action")), Column(t("briefing.column.fine"), "money"),
             Column(t("briefing.column.lifted_on"), "date"), Column(t("briefing.column.note")),
         ), rows, t("briefing.enforcement.none"))),
    )


def _loans(briefing: MonthlyBriefing) -> Section:
    m, before = briefing.month, briefing.previous
    changes = briefing.loan_changes
    return Section(
        "loans", t("briefing.section.loans"), t("briefing.sheet.loans"),
        (t("briefing.loans.lead", date=format_date(m.closing), ineligible=format_int(m.loan_statuses["ineligible"]),
           conditional=format_int(m.loan_statuses["conditional"]), eligible=format_int(m.loan_statuses["eligible"]),
           changed=format_int(len(changes)), previous=format_date(before.closing)),),
        (_distribution(briefing, STATUSES, "loan_status", lambda p: p.loan_statuses),
         _changes_table(briefing, changes, "loan_status",
                        t("briefing.loans.changes_title", previous=format_date(before.closing)),
                        t("briefing.loans.no_changes"))),
    )


def _at_risk(briefing: MonthlyBriefing) -> Section:
    language = current_language()
    rows = tuple((
        ("int", e.rank), name_in_language(e.name, e.name_en), label("industry", e.industry),
        label("risk_colour", e.risk_colour), ("score", shown_score(e.score)), e.grade,
        label("loan_status", e.loan_status),
        ("int", e.open_hazards), ("int", e.overdue_hazards), ("int", e.major_hazards),
        "\n".join(t("briefing.at_risk.deduction", points=f"{d.points:g}", reason=d.reason(language))
                  for d in e.deductions),
    ) for e in briefing.at_risk)
    return Section(
        "at_risk", t("briefing.section.at_risk", count=len(rows)), t("briefing.sheet.at_risk"),
        (t("briefing.at_risk.lead"),),
        (Table(None, (
            Column(t("briefing.column.rank"), "int"), Column(t("briefing.column.enterprise")),
            Column(t("briefing.column.industry")), Column(t("briefing.column.colour")),
            Column(t("briefing.column.score"), "score"), Column(t("briefing.column.grade")),
            Column(t("briefing.column.loan_status")), Column(t("briefing.column.open"), "int"),
            Column(t("briefing.column.overdue"), "int"), Column(t("briefing.column.major"), "int"),
            Column(t("briefing.column.main_deductions"), "detail"),
        ), rows, t("briefing.at_risk.none")),),
    )


def work_item_sentence(item: WorkItem, briefing: MonthlyBriefing, names_shown: int = NAMES_SHOWN) -> str:
    """The item as a sentence naming up to ``names_shown`` enterprises (and how many more)."""
    names = [name_in_language(*briefing.enterprise_names[i]) for i in item.enterprise_ids
             if i in briefing.enterprise_names]
    shown = t("briefing.list_separator").join(names[:names_shown])
    if len(names) > names_shown:
        shown = t("briefing.names_more", names=shown, more=format_int(len(names) - names_shown))
    sentence = t(f"briefing.work.{item.code}", count=format_int(item.count), names=shown,
                 **{key: format_int(value) for key, value in item.params.items()})
    return sentence[:-1] if sentence.endswith("..") else sentence  # "… Co., Ltd.." ends with one full stop


def _work(briefing: MonthlyBriefing, rules: RuleSettings) -> Section:
    items = work_items(briefing, rules)
    sentences = tuple(work_item_sentence(item, briefing) for item in items)
    rows = tuple((("int", index), sentence, t("briefing.list_separator").join(
        name_in_language(*briefing.enterprise_names[i]) for i in item.enterprise_ids if i in briefing.enterprise_names))
        for index, (item, sentence) in enumerate(zip(items, sentences, strict=True), start=1))
    return Section(
        "work", t("briefing.section.work"), t("briefing.sheet.work"),
        () if items else (t("briefing.work.none"),),
        (Table(None, (Column(t("briefing.column.number"), "int"), Column(t("briefing.column.work_item"), "long"),
                      Column(t("briefing.column.enterprises"), "long")), rows),),
        bullets=sentences,
    )


def briefing_sections(briefing: MonthlyBriefing, rules: RuleSettings) -> list[Section]:
    """The briefing's sections in the order the meeting takes them, in the current language."""
    return [_key_figures(briefing), _hazards(briefing), _hazard_list(briefing), _colours(briefing),
            _accidents(briefing), _enforcement(briefing), _loans(briefing), _at_risk(briefing),
            _work(briefing, rules)]


def cell_text(kind: str, value: Any) -> str:
    """A cell as the PDF and the page show it in the current language."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "—" if kind not in ("text", "long", "detail") else ""
    if kind in ("int", "number", "id"):
        return format_int(int(value)) if kind != "id" else str(value)
    if kind == "percent":
        return format_percent(float(value))
    if kind == "delta":
        return f"{int(value):+,}" if value else "0"
    if kind == "points":
        return t("briefing.points", value=f"{float(value):+.1f}") if value else "0"
    if kind == "date":  # in a table: short, the same in both languages
        return value.isoformat() if isinstance(value, date) else str(value)
    if kind == "score":
        return f"{float(value):.1f}"
    if kind == "money":
        return format_money(float(value))
    return str(value)


def cell(column: Column, value: Any) -> tuple[str, Any]:
    """A cell's kind and value: a cell may carry its own kind (``("percent", 0.5)`` in a column of numbers)."""
    if isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], str):
        return value[0], value[1]
    return column.kind, value
