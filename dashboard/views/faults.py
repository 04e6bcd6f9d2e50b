"""A database that cannot be reached, or refuses writes, as a user sees it: one message in the user's
language, never a traceback.

Every database failure the app meets is classified here, in one place:

* ``"unreachable"``: the connection failed or broke (the server is down, the database was renamed or
  dropped, the SQLite file cannot be opened);
* ``"read_only"``: the database refuses writes (SQLite "attempt to write a readonly database",
  PostgreSQL SQLSTATE 25006 "cannot execute ... in a read-only transaction"); pages that only read
  keep working.

:func:`page_guard` wraps a whole script run (``dashboard/app.py``): a failure anywhere in it (the
sign-in check, a cached loader, a page) ends the run with the message. :func:`saving` wraps a write
(a form's save): the failure becomes a refusal, :class:`DatabaseFault`, that the forms already show
under the form with what the user typed kept; :func:`write` also tries a write refused as read-only
once more on a fresh connection, because a pooled connection opened while the database was read-only
stays read-only after the database is writable again. Either way the exception is logged on the server and
the process's connection pool is dropped, so the next run opens fresh connections and works again
as soon as the database is back, with no restart.

Every write a user starts goes through :func:`write`: a view's save (``signed_in.save``), an import
(in the page's run or in a worker process, where :func:`saving` classifies the failure and the
:class:`DatabaseFault` travels back), signing in and out. A :class:`DatabaseFault` a view does not show
itself ends the run in :func:`page_guard` with the same message. What a refusal, a stale version or a
database fault says is worded in one place too: each is a ``FieldProblem`` that words itself in the
reader's language when it is drawn (``models/validation.py``; :class:`FaultProblem` here).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Literal, TypeVar

import streamlit as st
from sqlalchemy import exc

from dashboard.i18n import current_language, set_language, t
from models.validation import FieldProblem, RecordInvalid

Fault = Literal["unreachable", "read_only"]
T = TypeVar("T")
FIELD = "__database__"  # the field of a refusal no one field is to blame for

# Errors that are the application's own mistakes, not the database's state: these are not hidden.
_OWN_MISTAKES = (exc.IntegrityError, exc.ProgrammingError, exc.DataError, exc.NotSupportedError)
READ_ONLY_SQLSTATE = "25006"  # PostgreSQL: read_only_sql_transaction

_log = logging.getLogger(__name__)


def fault_of(error: BaseException) -> Fault | None:
    """What kind of database failure ``error`` is (looking through its causes), or None if it is none."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, exc.DBAPIError):
            if _read_only(seen):
                return "read_only"
            return None if isinstance(seen, _OWN_MISTAKES) else "unreachable"
        if isinstance(seen, exc.TimeoutError | exc.DisconnectionError):
            return "unreachable"  # the pool waited in vain for a connection, or lost one
        seen = seen.__cause__
    return None


def _read_only(error: exc.DBAPIError) -> bool:
    original = error.orig
    if getattr(original, "sqlstate", None) == READ_ONLY_SQLSTATE:  # psycopg
        return True
    name = getattr(original, "sqlite_errorname", None)  # sqlite3: SQLITE_READONLY and its extended codes
    if isinstance(name, str):
        return name.startswith("SQLITE_READONLY")
    return "readonly database" in str(original) or "read-only transaction" in str(original)


def message(fault: Fault) -> str:
    """What the user is told, in the current language."""
    if fault == "read_only":
        return t("common.db_read_only")
    return t("common.db_unreachable")


def _met(error: BaseException, fault: Fault, where: str, url: str | None = None) -> None:
    """Log the failure on the server and drop the pooled connections of ``url`` (default: the configured
    database; they may be dead or read-only)."""
    _log.warning("database %s (%s): %s", fault.replace("_", "-"), where, error, exc_info=error)
    from dashboard.db import get_engine
    from dashboard.settings import get_settings

    try:
        get_engine(url or get_settings().effective_database_url).dispose()
    except Exception:  # dropping the pool is best effort; the failure is already logged
        _log.exception("could not drop the database connection pool")


def _classified(error: Exception, where: str, url: str | None = None) -> Fault:
    """The kind of database failure ``error`` is (met: logged, the pool dropped); ``error`` itself, raised
    again, when it is none."""
    fault = fault_of(error)
    if fault is None:
        raise error
    _met(error, fault, where, url)
    return fault


@contextmanager
def page_guard() -> Iterator[None]:
    """Around a script run: a database failure, or a save's :class:`DatabaseFault` no view showed, shows the
    message (no traceback) and ends the run."""
    try:
        yield
    except DatabaseFault as refused:
        _stop_with(refused.fault)
    except Exception as error:
        _stop_with(_classified(error, "page"))


def _stop_with(fault: Fault) -> None:
    icon = ":material/edit_off:" if fault == "read_only" else ":material/cloud_off:"
    st.error(message(fault), icon=icon)
    st.stop()


@dataclass(frozen=True)
class FaultProblem(FieldProblem):
    """A save refused because of the database: worded, like any problem, when it is drawn."""

    def text(self, language: str = "en", field_label: str | None = None) -> str:
        fault: Fault = "read_only" if self.code == "read_only" else "unreachable"
        current = current_language()
        set_language(language)
        try:
            return message(fault)
        finally:
            set_language(current)


class DatabaseFault(RecordInvalid):
    """A write the database refused or could not take: nothing was written."""

    def __init__(self, fault: Fault):
        self.fault = fault
        super().__init__([FaultProblem(FIELD, fault)])

    def __reduce__(self) -> tuple[type[DatabaseFault], tuple[Fault]]:
        return DatabaseFault, (self.fault,)  # raised in a worker process, it comes back as itself


@contextmanager
def saving(url: str | None = None) -> Iterator[None]:
    """Around a write to ``url`` (default: the configured database): a database failure is raised as
    :class:`DatabaseFault`, a refusal the forms show."""
    try:
        yield
    except DatabaseFault:
        raise
    except Exception as error:
        raise DatabaseFault(_classified(error, "save", url)) from error


def write(once: Callable[[], T]) -> T:
    """Run a write (a whole transaction, committed by ``once``) as :func:`saving` does; a write refused as
    read-only is tried once more on a fresh connection (the first attempt wrote nothing) before the
    refusal is raised."""
    try:
        with saving():
            return once()
    except DatabaseFault as fault:
        if fault.fault != "read_only":
            raise
    with saving():
        return once()
