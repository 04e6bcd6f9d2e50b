"""One thin script per dashboard page: read widgets, call services, draw."""
