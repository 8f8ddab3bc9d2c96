"""`communique fetch` and `communique watch` as a user runs them: a subprocess,
a store on disk, a web site on 127.0.0.1 started by the test."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import run_cli
from tests.local_web import Route, local_site

WEB = Path(__file__).resolve().parent / "data" / "web"
QUICK = {"fetch_delay": "0", "fetch_timeout": "5", "load_workers": "1"}


def test_fetch_loads_then_asks_only_whether_it_changed(tmp_path):
    store = tmp_path / "store"
    page = Route((WEB / "page.html").read_bytes(), "text/html", etag='"v1"')
    with local_site({"/robots.txt": Route(b"", "text/plain"), "/page": page}) as site:
        first = run_cli(store, "fetch", site.url("/page"), "--quiet", **QUICK)
        second = run_cli(store, "fetch", site.url("/page"), "--quiet", **QUICK)
        asked = site.asked("/page")
    assert first.returncode == 0, first.stderr
    counts = "1 loaded, 0 replaced, 0 copied, 0 unchanged, 0 failed; addresses: 1 fetched"
    assert first.stdout.startswith(counts)
    assert second.returncode == 0, second.stderr
    assert "0 loaded" in second.stdout and "1 not modified" in second.stdout
    assert asked[1].headers.get("If-None-Match") == '"v1"'
    assert (store / "communique-fetch.sqlite").exists()


def test_watch_runs_its_rounds_and_names_the_bad_lines_of_its_feeds_file(tmp_path):
    feed = Route((WEB / "briefing.atom").read_bytes(), "application/atom+xml", etag='"a"')
    with local_site({"/robots.txt": Route(b"", "text/plain"), "/feed": feed}) as site:
        feeds = tmp_path / "feeds.txt"
        feeds.write_text(f"# my feeds\n{site.url('/feed')}\nnot-an-address\n", encoding="utf-8")
        result = run_cli(
            tmp_path / "store",
            "watch", "--feeds", str(feeds), "--every", "0.2s", "--rounds", "2", "--quiet",
            **QUICK,
        )  # fmt: skip
        asked = site.asked("/feed")
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("round ") == 2
    lines = [line for line in result.stdout.splitlines() if "addresses:" in line]
    assert lines[0].startswith("1 loaded") and lines[1].startswith("0 loaded")
    assert f"{feeds}:3: 'not-an-address' is not an http or https address" in result.stderr
    assert len(asked) == 2 and asked[1].headers.get("If-None-Match") == '"a"'


def test_fetch_without_addresses_or_with_a_bad_interval_is_refused(tmp_path):
    nothing = run_cli(tmp_path / "store", "fetch")
    bad_every = run_cli(tmp_path / "store", "watch", "http://x.example/", "--every", "soon")
    assert nothing.returncode == 2 and "give addresses to fetch" in nothing.stderr
    assert bad_every.returncode == 2 and "'soon' is not a span of time" in bad_every.stderr
    assert not (tmp_path / "store").exists()  # refused before anything was opened
