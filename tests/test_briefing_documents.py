"""The briefing as documents, on the hand-built June 2026 park (``tests.park_builder.june_park``): the PDF
(every page headed with the park and the month and numbered, Chinese typeset in an embedded CJK font,
the figures and the people in it, each hazard followed up with its latest photo), the workbook (one sheet
per section, frozen headers, numbers as numbers, fitted widths, the charts as pictures), an empty month, a
park with no accidents, and the ``park-safety briefing`` command with its one-line errors."""

from __future__ import annotations

import base64
import io
import json
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import Engine, event
from sqlmodel import Session

from dashboard.briefing import briefing_document
from dashboard.briefing.pdf import briefing_html
from dashboard.briefing.sections import briefing_sections
from dashboard.cli import main
from dashboard.i18n import CATALOGS, set_language
from dashboard.services.attachments import attach, read_copy, remove_attachment
from dashboard.services.briefing import monthly_briefing
from dashboard.services.loan_desk import text_width
from dashboard.services.permissions import Actor
from dashboard.settings import RuleSettings
from models import Attachment, Enterprise, Park, RecordInvalid, Role

JUNE = date(2026, 6, 1)
TODAY = date(2026, 7, 10)
RULES = RuleSettings()
ZH, EN = CATALOGS["zh"], CATALOGS["en"]
STAFF = Actor("li.staff", Role.staff)
SECTIONS = ("summary", "hazards", "hazard_list", "colours", "accidents", "enforcement", "loans", "at_risk", "work")


def _document(session: Session, language: str, fmt: str, month: date = JUNE) -> bytes:
    set_language(language)
    try:
        return briefing_document(monthly_briefing(session, month, RULES, TODAY), RULES, fmt, TODAY)
    finally:
        set_language("zh")


def _pages(pdf: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_the_pdf_in_chinese_is_headed_numbered_and_typeset_in_a_cjk_font(session: Session,
                                                                          june_2026: dict[str, int]) -> None:
    pdf = _document(session, "zh", "pdf")
    assert pdf.startswith(b"%PDF")
    pages = _pages(pdf)
    assert len(pages) >= 3
    for number, text in enumerate(pages, start=1):
        flat = _flat(text)
        assert "临江化工园区" in flat and "2026年6月" in flat
        assert f"第{number}页，共{len(pages)}页" in flat
    whole = _flat("".join(pages))
    for key in SECTIONS:
        assert _flat(ZH[f"briefing.section.{key}"].format(count=2)) in whole
    assert "安全生产工作简报·2026年6月" in whole
    assert "孙立" in whole and "赵敏" in whole  # the responsible persons of the hazards followed up
    assert "2026-08-01" in whole  # H4's deadline
    assert "2家企业没有有效的安全生产宣传牌" not in whole and "1家企业没有有效的安全生产宣传牌" in whole
    assert "本月未发生生产安全事故。" in whole
    fonts = {str(font) for page in PdfReader(io.BytesIO(pdf)).pages
             for font in (page["/Resources"].get_object().get("/Font") or {}).values()
             for font in [font.get_object()["/BaseFont"]]}
    assert any("Noto-Sans-CJK" in font for font in fonts), fonts


def test_the_pdf_in_english(session: Session, june_2026: dict[str, int]) -> None:
    pages = _pages(_document(session, "en", "pdf"))
    for number, text in enumerate(pages, start=1):
        assert "Linjiang Chemical Park" in text and "Jun 2026" in text
        assert f"Page {number} of {len(pages)}" in text
    whole = " ".join(pages)
    assert "Work Safety Briefing · Jun 2026" in whole
    assert "Firm 1" in whole and "Firm 2" in whole
    assert "No accident happened in the month." in " ".join(whole.split())


def _rows(sheet: Worksheet) -> list[list[object]]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _find(sheet: Worksheet, first: str) -> list[object]:
    return next(row for row in _rows(sheet) if row and row[0] == first)


def test_the_workbook_has_a_sheet_per_section_numbers_as_numbers_and_fitted_widths(
    session: Session, june_2026: dict[str, int],
) -> None:
    book = load_workbook(io.BytesIO(_document(session, "zh", "xlsx")))
    assert book.sheetnames == [ZH[f"briefing.sheet.{key}"] for key in SECTIONS]
    summary = book[ZH["briefing.sheet.summary"]]
    assert summary["A1"].value == ZH["briefing.section.summary"]
    assert _find(summary, "园区企业")[1:] == [2, 2, 0, 2, 0]
    found = _find(summary, "本月排查发现隐患")[1:]
    assert found == [4, 1, 3, 0, 4]
    assert all(isinstance(value, int) for value in found)
    rate = _find(summary, "本月按期整改率")
    assert rate[1] == 0.5 and rate[2] == 0 and rate[3] == 50.0  # shares, and the change in points
    change = next(c for c in summary["D"] if c.value == 50.0)
    assert "个百分点" in change.number_format
    for sheet in book.worksheets:
        assert sheet.freeze_panes is not None, sheet.title
    listed = book[ZH["briefing.sheet.hazard_list"]]
    header_row = next(index for index, row in enumerate(_rows(listed), start=1) if row[0] == "企业")
    assert listed.freeze_panes == f"A{header_row + 1}"
    cells = {cell.value: cell for cell in listed[header_row + 1]}
    assert isinstance(cells[june_2026["H5"]].value, int)
    assert any(cell.number_format == "yyyy-mm-dd" for cell in listed[header_row + 1])
    for column in listed.iter_cols(min_row=header_row, max_row=listed.max_row):
        widest = max(text_width(cell.value) for cell in column if cell.value is not None)
        width = listed.column_dimensions[column[0].column_letter].width
        assert width >= min(widest, 40), (column[0].value, width, widest)
    assert len(book[ZH["briefing.sheet.hazards"]]._images) == 1  # the trend
    assert len(book[ZH["briefing.sheet.colours"]]._images) == 1  # the four colours
    work = _rows(book[ZH["briefing.sheet.work"]])
    assert any(row[1] and "企业2" in str(row[2]) and "宣传牌" in str(row[1]) for row in work if len(row) > 2)


def test_an_empty_month_gives_both_documents_with_nothing_to_follow_up(session: Session,
                                                                         june_2026: dict[str, int]) -> None:
    whole = _flat("".join(_pages(_document(session, "zh", "pdf", date(2020, 1, 1)))))
    assert ZH["briefing.hazard_list.none"] in whole and ZH["briefing.accidents.none"] in whole
    assert ZH["briefing.enforcement.none"] in whole
    book = load_workbook(io.BytesIO(_document(session, "en", "xlsx", date(2020, 1, 1))))
    listed = _rows(book[EN["briefing.sheet.hazard_list"]])
    assert [EN["briefing.hazard_list.none"]] in [[value for value in row if value is not None] for row in listed]
    assert _find(book[EN["briefing.sheet.summary"]], "Hazards found in the month")[1:] == [0, 0, 0, 0, 0]


def test_work_items_name_the_enterprises_and_say_how_many_more(session: Session, june_2026: dict[str, int]) -> None:
    set_language("zh")
    work = next(s for s in briefing_sections(monthly_briefing(session, JUNE, RULES, TODAY), RULES)
                if s.key == "work")
    assert "1 家企业没有有效的安全生产宣传牌，限期设置或修复并检查：企业2。" in work.bullets
    assert any(b.startswith("对 1 项挂牌督办未销号隐患（其中逾期 0 项）") and b.endswith("：企业1。")
               for b in work.bullets)


# --- the hazards' photos -------------------------------------------------------------------------


def _photo(session: Session, hazard_id: int, stage: str, colour: str) -> Attachment:
    """A photo of one colour attached to the hazard now, by the app's clock."""
    out = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(out, "JPEG")
    [row] = attach(session=session, actor=STAFF, table="hazard", record_id=hazard_id, stage=stage,
                   files=[(f"{colour}.jpg", out.getvalue())])
    session.commit()
    return row


def _thumbnail(session: Session, attachment: Attachment) -> bytes:
    copy = read_copy(session, STAFF, attachment.id or 0, "thumbnail")
    assert copy is not None
    return copy.data


def _printed_photos(session: Session, language: str = "zh") -> dict[int, tuple[bytes, str] | None]:
    """The hazard list's rows in the page the PDF is laid out from, by hazard id: the picture printed in each
    (its bytes, and its caption) or None."""
    set_language(language)
    try:
        briefing = monthly_briefing(session, JUNE, RULES, TODAY)
        page = briefing_html(title="", park="", month="", closing=briefing.month.closing, generated=TODAY,
                             sections=briefing_sections(briefing, RULES), charts={})
    finally:
        set_language("zh")
    printed: dict[int, tuple[bytes, str] | None] = {}
    for row in re.findall(r'<tbody class="row">(.*?)</tbody>', page, re.S):
        if 'class="picture"' not in row:
            continue  # another table's row
        hazard_id = int(re.findall(r"<td[^>]*>(.*?)</td>", row)[1])
        picture = re.search(r'<img alt="[^"]*" src="data:image/jpeg;base64,([^"]+)"><div class="caption">(.*?)</div>',
                            row)
        printed[hazard_id] = None if picture is None else (
            base64.b64decode(picture[1]), re.sub(r"<[^>]+>", "", picture[2]))
    return printed


def _pdf_photos(pdf: bytes) -> set[bytes]:
    """The JPEG images embedded in the PDF, as stored (WeasyPrint embeds a JPEG as it is; the charts are PNG)."""
    return {image.get_data() for page in PdfReader(io.BytesIO(pdf)).pages
            for image in (page["/Resources"].get_object().get("/XObject") or {}).values()
            for image in [image.get_object()] if image.get("/Filter") == "/DCTDecode"}


def test_each_hazard_followed_up_is_printed_with_its_latest_photo_after_rectification_else_as_found(
    session: Session, june_2026: dict[str, int], set_clock: Callable[[str], None],
) -> None:
    listed, overdue = june_2026["H4"], june_2026["H3"]
    set_clock("2026-06-12T09:00:00+08:00")
    _photo(session, listed, "found", "red")
    as_found = _photo(session, overdue, "found", "orange")
    set_clock("2026-06-25T07:30:00+08:00")  # the 24th in UTC
    rectified = _photo(session, listed, "rectified", "green")
    set_clock("2026-07-01T07:00:00+08:00")  # still June the 30th in UTC, but July in the park: after the month
    _photo(session, overdue, "rectified", "blue")

    printed = _printed_photos(session)
    assert printed[listed] == (_thumbnail(session, rectified), "整改后 2026-06-25")
    assert printed[overdue] == (_thumbnail(session, as_found), "整改前 2026-06-12")
    assert printed[june_2026["H7"]] is None and printed[june_2026["H5"]] is None  # no photo, no picture
    assert _printed_photos(session, "en")[listed] == (_thumbnail(session, rectified),
                                                      "After rectification 2026-06-25")

    pdf = _document(session, "zh", "pdf")
    assert _pdf_photos(pdf) == {_thumbnail(session, rectified), _thumbnail(session, as_found)}
    whole = _flat("".join(_pages(pdf)))
    assert "最新照片" in whole and "整改后2026-06-25" in whole
    assert "照片：截至2026年6月30日最近上传的整改后照片" in whole


def test_a_removed_photo_is_not_printed_and_the_one_before_it_takes_its_place(
    session: Session, june_2026: dict[str, int], set_clock: Callable[[str], None],
) -> None:
    listed, overdue = june_2026["H4"], june_2026["H3"]
    set_clock("2026-06-12T09:00:00+08:00")
    as_found = _photo(session, listed, "found", "red")
    wrong = _photo(session, overdue, "found", "orange")
    set_clock("2026-06-20T09:00:00+08:00")
    mistaken = _photo(session, listed, "rectified", "green")
    for row in (wrong, mistaken):
        remove_attachment(session=session, actor=STAFF, attachment_id=row.id or 0, reason="Another hazard's photo")
    session.commit()

    printed = _printed_photos(session)
    assert printed[listed] == (_thumbnail(session, as_found), "整改前 2026-06-12")
    assert printed[overdue] is None
    assert _pdf_photos(_document(session, "zh", "pdf")) == {_thumbnail(session, as_found)}


def test_the_photos_of_every_hazard_followed_up_come_in_one_query_of_their_thumbnails(
    session: Session, june_2026: dict[str, int], set_clock: Callable[[str], None],
) -> None:
    set_clock("2026-06-20T09:00:00+08:00")
    photos = {june_2026[name]: _photo(session, june_2026[name], "found", colour)
              for name, colour in (("H3", "red"), ("H4", "green"), ("H7", "blue"))}
    statements: list[str] = []
    event.listen(session.get_bind(), "before_cursor_execute", lambda *args: statements.append(args[2]))
    briefing = monthly_briefing(session, JUNE, RULES, TODAY)
    [query] = [sql for sql in statements if "attachment" in sql]
    assert "attachment_blob" in query
    assert {hazard_id: photo.thumbnail.data for hazard_id, photo in briefing.hazard_photos.items()} == {
        hazard_id: _thumbnail(session, row) for hazard_id, row in photos.items()}



def test_a_truncated_photo_is_still_refused_once_a_pdf_was_made_in_the_process(
    session: Session, june_2026: dict[str, int],
) -> None:
    """WeasyPrint's import tells Pillow to load truncated images, process-wide; the app's server makes the PDF in
    its own process, and goes on checking uploads after it."""
    _document(session, "zh", "pdf")
    out = io.BytesIO()
    Image.new("RGB", (400, 300), "red").save(out, "JPEG")
    cut = out.getvalue()[: len(out.getvalue()) // 2]
    with pytest.raises(RecordInvalid) as refused:
        attach(session=session, actor=STAFF, table="hazard", record_id=june_2026["H4"], stage="found",
               files=[("cut.jpg", cut)])
    assert "cannot be read as a JPEG file" in refused.value.messages("en")[0]


# --- the command ------------------------------------------------------------------------------------


def _run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def briefed_url(engine: Engine, june_2026: dict[str, int]) -> str:
    return engine.url.render_as_string(hide_password=False)


def test_the_command_writes_both_formats(briefed_url: str, tmp_path: Path) -> None:
    for name, language in (("june.pdf", "zh"), ("june.xlsx", "en")):
        out = tmp_path / name
        result = _run("briefing", "--month", "2026-06", "--language", language, "--out", str(out),
                      "--database-url", briefed_url)
        assert result.exit_code == 0, result.output
        assert result.output.startswith(f"Wrote {out} (")
        assert out.read_bytes()[:4] in (b"%PDF", b"PK\x03\x04")


@pytest.mark.parametrize(("args", "message"), [
    (("--month", "2026-6", "--out", "x.pdf"), "--month 2026-6: month '2026-6' is not a month written YYYY-MM"),
    (("--month", "2999-01", "--out", "x.pdf"), "--month 2999-01: month 2999-01 has not begun yet"),
    (("--month", "0001-01", "--out", "x.pdf"), "--month 0001-01: month '0001-01' is not a month written YYYY-MM"),
    (("--month", "2026-06", "--out", "x.docx"), "the file must end in .pdf or .xlsx"),
    (("--month", "2026-06", "--out", "no/such/folder/x.pdf"), "the folder no/such/folder does not exist"),
])
def test_the_command_refuses_bad_input_in_one_line(briefed_url: str, tmp_path: Path, args: tuple[str, ...],
                                                   message: str, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    monkeypatch.chdir(folder)
    result = _run("briefing", *args, "--database-url", briefed_url)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert message in result.output.strip().splitlines()[-1]
    assert list(folder.iterdir()) == []


def test_the_command_on_a_database_without_a_park(db_url: str, tmp_path: Path) -> None:
    result = _run("briefing", "--month", "2026-06", "--out", str(tmp_path / "x.pdf"), "--database-url", db_url)
    assert result.exit_code == 1
    assert "holds no park: run park-safety seed" in result.output


@pytest.mark.slow  # a fresh process makes every document
def test_the_benchmark_times_every_document_in_a_fresh_process(briefed_url: str) -> None:
    if not briefed_url.startswith("sqlite"):
        pytest.skip("the command is the same on both backends; timed once")
    result = _run("bench", "--briefing", "--month", "2026-06", "--runs", "1", "--format", "json",
                  "--database-url", briefed_url)
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert (figures["month"], figures["runs"], figures["target_seconds"]) == ("2026-06", 1, 10.0)
    documents = {(d["language"], d["format"]): d for d in figures["documents"]}
    assert set(documents) == {("zh", "pdf"), ("zh", "xlsx"), ("en", "pdf"), ("en", "xlsx")}
    for (_, fmt), document in documents.items():
        assert document["seconds"] > 0 and document["bytes"] > 1000
        assert (document["pages"] or 0) >= (3 if fmt == "pdf" else 0)
        assert document["target_met"] == (document["seconds"] <= 10.0)


def test_names_are_printed_as_typed_never_as_markup(session: Session, june_2026: dict[str, int]) -> None:
    park = session.get(Park, 1)
    assert park is not None
    park.name = '临江"}</style><h1>园区</h1>\f} body { display: none }'
    enterprise = session.get(Enterprise, june_2026["E2"])
    assert enterprise is not None
    enterprise.name = "<b>企业2</b><img src='file:///etc/passwd'>"
    session.commit()
    pages = _pages(_document(session, "zh", "pdf"))
    assert all('临江"}</style><h1>园区</h1> } body' in text for text in pages)  # every page's header; no form feed
    assert "企业1" in _flat("".join(pages))  # a form feed did not end the CSS string and hide the body
    assert "<b>企业2</b><img" in _flat("".join(pages))


def test_text_that_looks_like_a_formula_stays_text_in_the_workbook(session: Session, june_2026: dict[str, int]) -> None:
    enterprise = session.get(Enterprise, june_2026["E2"])
    assert enterprise is not None
    enterprise.name = '=HYPERLINK("http://example.com","企业2")'
    session.commit()
    book = load_workbook(io.BytesIO(_document(session, "zh", "xlsx")))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row
             if isinstance(cell.value, str) and cell.value.startswith("=HYPERLINK")]
    assert cells, "the enterprise's name is in the workbook"
    assert all(cell.data_type == "s" for cell in cells)
