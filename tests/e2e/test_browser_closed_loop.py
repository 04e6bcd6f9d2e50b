"""The closed loop in a real browser: a staff member records an inspection that found one hazard through
the Records page's form, and a committee member, in a browser of their own, finds that hazard in the
enterprise's scorecard file."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from playwright.sync_api import expect
from sqlalchemy import func
from sqlmodel import Session, col, select

from dashboard.db import make_engine
from dashboard.i18n import CATALOGS, format_date, set_language
from models import Enterprise, Hazard, Inspection
from models.enums import EnterpriseStatus, HazardCategory
from tests.e2e.conftest import Screenshots, backend_of, shown_text, signed_in
from tests.e2e.server import settle

ZH = CATALOGS["zh"]
WAIT_MS = 30_000


def _enterprise_and_counts(database_url: str) -> tuple[Enterprise, int, int]:
    """An operating enterprise of the demo park, and how many hazards and inspections it has."""
    engine = make_engine(database_url)
    with Session(engine, expire_on_commit=False) as session:
        enterprise = session.exec(select(Enterprise).where(Enterprise.status == EnterpriseStatus.operating)
                                  .order_by(col(Enterprise.id))).first()
        assert enterprise is not None
        hazards = session.exec(select(func.count()).select_from(Hazard)
                               .where(Hazard.enterprise_id == enterprise.id)).one()
        inspections = session.exec(select(func.count()).select_from(Inspection)
                                   .where(Inspection.enterprise_id == enterprise.id)).one()
    engine.dispose()
    return enterprise, int(hazards), int(inspections)


def _pick(page: Any, box: str, typed: str, option: str, within: Any = None) -> None:
    """Choose ``option`` in the select box labelled ``box`` (inside ``within``), after typing ``typed``
    to find it. The list of options opens outside the form, over the page."""
    combobox = (within or page).get_by_role("combobox", name=box, exact=True)
    combobox.click()
    combobox.fill(typed)
    page.get_by_role("option", name=option).click()


def _type_date(page: Any, field: str, day: date, within: Any = None) -> None:
    """Type a date into Streamlit's date field labelled ``field`` (a group of year/month/day spin buttons)."""
    group = (within or page).locator(f"[role='group'][aria-label^='{field}']")
    group.locator("[role='spinbutton']").first.click()
    page.keyboard.type(day.strftime("%Y%m%d"))


def test_an_inspection_recorded_by_staff_shows_in_the_committees_scorecard_file(
    served: tuple[str, str], browser: Any, screenshots: Screenshots, today: date
) -> None:
    url, database_url = served
    enterprise, hazards_before, inspections_before = _enterprise_and_counts(database_url)
    description = f"二号罐区静电接地线断开 {uuid.uuid4().hex[:6]}"
    category = ZH[f"enum.hazard_category.{HazardCategory.electrical.value}"]
    deadline = today + timedelta(days=30)
    backend = backend_of(database_url)

    # --- staff: the Records page, the enterprise, the inspection tab ---
    context, page = signed_in(browser, url, "staff")
    page.goto(f"{url}/records")
    settle(page)
    _pick(page, ZH["records.pick"], enterprise.uscc, f"{enterprise.name} · {enterprise.uscc}")
    settle(page)
    page.get_by_role("tab", name=ZH["records.tab.inspection"], exact=True).click()
    form = page.locator("[role='tabpanel']:visible")
    expect(form.get_by_text(ZH["records.new_heading.inspection"])).to_be_visible(timeout=WAIT_MS)

    form.get_by_role("textbox", name="检查人 *", exact=True).fill("园区安监站 李工")
    form.get_by_role("textbox", name="备注", exact=True).fill("浏览器端到端检查")
    _pick(page, "隐患类别 *", category, category, within=form)
    form.get_by_role("textbox", name="整改责任人 *", exact=True).fill("王设备")
    _type_date(page, "整改时限", deadline, within=form)
    form.get_by_role("textbox", name="隐患描述 *", exact=True).fill(description)
    form.get_by_role("button", name=ZH["records.create_inspection"]).click()
    settle(page)
    expect(page.get_by_text(shown_text("records.flash.inspection_created", count=1))).to_be_visible(timeout=WAIT_MS)
    assert page.locator("[data-testid='stException']").count() == 0
    screenshots.take(page, f"{backend}-closed-loop-staff-saved")
    context.close()

    # --- committee, in a browser of their own: the enterprise's scorecard file ---
    context, page = signed_in(browser, url, "committee")
    page.goto(f"{url}/scorecards?enterprise={enterprise.id}")
    settle(page)
    expect(page.locator("[data-testid='stMain'] h1")).to_have_text(enterprise.name, timeout=WAIT_MS)
    hazards_tab = page.get_by_role("tab", name=ZH["scorecards.tab.hazards"].format(count=hazards_before + 1))
    expect(hazards_tab).to_be_visible(timeout=WAIT_MS)
    expect(page.get_by_role("tab", name=ZH["scorecards.tab.inspections"].format(count=inspections_before + 1))
           ).to_be_visible()
    hazards_tab.click()
    settle(page)
    row = page.locator("[role='tabpanel']:visible [data-testid='stDataFrame'] tr", has_text=description)
    expect(row).to_have_count(1, timeout=WAIT_MS)
    set_language("zh")
    shown = row.inner_text()
    assert ZH["enum.hazard_state.open"] in shown and category in shown, shown
    assert format_date(today) in shown and format_date(deadline) in shown, shown  # found today, due in 30 days
    assert page.locator("[data-testid='stException']").count() == 0
    screenshots.take(page, f"{backend}-closed-loop-committee-file")
    context.close()
