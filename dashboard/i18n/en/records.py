"""Messages of the records page."""

MESSAGES: dict[str, str] = {
}
