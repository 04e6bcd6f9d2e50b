"""Local accounts: argon2 password hashes, adding users."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlmodel import Session, col

from dashboard.services.audit import record_audit
from dashboard.services.permissions import Actor, Permission, require
from models import AppUser, AppUserCreate
from models.validation import FieldProblem, RecordInvalid, validate

_hasher = PasswordHasher()
# Verified against when the username is unknown, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def add_user(*, session: Session, actor: Actor, data: AppUserCreate | Mapping[str, Any]) -> AppUser:
    """Add an active account; refused when the username is taken."""
    require(actor, Permission.manage_users)
    valid = validate(AppUserCreate, data)
    if session.execute(select(col(AppUser.id)).where(col(AppUser.username) == valid.username)).first():
        raise RecordInvalid([FieldProblem("username", "duplicate", {"value": valid.username})])
    user = AppUser(username=valid.username, display_name=valid.display_name, role=valid.role,
                   password_hash=hash_password(valid.password), active=True)
    session.add(user)
    session.flush()
    record_audit(session, actor=actor, action="create", entity="app_user", entity_id=user.id,
                 after={"username": user.username, "display_name": user.display_name, "role": user.role.value})
    return user
