"""The park itself and the record counts the Overview shows."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlmodel import Session, SQLModel

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
    return session.exec(select(Park).order_by(Park.id).limit(1)).scalars().first()  # type: ignore[call-overload]


def park_bounds(session: Session) -> ParkBounds | None:
    park = get_park(session)
    return ParkBounds.from_geojson(park.boundary_geojson) if park else None


def record_counts(session: Session) -> dict[str, int]:
    """Rows per table, in one round trip."""
    parts = [
        select(func.count()).select_from(model.__table__).scalar_subquery().label(model.__tablename__)  # type: ignore[attr-defined]
        for model in COUNTED
    ]
    row = session.execute(select(*parts)).one()
    return {model.__tablename__: int(value) for model, value in zip(COUNTED, row, strict=True)}  # type: ignore[attr-defined]
