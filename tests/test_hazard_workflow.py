"""The hazard closed loop through the service, on each database: each transition asks for what it
needs, refuses what DESIGN.md 4.2 does not allow with the field named, writes nothing when refused,
audits before and after (with the reason), and never overwrites another user's save."""

from __future__ import annotations

import json
from datetime import date
from io import BytesIO
from typing import Any

import pytest
from PIL import Image
from sqlalchemy import Engine, select
from sqlmodel import Session, col

from dashboard.services.attachments import attach, remove_attachment
from dashboard.services.hazard_workflow import allowed_transitions, transition_hazard
from dashboard.services.hazards import create_hazard
from dashboard.services.permissions import Actor, PermissionDenied
from dashboard.services.rule_settings import save_rules
from dashboard.settings import get_settings
from models import AuditLog, Enterprise, Hazard, RecordInvalid, Role
from models.enums import HazardStatus
from tests.records import data_revision, major_hazard_data, row_counts

STAFF = Actor("li.staff", Role.staff)
TODAY = date(2026, 6, 30)


def move(engine: Engine, hazard_id: int, transition: str, actor: Actor = STAFF, **fields: Any) -> Hazard:
    with Session(engine, expire_on_commit=False) as s:
        version = fields.pop("version", None) or s.get(Hazard, hazard_id).version  # type: ignore[union-attr]
        row = transition_hazard(session=s, actor=actor, hazard_id=hazard_id, version=version,
                                transition=transition, today=TODAY, **fields)
        s.commit()
    return row


def refused(engine: Engine, hazard_id: int, transition: str, **fields: Any) -> list[tuple[str, str]]:
    before = (row_counts(engine, "audit_log"), data_revision(engine))
    with Session(engine) as s:
        stored = s.get(Hazard, hazard_id)
        assert stored is not None
        snapshot = (stored.status, stored.rectified_on, stored.verified_on, stored.version)
    with pytest.raises(RecordInvalid) as caught:
        move(engine, hazard_id, transition, **fields)
    with Session(engine) as s:
        stored = s.get(Hazard, hazard_id)
        assert stored is not None
        assert (stored.status, stored.rectified_on, stored.verified_on, stored.version) == snapshot
    assert (row_counts(engine, "audit_log"), data_revision(engine)) == before
    return [(p.field, p.code) for p in caught.value.problems]


def test_the_whole_loop_and_reopening(engine: Engine, hazard: Hazard) -> None:
    hid = hazard.id or 0
    assert allowed_transitions(HazardStatus.open) == ["start_rectifying", "rectify"]
    assert move(engine, hid, "start_rectifying").status == HazardStatus.rectifying
    rectified = move(engine, hid, "rectify", rectified_on=date(2026, 3, 10))
    assert (rectified.status, rectified.rectified_on) == (HazardStatus.rectified, date(2026, 3, 10))
    verified = move(engine, hid, "verify", verified_on=date(2026, 3, 12), verified_by=" 园区安监科 张工 ")
    assert (verified.status, verified.verified_by) == (HazardStatus.verified, "园区安监科 张工")
    reopened = move(engine, hid, "reopen", reason="复查发现消防通道再次被堵")
    assert (reopened.status, reopened.rectified_on, reopened.verified_on, reopened.verified_by) == (
        HazardStatus.open, None, None, None)
    with Session(engine) as s:
        rows = s.execute(select(AuditLog).where(col(AuditLog.entity) == "hazard", col(AuditLog.entity_id) == hid)
                         .order_by(col(AuditLog.id))).scalars().all()
    assert [r.action for r in rows] == ["create", "start_rectifying", "rectify", "verify", "reopen"]
    last_before, last_after = json.loads(rows[-1].before_json or "{}"), json.loads(rows[-1].after_json or "{}")
    assert (last_before["verified_on"], last_before["verified_by"]) == ("2026-03-12", "园区安监科 张工")
    assert last_after["reason"] == "复查发现消防通道再次被堵"


def test_open_can_be_rectified_directly_and_rectifying_can_stop(engine: Engine, hazard: Hazard) -> None:
    hid = hazard.id or 0
    move(engine, hid, "start_rectifying")
    assert refused(engine, hid, "stop_rectifying", reason="  ") == [("reason", "required")]
    assert move(engine, hid, "stop_rectifying", reason="承包商撤场").status == HazardStatus.open
    assert move(engine, hid, "rectify", rectified_on=date(2026, 3, 2)).status == HazardStatus.rectified


@pytest.mark.parametrize(("transition", "fields", "problems"), [
    ("verify", {"verified_on": date(2026, 3, 12), "verified_by": "张工"}, [("status", "transition_refused")]),
    ("reopen", {"reason": "x"}, [("status", "transition_refused")]),
    ("stop_rectifying", {"reason": "x"}, [("status", "transition_refused")]),
    ("rectify", {}, [("rectified_on", "required")]),
    ("rectify", {"rectified_on": date(2026, 3, 1)}, [("rectified_on", "date_before")]),
    ("rectify", {"rectified_on": date(2026, 7, 1)}, [("rectified_on", "in_the_future")]),
    ("close", {}, [("status", "not_one_of")]),
])
def test_refused_transitions_change_nothing(
    engine: Engine, hazard: Hazard, transition: str, fields: dict[str, Any], problems: list[tuple[str, str]]
) -> None:
    assert refused(engine, hazard.id or 0, transition, **fields) == problems


def test_verification_needs_a_date_after_rectification_and_a_verifier(engine: Engine, hazard: Hazard) -> None:
    hid = hazard.id or 0
    move(engine, hid, "rectify", rectified_on=date(2026, 3, 10))
    assert refused(engine, hid, "verify", verified_on=date(2026, 3, 9), verified_by="") == [
        ("verified_on", "date_before"), ("verified_by", "required")]
    assert refused(engine, hid, "rectify", rectified_on=date(2026, 3, 11)) == [("status", "transition_refused")]


def test_a_stale_version_is_refused(engine: Engine, hazard: Hazard) -> None:
    hid = hazard.id or 0
    move(engine, hid, "start_rectifying")  # another user's save: version 1 -> 2
    assert refused(engine, hid, "rectify", rectified_on=date(2026, 3, 10), version=1) == [("version", "stale_version")]


def test_only_staff_and_admin_may_move_hazards(engine: Engine, enterprise: Enterprise) -> None:
    with Session(engine, expire_on_commit=False) as s:
        major = create_hazard(session=s, actor=STAFF, data=major_hazard_data(enterprise.id or 0))
        s.commit()
    for role in (Role.committee, Role.finance):
        with pytest.raises(PermissionDenied):
            move(engine, major.id or 0, "start_rectifying", actor=Actor("x", role))
    assert move(engine, major.id or 0, "start_rectifying", actor=Actor("root", Role.admin)).status == "rectifying"


def test_a_refused_transition_is_explained_in_both_languages(engine: Engine, hazard: Hazard) -> None:
    with Session(engine) as s, pytest.raises(RecordInvalid) as caught:
        transition_hazard(session=s, actor=STAFF, hazard_id=hazard.id or 0, version=1, transition="verify",
                          today=TODAY, verified_on=date(2026, 3, 12), verified_by="张工")
    assert caught.value.messages("en") == [
        "A hazard that is “Open” cannot become “Verified (closed)”: only a hazard that is "
        "“Rectified, awaiting verification” can."]
    assert caught.value.messages("zh") == ["隐患当前为“未整改”,不能改为“已验收销号”:只有“已整改待验收”的隐患可以。"]
    with Session(engine) as s, pytest.raises(RecordInvalid) as caught:
        transition_hazard(session=s, actor=STAFF, hazard_id=hazard.id or 0, version=1, transition="rectify",
                          today=TODAY, rectified_on=date(2026, 7, 2))
    assert caught.value.messages("zh") == ["整改完成日期(2026-07-02)不能晚于今天(2026-06-30)。"]


# --- verifying a major hazard needs a file of its rectification (整改后) ---------------------------------


def _major_rectified(engine: Engine, enterprise: Enterprise) -> int:
    with Session(engine, expire_on_commit=False) as s:
        major = create_hazard(session=s, actor=STAFF, data=major_hazard_data(enterprise.id or 0))
        s.commit()
    move(engine, major.id or 0, "rectify", rectified_on=date(2026, 4, 20))
    return major.id or 0


def _photo() -> bytes:
    out = BytesIO()
    Image.new("RGB", (32, 24), (90, 140, 60)).save(out, "JPEG")
    return out.getvalue()


def _attach(engine: Engine, hazard_id: int, stage: str) -> int:
    with Session(engine) as s:
        attached = attach(session=s, actor=STAFF, table="hazard", record_id=hazard_id, stage=stage,
                          files=[("after.jpg", _photo())])
        s.commit()
        return attached[0].id or 0


VERIFY = {"verified_on": date(2026, 4, 25), "verified_by": "园区安监科 张工"}


def test_a_major_hazard_without_a_rectification_photo_is_not_verified(engine: Engine, enterprise: Enterprise) -> None:
    hid = _major_rectified(engine, enterprise)
    assert refused(engine, hid, "verify", **VERIFY) == [("files", "verify_needs_photo")]
    _attach(engine, hid, "found")  # a photo of the hazard as found is not one of its rectification
    assert refused(engine, hid, "verify", **VERIFY) == [("files", "verify_needs_photo")]
    removed = _attach(engine, hid, "rectified")
    with Session(engine) as s:
        remove_attachment(session=s, actor=STAFF, attachment_id=removed, reason="另一处隐患的照片")
        s.commit()
    assert refused(engine, hid, "verify", **VERIFY) == [("files", "verify_needs_photo")]  # a removed one neither
    _attach(engine, hid, "rectified")
    assert move(engine, hid, "verify", **VERIFY).status == HazardStatus.verified


def test_the_missing_photo_is_explained_in_both_languages_beside_the_other_problems(
    engine: Engine, enterprise: Enterprise
) -> None:
    hid = _major_rectified(engine, enterprise)
    with Session(engine) as s, pytest.raises(RecordInvalid) as caught:
        transition_hazard(session=s, actor=STAFF, hazard_id=hid, version=2, transition="verify", today=TODAY,
                          verified_on=date(2026, 4, 25), verified_by=" ")
    assert [p.field for p in caught.value.problems] == ["verified_by", "files"]
    assert caught.value.messages("zh")[1] == (
        "重大隐患须有整改后的照片或文件方可验收销号:请先在“整改后”阶段上传附件(规则设置“重大隐患须有整改后照片方可销号”)。")
    assert caught.value.messages("en")[1] == (
        "A major hazard is verified only with a photo or document of its rectification: attach one at the stage "
        "“rectified” (after) first. The rule setting “verify_needs_photo” asks for it.")


def test_a_general_hazard_is_verified_without_a_photo(engine: Engine, hazard: Hazard) -> None:
    move(engine, hazard.id or 0, "rectify", rectified_on=date(2026, 3, 10))
    assert move(engine, hazard.id or 0, "verify", **VERIFY).status == HazardStatus.verified


def test_with_the_setting_off_in_the_app_a_major_hazard_is_verified_without_a_photo(
    engine: Engine, enterprise: Enterprise
) -> None:
    hid = _major_rectified(engine, enterprise)
    with Session(engine) as s:
        save_rules(session=s, actor=Actor("boss", Role.admin), changes={"verify_needs_photo": False})
        s.commit()
    assert move(engine, hid, "verify", **VERIFY).status == HazardStatus.verified


def test_with_the_setting_off_in_the_environment_a_major_hazard_is_verified_without_a_photo(
    engine: Engine, enterprise: Enterprise, monkeypatch: pytest.MonkeyPatch
) -> None:
    hid = _major_rectified(engine, enterprise)
    monkeypatch.setenv("PARK_SAFETY_RULES__VERIFY_NEEDS_PHOTO", "false")
    get_settings.cache_clear()
    assert get_settings().rules.verify_needs_photo is False
    assert move(engine, hid, "verify", **VERIFY).status == HazardStatus.verified
