"""The model's attribute rules (tag → part of speech, morphology, lemma exceptions),
applied by table lookup instead of spaCy's token Matcher, with the same result.

spaCy's ``attribute_ruler`` runs every one of its patterns (179 in
``en_core_web_sm``) through the Matcher's state machine at every token: a tenth
of the whole pipeline's time on news text (0.94 s of 8.9 s over 96 articles,
measured), for rules that are almost all "a token whose tag is NN" or "a token
whose lower form is 'n't' and tag RB". Those single-token rules are looked up
here in a table keyed by the token's attribute values; any other rule (several
tokens, operators, sets of values) stays with a Matcher. The matches are the
Matcher's, in its order (``tests/test_attribute_rules.py`` compares both on
every token of the sample articles), so what the later pipes see is unchanged.
"""

from __future__ import annotations

import operator
from collections import defaultdict
from collections.abc import Callable, Iterable
from itertools import product
from typing import Any

from spacy.attrs import IDS
from spacy.errors import Errors
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs
from spacy.vocab import Vocab

FACTORY = "communique_attribute_ruler"
# Token attributes a table can compare: to_array gives the same numbers the
# Matcher compares (string hashes, or 0/1 for the flags).
HASHED = frozenset({"ORTH", "LOWER", "NORM", "TAG", "DEP"})
FLAGS = frozenset({"IS_SPACE", "IS_PUNCT", "IS_DIGIT", "IS_ALPHA"})
ROW_CACHE = 50_000  # distinct (word, tag, …) combinations remembered: about 15 MB at most

Match = tuple[int, int, int, int]  # (rule number, match id, start, end), as AttributeRuler's
Key = Callable[[list[int]], Any]
_Entry = tuple[int, tuple[tuple[int, frozenset[int]], ...]]  # rule, values ruled out


class IndexedAttributeRuler(AttributeRuler):
    """An ``AttributeRuler`` whose single-token rules are found by lookup."""

    def __init__(self, vocab: Vocab, name: str = "attribute_ruler", **kwargs: Any) -> None:
        super().__init__(vocab, name, **kwargs)
        self._indexed_rules = -1  # how many rules the tables below cover
        self._columns: list[int] = []
        self._tables: list[tuple[Key, dict[Any, list[_Entry]]]] = []
        self._other = Matcher(vocab)
        self._merged: dict[tuple[int, ...], dict[int, Any]] = {}
        self._by_row: dict[tuple[int, ...], list[tuple[int, int]]] = {}

    def match(self, doc: Doc) -> list[Match]:
        """The matches ``AttributeRuler.match`` gives, sorted the same way."""
        self._index()
        matches: list[Match] = []
        if self._tables and len(doc):
            rows = doc.to_array(self._columns).reshape(len(doc), -1).tolist()
            for position, row in enumerate(rows):
                for rule, match_id in self._rules_for(tuple(row)):
                    matches.append((rule, match_id, position, position + 1))
        others = self._other(doc, allow_missing=True, as_spans=False) if len(self._other) else []
        for match_id, start, end in others:
            matches.append((int(self.vocab.strings[match_id]), match_id, start, end))
        matches.sort()
        return matches

    def _rules_for(self, row: tuple[int, ...]) -> list[tuple[int, int]]:
        """The (rule, match id) pairs for a token with these values; words and tags
        repeat, so each combination is looked up once."""
        found = self._by_row.get(row)
        if found is None:
            found = [
                (rule, self._match_id(rule))
                for key, table in self._tables
                for rule, filters in table.get(key(row), ())
                if all(row[column] not in values for column, values in filters)
            ]
            if len(self._by_row) >= ROW_CACHE:
                self._by_row.clear()
            self._by_row[row] = found
        return found

    def set_annotations(self, doc: Doc, matches: list[Match]) -> None:
        """As ``AttributeRuler.set_annotations``: a later rule wins over an earlier one
        on the same token; each token's rules are merged and set once."""
        rules_at: dict[int, list[int]] = defaultdict(list)
        for rule, _match_id, start, end in matches:
            index = self.indices[rule]
            position = start + index if index >= 0 else end + index
            if not start <= position < end:
                raise ValueError(
                    Errors.E1001.format(
                        patterns=self.matcher.get(str(rule)),
                        span=[t.text for t in doc[start:end]],
                        index=index,
                    )
                )
            rules_at[position].append(rule)
        for position, rules in rules_at.items():
            set_token_attrs(doc[position], self._merged_attrs(tuple(rules)))

    # ------------------------------------------------------------------ tables
    def _index(self) -> None:
        """Sort the rules into lookup tables and a Matcher (again if rules were added)."""
        if self._indexed_rules == len(self.attrs):
            return
        columns: list[str] = []
        tables: dict[tuple[str, ...], dict[Any, list[_Entry]]] = defaultdict(dict)
        self._other = Matcher(self.vocab)
        for rule, pattern in enumerate(self.patterns):
            for token_patterns in pattern["patterns"]:
                spec = _tabular_spec(token_patterns)
                if spec is None:
                    self._other.add(str(rule), [token_patterns])
                    continue
                equal, excluded = spec
                names = tuple(sorted(equal))
                columns.extend(n for n in (*names, *excluded) if n not in columns)
                filters = tuple(
                    (columns.index(n), frozenset(self._value(n, v) for v in values))
                    for n, values in excluded.items()
                )
                for values in product(*(equal[n] for n in names)):
                    hashed = tuple(self._value(n, v) for n, v in zip(names, values, strict=True))
                    key = hashed[0] if len(hashed) == 1 else hashed
                    entries = tables[names].setdefault(key, [])
                    if (rule, filters) not in entries:
                        entries.append((rule, filters))
        self._columns = [IDS[name] for name in columns]
        self._tables = [
            (_row_key([columns.index(n) for n in names]), table) for names, table in tables.items()
        ]
        self._merged = {}
        self._by_row = {}
        self._indexed_rules = len(self.attrs)

    def _value(self, name: str, value: str | bool) -> int:
        return int(bool(value)) if name in FLAGS else self.vocab.strings.add(str(value))

    def _match_id(self, rule: int) -> int:
        return self.vocab.strings.add(str(rule))

    def _merged_attrs(self, rules: tuple[int, ...]) -> dict[int, Any]:
        merged = self._merged.get(rules)
        if merged is None:
            merged = {}
            for rule in sorted(rules):
                merged.update(self.attrs[rule])
            self._merged[rules] = merged
        return merged


def _tabular_spec(
    token_patterns: Iterable[dict[str, Any]],
) -> tuple[dict[str, list[Any]], dict[str, list[Any]]] | None:
    """For a one-token rule a table can answer: the values each attribute may have
    (one, or a set: ``IN``) and the values some attributes must not have (``NOT_IN``)."""
    tokens = list(token_patterns)
    if len(tokens) != 1:
        return None
    equal: dict[str, list[Any]] = {}
    excluded: dict[str, list[Any]] = {}
    for raw_name, test in tokens[0].items():
        name = str(raw_name).upper()
        if name not in HASHED | FLAGS:
            return None
        if isinstance(test, dict) and set(test) == {"NOT_IN"}:
            target, values = excluded, list(test["NOT_IN"])
        elif isinstance(test, dict) and set(test) == {"IN"}:
            target, values = equal, list(test["IN"])
        else:
            target, values = equal, [test]
        if not all(_comparable(name, v) for v in values):
            return None
        target[name] = values
    if not equal:
        return None  # a table needs one value to look up
    return equal, excluded


def _comparable(name: str, value: Any) -> bool:
    return isinstance(value, bool) if name in FLAGS else isinstance(value, str)


def _row_key(positions: list[int]) -> Key:
    """A function from a token's row of values to a table key."""
    if len(positions) == 1:
        return operator.itemgetter(positions[0])
    return operator.itemgetter(*positions)


@Language.factory(FACTORY, default_config={"validate": False})
def make_indexed_attribute_ruler(nlp: Language, name: str, validate: bool) -> IndexedAttributeRuler:
    return IndexedAttributeRuler(nlp.vocab, name, validate=validate)


def index_attribute_rules(nlp: Language, name: str = "attribute_ruler") -> None:
    """Swap the pipeline's attribute ruler for the indexed one, with its rules."""
    if name not in nlp.pipe_names or not isinstance(nlp.get_pipe(name), AttributeRuler):
        return
    patterns = nlp.get_pipe(name).patterns
    nlp.replace_pipe(name, FACTORY)
    nlp.get_pipe(name).add_patterns(patterns)
