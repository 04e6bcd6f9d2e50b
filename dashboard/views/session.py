"""The sign-in gate, the signed-in user, and the browser's session cookie.

The token of a signed-in user is kept in ``st.session_state`` for this browser tab and, through
the ``/auth/session`` route, in an HttpOnly cookie that survives a refresh. Every run checks
the token against the database, so a session ended or expired anywhere ends here too.
"""

from __future__ import annotations

import json
import time

import streamlit as st
from sqlmodel import Session

from dashboard.auth_routes import SESSION_PATH, SIGN_OUT_PATH
from dashboard.cookie_handoff import take_delivered
from dashboard.db import writing
from dashboard.http_headers import POST_SCRIPT, inline_script
from dashboard.i18n import label, t
from dashboard.services.sign_in import (
    CurrentUser,
    SignedIn,
    SignInRefused,
    check_password,
    sign_in,
    sign_out,
    user_for_token,
)
from dashboard.services.sign_in_throttle import DEVICE_COOKIE
from dashboard.views.data import engine
from dashboard.views.faults import write
from dashboard.views.signed_in import ENDED_KEY, TOKEN_KEY, session_token

PENDING_COOKIE_KEY = "_park_safety_set_cookie"
CLEAR_COOKIE_KEY = "_park_safety_clear_cookie"
COOKIE_SINCE_KEY = "_park_safety_cookie_since"
COOKIE_CHECK_SECONDS = 0.5  # how often a new sign-in's page looks whether its cookie has been set
COOKIE_GIVE_UP_SECONDS = 60.0  # then the cookie script leaves the page whatever happened (its retries take 15 s)


def _token() -> str | None:
    return session_token()


def current_user() -> CurrentUser | None:
    """The user this browser is signed in as, or None (unknown, ended or expired session)."""
    token = _token()
    if not token:
        return None
    with Session(engine()) as session:
        user = user_for_token(session=session, token=token)
    if user is None:
        if st.session_state.pop(TOKEN_KEY, None):  # this tab was signed in: its session ended under it
            st.session_state[ENDED_KEY] = True
        return None
    st.session_state[TOKEN_KEY] = token
    return user


def _post(path: str, body: dict[str, str], *, reload: bool) -> None:
    """A same-origin POST from the browser (to set or clear the HttpOnly cookie). The body rides in an
    attribute of the policy's one POST script, which takes it off the page before it sends it."""
    data = {"path": path, "body": json.dumps(body), "reload": "1" if reload else "0"}
    st.html(inline_script(POST_SCRIPT, **data), unsafe_allow_javascript=True)


@st.fragment(run_every=COOKIE_CHECK_SECONDS)
def _send_session_cookie(token: str) -> None:
    """The script that posts a new sign-in's token for its cookie. Every half second the fragment looks whether
    the route has answered it; then (or ``COOKIE_GIVE_UP_SECONDS`` after the first look, whatever happened: a
    browser starved of CPU may take long to run the script) the app reruns without the script, so the token is
    no longer anywhere in the page."""
    now = time.monotonic()
    since = st.session_state.get(COOKIE_SINCE_KEY)
    if isinstance(since, float) and (take_delivered(token) or now - since >= COOKIE_GIVE_UP_SECONDS):
        st.session_state.pop(PENDING_COOKIE_KEY, None)
        st.session_state.pop(COOKIE_SINCE_KEY, None)
        st.rerun()
    if not isinstance(since, float):
        st.session_state[COOKIE_SINCE_KEY] = now
    _post(SESSION_PATH, {"token": token}, reload=False)  # the same element again: the browser runs it once


def keep_cookie_in_step() -> None:
    """Have the browser set the cookie for a new sign-in, then take the script and its token off the page."""
    token = st.session_state.get(PENDING_COOKIE_KEY)
    if token:
        _send_session_cookie(str(token))


def sign_in_page() -> None:
    """The sign-in form; on success the session starts and the app reruns signed in."""
    if st.session_state.pop(CLEAR_COOKIE_KEY, False):
        _post(SIGN_OUT_PATH, {}, reload=False)
        st.success(t("session.signed_out"))
    if st.session_state.pop(ENDED_KEY, False):
        st.warning(t("session.ended"), icon=":material/lock_clock:")
    st.title(t("app.title"))
    with st.form("sign_in"):
        st.subheader(t("session.title"))
        username = st.text_input(t("session.username"), autocomplete="username")
        password = st.text_input(t("session.password"), type="password", autocomplete="current-password")
        submitted = st.form_submit_button(t("session.sign_in"), type="primary")
    if not submitted:
        st.caption(t("session.hint"))
        return
    # Counted per source address and per account name; the device cookie marks a browser that has signed in
    # to an account before (dashboard/services/sign_in_throttle.py).
    address, device = st.context.ip_address, st.context.cookies.get(DEVICE_COOKIE)
    address = address if isinstance(address, str) else None  # None on this machine (and in AppTest)
    device = device if isinstance(device, str) else None
    with Session(engine()) as reading:  # the slow hashing, before the write lock is taken
        checked = check_password(session=reading, username=username, password=password, address=address,
                                 device=device)

    def signing_in() -> SignedIn | None:
        with Session(writing(engine())) as session:
            try:
                started = sign_in(session=session, username=username, password=password, checked=checked,
                                  address=address, device=device)
            except SignInRefused:
                session.commit()  # the failure count and the audit row
                return None
            session.commit()
            return started

    # a database that cannot take the write says so as a save's does (faults.write; page_guard shows it)
    signed_in = write(signing_in)
    if signed_in is None:
        st.error(t("session.refused"))  # the same for an unknown name, a wrong password and a delay
        return
    st.session_state[TOKEN_KEY] = signed_in.token
    st.session_state[PENDING_COOKIE_KEY] = signed_in.token
    st.rerun()


def sign_out_button(user: CurrentUser) -> None:
    """The user's name and role, and the sign-out button, in the sidebar."""
    st.sidebar.text(f"{user.display_name} · {label('role', user.actor.role)}")
    if st.sidebar.button(t("session.sign_out"), icon=":material/logout:", key="sign_out"):
        def signing_out() -> None:
            with Session(writing(engine())) as session:
                sign_out(session=session, token=_token())
                session.commit()

        write(signing_out)  # as a save: a database that cannot take it says so, and the tab stays signed in
        st.session_state.pop(TOKEN_KEY, None)
        st.session_state[CLEAR_COOKIE_KEY] = True
        st.rerun()

