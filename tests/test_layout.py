"""The floor plan holds: imports run one way, extraction never touches storage.

The import graph is read from the code's own import statements, those inside
functions included (an import inside a function can hide a cycle as well as
one at the top). A module imports another when it names it, or names
something from it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from tests.helpers import package_modules, parsed

# The floors of the house, lowest first. A module may import from its own floor
# and the floors below, never from a floor above.
FLOORS: list[tuple[str, ...]] = [
    (
        "communique.errors",
        "communique.vocab",
        "communique.settings",
        "communique.rdf",
        "communique.resources",
        "communique.formats",
        "communique.classes",
        "communique.sparql_text",
        "communique.chunked",
        "communique.ontology",
        "communique.shapes",
    ),
    ("communique.loaders",),
    ("communique.store",),
    ("communique.validation", "communique.query", "communique.dump", "communique.export"),
    ("communique.load",),
    ("communique.server",),
    ("communique.cli", "communique.progress", "communique.__main__"),
]
STORAGE = ("communique.store", "communique.load", "communique.query", "communique.server")


def modules() -> dict[str, Path]:
    return package_modules()


def imported_names(tree: ast.AST) -> Iterator[tuple[str, str | None]]:
    """(module, name) for every ``from module import name`` and ``import module``."""
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                yield node.module, alias.name
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, None


def import_graph() -> dict[str, set[str]]:
    known = modules()
    graph: dict[str, set[str]] = {}
    for name, path in known.items():
        edges = set()
        for module, imported in imported_names(ast.parse(path.read_text("utf-8"))):
            target = f"{module}.{imported}" if f"{module}.{imported}" in known else module
            if target in known and target != name:
                edges.add(target)
        graph[name] = edges
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in graph[node]:
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in graph:
        if node not in index:
            visit(node)
    return found


def within(module: str, packages: tuple[str, ...]) -> bool:
    return any(module == top or module.startswith(top + ".") for top in packages)


def floor_of(module: str) -> int | None:
    if module == "communique":  # the package's own __init__: the version, nothing else
        return 0
    for number, floor in enumerate(FLOORS):
        if within(module, floor):
            return number
    return None


def test_the_graph_sees_imports_inside_functions() -> None:
    graph = import_graph()
    # communique.cli imports the loader inside its command, for start-up speed
    assert "communique.load.pipeline" in graph["communique.cli"]


def test_no_import_cycles() -> None:
    assert cycles(import_graph()) == []


def test_cycles_are_found_when_there_are_some() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_every_module_has_a_floor() -> None:
    assert [m for m in modules() if floor_of(m) is None] == []


def test_imports_run_down_the_floors() -> None:
    upward = [
        f"{module} -> {target}"
        for module, targets in import_graph().items()
        for target in targets
        if floor_of(target) > floor_of(module)  # type: ignore[operator]
    ]
    assert upward == []


def test_extraction_never_imports_storage() -> None:
    graph = import_graph()
    leaks = [
        f"{module} -> {target}"
        for module, targets in graph.items()
        if within(module, ("communique.loaders",))
        for target in targets
        if within(target, STORAGE)
    ]
    assert leaks == []


STORE_READS = {"select", "query", "stream_query", "counts", "all_quads", "quad_count"}


def test_pages_read_the_store_only_through_the_query_workers() -> None:
    """In the server, only ``context`` (which sends queries to the workers, under
    the time limit) may query a store object; ``context.select`` is the route."""
    direct = []
    for name, path in modules().items():
        if not within(name, ("communique.server",)) or name == "communique.server.context":
            continue
        for node in ast.walk(parsed(path)):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in STORE_READS
                and not (isinstance(node.func.value, ast.Name) and node.func.value.id == "context")
            ):
                direct.append(f"{name}:{node.lineno} .{node.func.attr}()")
    assert direct == []
