"""Fetching news from the web: politely, conditionally, and only what changed."""
