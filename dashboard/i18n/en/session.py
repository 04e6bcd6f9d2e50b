"""Messages of signing in and out."""

MESSAGES: dict[str, str] = {
    "session.title": "Sign in",
    "session.username": "Username",
    "session.password": "Password",
    "session.sign_in": "Sign in",
    "session.sign_out": "Sign out",
    "session.signed_out": "You have signed out.",
    "session.ended": "Your session has ended (signed out, expired, or your account was changed by an "
                     "administrator): nothing more was saved. Sign in again.",
    "session.refused": "Wrong username or password.",
    "session.hint": "Use the account the park’s administrator gave you.",
}
