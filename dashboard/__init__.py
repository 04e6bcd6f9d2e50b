"""Park Safety Supervision Dashboard (园区安全生产监管看板)."""

__version__ = "0.1.0"
