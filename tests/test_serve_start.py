"""What `communique serve` says before it serves: a port in use, a store loaded
under another base IRI."""

from __future__ import annotations

import socket
from pathlib import Path

from communique.load.pipeline import load_paths
from communique.settings import Settings
from communique.store.embedded import EmbeddedStore
from communique.vocab import Iris
from server.wsgi import port_taken, prepare_store
from tests.helpers import MODEL, free_port, run_cli


def test_a_port_in_use_is_named_with_exit_code_2(tmp_path: Path) -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        assert port_taken("127.0.0.1", port)
        done = run_cli(tmp_path / "store", "serve", "--port", str(port), timeout=60)
    assert done.returncode == 2
    assert f"port {port}" in done.stderr and "already in use" in done.stderr
    assert "serving" not in done.stderr  # nothing claims to serve


def test_a_free_port_is_not_taken() -> None:
    assert not port_taken("127.0.0.1", free_port())


def test_a_store_loaded_under_another_base_iri_is_warned_about(tmp_path: Path) -> None:
    article = tmp_path / "talks.txt"
    article.write_text("Talks\nChile met Peru in Lima on Monday.", encoding="utf-8")
    store = EmbeddedStore(tmp_path / "store", Iris("http://one.example/id/"))
    load_paths([article], store, MODEL)
    store.close()
    same = Settings(store=tmp_path / "store", base_iri="http://one.example/id/")
    other = Settings(store=tmp_path / "store", base_iri="http://two.example/id/")
    assert prepare_store(same) is None
    warning = prepare_store(other)
    assert warning is not None
    assert "http://one.example/id/" in warning and "COMMUNIQUE_BASE_IRI" in warning
