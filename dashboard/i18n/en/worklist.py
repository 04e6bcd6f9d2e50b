"""Messages of the worklist panel of the records page."""

MESSAGES: dict[str, str] = {
}
