"""The park itself and the record counts the Overview shows."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlmodel import Session, SQLModel, col

from models import (
    Accident,
    DishonestyListing,
    Enforcement,
    Enterprise,
    Hazard,
    Inspection,
    LoanOverride,
    Park,
    Plot,
    SafetySign,
    SignCheck,
    Training,
)
from models.validation import ParkBounds

COUNTED: tuple[type[SQLModel], ...] = (
    Enterprise, Plot, SafetySign, SignCheck, Inspection, Hazard, Accident, Training, Enforcement,
    DishonestyListing, LoanOverride,
)


def get_park(session: Session) -> Park | None:
    """The park this database supervises (the first, and normally only, row)."""
    return session.execute(select(Park).order_by(col(Park.id)).limit(1)).scalars().first()


def park_bounds(session: Session) -> ParkBounds | None:
    park = get_park(session)
    return ParkBounds.from_geojson(park.boundary_geojson) if park else None


def record_counts(session: Session) -> dict[str, int]:
    """Rows per table, in one round trip."""
    tables = [model.__table__ for model in COUNTED]  # type: ignore[attr-defined]
    parts = [select(func.count()).select_from(table).scalar_subquery().label(table.name) for table in tables]
    row = session.execute(select(*parts)).one()
    return {table.name: int(value) for table, value in zip(tables, row, strict=True)}


@dataclass(frozen=True)
class ParkSummary:
    """What the first page shows: the park's names and how many records it holds."""

    name: str | None
    name_en: str | None
    accident_target_per_year: int | None
    counts: dict[str, int]


def park_summary(session: Session) -> ParkSummary:
    park = get_park(session)
    return ParkSummary(
        name=park.name if park else None,
        name_en=park.name_en if park else None,
        accident_target_per_year=park.accident_target_per_year if park else None,
        counts=record_counts(session),
    )
