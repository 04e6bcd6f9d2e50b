"""The park and its plots (the site plan the risk map draws)."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, Column, Float, Text
from sqlmodel import Field, SQLModel

from models import base  # noqa: F401  (naming convention before any table)


class Park(SQLModel, table=True):
    """园区: the one park this database supervises."""

    __tablename__ = "park"
    __table_args__ = (CheckConstraint("accident_target_per_year >= 0", name="accident_target_non_negative"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str
    name_en: str
    boundary_geojson: str = Field(sa_column=Column(Text, nullable=False))
    center_lat: float
    center_lon: float
    accident_target_per_year: int = Field(default=0)


class Plot(SQLModel, table=True):
    """地块: a parcel of the site plan, e.g. "A-03"."""

    __tablename__ = "plot"
    __table_args__ = (CheckConstraint("area_m2 >= 0", name="area_non_negative"),)

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=32)
    polygon_geojson: str = Field(sa_column=Column(Text, nullable=False))
    area_m2: float = Field(sa_column=Column(Float, nullable=False))
