"""Files saved with a new record (issue 15), on the Records page in AppTest, on each backend: a new hazard with two
photos is one save, its record and its two files (整改前), and its gallery shows them; one bad file among good ones
stores nothing, no record either, names the file and keeps what was typed; a record refused stores none of its
files; every other create form (a sign's check, an inspection, an accident, a training, an enforcement) saves its
files as the record's evidence; and a tab whose session ended saves neither the record nor its files.

Each test that saves writes in a database of its own (``fresh_park``)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from io import BytesIO
from typing import Any

import pytest
from PIL import Image
from sqlalchemy import select
from sqlmodel import Session, col
from streamlit.testing.v1 import AppTest

from dashboard.db import make_engine
from dashboard.i18n import CATALOGS
from models import Attachment, AuditLog, Hazard, Inspection, SafetySign
from tests.apptest import open_app, texts
from tests.records import row_counts
from tests.test_app_records import an_enterprise, error_after, unchanged, written
from tests.test_app_session_at_write import ENDINGS, shows_sign_in_form_saying_why

EN = CATALOGS["en"]
ZH = CATALOGS["zh"]
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
NOT_A_PHOTO = ("“{}” is not a photo (JPEG, PNG, WebP or HEIC) or a PDF document, whatever its name says; only those "
               "can be attached.")


def jpeg(colour: str = "orange") -> bytes:
    out = BytesIO()
    Image.new("RGB", (64, 48), colour).save(out, "JPEG")
    return out.getvalue()


def pdf() -> bytes:
    out = BytesIO()
    Image.new("RGB", (595, 842), "white").save(out, "PDF")
    return out.getvalue()


def _read(url: str, work: Callable[[Session], Any]) -> Any:
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            return work(session)
    finally:
        engine.dispose()


def files_of(url: str, table: str, record_id: int) -> list[tuple[str, str]]:
    """The record's live files, (name, stage), in the order uploaded."""
    return _read(url, lambda s: [(a.original_name, str(a.stage)) for a in s.execute(
        select(Attachment).where(col(Attachment.entity) == table, col(Attachment.entity_id) == record_id,
                                 col(Attachment.removed_at).is_(None)).order_by(col(Attachment.id))).scalars()])


def stored_files(url: str) -> dict[str, int]:
    """How many attachment rows and copies the database holds."""
    engine = make_engine(url)
    try:
        return row_counts(engine, "attachment", "attachment_blob")
    finally:
        engine.dispose()


def newest(url: str, model: Any, enterprise_id: int) -> Any:
    return _read(url, lambda s: s.execute(select(model).where(col(model.enterprise_id) == enterprise_id)
                                          .order_by(col(model.id).desc()).limit(1)).scalar_one())


def upload(at: AppTest, key: str, *files: tuple[str, bytes]) -> None:
    at.file_uploader(key=key).set_value([(name, data, "image/jpeg") for name, data in files])


def fill_hazard(at: AppTest, today: date, description: str) -> None:
    at.selectbox(key="hz.category").set_value("fire")
    at.text_area(key="hz.description").set_value(description)
    at.text_input(key="hz.responsible_person").set_value("Li Na")
    at.date_input(key="hz.deadline").set_value(today)


def errors(at: AppTest) -> str:
    return "\n".join(str(e.value) for e in at.error)


def test_a_new_hazard_is_saved_with_two_photos_and_its_gallery_shows_them(fresh_park: str, today: date) -> None:
    enterprise = an_enterprise(fresh_park)
    at = open_app("staff", page="records", language="en", query={"enterprise": str(enterprise.id)})
    fill_hazard(at, today, "Extinguisher missing by the loading bay")
    upload(at, "hz._new.files.0", ("bay.jpg", jpeg("red")), ("wall.jpg", jpeg("blue")))
    at.button(key="hz._submit").click().run()
    assert not at.exception, at.exception
    assert not at.error, errors(at)

    hazard = newest(fresh_park, Hazard, enterprise.id or 0)
    assert hazard.description == "Extinguisher missing by the loading bay"
    assert files_of(fresh_park, "hazard", hazard.id) == [("bay.jpg", "found"), ("wall.jpg", "found")]
    attached = [json.loads(a.after_json or "{}") | {"by": a.username} for a in _read(fresh_park, lambda s: list(
        s.execute(select(AuditLog).where(col(AuditLog.action) == "attach")).scalars()))]
    assert [(a["by"], a["original_name"]) for a in attached if a["entity"] == "hazard" and
            a["entity_id"] == hazard.id] == [("staff", "bay.jpg"), ("staff", "wall.jpg")]  # as attach audits them
    assert EN["records.flash.hazard_created"].format(id=hazard.id) in texts(at)
    assert EN["records.flash.with_files"].format(count=2) in texts(at)
    assert at.text_area(key="hz.description").value == ""  # the form is ready for the next hazard
    assert not at.file_uploader(key="hz._new.files.1").value  # and its uploader is empty

    at.selectbox(key="hz._pick").set_value(hazard.id).run()  # the hazard's gallery, under the list
    assert not at.exception, at.exception
    ids = _read(fresh_park, lambda s: list(s.execute(select(col(Attachment.id)).where(
        col(Attachment.entity) == "hazard", col(Attachment.entity_id) == hazard.id)).scalars()))
    tiles = {str(b.key) for b in at.button}
    assert {f"evidence.hazard.{hazard.id}.found.{i}.open" for i in ids} <= tiles  # each photo, opened large
    shown = "\n".join(str(c.value) for c in at.caption)
    assert "bay.jpg" in shown and "wall.jpg" in shown


def test_one_bad_file_stores_nothing_names_the_file_and_keeps_the_form(fresh_park: str, today: date) -> None:
    enterprise = an_enterprise(fresh_park)
    at = open_app("staff", page="records", language="en", query={"enterprise": str(enterprise.id)})
    before, files = written(fresh_park), stored_files(fresh_park)
    fill_hazard(at, today, "Blocked fire exit in workshop 2")
    upload(at, "hz._new.files.0", ("good.jpg", jpeg()), ("evil.jpg", HTML))
    at.button(key="hz._submit").click().run()
    assert not at.exception, at.exception

    assert unchanged(before, written(fresh_park))  # no hazard, no audit row, the data revision as it was
    assert stored_files(fresh_park) == files  # and not the good file either
    assert error_after(at, "hz._new.files.0") == NOT_A_PHOTO.format("evil.jpg")
    assert "good.jpg" not in errors(at)
    assert EN["records.not_saved"].format(count=1) in errors(at)
    assert at.text_area(key="hz.description").value == "Blocked fire exit in workshop 2"
    assert at.text_input(key="hz.responsible_person").value == "Li Na"
    assert at.selectbox(key="hz.category").value == "fire"
    assert [f.name for f in at.file_uploader(key="hz._new.files.0").value] == ["good.jpg", "evil.jpg"]

    # the bad file taken out, the same form saves the hazard with the good one
    upload(at, "hz._new.files.0", ("good.jpg", jpeg()))
    at.button(key="hz._submit").click().run()
    assert not at.exception and not at.error, errors(at)
    hazard = newest(fresh_park, Hazard, enterprise.id or 0)
    assert hazard.description == "Blocked fire exit in workshop 2"
    assert files_of(fresh_park, "hazard", hazard.id) == [("good.jpg", "found")]


def test_a_refused_record_stores_none_of_its_files_and_both_problems_are_shown_in_chinese(
    fresh_park: str, today: date,
) -> None:
    enterprise = an_enterprise(fresh_park)
    at = open_app("staff", page="records", language="zh", query={"enterprise": str(enterprise.id)})
    before, files = written(fresh_park), stored_files(fresh_park)
    at.text_area(key="hz.description").set_value("配电箱未上锁")  # no category, no one responsible
    at.date_input(key="hz.deadline").set_value(today)
    upload(at, "hz._new.files.0", ("配电箱.jpg", jpeg()), ("通知.jpg", HTML))
    at.button(key="hz._submit").click().run()
    assert not at.exception, at.exception

    assert unchanged(before, written(fresh_park)) and stored_files(fresh_park) == files
    assert error_after(at, "hz.category") == "隐患类别为必填项。"
    assert error_after(at, "hz._new.files.0").startswith("“通知.jpg”不是照片")  # examined with the record's fields
    assert "配电箱.jpg" not in errors(at)
    assert at.text_area(key="hz.description").value == "配电箱未上锁"


def latest_file(url: str, table: str) -> tuple[int, str, str]:
    """The record of ``table`` a file was last attached to, that file's name and its stage."""
    return _read(url, lambda s: tuple(s.execute(
        select(col(Attachment.entity_id), col(Attachment.original_name), col(Attachment.stage))
        .where(col(Attachment.entity) == table).order_by(col(Attachment.id).desc()).limit(1)).one()))


def saved_with_a_file(at: AppTest, url: str, table: str, name: str, flash: str = "created") -> None:
    """The last save made a record of ``table`` with the one file ``name``, as its evidence, and said so."""
    assert not at.exception and not at.error, errors(at)
    record_id, stored, stage = latest_file(url, table)
    assert (stored, stage) == (name, "evidence")
    assert files_of(url, table, record_id) == [(name, "evidence")]
    if flash:
        assert ZH[f"records.flash.{flash}"].format(id=record_id, count=0) in texts(at)
    assert ZH["records.flash.with_files"].format(count=1) in texts(at)


def test_every_other_create_form_saves_its_files_as_the_records_evidence(fresh_park: str) -> None:
    enterprise = an_enterprise(fresh_park)
    eid = enterprise.id or 0
    at = open_app("staff", page="records", language="zh", query={"enterprise": str(eid)})

    # a sign checked today, with a photo of the sign (the photo picked in the sign's popover)
    sign = newest(fresh_park, SafetySign, eid)
    upload(at, f"check.{sign.id}._new.files.0", ("标志.jpg", jpeg("green")))
    at.run()
    assert at.button(key=f"check.{sign.id}.go").label == ZH["records.checked_today_files"].format(count=1)
    at.button(key=f"check.{sign.id}.go").click().run()
    saved_with_a_file(at, fresh_park, "sign_check", "标志.jpg", flash="")
    assert at.button(key=f"check.{sign.id}.go").label == ZH["records.checked_today"]  # its uploader emptied

    # an inspection that found no hazard, with its report
    at.text_input(key="inspection.inspector").set_value("王强")
    at.file_uploader(key="inspection._new.files.0").set_value([("检查报告.pdf", pdf(), "application/pdf")])
    at.button(key="inspection._submit").click().run()
    assert newest(fresh_park, Inspection, eid).id == latest_file(fresh_park, "inspection")[0]
    saved_with_a_file(at, fresh_park, "inspection", "检查报告.pdf", flash="inspection_created")

    # an accident (its form is not an st.form: the level follows the numbers as they are typed)
    at.number_input(key="accident.serious_injuries").set_value(1)
    at.text_area(key="accident.description").set_value("叉车撞伤一人")
    upload(at, "accident._new.files.0", ("现场.jpg", jpeg("gray")))
    at.button(key="accident._save").click().run()
    saved_with_a_file(at, fresh_park, "accident", "现场.jpg")

    # a training and an enforcement
    at.number_input(key="training.attendees").set_value(12)
    at.number_input(key="training.hours").set_value(4.0)
    upload(at, "training._new.files.0", ("签到表.jpg", jpeg("white")))
    at.button(key="training._submit").click().run()
    saved_with_a_file(at, fresh_park, "training", "签到表.jpg")
    upload(at, "enforcement._new.files.0", ("决定书.jpg", jpeg("yellow")))
    at.button(key="enforcement._submit").click().run()
    saved_with_a_file(at, fresh_park, "enforcement", "决定书.jpg")


@pytest.mark.parametrize("ending", list(ENDINGS))
def test_a_hazard_with_photos_from_a_tab_whose_session_ended_writes_nothing(
    fresh_park: str, today: date, ending: str,
) -> None:
    enterprise = an_enterprise(fresh_park)
    at = open_app("staff", page="records", language="en", query={"enterprise": str(enterprise.id)})
    assert not at.exception
    fill_hazard(at, today, "Written by a tab whose session ended")
    upload(at, "hz._new.files.0", ("site.jpg", jpeg()), ("board.jpg", jpeg("red")))
    ENDINGS[ending](fresh_park, at, "staff")
    before, files = written(fresh_park), stored_files(fresh_park)

    at.button(key="hz._submit").click().run()  # the save runs in the button's callback, before app.py

    assert not at.exception
    assert shows_sign_in_form_saying_why(at), texts(at)
    assert unchanged(before, written(fresh_park))
    assert stored_files(fresh_park) == files
