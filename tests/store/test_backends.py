"""The store interface on its two implementations: the embedded Oxigraph store
and a real `oxigraph serve` reached over SPARQL 1.1 (the endpoint and page
suites also run on both: see their `STORE_KINDS` fixtures)."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from communique.load.pipeline import load_paths
from communique.loaders.read.readers import read_paths
from communique.settings import Settings
from communique.store.base import Store
from communique.store.embedded import EmbeddedStore
from communique.store.opening import location_from_settings, open_location
from communique.vocab import Iris
from tests.helpers import (
    BASE_IRI,
    EXAMPLES,
    MODEL,
    STORE_KINDS,
    dataset_lines,
    free_port,
    oxigraph_server,
    run_cli,
)
from tests.load.test_incremental import write_articles


def remote(url: str) -> Store:
    return open_location(location_from_settings(Settings(store=url)), Iris(BASE_IRI))


def test_loading_replacing_and_removing_give_the_same_dataset_on_both_stores(
    tmp_path: Path, oxigraph_url: str
) -> None:
    folder = tmp_path / "articles"
    write_articles(folder, 6)
    embedded = EmbeddedStore(tmp_path / "embedded", Iris(BASE_IRI))
    server = remote(oxigraph_url)
    for store in (embedded, server):
        assert not load_paths([folder], store, MODEL).failures
    (folder / "story-001.txt").write_text(
        "Talks end\nGhana and Egypt signed a trade pact in Accra on Friday.\n", encoding="utf-8"
    )
    (folder / "story-002.txt").unlink()
    for store in (embedded, server):
        report = load_paths([folder], store, MODEL)
        assert report.summary()["replaced"] == 1
        (gone,) = [
            a for a, _, source in store.article_sources() if source.endswith("story-002.txt")
        ]
        assert store.remove_article(gone)
    assert dataset_lines(server) == dataset_lines(embedded)
    remote_counts, local_counts = server.counts(), embedded.counts()
    assert remote_counts.pop("quads") == local_counts.pop("quads") + 2  # + the change record
    assert remote_counts == local_counts
    embedded.close()
    server.close()


def test_a_store_that_does_not_answer_gets_a_clear_message(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}/"
    result = run_cli(url, "stats")
    assert result.returncode == 2
    assert f"cannot reach the SPARQL store at {url}query" in result.stderr
    assert "is it running?" in result.stderr


# --------------------------------------------------------------------------- the CLI on both
@pytest.fixture(scope="module", params=STORE_KINDS)
def location(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    folder = tmp_path_factory.mktemp(request.param)
    if request.param == "embedded":
        yield str(folder / "store")
    else:
        yield from oxigraph_server(folder)


@pytest.fixture(scope="module")
def loaded(location: str, tmp_path_factory: pytest.TempPathFactory) -> dict:  # type: ignore[type-arg]
    report = tmp_path_factory.mktemp("report") / "report.json"
    result = run_cli(
        location, "load", "--quiet", "--workers", "1", "--report", str(report), str(EXAMPLES)
    )
    assert result.returncode == 0, result.stderr
    return json.loads(report.read_text())


def example_headlines() -> set[str]:
    return {article.headline for article in read_paths([EXAMPLES])}  # type: ignore[union-attr]


def test_the_examples_load_and_load_again_as_unchanged(location: str, loaded: dict) -> None:  # type: ignore[type-arg]
    count = len(example_headlines())
    assert loaded["summary"]["loaded"] == count
    again = run_cli(location, "load", "--quiet", "--workers", "1", str(EXAMPLES))
    assert again.returncode == 0
    assert f"0 loaded, 0 replaced, 0 copied, {count} unchanged, 0 failed" in again.stdout


def test_stats_query_and_validate_work(location: str, loaded: dict) -> None:  # type: ignore[type-arg]
    stats = json.loads(run_cli(location, "stats", "--json").stdout)
    assert stats["articles"] == len(example_headlines())
    assert stats["last_modified"]
    result = run_cli(
        location, "query", "--format", "json", "SELECT ?h WHERE { ?a schema:headline ?h }"
    )
    rows = json.loads(result.stdout)["results"]["bindings"]
    assert {r["h"]["value"] for r in rows} == example_headlines()
    assert run_cli(location, "validate").returncode == 0


def test_a_dump_holds_every_article_graph(location: str, loaded: dict, tmp_path: Path) -> None:  # type: ignore[type-arg]
    out = tmp_path / "all.nq.gz"
    assert run_cli(location, "dump", str(out)).returncode == 0
    quads = list(ox.parse(gzip.decompress(out.read_bytes()), format=ox.RdfFormat.N_QUADS))
    articles = {a["article"] for a in loaded["articles"]}
    assert articles <= {q.graph_name.value for q in quads}
    stats = json.loads(run_cli(location, "stats", "--json").stdout)
    assert len(quads) == stats["quads"]


def test_remove_drops_the_article(location: str, loaded: dict) -> None:  # type: ignore[type-arg]
    article = loaded["articles"][0]["article"]
    result = run_cli(location, "remove", article)
    assert result.returncode == 0 and article in result.stdout
    stats = json.loads(run_cli(location, "stats", "--json").stdout)
    assert stats["articles"] == len(example_headlines()) - 1
    assert run_cli(location, "remove", article).returncode == 1
