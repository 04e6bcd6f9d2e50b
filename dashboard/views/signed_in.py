"""The signed-in user at the moment something is done: the one way a view saves, and the one way a download
is produced.

A Streamlit callback (a button's ``on_click``, a form's submit) runs before ``app.py`` checks the session, and a
download's data is made on the click, in a server thread, with no page run at all. A role read on an earlier run
of the page proves nothing there: the user may have signed out since, in another tab; an administrator may have
deactivated the account or given it another role (which ends its sessions). So neither a save nor a download
takes an actor from the page: both take this tab's session token and read the user it belongs to from the
database at the moment they run (:func:`dashboard.services.sign_in.acting_user`), a save inside its own write
transaction. A session that is no longer live refuses the save (nothing written) and sends the tab to the
sign-in form with a message; it refuses the download (nothing produced).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import streamlit as st
from sqlmodel import Session

from dashboard.auth_routes import COOKIE
from dashboard.db import get_engine, writing
from dashboard.navigation import PAGES
from dashboard.services.permissions import Actor, Permission, require
from dashboard.services.sign_in import SessionEnded, acting_user
from dashboard.settings import get_settings
from dashboard.views.data import engine
from dashboard.views.faults import write

T = TypeVar("T")
TOKEN_KEY = "_park_safety_token"
ENDED_KEY = "_park_safety_session_ended"
PAGE_ROLES = {page.key: page.roles for page in PAGES}


class PageRefused(PermissionError):
    """The user's role may no longer open the page the download was drawn on."""

    def __init__(self, actor: Actor, page: str) -> None:
        super().__init__(f"{actor.username} ({actor.role.value}) may not open the page {page}.")


def session_token() -> str | None:
    """This tab's session token: the one it signed in with, else the browser's cookie."""
    token = st.session_state.get(TOKEN_KEY)
    if token:
        return str(token)
    cookie = st.context.cookies.get(COOKIE)
    return cookie if isinstance(cookie, str) and cookie else None


def session_ended() -> None:
    """Forget the tab's token and rerun: ``app.py`` then finds no live session and shows the sign-in form,
    which says why (``ENDED_KEY``). A no-op outside a script run, where the refusal is simply raised."""
    st.session_state.pop(TOKEN_KEY, None)
    st.session_state[ENDED_KEY] = True
    st.rerun()


def save(work: Callable[[Session, Actor], T], *, token: str | None = None) -> T:
    """Run ``work`` (a service call) for the user signed in on this tab now, in one ``IMMEDIATE`` write
    transaction, and commit.

    The user is read from the database inside that transaction; ``work`` gets their actor and decides, as
    every write service does, whether that role may do it. A refusal (``RecordInvalid``, ``PermissionDenied``)
    raises and writes nothing; so does a database that cannot be reached or is read-only
    (``faults.DatabaseFault``, a refusal the forms show). A session that is no longer live ends the run on
    the sign-in form.

    ``token`` is for a write made on a download's click (:func:`on_click`), which runs outside the page's
    run: the tab's token, taken while the page ran. A session no longer live then simply refuses."""
    in_page = token is None
    token = session_token() if token is None else token

    def once() -> T:
        with Session(writing(engine()), expire_on_commit=False) as session:
            user = acting_user(session=session, token=token)
            result = work(session, user.actor)
            session.commit()
        return result

    try:
        return write(once)
    except SessionEnded:
        if in_page:
            session_ended()
        raise


def on_click(make: Callable[[Actor], bytes], *, page: str, permission: Permission | None = None) -> Callable[[], bytes]:
    """A download button's data: ``make`` runs when the button is clicked, for the user whose session this tab
    holds at that moment, and only while that user's role may still open ``page`` (a key of
    ``navigation.PAGES``) and holds ``permission``. Otherwise nothing is made: the click raises, and the
    browser is told the file could not be produced.

    The token is taken now, while the page runs (the click runs in a server thread without the page's
    state); whose it is and what it may do are read from the database on the click."""
    token = session_token()
    url = get_settings().effective_database_url
    roles = PAGE_ROLES[page]

    def produce() -> bytes:
        with Session(get_engine(url)) as session:
            actor = acting_user(session=session, token=token).actor
        if actor.role not in roles:
            raise PageRefused(actor, page)
        if permission is not None:
            require(actor, permission)
        return make(actor)

    return produce
