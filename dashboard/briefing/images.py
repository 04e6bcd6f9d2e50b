"""Charts drawn to PNG on the server, without a browser or the network (vl-convert), with the CJK font."""

from __future__ import annotations

import threading

import altair as alt
import vl_convert

from dashboard.fonts import cjk_font_file

SCALE = 3  # device pixels per CSS pixel: sharp when printed
_registered: set[str] = set()
_lock = threading.Lock()


def chart_png(chart: alt.TopLevelMixin, scale: float = SCALE) -> bytes:
    """The chart as a PNG image, its text in the CJK font."""
    folder = str(cjk_font_file().parent)
    with _lock:
        if folder not in _registered:
            vl_convert.register_font_directory(folder)
            _registered.add(folder)
    return bytes(vl_convert.vegalite_to_png(chart.to_dict(), scale=scale))
