"""Event tables out: the graph's events as rows for pandas, R, spreadsheets and
PLOVER tools (CSV, Parquet, PLOVER JSON Lines)."""
