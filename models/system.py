"""Bookkeeping the application needs beside the contract's tables."""

from __future__ import annotations

from sqlmodel import Field, SQLModel

from models.base import int_default


class DataRevision(SQLModel, table=True):
    """A single counter every write bumps, so cached figures refresh for every app server."""

    __tablename__ = "data_revision"

    id: int = Field(default=1, primary_key=True)
    revision: int = Field(default=0, sa_column_kwargs={"server_default": int_default(0)})
