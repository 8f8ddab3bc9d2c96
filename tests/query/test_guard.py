"""The guard reads SPARQL as the engine does: whatever the engine would run as
SERVICE or LOAD, the guard sees, however comments, strings and IRIs are
written around it. Checked against the engine itself on generated text."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from communique.errors import QueryError
from communique.query.guard import ForbiddenQuery, check_query, check_update
from communique.sparql_text import scan_query
from tests.helpers import examples

# Port 9 is one the engine refuses to call, with an error that proves it tried.
TARGET = "http://127.0.0.1:9/sparql"
LIMITS = {"max_length": 100_000, "max_depth": 200, "allowed_services": frozenset()}


def engine_tries_to_call(query: str) -> bool:
    try:
        list(ox.Store().query(query))
    except OSError as exc:
        return "port 9" in str(exc)
    except (SyntaxError, RuntimeError, ValueError):
        return False
    return False


def guard_refuses(query: str) -> bool:
    try:
        check_query(query, **LIMITS)  # type: ignore[arg-type]
    except (ForbiddenQuery, QueryError):
        return True
    return False


LINE_ENDS = st.sampled_from(["\n", "\r", "\r\n"])
PIECES = st.one_of(
    st.builds(
        lambda text, end: f"#{text}{end}", st.text(alphabet="ab #'\"<>{}", max_size=8), LINE_ENDS
    ),
    st.sampled_from(
        [
            "?s ?p ?o .",
            "FILTER(?o != 'a # b')",
            'FILTER(?o != "x \\" SERVICE")',
            "FILTER(?o != '''multi\nline # ''')",
            "BIND(<http://x.org/a#b> AS ?i)",
            "{ ?a ?b ?c }",
            f"SERVICE <{TARGET}> {{ ?x ?y ?z }}",
            f"SERVICE SILENT <{TARGET}> {{ ?x ?y ?z }}",
            "OPTIONAL { ?s ?q ?r }",
        ]
    ),
)


@settings(max_examples=examples(150), suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(pieces=st.lists(PIECES, max_size=6))
@example(pieces=["# a comment\r", f"SERVICE <{TARGET}> {{ ?x ?y ?z }}"])
def test_what_the_engine_would_call_the_guard_refuses(pieces: list[str]) -> None:
    query = "SELECT * WHERE { " + " ".join(pieces) + " }"
    if engine_tries_to_call(query):
        assert guard_refuses(query), repr(query)


@pytest.mark.parametrize(
    ("text", "services"),
    [
        ("SELECT * { # comment\rSERVICE <http://a.org/> {} }", ["http://a.org/"]),
        ("SELECT * { SERVICE <http://a.org/\\u0062> {} }", ["http://a.org/b"]),
        ("PREFIX e: <http://e.org/> SELECT * { SERVICE SILENT e:q {} }", ["http://e.org/q"]),
        ("SELECT * { ?s ?p 'SERVICE <http://a.org/>' }", []),
        ("SELECT * { ?s ?p '''it's\n# not a comment''' . SERVICE ?v {} }", ["?v"]),
    ],
)
def test_service_targets_are_read_as_the_engine_reads_them(text: str, services: list[str]) -> None:
    assert scan_query(text).services == services


def test_an_update_may_load_only_from_the_allow_list() -> None:
    allowed = {**LIMITS, "allowed_services": frozenset({"http://data.example/x.ttl"})}
    check_update("LOAD <http://data.example/x.ttl>", **allowed)  # type: ignore[arg-type]
    with pytest.raises(ForbiddenQuery, match=r"LOAD http://elsewhere\.example/"):
        check_update("LOAD <http://elsewhere.example/>", **allowed)  # type: ignore[arg-type]
    with pytest.raises(ForbiddenQuery, match="SERVICE"):
        check_update(
            f"INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{TARGET}> {{ ?s ?p ?o }} }}", **LIMITS
        )  # type: ignore[arg-type]


def test_an_update_sent_as_a_query_is_refused() -> None:
    with pytest.raises(QueryError, match="SPARQL Update"):
        update = "# note\rINSERT DATA { <http://a/> <http://b/> <http://c/> }"
        check_query(update, **LIMITS)  # type: ignore[arg-type]
