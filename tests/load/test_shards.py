"""The bulk path: `extract` to shards (local processes or a Dask cluster), then
`load-shards` into the embedded store or an Oxigraph server; the dataset is
the one a plain `load` makes."""

from __future__ import annotations

import gzip
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from communique.load.shards import read_manifest
from communique.loaders.read.article import Article
from communique.loaders.read.readers import read_paths
from communique.settings import Settings
from communique.store.embedded import EmbeddedStore
from communique.store.opening import location_from_settings, open_location
from communique.vocab import Iris
from tests.helpers import BASE_IRI, EXAMPLES, dataset_lines, oxigraph_server, run_cli
from tests.load.test_incremental import write_articles


def embedded_quads(path: Path) -> set[str]:
    store = EmbeddedStore(path, Iris(BASE_IRI), read_only=True)
    try:
        return dataset_lines(store)
    finally:
        store.close()


@pytest.fixture(scope="module")
def articles(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Forty generated articles (two shards' worth and more), the bundled examples,
    and one empty file that must fail."""
    folder = tmp_path_factory.mktemp("articles")
    write_articles(folder / "generated", 40)
    for example in EXAMPLES.iterdir():
        (folder / example.name).write_bytes(example.read_bytes())
    (folder / "empty.txt").write_text("", encoding="utf-8")
    return folder


def readable(folder: Path) -> int:
    """How many articles the folder holds that can be read."""
    return sum(1 for r in read_paths([folder]) if isinstance(r, Article))


@pytest.fixture(scope="module")
def plain(articles: Path, tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    """What a plain `load` of the same articles stores."""
    store = tmp_path_factory.mktemp("plain") / "store"
    result = run_cli(store, "load", "--quiet", "--workers", "1", str(articles))
    assert result.returncode == 1 and "empty.txt" in result.stderr  # the empty file
    return embedded_quads(store)


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    """A Dask LocalCluster with two worker processes, started here."""
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
    ) as local:
        yield local.scheduler_address


@pytest.fixture(scope="module")
def shards(articles: Path, cluster: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("shards")
    store = tmp_path_factory.mktemp("unused") / "store"
    result = run_cli(
        store, "extract", "--quiet", "--cluster", cluster, "--out", str(out), str(articles)
    )
    assert result.returncode == 1, result.stderr  # the empty file failed…
    assert "empty.txt" in result.stderr
    # …and the rest went through
    assert f"{readable(articles)} extracted, 0 unchanged, 1 failed" in result.stdout
    return out


def test_extract_on_a_cluster_then_load_shards_equals_a_plain_load(
    shards: Path, plain: set[str], articles: Path, tmp_path: Path
) -> None:
    count = readable(articles)
    assert len({e.shard for e in read_manifest(shards) if e.ok}) >= 2
    store = tmp_path / "store"
    result = run_cli(store, "load-shards", "--quiet", str(shards))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"{count} loaded, 0 replaced, 0 copied, 0 unchanged")
    assert embedded_quads(store) == plain
    again = run_cli(store, "load-shards", "--quiet", str(shards))
    assert again.stdout.startswith(f"0 loaded, 0 replaced, 0 copied, {count} unchanged")
    assert embedded_quads(store) == plain


def test_load_shards_into_an_oxigraph_server_equals_a_plain_load(
    shards: Path, plain: set[str], oxigraph_url: str
) -> None:
    result = run_cli(oxigraph_url, "load-shards", "--quiet", str(shards))
    assert result.returncode == 0, result.stderr
    server = open_location(location_from_settings(Settings(store=oxigraph_url)), Iris(BASE_IRI))
    assert dataset_lines(server) == plain
    server.close()


def test_extract_again_skips_what_the_manifest_lists(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write_articles(folder, 40)
    out = tmp_path / "shards"
    first = extract_locally(tmp_path, out, folder)
    assert "40 extracted, 0 unchanged, 0 failed" in first.stdout
    (folder / "story-000.txt").unlink()  # gone: nothing else changes
    second = extract_locally(tmp_path, out, folder, EXAMPLES)
    examples = readable(EXAMPLES)
    assert f"{examples} extracted, 39 unchanged, 0 failed" in second.stdout
    seqs = [e.seq for e in read_manifest(out)]
    assert sorted(seqs) == list(range(40 + examples))


def extract_locally(tmp_path: Path, out: Path, *paths: Path) -> subprocess.CompletedProcess[str]:
    return run_cli(
        tmp_path / "s", "extract", "--quiet", "--workers", "1", "--out", str(out), *map(str, paths)
    )


def test_a_torn_manifest_line_is_dropped_and_that_article_extracted_again(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "in"
    write_articles(folder, 3)
    out = tmp_path / "shards"
    assert extract_locally(tmp_path, out, folder).returncode == 0
    manifest = out / "manifest.jsonl"
    lines = manifest.read_text().splitlines(keepends=True)
    manifest.write_text("".join(lines[:2]) + lines[2][:40])  # killed mid-write
    again = extract_locally(tmp_path, out, folder)
    assert "1 extracted, 2 unchanged, 0 failed" in again.stdout, again.stderr
    assert len(list(read_manifest(out))) == 3


def test_a_cluster_that_does_not_answer_gets_a_clear_message(tmp_path: Path) -> None:
    from tests.helpers import free_port

    address = f"tcp://127.0.0.1:{free_port()}"
    result = run_cli(
        tmp_path / "s", "extract", "--cluster", address, "--out", str(tmp_path / "o"), str(EXAMPLES)
    )
    assert result.returncode == 2
    assert f"cannot reach the Dask scheduler at {address}" in result.stderr


@pytest.mark.parametrize("damage", ["missing", "cut short", "not N-Quads"])
def test_a_damaged_shard_is_named_the_rest_loads_and_extract_mends_it(
    tmp_path: Path, damage: str
) -> None:
    folder = tmp_path / "in"
    write_articles(folder, 40)  # two shards
    out = tmp_path / "shards"
    assert extract_locally(tmp_path, out, folder).returncode == 0
    first = sorted(read_manifest(out), key=lambda e: e.seq)[0].shard
    shard = out / str(first)
    held = sum(1 for e in read_manifest(out) if e.shard == first)
    if damage == "missing":
        shard.unlink()
    elif damage == "cut short":
        shard.write_bytes(shard.read_bytes()[: shard.stat().st_size // 2])
    else:
        shard.write_bytes(gzip.compress(b"<a> <b> this is not a quad .\n"))
    result = run_cli(tmp_path / "store", "load-shards", "--quiet", str(out))
    assert result.returncode == 1, result.stderr
    assert str(shard) in result.stderr and "run `communique extract` again" in result.stderr
    assert f"{40 - held} loaded" in result.stdout
    assert f"{held} articles in damaged shards" in result.stdout
    shard.unlink(missing_ok=True)  # as the message says
    again = extract_locally(tmp_path, out, folder)
    assert f"{held} extracted, {40 - held} unchanged, 0 failed" in again.stdout, again.stdout
    mended = run_cli(tmp_path / "store", "load-shards", "--quiet", str(out))
    assert mended.returncode == 0, mended.stderr
    assert mended.stdout.startswith(f"{held} loaded, 0 replaced, 0 copied, {40 - held} unchanged")


def test_load_shards_fails_when_the_store_does_not_hold_what_it_accepted(
    shards: Path, tmp_path: Path
) -> None:
    """The Graph Store endpoint named here belongs to another server: every upload
    succeeds, yet the store holds nothing. The load must say so, not report success."""
    (tmp_path / "store").mkdir()
    (tmp_path / "elsewhere").mkdir()
    for store in oxigraph_server(tmp_path / "store"):
        for elsewhere in oxigraph_server(tmp_path / "elsewhere"):
            result = run_cli(
                store, "load-shards", "--quiet", str(shards), store_gsp_url=elsewhere + "store"
            )
            assert result.returncode == 2
            assert "accepted the upload of" in result.stderr
            assert "--store-gsp-url" in result.stderr
