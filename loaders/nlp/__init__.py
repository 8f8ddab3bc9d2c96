"""spaCy: the pipeline, parsed units, and the units an article is cut into."""
