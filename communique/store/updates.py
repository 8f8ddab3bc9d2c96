"""The SPARQL Update text that writes and removes articles, shared by the engines,
and the change record's next state."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pyoxigraph as ox
from rdflib import Literal

from communique.rdf import SerializedWrite
from communique.sparql_text import with_values
from communique.vocab import Iris


def next_state(state: dict[str, Any]) -> dict[str, Any]:
    """The state after one more change."""
    return {**state, "last_modified": now_iso(), "generation": int(state.get("generation", 0)) + 1}


def now_iso() -> str:
    """The time of a change as the state records it."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def article_update(write: SerializedWrite, iris: Iris) -> str:
    """The SPARQL Update that stores one article in one transaction.

    Labels need care: an actor has exactly one rdfs:label in the union graph,
    so a label is only added when the actor has none yet; a different label
    seen later becomes a skos:altLabel.
    """
    entities = f"<{iris.entities_graph}>"
    ops = [f"DROP SILENT GRAPH <{write.article}>"]
    # the copies an updated story keeps move over before the old version goes
    ops += [_copies_moved(old, write.article) for old in write.keeps_copies_of]
    ops += [f"DROP SILENT GRAPH <{iri}>" for iri in write.replaces]
    ops.append(
        "INSERT DATA {\n"
        f"GRAPH <{write.article}> {{\n{write.facts_nt}}}\n"
        f"GRAPH {entities} {{\n{write.entities_nt}}}\n}}"
    )
    if write.labels:
        values = " ".join(f"({s} {o})" for s, o in write.labels)
        ops.append(
            f"INSERT {{ GRAPH {entities} {{ ?x rdfs:label ?l }} }} WHERE {{ VALUES (?x ?l) "
            f"{{ {values} }} FILTER NOT EXISTS {{ GRAPH {entities} {{ ?x rdfs:label ?any }} }} }}"
        )
        ops.append(
            f"INSERT {{ GRAPH {entities} {{ ?x skos:altLabel ?l }} }} WHERE {{ VALUES (?x ?l) "
            f"{{ {values} }} GRAPH {entities} {{ ?x rdfs:label ?old }} FILTER(?old != ?l) }}"
        )
    return " ;\n".join(ops)


def _copies_moved(old: str, new: str) -> str:
    """The copies recorded in an article's graph, recorded again in its new version's
    graph as the new version's sources (their resemblance is the one measured
    when each was found)."""
    return (
        f"INSERT {{ GRAPH <{new}> {{ <{new}> dip:copy ?c ; prov:wasDerivedFrom ?c . ?c ?p ?o }} }} "
        f"WHERE {{ GRAPH <{old}> {{ <{old}> dip:copy ?c . ?c ?p ?o }} }}"
    )


def orphan_cleanup(candidates: list[str], iris: Iris) -> str:
    """An update operation deleting the shared description of each candidate that
    no article mentions (or uses) any more; empty when there are no candidates."""
    if not candidates:
        return ""
    entities = f"<{iris.entities_graph}>"
    values = " ".join(f"<{c}>" for c in sorted(candidates))
    return (
        f" ;\nDELETE {{ GRAPH {entities} {{ ?x ?p ?o }} }} WHERE {{ VALUES ?x {{ {values} }} "
        f"GRAPH {entities} {{ ?x ?p ?o }} "
        "FILTER NOT EXISTS { GRAPH ?g { ?x dip:mentionedAs ?m } } "
        "FILTER NOT EXISTS { GRAPH ?h { ?e schema:object ?x } } }"
    )


def copy_removal(copy: str) -> str:
    """The update operation taking a recorded copy out of its article's sources,
    wherever it was recorded (the copy's IRI bound, never formatted in)."""
    return with_values(
        "DELETE { GRAPH ?g { ?a dip:copy ?old ; prov:wasDerivedFrom ?old . ?old ?p ?o } } "
        "WHERE { GRAPH ?g { ?a dip:copy ?old . ?old ?p ?o } }",
        {"old": ox.NamedNode(copy)},
    )


def copy_update(article: str, copy: str, triples_nt: str, source_id: str | None) -> str:
    """The SPARQL Update recording a copy of an article's story in the article's
    graph: an earlier copy with the same source identifier (an outlet's page that
    changed) or the same text is taken out first, wherever it was recorded. The
    IRIs are the store's own; the triples are written by rdflib."""
    ops = [copy_removal(copy)]
    if source_id is not None:
        ops.append(
            "DELETE { GRAPH ?g { ?a dip:copy ?old ; prov:wasDerivedFrom ?old . ?old ?p ?o } } "
            "WHERE { GRAPH ?g { ?a dip:copy ?old . ?old schema:identifier "
            f"{Literal(source_id).n3()} ; ?p ?o }} }}"
        )
    ops.append(f"INSERT DATA {{ GRAPH <{article}> {{\n{triples_nt}}} }}")
    return " ;\n".join(ops)
