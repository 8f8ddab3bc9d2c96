"""The examples in docstrings run and hold."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "communique.vocab",
    "communique.loaders.dates",
    "communique.loaders.gazetteer",
    "communique.loaders.mentions",
    "communique.loaders.text",
    "communique.loaders.topics",
    "communique.query_guard",
    "communique.server.search",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    failures, tried = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert tried > 0, f"{name} has no examples"
    assert failures == 0
