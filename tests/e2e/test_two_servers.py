"""Two ``park-safety serve`` processes on one PostgreSQL database (the README's several app servers): an edit
saved through one server's page shows on the other server's next run of the page, though that server had
the old figures cached; and so does a photo uploaded through one server (files are kept in the database, no
disk is shared), which the other server's browser opens large."""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, col, select

from dashboard.db import make_engine
from dashboard.i18n import CATALOGS
from models import Enterprise
from models.enums import EnterpriseStatus
from tests.e2e.conftest import Screenshots, fresh_pg_database, shown_text, signed_in
from tests.e2e.evidence import (
    IMAGE,
    a_major_hazard_awaiting_verification,
    loaded,
    open_in_worklist,
    phone_photo,
    thumbnail,
    tile,
    upload_after_rectification,
)
from tests.e2e.server import ServerDidNotStart, serve_dashboard, settle

ZH = CATALOGS["zh"]
WAIT_MS = 30_000


@pytest.fixture(scope="module")
def two_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, str]]:
    """Two servers on one fresh PostgreSQL database: (server 1's URL, server 2's URL, the database URL).
    The second starts once the first has migrated and seeded the database."""
    with fresh_pg_database() as database_url:
        try:
            with serve_dashboard(tmp_path_factory.mktemp("server1"), database_url=database_url) as first, \
                    serve_dashboard(tmp_path_factory.mktemp("server2"), database_url=database_url) as second:
                yield first, second, database_url
        except ServerDidNotStart as error:
            pytest.fail(str(error))


def _an_operating_enterprise(database_url: str) -> Enterprise:
    engine = make_engine(database_url)
    with Session(engine, expire_on_commit=False) as session:
        enterprise = session.exec(select(Enterprise).where(Enterprise.status == EnterpriseStatus.operating)
                                  .order_by(col(Enterprise.id).desc())).first()
    engine.dispose()
    assert enterprise is not None
    return enterprise


def _phone_line(phone: str) -> re.Pattern[str]:
    """The file's line "联系电话 <phone>"."""
    return re.compile(rf"^\s*{re.escape(ZH['scorecards.field.phone'])}\s*{re.escape(phone)}\s*$")


def test_a_phone_corrected_through_one_server_shows_on_the_other_after_a_rerun(
    two_servers: tuple[str, str, str], browser: Any, screenshots: Screenshots,
) -> None:
    first, second, database_url = two_servers
    assert first != second
    enterprise = _an_operating_enterprise(database_url)
    new_phone = f"139{random.randrange(10**8):08d}"
    assert new_phone != enterprise.phone
    file_path = f"scorecards?enterprise={enterprise.id}"

    # committee on server 2 opens the enterprise's file: the phone on record (now in server 2's caches)
    committee_context, committee = signed_in(browser, second, "committee")
    committee.goto(f"{second}/{file_path}")
    settle(committee)
    main = committee.locator("[data-testid='stMain']")
    expect(main.locator("h1")).to_have_text(enterprise.name, timeout=WAIT_MS)
    phone_line = main.locator("p", has=committee.locator("strong", has_text=ZH["scorecards.field.phone"]))
    expect(phone_line).to_have_text(_phone_line(enterprise.phone))

    # staff on server 1 corrects the phone through the Records page
    staff_context, staff = signed_in(browser, first, "staff")
    staff.goto(f"{first}/records?enterprise={enterprise.id}")
    settle(staff)
    staff.get_by_role("tab", name=ZH["records.tab.enterprise"], exact=True).click()
    form = staff.locator("[role='tabpanel']:visible")
    phone = form.get_by_role("textbox", name=re.compile("^联系电话"))
    expect(phone).to_have_value(enterprise.phone, timeout=WAIT_MS)
    phone.fill(new_phone)
    form.get_by_role("button", name=ZH["records.save_changes"]).click()
    settle(staff)
    expect(staff.get_by_text(shown_text("records.flash.enterprise_saved", name=enterprise.name))).to_be_visible(
        timeout=WAIT_MS)
    staff_context.close()

    # server 2's next run of the page shows the new phone, not the old one it had cached
    committee.evaluate("document.activeElement?.blur()")
    committee.keyboard.press("r")  # Streamlit's "Rerun": the same session runs the page again
    settle(committee)
    expect(main.locator("h1")).to_have_text(enterprise.name, timeout=WAIT_MS)
    expect(phone_line).to_have_text(_phone_line(new_phone), timeout=WAIT_MS)
    assert committee.locator("[data-testid='stException']").count() == 0
    screenshots.take(committee, "postgresql-two-servers-server2-file")
    committee_context.close()


def test_a_photo_uploaded_through_one_server_shows_on_the_other_and_opens_large(
    two_servers: tuple[str, str, str], browser: Any, screenshots: Screenshots, today: date,
) -> None:
    first, second, database_url = two_servers
    hazard = a_major_hazard_awaiting_verification(database_url, today)
    name = "IMG_20261117_101500.jpg"

    # admin on server 2 opens the hazard: its photo as found, none after (server 2 now has that list cached)
    admin_context, admin = signed_in(browser, second, "admin")
    seen = open_in_worklist(admin, second, hazard)
    loaded(thumbnail(seen, hazard.found_photo))
    expect(thumbnail(seen, name)).to_have_count(0)

    # staff on server 1 uploads the photo after rectification
    staff_context, staff = signed_in(browser, first, "staff")
    upload_after_rectification(staff, open_in_worklist(staff, first, hazard), name, phone_photo())
    staff_context.close()

    # server 2's next run of the page shows its thumbnail, and opens it large
    admin.evaluate("document.activeElement?.blur()")
    admin.keyboard.press("r")  # Streamlit's "Rerun": the same session runs the page again
    settle(admin)
    width, height = loaded(thumbnail(seen, name))
    assert 0 < width < height, f"the thumbnail is {width} × {height}"
    tile(seen, name).get_by_role("button", name=ZH["evidence.open"], exact=True).click()
    dialog = admin.get_by_role("dialog")
    expect(dialog.get_by_text(ZH["evidence.large_title"], exact=True)).to_be_visible(timeout=WAIT_MS)
    large_width, large_height = loaded(dialog.locator(IMAGE))
    assert width < large_width < large_height, f"the photo opened large is {large_width} × {large_height}"
    expect(dialog.locator(IMAGE)).to_have_attribute("alt", f"{ZH['enum.attachment_stage.rectified']} · {name}")
    assert admin.locator("[data-testid='stException']").count() == 0
    screenshots.take(admin, "postgresql-two-servers-server2-photo-large")
    admin_context.close()
