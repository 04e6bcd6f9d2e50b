"""The sign-in gate, the signed-in user, and the browser's session cookie.

The token of a signed-in user is kept in ``st.session_state`` for this browser tab and, through
the ``/auth/session`` route, in an HttpOnly cookie that survives a refresh. Every run checks
the token against the database, so a session ended or expired anywhere ends here too.
"""

from __future__ import annotations

import json

import streamlit as st
from sqlmodel import Session

from dashboard.auth_routes import HEADER, SESSION_PATH, SIGN_OUT_PATH
from dashboard.db import writing
from dashboard.i18n import label, t
from dashboard.services.sign_in import (
    CurrentUser,
    SignInRefused,
    check_password,
    sign_in,
    sign_out,
    user_for_token,
)
from dashboard.services.sign_in_throttle import DEVICE_COOKIE
from dashboard.views.data import engine
from dashboard.views.signed_in import ENDED_KEY, TOKEN_KEY, session_token

PENDING_COOKIE_KEY = "_park_safety_set_cookie"
CLEAR_COOKIE_KEY = "_park_safety_clear_cookie"


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
    """A same-origin POST from the browser (to set or clear the HttpOnly cookie)."""
    then = ".then(() => window.location.reload())" if reload else ""
    script = (
        f"<script>fetch({json.dumps(path)}, {{method: 'POST', credentials: 'same-origin', "
        f"headers: {{'Content-Type': 'application/json', {json.dumps(HEADER)}: '1'}}, "
        f"body: {json.dumps(json.dumps(body))}}}){then};</script>"
    )
    st.html(script, unsafe_allow_javascript=True)


def keep_cookie_in_step() -> None:
    """Send the browser the cookie for a new sign-in (once)."""
    token = st.session_state.pop(PENDING_COOKIE_KEY, None)
    if token:
        _post(SESSION_PATH, {"token": token}, reload=False)


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
    with Session(writing(engine())) as session:
        try:
            signed_in = sign_in(session=session, username=username, password=password, checked=checked,
                                address=address, device=device)
        except SignInRefused:
            session.commit()  # the failure count and the audit row
            st.error(t("session.refused"))  # the same for an unknown name, a wrong password and a delay
            return
        session.commit()
    st.session_state[TOKEN_KEY] = signed_in.token
    st.session_state[PENDING_COOKIE_KEY] = signed_in.token
    st.rerun()


def sign_out_button(user: CurrentUser) -> None:
    """The user's name and role, and the sign-out button, in the sidebar."""
    st.sidebar.text(f"{user.display_name} · {label('role', user.actor.role)}")
    if st.sidebar.button(t("session.sign_out"), icon=":material/logout:", key="sign_out"):
        with Session(writing(engine())) as session:
            sign_out(session=session, token=_token())
            session.commit()
        st.session_state.pop(TOKEN_KEY, None)
        st.session_state[CLEAR_COOKIE_KEY] = True
        st.rerun()

