"""The command line refuses nonsense in one line, survives hostile folders, and
stops when told to: Ctrl-C, a killed loader, a full disk."""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from communique.cli import main
from communique.store.embedded import EmbeddedStore
from communique.vocab import Iris
from tests.helpers import BASE_IRI, cli_env, run_cli

GOOD = "Envoys meet in Oslo\n\nNorway's foreign minister met the Chilean envoy in Oslo."


@pytest.mark.parametrize(
    "args",
    [["validate"], ["stats"], ["query", "ASK {}"], ["dump", "-"], ["remove", "abc"]],
)
def test_commands_on_a_mistyped_store_say_so_and_create_nothing(
    tmp_path: Path, args: list[str]
) -> None:
    missing = tmp_path / "no-such-store"
    done = run_cli(missing, *args, timeout=120)
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0 and "there is no store at" in done.stderr
    assert not missing.exists()


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["remove", ""], "name the article to remove"),
        (["remove", "   "], "name the article to remove"),
        (["dump", "{tmp}/no/such/folder/all.nq"], "there is no folder"),
        (["serve", "--port", "70000"], "is not a TCP port"),
    ],
)
def test_nonsense_is_refused_in_one_line(tmp_path: Path, args: list[str], words: str) -> None:
    store = tmp_path / "store"
    EmbeddedStore.create_if_missing(store, Iris(BASE_IRI))
    done = run_cli(store, *[a.replace("{tmp}", str(tmp_path)) for a in args], timeout=120)
    assert done.returncode == 2, done.stderr
    assert words in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_a_full_disk_is_a_message_naming_the_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_space(self: EmbeddedStore, write: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(EmbeddedStore, "write_article", no_space)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "good.txt").write_text(GOOD, encoding="utf-8")
    env = cli_env(tmp_path / "store")
    env["COMMUNIQUE_LOAD_WORKERS"] = "1"
    result = CliRunner().invoke(main, ["load", "--quiet", str(tmp_path / "in")], env=env)
    assert result.exit_code == 2
    assert f"cannot write the store at {tmp_path / 'store'}" in result.output
    assert "No space left on device" in result.output


def hostile_folder(folder: Path) -> list[str]:
    """One file of each kind that once broke a load, and one good article; the
    names of the bad ones."""
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    bad = {
        "date.md": "---\ntitle: T\npublished: 2009-13-45\n---\nBody.\n",
        "number.jsonl": '{"body": "B.", "n": ' + "9" * 5000 + "}\n",
        "deep.jsonl": '{"body": "B.", "n": ' + "[" * 4000 + "]" * 4000 + "}\n",
        "surrogate.jsonl": '{"body": "Talks \\udc00 ended."}\n',
        "[x] name [red].txt": "",
        "types.jsonl": json.dumps({"headline": ["a list"], "body": "B."}) + "\n",
        "bomb.md": "---\na: &a [x, x, x]\nb: [*a, *a, *a]\n---\nBody.\n",
        "binary.txt": "\x00\x01\x02\x03",
    }
    for name, text in bad.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "sidecar.txt").write_text(GOOD, encoding="utf-8")
    (folder / "sidecar.json").mkdir()
    os.mkfifo(folder / "pipe.txt")
    (folder / "zero.txt").symlink_to("/dev/zero")
    (folder / "random.jsonl").symlink_to("/dev/urandom")
    huge = folder / "huge.jsonl"
    huge.write_text('{"body": "' + "x" * 9_000_000 + '"}\n', encoding="utf-8")
    return [*bad, "sidecar.json", "pipe.txt", "zero.txt", "random.jsonl", "huge.jsonl"]


@pytest.mark.slow
def test_a_hostile_folder_loads_the_good_article_names_every_bad_file_and_stays_valid(
    tmp_path: Path,
) -> None:
    bad = hostile_folder(tmp_path / "in")
    store = tmp_path / "store"
    # a parent of its own, so that the peak memory is the loader's alone
    measure = (
        "import resource, subprocess, sys; "
        "done = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
        "sys.stdout.write(done.stdout); sys.stderr.write(done.stderr); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); "
        "sys.exit(done.returncode)"
    )
    env = {**cli_env(store), "COMMUNIQUE_LOAD_WORKERS": "1"}
    report = tmp_path / "report.json"
    command = [sys.executable, "-m", "communique", "load", "--report", str(report)]
    done = subprocess.run(
        [sys.executable, "-c", measure, *command, str(tmp_path / "in")],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    peak_kib = int(done.stderr.strip().splitlines()[-1])
    print(f"peak memory of the loader on the hostile folder: {peak_kib / 1024:.0f} MB")
    assert peak_kib < 1_000_000, f"peak memory {peak_kib / 1024:.0f} MB"
    outcomes = json.loads(report.read_text(encoding="utf-8"))["articles"]
    loaded = [o for o in outcomes if o["status"] == "loaded"]
    assert {Path(o["origin"]).name for o in loaded} == {"good.txt"}
    failed = {Path(o["origin"].split(":")[0]).name for o in outcomes if o["status"] == "failed"}
    assert set(bad) <= failed, set(bad) - failed
    assert run_cli(store, "validate", timeout=300).returncode == 0


def loader_with_workers(tmp_path: Path) -> subprocess.Popen[str]:
    """`communique load --workers 2` on enough text to keep it busy, in a session
    of its own (as a terminal would run it)."""
    feed = tmp_path / "feed.jsonl"
    with feed.open("w", encoding="utf-8") as handle:
        for n in range(400):
            body = f"{GOOD} Round {n} of the talks went on. " * 20
            handle.write(json.dumps({"id": f"a{n}", "headline": f"Talks {n}", "body": body}) + "\n")
    env = {**cli_env(tmp_path / "store"), "COMMUNIQUE_LOAD_WORKERS": "2"}
    return subprocess.Popen(
        [sys.executable, "-m", "communique", "load", "--batch", "4", str(feed)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                status = (entry / "status").read_text()
            except OSError:
                continue
            if f"\nPPid:\t{pid}\n" in status:
                found.append(int(entry.name))
    return found


def wait_for_workers(loader: subprocess.Popen[str], count: int) -> list[int]:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        workers = [p for p in children_of(loader.pid) if b"spawn_main" in _cmdline(p)]
        if len(workers) >= count:
            time.sleep(8)  # let them load the model and start on a batch
            return workers
        time.sleep(0.2)
    raise AssertionError("the workers never started")


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in state


@pytest.mark.slow
def test_ctrl_c_stops_a_load_at_once_with_one_line(tmp_path: Path) -> None:
    loader = loader_with_workers(tmp_path)
    workers = wait_for_workers(loader, 2)
    os.killpg(loader.pid, signal.SIGINT)  # what Ctrl-C sends: the whole process group
    started = time.monotonic()
    _out, err = loader.communicate(timeout=60)
    assert time.monotonic() - started < 10
    assert loader.returncode == 130
    assert "Traceback" not in err and "interrupted" in err
    assert not [w for w in workers if alive(w)]


@pytest.mark.slow
def test_workers_die_within_a_second_of_a_killed_loader(tmp_path: Path) -> None:
    loader = loader_with_workers(tmp_path)
    workers = wait_for_workers(loader, 2)
    loader.kill()
    loader.wait(timeout=10)
    time.sleep(1.0)
    assert [w for w in workers if alive(w)] == []
    loader.stdout.close()  # type: ignore[union-attr]
    loader.stderr.close()  # type: ignore[union-attr]
