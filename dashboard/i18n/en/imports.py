"""Messages of the imports panel of the records page."""

MESSAGES: dict[str, str] = {
}
