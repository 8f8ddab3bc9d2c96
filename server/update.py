"""Writing over HTTP: SPARQL 1.1 Update at /update and the Graph Store HTTP
Protocol at /rdf-graphs.

Off by default. With ``COMMUNIQUE_UPDATE_TOKEN`` set, writes need
``Authorization: Bearer <token>``; reading a graph is open to everyone. The
server opens the store for writing only for the length of one request, so a
``communique load`` running at the same time makes a write answer 503 (try
again) rather than wait.
"""

from __future__ import annotations

import hmac

import pyoxigraph as ox
from flask import Blueprint, Response, request

from communique.formats import GRAPH_FORMATS
from communique.query.guard import check_update
from communique.query.pool import QueryJob
from communique.server import context
from communique.server.errors import ClientError
from communique.server.http import add_cors, negotiate
from communique.server.sparql import stream
from communique.store.base import Store

blueprint = Blueprint("update", __name__)

UPDATE_TYPE = "application/sparql-update"
DEFAULT_GRAPH = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
NAMED_GRAPH = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"
FORM_TYPE = "application/x-www-form-urlencoded"


@blueprint.route("/update", methods=["POST"])
def update() -> Response:
    _authorise()
    if request.mimetype == UPDATE_TYPE:
        text = request.get_data(as_text=True)
    elif request.mimetype == FORM_TYPE:
        updates = request.form.getlist("update")
        if len(updates) != 1:
            raise ClientError(400, "Send exactly one 'update' parameter")
        text = updates[0]
    else:
        raise ClientError(415, f"POST an update as {UPDATE_TYPE} or {FORM_TYPE}")
    settings = context.settings()
    check_update(
        text,
        max_length=settings.max_query_length,
        max_depth=settings.max_query_depth,
        allowed_services=settings.allowed_services,
    )
    with _writable() as store:
        store.update(text)
        store.record_change()
    return Response(status=204)


@blueprint.route("/rdf-graphs", methods=["GET", "HEAD", "PUT", "POST", "DELETE"])
def graph_store() -> Response:
    target = _target_graph()
    if request.method in ("GET", "HEAD"):
        return _read_graph(target)
    _authorise()
    with _writable() as store:
        if request.method == "DELETE":
            if not _exists(store, target):
                raise ClientError(404, f"No graph {target} in the store")
            # an update takes no bindings: the graph's name is written by pyoxigraph
            store.update(f"DROP GRAPH {target}" if target else "CLEAR DEFAULT")
            status = 204
        else:
            existed = _exists(store, target)
            triples = _body_triples()
            graph = f"GRAPH {target} " if target else ""
            ops = (
                [f"DROP SILENT GRAPH {target}" if target else "CLEAR DEFAULT"]
                if request.method == "PUT"
                else []
            )
            data = "".join(f"{t.subject} {t.predicate} {t.object} .\n" for t in triples)
            ops.append(f"INSERT DATA {{ {graph}{{ {data} }} }}")
            store.update(" ;\n".join(ops))  # one transaction
            status = 204 if existed else 201
        store.record_change()
    return Response(status=status)


def _read_graph(target: ox.NamedNode | None) -> Response:
    fmt = negotiate(GRAPH_FORMATS, html=False)
    if target is not None and not context.store().contains_graph(target.value):
        raise ClientError(404, f"No graph {target} in the store")
    if target is None:
        job = QueryJob(sparql=DEFAULT_GRAPH, output=fmt.name)
    else:
        bound = (("g", target),)
        job = QueryJob(sparql=NAMED_GRAPH, output=fmt.name, substitutions=bound)
    return add_cors(stream(job, fmt))


def _target_graph() -> ox.NamedNode | None:
    """The graph IRI from ?graph=, or None for ?default (the dataset's default graph)."""
    graphs = request.args.getlist("graph")
    if "default" in request.args and not graphs:
        return None
    if len(graphs) != 1:
        raise ClientError(400, "Name exactly one graph: ?graph=<IRI> or ?default")
    try:
        return ox.NamedNode(graphs[0])
    except ValueError as exc:
        raise ClientError(400, f"Not an absolute IRI: {graphs[0]!r}") from exc


def _exists(store: Store, target: ox.NamedNode | None) -> bool:
    return target is None or store.contains_graph(target.value)


def _body_triples() -> list[ox.Triple]:
    try:
        fmt = ox.RdfFormat.from_media_type(request.mimetype or "")
    except ValueError:
        fmt = None
    if fmt is None:
        raise ClientError(
            415,
            "Send RDF as text/turtle, application/n-triples, "
            "application/rdf+xml or application/ld+json",
        )
    try:
        return [
            ox.Triple(q.subject, q.predicate, q.object)
            for q in ox.parse(request.get_data(), format=fmt)
        ]
    except SyntaxError as exc:
        raise ClientError(400, f"The body is not valid {fmt.name}: {exc}") from exc


def _authorise() -> None:
    token = context.settings().update_token
    if not token:
        raise ClientError(
            403,
            "Writing is off on this server (it has no update token; see COMMUNIQUE_UPDATE_TOKEN)",
        )
    sent = request.headers.get("Authorization", "")
    if not (sent.startswith("Bearer ") and hmac.compare_digest(sent[7:].encode(), token.encode())):
        raise ClientError(
            401,
            "Writing needs 'Authorization: Bearer <token>'",
            {"WWW-Authenticate": 'Bearer realm="communique"'},
        )


class _writable:
    """The store opened for writing for one request; 503 while a loader holds it."""

    def __enter__(self) -> Store:
        self.store = context.store().writable()
        return self.store

    def __exit__(self, *exc: object) -> None:
        self.store.close()
        context.store().forget_state()
