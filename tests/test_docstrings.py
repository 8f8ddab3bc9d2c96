"""The examples in docstrings run and hold, in every module of the package."""

from __future__ import annotations

import doctest
import importlib

import pytest

from tests.helpers import package_modules

# Modules whose import needs a display or a running service: none today.
SKIPPED: set[str] = set()


def all_modules() -> list[str]:
    return sorted(name for name in package_modules() if name not in SKIPPED)


def with_examples() -> list[str]:
    finder = doctest.DocTestFinder()
    named = []
    for name in all_modules():
        module = importlib.import_module(name)
        if any(test.examples for test in finder.find(module)):
            named.append(name)
    return named


def test_the_walk_finds_the_modules_with_examples() -> None:
    # guards the walk itself: a broken walk would make the test below check nothing
    expected = {"communique.vocab", "communique.sparql_text", "communique.loaders.rules.dates"}
    assert expected <= set(with_examples())


@pytest.mark.parametrize("name", with_examples())
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    failures, tried = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert tried > 0
    assert failures == 0
