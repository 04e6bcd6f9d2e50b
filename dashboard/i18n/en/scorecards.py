"""Messages of the scorecards page."""

MESSAGES: dict[str, str] = {
}
