"""Bulk import (DESIGN.md section 6): a CSV or XLSX file of one table, all or nothing.

The whole file is checked first — how it reads, its columns, then every row through the same
services the forms use (the Create models and the reference checks) — inside a savepoint. If
any row has a problem, the savepoint is rolled back: nothing is written, and every problem is
reported as ``row N, column C: message`` (N counts data rows from 1, C is the header as written).
A valid file stays written in the caller's transaction (the caller commits), each record
audited by its service, plus one ``import`` audit row with the counts. A preview is the same run,
always rolled back, so it says exactly what the import will do.

Headers are the contract's column names or the Chinese field labels (models.messages). Child
rows name their enterprise by ``uscc``; enterprises are matched by USCC (a USCC already in the
database updates that enterprise). A child row with an ``id`` (as exports write) updates that
record. A row equal to what the database holds is left alone and counted as unchanged, so
importing an export changes nothing.
"""

from __future__ import annotations

import re
import types
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel
from sqlalchemy import select
from sqlmodel import Session, SQLModel, col

from dashboard.services.audit import record_audit
from dashboard.services.enterprises import create_enterprise, update_enterprise
from dashboard.services.hazards import create_hazard, update_hazard
from dashboard.services.permissions import Actor, Permission, require
from dashboard.services.records import create_record, update_record
from dashboard.services.tabular import Sheet, read_table
from models import (
    Accident,
    AccidentCreate,
    Enforcement,
    EnforcementCreate,
    Enterprise,
    EnterpriseCreate,
    Hazard,
    HazardCreate,
    Inspection,
    InspectionCreate,
    SafetySign,
    SafetySignCreate,
    Training,
    TrainingCreate,
)
from models.enums import (
    EnforcementAction,
    EnterpriseStatus,
    HazardCategory,
    HazardSeverity,
    HazardStatus,
    Industry,
    InspectionTier,
    MajorHazardSource,
    SignCondition,
    SignKind,
    StandardizationGrade,
    TrainingAudience,
)
from models.messages import FIELD_LABELS, IMPORT_PLACES, STATUS_NAMES
from models.validation import FieldProblem, RecordInvalid, validate

TABLES = ("enterprise", "safety_sign", "inspection", "hazard", "accident", "training", "enforcement")
PREVIEW_ROWS = 20


@dataclass(frozen=True)
class TableSpec:
    """One importable table: its rows, the model that validates them, and its file's columns in order."""

    name: str
    table: type[SQLModel]
    create: type[BaseModel]
    columns: tuple[str, ...]
    required: tuple[str, ...]

    @property
    def child(self) -> bool:
        return self.name != "enterprise"


def _spec(name: str, table: type[SQLModel], create: type[BaseModel]) -> TableSpec:
    fields = create.model_fields
    required = tuple(n for n, f in fields.items() if f.is_required() and n != "enterprise_id")
    if name == "enterprise":
        return TableSpec(name, table, create, tuple(fields), required)
    rest = tuple(n for n in fields if n != "enterprise_id")
    return TableSpec(name, table, create, ("id", "uscc", *rest), ("uscc", *required))


SPECS: dict[str, TableSpec] = {
    "enterprise": _spec("enterprise", Enterprise, EnterpriseCreate),
    "safety_sign": _spec("safety_sign", SafetySign, SafetySignCreate),
    "inspection": _spec("inspection", Inspection, InspectionCreate),
    "hazard": _spec("hazard", Hazard, HazardCreate),
    "accident": _spec("accident", Accident, AccidentCreate),
    "training": _spec("training", Training, TrainingCreate),
    "enforcement": _spec("enforcement", Enforcement, EnforcementCreate),
}


def table_spec(table: str) -> TableSpec:
    if table not in SPECS:
        raise RecordInvalid([FieldProblem("__record__", "not_one_of", {"value": table, "allowed": ", ".join(TABLES)})])
    return SPECS[table]


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


def _aliases(spec: TableSpec) -> dict[str, tuple[str, str]]:
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


def _map_headers(spec: TableSpec, sheet: Sheet) -> tuple[list[str | None], str, list[ImportProblem]]:
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

_ENUM_KINDS: dict[type[Enum], str] = {
    Industry: "industry", StandardizationGrade: "standardization_grade", MajorHazardSource: "major_hazard_source",
    EnterpriseStatus: "enterprise_status", SignKind: "sign_kind", SignCondition: "sign_condition",
    InspectionTier: "inspection_tier", HazardCategory: "hazard_category", HazardSeverity: "hazard_severity",
    TrainingAudience: "training_audience", EnforcementAction: "enforcement_action",
}
_TRUE = {"是", "有", "√", "✓", "对"}
_FALSE = {"否", "无", "×", "✗", "不"}
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]00:00(?::00(?:\.0+)?)?)?$")
_GROUPED = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")


def _enum_names(enum: type[Enum]) -> dict[str, str]:
    """Every way a person may write a value of ``enum``: the value, or its name in either language."""
    from dashboard.i18n import CATALOGS

    names: dict[str, str] = {}
    for member in enum:
        value = str(member.value)
        names[_norm(value)] = value
        if enum is HazardStatus:
            for language in ("en", "zh"):
                names.setdefault(_norm(STATUS_NAMES[language][value]), value)
            continue
        kind = _ENUM_KINDS.get(enum)
        for language in ("en", "zh"):
            text = CATALOGS[language].get(f"enum.{kind}.{value}") if kind else None
            if text:
                names.setdefault(_norm(text), value)
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


def _read_row(spec: TableSpec, mapping: Sequence[str | None], cells: Sequence[Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for position, column in enumerate(mapping):
        if column is None:
            continue
        raw = cells[position] if position < len(cells) else None
        if column == "id":
            kind: Any = int
        elif column == "uscc" and spec.child:
            kind = str
        else:
            kind = _field_type(spec.create, column)
        value = _cell(raw, kind)
        if value is None and column in spec.create.model_fields and not _nullable(spec.create, column) \
                and not spec.create.model_fields[column].is_required():
            continue  # a blank cell of a field with a default: the default for a new record, else unchanged
        values[column] = value
    return values


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

    def __init__(self, spec: TableSpec, number: int, values: dict[str, Any], headers: Mapping[str, str],
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

    def keep(self, record: SQLModel) -> None:
        """The row as the database holds it after the import (for the preview): values read and normalised."""
        for name in self.values:
            if name not in ("uscc", "id") and hasattr(record, name):
                self.saved[name] = getattr(record, name)

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


def _import_enterprise(session: Session, actor: Actor, row: _Row, existing: Enterprise | None) -> tuple[str, SQLModel]:
    spec = row.spec
    if existing is None:
        return "create", create_enterprise(session=session, actor=actor, data=row.values)
    valid = validate(EnterpriseCreate, {**_current(existing, list(spec.create.model_fields)), **row.values})
    if _same(valid, existing):
        return "unchanged", existing
    return "update", update_enterprise(session=session, actor=actor, enterprise_id=existing.id or 0,
                                       data={**valid.model_dump(), "version": existing.version})


def _import_child(
    session: Session, actor: Actor, row: _Row, enterprise_id: int, existing: SQLModel | None
) -> tuple[str, SQLModel]:
    spec = row.spec
    values = {k: v for k, v in row.values.items() if k not in ("id", "uscc")}
    values["enterprise_id"] = enterprise_id
    if existing is None:
        if spec.name == "hazard":
            return "create", create_hazard(session=session, actor=actor, data=values)
        return "create", create_record(session=session, actor=actor, table=spec.name, data=values)
    valid = validate(spec.create, {**_current(existing, list(spec.create.model_fields)), **values})
    if _same(valid, existing):
        return "unchanged", existing
    record_id = int(getattr(existing, "id", 0) or 0)
    if spec.name == "hazard":
        return "update", update_hazard(session=session, actor=actor, hazard_id=record_id,
                                       data={**valid.model_dump(), "version": getattr(existing, "version", 1)})
    return "update", update_record(session=session, actor=actor, table=spec.name, record_id=record_id, data=valid)


def import_table(
    *, session: Session, actor: Actor, table: str, filename: str, data: bytes, dry_run: bool = False
) -> ImportReport:
    """Import a CSV or XLSX file of ``table`` (one of :data:`TABLES`); all rows or none.

    With ``dry_run`` nothing stays written whatever the file holds: the report is the preview.
    Otherwise a valid file's records stay in the caller's transaction (the caller commits), and a
    file with any problem leaves nothing behind. Raises ``PermissionDenied`` for a role that may
    not edit records."""
    require(actor, Permission.edit_records)
    spec = table_spec(table)
    report = ImportReport(table=table, filename=filename)
    sheet = read_table(filename, data)
    report.encoding = sheet.encoding
    file_problems = [p for p in sheet.problems if p.row is None]
    if file_problems:
        report.problems = [ImportProblem(p.row, p.column, p.problem) for p in file_problems]
        return report
    mapping, language, header_problems = _map_headers(spec, sheet)
    if header_problems:
        report.problems = header_problems
        return report
    report.columns = [c for c in mapping if c is not None]
    headers = {column: sheet.headers[position] for position, column in enumerate(mapping) if column is not None}
    positions = {column: position for position, column in enumerate(mapping) if column is not None}
    report.rows = len(sheet.rows)

    rows: list[_Row] = []
    for number, cells in sheet.rows:
        formulas = {mapping[position] or "" for (at, position) in sheet.formulas if at == number
                    and position < len(mapping)}
        rows.append(_Row(spec, number, _read_row(spec, mapping, cells), headers, language, formulas))
    cell_problems = [ImportProblem(p.row, p.column, p.problem) for p in sheet.problems if p.row is not None]

    usccs = {str(r.values["uscc"]) for r in rows if isinstance(r.values.get("uscc"), str)}
    enterprises = _enterprise_ids(session, usccs)
    seen: dict[Any, int] = {}
    outer = session.begin_nested()
    try:
        for row in rows:
            _import_one(session, actor, row, enterprises, seen)
            report.problems.extend(row.problems)
        by_header = {header: positions[column] for column, header in headers.items()}
        report.problems.extend(cell_problems)
        report.problems.sort(key=lambda p: (p.row or 0, by_header.get(p.column or "", -1)))
        for row in rows:
            action = row.action
            if action == "create":
                report.created += 1
            elif action == "update":
                report.updated += 1
            elif action == "unchanged":
                report.unchanged += 1
            if action and len(report.preview) < PREVIEW_ROWS:
                report.preview.append(PlannedRow(row.number, action, row.saved))
        if report.problems or dry_run:
            outer.rollback()
            return report
        record_audit(session, actor=actor, action="import", entity=table, entity_id=None, after={
            "file": filename, "rows": report.rows, "created": report.created, "updated": report.updated,
            "unchanged": report.unchanged})
        outer.commit()
        report.written = True
        return report
    except BaseException:
        if outer.is_active:
            outer.rollback()
        raise


def _import_one(session: Session, actor: Actor, row: _Row, enterprises: dict[str, Enterprise],
                seen: dict[Any, int]) -> None:
    spec = row.spec
    uscc = row.values.get("uscc")
    try:
        if not spec.child:
            if isinstance(uscc, str) and uscc in seen:
                row.refuse(FieldProblem("uscc", "duplicate_in_file", {"value": uscc, "first": seen[uscc]}))
                return
            if isinstance(uscc, str):
                seen[uscc] = row.number
            with session.begin_nested():
                row.action, record = _import_enterprise(session, actor, row, enterprises.get(uscc or ""))
                row.keep(record)
            return
        enterprise_id = 0
        if uscc is None:
            row.refuse(FieldProblem("uscc", "required", {}))
        elif not isinstance(uscc, str) or uscc not in enterprises:
            row.refuse(FieldProblem("uscc", "unknown_uscc", {"value": uscc}))
        else:
            enterprise_id = enterprises[uscc].id or 0
        usable, existing = _existing_child(session, row, seen)
        if not usable:
            return
        owner = getattr(existing, "enterprise_id", None)
        if existing is not None and enterprise_id and owner != enterprise_id:
            other = session.get(Enterprise, owner)
            row.refuse(FieldProblem("id", "id_of_another_enterprise", {
                "value": row.values["id"], "other_value": other.uscc if other else owner}))
            return
        with session.begin_nested():
            action, record = _import_child(session, actor, row, enterprise_id, existing)
            if row.problems:
                raise RecordInvalid([])  # an unknown enterprise: keep this row's other problems, write nothing
            row.action = action
            row.keep(record)
    except RecordInvalid as invalid:
        reported = {p.problem.field for p in row.problems}
        for problem in invalid.problems:
            if problem.field == "enterprise_id" and "uscc" in reported:
                continue
            row.refuse(problem)


def _existing_child(session: Session, row: _Row, seen: dict[Any, int]) -> tuple[bool, SQLModel | None]:
    """Whether the row's ``id`` is usable, and the record it names (None for a new record)."""
    record_id = row.values.get("id")
    if record_id is None:
        return True, None
    try:
        number = int(record_id)
        if isinstance(record_id, float) and not record_id.is_integer():
            raise ValueError
    except (TypeError, ValueError):
        row.refuse(FieldProblem("id", "not_a_whole_number", {"value": record_id}))
        return False, None
    if number in seen:
        row.refuse(FieldProblem("id", "duplicate_in_file", {"value": number, "first": seen[number]}))
        return False, None
    seen[number] = row.number
    record = session.get(row.spec.table, number)
    if record is None:
        row.refuse(FieldProblem("id", "unknown_reference", {"value": number}))
        return False, None
    return True, record
