"""Reads and writes, one module per concern. Functions take a Session and return data;
no streamlit here. Every write checks the acting user's permission and is audited."""
