"""Reading SPARQL text as the grammar does: comments, strings and IRIs are
skipped, so brackets, keywords or SERVICE inside them do not count.

Used by the query guard (before any engine sees a query) and by the remote
store (which needs a query's form to ask for the right result type).

>>> scan_query('SELECT * { ?s ?p "(((" }').depth
1
>>> scan_query("SELECT * { SERVICE <http://x.org/sparql> { ?s ?p ?o } }").services
['http://x.org/sparql']
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

# The lexical rules of SPARQL 1.1 (section 19.8) that matter for finding keywords:
# a comment runs to the end of the line, and a line ends at CR or LF; a short
# string may not hold a raw line break; a long string ends at the first unescaped
# triple quote; an IRI holds no space, no quote, no brackets, and may hold
# \\u escapes. Anything inside a comment, a string or an IRI is not a keyword.
_TOKEN = re.compile(
    r"""(?P<comment>\#[^\r\n]*)
      | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
                  |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
      | (?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>)
      | (?P<open>[({\[])
      | (?P<close>[)}\]])
      | (?P<word>[^\W\d][\w\-]*(?::[\w\-.]*)?|\?\w+|\$\w+|[\w\-]*:[\w\-.]*)
    """,
    re.VERBOSE | re.DOTALL,
)
UPDATE_KEYWORDS = {
    "insert",
    "delete",
    "load",
    "clear",
    "drop",
    "create",
    "add",
    "move",
    "copy",
    "with",
}
QUERY_KEYWORDS = {"select", "construct", "describe", "ask"}


@dataclass
class Scan:
    depth: int = 0
    services: list[str] = field(default_factory=list)
    loads: list[str] = field(default_factory=list)  # what LOAD fetches, in an update
    first_keyword: str | None = None
    prefixes: dict[str, str] = field(default_factory=dict)


def scan_query(text: str) -> Scan:
    """Bracket depth, SERVICE and LOAD targets and the first keyword after the
    prologue, of a query or an update.

    >>> scan_query("SELECT * { # a comment ends at CR\\r SERVICE <http://x.org/> {} }").services
    ['http://x.org/']
    """
    scan = Scan()
    depth = 0
    tokens = [m for m in _TOKEN.finditer(text) if m.lastgroup != "comment"]
    for index, match in enumerate(tokens):
        kind, value = match.lastgroup, match.group()
        if kind == "open":
            depth += 1
            scan.depth = max(scan.depth, depth)
        elif kind == "close":
            depth -= 1
        elif kind == "word":
            _word(scan, value, tokens, index)
    return scan


def _word(scan: Scan, value: str, tokens: list[re.Match[str]], index: int) -> None:
    lower = value.lower()
    if lower == "prefix" and index + 2 < len(tokens):
        scan.prefixes[tokens[index + 1].group().rstrip(":")] = tokens[index + 2].group()[1:-1]
    elif scan.first_keyword is None and lower in UPDATE_KEYWORDS | QUERY_KEYWORDS:
        scan.first_keyword = lower
    if lower in ("service", "load"):
        following = [t.group() for t in tokens[index + 1 : index + 3]]
        target = (
            following[1]
            if following and following[0].lower() == "silent"
            else (following[0] if following else "")
        )
        named = scan.services if lower == "service" else scan.loads
        named.append(_expand(target, scan.prefixes))


def _expand(target: str, prefixes: dict[str, str]) -> str:
    if target.startswith("<") and target.endswith(">"):
        return _unescape(target[1:-1])
    if ":" in target and not target.startswith(("?", "$")):
        prefix, local = target.split(":", 1)
        if prefix in prefixes:
            return prefixes[prefix] + local
    return target  # a variable or an unknown name: never on an allow-list


_UCHAR = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def _unescape(iri: str) -> str:
    """An IRI with its \\u escapes read, as the engine reads them."""
    return _UCHAR.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), iri)


VARIABLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def with_values(text: str, bindings: dict[str, Any]) -> str:
    """The query with each bound variable fixed by a ``VALUES`` block at the start
    of every WHERE group (the outer one and each subquery's): what binding a
    variable means, for an engine that takes no bindings of its own. The terms
    are pyoxigraph terms, written out by pyoxigraph, so a term's text is always
    one whole term, never a piece of query.

    >>> from pyoxigraph import NamedNode
    >>> with_values("SELECT ?this ?p WHERE { ?this ?p ?o }", {"this": NamedNode("http://x.org/a")})
    'SELECT ?this ?p WHERE { VALUES (?this) { (<http://x.org/a>) } ?this ?p ?o }'
    """
    if not bindings:
        return text
    block = _values_block(bindings)
    cuts = []
    opens_where = False  # the next '{' opens the group of a SELECT, ASK or WHERE
    previous = ""
    for match in _TOKEN.finditer(text):
        kind, word = match.lastgroup, match.group().lower()
        if kind == "comment":
            continue
        if kind == "word" and word in ("select", "ask", "where"):
            if word == "where" and previous == "construct":
                raise ValueError("bindings need CONSTRUCT's long form (a template, then WHERE)")
            opens_where = True
        elif match.group() == "{" and opens_where:
            cuts.append(match.end())
            opens_where = False
        previous = word if kind == "word" else ""
    pieces, start = [], 0
    for cut in cuts:
        pieces += [text[start:cut], block]
        start = cut
    return "".join(pieces) + text[start:]


def _values_block(bindings: dict[str, Any]) -> str:
    """One VALUES block for every bound variable. A variable bound to a tuple of
    terms takes each of them (the rows are every combination): one block, so
    the engine starts from the combinations rather than joining blocks later.

    >>> from pyoxigraph import Literal, NamedNode
    >>> _values_block({"a": NamedNode("http://x.org/a"), "m": (Literal("1"), Literal("2"))})
    ' VALUES (?a ?m) { (<http://x.org/a> "1") (<http://x.org/a> "2") }'
    """
    names = sorted(bindings)
    choices = []
    for name in names:
        if not VARIABLE_NAME.fullmatch(name):
            raise ValueError(f"not a variable name: {name!r}")
        bound = bindings[name] if isinstance(bindings[name], tuple) else (bindings[name],)
        if not bound or not all(isinstance(term, ox.NamedNode | ox.Literal) for term in bound):
            raise ValueError(f"?{name} must be bound to an IRI or a literal, or a tuple of them")
        choices.append(bound)
    variables = " ".join(f"?{name}" for name in names)
    rows = " ".join(f"({' '.join(map(str, row))})" for row in itertools.product(*choices))
    return f" VALUES ({variables}) {{ {rows} }}"


def values_of(iris: list[str]) -> str:
    """The IRIs as the terms of a VALUES block, each checked and written by
    pyoxigraph (for a list the store gave: a list cannot be one binding).

    >>> values_of(["http://x.org/a", "http://x.org/b"])
    '<http://x.org/a> <http://x.org/b>'
    """
    return " ".join(str(ox.NamedNode(iri)) for iri in iris)


def declares_dataset(update: str) -> bool:
    """Whether an update names its own dataset (USING, USING NAMED or WITH)."""
    return any(
        match.lastgroup == "word" and match.group().lower() in ("using", "with")
        for match in _TOKEN.finditer(update)
    )


def with_using(update: str, default_graphs: list[str], named_graphs: list[str]) -> str:
    """The update with the protocol's dataset (``using-graph-uri``,
    ``using-named-graph-uri``) written into each of its DELETE/INSERT operations,
    as ``USING`` clauses before their WHERE: what the parameters mean (SPARQL 1.1
    Protocol, 2.2.3), for engines that take only the text. The IRIs are checked
    and written by pyoxigraph.

    >>> with_using("INSERT { ?s ?p ?o } WHERE { ?s ?p ?o }", ["http://x.org/g"], [])
    'INSERT { ?s ?p ?o } USING <http://x.org/g> WHERE { ?s ?p ?o }'
    """
    clauses = [f"USING {ox.NamedNode(g)}" for g in default_graphs]
    clauses += [f"USING NAMED {ox.NamedNode(n)}" for n in named_graphs]
    if not clauses:
        return update
    cuts, depth, previous = [], 0, ""
    for match in _TOKEN.finditer(update):
        kind, word = match.lastgroup, match.group().lower()
        if kind == "open":
            depth += 1
        elif kind == "close":
            depth -= 1
        elif kind == "word" and word == "where" and depth == 0:
            if previous == "delete":
                raise ValueError(
                    "DELETE WHERE takes no dataset: write it as DELETE { … } WHERE { … }"
                )
            cuts.append(match.start())
        if kind != "comment":
            previous = word if kind == "word" else ""
    pieces, start = [], 0
    for cut in cuts:
        pieces += [update[start:cut], " ".join(clauses) + " "]
        start = cut
    return "".join(pieces) + update[start:]
