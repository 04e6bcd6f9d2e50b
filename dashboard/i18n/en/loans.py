"""Messages of the loans page."""

MESSAGES: dict[str, str] = {
}
