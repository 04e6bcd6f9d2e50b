"""The briefing as a PDF: A4, the park's name and the month at the top of every page, page numbers at the
foot, Chinese typeset in Noto Sans CJK (WeasyPrint over the system's fonts; nothing is fetched)."""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Mapping, Sequence
from datetime import date

from dashboard.briefing.sections import NUMERIC_KINDS, Column, Picture, Section, Table, cell, cell_text
from dashboard.fonts import FAMILY
from dashboard.i18n import current_language, format_date, format_int, t
from dashboard.services.briefing import PRINTED_ROWS
from dashboard.services.loan_desk import text_width

CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")  # every control character but the line feed
SHORT_TEXT = 24  # character columns a short text column asks for at most
LONG_TEXT = 90
HEADING_TEXT = 8  # a heading wraps beyond this
PAGE_WIDTH_MM = 180  # A4 less the margins
WIDE_PAGE_WIDTH_MM = 267  # A4 landscape less the margins
WIDE_COLUMNS = 9  # a section with a table this wide is printed on landscape pages
MM_PER_CHARACTER = 1.9  # one character column (a Latin letter, bold; half a Chinese character) at 8.5 pt
PADDING_MM = 3.5
TEXT_FLOOR = 9  # character columns a text column keeps when the table is too wide
LONG_FLOOR = 36
PICTURE_MM = 27  # a column of pictures: a thumbnail 25 mm wide at most, and its padding

STYLE = """
@page {{
  size: A4; margin: 22mm 15mm 18mm 15mm;
  @top-left {{ content: {park}; font-size: 8.5pt; color: #5f6368; }}
  @top-right {{ content: {month}; font-size: 8.5pt; color: #5f6368; }}
  @bottom-center {{ content: {page}; font-size: 8.5pt; color: #5f6368; }}
}}
html {{ font-family: "{family}", sans-serif; font-size: 10pt; color: #202124; line-height: 1.5; }}
@page tall {{ size: A4; }}
@page wide {{ size: A4 landscape; }}
body {{ page: tall; }}
section.wide {{ page: wide; }}
h1 {{ font-size: 20pt; margin: 0 0 2mm 0; }}
.subtitle {{ color: #5f6368; margin: 0 0 6mm 0; }}
h2 {{ font-size: 13.5pt; margin: 7mm 0 2mm 0; padding-bottom: 1mm; border-bottom: 1.5px solid #1a73e8;
      break-after: avoid; }}
h3 {{ font-size: 10.5pt; margin: 4mm 0 1.5mm 0; break-after: avoid; }}
p {{ margin: 0 0 2mm 0; text-align: justify; }}
h2 + p {{ break-after: avoid; }}
table {{ border-collapse: collapse; width: 100%; table-layout: fixed; font-size: 8.5pt; margin: 1mm 0 3mm 0; }}
thead {{ display: table-header-group; }}
th {{ background: #e8f0fe; font-weight: bold; text-align: left; overflow-wrap: normal; }}
th, td {{ border: 0.6px solid #c4c7cc; padding: 1.2mm 1.5mm; vertical-align: top; overflow-wrap: anywhere; }}
td.n, th.n {{ text-align: right; }}
td.n, td.d {{ white-space: nowrap; }}
td.long {{ white-space: pre-line; }}
tr, tbody.row {{ break-inside: avoid; }}
tr.detail td {{ white-space: pre-line; border-top: none; color: #3c4043; padding-left: 4mm; }}
.note {{ color: #5f6368; font-size: 8.5pt; }}
.chart {{ width: 100%; margin: 2mm 0 3mm 0; break-inside: avoid; }}
ol.work li {{ margin-bottom: 2mm; }}
td.picture {{ padding: 1mm; text-align: center; }}
td.picture img {{ display: block; margin: 0 auto; max-width: 100%; max-height: 17mm; }}
td.picture .caption {{ font-size: 6.5pt; line-height: 1.25; color: #5f6368; margin-top: 0.5mm; }}
td.picture .caption span {{ white-space: nowrap; }}
td.picture .none {{ color: #9aa0a6; }}
"""


def _printable(text: str) -> str:
    """The text without control characters (a line break stays): a form feed in a name would end a CSS
    string, and control characters in the PDF's fonts garble its text for readers and search."""
    return CONTROL.sub(" ", text)


def _escaped(text: str) -> str:
    return html.escape(_printable(text))


def _css_string(text: str) -> str:
    """``text`` as a CSS string inside the style element: quotes, backslashes and angle brackets written as
    CSS escapes and control characters left out, so that no park name can end the string or the element."""
    return '"' + "".join(f"\\{ord(ch):x} " if ch in '"\\<>' else ch for ch in CONTROL.sub(" ", text)) + '"'


def _table(table: Table, page_width_mm: float) -> str:
    parts = []
    if table.title:
        parts.append(f"<h3>{_escaped(table.title)}</h3>")
    if not table.rows:
        parts.append(f'<p class="note">{_escaped(table.empty)}</p>' if table.empty else "")
        return "".join(parts)
    rows = table.rows[:PRINTED_ROWS]
    texts = [[cell_text(*cell(column, value)) for column, value in zip(table.columns, row, strict=True)]
             for row in rows]
    # a "detail" column is printed across the table, under its row
    shown = [index for index, column in enumerate(table.columns) if column.kind != "detail"]
    details = [index for index, column in enumerate(table.columns) if column.kind == "detail"]
    columns = tuple(table.columns[index] for index in shown)
    pictures = table.pictures
    picture_mm = PICTURE_MM if pictures is not None else 0
    widths = _column_shares(columns, [[row[index] for index in shown] for row in texts], page_width_mm - picture_mm)
    # the pictures' column keeps its millimetres of the page's width; the others share the rest
    widths = [share * (1 - picture_mm / page_width_mm) for share in widths]
    if pictures is not None:
        widths.append(100 * picture_mm / page_width_mm)
    colgroup = "<colgroup>" + "".join(f'<col style="width: {share:.1f}%">' for share in widths) + "</colgroup>"
    head = "".join(f'<th class="{"n" if c.kind in NUMERIC_KINDS else ""}">{_escaped(c.title)}</th>'
                   for c in columns) + (f"<th>{_escaped(pictures.title)}</th>" if pictures is not None else "")
    body = []
    for number, (row, row_texts) in enumerate(zip(rows, texts, strict=True)):
        cells = []
        for index in shown:
            kind = cell(table.columns[index], row[index])[0]
            css = "n" if kind in NUMERIC_KINDS else "long" if kind == "long" else "d" if kind == "date" else ""
            cells.append(f'<td class="{css}">{_escaped(row_texts[index])}</td>')
        if pictures is not None:
            cells.append(_picture_cell(pictures.pictures[number] if number < len(pictures.pictures) else None))
        lines = "".join(
            f'<tr class="detail"><td colspan="{len(widths)}"><b>{_escaped(table.columns[index].title)}</b> '
            f"{_escaped(row_texts[index])}</td></tr>" for index in details if row_texts[index])
        body.append(f'<tbody class="row"><tr>{"".join(cells)}</tr>{lines}</tbody>')
    parts.append(f"<table>{colgroup}<thead><tr>{head}</tr></thead>{''.join(body)}</table>")
    if pictures is not None and pictures.note and any(pictures.pictures[:PRINTED_ROWS]):
        parts.append(f'<p class="note">{_escaped(pictures.note)}</p>')
    if len(table.rows) > PRINTED_ROWS:
        more = t("briefing.pdf.more_rows", shown=format_int(PRINTED_ROWS), total=format_int(len(table.rows)))
        parts.append(f'<p class="note">{_escaped(more)}</p>')
    return "".join(parts)


def _picture_cell(picture: Picture | None) -> str:
    """A picture and its caption, inlined as a data URL; a dash for a row without one."""
    if picture is None:
        return '<td class="picture"><span class="none">—</span></td>'
    encoded = base64.b64encode(picture.data).decode("ascii")
    caption = " ".join(f"<span>{_escaped(line)}</span>" for line in picture.caption)  # on one line if they fit
    return (f'<td class="picture"><img alt="{_escaped(" ".join(picture.caption))}" '
            f'src="data:{_escaped(picture.media_type)};base64,{encoded}"><div class="caption">{caption}</div></td>')


def _heading_width(title: str) -> int:
    """The character columns a heading needs: its longest word (a word is never broken), and up to
    :data:`HEADING_TEXT` of a heading without spaces (Chinese wraps between any two characters)."""
    words = title.split()
    if len(words) > 1:
        return max(text_width(word) for word in words)
    return min(text_width(title), HEADING_TEXT)


def _column_shares(columns: Sequence[Column], texts: Sequence[Sequence[str]], page_width_mm: float) -> list[float]:
    """Each column's share of the table's width. A column asks for its widest text (a Chinese character
    counts twice, a heading may wrap, a text is capped) at about 1.9 mm a character plus its padding;
    when that is more than the page's width, the long texts give way, then the short ones, down to a
    few characters each, and numbers and dates keep theirs. The table is laid out with these fixed
    widths: an automatic layout measures every break of every cell and took seconds."""
    asked, floors = [], []
    for index, column in enumerate(columns):
        widest = max((max((text_width(line) for line in row[index].split("\n")), default=0) for row in texts),
                     default=0)
        fixed = column.kind in NUMERIC_KINDS or column.kind == "date"
        cap = LONG_TEXT if column.kind == "long" else SHORT_TEXT
        characters = max(widest, _heading_width(column.title), 2)
        wanted = PADDING_MM + MM_PER_CHARACTER * (characters if fixed else min(characters, cap))
        asked.append(wanted)
        floor = LONG_FLOOR if column.kind == "long" else TEXT_FLOOR
        floors.append(wanted if fixed else min(wanted, PADDING_MM + MM_PER_CHARACTER * floor))
    long = [column.kind == "long" for column in columns]
    for squeezed in (True, False):  # the long texts give way first, then the short ones
        excess = sum(asked) - page_width_mm
        spare = sum(mm - floor for mm, floor, is_long in zip(asked, floors, long, strict=True) if is_long == squeezed)
        if excess <= 0 or spare <= 0:
            continue
        factor = max(1 - excess / spare, 0)
        asked = [floor + (mm - floor) * factor if is_long == squeezed else mm
                 for mm, floor, is_long in zip(asked, floors, long, strict=True)]
    total = sum(asked)
    return [100 * mm / total for mm in asked]


def _section(section: Section, charts: Mapping[str, bytes]) -> str:
    wide = any(table.printed and sum(c.kind != "detail" for c in table.columns) >= WIDE_COLUMNS
               for table in section.tables)
    parts = [f'<h2>{_escaped(section.title)}</h2>']
    parts += [f"<p>{_escaped(paragraph)}</p>" for paragraph in section.paragraphs]
    for name in section.charts:
        if name in charts:
            encoded = base64.b64encode(charts[name]).decode("ascii")
            parts.append(f'<img class="chart" alt="{_escaped(name)}" src="data:image/png;base64,{encoded}">')
    if section.bullets:
        parts.append('<ol class="work">' + "".join(f"<li>{_escaped(b)}</li>" for b in section.bullets) + "</ol>")
    else:
        parts += [_table(table, WIDE_PAGE_WIDTH_MM if wide else PAGE_WIDTH_MM)
                  for table in section.tables if table.printed]
    return f'<section class="{"wide" if wide else ""}">' + "".join(parts) + "</section>"


def briefing_html(*, title: str, park: str, month: str, closing: date, generated: date,
                  sections: Sequence[Section], charts: Mapping[str, bytes]) -> str:
    """The page the PDF is laid out from: the sections, the charts (PNG) in the sections that name them and the
    tables' pictures, every image inlined as a data URL."""
    style = STYLE.format(park=_css_string(park), month=_css_string(month), family=FAMILY,
                         page=t("briefing.pdf.page_css"))
    subtitle = t("briefing.pdf.subtitle", park=park, date=format_date(closing), generated=format_date(generated))
    lang = "zh-CN" if current_language() == "zh" else "en"
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{_escaped(title)}</title>'
        f"<style>{style}</style></head><body>"
        f"<h1>{_escaped(title)}</h1><p class=\"subtitle\">{_escaped(subtitle)}</p>"
        + "".join(_section(section, charts) for section in sections)
        + "</body></html>"
    )


def briefing_pdf(*, title: str, park: str, month: str, closing: date, generated: date,
                 sections: Sequence[Section], charts: Mapping[str, bytes]) -> bytes:
    """The PDF of :func:`briefing_html`."""
    from PIL import ImageFile
    from weasyprint import HTML, URLFetcher  # imported on use: it loads Pango

    # WeasyPrint's import lets Pillow load truncated images in the whole process; the upload checks
    # (services/attachment_files) must go on refusing a truncated photo as damaged in a server that made a PDF
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    document = briefing_html(title=title, park=park, month=month, closing=closing, generated=generated,
                             sections=sections, charts=charts)
    # nothing is fetched: the only resources are the charts and pictures, inlined as data URLs
    return bytes(HTML(string=document, base_url=None, url_fetcher=URLFetcher(allowed_protocols={"data"})).write_pdf())

