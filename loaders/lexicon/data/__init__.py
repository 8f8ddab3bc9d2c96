"""The gazetteer and the word tables (TSV), shipped as package data."""
