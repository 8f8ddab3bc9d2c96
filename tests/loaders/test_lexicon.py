"""The lexicon, the ontology and the shapes agree, and the lexicon's tables are
checked as they are read.

The tables are read here as plain text (not through the loader), so that these
tests check the data itself, and the loader's own checks separately.
"""

from __future__ import annotations

import ast
import re
from importlib import resources

import pytest
from rdflib import RDF, Graph, URIRef
from rdflib.collection import Collection

from communique.classes import EventClass, event_classes, instances, subclasses
from communique.loaders.lexicon import events, patterns, tables
from communique.loaders.lexicon.tables import LexiconError, Row, parse_table
from communique.resources import shapes_turtle
from communique.vocab import DIP
from tests.helpers import package_modules, parsed

SH = "http://www.w3.org/ns/shacl#"
EVENT_SHAPE = URIRef("https://w3id.org/communique/shapes#EventShape")


def table(name: str) -> list[dict[str, str]]:
    """A lexicon table as dicts, read directly from the package data."""
    text = resources.files(tables.DATA_PACKAGE).joinpath(name).read_text("utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    header = lines[0].split("\t")
    return [dict(zip(header, line.split("\t"), strict=False)) for line in lines[1:]]


@pytest.mark.parametrize(
    ("name", "column"),
    [
        ("verbs.tsv", "class"),
        ("nouns.tsv", "class"),
        ("object_frames.tsv", "class"),
        ("class_groups.tsv", "class"),
    ],
)
def test_every_class_the_lexicon_names_is_an_event_class_of_the_ontology(
    name: str, column: str
) -> None:
    named = {row[column] for row in table(name)}
    assert named
    assert sorted(named - event_classes()) == []


def test_organisation_words_and_topics_name_what_the_ontology_has() -> None:
    assert {r["class"] for r in table("org_words.tsv")} <= subclasses("Organization")
    assert {r["topic"] for r in table("topics.tsv")} <= instances("Topic")


def shape_event_classes() -> set[str]:
    """The classes the event shape lets an event have (its sh:in list)."""
    shapes = Graph().parse(data=shapes_turtle("communique.ttl"), format="turtle")
    lists = [
        node
        for prop in shapes.objects(EVENT_SHAPE, URIRef(SH + "property"))
        if shapes.value(prop, URIRef(SH + "path")) == RDF.type
        for qualified in shapes.objects(prop, URIRef(SH + "qualifiedValueShape"))
        for node in shapes.objects(qualified, URIRef(SH + "in"))
    ]
    assert len(lists) == 1
    return {str(term).removeprefix(str(DIP)) for term in Collection(shapes, lists[0])}


def test_the_event_shape_allows_exactly_the_ontologys_event_classes() -> None:
    assert shape_event_classes() == set(event_classes())


def test_the_consultative_and_intention_groups_come_from_the_ontology() -> None:
    assert {"Consult", "Meeting", "Visit", "Talks", "Conference"} == events.CONSULTATIVE
    assert set(events.INTENTION_CLASS.values()) == {"Agree", "Threaten"}
    assert events.INTENTION_CLASS["Sanction"] == "Threaten"
    assert "Agree" not in events.INTENTION_CLASS  # agreeing to agree states nothing more


# ----------------------------------------------------------------- the loader's checks
def rows(text: str, columns: tuple[str, ...], required: tuple[str, ...] = ()) -> tuple[Row, ...]:
    return parse_table("test.tsv", text, columns, required)


def test_a_class_the_ontology_lacks_stops_the_lexicon(monkeypatch: pytest.MonkeyPatch) -> None:
    bad = rows("lemma\tclass\tframe\tnote\nparley\tParley\tmutual\t\n", events.VERB_COLUMNS)
    monkeypatch.setattr(events, "read_table", lambda *args: bad)
    with pytest.raises(LexiconError, match=r"test\.tsv:2: 'Parley' is not an event class"):
        events.verb_frames()


def test_a_frame_the_rules_do_not_have_stops_the_lexicon(monkeypatch: pytest.MonkeyPatch) -> None:
    bad = rows("lemma\tclass\tframe\tnote\nmeet\tMeeting\tgather\t\n", events.VERB_COLUMNS)
    monkeypatch.setattr(events, "read_table", lambda *args: bad)
    with pytest.raises(LexiconError, match=r"test\.tsv:2: frame 'gather'"):
        events.verb_frames()


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("a\tc\nx\ty\n", r"test\.tsv:1: the header must be a TAB b"),
        ("a\tb\nx\ty\tz\n", r"test\.tsv:2: 3 cells, at most 2"),
        ("a\tb\n# note\n\t y\n", r"test\.tsv:3: the a cell is empty"),
    ],
)
def test_a_malformed_table_names_its_line(text: str, problem: str) -> None:
    with pytest.raises(LexiconError, match=problem):
        rows(text, ("a", "b"), ("a",))


def test_a_word_set_needs_a_reason_and_no_word_twice(monkeypatch: pytest.MonkeyPatch) -> None:
    columns = ("set", "word", "why")
    tables.word_sets.cache_clear()
    try:
        no_reason = rows("set\tword\twhy\nfoes\tenemy\t\n", columns)
        monkeypatch.setattr(tables, "read_table", lambda *args: no_reason)
        with pytest.raises(LexiconError, match=r"test\.tsv:2: the first row of set 'foes'"):
            tables.word_sets()
        twice = rows("set\tword\twhy\nfoes\tenemy\tthey fight\nfoes\tenemy\t\n", columns)
        monkeypatch.setattr(tables, "read_table", lambda *args: twice)
        with pytest.raises(LexiconError, match=r"test\.tsv:3: 'enemy' is in set 'foes' twice"):
            tables.word_sets()
    finally:
        tables.word_sets.cache_clear()


def test_an_unknown_word_set_stops_the_process() -> None:
    with pytest.raises(LexiconError, match="no word set named 'no_such_set'"):
        tables.word_set("no_such_set")


def test_a_pattern_that_is_no_regular_expression_names_its_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bad = rows(
        "pattern\tclass\twhy\n(ministry\tGovernmentBody\tbroken\n", ("pattern", "class", "why")
    )
    monkeypatch.setattr(patterns, "read_table", lambda *args: bad)
    patterns.org_class_patterns.cache_clear()
    try:
        with pytest.raises(LexiconError, match=r"test\.tsv:2: not a regular expression"):
            patterns.org_class_patterns()
    finally:
        patterns.org_class_patterns.cache_clear()


# ----------------------------------------------------------------- the code's side
def loader_modules() -> dict[str, ast.Module]:
    return {
        name: parsed(path)
        for name, path in package_modules().items()
        if name.startswith("communique.loaders")
    }


def test_every_word_set_is_used_and_every_set_used_exists() -> None:
    used = {
        node.args[0].value
        for tree in loader_modules().values()
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", None) == "word_set"
        and isinstance(node.args[0], ast.Constant)
    }
    used |= {
        part[1:]
        for row in table("object_frames.tsv")
        for part in row["objects"].split("|")
        if part.startswith("@")
    }
    assert used == set(tables.word_sets())


def test_rule_code_names_event_classes_only_through_the_ontology() -> None:
    """Every ``EC.X`` is a class of the ontology (checked statically, so a misspelt
    class in a branch no test reaches is found too), and no rule compares with a
    class written as a bare string."""
    attributes, bare = set(), []
    for name, tree in loader_modules().items():
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and getattr(node.value, "id", None) == "EC":
                attributes.add(node.attr)
            elif isinstance(node, ast.Constant) and node.value in event_classes():
                bare.append(f"{name}:{node.lineno} {node.value!r}")
    assert attributes
    assert sorted(attributes - set(EventClass.__members__)) == []
    assert bare == []


def test_event_class_names_are_the_ontologys() -> None:
    assert set(EventClass.__members__) == set(event_classes())
    assert all(re.fullmatch(r"[A-Z][A-Za-z]+", name) for name in EventClass.__members__)
