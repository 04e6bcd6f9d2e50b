"""Files on records in the app (issue 15), in AppTest on each backend: staff attach a photo to a hazard on the
Records page and see its thumbnail and the hazard's count of files; a file that is not a photo is refused
with its name under the uploader and nothing is stored; finance get no uploader (Records is not among their
pages; the enterprise file shows the photos read-only); a file is removed with a reason, and not without one.

The tests write in the module's own copy of the demo park (``demo_app_url``), each on its own hazard of one
enterprise, so they do not depend on their order; one signed-in app per user and page is shared."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from io import BytesIO

import pytest
from PIL import Image
from sqlalchemy import func, select, text
from sqlmodel import Session, col
from streamlit.testing.v1 import AppTest

from dashboard.clock import park_today
from dashboard.i18n import CATALOGS
from dashboard.services.attachments import attach
from dashboard.services.permissions import Actor
from dashboard.services.record_lookup import records_of
from dashboard.views.forms_common import plain
from models import Attachment, Hazard, Role
from tests.apptest import open_app, texts
from tests.records import in_session

ZH = CATALOGS["zh"]
STAFF = Actor("staff", Role.staff)


def jpeg(colour: str = "orange") -> bytes:
    out = BytesIO()
    Image.new("RGB", (64, 48), colour).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture(scope="module")
def enterprise(demo_app_url: str) -> tuple[int, list[int]]:
    """An enterprise of the demo park with at least four hazards: its id, and its hazards as the Records page
    lists them (newest first; the first is the one the page picks)."""
    def find(session: Session) -> tuple[int, list[int]]:
        firms = session.execute(select(Hazard.enterprise_id).group_by(col(Hazard.enterprise_id))
                                .having(func.count() >= 4).order_by(col(Hazard.enterprise_id))).scalars()
        firm = int(next(iter(firms)))
        return firm, [int(i) for i in records_of(session, "hazard", firm)["id"]]

    found: tuple[int, list[int]] = in_session(demo_app_url, find)
    return found


@pytest.fixture(scope="module")
def signed_in(demo_app_url: str, enterprise: tuple[int, list[int]]) -> Iterator[Callable[[str, str], AppTest]]:
    """The app signed in as a user on a page (the enterprise picked), opened once per backend and shared."""
    opened: dict[tuple[str, str], AppTest] = {}

    def app(username: str, page: str) -> AppTest:
        if (username, page) not in opened:
            opened[(username, page)] = open_app(username, page=page, language="zh",
                                                query={"enterprise": str(enterprise[0])})
        at = opened[(username, page)]
        at.run()
        assert not at.exception, at.exception
        return at

    yield app
    opened.clear()


def pick_hazard(at: AppTest, hazard_id: int) -> None:
    at.selectbox(key="hz._pick").set_value(hazard_id).run()
    assert not at.exception, at.exception


def live_files(url: str, hazard_id: int) -> list[Attachment]:
    def read(session: Session) -> list[Attachment]:
        rows = list(session.execute(select(Attachment).where(col(Attachment.entity) == "hazard",
                                                             col(Attachment.entity_id) == hazard_id,
                                                             col(Attachment.removed_at).is_(None))).scalars())
        session.expunge_all()
        return rows

    found: list[Attachment] = in_session(url, read)
    return found


def hazard_list_count(at: AppTest, hazard_id: int) -> int:
    for frame in at.dataframe:
        shown = frame.value
        if "files" in shown.columns and "severity" in shown.columns:
            return int(shown.loc[shown["id"] == hazard_id, "files"].iloc[0])
    raise AssertionError("no hazard list with a count of files")


def test_staff_attach_a_photo_to_a_hazard_and_see_its_thumbnail_and_count(
    signed_in: Callable[[str, str], AppTest], enterprise: tuple[int, list[int]], demo_app_url: str,
) -> None:
    hazard_id = enterprise[1][0]
    at = signed_in("staff", "records")
    pick_hazard(at, hazard_id)
    assert hazard_list_count(at, hazard_id) == 0
    before = len(at.image)
    at.file_uploader(key=f"evidence.hazard.{hazard_id}.found.files.0").set_value(
        [("site.jpg", jpeg(), "image/jpeg")]).run()
    at.button(key=f"evidence.hazard.{hazard_id}.found.attach.0").click().run()
    assert not at.exception, at.exception
    assert ZH["evidence.attached"].format(count=1) in texts(at)
    assert [f.original_name for f in live_files(demo_app_url, hazard_id)] == ["site.jpg"]
    assert len(at.image) > before  # its thumbnail (and in the worklist too, when the hazard is listed there)
    assert hazard_list_count(at, hazard_id) == 1
    assert "site.jpg" in texts(at)  # its caption, with who uploaded it and when the server received it


def test_a_file_that_is_not_a_photo_is_refused_under_the_uploader_and_nothing_is_stored(
    signed_in: Callable[[str, str], AppTest], enterprise: tuple[int, list[int]], demo_app_url: str,
) -> None:
    hazard_id = enterprise[1][1]
    at = signed_in("staff", "records")
    pick_hazard(at, hazard_id)
    at.file_uploader(key=f"evidence.hazard.{hazard_id}.rectified.files.0").set_value(
        [("good.jpg", jpeg(), "image/jpeg"), ("evil.jpg", b"<html><script>alert(1)</script></html>", "image/jpeg")]
    ).run()
    at.button(key=f"evidence.hazard.{hazard_id}.rectified.attach.0").click().run()
    assert not at.exception, at.exception
    errors = "\n".join(str(e.value) for e in at.error)
    assert ZH["evidence.not_attached"] in errors
    assert "evil.jpg" in errors and "good.jpg" not in errors  # the bad file is named; the good one is fine
    assert live_files(demo_app_url, hazard_id) == []  # all or none: the good file is not stored either


def test_finance_get_no_uploader_and_see_the_photos_read_only_in_the_enterprise_file(
    signed_in: Callable[[str, str], AppTest], enterprise: tuple[int, list[int]], demo_app_url: str,
) -> None:
    hazard_id = enterprise[1][2]
    in_session(demo_app_url, lambda s: attach(session=s, actor=STAFF, table="hazard", record_id=hazard_id,
                                               stage="found", files=[("board.jpg", jpeg("red"))]))
    file = signed_in("finance", "scorecards")
    file.selectbox(key="scorecards.files.hazard").set_value(hazard_id).run()
    assert not file.exception, file.exception
    assert "board.jpg" in texts(file) and file.image
    assert not file.file_uploader
    assert not [b for b in file.button if str(b.key).endswith(".remove")]  # nobody removes files there


def test_a_file_is_removed_with_a_reason_and_not_without_one(
    signed_in: Callable[[str, str], AppTest], enterprise: tuple[int, list[int]], demo_app_url: str,
) -> None:
    hazard_id = enterprise[1][3]
    stored = in_session(demo_app_url, lambda s: attach(
        session=s, actor=STAFF, table="hazard", record_id=hazard_id, stage="found",
        files=[("wrong.jpg", jpeg("blue"))])[0].id)
    at = signed_in("staff", "records")
    pick_hazard(at, hazard_id)
    base = f"evidence.hazard.{hazard_id}.found.{stored}"
    at.button(key=f"{base}.remove").click().run()
    assert not at.exception, at.exception
    assert ZH["evidence.not_removed"] in "\n".join(str(e.value) for e in at.error)  # the reason is required
    assert [f.id for f in live_files(demo_app_url, hazard_id)].count(stored) == 1
    at.text_input(key=f"{base}.reason").input("attached to the wrong hazard").run()
    at.button(key=f"{base}.remove").click().run()
    assert not at.exception, at.exception
    assert ZH["evidence.removed"].format(name="wrong.jpg") in texts(at)
    assert stored not in [f.id for f in live_files(demo_app_url, hazard_id)]
    assert "wrong.jpg" not in "\n".join(str(c.value) for c in at.caption)


def test_the_signs_tab_of_the_enterprise_file_shows_the_board_as_its_last_check_saw_it(
    demo_app_url: str,
) -> None:
    """A sign's row counts the files of its last check, and picking the sign shows them (the demo park's boards)."""
    def a_photographed_last_check(session: Session) -> tuple[int, int, int, str]:
        return tuple(session.execute(text(  # type: ignore[return-value]
            "SELECT s.enterprise_id, s.id, c.id, a.original_name FROM attachment a "
            "JOIN sign_check c ON a.entity = 'sign_check' AND a.entity_id = c.id "
            "JOIN safety_sign s ON s.id = c.safety_sign_id "
            "WHERE a.removed_at IS NULL AND c.checked_on <= :today AND NOT EXISTS ("
            "  SELECT 1 FROM sign_check later WHERE later.safety_sign_id = c.safety_sign_id"
            "  AND later.checked_on <= :today AND (later.checked_on, later.id) > (c.checked_on, c.id)) "
            "ORDER BY s.enterprise_id, s.id LIMIT 1"), {"today": park_today()}).one())

    enterprise_id, sign_id, _check, name = in_session(demo_app_url, a_photographed_last_check)
    file = open_app("committee", page="scorecards", language="zh", query={"enterprise": str(enterprise_id)})
    assert not file.exception, file.exception
    signs = next(frame.value for frame in file.dataframe
                 if "kind" in frame.value.columns and "location" in frame.value.columns)
    assert int(signs.loc[signs["id"] == sign_id, "files"].iloc[0]) >= 1
    file.selectbox(key="scorecards.files.sign_check").set_value(sign_id).run()
    assert not file.exception, file.exception
    assert plain(name) in texts(file) and file.image  # its caption (markdown escapes the underscores)
