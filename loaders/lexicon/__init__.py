"""The vocabulary extraction reads: the gazetteer and the word tables, as data."""
