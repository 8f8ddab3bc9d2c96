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
import uuid

import pyoxigraph as ox
from flask import Blueprint, Response, request

from communique.formats import GRAPH_FORMATS
from communique.query.guard import check_update
from communique.query.jobs import QueryJob
from communique.server import context, protocol
from communique.server.errors import ClientError
from communique.server.http import add_cors, negotiate
from communique.server.sparql import stream
from communique.sparql_text import declares_dataset, with_using
from communique.store.base import Store

blueprint = Blueprint("update", __name__)

UPDATE_TYPE = "application/sparql-update"
DEFAULT_GRAPH = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
NAMED_GRAPH = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"


@blueprint.route("/update", methods=["POST"])
def update() -> Response:
    _authorise()
    text = _with_protocol_dataset(_update_text())
    settings = context.settings()
    check_update(
        text,
        max_length=settings.max_query_length,
        max_depth=settings.max_query_depth,
        allowed_services=settings.allowed_services,
    )
    with _writable() as store:
        store.update(text, base_iri=protocol.service_iri())
        store.record_change()
    return Response(status=204)


def _update_text() -> str:
    if request.mimetype == UPDATE_TYPE:
        return protocol.body_text("update")
    if request.mimetype != protocol.FORM_TYPE:
        raise ClientError(415, f"POST an update as {UPDATE_TYPE} or {protocol.FORM_TYPE}")
    updates = protocol.values("update")
    if len(updates) != 1:
        raise ClientError(400, "Send exactly one 'update' parameter")
    return updates[0]


def _with_protocol_dataset(text: str) -> str:
    """The update with its ``using-graph-uri`` / ``using-named-graph-uri``
    parameters applied; a 400 when the text names a dataset too (SPARQL 1.1
    Protocol, 2.2.3: the request is then ambiguous)."""
    using = protocol.graph_iris("using-graph-uri")
    using_named = protocol.graph_iris("using-named-graph-uri")
    if not (using or using_named):
        return text
    if declares_dataset(text):
        raise ClientError(
            400,
            "The update names its dataset (USING or WITH) and the request names one too "
            "(using-graph-uri / using-named-graph-uri): send only one of them",
        )
    try:
        return with_using(text, using, using_named)
    except ValueError as exc:
        raise ClientError(400, str(exc)) from exc


@blueprint.route("/rdf-graphs", methods=["GET", "HEAD", "PUT", "POST", "DELETE"])
def graph_store() -> Response:
    """Indirect identification (``?graph=IRI`` or ``?default``); a POST naming
    neither creates a new graph (Graph Store Protocol, 5.5)."""
    if request.method == "POST" and not request.args:
        return _create_graph()
    return _graph_request(_target_graph())


@blueprint.route("/rdf-graphs/<name>", methods=["GET", "HEAD", "PUT", "POST", "DELETE"])
def named_graph(name: str) -> Response:
    """Direct identification: the request URL is the graph's IRI (the IRIs
    handed out by a POST to the store)."""
    return _graph_request(_request_graph())


def _graph_request(target: ox.NamedNode | None) -> Response:
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
            _write(store, target, _body_triples(), replace=request.method == "PUT")
            status = 204 if existed else 201
        store.record_change()
    return Response(status=status)


def _create_graph() -> Response:
    """A new graph holding the body's triples, named under this service so that
    its IRI is also where it can be read, replaced or deleted."""
    _authorise()
    triples = _body_triples()
    target = ox.NamedNode(f"{protocol.service_iri().rstrip('/')}/{uuid.uuid4().hex}")
    with _writable() as store:
        _write(store, target, triples, replace=False)
        store.record_change()
    return Response(status=201, headers={"Location": target.value})


def _write(
    store: Store, target: ox.NamedNode | None, triples: list[ox.Triple], *, replace: bool
) -> None:
    """Add the triples to the graph (after emptying it, for a PUT), in one transaction."""
    graph = f"GRAPH {target} " if target else ""
    ops = [f"DROP SILENT GRAPH {target}" if target else "CLEAR DEFAULT"] if replace else []
    data = "".join(f"{t.subject} {t.predicate} {t.object} .\n" for t in triples)
    ops.append(f"INSERT DATA {{ {graph}{{ {data} }} }}")
    store.update(" ;\n".join(ops))


def _request_graph() -> ox.NamedNode:
    if request.args:
        raise ClientError(400, "A graph named by its URL takes no ?graph or ?default")
    return ox.NamedNode(protocol.service_iri())


def _read_graph(target: ox.NamedNode | None) -> Response:
    fmt = negotiate(GRAPH_FORMATS, html=False)
    if target is not None and not context.store().contains_graph(target.value):
        raise ClientError(404, f"No graph {target} in the store")
    if target is None:
        job = QueryJob(sparql=DEFAULT_GRAPH, output=fmt.name, cap=context.result_cap())
    else:
        bound = (("g", target),)
        job = QueryJob(
            sparql=NAMED_GRAPH, output=fmt.name, substitutions=bound, cap=context.result_cap()
        )
    return add_cors(stream(job, fmt))


def _target_graph() -> ox.NamedNode | None:
    """The graph IRI from ?graph=, or None for ?default (the dataset's default graph)."""
    graphs = protocol.values("graph")
    if protocol.has("default") and not graphs:
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
