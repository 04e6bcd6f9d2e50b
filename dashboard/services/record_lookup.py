"""The reads behind the Records page's forms: enterprises and plots to pick from, one record as the
form holds it, an enterprise's records of one table to choose one to edit, and, when a save is
refused because someone else saved first, what changed since the form was opened (who changed it is the
audit trail's: ``services.audit.last_change``).

Values come back plain (an enum as its lower-case string, a date as a ``date``), so a form can
put them straight into its widgets and the services can validate them again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

import pandas as pd
from sqlalchemy import func, select
from sqlmodel import Session, SQLModel, col

from dashboard.services.park import get_park
from dashboard.services.record_tables import listed_tables, record_table
from models import Enterprise, Hazard, Plot
from models.enterprise import EnterpriseBase
from models.hazard import HazardBase
from models.validation import ParkBounds

ENTERPRISE_FIELDS: tuple[str, ...] = tuple(EnterpriseBase.model_fields)
HAZARD_FIELDS: tuple[str, ...] = tuple(HazardBase.model_fields)


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def _columns(table: type[SQLModel]) -> list[str]:
    return list(table.model_fields)


def as_dict(record: SQLModel) -> dict[str, Any]:
    """A row's columns as plain values."""
    return {name: _plain(getattr(record, name)) for name in _columns(type(record))}


def enterprise_choices(session: Session) -> pd.DataFrame:
    """Every enterprise (closed ones too, marked by status) to pick from: id, uscc, name, name_en, status,
    ordered by name."""
    rows = session.execute(
        select(col(Enterprise.id), col(Enterprise.uscc), col(Enterprise.name), col(Enterprise.name_en),
               col(Enterprise.status)).order_by(col(Enterprise.name), col(Enterprise.id))
    ).all()
    return pd.DataFrame(
        [(int(i), u, n, e, _plain(s)) for i, u, n, e, s in rows],
        columns=["id", "uscc", "name", "name_en", "status"],
    )


def plot_choices(session: Session) -> dict[int, str]:
    """The park's plots, id → code, in code order."""
    rows = session.execute(select(col(Plot.id), col(Plot.code)).order_by(col(Plot.code))).all()
    return {int(i): str(c) for i, c in rows}


def enterprise_record(session: Session, enterprise_id: int) -> dict[str, Any] | None:
    """One enterprise as its edit form holds it: every contract field, its id and version; None if unknown."""
    row = session.get(Enterprise, enterprise_id)
    if row is None:
        return None
    session.refresh(row)  # the stored version, not one this session remembers
    return {"id": row.id, **{name: _plain(getattr(row, name)) for name in ENTERPRISE_FIELDS}, "version": row.version}


def hazard_record(session: Session, hazard_id: int) -> dict[str, Any] | None:
    """One hazard as its edit form holds it: every field, its id and version; None if unknown."""
    row = session.get(Hazard, hazard_id)
    if row is None:
        return None
    session.refresh(row)
    return {"id": row.id, **{name: _plain(getattr(row, name)) for name in HAZARD_FIELDS}, "version": row.version}


def record(session: Session, table: str, record_id: int) -> dict[str, Any] | None:
    """One record of a table (dashboard.services.record_tables) as a dict; None if unknown."""
    if table == "enterprise":
        return enterprise_record(session, record_id)
    if table == "hazard":
        return hazard_record(session, record_id)
    row = session.get(record_table(table).table, record_id)
    return None if row is None else as_dict(row)


def records_of(session: Session, table: str, enterprise_id: int) -> pd.DataFrame:
    """An enterprise's records of one table, newest first (a sign check belongs to the enterprise of its
    sign; an inspection carries the number of hazards it found)."""
    listed = record_table(table, among=listed_tables())
    row_class, when = listed.table, str(listed.dated_by)
    columns = _columns(row_class)
    query = listed.of_enterprise(select(row_class), enterprise_id)
    query = query.order_by(getattr(row_class, when).desc(), row_class.id.desc())  # type: ignore[attr-defined]
    frame = pd.DataFrame([as_dict(r) for r in session.execute(query).scalars()], columns=columns)
    if table == "inspection":
        counts = dict(session.execute(
            select(col(Hazard.inspection_id), func.count()).where(col(Hazard.enterprise_id) == enterprise_id)
            .group_by(col(Hazard.inspection_id))
        ).all())
        frame["hazards"] = [int(counts.get(i, 0)) for i in frame["id"]]
    return frame


@dataclass(frozen=True)
class Change:
    """One field someone else changed since a form was opened."""

    field: str
    opened: Any  # the value when the form was opened
    current: Any  # the value stored now


def changes_since(opened: Mapping[str, Any], current: Mapping[str, Any], fields: Sequence[str]) -> list[Change]:
    """The fields whose stored value differs from the value the form was opened with."""
    return [Change(name, _plain(opened.get(name)), _plain(current.get(name))) for name in fields
            if _plain(opened.get(name)) != _plain(current.get(name))]


@dataclass(frozen=True)
class ParkPlace:
    """Where a new enterprise starts on the form (the park's centre) and the box it must lie in."""

    center_lat: float
    center_lon: float
    min_lat: float
    max_lat: float
    min_lon: float
    max_lon: float


def park_place(session: Session) -> ParkPlace | None:
    park = get_park(session)
    if park is None:
        return None
    bounds = ParkBounds.from_geojson(park.boundary_geojson)
    return ParkPlace(park.center_lat, park.center_lon, bounds.min_lat, bounds.max_lat, bounds.min_lon, bounds.max_lon)
