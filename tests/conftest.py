"""Shared fixtures: real stores on disk, the real model, a real server process.
Helpers that are not fixtures live in ``tests/helpers.py``."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from hypothesis import settings as hypothesis_settings

from communique.load.pipeline import load_paths
from communique.load.report import LoadReport
from communique.server.app import create_app
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


def loaded_store(
    factory: pytest.TempPathFactory, name: str, source: Path
) -> tuple[Path, LoadReport]:
    """A new store on disk with ``source`` loaded, closed again; and the report."""
    path = factory.mktemp(name) / "store"
    writer = EmbeddedStore(path, Iris(BASE_IRI))
    report = load_paths([source], writer, MODEL)
    writer.close()
    return path, report


@pytest.fixture(scope="session")
def samples_store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding the two shared sample articles, loaded once per session."""
    path, report = loaded_store(tmp_path_factory, "samples", CORPUS)
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
    path, report = loaded_store(tmp_path_factory, "examples", EXAMPLES)
    assert not report.failures, report.outcomes
    return path


@pytest.fixture(scope="session")
def examples_client(examples_store_path: Path) -> FlaskClient:
    """The app (in this process) over the bundled examples."""
    settings = Settings.from_env({}, store=examples_store_path, base_iri=BASE_IRI)
    store = EmbeddedStore(examples_store_path, Iris(BASE_IRI), read_only=True)
    return create_app(settings, store).test_client()


@pytest.fixture(scope="session")
def analyst_store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding the dated news items of tests/data/analyst_news.jsonl."""
    path, report = loaded_store(tmp_path_factory, "analyst", ANALYST_NEWS)
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
