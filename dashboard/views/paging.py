"""Long tables a page at a time: the browser gets one page of rows, never the whole county.

A table of 20,000 enterprises is several megabytes of Arrow and a styled one far more; a page of
:data:`PAGE_SIZE` rows is a few kilobytes. Filters and search still run over every row, and the
exports still hold every row that matches; only what is drawn is paged.
"""

from __future__ import annotations

from collections.abc import Hashable

import pandas as pd
import streamlit as st

from dashboard.i18n import format_int, t

PAGE_SIZE = 200


def _pages(total: int, page_size: int) -> int:
    return max(1, -(-total // page_size))


def page_of(frame: pd.DataFrame, key: str, signature: Hashable, page_size: int = PAGE_SIZE) -> pd.DataFrame:
    """The rows of the page asked for under ``key``; back to the first page when ``signature`` (the
    filters that made ``frame``) changes, and to the last when the table shrank below the page."""
    signature_key = f"{key}_signature"
    if st.session_state.get(signature_key) != signature:
        st.session_state[signature_key] = signature
        st.session_state[key] = 1
    page = min(max(int(st.session_state.get(key) or 1), 1), _pages(len(frame), page_size))
    st.session_state[key] = page
    start = (page - 1) * page_size
    return frame.iloc[start:start + page_size]


def pager(total: int, key: str, page_size: int = PAGE_SIZE) -> None:
    """The page picker and "rows a–b of n" under a table paged by :func:`page_of` (nothing for one page)."""
    pages = _pages(total, page_size)
    if pages == 1:
        return
    page = int(st.session_state.get(key) or 1)
    left, right = st.columns((1, 4), vertical_alignment="bottom")
    left.number_input(t("paging.page"), min_value=1, max_value=pages, step=1, key=key)
    first = (page - 1) * page_size + 1
    last = min(page * page_size, total)
    right.caption(t("paging.showing", first=format_int(first), last=format_int(last), total=format_int(total),
                    page=format_int(page), pages=format_int(pages)))
