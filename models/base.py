"""Shared column builders and the metadata naming convention.

Constraint names follow one convention so that Alembic's SQLite batch mode can find
and recreate them, and so that a refused write can be mapped back to its field.
"""

from __future__ import annotations

import re
from datetime import datetime
from enum import Enum, StrEnum
from typing import Any

from sqlalchemy import Column, DateTime, Integer, func, text
from sqlalchemy import Enum as SAEnum
from sqlmodel import Field, SQLModel

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

SQLModel.metadata.naming_convention = NAMING_CONVENTION


class HasId(SQLModel):
    """A table's integer primary key. A table model names it after its Base
    (``class Hazard(HazardBase, HasId, table=True)``), so that ``id`` comes first among its fields and
    columns, as the migrations and the seed's rows (``seed/bulk.py``) have it.

    The table model inherits the Base's fields and rules, and names again only the fields whose column is
    not what the Base's annotation gives: a foreign key, an index, an enum or Text column, a server default,
    a NOT NULL the form may leave blank, or a text column without the length the Base checks (the
    contract's columns have none). It lists them in the Base's order, then its own, so the columns keep
    the fields' order (``tests/test_migrations.py`` holds them to the migrations)."""

    id: int | None = Field(default=None, primary_key=True)


def enum_kind(enum_cls: type[Enum]) -> str:
    """The enumeration's name in snake case (HazardStatus → hazard_status): the name of its column's CHECK, and
    the kind its values' names have in the catalogs (``enum.<kind>.<value>``, dashboard/i18n/*/enums.py)."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", enum_cls.__name__).lower()


def enum_type(enum_cls: type[StrEnum]) -> SAEnum:
    """A portable enum column type: VARCHAR plus a named CHECK of the lower-case values."""
    return SAEnum(
        enum_cls,
        native_enum=False,
        create_constraint=True,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
        length=max(len(m.value) for m in enum_cls),
        name=enum_kind(enum_cls),
    )


def enum_column(
    enum_cls: type[StrEnum], *, nullable: bool = False, index: bool = False, default: StrEnum | None = None
) -> Any:
    """A Column for an enum field; a default also becomes the server default."""
    kwargs: dict[str, Any] = {"nullable": nullable, "index": index}
    if default is not None:
        kwargs["server_default"] = text(f"'{default.value}'")
    return Column(enum_type(enum_cls), **kwargs)


def utc_now() -> datetime:
    """Now, by the app's one clock (``dashboard/clock.py``): the stamp a row gets when it is written. The
    database's own ``now()`` (the columns' server default, kept for rows written by hand) would not follow
    ``PARK_SAFETY_CLOCK``."""
    from dashboard.clock import now

    return now()


def stamp_column(*, index: bool = False, on_update: bool = False) -> Any:
    """When the row was written (and, ``on_update``, last changed), by :func:`utc_now`."""
    return Column(DateTime(timezone=True), nullable=False, index=index, default=utc_now, server_default=func.now(),
                  onupdate=utc_now if on_update else None)


def created_at_column() -> Any:
    return stamp_column()


def updated_at_column() -> Any:
    return stamp_column(on_update=True)


def version_column() -> Column[int]:
    """The optimistic-lock counter; pass it to ``__mapper_args__['version_id_col']`` too."""
    return Column("version", Integer, nullable=False, server_default=text("1"))


def bool_default(value: bool) -> Any:
    return text("true" if value else "false")


def int_default(value: int) -> Any:
    return text(str(value))
