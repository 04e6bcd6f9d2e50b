"""The committee's monthly meeting briefing (会议简报) as a document: PDF or XLSX, in the current language.

:func:`monthly_briefing` (``dashboard/services/briefing.py``) gathers the figures; :mod:`.sections` writes
them as sentences and tables; :mod:`.pdf` and :mod:`.workbook` lay those out, with the charts of
:mod:`dashboard.charts.briefing` drawn to PNG on the server (:mod:`.images`). The PDF prints each hazard
followed up with its latest photo (its thumbnail, ``MonthlyBriefing.hazard_photos``).
"""

from __future__ import annotations

from datetime import date

from dashboard.briefing.images import chart_png
from dashboard.briefing.pdf import briefing_pdf
from dashboard.briefing.sections import briefing_sections, briefing_title, park_title
from dashboard.briefing.workbook import briefing_workbook
from dashboard.charts.briefing import colour_distribution_chart, hazard_trend_chart
from dashboard.i18n import current_language, format_date, format_month, t
from dashboard.services.briefing import MonthlyBriefing
from dashboard.settings import RuleSettings

FORMATS = ("pdf", "xlsx")


def briefing_filename(briefing: MonthlyBriefing, fmt: str) -> str:
    """``briefing-2026-11-zh.pdf``."""
    return f"briefing-{briefing.month.month:%Y-%m}-{current_language()}.{fmt}"


def briefing_charts(briefing: MonthlyBriefing) -> dict[str, bytes]:
    """The briefing's charts as PNG images in the current language, by the name its sections use."""
    return {"colours": chart_png(colour_distribution_chart(briefing)), "trend": chart_png(hazard_trend_chart(briefing))}


def briefing_document(briefing: MonthlyBriefing, rules: RuleSettings, fmt: str, generated: date) -> bytes:
    """The briefing as a ``fmt`` ("pdf" or "xlsx") document in the current language."""
    if fmt not in FORMATS:
        raise ValueError(f"format {fmt!r} is not one of {', '.join(FORMATS)}")
    sections = briefing_sections(briefing, rules)
    charts = briefing_charts(briefing)
    park, month = park_title(briefing), format_month(briefing.month.month)
    if fmt == "pdf":
        return briefing_pdf(title=briefing_title(briefing), park=park, month=month, closing=briefing.month.closing,
                            generated=generated, sections=sections, charts=charts)
    heading = t("briefing.pdf.subtitle", park=park, date=format_date(briefing.month.closing),
                generated=format_date(generated))
    return briefing_workbook(heading=heading, sections=sections, charts=charts)
