"""The CJK font, as the briefing and its page import it: found by ``dashboard/fonts.py``."""

from dashboard.fonts import FAMILY, FONT_FOLDERS, FontMissing, cjk_font_file

__all__ = ["FAMILY", "FONT_FOLDERS", "FontMissing", "cjk_font_file"]
