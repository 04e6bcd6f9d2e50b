"""The bulk import panel of the Records page: choose a table, upload a file, read the preview, confirm.

The preview is the import's check (services/imports.py), which reads the database only, so it lists
every problem (``row N, column C: message``) or says exactly what confirming will do. Confirming
checks again and writes in one short transaction; a preview made before someone else changed the
records cannot be confirmed. A large file is handled in a worker process, not in the page's run.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st
from sqlmodel import Session

import seed
from dashboard.clock import park_today
from dashboard.db import get_engine
from dashboard.i18n import current_language, format_int, label, t
from dashboard.services.exports import export_bytes
from dashboard.services.imports import ImportReport, import_file, import_table
from dashboard.services.permissions import Actor, Permission, PermissionDenied
from dashboard.services.record_tables import IMPORTABLE, record_table
from dashboard.services.sign_in import SessionEnded
from dashboard.services.tabular import MAX_BYTES
from dashboard.settings import get_settings
from dashboard.views import background
from dashboard.views.data import database_key, engine
from dashboard.views.faults import saving, write
from dashboard.views.session import current_user
from dashboard.views.signed_in import session_ended, session_token
from models.messages import field_label
from models.validation import RecordInvalid

SAMPLES = Path(seed.__file__).resolve().parent / "samples"
PREVIEW_KEY = "_imports_preview"
DONE_KEY = "_imports_done"
NONCE_KEY = "_imports_nonce"
MIME = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}

INLINE_BYTES = 512 * 1024
"""A file up to this size (a few thousand rows) is checked and imported in the page's own run; a larger one
in a worker process (views/background.py), so that its seconds of parsing and checking do not hold the
interpreter that draws everyone else's pages."""


def _preview(url: str, actor: Actor, table: str, filename: str, data: bytes) -> ImportReport:
    """What importing the file would do: the check alone, reading the database only (no write lock)."""
    with Session(get_engine(url)) as session:
        report = import_table(session=session, actor=actor, table=table, filename=filename, data=data, dry_run=True)
        session.rollback()
    return report


def _import(url: str, actor: Actor, table: str, filename: str, data: bytes, token: str | None) -> ImportReport:
    """Import the file and commit when every row is valid, for the user this tab's session belongs to when the
    write begins; the write lock is held only while writing. A database that cannot take the write is a
    ``faults.DatabaseFault``, classified where it happened (in a worker process too), as every save's is."""
    with saving(url):
        return import_file(engine=get_engine(url), actor=actor, table=table, filename=filename, data=data,
                           token=token)


def _run(work: Callable[..., ImportReport], *args: Any) -> ImportReport:
    url = get_settings().effective_database_url  # the page's own engine, in the page's process
    data: bytes = args[3]
    if len(data) <= INLINE_BYTES:
        return work(url, *args)
    future = background.job((work.__name__, uuid.uuid4().hex), work, url, *args)
    return future.result()


def preview_import(actor: Actor, table: str, filename: str, data: bytes) -> ImportReport:
    """What importing the file would do (nothing is written, no write lock is taken)."""
    return _run(_preview, actor, table, filename, data)


def run_import(actor: Actor, table: str, filename: str, data: bytes) -> ImportReport:
    """Import the file and commit, when every row is valid, for the user signed in on this tab when the write
    runs (``actor`` only asked for the check); a session ended meanwhile sends the tab to the sign-in form.
    A database that cannot take it raises ``faults.DatabaseFault`` (nothing written), as a save does
    (``faults.write``: a write refused as read-only is tried once more on a fresh connection)."""
    token = session_token()
    try:
        return write(lambda: _run(_import, actor, table, filename, data, token))
    except SessionEnded:
        session_ended()
        raise


_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>$])")


def _plain(text: str) -> str:
    """``text`` shown as it is in markdown: whatever a file put in a message (a name, a formula) is not markup."""
    return _MARKDOWN.sub(r"\\\1", text)


def _shown(value: Any, kind: str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return t("imports.yes") if value else t("imports.no")
    if isinstance(value, date):
        return value.isoformat()
    if kind is not None:
        return label(kind, value)
    return str(value)


def preview_frame(report: ImportReport, language: str) -> pd.DataFrame:
    """The first rows of the file as text, each with what the import does to it, columns named in ``language``."""
    kinds = record_table(report.table).enum_columns
    data: dict[str, list[str]] = {t("imports.action"): [t(f"imports.action.{row.action}") for row in report.preview]}
    for column in report.columns:
        name = column if column in ("id", "uscc") and language == "en" else field_label(column, language)
        name = name[:1].upper() + name[1:] if column != "uscc" else name
        data[name] = [_shown(row.values.get(column), kinds.get(column)) for row in report.preview]
    frame = pd.DataFrame(data)
    frame.index = pd.Index([row.row for row in report.preview], name=t("imports.problem_row"))
    return frame


def _sample(table: str, fmt: str) -> bytes | None:
    path = SAMPLES / f"{table}.{fmt}"
    return path.read_bytes() if path.is_file() else None


def _export(table: str, fmt: str) -> bytes:
    with Session(engine()) as session:
        return export_bytes(session, table, fmt)[0]


def _files_row(table: str) -> None:
    samples, exports = st.columns(2)
    with samples:
        st.caption(t("imports.samples"))
        left, right = st.columns(2)
        csv_sample, xlsx_sample = _sample(table, "csv"), _sample(table, "xlsx")
        if csv_sample is not None:
            left.download_button(t("imports.sample_csv"), csv_sample, file_name=f"{table}.csv", mime=MIME["csv"],
                                 key=f"imports_sample_csv_{table}", on_click="ignore", width="stretch")
        if xlsx_sample is not None:
            right.download_button(t("imports.sample_xlsx"), xlsx_sample, file_name=f"{table}.xlsx",
                                  mime=MIME["xlsx"], key=f"imports_sample_xlsx_{table}", on_click="ignore",
                                  width="stretch")
    with exports:
        st.caption(t("imports.export"))
        left, right = st.columns(2)
        today = park_today().isoformat()
        left.download_button(t("imports.export_csv"), lambda: _export(table, "csv"), file_name=f"{table}-{today}.csv",
                             mime=MIME["csv"], key=f"imports_export_csv_{table}", on_click="ignore", width="stretch")
        right.download_button(t("imports.export_xlsx"), lambda: _export(table, "xlsx"),
                              file_name=f"{table}-{today}.xlsx", mime=MIME["xlsx"], key=f"imports_export_xlsx_{table}",
                              on_click="ignore", width="stretch")


def import_panel() -> None:
    """The upload with preview for the signed-in user (staff and admin may import)."""
    user = current_user()
    if user is None:
        return
    actor = user.actor
    language = current_language()
    st.subheader(t("imports.title"))
    st.caption(t("imports.intro"))
    if not actor.may(Permission.edit_records):
        st.info(t("imports.denied"))
        return
    names = {name: t(f"imports.table.{name}") for name in IMPORTABLE}
    table = st.selectbox(t("imports.table"), IMPORTABLE, format_func=names.__getitem__, key="imports_table")
    _files_row(table)
    done = st.session_state.pop(DONE_KEY, None)
    if done:
        st.success(done)
    nonce = int(st.session_state.get(NONCE_KEY, 0))
    uploaded = st.file_uploader(t("imports.file"), type=["csv", "xlsx"], help=t("imports.file_help"),
                                key=f"imports_file_{nonce}", max_upload_size=MAX_BYTES // 1024 // 1024)
    if uploaded is None:
        st.session_state.pop(PREVIEW_KEY, None)
        return
    data = uploaded.getvalue()
    url, revision = database_key()
    key = (url, revision, table, uploaded.file_id, uploaded.name)
    cached = st.session_state.get(PREVIEW_KEY)
    if cached is not None and cached[0] == key:
        report: ImportReport = cached[1]
    else:
        try:
            report = preview_import(actor, table, uploaded.name, data)
        except PermissionDenied:
            st.info(t("imports.denied"))
            return
        st.session_state[PREVIEW_KEY] = (key, report)
    _show_report(report, language)
    if report.problems:
        return
    rows = report.created + report.updated + report.unchanged
    # the key holds the revision previewed: a preview made before the records changed cannot be confirmed
    if st.button(t("imports.confirm", rows=format_int(rows)), type="primary", key=f"imports_confirm_{revision}"):
        try:
            written = run_import(actor, table, uploaded.name, data)
        except PermissionDenied:
            st.info(t("imports.denied"))
            return
        except RecordInvalid as refused:  # the database could not take the write: nothing was written
            st.error("\n\n".join(_plain(line) for line in refused.messages(language)), icon=":material/block:")
            return
        if not written.written:  # the records changed since the preview and the file no longer fits them
            st.warning(t("imports.changed_meanwhile"))
            _show_report(written, language)
            return
        st.session_state[DONE_KEY] = t(
            "imports.done", file=uploaded.name, table=t(f"imports.table.{table}"),
            create=format_int(written.created), update=format_int(written.updated),
            unchanged=format_int(written.unchanged))
        st.session_state[NONCE_KEY] = nonce + 1
        st.session_state.pop(PREVIEW_KEY, None)
        st.rerun()


def _show_report(report: ImportReport, language: str) -> None:
    if report.problems:
        st.error(t("imports.refused", problems=format_int(len(report.problems)),
                   rows=format_int(report.rows_with_problems)))
        lines = "\n".join(f"- {_plain(line)}" for line in report.problem_lines(language))
        with st.container(height=min(480, 40 + 28 * len(report.problems)), border=True):
            st.markdown(lines)
        return
    st.info(t("imports.ready", rows=format_int(report.rows), create=format_int(report.created),
              update=format_int(report.updated), unchanged=format_int(report.unchanged)))
    st.caption(t("imports.preview_caption", shown=format_int(len(report.preview)), rows=format_int(report.rows))
               + (" " + t("imports.encoding", encoding=_encoding_name(report.encoding)) if report.encoding else ""))
    st.dataframe(preview_frame(report, language), width="stretch")


def _encoding_name(encoding: str) -> str:
    return {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 (BOM)", "gb18030": "GB18030/GBK"}.get(encoding, encoding)
