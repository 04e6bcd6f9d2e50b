"""Messages of the overview page."""

MESSAGES: dict[str, str] = {
}
