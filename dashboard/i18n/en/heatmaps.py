"""Messages of the heatmaps page."""

MESSAGES: dict[str, str] = {
}
