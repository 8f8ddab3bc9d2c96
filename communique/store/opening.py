"""Opening a store: which engine a location names, in one table.

A location is what another process needs to open the same store: a folder
(the embedded engine) or the endpoints of a SPARQL service. ``ENGINES`` maps
the ``--store`` setting to an engine; adding an engine is a module beside
this one and a row here.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from communique.errors import StoreError
from communique.settings import Settings
from communique.store.base import Store
from communique.store.embedded import EmbeddedStore
from communique.store.remote import RemoteEndpoints, RemoteStore, is_service_address
from communique.vocab import Iris

Location = Path | RemoteEndpoints


@dataclass(frozen=True)
class Engine:
    """One kind of store: which ``--store`` values name it, and how to open it."""

    name: str
    names_it: Callable[[str], bool]  # does this --store value name this engine?
    location_type: type
    locate: Callable[[Settings], Location]  # the location the settings name
    open: Callable[[Location, Iris, bool], Store]  # (location, iris, read_only)
    exists: Callable[[Location], bool]  # whether a store is there already


def _open_remote(location: Location, iris: Iris, read_only: bool) -> Store:
    assert isinstance(location, RemoteEndpoints)
    return RemoteStore(location, iris, read_only=read_only)


def _open_embedded(location: Location, iris: Iris, read_only: bool) -> Store:
    if read_only:
        EmbeddedStore.create_if_missing(Path(location), iris)  # type: ignore[arg-type]
    return EmbeddedStore(Path(location), iris, read_only=read_only)  # type: ignore[arg-type]


# First match wins: a folder path names the embedded store, so it comes last.
ENGINES: tuple[Engine, ...] = (
    Engine(
        "sparql-service",
        is_service_address,
        RemoteEndpoints,
        RemoteEndpoints.from_settings,
        _open_remote,
        lambda location: True,  # asked when opened: a service that does not answer fails
    ),
    Engine(
        "embedded",
        lambda store: True,
        Path,
        lambda s: Path(s.store),
        _open_embedded,
        lambda location: (Path(location) / "CURRENT").exists(),  # type: ignore[arg-type]
    ),
)


def open_location(location: Location, iris: Iris, *, read_only: bool = False) -> Store:
    """Open the store at a location: a folder (embedded) or a SPARQL service."""
    engine = next(e for e in ENGINES if isinstance(location, e.location_type))
    return engine.open(location, iris, read_only)


def location_from_settings(settings: Settings) -> Location:
    """The folder, or the endpoints of the SPARQL service, the settings name."""
    engine = next(e for e in ENGINES if e.names_it(str(settings.store)))
    return engine.locate(settings)


def open_from_settings(
    settings: Settings, *, read_only: bool = False, must_exist: bool = False
) -> Store:
    """The store the settings name; with ``must_exist``, an error rather than a new
    empty store where there is none (a mistyped path must not look like an empty
    store that conforms)."""
    location = location_from_settings(settings)
    if must_exist and not store_exists(location):
        raise StoreError(
            f"there is no store at {settings.store}: check the path (--store or "
            "COMMUNIQUE_STORE); `communique load` creates one"
        )
    return open_location(location, Iris(settings.base_iri), read_only=read_only)


def store_exists(location: Location) -> bool:
    engine = next(e for e in ENGINES if isinstance(location, e.location_type))
    return engine.exists(location)


@contextlib.contextmanager
def open_store(location: Location, iris: Iris, *, read_only: bool = False) -> Iterator[Store]:
    """Open the store for the length of a with-block."""
    store = open_location(location, iris, read_only=read_only)
    try:
        yield store
    finally:
        store.close()
