"""No text from a request becomes query text: pages bind the IRI they are asked
for, and every query a page runs goes through the query workers.

The queries are watched where every page query must pass: the query pool.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from communique.query.jobs import QueryJob
from communique.query.pool import QueryPool
from communique.server import resources
from communique.server.app import create_app
from communique.settings import Settings
from communique.sparql_text import with_values
from communique.store.embedded import EmbeddedStore
from communique.vocab import Iris
from tests.helpers import BASE_IRI, examples

CRAFTED = "person/x> } UNION { ?s ?p ?o } #"


@pytest.fixture(scope="module")
def client(samples_store_path: Path) -> FlaskClient:
    settings = Settings.from_env({}, store=samples_store_path, base_iri=BASE_IRI, query_workers=1)
    store = EmbeddedStore(samples_store_path, Iris(BASE_IRI), read_only=True)
    return create_app(settings, store).test_client()


@pytest.fixture
def jobs(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[QueryJob]]:
    """Every job sent to a query worker while the test runs."""
    seen: list[QueryJob] = []
    original = QueryPool.run

    def watched(self: QueryPool, job: QueryJob) -> Iterator[bytes]:
        seen.append(job)
        return original(self, job)

    monkeypatch.setattr(QueryPool, "run", watched)
    yield seen


def test_a_crafted_id_path_is_a_404_and_reaches_no_query(
    client: FlaskClient, jobs: list[QueryJob]
) -> None:
    response = client.get("/id/" + quote(CRAFTED, safe="/"), headers={"Accept": "text/html"})
    assert response.status_code == 404
    assert jobs == []


def test_an_unknown_iri_is_asked_for_by_binding_not_by_text(
    client: FlaskClient, jobs: list[QueryJob]
) -> None:
    response = client.get("/id/person/nobody-of-that-name")
    assert response.status_code == 404
    assert [job.sparql for job in jobs] == [resources.KNOWN]
    assert jobs[0].substitutions == (
        ("this", ox.NamedNode(BASE_IRI + "person/nobody-of-that-name")),
    )


def test_a_page_runs_only_its_own_query_texts(client: FlaskClient, jobs: list[QueryJob]) -> None:
    iri = BASE_IRI + "country/RU"
    assert client.get("/id/country/RU", headers={"Accept": "text/html"}).status_code == 200
    assert len(jobs) > 5
    for job in jobs:
        assert iri not in job.sparql  # the page's IRI is bound, never written in
    assert any(dict(job.substitutions).get("this") == ox.NamedNode(iri) for job in jobs)


def test_a_data_variant_binds_its_iri_too(client: FlaskClient, jobs: list[QueryJob]) -> None:
    assert client.get("/id/country/RU.ttl").status_code == 200
    described = [job for job in jobs if job.sparql == resources.DESCRIPTION]
    assert len(described) == 1
    assert described[0].substitutions == (("this", ox.NamedNode(BASE_IRI + "country/RU")),)


def test_a_malformed_describe_uri_is_a_400(client: FlaskClient, jobs: list[QueryJob]) -> None:
    assert client.get("/describe", query_string={"uri": "not an iri"}).status_code == 400
    assert jobs == []


@pytest.mark.parametrize("page", ["abc", "0", "-1", "1e3", ""])
def test_a_page_number_that_is_no_whole_number_is_a_400(client: FlaskClient, page: str) -> None:
    response = client.get(f"/id/country/RU?page={quote(page)}", headers={"Accept": "text/html"})
    assert response.status_code == (200 if page == "" else 400)


# ----------------------------------------------------------------- VALUES on a SPARQL service
# The remote store fixes bound variables with VALUES blocks; on the same data it must
# answer as pyoxigraph's own substitution does.
DATA = ox.Store()
for n in range(4):
    for m in range(4):
        DATA.add(
            ox.Quad(
                ox.NamedNode(f"http://x.org/{n}"),
                ox.NamedNode("http://x.org/p"),
                ox.NamedNode(f"http://x.org/{m}"),
                ox.NamedNode("http://x.org/g"),
            )
        )
QUERIES = [
    "SELECT ?this ?o WHERE { ?this <http://x.org/p> ?o } ORDER BY ?o",
    "SELECT ?this (COUNT(*) AS ?n) WHERE { ?s ?p ?this } GROUP BY ?this",
    "SELECT ?this ?o WHERE { { SELECT ?this ?o WHERE { ?this ?p ?o } ORDER BY DESC(?o) LIMIT 2 } }",
    "SELECT ?this ?s WHERE { ?s ?p ?o OPTIONAL { ?o ?q ?x FILTER(?x != ?this) } } ORDER BY ?s",
    "ASK { ?this ?p ?this }",
    "CONSTRUCT { ?this ?p ?o } WHERE { ?this ?p ?o }",
]


def answer(results: object) -> object:
    if isinstance(results, ox.QueryBoolean):
        return bool(results)
    if isinstance(results, ox.QuerySolutions):
        return [str(row) for row in results]
    return sorted(str(t) for t in results)  # type: ignore[attr-defined]


@settings(max_examples=examples(30), suppress_health_check=[HealthCheck.too_slow])
@given(query=st.sampled_from(QUERIES), n=st.integers(min_value=0, max_value=5))
def test_values_blocks_answer_as_substitution_does(query: str, n: int) -> None:
    bound = {"this": ox.NamedNode(f"http://x.org/{n}")}
    by_substitution = DATA.query(
        query,
        use_default_graph_as_union=True,
        substitutions={ox.Variable(k): v for k, v in bound.items()},
    )
    by_values = DATA.query(with_values(query, bound), use_default_graph_as_union=True)
    assert answer(by_values) == answer(by_substitution)


@given(text=st.text(min_size=1, max_size=40))
def test_a_literal_binding_stays_one_term_whatever_it_holds(text: str) -> None:
    query = "SELECT ?this ?s WHERE { ?s ?p ?o FILTER(STR(?o) != ?this) }"
    written = with_values(query, {"this": ox.Literal(text)})
    rows = list(DATA.query(written, use_default_graph_as_union=True))
    assert {row["this"] for row in rows} <= {ox.Literal(text)}


def test_values_refuse_what_is_not_a_term_or_a_variable_name() -> None:
    with pytest.raises(ValueError, match="variable"):
        with_values("SELECT * WHERE { ?s ?p ?o }", {"s } UNION": ox.NamedNode("http://x.org/a")})
    with pytest.raises(ValueError, match="IRI or a literal"):
        with_values("SELECT * WHERE { ?s ?p ?o }", {"s": "<http://x.org/a>"})
