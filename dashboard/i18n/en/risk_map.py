"""Messages of the risk_map page."""

MESSAGES: dict[str, str] = {
}
