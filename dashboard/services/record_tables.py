"""The record tables of the data contract (DESIGN.md section 3), listed once.

For each table: its row model, the models that validate what a person enters (Create, and Update with
the version an editor started from), the columns of its import and export files, the records it refers
to and those that refer to it, the date its records are listed by, and which enterprise a row belongs
to. The importer and the exporter (``services/imports.py``, ``services/exports.py``), the record services
(``services/records.py``), the Records page's reads (``services/record_lookup.py``) and the command line
read it; an account of one enterprise sees and writes only the rows :meth:`RecordTable.of_enterprise`
selects.

The names of the importable tables come first, as plain strings: the command line offers them without
loading the models (:func:`record_tables` imports them on first use).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from functools import cache, cached_property
from typing import TYPE_CHECKING, Any, get_args

if TYPE_CHECKING:
    from pydantic import BaseModel
    from sqlmodel import SQLModel

IMPORTABLE: tuple[str, ...] = (
    "enterprise", "safety_sign", "inspection", "hazard", "accident", "training", "enforcement",
)
"""The tables a file is imported into and exported from (DESIGN.md section 6), in the order they are offered."""


@dataclass(frozen=True)
class Owner:
    """Which enterprise a row belongs to: the one whose id is in ``column``; for a row that belongs to it
    through a parent row (a sign check through its sign), ``column`` names the parent row in ``parent``,
    whose ``enterprise_id`` says."""

    column: str
    parent: type[SQLModel] | None = None


@dataclass(frozen=True)
class RecordTable:
    """One record table: what it holds, what validates it, what it refers to and what refers to it."""

    name: str
    table: type[SQLModel]
    create: type[BaseModel]
    update: type[BaseModel] | None = None  # a whole edited record plus the version it was opened at
    owner: Owner = Owner("enterprise_id")
    dated_by: str | None = None  # the date an enterprise's records are listed by, newest first
    references: tuple[tuple[str, type[SQLModel]], ...] = ()  # (column, table) a new or edited record must name
    dependents: tuple[tuple[type[SQLModel], str], ...] = ()  # (table, column) of the records that refer to one
    records_service: bool = False  # created, corrected and deleted by services/records.py (not a service of its own)

    @property
    def importable(self) -> bool:
        return self.name in IMPORTABLE

    @property
    def child(self) -> bool:
        """A record of an enterprise (every table but the enterprise's own)."""
        return self.name != "enterprise"

    @cached_property
    def columns(self) -> tuple[str, ...]:
        """The columns of its import and export files, in order: the Create model's fields; a child's
        file names its enterprise by ``uscc`` instead of ``enterprise_id`` and starts with the record's ``id``."""
        fields = tuple(self.create.model_fields)
        if not self.child:
            return fields
        return ("id", "uscc", *(name for name in fields if name != "enterprise_id"))

    @cached_property
    def required(self) -> tuple[str, ...]:
        """The columns every row of an import file must have."""
        required = tuple(name for name, field in self.create.model_fields.items()
                         if field.is_required() and name != "enterprise_id")
        return ("uscc", *required) if self.child else required

    @cached_property
    def enum_columns(self) -> dict[str, str]:
        """The columns that hold an enumeration value, each with the kind of its values' names in the
        catalogs (``dashboard.i18n.label(kind, value)``)."""
        from models.base import enum_kind

        found: dict[str, str] = {}
        for name, field in self.table.model_fields.items():
            enums = [kind for kind in (*get_args(field.annotation), field.annotation)
                     if isinstance(kind, type) and issubclass(kind, Enum)]
            if enums:
                found[name] = enum_kind(enums[0])
        return found

    def of_enterprise(self, query: Any, enterprise_id: int) -> Any:
        """``query`` (a select of this table) narrowed to the rows of one enterprise."""
        columns: Any = self.table.__table__.c  # type: ignore[attr-defined]
        if self.owner.parent is None:
            return query.where(columns[self.owner.column] == enterprise_id)
        parent: Any = self.owner.parent.__table__  # type: ignore[attr-defined]
        return query.join(parent, parent.c.id == columns[self.owner.column]).where(
            parent.c.enterprise_id == enterprise_id)


@cache
def record_tables() -> dict[str, RecordTable]:
    """Every record table, by name."""
    from models import (
        Accident,
        AccidentCreate,
        DishonestyListing,
        DishonestyListingCreate,
        Enforcement,
        EnforcementCreate,
        Enterprise,
        EnterpriseCreate,
        EnterpriseUpdate,
        Hazard,
        HazardCreate,
        HazardUpdate,
        Inspection,
        InspectionCreate,
        LoanOverride,
        LoanOverrideCreate,
        Plot,
        SafetySign,
        SafetySignCreate,
        SignCheck,
        SignCheckCreate,
        Training,
        TrainingCreate,
    )

    of_enterprise = (("enterprise_id", Enterprise),)
    tables = (
        RecordTable("enterprise", Enterprise, EnterpriseCreate, EnterpriseUpdate, owner=Owner("id"),
                    references=(("plot_id", Plot),)),
        RecordTable("safety_sign", SafetySign, SafetySignCreate, dated_by="installed_on", references=of_enterprise,
                    dependents=((SignCheck, "safety_sign_id"),), records_service=True),
        RecordTable("sign_check", SignCheck, SignCheckCreate, owner=Owner("safety_sign_id", SafetySign),
                    dated_by="checked_on", references=(("safety_sign_id", SafetySign),), records_service=True),
        RecordTable("inspection", Inspection, InspectionCreate, dated_by="inspected_on", references=of_enterprise,
                    dependents=((Hazard, "inspection_id"),), records_service=True),
        RecordTable("hazard", Hazard, HazardCreate, HazardUpdate, dated_by="found_on",
                    references=(*of_enterprise, ("inspection_id", Inspection))),
        RecordTable("accident", Accident, AccidentCreate, dated_by="occurred_on", references=of_enterprise,
                    records_service=True),
        RecordTable("training", Training, TrainingCreate, dated_by="held_on", references=of_enterprise,
                    records_service=True),
        RecordTable("enforcement", Enforcement, EnforcementCreate, dated_by="decided_on", references=of_enterprise,
                    records_service=True),
        RecordTable("dishonesty_listing", DishonestyListing, DishonestyListingCreate, dated_by="listed_on",
                    references=of_enterprise, records_service=True),
        RecordTable("loan_override", LoanOverride, LoanOverrideCreate, dated_by="decided_on",
                    references=of_enterprise),
    )
    return {table.name: table for table in tables}


def record_table(name: str, among: Iterable[str] | None = None) -> RecordTable:
    """The record table ``name``, one of ``among`` (default: any); another name is refused as a problem of
    the record that names those allowed."""
    from models.validation import FieldProblem, RecordInvalid

    tables = record_tables()
    allowed = tuple(tables if among is None else among)
    if name not in allowed:
        raise RecordInvalid([FieldProblem("__record__", "not_one_of", {"value": name, "allowed": ", ".join(allowed)})])
    return tables[name]


def records_service_tables() -> tuple[str, ...]:
    """The tables services/records.py creates, corrects and deletes records of."""
    return tuple(name for name, table in record_tables().items() if table.records_service)


def listed_tables() -> tuple[str, ...]:
    """The tables whose records the Records page lists for one enterprise, newest first."""
    return tuple(name for name, table in record_tables().items() if table.dated_by is not None)
