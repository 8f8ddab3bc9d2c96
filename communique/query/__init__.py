"""Answering SPARQL: results and formats, the guard, the worker pool, the cache."""
