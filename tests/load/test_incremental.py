"""Loading incrementally and safely: entity descriptions follow the articles,
pruning, a loader killed mid-batch, and readers during a load."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from communique.load.pipeline import load_paths, prune
from communique.store.base import Store
from communique.store.embedded import STATE_FILE, UNNOTED_FILE, EmbeddedStore
from tests.helpers import (
    MODEL,
    STORE_KINDS,
    cli_env,
    dataset_lines,
    oxigraph_server,
    run_cli,
    serve_store,
)

COUNTRIES = ["Chile", "Peru", "Norway", "Kenya", "Japan", "Ghana", "Egypt", "Brazil"]


def write_articles(folder: Path, count: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        a, b = COUNTRIES[n % 8], COUNTRIES[(n + 3) % 8]
        (folder / f"story-{n:03d}.txt").write_text(
            f"{a} and {b} hold talks, round {n}\n"
            f"Foreign ministers of {a} and {b} met in Geneva on Monday for round {n} of talks. "
            f"{a} urged {b} to reopen its embassy.\n",
            encoding="utf-8",
        )


def entity_subjects(store: Store) -> set[str]:
    rows = store.select(
        f"SELECT DISTINCT ?x WHERE {{ GRAPH <{store.iris.entities_graph}> {{ ?x ?p ?o }} }}"
    )
    return {str(r["x"]) for r in rows}


def test_an_actor_whose_last_mention_goes_disappears_from_the_entities_graph(
    store: Store, tmp_path: Path
) -> None:
    (tmp_path / "a.txt").write_text("Talks\nChile met Peru in Geneva.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("More talks\nChile met Kenya in Oslo.", encoding="utf-8")
    load_paths([tmp_path / "a.txt", tmp_path / "b.txt"], store, MODEL)
    base = store.iris.base
    assert {base + "country/PE", base + "country/KE", base + "country/CL"} <= entity_subjects(store)
    (tmp_path / "b.txt").write_text("More talks\nChile met Ghana in Oslo.", encoding="utf-8")
    load_paths([tmp_path / "b.txt"], store, MODEL)  # replaced: Kenya is no longer named
    subjects = entity_subjects(store)
    assert base + "country/KE" not in subjects and base + "country/GH" in subjects
    (article,) = store.resolve_article("a")
    store.remove_article(article)
    subjects = entity_subjects(store)
    assert base + "country/PE" not in subjects
    assert base + "country/CL" in subjects  # still named by b


def test_prune_removes_articles_whose_files_are_gone(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "news"
    write_articles(folder, 3)
    load_paths([folder], store, MODEL)
    (folder / "story-001.txt").unlink()
    removed = prune(store, [folder])
    assert len(removed) == 1
    rows = store.select("SELECT (COUNT(*) AS ?n) WHERE { ?a a dip:Article }")
    assert rows[0]["n"] == 2
    assert prune(store, [tmp_path / "elsewhere"]) == []


def test_load_prune_keeps_an_article_whose_file_was_renamed(tmp_path: Path) -> None:
    """Moving or renaming files must not lose their articles: the load meets the
    same text under the new name ("unchanged"), and prune leaves it."""
    folder = tmp_path / "news"
    write_articles(folder, 2)
    store = tmp_path / "store"
    assert run_load(store, folder).returncode == 0
    before = quads(store)
    (folder / "story-001.txt").rename(folder / "renamed.txt")
    again = run_cli(store, "load", "--quiet", "--prune", str(folder), timeout=300)
    assert again.returncode == 0, again.stderr
    assert "0 loaded, 0 replaced, 0 copied, 2 unchanged, 0 failed, 0 pruned" in again.stdout
    assert quads(store) == before
    (folder / "renamed.txt").unlink()  # now it is gone
    gone = run_cli(store, "load", "--quiet", "--prune", str(folder), timeout=300)
    assert "1 unchanged, 0 failed, 1 pruned" in gone.stdout, gone.stdout


def test_prune_keeps_a_story_while_a_copy_of_it_is_still_loaded(
    store: Store, tmp_path: Path
) -> None:
    """The original's file is gone but another outlet's copy of the story is still
    in the folder: the story stays, with the copy among its sources."""
    from tests.load.test_copies import copies

    folder = tmp_path / "wire"
    folder.mkdir()
    for n, record in enumerate(copies(2)):
        (folder / f"outlet-{n}.txt").write_text(record["body"], encoding="utf-8")
    load_paths([folder], store, MODEL)
    (folder / "outlet-0.txt").unlink()
    report = load_paths([folder], store, MODEL)
    assert prune(store, [folder], report.articles_met()) == []
    assert len(store.select("SELECT ?a WHERE { GRAPH ?a { ?a a dip:Article } }")) == 1
    assert len(store.select("SELECT ?c WHERE { ?a dip:copy ?c }")) == 1
    assert len(prune(store, [folder])) == 1  # nothing met: the original's file is gone


def quads(path: Path) -> set[ox.Quad]:
    return set(ox.Store.read_only(str(path)))


def run_load(store: Path, folder: Path) -> subprocess.CompletedProcess[str]:
    return run_cli(store, "load", "--quiet", str(folder), timeout=300)


def child_pids(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in children.read_text().split()] if children.exists() else []


def wait_until_gone(pids: list[int], seconds: float = 15) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not [p for p in pids if is_running(p)]:
            return True
        time.sleep(0.2)
    return False


def is_running(pid: int) -> bool:
    """Alive and not a zombie waiting for a container's init to reap it."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def generation(store: Path) -> int:
    try:
        return int(json.loads((store / STATE_FILE).read_text())["generation"])
    except (FileNotFoundError, json.JSONDecodeError, KeyError):
        return 0


def test_a_loader_killed_mid_batch_leaves_a_valid_store_and_a_rerun_finishes_the_job(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "news"
    write_articles(folder, 24)
    clean, crashed = tmp_path / "clean", tmp_path / "crashed"
    assert run_load(clean, folder).returncode == 0
    loader = subprocess.Popen(
        [sys.executable, "-m", "communique", "load", "--quiet", "--workers", "2", str(folder)],
        env=cli_env(crashed),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    # Killed while a batch is being written: its first articles are stored, and
    # the readers not yet told (the loader tells them once a batch is written).
    unnoted = crashed / UNNOTED_FILE
    deadline = time.monotonic() + 120
    while not unnoted.exists() and time.monotonic() < deadline and loader.poll() is None:
        time.sleep(0.002)
    workers = child_pids(loader.pid)
    os.kill(loader.pid, signal.SIGKILL)
    loader.wait()
    assert unnoted.exists(), "the kill should come while a batch was being written"
    told = generation(crashed)
    assert workers, "the loader should run extraction workers (default: one per core)"
    assert wait_until_gone(workers), "extraction workers outlived their killed loader"
    written = sum(
        1
        for q in quads(crashed)
        if q.predicate.value.endswith("#type") and q.object.value.endswith("#Article")
    )
    assert 0 < written < 24, f"the kill came too late or too early ({written} written)"
    validated = subprocess.run(
        [sys.executable, "-m", "communique", "validate"],
        env=cli_env(crashed),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert validated.returncode == 0, validated.stdout + validated.stderr
    rerun = run_load(crashed, folder)
    assert rerun.returncode == 0
    assert f"{written} unchanged" in rerun.stdout
    assert quads(crashed) == quads(clean)  # no blank nodes: equal sets are isomorphic
    assert not unnoted.exists() and generation(crashed) > told  # readers were told


@pytest.mark.parametrize("kind", STORE_KINDS)
def test_a_server_sees_each_article_whole_while_a_load_runs(kind: str, tmp_path: Path) -> None:
    folder = tmp_path / "news"
    write_articles(folder, 24)
    reference = tmp_path / "reference"
    assert run_load(reference, folder).returncode == 0
    sizes = {str(q.graph_name.value): 0 for q in quads(reference)}
    for quad in quads(reference):
        sizes[str(quad.graph_name.value)] += 1
    for live in _empty_store(kind, tmp_path):
        _watch_a_load(live, folder, sizes, tmp_path)


def _empty_store(kind: str, tmp_path: Path) -> Iterator[str]:
    """An empty embedded store, or a real Oxigraph server, until closed."""
    if kind != "embedded":
        yield from oxigraph_server(tmp_path)
        return
    EmbeddedStore.create_if_missing(tmp_path / "live", _iris())
    yield str(tmp_path / "live")


# one worker, batches of two: twelve writes one after another, apart
LOAD_IN_TWELVE_WRITES = (
    sys.executable,
    "-m",
    "communique",
    "load",
    "--quiet",
    "--workers",
    "1",
    "--batch",
    "2",
)


def _watch_a_load(live: str, folder: Path, sizes: dict[str, int], tmp_path: Path) -> None:
    """Query a server over ``live`` while a load runs: never half an article."""
    query = (
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
        "FILTER(CONTAINS(STR(?g), '/article/')) } GROUP BY ?g"
    )
    seen_partial, seen_counts = [], set()
    for base in serve_store(live, tmp_path / "server.log"):  # type: ignore[arg-type]
        assert 'id="count-articles">0<' in home_page(base)
        loader = subprocess.Popen(
            [*LOAD_IN_TWELVE_WRITES, str(folder)],
            env=cli_env(live),  # type: ignore[arg-type]
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        while True:
            url = base + "/sparql?" + urllib.parse.urlencode({"query": query})
            request = urllib.request.Request(
                url, headers={"Accept": "application/sparql-results+json"}
            )
            with urllib.request.urlopen(request, timeout=30) as response:
                rows = json.load(response)["results"]["bindings"]
            seen_counts.add(len(rows))
            seen_partial += [
                r["g"]["value"] for r in rows if int(r["n"]["value"]) != sizes[r["g"]["value"]]
            ]
            if loader.poll() is not None and len(rows) == 24:
                break
            time.sleep(0.05)
        assert loader.returncode == 0
        # the figures follow the store (an external store's change record is re-read
        # at most a second later)
        assert _eventually(lambda url=base: 'id="count-articles">24<' in home_page(url))
    assert seen_partial == []
    assert len(seen_counts) > 2  # the server saw the store grow during the load


def _eventually(check: Callable[[], bool], seconds: float = 5) -> bool:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


def home_page(base: str) -> str:
    with urllib.request.urlopen(base + "/", timeout=30) as response:
        return response.read().decode("utf-8")


def _iris():  # type: ignore[no-untyped-def]
    from communique.vocab import Iris
    from tests.helpers import BASE_IRI

    return Iris(BASE_IRI)


def test_no_local_path_is_published_and_prune_knows_its_own_folder(
    store: Store, tmp_path: Path
) -> None:
    folder = tmp_path / "news"
    write_articles(folder, 2)
    load_paths([folder], store, MODEL)
    published = "\n".join(dataset_lines(store))
    assert str(tmp_path) not in published
    assert "story-001.txt" in published  # the path under the folder, for --prune
    twin = tmp_path / "other" / "news"  # a folder of the same name elsewhere
    twin.mkdir(parents=True)
    assert prune(store, [twin]) == []
    (folder / "story-001.txt").unlink()
    assert len(prune(store, [folder])) == 1
