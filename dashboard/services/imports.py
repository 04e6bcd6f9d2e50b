"""Bulk import (DESIGN.md section 6): a CSV or XLSX file of one table, all or nothing.

The whole file is checked first — how it reads, its columns, then every row against the same
rules the services apply (the Create and Update models, the references, the park's boundary, the
closed loop) — reading the database only, so a preview takes no write lock however long the file.
If any row has a problem nothing is written, and every problem is reported as ``row N, column C:
message`` (N counts data rows from 1, C is the header as written). A valid file is written in one
transaction of a few many-row statements: each record audited as its service audits it (the
record after, and before for an update), plus one ``import`` audit row with the counts.
:func:`import_file` checks before it takes the write lock, so the lock is held only while writing
(about 3.5 s for 100,000 rows on a quiet 2-core machine, ``park-safety bench --import``). The preview is the
check alone, so it says exactly what the import will do.

Headers are the contract's column names or the Chinese field labels (models.messages). Child
rows name their enterprise by ``uscc``; enterprises are matched by USCC (a USCC already in the
database updates that enterprise). A child row with an ``id`` (as exports write) updates that
record. A row equal to what the database holds is left alone and counted as unchanged, so
importing an export changes nothing.
"""

from __future__ import annotations

import json
import re
import types
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from functools import lru_cache
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel
from sqlalchemy import Engine, bindparam, func, insert, select, text, update
from sqlalchemy import inspect as inspect_mapper
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, col

from dashboard import clock
from dashboard.db import writing
from dashboard.rules.accident_level import accident_level
from dashboard.services.audit import _plain, record_audit, snapshot
from dashboard.services.import_limits import read_checked
from dashboard.services.integrity import refused_by_database
from dashboard.services.park import park_bounds
from dashboard.services.permissions import Actor, Permission, require
from dashboard.services.record_tables import IMPORTABLE, RecordTable, record_table
from dashboard.services.revision import bump_revision, current_revision
from dashboard.services.rule_settings import effective_rules
from dashboard.services.sign_in import acting_user
from dashboard.services.tabular import Sheet
from models import Enterprise, EnterpriseCreate, EnterpriseUpdate, Inspection, Plot
from models.base import enum_kind
from models.enterprise import EnterpriseBase
from models.messages import FIELD_LABELS, IMPORT_PLACES
from models.user import AuditLog
from models.validation import FieldProblem, RecordInvalid, validate
from seed.bulk import _sqlite_timestamp, _sqlite_value_converters

PREVIEW_ROWS = 20


def table_spec(table: str) -> RecordTable:
    """The importable table ``table`` (dashboard.services.record_tables); another is refused, naming those allowed."""
    return record_table(table, among=IMPORTABLE)


# --- what the import reports ---------------------------------------------------------------------


@dataclass(frozen=True)
class ImportProblem:
    """A problem at a place of the file: a cell (row and column), a row, a column, or the file itself."""

    row: int | None
    column: str | None
    problem: FieldProblem

    def message(self, language: str = "en") -> str:
        return self.problem.text(language)

    def text(self, language: str = "en") -> str:
        places = IMPORT_PLACES.get(language, IMPORT_PLACES["en"])
        place = ("cell" if self.row is not None and self.column is not None else "row" if self.row is not None
                 else "column" if self.column is not None else "file")
        return places[place].format(row=self.row, column=self.column, message=self.message(language))


@dataclass(frozen=True)
class PlannedRow:
    """What the import does with one data row: create, update or leave unchanged; ``values`` as read."""

    row: int
    action: str
    values: Mapping[str, Any]


@dataclass
class ImportReport:
    table: str
    filename: str
    columns: list[str] = field(default_factory=list)
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[ImportProblem] = field(default_factory=list)
    preview: list[PlannedRow] = field(default_factory=list)
    written: bool = False
    encoding: str | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    def problem_lines(self, language: str = "en") -> list[str]:
        return [problem.text(language) for problem in self.problems]

    @property
    def rows_with_problems(self) -> int:
        return len({p.row for p in self.problems if p.row is not None})


# --- headers -------------------------------------------------------------------------------------


def _norm(text: str) -> str:
    text = text.replace("\ufeff", "").replace("(", "(").replace(")", ")").casefold()
    return re.sub(r"\s+", "", text)


def _aliases(spec: RecordTable) -> dict[str, tuple[str, str]]:
    """Header (normalised) → (column, language of the header), for this table's columns only."""
    aliases: dict[str, tuple[str, str]] = {}
    sources = [("en", {c: c for c in spec.columns}), ("zh", FIELD_LABELS["zh"]), ("en", FIELD_LABELS["en"])]
    for language, names in sources:
        for column in spec.columns:
            name = names.get(column)
            if name:
                aliases.setdefault(_norm(name), (column, language))
    return aliases


def column_header(column: str, language: str) -> str:
    """How a file names ``column``: the contract's name, or its Chinese label."""
    return FIELD_LABELS["zh"].get(column, column) if language == "zh" else column


def _map_headers(spec: RecordTable, sheet: Sheet) -> tuple[list[str | None], str, list[ImportProblem]]:
    aliases = _aliases(spec)
    mapping: list[str | None] = []
    seen: dict[str, str] = {}
    problems: list[ImportProblem] = []
    zh_headers = 0
    for position, header in enumerate(sheet.headers):
        if not header:
            mapping.append(None)
            if any(position < len(cells) and _present(cells[position]) for _, cells in sheet.rows):
                problems.append(ImportProblem(None, None, FieldProblem("__file__", "column_without_header",
                                                                       {"value": position + 1})))
            continue
        found = aliases.get(_norm(header))
        if found is None:
            mapping.append(None)
            problems.append(ImportProblem(None, header, FieldProblem("__file__", "unknown_column", {
                "value": header, "table": spec.name, "allowed": ", ".join(spec.columns)})))
            continue
        column, language = found
        zh_headers += language == "zh" and header != column
        if column in seen:
            problems.append(ImportProblem(None, header, FieldProblem(column, "duplicate_column", {
                "value": seen[column], "other_value": header})))
        seen[column] = header
        mapping.append(column)
    language = "zh" if zh_headers else "en"
    for column in spec.required:
        if column not in seen and not problems:
            problems.append(ImportProblem(None, None, FieldProblem(column, "missing_column", {
                "value": column_header(column, language), "table": spec.name})))
    return mapping, language, problems


def _present(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


# --- cell values ---------------------------------------------------------------------------------

_TRUE = {"是", "有", "√", "✓", "对"}
_FALSE = {"否", "无", "×", "✗", "不"}
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]00:00(?::00(?:\.0+)?)?)?$")
_GROUPED = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")


# What ledgers write for a value besides the dashboard's own name of it (the words people type, not a second set
# of names the dashboard shows): a hazard ledger's 待整改, 已整改 and 已销号, which earlier versions of the dashboard
# also wrote in their files.
LEDGER_WORDS: dict[str, dict[str, str]] = {
    "hazard_status": {"待整改": "open", "整改中": "rectifying", "已整改": "rectified", "已销号": "verified",
                      "已验收": "verified"},
}


@lru_cache(maxsize=32)
def _enum_names(enum: type[Enum]) -> dict[str, str]:
    """Every way a person may write a value of ``enum``: the value, its name in either language, or a ledger's
    word for it (``LEDGER_WORDS``)."""
    from dashboard.i18n import CATALOGS

    names: dict[str, str] = {}
    kind = enum_kind(enum)
    for member in enum:
        value = str(member.value)
        names[_norm(value)] = value
        for language in ("en", "zh"):
            text = CATALOGS[language].get(f"enum.{kind}.{value}")
            if text:
                names.setdefault(_norm(text), value)
    for word, value in LEDGER_WORDS.get(kind, {}).items():
        names.setdefault(_norm(word), value)
    return names


def _field_type(model: type[BaseModel], name: str) -> Any:
    annotation = model.model_fields[name].annotation
    if get_origin(annotation) in (Union, types.UnionType):
        annotation = next(arg for arg in get_args(annotation) if arg is not type(None))
    return annotation


def _cell(value: Any, kind: Any) -> Any:
    """A cell's value as the model reads it; what cannot be read is passed on as written, for the model to name."""
    if isinstance(value, str):
        value = value.strip()
        if not value:
            return None
    if value is None:
        return None
    if kind is date:
        if isinstance(value, datetime):
            return value.date() if value.time() == datetime.min.time() else value
        if isinstance(value, str):
            match = _DATE.match(value)
            if match:
                try:
                    return date(*(int(part) for part in match.groups()))
                except ValueError:
                    return value
        return value
    if kind is bool:
        if isinstance(value, str):
            if value in _TRUE:
                return True
            if value in _FALSE:
                return False
        return value
    if kind in (int, float):
        if isinstance(value, str) and _GROUPED.match(value):
            return value.replace(",", "")
        return value
    if isinstance(kind, type) and issubclass(kind, Enum):
        if isinstance(value, str):
            return _enum_names(kind).get(_norm(value), value)
        return value
    if kind is str:
        if isinstance(value, bool):
            return str(value).lower()
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        if isinstance(value, int | float):
            return str(value)
        if isinstance(value, datetime | date):
            return value.isoformat()
    return value


class _RowReader:
    """Reads the data rows of one file: each column's type and whether a blank cell means "the default",
    worked out once for the file rather than for every cell."""

    def __init__(self, spec: RecordTable, mapping: Sequence[str | None]):
        self.columns: list[tuple[int, str, Any, bool]] = []
        for position, column in enumerate(mapping):
            if column is None:
                continue
            if column == "id":
                kind: Any = int
            elif column == "uscc" and spec.child:
                kind = str
            else:
                kind = _field_type(spec.create, column)
            fields = spec.create.model_fields
            # a blank cell of a field with a default: the default for a new record, else unchanged
            blank_skips = column in fields and not _nullable(spec.create, column) and not fields[column].is_required()
            self.columns.append((position, column, kind, blank_skips))

    def read(self, cells: Sequence[Any]) -> dict[str, Any]:
        values: dict[str, Any] = {}
        width = len(cells)
        for position, column, kind, blank_skips in self.columns:
            value = _cell(cells[position] if position < width else None, kind)
            if value is None and blank_skips:
                continue
            values[column] = value
        return values


def _read_row(spec: RecordTable, mapping: Sequence[str | None], cells: Sequence[Any]) -> dict[str, Any]:
    return _RowReader(spec, mapping).read(cells)


def _nullable(model: type[BaseModel], name: str) -> bool:
    annotation = model.model_fields[name].annotation
    return get_origin(annotation) in (Union, types.UnionType) and type(None) in get_args(annotation)


# --- the import ----------------------------------------------------------------------------------


def _current(record: SQLModel, names: Sequence[str]) -> dict[str, Any]:
    return {name: getattr(record, name) for name in names}


def _same(valid: BaseModel, record: SQLModel) -> bool:
    return all(getattr(record, name) == value for name, value in valid.model_dump().items())


class _Row:
    """One data row on its way through the services."""

    def __init__(self, spec: RecordTable, number: int, values: dict[str, Any], headers: Mapping[str, str],
                 language: str, formulas: set[str]):
        self.spec = spec
        self.number = number
        self.values = values
        self.headers = headers
        self.language = language
        self.formulas = formulas
        self.problems: list[ImportProblem] = []
        self.action: str | None = None
        self.saved: dict[str, Any] = dict(values)

        self.valid: BaseModel | None = None
        self.existing: Any = None

    def plan(self, action: str, valid: BaseModel, existing: Any) -> None:
        """What the import does with the row, and the row as the database will hold it after (for the
        preview): values read and normalised."""
        self.action, self.valid, self.existing = action, valid, existing
        for name in self.values:
            if name not in ("uscc", "id") and hasattr(valid, name):
                self.saved[name] = getattr(valid, name)

    def column(self, field_name: str) -> str:
        if field_name == "enterprise_id" and self.spec.child:
            field_name = "uscc"
        return self.headers.get(field_name) or column_header(field_name, self.language)

    def refuse(self, problem: FieldProblem) -> None:
        if problem.field in self.formulas:
            return  # the cell held a formula: that problem is already reported
        whole_row = problem.field in ("__root__", "__record__") or (problem.field == "id" and "id" not in self.headers)
        column = None if whole_row else self.column(problem.field)
        self.problems.append(ImportProblem(self.number, column, problem))


def _enterprise_ids(session: Session, usccs: set[str]) -> dict[str, Enterprise]:
    found: dict[str, Enterprise] = {}
    codes = sorted(usccs)
    for start in range(0, len(codes), 500):
        chunk = codes[start:start + 500]
        for enterprise in session.execute(select(Enterprise).where(col(Enterprise.uscc).in_(chunk))).scalars():
            found[enterprise.uscc] = enterprise
    return found


def _by_id(session: Session, table: type[SQLModel], ids: set[int]) -> dict[int, Any]:
    """The rows of ``table`` with these ids, read 500 at a time."""
    found: dict[int, Any] = {}
    numbers = sorted(ids)
    id_column = table.__table__.c.id  # type: ignore[attr-defined]
    for start in range(0, len(numbers), 500):
        for record in session.execute(select(table).where(id_column.in_(numbers[start:start + 500]))).scalars():
            found[int(record.id)] = record
    return found


def _whole_number(value: Any) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    if isinstance(value, float) and not value.is_integer():
        return None
    return number


@dataclass
class _Lookups:
    """What the checks compare rows with, read from the database once for the whole file (no row is read
    twice, nothing is written): the enterprises named, the records whose ids the file gives, the plots and
    inspections referred to, the park's boundary."""

    enterprises: dict[str, Enterprise]
    enterprise_ids: set[int]
    records: dict[int, Any]
    inspections: dict[int, int]
    plots: set[int]
    bounds: Any
    usccs_taken: dict[str, int]
    owners: dict[int, str]


def _lookups(session: Session, spec: RecordTable, rows: Sequence[_Row]) -> _Lookups:
    usccs = {str(r.values["uscc"]) for r in rows if isinstance(r.values.get("uscc"), str)}
    enterprises = _enterprise_ids(session, usccs | {u.upper() for u in usccs})
    ids = {n for n in (_whole_number(r.values.get("id")) for r in rows) if n is not None}
    records = _by_id(session, spec.table, ids) if spec.child and ids else {}
    inspection_ids = {n for n in (_whole_number(r.values.get("inspection_id")) for r in rows) if n is not None}
    inspections = {number: record.enterprise_id for number, record in
                   _by_id(session, Inspection, inspection_ids).items()} if spec.name == "hazard" else {}
    plots: set[int] = set()
    bounds = None
    if not spec.child:
        plot_ids = {n for n in (_whole_number(r.values.get("plot_id")) for r in rows) if n is not None}
        plots = set(_by_id(session, Plot, plot_ids)) if plot_ids else set()
        bounds = park_bounds(session)
    owner_ids = {int(getattr(record, "enterprise_id", 0) or 0) for record in records.values()}
    owners = {number: str(e.uscc) for number, e in _by_id(session, Enterprise, owner_ids).items()} \
        if owner_ids else {}
    return _Lookups(enterprises=enterprises, enterprise_ids={e.id or 0 for e in enterprises.values()},
                    records=records, inspections=inspections, plots=plots, bounds=bounds,
                    usccs_taken={u: e.id or 0 for u, e in enterprises.items()}, owners=owners)


def _enterprise_problems(valid: EnterpriseBase, lookups: _Lookups, *, enterprise_id: int | None) -> list[FieldProblem]:
    """What create_enterprise and update_enterprise check against the database (services/enterprises.py)."""
    problems: list[FieldProblem] = []
    if lookups.bounds is not None:
        problems.extend(lookups.bounds.problems(valid.lat, valid.lon))
    uscc = valid.uscc
    holder = lookups.usccs_taken.get(uscc)
    if holder is not None and holder != enterprise_id:
        problems.append(FieldProblem("uscc", "duplicate", {"value": uscc}))
    plot_id = valid.plot_id
    if plot_id is not None and plot_id not in lookups.plots:
        problems.append(FieldProblem("plot_id", "unknown_reference", {"value": plot_id}))
    return problems


def _child_problems(spec: RecordTable, valid: Any, lookups: _Lookups) -> list[FieldProblem]:
    """What create_hazard / create_record and their updates check against the database."""
    problems: list[FieldProblem] = []
    enterprise_id = valid.enterprise_id
    if enterprise_id not in lookups.enterprise_ids:
        problems.append(FieldProblem("enterprise_id", "unknown_reference", {"value": enterprise_id}))
    inspection_id = getattr(valid, "inspection_id", None)
    if spec.name == "hazard" and inspection_id is not None \
            and lookups.inspections.get(inspection_id) != enterprise_id:
        problems.append(FieldProblem("inspection_id", "unknown_reference", {"value": inspection_id}))
    return problems


def _check_enterprise(row: _Row, lookups: _Lookups, seen: dict[Any, int]) -> None:
    spec = row.spec
    uscc = row.values.get("uscc")
    if isinstance(uscc, str) and uscc in seen:
        row.refuse(FieldProblem("uscc", "duplicate_in_file", {"value": uscc, "first": seen[uscc]}))
        return
    if isinstance(uscc, str):
        seen[uscc] = row.number
    existing = lookups.enterprises.get(uscc or "") if isinstance(uscc, str) else None
    try:
        if existing is None:
            valid = validate(EnterpriseCreate, row.values)
            problems = _enterprise_problems(valid, lookups, enterprise_id=None)
            if problems:
                raise RecordInvalid(problems)
            row.plan("create", valid, None)
            lookups.usccs_taken[valid.uscc] = -row.number  # a later row may not take it again
            return
        valid = validate(EnterpriseCreate, {**_current(existing, list(spec.create.model_fields)), **row.values})
        if _same(valid, existing):
            row.plan("unchanged", valid, existing)
            return
        edited = validate(EnterpriseUpdate, {**valid.model_dump(), "version": existing.version})
        problems = _enterprise_problems(edited, lookups, enterprise_id=existing.id)
        if problems:
            raise RecordInvalid(problems)
        lookups.usccs_taken[edited.uscc] = existing.id or 0
        row.plan("update", valid, existing)
    except RecordInvalid as invalid:
        for problem in invalid.problems:
            row.refuse(problem)


def _check_child(row: _Row, lookups: _Lookups, seen: dict[Any, int]) -> None:
    spec = row.spec
    uscc = row.values.get("uscc")
    enterprise_id = 0
    if uscc is None:
        row.refuse(FieldProblem("uscc", "required", {}))
    elif not isinstance(uscc, str) or uscc not in lookups.enterprises:
        row.refuse(FieldProblem("uscc", "unknown_uscc", {"value": uscc}))
    else:
        enterprise_id = lookups.enterprises[uscc].id or 0
    usable, existing = _existing_child(row, lookups, seen)
    if not usable:
        return
    valid: Any
    owner = getattr(existing, "enterprise_id", None)
    if existing is not None and enterprise_id and owner != enterprise_id:
        row.refuse(FieldProblem("id", "id_of_another_enterprise", {
            "value": row.values["id"], "other_value": lookups.owners.get(owner or 0, owner)}))
        return
    values = {k: v for k, v in row.values.items() if k not in ("id", "uscc")}
    values["enterprise_id"] = enterprise_id
    try:
        if existing is None:
            valid = validate(spec.create, values)
            action = "create"
        else:
            valid = validate(spec.create, {**_current(existing, list(spec.create.model_fields)), **values})
            if _same(valid, existing):
                action = "unchanged"
            else:
                action = "update"
                if spec.update is not None:  # a versioned record (a hazard): the version it is edited at
                    valid = validate(spec.update, {**valid.model_dump(), "version": getattr(existing, "version", 1)})
        problems = _child_problems(spec, valid, lookups) if action != "unchanged" else []
        if action == "update" and spec.name == "hazard":
            # moving a hazard along the closed loop is the workflow's job (services/hazards.update_hazard)
            problems.extend(FieldProblem(name, "use_workflow", {}) for name in _LOOP
                            if getattr(valid, name) != getattr(existing, name))
        if problems:
            raise RecordInvalid(problems)
        if row.problems:
            raise RecordInvalid([])  # an unknown enterprise: keep this row's other problems
        row.plan(action, valid, existing)
    except RecordInvalid as invalid:
        reported = {p.problem.field for p in row.problems}
        for problem in invalid.problems:
            if problem.field == "enterprise_id" and "uscc" in reported:
                continue
            row.refuse(problem)


_LOOP = ("status", "rectified_on", "verified_on", "verified_by")


def _existing_child(row: _Row, lookups: _Lookups, seen: dict[Any, int]) -> tuple[bool, SQLModel | None]:
    """Whether the row's ``id`` is usable, and the record it names (None for a new record)."""
    record_id = row.values.get("id")
    if record_id is None:
        return True, None
    number = _whole_number(record_id)
    if number is None:
        row.refuse(FieldProblem("id", "not_a_whole_number", {"value": record_id}))
        return False, None
    if number in seen:
        row.refuse(FieldProblem("id", "duplicate_in_file", {"value": number, "first": seen[number]}))
        return False, None
    seen[number] = row.number
    record = lookups.records.get(number)
    if record is None:
        row.refuse(FieldProblem("id", "unknown_reference", {"value": number}))
        return False, None
    return True, record


def _checked(session: Session, spec: RecordTable, sheet: Sheet, report: ImportReport) -> list[_Row] | None:
    """Every row of the file checked as the services would check it, reading the database only: the rows
    with what each will do, or None when the file or its header is refused (``report`` says why)."""
    report.encoding = sheet.encoding
    file_problems = [p for p in sheet.problems if p.row is None]
    if file_problems:
        report.problems = [ImportProblem(p.row, p.column, p.problem) for p in file_problems]
        return None
    mapping, language, header_problems = _map_headers(spec, sheet)
    if header_problems:
        report.problems = header_problems
        return None
    report.columns = [c for c in mapping if c is not None]
    headers = {column: sheet.headers[position] for position, column in enumerate(mapping) if column is not None}
    positions = {column: position for position, column in enumerate(mapping) if column is not None}
    report.rows = len(sheet.rows)
    formulas_by_row: dict[int, set[str]] = {}
    for at, position in sheet.formulas:
        if position < len(mapping):
            formulas_by_row.setdefault(at, set()).add(mapping[position] or "")
    reader = _RowReader(spec, mapping)
    rows = [_Row(spec, number, reader.read(cells), headers, language, formulas_by_row.get(number, set()))
            for number, cells in sheet.rows]
    lookups = _lookups(session, spec, rows)
    seen: dict[Any, int] = {}
    for row in rows:
        if spec.child:
            _check_child(row, lookups, seen)
        else:
            _check_enterprise(row, lookups, seen)
        report.problems.extend(row.problems)
    by_header = {header: positions[column] for column, header in headers.items()}
    report.problems.extend(ImportProblem(p.row, p.column, p.problem) for p in sheet.problems if p.row is not None)
    report.problems.sort(key=lambda p: (p.row or 0, by_header.get(p.column or "", -1)))
    for row in rows:
        if row.action == "create":
            report.created += 1
        elif row.action == "update":
            report.updated += 1
        elif row.action == "unchanged":
            report.unchanged += 1
        if row.action and len(report.preview) < PREVIEW_ROWS:
            report.preview.append(PlannedRow(row.number, row.action, row.saved))
    return rows


# --- writing a checked file ----------------------------------------------------------------------


def _columns_of(table: type[SQLModel]) -> Any:
    return table.__table__.c  # type: ignore[attr-defined]


def _after(table: type[SQLModel], values: Mapping[str, Any]) -> str:
    """The audit row's record after the write, as services/audit.snapshot writes it."""
    return json.dumps({name: _plain(values.get(name)) for name in table.model_fields}, ensure_ascii=False,
                      sort_keys=True)


_ID_MARK = "\u0000id\u0000"


@dataclass
class _Prepared:
    """The checked rows made ready to write before the write lock is taken: the new records' values in the
    order of ``columns`` (as the driver stores them on SQLite) and their audit rows' JSON, all but the id
    (``after_json`` is ``head`` + id + ``tail``)."""

    columns: list[str]
    creates: list[tuple[Any, ...]]
    after_json: list[tuple[str, str]]
    sqlite: bool


def _prepare(session: Session, spec: RecordTable, rows: Sequence[_Row]) -> _Prepared:
    table = spec.table
    table_columns = _columns_of(table)
    fields = list(spec.create.model_fields)
    derive = _deriver(session) if spec.name == "accident" else None
    sqlite = session.get_bind().dialect.name == "sqlite"
    now = clock.now().replace(microsecond=0)
    if sqlite:
        now = now.replace(tzinfo=None)  # as SQLite's CURRENT_TIMESTAMP: UTC without a zone
    stamps: dict[str, Any] = {name: now for name in ("created_at", "updated_at") if name in table_columns}
    if "version" in table_columns:
        stamps["version"] = 1
    columns = [*fields, *(["level"] if derive is not None else []), *stamps]
    converters = _sqlite_value_converters(str(table.__tablename__), columns) if sqlite else []
    creates: list[tuple[Any, ...]] = []
    after_json: list[tuple[str, str]] = []
    for row in rows:
        if row.action != "create" or row.valid is None:
            continue
        values = {name: getattr(row.valid, name) for name in fields}
        if derive is not None:
            values["level"] = derive(values)
        values.update(stamps)
        head, tail = _after(table, {**values, "id": _ID_MARK}).split(json.dumps(_ID_MARK))
        after_json.append((head, tail))
        stored = [values[name] for name in columns]
        for position, convert in converters:
            if stored[position] is not None:
                stored[position] = convert(stored[position])
        creates.append(tuple(stored))
    return _Prepared(columns=columns, creates=creates, after_json=after_json, sqlite=sqlite)


def _new_ids(session: Session, table: type[SQLModel], count: int) -> list[int]:
    """Ids for ``count`` new rows of ``table``: from its sequence on PostgreSQL; on SQLite, after the largest
    (the write transaction holds the database's write lock, so no one else takes them)."""
    name = str(table.__tablename__)
    if session.get_bind().dialect.name == "postgresql":
        return [int(number) for number in session.execute(text(
            "SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :count)"),
            {"table": name, "count": count}).scalars()]
    largest = session.execute(select(func.max(_columns_of(table).id))).scalar()
    first = int(largest or 0) + 1
    return list(range(first, first + count))


_AUDIT_COLUMNS = ("username", "action", "entity", "entity_id", "before_json", "after_json")


def _insert_many(session: Session, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]],
                 sqlite: bool) -> None:
    """Insert ``rows`` (values in the order of ``columns``): on SQLite straight to the driver, with a page
    cache that holds the indexes being written (the values are as SQLite stores them); elsewhere through
    SQLAlchemy, many rows a statement."""
    if not rows:
        return
    if sqlite:
        # the driver's executemany, through SQLAlchemy so that a failure (a full disk) is the DBAPIError every
        # caller already turns into "cannot use the database"
        connection = session.connection()
        usual = connection.exec_driver_sql("PRAGMA cache_size").scalar_one()
        connection.exec_driver_sql("PRAGMA cache_size=-262144")
        try:
            marks = ", ".join("?" for _ in columns)
            connection.exec_driver_sql(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)
        finally:
            connection.exec_driver_sql(f"PRAGMA cache_size={int(usual)}")
        return
    target = SQLModel.metadata.tables[table]
    for start in range(0, len(rows), _BATCH):
        session.execute(insert(target), [dict(zip(columns, row, strict=True)) for row in rows[start:start + _BATCH]])


def _write(session: Session, actor: Actor, spec: RecordTable, rows: Sequence[_Row], report: ImportReport,
           prepared: _Prepared | None = None) -> None:
    """Write the checked rows in the caller's transaction with a few statements of many rows each: the new
    records, the updated ones, an audit row for each as the services write them (the record after, and
    before for an update), one bump of the data revision, and the import's own audit row."""
    table = spec.table
    columns = _columns_of(table)
    fields = list(spec.create.model_fields)
    if prepared is None:
        prepared = _prepare(session, spec, rows)
    derive = _deriver(session) if spec.name == "accident" else None
    audits: list[tuple[int, tuple[Any, ...]]] = []
    creates = [row for row in rows if row.action == "create"]
    updates = [row for row in rows if row.action == "update"]
    if creates:
        ids = _new_ids(session, table, len(creates))
        _insert_many(session, str(table.__tablename__), ["id", *prepared.columns],
                     [(number, *values) for number, values in zip(ids, prepared.creates, strict=True)],
                     prepared.sqlite)
        for row, number, (head, tail) in zip(creates, ids, prepared.after_json, strict=True):
            audits.append((row.number, (actor.username, "create", spec.name, number, None, f"{head}{number}{tail}")))
    if updates:
        versioned = "version" in columns and getattr(inspect_mapper(table), "version_id_col", None) is not None
        assignments: dict[str, Any] = {name: bindparam(f"v_{name}") for name in fields}
        if derive is not None:
            assignments["level"] = bindparam("v_level")
        if versioned:
            assignments["version"] = columns.version + 1
        statement = update(table.__table__).where(columns.id == bindparam("v_id")).values(  # type: ignore[attr-defined]
            assignments)
        params = []
        for row in updates:
            assert row.valid is not None
            values = {f"v_{name}": getattr(row.valid, name) for name in fields}
            if derive is not None:
                values["v_level"] = derive({name: getattr(row.valid, name) for name in fields})
            values["v_id"] = int(row.existing.id)
            params.append(values)
        before = {int(row.existing.id): json.dumps(snapshot(row.existing), ensure_ascii=False,
                                                   sort_keys=True) for row in updates}
        for start in range(0, len(params), _BATCH):
            session.execute(statement, params[start:start + _BATCH])
        numbers = {int(row.existing.id): row.number for row in updates}
        updated_ids = sorted(before)
        for start in range(0, len(updated_ids), 500):
            for updated in session.execute(select(table.__table__).where(  # type: ignore[attr-defined]
                    columns.id.in_(updated_ids[start:start + 500]))).mappings().all():
                audits.append((numbers[updated["id"]], (
                    actor.username, "update", spec.name, updated["id"], before[updated["id"]],
                    _after(table, dict(updated)))))
    audits.sort(key=lambda numbered: numbered[0])  # in the file's order, as the rows were
    at = clock.now()  # stamped here: the database's own now() would not follow the app's clock
    stamp = _sqlite_timestamp(at) if prepared.sqlite else at
    _insert_many(session, str(AuditLog.__tablename__), (*_AUDIT_COLUMNS, "at"),
                 [(*audit, stamp) for _, audit in audits], prepared.sqlite)
    if creates or updates:
        bump_revision(session)
    record_audit(session, actor=actor, action="import", entity=spec.name, entity_id=None, after={
        "file": report.filename, "rows": report.rows, "created": report.created, "updated": report.updated,
        "unchanged": report.unchanged})
    session.flush()
    session.expire_all()  # the records read by the checks are as they were before the write
    report.written = True


_BATCH = 5_000


def _deriver(session: Session) -> Any:
    """An accident's stored level from its numbers, with the thresholds in force (services/records.py)."""
    rules = effective_rules(session)

    def derive(values: Mapping[str, Any]) -> Any:
        return accident_level(values["deaths"], values["serious_injuries"], values["direct_loss_yuan"], rules)
    return derive


def import_table(
    *, session: Session, actor: Actor, table: str, filename: str, data: bytes, dry_run: bool = False
) -> ImportReport:
    """Import a CSV or XLSX file of ``table`` (one of ``record_tables.IMPORTABLE``); all rows or none.

    Every row is checked first, reading the database only. With ``dry_run`` that is all: the report is the
    preview, and nothing has been written — on SQLite no write lock is taken. Otherwise a valid file's
    records are written in the caller's transaction (the caller commits) in a few statements of many rows
    each, and a file with any problem writes nothing. A save another user commits during the check is never
    written over: on PostgreSQL the data revision's row is locked and, if it moved, the file is checked again;
    on SQLite the transaction's snapshot makes the write fail ("database is locked"). To keep the write lock
    as short as the writing itself, use :func:`import_file`, which checks before taking it. Raises
    ``PermissionDenied`` for a role that may not edit records."""
    require(actor, Permission.edit_records)
    spec = table_spec(table)
    report = ImportReport(table=table, filename=filename)
    sheet = read_checked(filename, data)
    revision = None if dry_run else current_revision(session)
    rows = _checked(session, spec, sheet, report)
    if rows is None or report.problems or dry_run:
        return report
    if _locked_revision(session) != revision:  # someone saved during the check (PostgreSQL): check again
        session.expire_all()  # the records as they are now, not as the first check read them
        report = ImportReport(table=table, filename=filename)
        rows = _checked(session, spec, sheet, report)
        if rows is None or report.problems:
            return report
    _write(session, actor, spec, rows, report)
    return report


def import_file(*, engine: Engine, actor: Actor, table: str, filename: str, data: bytes,
                token: str | None = None) -> ImportReport:
    """Import a file and commit, holding the write lock only while writing.

    ``token`` is the session of the browser tab the import was confirmed in: the rows are then written for
    the user that session belongs to when the write transaction begins, read inside it
    (:func:`dashboard.services.sign_in.acting_user`; ``SessionEnded`` when it is no longer live), and only if
    their role may still edit records; ``actor`` is who asked for the check. The command line gives none.

    The file is read and checked in a read-only transaction; then a write transaction (BEGIN IMMEDIATE on
    SQLite; on PostgreSQL the data revision's row locked) makes sure no write came between — every write
    bumps the data revision — and writes the checked rows. If the records did change meanwhile, the file
    is checked again inside the write transaction, so nothing is written that the records no longer allow.
    """
    require(actor, Permission.edit_records)
    spec = table_spec(table)
    sheet = read_checked(filename, data)
    report = ImportReport(table=table, filename=filename)
    with Session(engine) as session:
        revision = current_revision(session)
        rows = _checked(session, spec, sheet, report)
        if rows is None or report.problems:
            return report
        prepared: _Prepared | None = _prepare(session, spec, rows)
        # closed, not rolled back: the records read keep their values (a rollback would expire them)
    with Session(writing(engine)) as session:
        if token is not None:
            actor = acting_user(session=session, token=token).actor
            require(actor, Permission.edit_records)
        if _locked_revision(session) != revision:
            report = ImportReport(table=table, filename=filename)
            rows = _checked(session, spec, sheet, report)
            if rows is None or report.problems:
                session.rollback()
                return report
            prepared = None
        try:
            _write(session, actor, spec, rows, report, prepared)
            session.commit()
        except IntegrityError as error:  # a check the services' models do not make, refused by the database
            session.rollback()
            report.written = False
            report.problems = [ImportProblem(None, None, problem)
                               for problem in refused_by_database(error, {}).problems]
    return report


def _locked_revision(session: Session) -> int:
    """The data revision, read at the start of a write transaction; on PostgreSQL its row stays locked
    until the transaction ends, so no other write (each bumps it) commits meanwhile."""
    if session.get_bind().dialect.name == "postgresql":
        value = session.execute(text("SELECT revision FROM data_revision WHERE id = 1 FOR UPDATE")).scalar()
        return int(value or 0)
    return current_revision(session)
