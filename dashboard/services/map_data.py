"""What the risk map draws: the park's outline, its plots with their four-colour risk, and the
weight of open hazards per enterprise at an as-of date D.

The hazard weights are one grouped query over the hazards that exist and are not verified at D
(``ix_hazard_state_at`` holds every column it reads), joined to the enterprise for its place:
one row per enterprise, never one per hazard, so the map's heat layer stays small at county scale.
A hazard is open at D as DESIGN.md 4.2 and the enterprise table count it: found on or before D and
neither rectified nor verified at D.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import and_, case, func, or_, select
from sqlmodel import Session

from dashboard.services.park import get_park
from models import Enterprise, Hazard, Plot
from models.enums import HazardSeverity

# how much one open hazard weighs in the heat layer
SEVERITY_WEIGHTS: dict[str, int] = {HazardSeverity.general.value: 1, HazardSeverity.major.value: 3}

# the four colours from worst to best (DESIGN.md 4.5)
COLOUR_ORDER: tuple[str, ...] = ("red", "orange", "yellow", "blue")

PLOT_COLUMNS = ("plot_id", "code", "ring", "area_m2")
WEIGHT_COLUMNS = ("enterprise_id", "lat", "lon", "general_open", "major_open", "weight")

_HAZARD = Hazard.__table__  # type: ignore[attr-defined]
_ENTERPRISE = Enterprise.__table__  # type: ignore[attr-defined]
_PLOT = Plot.__table__  # type: ignore[attr-defined]

Ring = list[list[float]]


@dataclass(frozen=True)
class ParkOutline:
    """The park's names, centre and outer boundary ring ([lon, lat] pairs)."""

    name: str
    name_en: str
    center_lat: float
    center_lon: float
    ring: Ring

    @property
    def extent(self) -> tuple[float, float, float, float]:
        """(min_lon, min_lat, max_lon, max_lat) of the boundary."""
        lons = [point[0] for point in self.ring]
        lats = [point[1] for point in self.ring]
        return min(lons), min(lats), max(lons), max(lats)


def outer_ring(geojson: str) -> Ring:
    """The outer ring of a GeoJSON Polygon (or of a MultiPolygon's first polygon) as [lon, lat] pairs."""
    shape: dict[str, Any] = json.loads(geojson)
    coordinates = shape.get("coordinates") or []
    if shape.get("type") == "MultiPolygon":
        coordinates = coordinates[0] if coordinates else []
    if not coordinates:
        return []
    return [[float(point[0]), float(point[1])] for point in coordinates[0]]


def park_outline(session: Session) -> ParkOutline | None:
    """The park's outline, or None when no park has been set up."""
    park = get_park(session)
    if park is None:
        return None
    return ParkOutline(name=park.name, name_en=park.name_en, center_lat=park.center_lat,
                       center_lon=park.center_lon, ring=outer_ring(park.boundary_geojson))


def plots(session: Session) -> pd.DataFrame:
    """Every plot: id, code, outer ring and area (columns :data:`PLOT_COLUMNS`), by code."""
    p = _PLOT.c
    rows = session.execute(select(p.id, p.code, p.polygon_geojson, p.area_m2).order_by(p.code)).all()
    return pd.DataFrame(
        [(row.id, row.code, outer_ring(row.polygon_geojson), float(row.area_m2)) for row in rows],
        columns=list(PLOT_COLUMNS),
    )


def plot_colours(plot_table: pd.DataFrame, enterprises: pd.DataFrame) -> pd.DataFrame:
    """The plots with the worst colour of their enterprises.

    ``enterprises`` has at least plot_id, risk_colour and open_hazards (the enterprise table).
    Adds ``risk_colour`` (None for a plot without enterprises), ``enterprises`` (how many) and
    ``open_hazards`` (their sum).
    """
    table = plot_table.copy()
    placed = enterprises.loc[enterprises["plot_id"].notna(), ["plot_id", "risk_colour", "open_hazards"]].copy()
    if placed.empty:
        table["risk_colour"] = None
        table["enterprises"] = 0
        table["open_hazards"] = 0
        return table
    placed["plot_id"] = placed["plot_id"].astype(int)
    placed["rank"] = placed["risk_colour"].map({colour: i for i, colour in enumerate(COLOUR_ORDER)})
    grouped = placed.groupby("plot_id").agg(rank=("rank", "min"), enterprises=("risk_colour", "size"),
                                            open_hazards=("open_hazards", "sum"))
    grouped["risk_colour"] = grouped["rank"].map(lambda rank: COLOUR_ORDER[int(rank)])
    table = table.merge(grouped[["risk_colour", "enterprises", "open_hazards"]], left_on="plot_id",
                        right_index=True, how="left")
    table["enterprises"] = table["enterprises"].fillna(0).astype(int)
    table["open_hazards"] = table["open_hazards"].fillna(0).astype(int)
    table["risk_colour"] = table["risk_colour"].astype(object).where(table["risk_colour"].notna(), None)
    return table


def hazard_weights(session: Session, as_of: date, weights: dict[str, int] | None = None) -> pd.DataFrame:
    """Per enterprise with an open hazard at ``as_of``: its place, its open general and major hazards,
    and their weight (general × weight of general + major × weight of major). Columns :data:`WEIGHT_COLUMNS`.
    """
    chosen = weights or SEVERITY_WEIGHTS
    h, e, d = _HAZARD.c, _ENTERPRISE.c, as_of
    exists_unverified = and_(h.found_on <= d, or_(h.verified_on.is_(None), h.verified_on > d))
    is_open = or_(h.rectified_on.is_(None), h.rectified_on > d)
    general_open = and_(h.severity == HazardSeverity.general, is_open)
    major_open = and_(h.severity == HazardSeverity.major, is_open)
    general = func.sum(case((general_open, 1), else_=0))
    major = func.sum(case((major_open, 1), else_=0))
    weight = func.sum(case((major_open, chosen[HazardSeverity.major.value]),
                           (general_open, chosen[HazardSeverity.general.value]), else_=0))
    query = (
        select(h.enterprise_id, e.lat, e.lon, general.label("general_open"), major.label("major_open"),
               weight.label("weight"))
        .join(_ENTERPRISE, e.id == h.enterprise_id)
        .where(exists_unverified)
        .group_by(h.enterprise_id, e.lat, e.lon)
        .having(general + major > 0)
        .order_by(h.enterprise_id)
    )
    table = pd.DataFrame(session.execute(query).all(), columns=list(WEIGHT_COLUMNS))
    for column in ("general_open", "major_open", "weight"):
        table[column] = table[column].astype(int)
    return table
