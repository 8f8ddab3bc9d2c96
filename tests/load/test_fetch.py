"""`fetch`: pages, feeds and web archives from a web site started by the test
(never the internet), into a real store; politely (robots.txt, conditional
requests, a pause between requests to one host) and defensively (a server that
hangs, a 2 GB answer, a redirect loop are each reported by address, and the
rest loads)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from communique.load.fetching import FetchReport, Sources, fetch_and_load
from communique.load.report import COPIED, FAILED, LOADED
from communique.loaders.fetch.client import Fetched, PoliteClient, Politeness, Validators
from communique.loaders.fetch.crawl import (
    ARCHIVE,
    FEED,
    PAGE,
    Done,
    Found,
    kind_of,
    read_address_list,
)
from communique.loaders.fetch.record import Attempt, FetchRecord
from communique.store.embedded import EmbeddedStore
from communique.vocab import Iris
from tests.helpers import BASE_IRI, MODEL
from tests.loaders.test_web_readers import ARTICLE_ROWS, COPY_ROWS, build_warc, undated_page
from tests.local_web import BUSY_THEN_OK, ENDLESS, HANG, HUGE, Route, Site, local_site

WEB = Path(__file__).resolve().parents[1] / "data" / "web"
QUICK = Politeness(delay=0.0, timeout=1.5, max_bytes=2_000_000, retries=2, backoff=0.01)
ROBOTS = b"User-agent: *\nDisallow: /private/\n"
HTML = "text/html; charset=utf-8"
NEW_ENTRY = b"""<item>
      <title>Ferry service to resume</title>
      <link>/world/ferry</link>
      <guid>ferry-2025-05-08</guid>
      <pubDate>Thu, 08 May 2025 07:00:00 GMT</pubDate>
      <content:encoded><![CDATA[<p>Greece and Turkey agreed on Thursday to resume the ferry
      service between Lesbos and Ayvalik next month, the two foreign ministries said in a
      joint statement after talks in Athens.</p>]]></content:encoded>
    </item>
    """
RSS = "application/rss+xml"


def sample(name: str, site: Site | None = None) -> bytes:
    """A sample file; its links to the sample sites made links to ``site``."""
    data = (WEB / name).read_bytes()
    if site is not None:
        for host in (b"https://wire.example", b"https://briefing.example"):
            data = data.replace(host, site.base.encode())
    return data


def news_site(site: Site, tmp_path: Path) -> None:
    """A page, an RSS feed (one entry with content, one with a summary whose page
    is on the site), an Atom feed and a WARC.gz of one page, each with validators."""
    warc = tmp_path / "crawl.warc.gz"
    build_warc(
        warc,
        [(site.url("/archived"), "text/html", undated_page(), "2025-03-15T12:00:00Z")],
    )
    site.routes.update(
        {
            "/robots.txt": Route(ROBOTS, "text/plain"),
            "/world/water-panel": Route(sample("page.html"), HTML, etag='"p1"'),
            "/feeds/wire.rss": Route(sample("wire.rss", site), RSS, etag='"w1"'),
            "/world/chile-recall": Route(
                sample("recall.html"), HTML, last_modified="Wed, 07 May 2025 09:00:00 GMT"
            ),
            "/feeds/briefing.atom": Route(
                sample("briefing.atom", site),
                "application/atom+xml",
                last_modified="Mon, 02 Jun 2025 10:00:00 GMT",
            ),
            "/crawl.warc.gz": Route(warc.read_bytes(), "application/warc", etag='"c1"'),
            "/private/memo.html": Route(sample("recall.html"), HTML),
        }
    )


def run(site: Site, tmp_path: Path, sources: Sources, politeness: Politeness = QUICK):
    """One fetch into the store and record under ``tmp_path``."""
    store = EmbeddedStore(tmp_path / "store", Iris(BASE_IRI))
    record = FetchRecord(tmp_path / "fetch.sqlite")
    try:
        report = fetch_and_load(sources, store, record, politeness, MODEL, workers=1)
        rows = {
            (r["headline"], r["url"], str(r["published"])[:10]) for r in store.select(ARTICLE_ROWS)
        }
    finally:
        record.close()
        store.close()
    return report, rows


def copy_rows(tmp_path: Path) -> set[tuple[str, str]]:
    store = EmbeddedStore(tmp_path / "store", Iris(BASE_IRI), read_only=True)
    try:
        return {(r["url"], str(r["published"])[:10]) for r in store.select(COPY_ROWS)}
    finally:
        store.close()


def failures(report: FetchReport) -> dict[str, str]:
    return {o.origin: " ".join(o.problems) for o in report.load.outcomes if o.status == FAILED}


def test_pages_feeds_and_archives_load_and_a_second_fetch_asks_conditionally(tmp_path):
    with local_site() as site:
        news_site(site, tmp_path)
        sources = Sources(
            urls=[
                site.url(p) for p in ("/world/water-panel", "/crawl.warc.gz", "/private/memo.html")
            ],
            feeds=[site.url("/feeds/wire.rss"), site.url("/feeds/briefing.atom")],
        )
        first, rows = run(site, tmp_path, sources)

        # robots.txt disallows /private/: reported, and never asked for
        assert "robots.txt disallows" in failures(first)[site.url("/private/memo.html")]
        assert site.asked("/private/memo.html") == []
        assert first.load.count(LOADED) == 4, first.load.outcomes  # all but the private page,
        assert first.load.count(COPIED) == 1  # and the archive's copy of the saved page
        headlines = {headline: (url, day) for headline, url, day in rows}
        assert headlines["Ministers sign a fisheries accord"] == (
            site.url("/world/fisheries-accord"),
            "2025-05-06",
        )
        # the summary-only entry was followed to its page: the page's text and date
        recall = next(h for h in headlines if h.startswith("Chile recalls its ambassador to"))
        assert headlines[recall] == (site.url("/world/chile-recall"), "2025-05-07")
        assert headlines["Seoul and Tokyo resume security talks"][1] == "2025-06-02"
        # the WARC's page has no date of its own: the record's fetch date
        assert copy_rows(tmp_path) == {(site.url("/archived"), "2025-03-15")}
        canonical = "https://courier.example/world/2025/03/14/water-panel"  # the page's own
        assert any(row[1:] == (canonical, "2025-03-14") for row in rows)

        before = len(site.log)
        second, rows_after = run(site, tmp_path, sources)
        asked_again = site.log[before:]

        # the feed changes: a new entry; the old entry's page is asked about again
        feed = site.routes["/feeds/wire.rss"]
        feed.body = feed.body.replace(b"<item>", NEW_ENTRY + b"<item>", 1)
        feed.etag = '"w2"'
        before = len(site.log)
        third, rows_third = run(site, tmp_path, sources)
        asked_third = site.log[before:]
    assert rows_after == rows
    assert second.load.count(LOADED) == 0 and second.load.count("replaced") == 0
    conditional = [
        r for r in asked_again if "If-None-Match" in r.headers or "If-Modified-Since" in r.headers
    ]
    content = [r for r in asked_again if r.path != "/robots.txt"]
    # the two feeds, the page and the archive; unchanged feeds are not followed
    assert conditional == content and len(content) == 4
    assert second.visit_summary()["not modified"] == 4

    assert third.load.count(LOADED) == 1
    ferry = ("Ferry service to resume", site.url("/world/ferry"), "2025-05-08")
    assert rows_third - rows == {ferry}
    recall = [r for r in asked_third if r.path == "/world/chile-recall"]
    assert len(recall) == 1 and "If-Modified-Since" in recall[0].headers


def test_each_bad_answer_is_reported_by_address_and_the_rest_loads(tmp_path):
    with local_site() as site:
        site.routes.update(
            {
                "/robots.txt": Route(ROBOTS, "text/plain"),
                "/good": Route(sample("page.html"), HTML),
                "/hangs": Route(behaviour=HANG),
                "/two-gigabytes": Route(behaviour=HUGE),
                "/never-ends": Route(behaviour=ENDLESS),
                "/loop/a": Route(status=302, location="/loop/b"),
                "/loop/b": Route(status=301, location="/loop/a"),
                "/no-text": Route(sample("no-text.html"), HTML),
                "/gone": Route(b"gone", "text/plain", status=410),
                "/an-image": Route(b"\x89PNG\r\n", "image/png"),
                "/feed-that-is-a-page": Route(sample("actually-a-page.rss"), HTML),
                "/busy": Route(sample("recall.html"), HTML, behaviour=BUSY_THEN_OK),
            }
        )
        paths = ["/hangs", "/two-gigabytes", "/never-ends", "/loop/a", "/no-text", "/gone"]
        paths += ["/an-image", "/good", "/busy"]
        sources = Sources([site.url(p) for p in paths], [site.url("/feed-that-is-a-page")])
        report, rows = run(site, tmp_path, sources)
        busy_requests = len(site.asked("/busy"))
    failed = failures(report)
    assert "no answer within 1.5 s" in failed[site.url("/hangs")]
    assert "says it is 2,000,000,000 bytes" in failed[site.url("/two-gigabytes")]
    assert "larger than the fetch limit" in failed[site.url("/never-ends")]
    assert "redirects in a loop" in failed[site.url("/loop/a")]
    assert "/loop/b" in failed[site.url("/loop/a")]
    assert "no article text" in failed[site.url("/no-text")]
    assert "answered 410" in failed[site.url("/gone")]
    assert "image/png" in failed[site.url("/an-image")]
    assert "is a page, not a feed" in failed[site.url("/feed-that-is-a-page")]
    assert len(failed) == 8
    assert report.load.count(LOADED) == 2  # the good page, and the busy one on its third try
    assert busy_requests == 3
    assert any(headline.startswith("Envoys agree") for headline, _, _ in rows)


def test_a_server_that_cannot_give_its_robots_txt_is_not_crawled(tmp_path):
    with local_site({"/robots.txt": Route(b"down", "text/plain", status=500)}) as site:
        site.routes["/page"] = Route(sample("page.html"), HTML)
        report, rows = run(site, tmp_path, Sources([site.url("/page")]))
        assert site.asked("/page") == []
    assert "robots.txt answered 500" in failures(report)[site.url("/page")]
    assert rows == set()


def test_requests_to_one_host_wait_for_the_delay_and_the_sites_crawl_delay(tmp_path):
    robots = b"User-agent: *\nCrawl-delay: 0.4\n"
    with local_site({"/robots.txt": Route(robots, "text/plain")}) as site:
        for n in range(3):
            site.routes[f"/p{n}"] = Route(b"<html><body>short</body></html>", HTML)
        client = PoliteClient(Politeness(delay=0.1, timeout=2, retries=0))
        try:
            for n in range(3):
                client.get(site.url(f"/p{n}"))
        finally:
            client.close()
        times = [r.at for r in site.log]
    assert [r.path for r in site.log] == ["/robots.txt", "/p0", "/p1", "/p2"]
    gaps = [later - earlier for earlier, later in itertools.pairwise(times[1:])]
    assert all(gap >= 0.35 for gap in gaps), gaps  # the site's 0.4 s, not the setting's 0.1


def test_the_user_agent_is_sent_and_is_the_one_robots_txt_is_read_for(tmp_path):
    robots = b"User-agent: picky-bot\nDisallow: /\n\nUser-agent: *\nDisallow:\n"
    with local_site({"/robots.txt": Route(robots, "text/plain")}) as site:
        site.routes["/page"] = Route(b"<html></html>", HTML)
        picky = PoliteClient(Politeness(user_agent="picky-bot/1.0", delay=0, retries=0))
        other = PoliteClient(Politeness(user_agent="other-bot/1.0", delay=0, retries=0))
        try:
            refused = picky.get(site.url("/page"))
            answered = other.get(site.url("/page"))
        finally:
            picky.close()
            other.close()
        agents = {r.headers.get("User-Agent") for r in site.asked("/page")}
    assert not isinstance(refused, Fetched) and "robots.txt disallows" in refused.problem
    assert isinstance(answered, Fetched) and answered.status == 200
    assert agents == {"other-bot/1.0"}


def test_redirects_are_followed_to_a_cap(tmp_path):
    chain = {f"/r{n}": Route(status=302, location=f"/r{n + 1}") for n in range(4)}
    chain["/r4"] = Route(b"<html>end</html>", HTML)
    with local_site(chain) as site:
        near = PoliteClient(Politeness(delay=0, retries=0, max_redirects=4))
        short = PoliteClient(Politeness(delay=0, retries=0, max_redirects=3))
        try:
            followed = near.get(site.url("/r0"))
            capped = short.get(site.url("/r0"))
        finally:
            near.close()
            short.close()
    assert isinstance(followed, Fetched) and followed.final_url == site.url("/r4")
    assert followed.url == site.url("/r0")
    assert not isinstance(capped, Fetched) and "more than 3 times" in capped.problem


def test_a_stopped_run_leaves_its_unsettled_addresses_to_be_fetched_whole(tmp_path):
    record = FetchRecord(tmp_path / "fetch.sqlite")
    try:
        record.note(Attempt("http://a/1", "http://a/1", "fetched", Validators('"x"', None), "t1"))
        record.note(Attempt("http://a/1", None, "failed: no answer", None, "t2"))
        kept = record.validators("http://a/1")
        assert record.validators("http://a/never") is None
        visits = {v.url: v.status for v in record.visits()}
    finally:
        record.close()
    assert kept == Validators('"x"', None)  # a failure keeps what the last answer said
    assert visits == {"http://a/1": "failed: no answer"}


@pytest.mark.parametrize(
    ("content_type", "url", "body", "kind"),
    [
        ("text/html; charset=utf-8", "http://h/a", b"", PAGE),
        ("application/rss+xml", "http://h/a", b"", FEED),
        ("text/xml", "http://h/a", b'<?xml version="1.0"?>\n<rss version="2.0">', FEED),
        ("application/xml", "http://h/a", b"<?xml version='1.0'?><!-- hi --><feed>", FEED),
        ("application/octet-stream", "http://h/crawl.warc.gz", b"\x1f\x8b", ARCHIVE),
        ("", "http://h/a", b"  <!DOCTYPE html><html>", PAGE),
        ("image/png", "http://h/a.png", b"\x89PNG", None),
    ],
)
def test_what_an_answer_is(content_type, url, body, kind):
    answer = Fetched(url, url, 200, body, content_type, Validators())
    assert kind_of(answer) == kind


addresses = st.builds(
    lambda scheme, host, path: f"{scheme}://{host}/{path}",
    st.sampled_from(["http", "https"]),
    st.from_regex(r"[a-z]{1,10}\.example", fullmatch=True),
    st.from_regex(r"[a-z0-9/#?=]{0,20}", fullmatch=True),
)
not_addresses = st.from_regex(r"(ftp://x|www\.[a-z]{1,5}\.com|[a-z]{1,8})", fullmatch=True)


@given(
    st.lists(
        st.one_of(
            addresses.map(lambda a: ("url", a)),
            not_addresses.map(lambda a: ("bad", a)),
            st.sampled_from(["", "   ", "# a comment", "  # indented"]).map(lambda a: ("skip", a)),
        ),
        max_size=12,
    )
)
def test_an_address_list_keeps_its_addresses_in_order_and_names_its_bad_lines(lines):
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "feeds.txt"
        path.write_text("\n".join(text for _, text in lines) + "\n", encoding="utf-8")
        urls, problems = read_address_list(path)
    assert urls == [text for kind, text in lines if kind == "url"]
    bad_lines = [f"{path}:{n}" for n, (kind, _) in enumerate(lines, start=1) if kind == "bad"]
    assert [p.source for p in problems] == bad_lines


def test_fetched_articles_have_their_fetch_day_when_the_page_has_none(tmp_path):
    with local_site({"/undated": Route(undated_page(), HTML)}) as site:
        report, rows = run(site, tmp_path, Sources([site.url("/undated")]))
    assert report.load.count(LOADED) == 1
    assert {day for _, _, day in rows} == {datetime.now(UTC).date().isoformat()}


class _Steps:
    """A crawl that yields the steps it is given (pages only)."""

    def __init__(self, steps: list) -> None:
        self.steps = steps

    def pages(self, urls):  # type: ignore[no-untyped-def]
        return iter(self.steps)

    def feeds(self, urls):  # type: ignore[no-untyped-def]
        return iter(())


class _Notes:
    def __init__(self) -> None:
        self.noted: list[str] = []

    def note(self, visit: Attempt) -> None:
        self.noted.append(visit.url)


@given(st.lists(st.integers(0, 3), min_size=1, max_size=8), st.randoms(use_true_random=False))
def test_an_address_is_noted_only_once_everything_read_before_it_has_an_outcome(sizes, random):
    from communique.errors import InputError
    from communique.load.fetching import _Settling
    from communique.load.report import Outcome

    steps, done_after = [], {}
    for number, size in enumerate(sizes):
        for item in range(size):
            steps.append(Found(InputError(f"v{number}:{item}", "x")))
        steps.append(Done(Attempt(f"v{number}", None, "fetched", None, "t")))
        done_after[f"v{number}"] = {s.result.source for s in steps if isinstance(s, Found)}
    notes = _Notes()
    tracker = _Settling(notes)  # type: ignore[arg-type]
    read = list(tracker.results(_Steps(steps), Sources()))  # type: ignore[arg-type]
    assert notes.noted == [v for v, needed in done_after.items() if not needed]
    settled: set[str] = set()
    for result in random.sample(read, len(read)):  # outcomes in any order
        tracker.settled(Outcome(result.source, FAILED))
        settled.add(result.source)
        for visit in notes.noted:
            assert done_after[visit] <= settled  # never noted early
    tracker.settle_all()
    assert sorted(notes.noted) == sorted(done_after)  # every one, once
