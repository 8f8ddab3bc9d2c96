"""The SPARQL Update text that writes and removes articles, shared by the engines,
and the change record's next state."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from communique.rdf import SerializedWrite
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
    ops = [f"DROP SILENT GRAPH <{iri}>" for iri in (*write.replaces, write.article)]
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
