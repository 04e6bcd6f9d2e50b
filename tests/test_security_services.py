"""Every write service × every role, on each database: exactly what DESIGN.md section 1 allows a role
succeeds (and is audited); anything else raises ``PermissionDenied`` and leaves every table as it was,
even when the caller commits after the refusal.

The expected matrix below is written from DESIGN.md, not read from ``dashboard.services.permissions``:

- committee: "must never ... edit records" — and writes nothing else (no loans, users or settings).
- finance: "a recorded, reasoned override"; "must never ... edit safety records". Section 4.6: "Only
  finance and admin can record one [a loan override]".
- staff: "record inspections, hazards and their rectification, signs, accidents, training,
  enforcement; bulk import; correct mistakes"; "must never ... override loan decisions, manage users".
  Section 5: Settings (rules) is the administrator's page.
- admin: "users and roles, settings, backups"; must never: "—" (section 5 gives admin every page,
  Records and the Loan desk's override form included).
- files attached to records (issue 15): attached by those who edit the records; "Remove a mistaken file: its
  uploader or an administrator" — here the file was uploaded by the system, so only an administrator removes it.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable
from datetime import date
from io import BytesIO
from typing import Any

import pytest
from PIL import Image
from sqlalchemy import Engine, text
from sqlalchemy import inspect as sa_inspect
from sqlmodel import Session

import dashboard.services
from dashboard.services import (
    attachments,
    backup,
    enterprises,
    hazard_workflow,
    hazard_worklist,
    hazards,
    imports,
    loan_overrides,
    records,
    rule_settings,
    users,
)
from dashboard.services.permissions import SYSTEM, Actor, PermissionDenied
from models import AppUser, Enterprise, Hazard, Park
from models.enums import Role
from tests.records import (
    PARK_BOUNDARY,
    USCC_A,
    USCC_B,
    USCC_C,
    enforcement_data,
    enterprise_data,
    general_hazard_data,
)

TODAY = date(2026, 6, 1)
Ids = dict[str, int]
Operation = Callable[[Session, Actor, Ids], object]


# --- the records each operation works on -----------------------------------------------------------


def _sign(eid: int, **changes: Any) -> dict[str, Any]:
    return {"enterprise_id": eid, "kind": "publicity_board", "location": "Main gate", "installed_on": "2026-01-05",
            **changes}


def _check(sign_id: int, **changes: Any) -> dict[str, Any]:
    return {"safety_sign_id": sign_id, "checked_on": "2026-04-01", "condition": "good", "checked_by": "王强",
            **changes}


def _inspection(eid: int, **changes: Any) -> dict[str, Any]:
    return {"enterprise_id": eid, "inspected_on": "2026-04-02", "tier": "park", "inspector": "陈明", **changes}


def _accident(eid: int, **changes: Any) -> dict[str, Any]:
    return {"enterprise_id": eid, "occurred_on": "2026-02-03", "serious_injuries": 1, "direct_loss_yuan": 20000,
            "description": "Hand caught in a press", "cause_identified": True, **changes}


def _training(eid: int, **changes: Any) -> dict[str, Any]:
    return {"enterprise_id": eid, "held_on": "2026-05-20", "audience": "all_staff", "attendees": 48, "hours": 4,
            **changes}


def _listing(eid: int, **changes: Any) -> dict[str, Any]:
    return {"enterprise_id": eid, "listed_on": "2026-01-10", "reason": "Concealed an accident", **changes}


CHILD_DATA: dict[str, Callable[..., dict[str, Any]]] = {
    "safety_sign": _sign, "inspection": _inspection, "accident": _accident, "training": _training,
    "enforcement": lambda eid, **changes: enforcement_data(enterprise_id=eid, **changes),
    "dishonesty_listing": _listing,
}
CHANGED: dict[str, dict[str, Any]] = {"safety_sign": {"location": "East gate"}, "inspection": {"inspector": "周涛"},
           "accident": {"deaths": 1}, "training": {"attendees": 52}, "enforcement": {"fine_yuan": 60000},
           "dishonesty_listing": {"reason": "Concealed an accident; fined"}}
HAZARD_STATES = {"h_start": (), "h_stop": ("start_rectifying",), "h_rectify": (), "h_verify": ("rectify",),
                 "h_reopen": ("rectify", "verify")}


def _move(session: Session, actor: Actor, hazard_id: int, transition: str) -> Hazard:
    hazard = session.get(Hazard, hazard_id)
    assert hazard is not None
    return hazard_workflow.transition_hazard(
        session=session, actor=actor, hazard_id=hazard_id, version=hazard.version, transition=transition,
        today=TODAY, rectified_on=date(2026, 3, 10), verified_on=date(2026, 3, 12), verified_by="park office",
        reason="Found the exit blocked again")


def _id(row: object) -> int:
    return int(getattr(row, "id", 0) or 0)


def build_park(engine: Engine) -> Ids:
    """A small park made by the system actor: a record of every kind for each operation to act on."""
    ids: Ids = {}
    with Session(engine, expire_on_commit=False) as s:
        s.add(Park(name="临江化工园区", name_en="Linjiang Chemical Park", boundary_geojson=PARK_BOUNDARY,
                   center_lat=30.25, center_lon=120.15, accident_target_per_year=1))
        s.flush()
        ids["e1"] = enterprises.create_enterprise(session=s, actor=SYSTEM, data=enterprise_data()).id or 0
        ids["e2"] = enterprises.create_enterprise(
            session=s, actor=SYSTEM, data=enterprise_data(uscc=USCC_B, name="临江机械制造有限公司")).id or 0
        eid = ids["e1"]
        for name in ("h_update", *HAZARD_STATES):
            ids[name] = hazards.create_hazard(session=s, actor=SYSTEM, data=general_hazard_data(eid)).id or 0
        for name, moves in HAZARD_STATES.items():
            for transition in moves:
                _move(s, SYSTEM, ids[name], transition)
        for table, build in CHILD_DATA.items():
            for suffix in ("update", "delete"):
                ids[f"{table}_{suffix}"] = _id(records.create_record(session=s, actor=SYSTEM, table=table,
                                                                     data=build(eid)))
        sign = ids["safety_sign_update"]
        for suffix in ("update", "delete"):
            ids[f"sign_check_{suffix}"] = _id(records.create_record(session=s, actor=SYSTEM, table="sign_check",
                                                                    data=_check(sign)))
        ids["attachment"] = attachments.attach(session=s, actor=SYSTEM, table="hazard", record_id=ids["h_update"],
                                               stage="found", files=[("board.png", _png())])[0].id or 0
        ids["override"] = loan_overrides.create_override(
            session=s, actor=SYSTEM, today=date(2026, 5, 1),
            data={"enterprise_id": eid, "decision": "eligible", "reason": "Bank visit done",
                  "expires_on": "2026-09-30"}).id or 0
        for role in Role:
            users.add_user(session=s, actor=SYSTEM, data={"username": role.value, "display_name": role.value,
                                                           "role": role, "password": "park-demo"})
        ids["target_user"] = users.add_user(session=s, actor=SYSTEM, data={
            "username": "wang", "display_name": "王芳", "role": "staff", "password": "park-demo"}).id or 0
        s.commit()
    return ids


def _png() -> bytes:
    out = BytesIO()
    Image.new("RGB", (8, 8), "green").save(out, "PNG")
    return out.getvalue()


# --- the operations ------------------------------------------------------------------------------


def _version(session: Session, table: type[Enterprise] | type[Hazard], row_id: int) -> int:
    row = session.get(Enterprise, row_id) if table is Enterprise else session.get(Hazard, row_id)
    assert row is not None
    return int(row.version)


def _hazard_update(s: Session, a: Actor, ids: Ids) -> object:
    hazard = s.get(Hazard, ids["h_update"])
    assert hazard is not None
    data = {**hazard.model_dump(exclude={"id", "created_at", "updated_at"}), "description": "Exit cleared, re-check"}
    return hazards.update_hazard(session=s, actor=a, hazard_id=ids["h_update"], data=data)


def _transition(name: str, target: str) -> Operation:
    return lambda s, a, ids: _move(s, a, ids[target], name)


def _child_data(table: str, ids: Ids) -> dict[str, Any]:
    if table == "sign_check":
        return _check(ids["safety_sign_update"], checked_on="2026-05-01")
    return CHILD_DATA[table](ids["e1"])


def _child_ops(table: str) -> dict[str, Operation]:
    """Create, correct and delete one record of a child table."""
    changes = {**CHANGED, "sign_check": {"condition": "damaged"}}[table]

    def create(s: Session, a: Actor, ids: Ids) -> object:
        return records.create_record(session=s, actor=a, table=table, data=_child_data(table, ids))

    def update(s: Session, a: Actor, ids: Ids) -> object:
        return records.update_record(session=s, actor=a, table=table, record_id=ids[f"{table}_update"],
                                     data={**_child_data(table, ids), **changes})

    def delete(s: Session, a: Actor, ids: Ids) -> object:
        records.delete_record(session=s, actor=a, table=table, record_id=ids[f"{table}_delete"])
        return None

    return {f"{table}.create": create, f"{table}.update": update, f"{table}.delete": delete}


def _record_ops() -> dict[str, Operation]:
    ops: dict[str, Operation] = {}
    for table in (*CHILD_DATA, "sign_check"):
        ops.update(_child_ops(table))
    return ops


def _import(s: Session, a: Actor, ids: Ids) -> object:
    data = ("uscc,held_on,audience,attendees,hours\r\n"
            f"{USCC_A},2026-05-21,principal,2,8\r\n").encode()
    report = imports.import_table(session=s, actor=a, table="training", filename="training.csv", data=data)
    assert report.written, report.problems
    return report


def _import_file(s: Session, a: Actor, ids: Ids) -> object:
    """The page's and the command line's import: it checks, then writes in a transaction of its own."""
    data = ("uscc,held_on,audience,attendees,hours\r\n"
            f"{USCC_A},2026-05-22,principal,3,8\r\n").encode()
    engine = s.get_bind()
    assert isinstance(engine, Engine)
    report = imports.import_file(engine=engine, actor=a, table="training", filename="training.csv", data=data)
    assert report.written, report.problems
    return report


RECORD_OPERATIONS: dict[str, Operation] = {
    "enterprise.create": lambda s, a, ids: enterprises.create_enterprise(
        session=s, actor=a, data=enterprise_data(uscc=USCC_C, name="临江建材有限公司")),
    "enterprise.update": lambda s, a, ids: enterprises.update_enterprise(
        session=s, actor=a, enterprise_id=ids["e1"],
        data=enterprise_data(employees=130, version=_version(s, Enterprise, ids["e1"]))),
    "enterprise.close": lambda s, a, ids: enterprises.close_enterprise(
        session=s, actor=a, enterprise_id=ids["e2"], version=_version(s, Enterprise, ids["e2"])),
    "hazard.create": lambda s, a, ids: hazards.create_hazard(
        session=s, actor=a, data=general_hazard_data(ids["e1"], category="electrical")),
    "hazard.update": _hazard_update,
    "hazard.start_rectifying": _transition("start_rectifying", "h_start"),
    "hazard.stop_rectifying": _transition("stop_rectifying", "h_stop"),
    "hazard.rectify": _transition("rectify", "h_rectify"),
    "hazard.verify": _transition("verify", "h_verify"),
    "hazard.reopen": _transition("reopen", "h_reopen"),
    "hazard.expose": lambda s, a, ids: hazard_worklist.set_public_exposure(
        session=s, actor=a, hazard_id=ids["h_update"], version=_version(s, Hazard, ids["h_update"]), exposed=True),
    **_record_ops(),
    "inspection.record_with_hazards": lambda s, a, ids: records.record_inspection(
        session=s, actor=a, inspection=_inspection(ids["e1"], inspected_on="2026-05-05"),
        hazards=[{"category": "signage", "severity": "general", "description": "Board faded",
                  "responsible_person": "王强", "deadline": "2026-05-20"}]),
    "import.training": _import,
    "import.file": _import_file,
    "attachment.attach": lambda s, a, ids: attachments.attach(
        session=s, actor=a, table="hazard", record_id=ids["h_update"], stage="rectified",
        files=[("after.png", _png())]),
    "attachment.create_with_files": lambda s, a, ids: attachments.create_with_files(
        session=s, actor=a, table="training", stage="evidence", files=[("sign-in sheet.png", _png())],
        create=lambda: records.create_record(session=s, actor=a, table="training",
                                             data=_training(ids["e1"], held_on="2026-05-22"))),
}
OTHERS_FILES_OPERATIONS: dict[str, Operation] = {
    "attachment.remove": lambda s, a, ids: attachments.remove_attachment(
        session=s, actor=a, attachment_id=ids["attachment"], reason="Photo of another enterprise's board"),
}
LOAN_OPERATIONS: dict[str, Operation] = {
    "loan_override.create": lambda s, a, ids: loan_overrides.create_override(
        session=s, actor=a, today=TODAY,
        data={"enterprise_id": ids["e1"], "decision": "ineligible", "reason": "Major hazard reported by the bank",
              "expires_on": "2026-08-01"}),
    "loan_override.end": lambda s, a, ids: loan_overrides.end_override(
        session=s, actor=a, override_id=ids["override"], today=TODAY),
}
USER_OPERATIONS: dict[str, Operation] = {
    "user.add": lambda s, a, ids: users.add_user(session=s, actor=a, data={
        "username": "zhou", "display_name": "周静", "role": "finance", "password": "long-enough-1"}),
    "user.change_role": lambda s, a, ids: users.change_role(
        session=s, actor=a, user_id=ids["target_user"], role=Role.committee),
    "user.deactivate": lambda s, a, ids: users.set_active(
        session=s, actor=a, user_id=ids["target_user"], active=False),
    "user.reset_password": lambda s, a, ids: users.reset_password(
        session=s, actor=a, user_id=ids["target_user"], password="another-password"),
}
RULE = "loan_override_max_days"
SETTINGS_OPERATIONS: dict[str, Operation] = {
    "rules.save": lambda s, a, ids: rule_settings.save_rules(session=s, actor=a, changes={RULE: 90}),
    "rules.reset": lambda s, a, ids: rule_settings.reset_rules(session=s, actor=a, names=[RULE]),
    "rules.reset_one": lambda s, a, ids: rule_settings.reset_rule(session=s, actor=a, name=RULE),
    "backup.audit": lambda s, a, ids: backup.audit_backup(session=s, actor=a, size=4096),
}
# reset: "rules.save" runs first for a role that may, so the resets have something to put back.
OPERATIONS: dict[str, Operation] = {**RECORD_OPERATIONS, **LOAN_OPERATIONS, **USER_OPERATIONS,
                                    **OTHERS_FILES_OPERATIONS,
                                    **{"rules.save": SETTINGS_OPERATIONS["rules.save"],
                                       "rules.reset": SETTINGS_OPERATIONS["rules.reset"],
                                       "rules.save_again": SETTINGS_OPERATIONS["rules.save"],
                                       "rules.reset_one": SETTINGS_OPERATIONS["rules.reset_one"],
                                       "backup.audit": SETTINGS_OPERATIONS["backup.audit"]}}
SETTINGS = frozenset({"rules.save", "rules.reset", "rules.save_again", "rules.reset_one", "backup.audit"})

# The matrix, from DESIGN.md section 1 (see the module docstring); not from the permissions module.
RECORDS = frozenset(RECORD_OPERATIONS)
LOANS = frozenset(LOAN_OPERATIONS)
USERS = frozenset(USER_OPERATIONS)
OTHERS_FILES = frozenset(OTHERS_FILES_OPERATIONS)
EVERYTHING = frozenset(OPERATIONS)
ALLOWED: dict[Role, frozenset[str]] = {
    Role.admin: EVERYTHING,
    Role.staff: RECORDS,
    Role.finance: LOANS,
    Role.committee: frozenset(),
}

# Functions that take an ``actor`` but write nothing: the audit trail's reads (their own matrix is the
# Audit page's, tested in tests/e2e/test_security_pages.py).
READS = {"audit_log.audit_page", "audit_log.audit_entries", "audit_log.audit_choices",
         "attachments.read_copy"}  # its matrix: tests/test_attachments.py
# Building blocks a write service calls after its own check (the check itself, the audit row, the one way a
# record is inserted, changed or deleted).
HELPERS = {"permissions.require", "audit.record_audit", "writes.insert_audited", "writes.update_audited",
           "writes.delete_audited", "attachments.delete_attachments_of"}
COVERED = {
    "enterprises.create_enterprise", "enterprises.update_enterprise", "enterprises.close_enterprise",
    "hazards.create_hazard", "hazards.update_hazard", "hazard_workflow.transition_hazard",
    "hazard_worklist.set_public_exposure", "records.create_record", "records.update_record",
    "records.delete_record", "records.record_inspection", "imports.import_table", "imports.import_file",
    "loan_overrides.create_override", "loan_overrides.end_override", "users.add_user", "users.change_role",
    "users.set_active", "users.reset_password", "rule_settings.save_rules", "rule_settings.reset_rules",
    "rule_settings.reset_rule", "backup.audit_backup", "attachments.attach", "attachments.remove_attachment",
    "attachments.create_with_files",
}


def test_the_matrix_names_every_operation_and_every_service_that_acts_for_a_user() -> None:
    assert RECORDS | LOANS | USERS | SETTINGS | OTHERS_FILES == EVERYTHING
    assert {name.split(".")[0] for name in RECORDS} >= {
        "enterprise", "hazard", "safety_sign", "sign_check", "inspection", "accident", "training", "enforcement",
        "dishonesty_listing", "import"}
    assert {name.split(".", 1)[1] for name in RECORDS if name.startswith("hazard.")} >= set(
        hazard_workflow.TRANSITIONS)
    acting = set()
    for module_info in pkgutil.iter_modules(dashboard.services.__path__):
        module = importlib.import_module(f"dashboard.services.{module_info.name}")
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if (function.__module__ == module.__name__ and not name.startswith("_")
                    and "actor" in inspect.signature(function).parameters):
                acting.add(f"{module_info.name}.{name}")
    assert acting - READS - HELPERS == COVERED, "a service acting for a user is missing from the matrix"


def dump(engine: Engine) -> dict[str, list[tuple[str, ...]]]:
    """Every row of every table, read on a new connection (only committed rows count)."""
    tables = sorted(sa_inspect(engine).get_table_names())
    with engine.connect() as connection:
        return {table: sorted(tuple(map(repr, row)) for row in connection.execute(text(f'SELECT * FROM "{table}"')))
                for table in tables}


def audit_rows(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text("SELECT count(*) FROM audit_log")).scalar_one())


@pytest.mark.parametrize("role", list(Role))
def test_each_role_may_write_exactly_what_design_allows(engine: Engine, role: Role) -> None:
    ids = build_park(engine)
    actor = Actor(role.value, role)
    outcomes: dict[str, str] = {}
    for name, operation in OPERATIONS.items():
        before = dump(engine)
        with Session(engine, expire_on_commit=False) as session:
            try:
                operation(session, actor, ids)
            except PermissionDenied as denied:
                assert denied.actor == actor
                outcomes[name] = "denied"
                session.commit()  # a caller that commits after the refusal still writes nothing
                after = dump(engine)
                assert after == before, f"{role.value}: refused {name} changed " + ", ".join(
                    table for table in before if before[table] != after[table])
                continue
            session.commit()
        outcomes[name] = "done"
        assert dump(engine) != before, f"{role.value}: {name} changed nothing"
        assert audit_rows(engine) > len(before["audit_log"]), f"{role.value}: {name} wrote no audit row"
    assert {name for name, outcome in outcomes.items() if outcome == "done"} == ALLOWED[role]


def test_a_refused_user_change_leaves_the_account_as_it_was(engine: Engine) -> None:
    """The affected row itself, read back: a staff member cannot promote, deactivate or re-password anyone."""
    ids = build_park(engine)
    with Session(engine) as s:
        row = s.get(AppUser, ids["target_user"])
        assert row is not None
        before = (row.role, row.active, row.password_hash)
    for operation in USER_OPERATIONS.values():
        with Session(engine) as s, pytest.raises(PermissionDenied):
            operation(s, Actor("staff", Role.staff), ids)
    with Session(engine) as s:
        row = s.get(AppUser, ids["target_user"])
        assert row is not None
        assert (row.role, row.active, row.password_hash) == before
        assert s.execute(text("SELECT count(*) FROM app_user WHERE username = 'zhou'")).scalar_one() == 0
