"""The heat matrices of the Heatmaps page, each one grouped query (GROUP BY in the database).

* hazards found per industry and month,
* open hazards at D per enterprise (the 30 with the most) and hazard category,
* inspections per tier and month,
* rectification days (rectified_on - found_on) per hazard category, in buckets, with the mean.

Months are ``YYYY-MM`` strings computed by the database (``strftime`` on SQLite, ``to_char`` on
PostgreSQL); day differences likewise (``julianday`` vs date subtraction). A date range is
inclusive at both ends; an empty ``industries`` means every industry.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import ColumnElement, Integer, and_, case, cast, func, literal, or_, select
from sqlmodel import Session

from dashboard.services.hazard_index import VerifiedOnFirst
from models import Enterprise, Hazard, Inspection
from models.enums import HazardSeverity, InspectionTier

_HAZARD = Hazard.__table__  # type: ignore[attr-defined]
_ENTERPRISE = Enterprise.__table__  # type: ignore[attr-defined]
_INSPECTION = Inspection.__table__  # type: ignore[attr-defined]

# rectification-day buckets: (key, first day, last day); None means no upper bound
DAY_BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("0_7", 0, 7), ("8_15", 8, 15), ("16_30", 16, 30), ("31_60", 31, 60), ("61_90", 61, 90), ("91_", 91, None),
)
TOP_ENTERPRISES = 30


def default_range(as_of: date, months: int = 12) -> tuple[date, date]:
    """The ``months`` calendar months ending with the month of ``as_of``: (first day, ``as_of``)."""
    index = as_of.year * 12 + as_of.month - 1 - (months - 1)
    return date(index // 12, index % 12 + 1, 1), as_of


def months_between(start: date, end: date) -> list[str]:
    """Every month from ``start``'s to ``end``'s, as ``YYYY-MM``."""
    first, last = start.year * 12 + start.month - 1, end.year * 12 + end.month - 1
    return [f"{index // 12:04d}-{index % 12 + 1:02d}" for index in range(first, last + 1)]


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def month_of(session: Session, column: Any) -> ColumnElement[str]:
    """``YYYY-MM`` of a date column, computed by the database."""
    if _dialect(session) == "postgresql":
        return func.to_char(column, "YYYY-MM")
    return func.substr(column, 1, 7)  # SQLite stores a date as YYYY-MM-DD text; no parsing per row


def days_between(session: Session, first: Any, last: Any) -> ColumnElement[int]:
    """Whole days from ``first`` to ``last`` (two date columns), computed by the database."""
    if _dialect(session) == "postgresql":
        return cast(last - first, Integer)
    return cast(func.julianday(last) - func.julianday(first), Integer)


def _in_industries(industries: Sequence[str]) -> ColumnElement[bool]:
    return _ENTERPRISE.c.industry.in_(list(industries)) if industries else literal(True)


def hazards_by_industry_month(session: Session, start: date, end: date,
                              industries: Sequence[str] = ()) -> pd.DataFrame:
    """Hazards found from ``start`` to ``end``: columns industry, month, hazards, major (rows with hazards only)."""
    h, e = _HAZARD.c, _ENTERPRISE.c
    rows = (
        select(e.industry, month_of(session, h.found_on).label("month"), h.severity)
        .select_from(_HAZARD.join(_ENTERPRISE, e.id == h.enterprise_id))
        .where(h.found_on >= start, h.found_on <= end, _in_industries(industries))
        .subquery("found")
    )
    r = rows.c
    query = (
        select(r.industry, r.month, func.count().label("hazards"),
               func.sum(case((r.severity == HazardSeverity.major, 1), else_=0)).label("major"))
        .group_by(r.industry, r.month)
        .order_by(r.industry, r.month)
    )
    table = pd.DataFrame(session.execute(query).all(), columns=["industry", "month", "hazards", "major"])
    return _ints(_strings(table, "industry"), "hazards", "major")


def open_hazards_by_enterprise_category(session: Session, as_of: date, industries: Sequence[str] = (),
                                        top: int = TOP_ENTERPRISES) -> pd.DataFrame:
    """Open hazards at ``as_of`` of the ``top`` enterprises with the most, by category.

    Open as DESIGN.md 4.2 and the enterprise table count it: neither rectified nor verified at
    ``as_of``. Columns enterprise_id, name, name_en, category, hazards, total (the enterprise's
    open hazards in every category); ranked by total (most first), then by enterprise id.
    """
    h, e, d = VerifiedOnFirst(session), _ENTERPRISE.c, as_of  # read through ix_hazard_state_at
    is_open = and_(
        h.found_on <= d,
        or_(h.verified_on.is_(None), h.verified_on > d),
        or_(h.rectified_on.is_(None), h.rectified_on > d),
    )
    joined = _HAZARD.join(_ENTERPRISE, e.id == h.enterprise_id)
    totals = (
        select(h.enterprise_id.label("enterprise_id"), func.count().label("total"))
        .select_from(joined)
        .where(is_open, _in_industries(industries))
        .group_by(h.enterprise_id)
        .subquery("totals")
    )
    ranked = (
        select(totals.c.enterprise_id, totals.c.total, e.name, e.name_en)
        .join(_ENTERPRISE, e.id == totals.c.enterprise_id)
        .order_by(totals.c.total.desc(), totals.c.enterprise_id)
        .limit(top)
        .subquery("ranked")
    )
    query = (
        select(ranked.c.enterprise_id, ranked.c.name, ranked.c.name_en, h.category.label("category"),
               func.count().label("hazards"), ranked.c.total)
        .select_from(_HAZARD.join(ranked, ranked.c.enterprise_id == h.enterprise_id))
        .where(is_open)
        .group_by(ranked.c.enterprise_id, ranked.c.name, ranked.c.name_en, h.category, ranked.c.total)
        .order_by(ranked.c.total.desc(), ranked.c.enterprise_id, h.category)
    )
    table = pd.DataFrame(session.execute(query).all(),
                         columns=["enterprise_id", "name", "name_en", "category", "hazards", "total"])
    return _ints(_strings(table, "category"), "enterprise_id", "hazards", "total")


def inspections_by_tier_month(session: Session, start: date, end: date,
                              industries: Sequence[str] = ()) -> pd.DataFrame:
    """Inspections from ``start`` to ``end``: columns tier, month, inspections, enterprises (distinct)."""
    i, e = _INSPECTION.c, _ENTERPRISE.c
    inspected = (
        select(i.tier, month_of(session, i.inspected_on).label("month"), i.enterprise_id)
        # every tier, named so that SQLite reads ix_inspection_tier_window (tier, date, enterprise) alone
        .where(i.tier.in_([tier.value for tier in InspectionTier]), i.inspected_on >= start, i.inspected_on <= end)
    )
    if industries:  # the enterprise is read only to filter by industry
        inspected = inspected.join(_ENTERPRISE, e.id == i.enterprise_id).where(_in_industries(industries))
    rows = inspected.subquery("inspected")
    r = rows.c
    query = (
        select(r.tier, r.month, func.count().label("inspections"),
               func.count(func.distinct(r.enterprise_id)).label("enterprises"))
        .group_by(r.tier, r.month)
        .order_by(r.tier, r.month)
    )
    table = pd.DataFrame(session.execute(query).all(), columns=["tier", "month", "inspections", "enterprises"])
    return _ints(_strings(table, "tier"), "inspections", "enterprises")


def rectification_days_by_category(session: Session, start: date, end: date,
                                   industries: Sequence[str] = ()) -> pd.DataFrame:
    """Hazards rectified from ``start`` to ``end``, by category and by how many days rectification took.

    Columns category, bucket (a key of :data:`DAY_BUCKETS`), hazards, and per category: rectified
    (all buckets), mean_days and max_days. Buckets without hazards are left out.
    """
    h, e = _HAZARD.c, _ENTERPRISE.c
    days = days_between(session, h.found_on, h.rectified_on)
    # first per category and number of days (the day count is computed once per hazard), then into buckets
    per_day = (
        select(h.category, days.label("days"), func.count().label("hazards"))
        .select_from(_HAZARD.join(_ENTERPRISE, e.id == h.enterprise_id))
        .where(h.rectified_on.is_not(None), h.rectified_on >= start, h.rectified_on <= end,
               _in_industries(industries))
        .group_by(h.category, days)
        .subquery("per_day")
    )
    p = per_day.c
    bucket = case(
        *[(p.days <= last, literal(key)) for key, _first, last in DAY_BUCKETS if last is not None],
        else_=literal(DAY_BUCKETS[-1][0]),
    )
    bucketed = select(p.category, p.days, p.hazards, bucket.label("bucket")).subquery("bucketed")
    b = bucketed.c
    query = (
        select(b.category, b.bucket, func.sum(b.hazards).label("hazards"),
               func.sum(b.days * b.hazards).label("days"), func.max(b.days).label("max_days"))
        .group_by(b.category, b.bucket)
    )
    table = _strings(pd.DataFrame(session.execute(query).all(),
                                  columns=["category", "bucket", "hazards", "days", "max_days"]), "category", "bucket")
    table = _ints(table, "hazards", "days", "max_days")
    per_category = table.groupby("category").agg(rectified=("hazards", "sum"), days=("days", "sum"),
                                                 max_days=("max_days", "max"))
    per_category["mean_days"] = (per_category["days"] / per_category["rectified"]).round(1)
    table = table[["category", "bucket", "hazards"]].merge(
        per_category[["rectified", "mean_days", "max_days"]], left_on="category", right_index=True, how="left")
    order = {key: index for index, (key, _first, _last) in enumerate(DAY_BUCKETS)}
    table = table.sort_values(["category", "bucket"], key=lambda column: column.map(order)
                              if column.name == "bucket" else column, kind="stable").reset_index(drop=True)
    return _ints(table, "hazards", "rectified", "max_days")


def _strings(table: pd.DataFrame, *columns: str) -> pd.DataFrame:
    for column in columns:
        table[column] = table[column].map(str)
    return table


def _ints(table: pd.DataFrame, *columns: str) -> pd.DataFrame:
    for column in columns:
        table[column] = table[column].astype(int)
    return table
