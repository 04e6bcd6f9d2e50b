"""Reusable Streamlit pieces: cached data access for pages, filters, KPI rows, forms."""
