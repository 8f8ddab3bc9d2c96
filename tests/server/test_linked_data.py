"""Dereferenceable IRIs, resource pages, dumps and VoID over a real socket.

The server runs on a store holding the shared samples, one article written to
attack the pages (script tags in its headline and body) and a hub: a country
with 2,500 incoming links.
"""

from __future__ import annotations

import gzip
import http.client
import json
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef

from communique.load.pipeline import load_paths
from communique.settings import Settings
from communique.store.opening import location_from_settings, open_location
from communique.vocab import Iris
from tests.helpers import BASE_IRI, MODEL, STORE_KINDS, samples_copy, serve_store

HUB = BASE_IRI + "country/RU"
HOSTILE = '<script>alert("x")</script>'
HOSTILE_URL = "javascript:alert(document.cookie)"


@pytest.fixture(scope="module", params=STORE_KINDS)
def base(
    request: pytest.FixtureRequest,
    samples_store_path: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[str]:
    """The same pages on the embedded store and on a real Oxigraph server."""
    folder = tmp_path_factory.mktemp("linked")
    for location in samples_copy(request.param, samples_store_path, folder):
        _add_hostile_article_and_hub(location, folder)
        yield from serve_store(location, folder / "server.log")


def _add_hostile_article_and_hub(location: str, folder: Path) -> None:
    (folder / "hostile.md").write_text(
        f"---\ntitle: 'Talks end {HOSTILE}'\n---\nRussia and Norway ended talks. {HOSTILE}\n",
        encoding="utf-8",
    )
    store = open_location(location_from_settings(Settings(store=location)), Iris(BASE_IRI))
    assert not load_paths([folder / "hostile.md"], store, MODEL).failures
    # what a client with the update token could write: the loader refuses such a url
    store.update(
        "PREFIX schema: <https://schema.org/> INSERT { GRAPH ?a { ?a schema:url "
        f"<{HOSTILE_URL}> }} }} WHERE {{ GRAPH ?a {{ ?a schema:headline ?h "
        "FILTER(CONTAINS(?h, 'Talks end')) } }"
    )
    fans = "".join(f"<urn:x:fan/{n}> <urn:x:follows> <{HUB}> .\n" for n in range(2500))
    store.update(f"INSERT DATA {{ GRAPH <{BASE_IRI}graph/hub-test> {{ {fans} }} }}")
    store.record_change()
    store.close()


def get(base: str, path: str, headers: dict[str, str] | None = None) -> http.client.HTTPResponse:
    host, port = base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=60)
    connection.request("GET", path, headers=headers or {})
    response = connection.getresponse()
    response.body = response.read()  # type: ignore[attr-defined]
    connection.close()
    return response


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [
        ("text/turtle", "turtle"),
        ("application/ld+json", "json-ld"),
        ("application/n-triples", "nt"),
        ("application/rdf+xml", "xml"),
    ],
)
def test_an_iri_answers_each_format_by_accept(base: str, accept: str, rdflib_format: str) -> None:
    response = get(base, "/id/country/IL", {"Accept": accept})
    assert response.status == 200
    assert response.headers.get_content_type() == accept
    assert "Accept" in response.headers["Vary"]
    graph = Graph().parse(data=response.body, format=rdflib_format)  # type: ignore[attr-defined]
    assert (
        URIRef(BASE_IRI + "country/IL"),
        URIRef("https://w3id.org/communique/ontology#countryCode"),
        None,
    ) in graph


@pytest.mark.parametrize(
    ("suffix", "media_type"),
    [
        (".ttl", "text/turtle"),
        (".jsonld", "application/ld+json"),
        (".nt", "application/n-triples"),
        (".rdf", "application/rdf+xml"),
        (".html", "text/html"),
    ],
)
def test_a_suffix_chooses_the_format(base: str, suffix: str, media_type: str) -> None:
    response = get(base, "/id/country/IL" + suffix, {"Accept": "text/html"})
    assert response.status == 200
    assert response.headers.get_content_type() == media_type


def test_answers_are_direct_with_the_variant_named(base: str) -> None:
    page = get(base, "/id/country/IL", {"Accept": "text/html"})
    assert page.status == 200  # no 303: documented in server/resources.py and the README
    assert page.headers["Content-Location"] == "/id/country/IL.html"
    data = get(base, "/id/country/IL", {"Accept": "text/turtle"})
    assert data.headers["Content-Location"] == "/id/country/IL.ttl"


def test_unknown_iris_are_404_pages(base: str) -> None:
    response = get(base, "/id/country/ZZ", {"Accept": "text/html"})
    assert response.status == 404
    assert b"Nothing is known" in response.body  # type: ignore[attr-defined]


def test_a_page_reads_with_labels_and_links(base: str) -> None:
    page = get(base, "/id/country/IL", {"Accept": "text/html"}).body.decode()  # type: ignore[attr-defined]
    assert '<h1 id="title">Israel</h1>' in page
    assert 'href="/describe?uri=http://www.wikidata.org/entity/Q801"' in page
    assert ">country<" in page  # the type, by its label


def test_describe_shows_an_ontology_term_and_how_often_it_is_used(base: str) -> None:
    term = urllib.parse.quote("https://w3id.org/communique/ontology#Country", safe="")
    page = get(base, f"/describe?uri={term}", {"Accept": "text/html"}).body.decode()  # type: ignore[attr-defined]
    assert '<h1 id="title">country</h1>' in page
    assert "sovereign state" in page  # its definition
    assert "type <small>(" in page  # instances counted


def test_a_hub_pages_its_incoming_links(base: str) -> None:
    first = get(base, "/id/country/RU", {"Accept": "text/html"}).body.decode()  # type: ignore[attr-defined]
    assert "follows <small>(2500)</small>" in first
    assert "Page 1 of 50" in first
    query = urllib.parse.urlencode({"in": "urn:x:follows", "page": "50"})
    last = get(base, f"/id/country/RU?{query}", {"Accept": "text/html"}).body.decode()  # type: ignore[attr-defined]
    assert "Page 50 of 50" in last and "urn:x:fan/999" in last  # sorted as strings


def test_a_hostile_article_is_escaped_everywhere(base: str) -> None:
    body = get(
        base,
        "/sparql?"
        + urllib.parse.urlencode(
            {
                "query": "SELECT ?a WHERE { ?a a dip:Article ; schema:headline ?h "
                "FILTER(CONTAINS(?h, 'Talks end')) }"
            }
        ),
        {"Accept": "application/sparql-results+json"},
    ).body  # type: ignore[attr-defined]
    article = json.loads(body)["results"]["bindings"][0]["a"]["value"]
    page = get(
        base,
        "/id/" + article.removeprefix(BASE_IRI),
        {"Accept": "text/html"},
    ).body.decode()  # type: ignore[attr-defined]
    assert HOSTILE not in page
    assert "&lt;script&gt;" in page
    assert 'href="javascript:' not in page and HOSTILE_URL in page  # shown, never a link


@pytest.mark.parametrize("path", ["/", "/query", "/id/country/RU", "/search?q=ru", "/nowhere"])
def test_pages_forbid_inline_script_and_sniffing(base: str, path: str) -> None:
    response = get(base, path, {"Accept": "text/html"})
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("style-src")[0]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_dumps_are_listed_and_parse_in_every_format(base: str) -> None:
    listing = get(base, "/dumps/", {"Accept": "text/html"}).body.decode()  # type: ignore[attr-defined]
    for name in (
        "communique.nq",
        "communique.trig",
        "communique.nt",
        "communique.ttl",
        "communique.nq.gz",
    ):
        assert f">{name}<" in listing
    rows = {row.split("</a>")[0].rsplit(">", 1)[-1]: row for row in listing.split("<tr>")[1:]}
    for name in ("communique.nq", "communique.trig.gz"):
        assert "kept (one per article)" in rows[name]  # the named graphs are kept
    for name in ("communique.nt", "communique.ttl.gz"):
        assert "merged (the union)" in rows[name]
    formats = {
        "nq": ox.RdfFormat.N_QUADS,
        "trig": ox.RdfFormat.TRIG,
        "nt": ox.RdfFormat.N_TRIPLES,
        "ttl": ox.RdfFormat.TURTLE,
    }
    counts = {}
    for suffix, fmt in formats.items():
        plain = get(base, f"/dumps/communique.{suffix}").body  # type: ignore[attr-defined]
        packed = get(base, f"/dumps/communique.{suffix}.gz").body  # type: ignore[attr-defined]
        assert gzip.decompress(packed) == plain
        counts[suffix] = sum(1 for _ in ox.parse(plain, format=fmt))
    assert counts["nq"] == counts["trig"] and counts["nt"] == counts["ttl"]


def test_a_dump_loaded_into_an_empty_store_gives_back_the_dataset(
    base: str, tmp_path: Path
) -> None:
    dump = get(base, "/dumps/communique.nq.gz").body  # type: ignore[attr-defined]
    restored = ox.Store()
    restored.load(gzip.decompress(dump), format=ox.RdfFormat.N_QUADS)
    original = ox.Store()
    original.load(get(base, "/dumps/communique.trig").body, format=ox.RdfFormat.TRIG)  # type: ignore[attr-defined]
    assert set(restored) == set(original)  # no blank nodes: equal sets are isomorphic
    assert len(restored) > 2500


def test_dumps_honour_etag(base: str) -> None:
    first = get(base, "/dumps/communique.nq")
    again = get(base, "/dumps/communique.nq", {"If-None-Match": first.headers["ETag"]})
    assert again.status == 304
    assert first.headers["Last-Modified"]


def test_void_figures_equal_count_queries(base: str) -> None:
    void = Graph().parse(
        data=get(base, "/.well-known/void", {"Accept": "text/turtle"}).body,  # type: ignore[attr-defined]
        format="turtle",
    )
    vocab = "http://rdfs.org/ns/void#"
    dataset = URIRef(base + "/.well-known/void#dataset")
    figures = {
        name: int(next(void.objects(dataset, URIRef(vocab + name))))
        for name in ("triples", "distinctSubjects", "distinctObjects", "entities")
    }
    queries = {
        "triples": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
        "distinctSubjects": "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }",
        "distinctObjects": "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?s ?p ?o }",
        "entities": "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o FILTER(isIRI(?s) && "
        f'STRSTARTS(STR(?s), "{BASE_IRI}")) }}',
    }
    for name, query in queries.items():
        reply = get(
            base,
            "/sparql?" + urllib.parse.urlencode({"query": query}),
            {"Accept": "application/sparql-results+json"},
        )
        value = int(json.loads(reply.body)["results"]["bindings"][0]["n"]["value"])  # type: ignore[attr-defined]
        assert figures[name] == value, name
    dumps = set(void.objects(dataset, URIRef(vocab + "dataDump")))
    assert URIRef(base + "/dumps/communique.nq.gz") in dumps
    partitions = set(void.objects(dataset, URIRef(vocab + "classPartition")))
    assert len(partitions) > 5


def test_search_ranks_whole_name_prefixes_then_mentions(base: str) -> None:
    hits = json.loads(get(base, "/search.json?q=SERGEI").body)  # type: ignore[attr-defined]
    labels = [h["label"] for h in hits]
    assert labels[:2] == [
        "Sergey Lavrov",
        "Sergei Ivanov",
    ]  # alt name 'Sergei Lavrov', more mentions
    accents = json.loads(get(base, "/search.json?q=s%C3%A9rgey").body)  # type: ignore[attr-defined]
    assert accents[0]["label"] == "Sergey Lavrov"
    word = json.loads(get(base, "/search.json?q=mash").body)  # type: ignore[attr-defined]
    assert word[0]["label"] == "Khaled Mashal"
    page = get(base, "/search?q=russia", {"Accept": "text/html"}).body.decode()  # type: ignore[attr-defined]
    assert 'href="/id/country/RU"' in page


def test_an_actor_page_has_offices_events_counterparts_and_articles(base: str) -> None:
    page = get(base, "/id/person/sergey-lavrov", {"Accept": "text/html"}).body.decode()  # type: ignore[attr-defined]
    for section in (
        'id="offices"',
        'id="timeline"',
        'id="counterparts"',
        'id="statements"',
        'id="articles"',
        "<svg",
    ):
        assert section in page, section
    assert "Khaled Mashal" in page and "Avigdor Lieberman" in page


def test_an_event_page_highlights_its_participants_in_the_sentence(base: str) -> None:
    query = (
        "SELECT ?e WHERE { ?e a dip:Meeting ; dip:participant ?m . "
        "?m rdfs:label 'Khaled Mashal'@en }"
    )
    body = get(
        base,
        "/sparql?" + urllib.parse.urlencode({"query": query}),
        {"Accept": "application/sparql-results+json"},
    ).body  # type: ignore[attr-defined]
    event = json.loads(body)["results"]["bindings"][0]["e"]["value"]
    page = get(base, "/id/" + event.removeprefix(BASE_IRI), {"Accept": "text/html"}).body.decode()  # type: ignore[attr-defined]
    assert "<mark>Khaled Mashal</mark>" in page and "<mark>Sergey Lavrov</mark>" in page
    assert 'class="evidence"' in page and 'id="source-article"' in page


BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"


@pytest.mark.parametrize(
    ("accept", "kind", "sign"),
    [
        (BROWSER_ACCEPT, "text/html", b"<h1>Error 404</h1>"),  # what browsers send
        ("*/*", "text/plain", b"Nothing is known"),  # curl
        ("application/json", "application/json", b'"status": 404'),
    ],
)
def test_an_error_is_written_for_who_asks(base: str, accept: str, kind: str, sign: bytes) -> None:
    response = get(base, "/id/country/ZZ", {"Accept": accept})
    assert response.status == 404
    assert response.headers["Content-Type"].startswith(kind)
    assert sign in response.body  # type: ignore[attr-defined]


def test_void_reads_in_a_browser_and_stays_rdf_for_programs(base: str) -> None:
    page = get(base, "/.well-known/void", {"Accept": BROWSER_ACCEPT})
    assert page.headers["Content-Type"].startswith("text/html")
    text = page.body.decode()  # type: ignore[attr-defined]
    assert "<h1>Dataset description (VoID)</h1>" in text
    assert "void:Dataset" in text  # the Turtle itself, escaped into the page
    for name in ("turtle", "ntriples", "jsonld"):
        assert f'href="?format={name}"' in text
        linked = get(base, f"/.well-known/void?format={name}", {"Accept": BROWSER_ACCEPT})
        assert not linked.headers["Content-Type"].startswith("text/html")
    assert (
        not get(base, "/.well-known/void", {"Accept": "*/*"})
        .headers["Content-Type"]
        .startswith("text/html")
    )


def test_a_suggestion_says_what_it_names(base: str) -> None:
    hits = json.loads(get(base, "/search.json?q=lavrov").body)  # type: ignore[attr-defined]
    lavrov = next(h for h in hits if h["label"] == "Sergey Lavrov")
    assert lavrov["kind"] == "person"
    assert lavrov["mentions"] > 0
