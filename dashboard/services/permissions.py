"""Who may do what (DESIGN.md section 1), enforced where data is written."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from models.enums import Role


class Permission(StrEnum):
    edit_records = "edit_records"  # safety records: enterprises, hazards, signs, inspections, ...
    override_loans = "override_loans"
    manage_users = "manage_users"
    manage_settings = "manage_settings"
    view_audit = "view_audit"
    view_original_files = "view_original_files"  # an attachment as uploaded, its EXIF (time, place, device) intact
    remove_others_files = "remove_others_files"  # an attachment someone else uploaded


GRANTS: dict[Role, frozenset[Permission]] = {
    Role.admin: frozenset(Permission),
    Role.staff: frozenset({Permission.edit_records, Permission.view_original_files}),
    Role.finance: frozenset({Permission.override_loans}),
    Role.committee: frozenset({Permission.view_audit, Permission.view_original_files}),
}


@dataclass(frozen=True)
class Actor:
    """The user on whose behalf a service acts."""

    username: str
    role: Role

    def may(self, permission: Permission) -> bool:
        return permission in GRANTS.get(self.role, frozenset())


SYSTEM = Actor("system", Role.admin)
"""The actor of the command line and the demo seed, which an operator runs on the server."""


class PermissionDenied(PermissionError):
    """The acting user's role may not do this."""

    def __init__(self, actor: Actor, permission: Permission):
        self.actor = actor
        self.permission = permission
        super().__init__(f"{actor.username} ({actor.role.value}) may not {permission.value.replace('_', ' ')}.")


def require(actor: Actor, permission: Permission) -> None:
    """Refuse unless ``actor`` holds ``permission``."""
    if not actor.may(permission):
        raise PermissionDenied(actor, permission)
