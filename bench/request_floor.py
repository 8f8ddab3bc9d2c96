"""What one request costs before any query work: `ASK {}` against each server.

    python bench/request_floor.py [--requests 400]

Loads the shared sample articles into a temporary store, then starts on
127.0.0.1, one after another: a bare WSGI app under gunicorn (the floor of any
Python server: it answers a fixed body), `oxigraph serve-read-only`, and
`communique serve` with its result cache off and on. Each gets the same
keep-alive client asking `ASK {}`; the median of the requests after the first
50 is printed. Needs the `oxigraph` PyPI package (the server binary).
"""

from __future__ import annotations

import argparse
import http.client
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Callable, Iterable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from endpoint_vs_oxigraph import free_port, wait_up

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"
ASK = urllib.parse.urlencode({"query": "ASK {}"})
ANSWER = b'{"head":{},"boolean":true}'


def bare_app(environ: dict[str, object], start_response: Callable[..., object]) -> Iterable[bytes]:
    """The least a WSGI server can do: a fixed answer."""
    start_response(
        "200 OK",
        [("Content-Type", "application/sparql-results+json"), ("Content-Length", str(len(ANSWER)))],
    )
    return [ANSWER]


def median_ms(port: int, path: str, requests: int) -> float:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        connection.request("GET", path, headers={"Accept": "application/sparql-results+json"})
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            raise RuntimeError(f"{path}: {response.status}")
        times.append(time.perf_counter() - started)
    connection.close()
    return statistics.median(times[50:]) * 1000


def measure(command: list[str], port: int, path: str, requests: int, **popen: object) -> float:
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **popen
    )
    try:
        wait_up(port, path)
        return median_ms(port, path, requests)
    finally:
        process.terminate()
        process.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=400)
    args = parser.parse_args()
    python = sys.executable
    oxigraph = shutil.which("oxigraph") or str(Path(python).parent / "oxigraph")
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "store"
        env = {**os.environ, "COMMUNIQUE_STORE": str(store)}
        subprocess.run(
            [python, "-m", "communique", "load", "--quiet", str(CORPUS)], env=env, check=True
        )
        rows = []
        port = free_port()
        gunicorn = [python, "-m", "gunicorn", "-w", "1", "--threads", "8", "-k", "gthread"]
        rows.append(
            (
                "bare WSGI app under gunicorn",
                measure(
                    [
                        *gunicorn,
                        "-b",
                        f"127.0.0.1:{port}",
                        "--chdir",
                        str(REPO / "bench"),
                        "request_floor:bare_app",
                    ],
                    port,
                    "/",
                    args.requests,
                ),
            )
        )
        port = free_port()
        native = [oxigraph, "serve-read-only", "--location", str(store), "--bind"]
        rows.append(
            (
                "oxigraph serve-read-only",
                measure([*native, f"127.0.0.1:{port}"], port, f"/query?{ASK}", args.requests),
            )
        )
        for cache_mb in ("0", "32"):
            port = free_port()
            command = [python, "-m", "communique", "serve", "--port", str(port)]
            rows.append(
                (
                    f"communique serve, result cache {cache_mb} MB",
                    measure(
                        command,
                        port,
                        f"/sparql?{ASK}",
                        args.requests,
                        env={**env, "COMMUNIQUE_RESULT_CACHE_MB": cache_mb},
                    ),
                )
            )
    for name, ms in rows:
        print(f"{name:36} {ms:.3f} ms")


if __name__ == "__main__":
    main()
