"""Shared fixtures: real stores on disk, the real model, a real server process.
Helpers that are not fixtures live in ``tests/helpers.py``."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from communique.load.pipeline import load_paths
from communique.settings import Settings
from communique.store.base import Store
from communique.store.embedded import EmbeddedStore
from communique.vocab import Iris
from tests.helpers import (
    ANALYST_NEWS,
    BASE_IRI,
    CORPUS,
    EXAMPLES,
    MODEL,
    oxigraph_server,
    serve_store,
)


def pytest_configure(config: pytest.Config) -> None:
    if not CORPUS.is_dir():
        raise pytest.UsageError(f"the shared sample corpus is missing: {CORPUS}")


@pytest.fixture
def iris() -> Iris:
    return Iris(BASE_IRI)


@pytest.fixture
def store(tmp_path: Path, iris: Iris) -> Iterator[Store]:
    """An empty writable store in a temporary folder."""
    opened = EmbeddedStore(tmp_path / "store", iris)
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def samples_store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding the two shared sample articles, loaded once per session."""
    path = tmp_path_factory.mktemp("samples") / "store"
    writer = EmbeddedStore(path, Iris(BASE_IRI))
    report = load_paths([CORPUS], writer, MODEL)
    writer.close()
    assert report.summary()["loaded"] == 2, report.outcomes
    return path


@pytest.fixture
def samples_store(samples_store_path: Path) -> Iterator[Store]:
    reader = EmbeddedStore(samples_store_path, Iris(BASE_IRI), read_only=True)
    yield reader
    reader.close()


@pytest.fixture(scope="session")
def live_server(
    samples_store_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """`communique serve` in its own process on a free port, over the samples store."""
    yield from serve_store(samples_store_path, tmp_path_factory.mktemp("serve") / "server.log")


@pytest.fixture(scope="session")
def examples_store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding the bundled example articles (what the demo serves)."""
    path = tmp_path_factory.mktemp("examples") / "store"
    writer = EmbeddedStore(path, Iris(BASE_IRI))
    report = load_paths([EXAMPLES], writer, MODEL)
    writer.close()
    assert not report.failures, report.outcomes
    return path


@pytest.fixture(scope="session")
def analyst_store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding the dated news items of tests/data/analyst_news.jsonl."""
    path = tmp_path_factory.mktemp("analyst") / "store"
    writer = EmbeddedStore(path, Iris(BASE_IRI))
    report = load_paths([ANALYST_NEWS], writer, MODEL)
    writer.close()
    assert not report.failures, report.outcomes
    return path


@pytest.fixture(scope="session")
def analyst_server(
    analyst_store_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """`communique serve` over the analyst's news items."""
    log = tmp_path_factory.mktemp("serve-analyst") / "server.log"
    yield from serve_store(analyst_store_path, log)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings.from_env({}, store=tmp_path / "store", base_iri=BASE_IRI, model=MODEL)


@pytest.fixture
def oxigraph_url(tmp_path: Path) -> Iterator[str]:
    yield from oxigraph_server(tmp_path)


# Generated inputs: the same examples on every CI run (derandomized), and many more
# in a long local run: HYPOTHESIS_PROFILE=long pytest tests/... (see bench/README.md).
hypothesis_settings.register_profile("ci", derandomize=True, deadline=None)
hypothesis_settings.register_profile("long", max_examples=2000, deadline=None)  # and see examples()
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
