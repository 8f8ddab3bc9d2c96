"""A store behind a SPARQL 1.1 service: an Oxigraph server by default, or any
engine that speaks the SPARQL 1.1 Protocol and Update (Virtuoso, Fuseki,
GraphDB, Neptune, …).

``--store http://HOST:PORT/`` names an Oxigraph server (``/query``,
``/update``, ``/store``); other engines give their URLs in the
``store_query_url``, ``store_update_url`` and ``store_gsp_url`` settings.

Engines differ, and this module is where the differences are handled:
- the default graph: communique queries the union of all named graphs. An
  Oxigraph server is asked for it per query (``union-default-graph``); Virtuoso,
  GraphDB and Neptune already query all graphs by default (``native``); Fuseki
  names the union ``urn:x-arq:UnionGraph``, passed as the default graph IRI;
- change tracking: the time and generation of the last change live in a small
  graph of their own (``<base>graph/meta``), since there is no shared folder;
- whole-dataset reads (dumps, validation) go through a streamed
  ``SELECT … WHERE { GRAPH ?g { … } }``, which every engine answers.
"""

from __future__ import annotations

import hashlib
import http.cookiejar
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import platformdirs
import pyoxigraph as ox
import requests
import requests.adapters
from rdflib import Literal

from communique.errors import QueryError, StoreError
from communique.sparql_text import scan_query, with_values
from communique.store.base import Store
from communique.store.updates import now_iso
from communique.vocab import Iris

if TYPE_CHECKING:
    from communique.settings import Settings

SOLUTIONS_TYPE = "application/sparql-results+json"
TRIPLES_TYPE = "application/n-triples"
UNION_PARAM, UNION_NATIVE = "param", "native"
STATE_TTL = 1.0  # seconds a read of the change state is reused (one query saved per request)
CONNECT_TIMEOUT = 10.0
BULK_BATCH = 50_000  # quads gathered before they are sent, one request per graph


def is_service_address(store: str) -> bool:
    return store.startswith(("http://", "https://"))


@dataclass(frozen=True)
class RemoteEndpoints:
    """Where a SPARQL service answers, and how to talk to it (picklable, so query
    and extraction workers can open the same store)."""

    address: str
    query_url: str
    update_url: str
    gsp_url: str
    user: str | None = None
    password: str | None = None
    union: str = UNION_PARAM  # "param", "native", or an IRI naming the union graph

    @classmethod
    def from_settings(cls, settings: Settings) -> RemoteEndpoints:
        base = str(settings.store).rstrip("/")
        return cls(
            address=str(settings.store),
            query_url=settings.store_query_url or f"{base}/query",
            update_url=settings.store_update_url or f"{base}/update",
            gsp_url=settings.store_gsp_url or f"{base}/store",
            user=settings.store_user,
            password=settings.store_password,
            union=settings.store_union or UNION_PARAM,
        )


class RemoteTriples:
    """The triples of a CONSTRUCT or DESCRIBE answered by a service, streamed."""

    def __init__(self, response: requests.Response, source: str) -> None:
        self._response = response
        self._source = source

    def __iter__(self) -> Iterator[ox.Triple]:
        with self._response:
            try:
                for quad in ox.parse(self._response.raw, format=ox.RdfFormat.N_TRIPLES):
                    yield ox.Triple(quad.subject, quad.predicate, quad.object)
            except SyntaxError as exc:
                raise StoreError(f"{self._source} answered unreadable triples: {exc}") from exc


class RemoteStore(Store):
    """A communique dataset in a SPARQL 1.1 service."""

    def __init__(
        self, endpoints: RemoteEndpoints, iris: Iris, *, read_only: bool = False, check: bool = True
    ) -> None:
        self.endpoints = endpoints
        self.iris = iris
        self.read_only = read_only
        self._session = _session(endpoints)
        self._state_cache: tuple[float, dict[str, Any]] | None = None
        if not check:
            return
        if read_only:
            self.query("ASK {}")  # fail now, with a clear message, if it does not answer
        else:
            self._ensure_ontology()
            self._ensure_summaries()
            if not self.state():  # data put there by other means: start the change record
                self.record_change()

    @property
    def location(self) -> RemoteEndpoints:
        return self.endpoints

    def text_index_path(self) -> Path:
        """The text index of a store elsewhere lives in this machine's cache, one
        file per query endpoint."""
        key = hashlib.sha256(self.endpoints.query_url.encode("utf-8")).hexdigest()[:16]
        folder = Path(platformdirs.user_cache_dir("communique"))
        folder.mkdir(parents=True, exist_ok=True)
        return folder / f"text-{key}.sqlite"

    @property
    def description(self) -> str:
        return self.endpoints.address

    def close(self) -> None:
        self._session.close()

    def writable(self) -> Store:
        # This store was checked (and set up) when opened: a server's write request
        # need not ask the service again.
        return RemoteStore(self.endpoints, self.iris, check=False)

    def forget_state(self) -> None:
        self._state_cache = None

    # ------------------------------------------------------------------ primitives
    def query(self, sparql: str, **options: Any) -> Any:
        # Ask for the one type that fits the query form: some engines (Virtuoso)
        # answer a CONSTRUCT as a JSON table when JSON is acceptable.
        wanted = TRIPLES_TYPE if _returns_triples(sparql) else SOLUTIONS_TYPE
        response, media_type = self._ask(sparql, wanted, options)
        if media_type != wanted:
            response.close()
            raise StoreError(
                f"{self.endpoints.query_url} answered a query with {media_type or 'no type'}; "
                f"expected {wanted}"
            )
        if wanted == TRIPLES_TYPE:
            return RemoteTriples(response, self.endpoints.query_url)
        try:
            return ox.parse_query_results(response.raw, format=ox.QueryResultsFormat.JSON)
        except SyntaxError as exc:
            raise StoreError(
                f"{self.endpoints.query_url} answered unreadable results: {exc}"
            ) from exc

    def _ask(
        self, sparql: str, media_type: str, options: dict[str, Any]
    ) -> tuple[requests.Response, str]:
        """Send a query asking for one result type; the streamed answer and its type."""
        response = self._post(
            self.endpoints.query_url,
            data={"query": _with_prefixes(sparql, options), **self._dataset_params(options)},
            headers={"Accept": media_type},
            stream=True,
        )
        response.raw.decode_content = True  # a gzip-encoded answer reads as plain text
        return response, response.headers.get("Content-Type", "").split(";")[0].strip()

    def _dataset_params(self, options: dict[str, Any]) -> dict[str, Any]:
        """The protocol's dataset parameters for pyoxigraph-style query options."""
        params: dict[str, Any] = {}
        if options.get("default_graph"):
            params["default-graph-uri"] = [_iri(g) for g in options["default_graph"]]
        if options.get("named_graphs"):
            params["named-graph-uri"] = [_iri(g) for g in options["named_graphs"]]
        if params:  # the client chose the dataset (Oxigraph refuses a union beside it)
            return params
        if self.endpoints.union == UNION_PARAM:
            params["union-default-graph"] = ""
        elif self.endpoints.union != UNION_NATIVE:
            params["default-graph-uri"] = [self.endpoints.union]
        return params

    def update(self, sparql: str, *, base_iri: str | None = None) -> None:
        self._require_writable()
        self._post(
            self.endpoints.update_url,
            data=(_base(base_iri) + sparql).encode("utf-8"),
            headers={"Content-Type": "application/sparql-update; charset=utf-8"},
        ).close()

    def _post(self, url: str, **kwargs: Any) -> requests.Response:
        """A request to the service; its errors become communique's errors."""
        try:
            response = self._session.post(url, timeout=(CONNECT_TIMEOUT, None), **kwargs)
        except requests.RequestException as exc:
            raise StoreError(
                f"cannot reach the SPARQL store at {url}: {exc}; is it running? "
                "(set it with --store or COMMUNIQUE_STORE)"
            ) from exc
        if response.status_code == 400:
            raise QueryError(f"the store refused the request: {_error_text(response)}")
        if response.status_code in (401, 403):
            response.close()
            raise StoreError(
                f"{url} refused the request ({response.status_code}): the store is read-only "
                "here or wants other credentials (COMMUNIQUE_STORE_USER, "
                "COMMUNIQUE_STORE_PASSWORD)"
            )
        if not response.ok:
            raise StoreError(f"{url} answered {response.status_code}: {_error_text(response)}")
        return response

    def stream_query(self, sparql: str, media_type: str, **options: Any) -> Iterator[bytes] | None:
        """The service's own answer in ``media_type``, byte for byte (much faster than
        parsing and writing it again); None when the service answers in another type."""
        response, answered = self._ask(sparql, media_type, options)
        if answered != media_type:
            response.close()
            return None
        return _chunks(response)

    def bulk_add(self, quads: Iterable[ox.Quad]) -> None:
        """POST the quads to the Graph Store endpoint graph by graph (``?graph=``), in
        batches. Per graph, because that is the part of the protocol every engine
        has: Virtuoso answers a whole-dataset POST with 200 and stores nothing."""
        self._require_writable()
        batch: list[ox.Quad] = []
        for quad in quads:
            batch.append(quad)
            if len(batch) >= BULK_BATCH:
                self._post_by_graph(batch)
                batch = []
        if batch:
            self._post_by_graph(batch)

    def _post_by_graph(self, quads: list[ox.Quad]) -> None:
        graphs: dict[str, list[ox.Triple]] = {}
        for q in quads:
            graphs.setdefault(q.graph_name.value, []).append(
                ox.Triple(q.subject, q.predicate, q.object)
            )
        for graph, triples in graphs.items():
            self._post(
                self.endpoints.gsp_url,
                params={"graph": graph},
                data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES),
                headers={"Content-Type": TRIPLES_TYPE},
            ).close()

    def contains_graph(self, iri: str) -> bool:
        return bool(self.query(f"ASK {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}"))

    def quad_count(self) -> int:
        return int(self.select(self._quads_query())[0]["n"])

    def _quads_query(self) -> str:
        return f"SELECT (COUNT(*) AS ?n) WHERE {{ {self._own_quads()} }}"

    def _own_quads(self) -> str:
        """The graph pattern of communique's quads: the graphs under its base IRI
        (an engine may hold other data, and Virtuoso holds its own system graphs)."""
        base = Literal(self.iris.base).n3()
        return f"GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), {base}))"

    def all_quads(self) -> Iterator[ox.Quad]:
        solutions = self.query(f"SELECT ?s ?p ?o ?g WHERE {{ {self._own_quads()} }}")
        for row in solutions:
            yield ox.Quad(row["s"], row["p"], row["o"], row["g"])

    def dump(self, output: IO[bytes], fmt: ox.RdfFormat = ox.RdfFormat.N_QUADS) -> None:
        ox.serialize(self.all_quads(), output, fmt)

    # ------------------------------------------------------------------ state
    def state(self) -> dict[str, Any]:
        cached = self._state_cache
        if cached is not None and time.monotonic() - cached[0] < STATE_TTL:
            return dict(cached[1])
        rows = self.select(
            f"""SELECT ?modified ?generation WHERE {{ GRAPH <{self.iris.meta_graph}> {{
                <{self.iris.dataset}> dct:modified ?modified ; owl:versionInfo ?generation }} }}"""
        )
        state = (
            {"last_modified": str(rows[0]["modified"]), "generation": int(rows[0]["generation"])}
            if rows
            else {}
        )
        self._state_cache = (time.monotonic(), state)
        return dict(state)

    def _write_change(self) -> None:
        """Count the change up in the store itself, in one update (no read first, so
        two writers cannot both write the same generation)."""
        now = now_iso()
        graph, dataset = self.iris.meta_graph, self.iris.dataset
        self.update(
            f"""PREFIX dct: <http://purl.org/dc/terms/>
            PREFIX owl: <http://www.w3.org/2002/07/owl#>
            DELETE {{ GRAPH <{graph}> {{ <{dataset}> dct:modified ?m ; owl:versionInfo ?g }} }}
            INSERT {{ GRAPH <{graph}> {{ <{dataset}> dct:modified "{now}" ;
                                                      owl:versionInfo ?next }} }}
            WHERE {{ OPTIONAL {{ GRAPH <{graph}> {{
                       <{dataset}> dct:modified ?m ; owl:versionInfo ?g }} }}
                     BIND(COALESCE(?g, 0) + 1 AS ?next) }}"""
        )
        self._state_cache = None


def _session(endpoints: RemoteEndpoints) -> requests.Session:
    """One HTTP session for the store, shared by the threads of a server (resource
    pages run their queries in threads): its connection pool is thread-safe and
    sized for them, and it keeps no cookies."""
    session = requests.Session()
    session.cookies.set_policy(http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))
    adapter = requests.adapters.HTTPAdapter(pool_connections=4, pool_maxsize=16)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    if endpoints.user:
        session.auth = (endpoints.user, endpoints.password or "")
    return session


def _with_prefixes(sparql: str, options: dict[str, Any]) -> str:
    """The query text the service gets: its base and prefixes declared, bound
    variables fixed by VALUES blocks (a SPARQL service takes no bindings beside
    the query)."""
    prefixes = options.get("prefixes") or {}
    try:
        bound = with_values(sparql, options.get("substitutions") or {})
    except ValueError as exc:
        raise QueryError(str(exc)) from exc
    declared = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in prefixes.items())
    return _base(options.get("base_iri")) + declared + bound


def _base(iri: str | None) -> str:
    """A BASE declaration before the text (the text's own BASE, if any, comes later
    and wins, as a later BASE does)."""
    return f"BASE {ox.NamedNode(iri)}\n" if iri else ""


def _returns_triples(sparql: str) -> bool:
    return scan_query(sparql).first_keyword in ("construct", "describe")


def _chunks(response: requests.Response, size: int = 64 * 1024) -> Iterator[bytes]:
    with response:
        yield from response.iter_content(size)


def _iri(graph: Any) -> str:
    return graph.value if isinstance(graph, ox.NamedNode) else str(graph)


def _error_text(response: requests.Response, limit: int = 2000) -> str:
    try:
        return response.text[:limit].strip() or response.reason
    finally:
        response.close()
