"""Users of the dashboard and the audit log of everything they change."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from pydantic import ConfigDict, field_validator
from sqlalchemy import Column, DateTime, Text
from sqlmodel import Field, SQLModel

from models.base import bool_default, enum_column, int_default, stamp_column
from models.enums import Role
from models.validation import problem

_USERNAME = re.compile(r"^[A-Za-z0-9_.\-]+$")


class AppUserCreate(SQLModel):
    model_config = ConfigDict(str_strip_whitespace=True)  # type: ignore[assignment]

    username: str = Field(min_length=1, max_length=64)
    display_name: str = Field(min_length=1, max_length=100)
    role: Role
    password: str = Field(min_length=8, max_length=256)

    @field_validator("username")
    @classmethod
    def _username_characters(cls, value: Any) -> Any:
        if isinstance(value, str) and value and not _USERNAME.match(value):
            raise problem("username_characters", "username", value=value)
        return value


class AppUser(SQLModel, table=True):
    __tablename__ = "app_user"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(unique=True, max_length=64)
    display_name: str
    role: Role = Field(sa_column=enum_column(Role))
    password_hash: str
    active: bool = Field(default=True, sa_column_kwargs={"server_default": bool_default(True)})


class AppSession(SQLModel, table=True):
    """A signed-in browser: the SHA-256 of its random token (the token itself is only in the cookie)."""

    __tablename__ = "app_session"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    user_id: int = Field(foreign_key="app_user.id", index=True)
    created_at: datetime = Field(sa_column=stamp_column())
    expires_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False, index=True))
    ended_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=True))


class SignInThrottle(SQLModel, table=True):
    """Failed sign-ins of one source address or one account name (known or not) in the current burst.

    ``key`` is the SHA-256 of ``address:<ip>`` or ``account:<name>``, so the names an outsider types
    are not kept. A row is forgotten when no sign-in has failed on it for the configured window."""

    __tablename__ = "sign_in_throttle"

    key: str = Field(primary_key=True, max_length=64)
    failures: int = Field(default=0, sa_column_kwargs={"server_default": int_default(0)})
    updated_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False, index=True))
    blocked_until: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=True))
    audit_id: int | None = None  # the burst's audit row, whose count later failures raise


class KnownDevice(SQLModel, table=True):
    """A browser that has signed in to an account: the SHA-256 of the random token in its device cookie."""

    __tablename__ = "known_device"

    token_hash: str = Field(primary_key=True, max_length=64)
    user_id: int = Field(foreign_key="app_user.id", index=True)
    created_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False, index=True))
    failures: int = Field(default=0, sa_column_kwargs={"server_default": int_default(0)})


class AuditLog(SQLModel, table=True):
    """One change by one user: who, when, what, and the record before and after."""

    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime | None = Field(default=None, sa_column=stamp_column(index=True))
    username: str = Field(index=True)
    action: str
    entity: str = Field(index=True)
    entity_id: int | None = None
    before_json: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    after_json: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
