"""Every command and its documented exit codes, through click's CliRunner."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from communique.cli import main
from tests.helpers import CORPUS, cli_env

COMMANDS = ["load", "serve", "query", "validate", "dump", "stats", "remove"]
COUNT_ARTICLES = (
    "SELECT (COUNT(*) AS ?n) WHERE { ?a a <https://w3id.org/communique/ontology#Article> }"
)


@pytest.fixture
def run(tmp_path: Path):  # type: ignore[no-untyped-def]
    runner = CliRunner()
    env = cli_env(tmp_path / "store")

    def invoke(*args: str):  # type: ignore[no-untyped-def]
        return runner.invoke(main, list(args), env=env, catch_exceptions=False)

    return invoke


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_help_is_available_everywhere(run, command) -> None:  # type: ignore[no-untyped-def]
    result = run(*([command] if command else []), "--help")
    assert result.exit_code == 0
    assert "Usage:" in result.output


def test_load_query_stats_and_reload(run) -> None:  # type: ignore[no-untyped-def]
    first = run("load", "--quiet", str(CORPUS))
    assert first.exit_code == 0, first.output
    assert "2 loaded" in first.output
    counted = run("query", "--format", "csv", COUNT_ARTICLES)
    assert counted.output.splitlines() == ["n", "2"]
    table = run("query", COUNT_ARTICLES)
    assert "│ 2 │" in table.output
    again = run("load", "--quiet", str(CORPUS))
    assert "0 loaded, 0 replaced, 0 copied, 2 unchanged, 0 failed" in again.output
    assert "report:" not in again.output  # --quiet
    loud = run("load", str(CORPUS))
    report = loud.output.split("report: ")[1].strip()
    assert json.loads(Path(report).read_text(encoding="utf-8"))
    stats = json.loads(run("stats", "--json").output)
    assert stats["articles"] == 2 and stats["actors"] > 10


def test_load_exits_1_and_names_the_failures(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "good.txt").write_text("Talks\nChile met Peru.", encoding="utf-8")
    (tmp_path / "in" / "bad.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00binary")
    report = tmp_path / "report.json"
    result = run("load", "--quiet", "--report", str(report), str(tmp_path / "in"))
    assert result.exit_code == 1
    assert "bad.txt" in result.output and "binary" in result.output
    data = json.loads(report.read_text())
    assert data["summary"]["failed"] == 1 and data["summary"]["loaded"] == 1


def test_query_with_a_syntax_error_exits_2(run) -> None:  # type: ignore[no-untyped-def]
    run("load", "--quiet", str(CORPUS))
    result = run("query", "SELECT WHERE {")
    assert result.exit_code == 2
    assert "error" in result.output.lower()


def test_validate_exits_0_on_the_loaded_samples(run) -> None:  # type: ignore[no-untyped-def]
    run("load", "--quiet", str(CORPUS))
    result = run("validate")
    assert result.exit_code == 0, result.output
    assert "conforms" in result.output


def test_dump_writes_nquads_with_every_named_graph(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    run("load", "--quiet", str(CORPUS))
    out = tmp_path / "all.nq"
    assert run("dump", str(out)).exit_code == 0
    graphs = {line.rsplit(" ", 2)[-2] for line in out.read_text().splitlines() if line}
    assert sum("/article/" in g for g in graphs) == 2
    assert "<http://localhost:8000/id/graph/entities>" in graphs
    assert not list(tmp_path.glob(".*partial"))


def test_remove_by_source_identifier_and_exit_1_when_nothing_matches(run) -> None:  # type: ignore[no-untyped-def]
    run("load", "--quiet", str(CORPUS))
    removed = run("remove", "000_6bdcc1ccbe7fdea8")
    assert removed.exit_code == 0 and "removed" in removed.output
    assert run("query", "--format", "csv", COUNT_ARTICLES).output.splitlines()[1] == "1"
    assert run("remove", "000_6bdcc1ccbe7fdea8").exit_code == 1


def test_remove_a_copy_from_its_sources_then_the_article_with_its_copies(
    run, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from tests.load.test_copies import copies, write_lines

    run("load", "--quiet", str(write_lines(tmp_path / "wire.jsonl", copies(3))))
    count_copies = "SELECT (COUNT(?c) AS ?n) WHERE { ?a dip:copy ?c }"
    copy = run("remove", "outlet-1/mackerel")  # an outlet withdrew its page
    assert copy.exit_code == 0 and "removed the copy" in copy.output
    assert run("query", "--format", "csv", count_copies).output.splitlines()[1] == "1"
    assert run("query", "--format", "csv", COUNT_ARTICLES).output.splitlines()[1] == "1"
    article = run("remove", "outlet-0/mackerel")
    assert article.exit_code == 0 and article.output.strip().endswith("and its copy")
    assert run("query", "--format", "csv", count_copies).output.splitlines()[1] == "0"
    assert run("query", "--format", "csv", COUNT_ARTICLES).output.splitlines()[1] == "0"
    assert run("remove", "outlet-2/mackerel").exit_code == 1  # gone with its article
    assert run("validate").exit_code == 0


def test_a_bad_setting_is_an_error_with_exit_2(tmp_path: Path) -> None:
    env = {**cli_env(tmp_path / "s"), "COMMUNIQUE_PORT": "eighty"}
    result = CliRunner().invoke(main, ["stats"], env=env)
    assert result.exit_code == 2
    assert "COMMUNIQUE_PORT" in result.output


def test_the_console_script_entry_point_runs() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "communique", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.startswith("communique, version")
