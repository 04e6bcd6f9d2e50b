"""HTML, script and markdown payloads in every free-text field a user can type, written into a demo park
through the services (so every record is a valid one), one distinct payload per field.

Each payload carries a marker (``F01`` ...) so a test can tell which field it is looking at. The four
kinds: an ``<img onerror>``, a ``<script>``, an attribute break-out into ``<svg onload>`` and markdown
(bold plus a ``javascript:`` link). Shown as text, each payload reads exactly as written; rendered as
markup, its literal text is gone from the page (and, for the HTML kinds, an element or a dialog appears).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session

from dashboard.db import make_engine
from dashboard.services.enterprises import create_enterprise
from dashboard.services.hazard_workflow import transition_hazard
from dashboard.services.loan_overrides import create_override
from dashboard.services.permissions import SYSTEM, Actor
from dashboard.services.records import create_record, record_inspection
from dashboard.services.users import add_user
from models import Enterprise, Hazard, SafetySign
from models.enums import Role
from tests.records import with_check_character

USERNAME = "xss.admin"
PASSWORD = "xss-admin-password"
USCC = with_check_character("91330100MA7X5K5Q1")


def img(marker: str) -> str:
    return f"<img src=x onerror=alert('{marker}')> _{marker}_"


def script(marker: str) -> str:
    return f"<script>alert('{marker}')</script> _{marker}_"


def svg(marker: str) -> str:
    return f"\"><svg onload=alert('{marker}')> _{marker}_"


def markdown(marker: str) -> str:
    return f"**{marker}** [{marker}](javascript:alert('{marker}'))"


@dataclass(frozen=True)
class Field:
    marker: str
    table: str
    name: str
    text: str  # the payload as stored (the services strip surrounding whitespace; none has any)


# every free-text field of models/ a user can type (a username is letters, digits and ``_.-`` only, and
# a park's and its plots' names come with the park, not from a form), with the payload kind it gets
_KINDS: tuple[tuple[str, Callable[[str], str]], ...] = (
    ("enterprise.name", img), ("enterprise.name_en", script), ("enterprise.legal_rep", svg),
    ("enterprise.safety_lead", markdown), ("enterprise.phone", svg), ("enterprise.license_no", markdown),
    ("safety_sign.location", markdown), ("sign_check.checked_by", img),
    ("inspection.inspector", script), ("inspection.notes", markdown),
    ("hazard.description", markdown), ("hazard.responsible_person", img), ("hazard.measures", script),
    ("hazard.contingency_plan", svg),
    ("verified_hazard.description", img), ("verified_hazard.verified_by", markdown),
    ("hazard_transition.reason", svg),
    ("accident.description", script), ("enforcement.note", markdown), ("dishonesty_listing.reason", img),
    ("loan_override.reason", markdown), ("app_user.display_name", markdown),
)


def _fields() -> dict[str, Field]:
    fields = {}
    for number, (field, kind) in enumerate(_KINDS, start=1):
        marker = f"XSS{number:02d}"  # S is not in a credit code's alphabet: no demo code contains a marker
        table, name = field.split(".")
        fields[field] = Field(marker, table, name, kind(marker))
    return fields


FIELDS: dict[str, Field] = _fields()


def text(field: str) -> str:
    """The payload stored in ``field`` (``table.name``)."""
    return FIELDS[field].text


@dataclass(frozen=True)
class Written:
    enterprise_id: int
    hazard_id: int
    verified_hazard_id: int


def write_payloads(database_url: str, day: date) -> Written:
    """One new enterprise holding a payload in every free-text field, with one record of each kind, and an
    administrator ``USERNAME`` whose display name is a payload. Written as the system (records) and as a
    finance user (the loan override), dated from ``day``; returns the ids the pages are opened with."""
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            model = session.get(Enterprise, 1)
            assert model is not None, "the demo park has no enterprise 1"
            enterprise = create_enterprise(session=session, actor=SYSTEM, data={
                "uscc": USCC,
                "name": text("enterprise.name"), "name_en": text("enterprise.name_en"),
                "industry": model.industry, "plot_id": model.plot_id, "lat": model.lat, "lon": model.lon,
                "legal_rep": text("enterprise.legal_rep"), "safety_lead": text("enterprise.safety_lead"),
                "phone": text("enterprise.phone"), "employees": 40,
                "license_no": text("enterprise.license_no"), "license_expires_on": day + timedelta(days=400),
            })
            session.flush()
            enterprise_id = int(enterprise.id or 0)
            sign = create_record(session=session, actor=SYSTEM, table="safety_sign", data={
                "enterprise_id": enterprise_id, "kind": "publicity_board", "location": text("safety_sign.location"),
                "installed_on": day - timedelta(days=60)})
            assert isinstance(sign, SafetySign)
            create_record(session=session, actor=SYSTEM, table="sign_check", data={
                "safety_sign_id": sign.id, "checked_on": day - timedelta(days=10), "condition": "good",
                "checked_by": text("sign_check.checked_by")})
            _, (hazard, verified, stopped) = record_inspection(session=session, actor=SYSTEM, inspection={
                "enterprise_id": enterprise_id, "inspected_on": day - timedelta(days=20), "tier": "park",
                "inspector": text("inspection.inspector"), "notes": text("inspection.notes"),
            }, hazards=[
                {"category": "fire", "severity": "major", "description": text("hazard.description"),
                 "responsible_person": text("hazard.responsible_person"), "measures": text("hazard.measures"),
                 "funds_yuan": 5000, "deadline": day + timedelta(days=30),
                 "contingency_plan": text("hazard.contingency_plan")},
                {"category": "electrical", "severity": "general", "description": text("verified_hazard.description"),
                 "responsible_person": "王强", "deadline": day + timedelta(days=10)},
                {"category": "other", "severity": "general", "description": "Work stopped, see the reason",
                 "responsible_person": "李娜", "deadline": day + timedelta(days=60)},
            ])
            session.flush()
            verified = transition_hazard(session=session, actor=SYSTEM, hazard_id=int(verified.id or 0),
                                         version=verified.version, transition="rectify", today=day,
                                         rectified_on=day - timedelta(days=5))
            session.flush()
            transition_hazard(session=session, actor=SYSTEM, hazard_id=int(verified.id or 0),
                              version=verified.version, transition="verify", today=day,
                              verified_on=day - timedelta(days=2), verified_by=text("verified_hazard.verified_by"))
            stopped = transition_hazard(session=session, actor=SYSTEM, hazard_id=int(stopped.id or 0),
                                        version=stopped.version, transition="start_rectifying", today=day)
            session.flush()
            transition_hazard(session=session, actor=SYSTEM, hazard_id=int(stopped.id or 0), version=stopped.version,
                              transition="stop_rectifying", today=day, reason=text("hazard_transition.reason"))
            create_record(session=session, actor=SYSTEM, table="accident", data={
                "enterprise_id": enterprise_id, "occurred_on": day - timedelta(days=30), "serious_injuries": 1,
                "direct_loss_yuan": 20000, "description": text("accident.description")})
            create_record(session=session, actor=SYSTEM, table="training", data={
                "enterprise_id": enterprise_id, "held_on": day - timedelta(days=40), "audience": "all_staff",
                "attendees": 30, "hours": 4})
            create_record(session=session, actor=SYSTEM, table="enforcement", data={
                "enterprise_id": enterprise_id, "decided_on": day - timedelta(days=25), "action": "fine",
                "fine_yuan": 10000, "note": text("enforcement.note")})
            create_record(session=session, actor=SYSTEM, table="dishonesty_listing", data={
                "enterprise_id": enterprise_id, "listed_on": day - timedelta(days=24),
                "reason": text("dishonesty_listing.reason")})
            create_override(session=session, actor=Actor("finance", Role.finance), today=day, data={
                "enterprise_id": enterprise_id, "decision": "eligible", "reason": text("loan_override.reason"),
                "expires_on": day + timedelta(days=60)})
            add_user(session=session, actor=SYSTEM, data={
                "username": USERNAME, "display_name": text("app_user.display_name"), "role": "admin",
                "password": PASSWORD})
            session.commit()
            assert session.get(Hazard, int(hazard.id or 0)) is not None
            return Written(enterprise_id, int(hazard.id or 0), int(verified.id or 0))
    finally:
        engine.dispose()
