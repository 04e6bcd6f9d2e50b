"""Every page of every role in a real browser: each demo user signs in, opens each of their pages from the
sidebar and again by its URL, and sees the page's title and its main content without an error; a
screenshot of each page goes to the run's screenshot folder. The risk map's canvas really draws the
risk colours its legend counts."""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, select

from dashboard.db import make_engine
from dashboard.i18n import CATALOGS
from dashboard.maps import RISK_RGB
from dashboard.navigation import PageSpec, pages_for
from dashboard.rules.loan_eligibility import STATUSES
from models import Park
from models.enums import Role
from tests.e2e.conftest import EXCEPTION, IDLE, NAV_LINK, Screenshots, backend_of, shown_text, signed_in
from tests.e2e.server import settle, until

ZH = CATALOGS["zh"]
MAIN = "[data-testid='stMain']"
METRIC_LABEL = "[data-testid='stMetricLabel']"
DATAFRAME = "[data-testid='stDataFrame']"
DECK_CHART = "[data-testid='stDeckGlJsonChart']"
DECK_CANVAS = f"{DECK_CHART} canvas"
WAIT_MS = 30_000

expect.set_options(timeout=WAIT_MS)


def _metric_labels(page: Any) -> list[str]:
    return [text.strip() for text in page.locator(f"{MAIN} {METRIC_LABEL}").all_inner_texts()]


def _tab_names(page: Any) -> list[str]:
    return [text.strip() for text in page.locator(f"{MAIN} [role='tab']").all_inner_texts()]


def _expect_metrics(page: Any, labels: list[str]) -> None:
    """Each of the metrics labelled ``labels`` shown (waiting for it: a page drawn on a busy machine can show
    the previous page's elements for a moment)."""
    for name in labels:
        exactly = re.compile(rf"^\s*{re.escape(name)}\s*$")
        expect(page.locator(f"{MAIN} {METRIC_LABEL}", has_text=exactly).first).to_be_visible()
    shown = _metric_labels(page)
    assert all(name in shown for name in labels), shown


def _overview(page: Any) -> None:
    kpis = ["enterprises", "signage", "on_time", "ineligible", "open", "overdue", "major", "accidents"]
    _expect_metrics(page, [ZH[f"overview.kpi.{kpi}"] for kpi in kpis])


def _risk_map(page: Any) -> None:
    # the map's element and its legend; that the map draws is the canvas test's below (deck.gl takes seconds
    # to start in a browser without a GPU)
    expect(page.locator(DECK_CHART)).to_be_visible()
    expect(page.get_by_text(ZH["risk_map.legend_empty_plot"], exact=True)).to_be_visible()


def _heatmaps(page: Any) -> None:
    for key in ("industry_month_title", "tier_month_title", "rectification_title"):
        expect(page.get_by_role("heading", name=ZH[f"heatmaps.{key}"])).to_be_visible()
    expect(page.locator(f"{MAIN} [data-testid='stVegaLiteChart']")).to_have_count(4)


def _scorecards(page: Any) -> None:
    expect(page.locator(f"{MAIN} {DATAFRAME}")).to_be_visible()
    expect(page.get_by_text(shown_text("scorecards.shown"))).to_be_visible()


def _loans(page: Any) -> None:
    _expect_metrics(page, [ZH[f"enum.loan_status.{status}"] for status in STATUSES] + [ZH["loans.overrides_metric"]])
    expect(page.locator(f"{MAIN} {DATAFRAME}").first).to_be_visible()


def _briefing(page: Any) -> None:
    for key in ("summary", "hazard_list", "work"):
        expect(page.get_by_role("heading", name=ZH[f"briefing.section.{key}"])).to_be_visible()
    expect(page.get_by_role("button", name=ZH["briefing.page.download_pdf"])).to_be_visible()
    expect(page.get_by_role("button", name=ZH["briefing.page.download_xlsx"])).to_be_visible()
    expect(page.locator(f"{MAIN} [data-testid='stVegaLiteChart']")).to_have_count(2)  # the documents' charts


def _records(page: Any) -> None:
    names = [ZH[f"records.tab.{tab}"] for tab in ("worklist", "enterprise", "signs", "inspection", "hazard",
                                                   "accident", "training", "enforcement", "dishonesty", "import")]
    expect(page.locator(f"{MAIN} [role='tab']").first).to_be_visible()
    assert _tab_names(page) == names


def _audit(page: Any) -> None:
    expect(page.locator(f"{MAIN} {DATAFRAME}").first).to_be_visible()
    expect(page.get_by_role("heading", name=shown_text("audit.matching"))).to_be_visible()


def _settings(page: Any) -> None:
    expect(page.locator(f"{MAIN} [role='tab']").first).to_be_visible()
    assert _tab_names(page) == [ZH[f"settings.tab.{tab}"] for tab in ("users", "rules", "backup")]
    expect(page.locator(f"{MAIN} {DATAFRAME}").first).to_be_visible()  # the accounts


CONTENT: dict[str, Callable[[Any], None]] = {
    "overview": _overview, "risk_map": _risk_map, "heatmaps": _heatmaps, "scorecards": _scorecards,
    "loans": _loans, "briefing": _briefing, "records": _records, "audit": _audit, "settings": _settings,
}


def _park_name(database_url: str) -> str:
    engine = make_engine(database_url)
    with Session(engine) as session:
        park = session.exec(select(Park)).first()
    engine.dispose()
    assert park is not None
    return park.name


def _check_page(page: Any, spec: PageSpec, park_name: str, how: str) -> None:
    """The page open, headed by its title, its main content there, and no error shown."""
    where = f"{spec.key} by {how}"
    title = ZH[f"page.{spec.key}"]
    expect(page.locator(f"{NAV_LINK}[aria-current='page'] span[label]")).to_have_attribute("label", title)
    # the overview is headed by the park's name; every other page by its title in the catalog
    expect(page.locator(f"{MAIN} h1").first).to_have_text(park_name if spec.key == "overview" else title)
    page.wait_for_selector(IDLE, timeout=60_000)
    CONTENT[spec.key](page)
    assert page.locator(EXCEPTION).count() == 0, where
    assert page.locator("[role='dialog']").count() == 0, where  # e.g. Streamlit's "Page not found"


@pytest.mark.parametrize("role", [Role.admin, Role.committee, Role.finance, Role.staff], ids=lambda r: r.value)
def test_every_page_of_a_role_opens_from_the_sidebar_and_by_its_url(
    served: tuple[str, str], browser: Any, screenshots: Screenshots, role: Role,
) -> None:
    url, database_url = served
    park_name = _park_name(database_url)
    specs = pages_for(role)
    context, page = signed_in(browser, url, role.value)
    links = page.locator(f"{NAV_LINK} span[label]")
    assert [links.nth(i).get_attribute("label") for i in range(links.count())] == [
        ZH[f"page.{spec.key}"] for spec in specs]
    for spec in specs:
        title = ZH[f"page.{spec.key}"]
        page.locator(NAV_LINK, has=page.locator(f"span[label='{title}']")).click()
        settle(page, 200)
        _check_page(page, spec, park_name, "the sidebar")

        # the default page (the first) is opened at the root, where its sidebar link points (/overview is checked by
        # tests/e2e/test_security_pages.py)
        page.goto(f"{url}/" if spec == specs[0] else f"{url}/{spec.url_path}")
        settle(page, 200)
        _check_page(page, spec, park_name, "its URL")
        if spec.key == "risk_map":  # a picture of the map as drawn
            expect(page.locator(DECK_CANVAS)).to_be_visible()
        screenshots.take(page, f"{backend_of(database_url)}-{role.value}-{spec.url_path}")
    context.close()


def _colours(png: bytes) -> tuple[dict[str, int], int]:
    """How many pixels of the picture are (close to) each of the four risk colours; how many colours it has."""
    from PIL import Image

    found = Image.open(io.BytesIO(png)).convert("RGB").getcolors(maxcolors=1 << 24) or []
    counts = dict.fromkeys(RISK_RGB, 0)
    for n, colour in found:
        assert isinstance(colour, tuple)
        r, g, b = colour[:3]
        for name, (cr, cg, cb) in RISK_RGB.items():
            if abs(r - cr) <= 30 and abs(g - cg) <= 30 and abs(b - cb) <= 30:
                counts[name] += n
    return counts, len(found)


def test_the_risk_map_canvas_draws_the_colours_its_legend_counts(
    served: tuple[str, str], browser: Any, screenshots: Screenshots,
) -> None:
    url, database_url = served
    context, page = signed_in(browser, url, "committee")
    page.goto(f"{url}/risk-map")
    settle(page)
    canvas = page.locator(DECK_CANVAS)
    expect(canvas).to_be_visible()
    box = canvas.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 300

    legend = page.locator(MAIN).inner_text()
    counted: dict[str, int] = {}
    for colour in RISK_RGB:
        found = re.search(re.escape(ZH[f"enum.risk_colour.{colour}"]) + r"\s*(\d+)", legend)
        assert found is not None, colour
        counted[colour] = int(found.group(1))
    assert sum(counted.values()) > 0

    # deck.gl draws after the script has finished: wait until the canvas shows every colour it should
    drawn: dict[str, int] = {}
    distinct = 0

    def every_colour_drawn() -> bool:
        nonlocal drawn, distinct
        drawn, distinct = _colours(canvas.screenshot())
        return all(drawn[colour] >= 50 for colour, n in counted.items() if n > 0)

    with contextlib.suppress(AssertionError):  # what is missing is named below
        until(page, every_colour_drawn, "the risk map's colours", timeout_s=15)
    screenshots.take(canvas, f"{backend_of(database_url)}-risk-map-canvas")
    assert all(drawn[colour] >= 50 for colour, n in counted.items() if n > 0), (counted, drawn)
    assert distinct > 50, distinct  # plots, points, heat and the boundary: far from a blank canvas
    context.close()


def test_the_committee_downloads_the_briefing_as_pdf_and_xlsx(
    served: tuple[str, str], browser: Any, screenshots: Screenshots,
) -> None:
    """The Briefing page's two buttons give the browser the documents, made on the click: a PDF headed with
    the park and the month on every page, and a workbook of one sheet per section."""
    from openpyxl import load_workbook
    from pypdf import PdfReader

    url, database_url = served
    park_name = _park_name(database_url)
    context, page = signed_in(browser, url, "committee")
    page.goto(f"{url}/briefing")
    settle(page)
    expect(page.get_by_role("heading", name=ZH["briefing.section.work"])).to_be_visible()
    with page.expect_download(timeout=60_000) as pdf_download:
        page.get_by_role("button", name=ZH["briefing.page.download_pdf"]).click()
    pdf = Path(pdf_download.value.path()).read_bytes()
    assert pdf_download.value.suggested_filename.endswith("-zh.pdf")
    pages = ["".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf)).pages]
    assert len(pages) >= 3
    assert all(park_name in text and f"页，共{len(pages)}页" in text for text in pages)

    page.get_by_text("English", exact=True).last.click()  # the document's language, not the page's
    settle(page)
    with page.expect_download(timeout=60_000) as xlsx_download:
        page.get_by_role("button", name=ZH["briefing.page.download_xlsx"]).click()
    assert xlsx_download.value.suggested_filename.endswith("-en.xlsx")
    book = load_workbook(io.BytesIO(Path(xlsx_download.value.path()).read_bytes()))
    assert book.sheetnames[0] == CATALOGS["en"]["briefing.sheet.summary"]
    screenshots.take(page, f"{backend_of(database_url)}-committee-briefing-downloads")
    context.close()
