"""Alembic migrations; the app and `park-safety db upgrade` upgrade to head."""
