"""The README's example queries run on the bundled examples and answer something."""

from __future__ import annotations

import re

import pytest

from communique.load.pipeline import load_paths
from communique.query.results import run_query
from communique.store.base import Store
from communique.store.embedded import EmbeddedStore
from communique.vocab import Iris
from tests.helpers import BASE_IRI, MODEL, REPO

QUERIES = re.findall(r"```sparql\n(.*?)```", (REPO / "README.md").read_text("utf-8"), re.S)


@pytest.fixture(scope="module")
def examples_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    store = EmbeddedStore(tmp_path_factory.mktemp("examples") / "store", Iris(BASE_IRI))
    report = load_paths([REPO / "examples" / "articles"], store, MODEL)
    assert not report.failures, report.failures
    return store


def test_the_readme_has_example_queries() -> None:
    assert len(QUERIES) >= 3


@pytest.mark.parametrize("query", QUERIES, ids=[f"query{n}" for n in range(len(QUERIES))])
def test_each_readme_query_answers_on_the_examples(examples_store: Store, query: str) -> None:
    rows = list(run_query(examples_store, query))
    assert rows, "the example query found nothing in the bundled examples"


def test_every_example_article_is_loaded(examples_store: Store) -> None:
    folder = REPO / "examples" / "articles"
    expected = (
        len(list(folder.glob("*.md")))
        + len(list(folder.glob("*.txt")))
        + sum(
            1 for f in folder.glob("*.jsonl") for line in f.read_text("utf-8").splitlines() if line
        )
    )
    count = examples_store.select("SELECT (COUNT(*) AS ?n) WHERE { ?a a dip:Article }")[0]["n"]
    assert count == expected


def test_the_readmes_commands_use_the_store_the_demo_loaded() -> None:
    """After `scripts/demo.sh`, the README's next commands must see its articles."""
    demo = (REPO / "scripts" / "demo.sh").read_text("utf-8")
    (demo_store,) = re.findall(r"COMMUNIQUE_STORE:-\$PWD/([\w./-]+)\}", demo)
    readme = (REPO / "README.md").read_text("utf-8")
    using = readme.split("## Using it", 1)[1].split("```", 2)[1]
    assert f"export COMMUNIQUE_STORE=$PWD/{demo_store}" in using
    assert f"`{demo_store}`" in readme.split("## Using it", 1)[0]  # the demo says where
