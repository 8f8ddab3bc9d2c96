"""Which stored article (or article of this load) an incoming article is a copy
of: the same story under another headline, with another footer.

Candidates come from the similarity keys (``loaders/copies.py``): the store's
articles that share one (one index lookup), and the articles of this load not
written yet, held here by key. The candidate whose text resembles the incoming
one most is the original when the resemblance reaches ``SAME_STORY``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from communique.loaders.copies import SAME_STORY, resemblance, similarity_keys
from communique.loaders.read.article import Article
from communique.rdf import ntriples
from communique.store.base import Store


@dataclass(frozen=True)
class Match:
    """The article an incoming one is a copy of, and how alike their texts are."""

    article: str  # IRI
    resemblance: float


class CopyFinder:
    """Originals in the store and in this load, found by similarity key."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.held: dict[str, tuple[str, str]] = {}  # identifier -> (IRI, body), not written yet
        self.by_key: dict[str, set[str]] = defaultdict(set)  # key -> identifiers held
        self.keys: dict[str, list[str]] = {}  # identifier -> its keys, while it is held

    def match(self, article: Article, keys: Sequence[str] = ()) -> Match | None:
        """The best original of ``article``, or None when it is a story of its own;
        ``keys``: its similarity keys when they are known already."""
        keys = self.keys[article.identifier] = list(keys) or similarity_keys(article.body)
        candidates = dict(self.store.similar_articles(keys))
        for key in keys:
            for identifier in self.by_key.get(key, ()):
                iri, body = self.held[identifier]
                candidates.setdefault(iri, body)
        scored = [(resemblance(article.body, body), iri) for iri, body in candidates.items()]
        best = max(scored, default=(0.0, ""))
        if best[0] < SAME_STORY:
            return None
        self.keys.pop(article.identifier, None)  # a copy is never held
        return Match(best[1], round(best[0], 2))

    def hold(self, article: Article, iri: str) -> None:
        """An article of this load that later ones may copy, until it is written."""
        self.held[article.identifier] = (iri, article.body)
        keys = self.keys.get(article.identifier) or similarity_keys(article.body)
        self.keys[article.identifier] = keys
        for key in keys:
            self.by_key[key].add(article.identifier)

    def release(self, article: Article) -> None:
        """Written (the store now finds it) or failed (it is no one's original)."""
        if self.held.pop(article.identifier, None) is None:
            return
        for key in self.keys.pop(article.identifier, ()):
            self.by_key[key].discard(article.identifier)


def record_copy(store: Store, match: Match, article: Article) -> tuple[int, tuple[str, ...]]:
    """Record ``article`` as one of the sources of the stored ``match.article``, if
    its record conforms to the shapes: (triples written, problems); nothing is
    written when there are problems. ``load`` and ``load-shards`` both record
    copies here."""
    from communique.loaders.rdfmap import copy_triples  # rdflib, the gazetteer: when needed
    from communique.validation.batch import validate_batch

    copy, triples = copy_triples(match.article, article, match.resemblance, store.iris)
    (violations,) = validate_batch([triples])
    if violations:
        return 0, tuple(f"does not conform: {v}" for v in violations)
    store.add_copy(match.article, copy, ntriples(triples), article.source_id)
    return len(triples), ()


def copies_kept(store: Store, article: Article, replaces: Sequence[str]) -> tuple[str, ...]:
    """Of the stored articles a new version replaces, those whose recorded copies it
    keeps as its own sources: the ones whose text it still resembles as a copy
    would (an outlet updated its page: the other outlets still carry the story).
    A wholly new text under the same source identifier keeps none."""
    kept = []
    for old in replaces:
        body = store.copied_story(old)
        if body is not None and resemblance(body, article.body) >= SAME_STORY:
            kept.append(old)
    return tuple(kept)


def copy_note(match: Match) -> str:
    """What the report says of a copy."""
    return (
        f"the same story as {match.article} (resemblance {match.resemblance:.2f}): "
        "recorded as one of its sources, not extracted again"
    )


__all__ = ["CopyFinder", "Match", "copies_kept", "copy_note", "record_copy"]
