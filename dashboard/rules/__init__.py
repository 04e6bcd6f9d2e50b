"""Pure domain rules (DESIGN.md section 4): no streamlit, no I/O beyond what is passed in."""
