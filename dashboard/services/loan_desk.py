"""The loan desk's data (信贷资格, DESIGN.md 4.6 and 5): counts by status, the rules behind each
enterprise's status in words, one enterprise's path to eligibility and history, the park's status
history by month, the overrides recorded, and exports of the desk's table for the bank.

Everything is read at an as-of date D. The all-enterprise figures come from the set-based
evaluation (:func:`evaluate_all`, through the enterprise table); one enterprise's path names its
records (:func:`evaluate_enterprise`). No streamlit here: the page caches and draws.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import pandas as pd
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from sqlalchemy import select
from sqlmodel import Session, col

from dashboard.rules.loan_eligibility import LOAN_CODES, STATUSES, LoanRule
from dashboard.services.evaluation import (
    EvaluateAt,
    enterprise_history,
    evaluate_all,
    evaluate_enterprise,
    park_history,
)
from dashboard.services.rule_reports import shown_score
from dashboard.services.tabular import SheetRows, frame_csv, new_workbook, xlsx_value
from dashboard.settings import RuleSettings
from models import Enterprise
from models.loan import LoanOverride

RULE_SEPARATOR = ","
TEXT_SEPARATOR = " | "


# --- the all-enterprise view --------------------------------------------------------------------


def status_counts(table: pd.DataFrame, column: str = "effective_status") -> dict[str, int]:
    """How many enterprises of ``table`` have each loan status (every status, 0 where none has it)."""
    counted = table[column].value_counts() if len(table) else pd.Series(dtype="int64")
    return {status: int(counted.get(status, 0)) for status in STATUSES}


def rule_codes(value: object) -> list[str]:
    """``"L1,C2"`` → ``["L1", "C2"]``; empty or missing → ``[]``."""
    if not isinstance(value, str) or not value.strip():
        return []
    return [code.strip() for code in value.split(RULE_SEPARATOR) if code.strip()]


def codes_in(table: pd.DataFrame) -> list[str]:
    """The rule codes that hold for at least one enterprise of ``table``, in code order (L1…L9, C1…C4)."""
    found = {code for value in table.get("loan_rules", pd.Series(dtype=str)) for code in rule_codes(value)}
    return [code for code in LOAN_CODES if code in found]


def filter_desk(table: pd.DataFrame, statuses: Iterable[str] = (), codes: Iterable[str] = ()) -> pd.DataFrame:
    """The rows whose effective status is one of ``statuses`` and where one of ``codes`` holds.

    An empty choice does not filter.
    """
    chosen_statuses = set(statuses)
    chosen_codes = set(codes)
    keep = pd.Series(True, index=table.index)
    if chosen_statuses:
        keep &= table["effective_status"].isin(chosen_statuses)
    if chosen_codes:
        keep &= table["loan_rules"].map(lambda value: bool(chosen_codes & set(rule_codes(value))))
    return table[keep]


def loan_rules_at(session: Session, as_of: date, rules: RuleSettings) -> dict[int, tuple[LoanRule, ...]]:
    """Every enterprise's loan rules that hold at D (codes and figures, no records), by enterprise id."""
    return {result.enterprise_id: result.loan.rules for result in evaluate_all(session, as_of, rules)}


def rule_texts(
    held: Mapping[int, Sequence[LoanRule]], language: str
) -> pd.DataFrame:
    """One row per enterprise: ``reasons`` and ``remedies`` in ``language``, each ``CODE: sentence``
    joined with `` | `` (empty where no rule holds)."""
    rows = [
        {
            "enterprise_id": enterprise_id,
            "reasons": TEXT_SEPARATOR.join(f"{rule.code}: {rule.reason(language)}" for rule in found),
            "remedies": TEXT_SEPARATOR.join(f"{rule.code}: {rule.remedy(language)}" for rule in found),
        }
        for enterprise_id, found in held.items()
    ]
    return pd.DataFrame(rows, columns=["enterprise_id", "reasons", "remedies"])


# --- one enterprise -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PathStep:
    """One rule that holds: what it means and what would clear it."""

    code: str
    makes_ineligible: bool
    reason: str
    remedy: str


@dataclass(frozen=True)
class OverrideView:
    """An override as the desk shows it."""

    id: int
    decision: str
    reason: str
    decided_by: str
    decided_on: date
    expires_on: date


@dataclass(frozen=True)
class EnterpriseLoan:
    """One enterprise's loan position at D, in one language."""

    enterprise_id: int
    name: str
    status: str
    effective_status: str
    override: OverrideView | None
    path: tuple[PathStep, ...]


def enterprise_loan(
    session: Session, enterprise_id: int, as_of: date, rules: RuleSettings, language: str
) -> EnterpriseLoan:
    """One enterprise at D: computed and effective status, the override in force, and its path to
    eligibility (every rule that holds, L before C, with its reason and remedy naming the records)."""
    result = evaluate_enterprise(session, enterprise_id, as_of, rules)
    override = result.loan.override
    return EnterpriseLoan(
        enterprise_id=enterprise_id,
        name=result.facts.name,
        status=result.status,
        effective_status=result.effective_status,
        override=None if override is None else OverrideView(
            override.id, str(override.decision), override.reason, override.decided_by, override.decided_on,
            override.expires_on,
        ),
        path=tuple(
            PathStep(rule.code, rule.makes_ineligible, rule.reason(language), rule.remedy(language))
            for rule in result.loan.rules
        ),
    )


def status_history(session: Session, enterprise_id: int, as_of: date, rules: RuleSettings) -> pd.DataFrame:
    """One enterprise at each of the last 12 month-ends, oldest first: ``on``, ``status``,
    ``effective_status``, ``score``, ``grade``."""
    points = enterprise_history(session, enterprise_id, as_of, rules)
    return pd.DataFrame(
        [{"on": p.on, "status": p.status, "effective_status": p.effective_status, "score": shown_score(p.score),
          "grade": p.grade} for p in points],
        columns=["on", "status", "effective_status", "score", "grade"],
    )


def override_history(session: Session, enterprise_id: int) -> pd.DataFrame:
    """Every override recorded for an enterprise, latest decision first: ``id``, ``decision``,
    ``reason``, ``decided_by``, ``decided_on``, ``expires_on``."""
    columns = ["id", "decision", "reason", "decided_by", "decided_on", "expires_on"]
    o = LoanOverride
    rows = session.execute(
        select(col(o.id), col(o.decision), col(o.reason), col(o.decided_by), col(o.decided_on), col(o.expires_on))
        .where(col(o.enterprise_id) == enterprise_id)
        .order_by(col(o.decided_on).desc(), col(o.id).desc())
    ).all()
    frame = pd.DataFrame([tuple(row) for row in rows], columns=columns)
    frame["decision"] = frame["decision"].map(str)
    return frame


# --- the park over time -------------------------------------------------------------------------


@dataclass(frozen=True)
class ParkStatusHistory:
    """The park's effective loan statuses at the last month-ends, and who changed between the last two."""

    counts: pd.DataFrame  # on, status, enterprises (one row per month-end and status, oldest first)
    changes: pd.DataFrame  # enterprise_id, name, before, after (between the last two month-ends)
    before_on: date | None
    after_on: date | None


def park_status_history(
    session: Session, as_of: date, rules: RuleSettings, months: int = 12, evaluate_at: EvaluateAt | None = None
) -> ParkStatusHistory:
    """Effective status counts at each of the last ``months`` month-ends, and the enterprises whose
    effective status differs between the last two of them, worst new status first, then by name."""
    history = park_history(session, as_of, rules, months, evaluate_at)
    counts = pd.DataFrame(
        [{"on": month.on, "status": status, "enterprises": month.effective_statuses[status]}
         for month in history for status in STATUSES],
        columns=["on", "status", "enterprises"],
    )
    change_columns = ["enterprise_id", "name", "before", "after"]
    if len(history) < 2:
        return ParkStatusHistory(counts, pd.DataFrame(columns=change_columns), None, None)
    before, after = history[-2], history[-1]
    changed = {
        enterprise_id: (before.effective_status.get(enterprise_id), status)
        for enterprise_id, status in after.effective_status.items()
        if before.effective_status.get(enterprise_id) != status
    }
    names: dict[int, str] = {}
    if changed:
        names = {row.id: row.name for row in session.execute(
            select(col(Enterprise.id), col(Enterprise.name)).where(col(Enterprise.id).in_(list(changed)))
        )}
    rank = {status: index for index, status in enumerate(STATUSES)}
    changes = pd.DataFrame(
        [{"enterprise_id": enterprise_id, "name": names.get(enterprise_id, ""), "before": old, "after": new}
         for enterprise_id, (old, new) in changed.items()],
        columns=change_columns,
    )
    if len(changes):
        changes = changes.assign(_rank=changes["after"].map(rank)).sort_values(
            ["_rank", "name"], kind="stable").drop(columns="_rank").reset_index(drop=True)
    return ParkStatusHistory(counts, changes, before.on, after.on)


# --- exports ------------------------------------------------------------------------------------


def park_status_history_of(url: str, as_of: date, rules: RuleSettings, months: int = 12) -> ParkStatusHistory:
    """:func:`park_status_history` of the database at ``url``, on a connection of its own: for a worker
    process, which gets only picklable arguments."""
    from dashboard.db import get_engine

    with Session(get_engine(url)) as session:
        return park_status_history(session, as_of, rules, months)


def export_filename(as_of: date, extension: str, stem: str = "loan-desk") -> str:
    """``loan-desk-2026-05-31.xlsx``: the file names the as-of date."""
    return f"{stem}-{as_of.isoformat()}.{extension}"


def export_csv(frame: pd.DataFrame) -> bytes:
    """The frame as CSV in UTF-8 with a byte-order mark (so that Excel reads the Chinese), headers as given; a
    name or reason a spreadsheet would run as a formula is written as text (:func:`frame_csv`)."""
    return frame_csv(frame)


def export_xlsx(frame: pd.DataFrame, *, title: str, sheet_name: str) -> bytes:
    """The frame as one worksheet: a title row (naming the as-of date), a bold header row frozen
    beneath it, numbers stored as numbers, dates as dates, and column widths that fit the text."""
    book = new_workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = sheet_title(sheet_name)
    rows = SheetRows(sheet)
    rows.write([title])[0].font = Font(bold=True, size=13)
    headers = [str(column) for column in frame.columns]
    for cell in rows.write(headers):
        cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    for row in frame.itertuples(index=False, name=None):
        rows.write(row)
    sheet.freeze_panes = "A3"
    for index, header in enumerate(headers, start=1):
        values = [header, *(xlsx_value(value) for value in frame.iloc[:, index - 1])]
        width = max((text_width(value) for value in values), default=8)
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 8), 80)
        if width > 80:
            for (cell,) in sheet.iter_rows(min_row=3, min_col=index, max_col=index):
                cell.alignment = Alignment(vertical="top", wrap_text=True)
    if len(headers) > 0:
        sheet.auto_filter.ref = f"A2:{get_column_letter(len(headers))}{max(len(frame) + 2, 2)}"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def sheet_title(name: str) -> str:
    """Excel allows at most 31 characters and none of ``[]:*?/\\`` in a sheet's name."""
    cleaned = "".join("-" if ch in '[]:*?/\\' else ch for ch in name).strip() or "Sheet"
    return cleaned[:31]


def text_width(value: object) -> int:
    """Roughly how many character columns ``value`` takes: a Chinese character counts as two."""
    if value is None:
        return 0
    if isinstance(value, date):
        return 10
    text = str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)
