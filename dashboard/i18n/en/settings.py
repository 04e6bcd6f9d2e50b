"""Messages of the settings page."""

MESSAGES: dict[str, str] = {
}
