"""Person names: a surname, a partial name or a spelling variant of a name the
article gave in full refers to that person."""

from __future__ import annotations

import re

from communique.loaders.lexicon.tables import word_set

NAME_PARTICLES = word_set("name_particles")
SHORTEST_VARIANT = 4  # letters; shorter names are the same only when spelled the same


class PersonResolver:
    """Maps a surname, a partial name or a spelling variant to the full name seen first.

    "Lavrov" and "Sergei Lavrov" after "Sergey Lavrov" are all Sergey Lavrov; "Assad"
    and "al-Assad" after "Bashar al-Assad" are Bashar al-Assad. A surname that two
    people of the article share ("Gonzalez" after "Maria Gonzalez" and "Pedro
    Gonzalez") is nobody's: it is ambiguous.
    """

    def __init__(self) -> None:
        # each full name with its words as ``name_key`` gives them
        self._full_names: list[tuple[str, list[str]]] = []
        # a name's matches until the next full name: asked three times a mention
        self._matched: dict[str, list[str]] = {}

    def name_words(self) -> set[str]:
        """Every word of the full names seen so far, lower case, also without its
        particle ('al-zawahiri' and 'zawahiri')."""
        words = {w.lower() for full, _keys in self._full_names for w in full.split()}
        return words | {name_key(w) for w in words}

    def known(self, name: str) -> str | None:
        matches = self._matches(name)
        return matches[0] if matches and not self.ambiguous(name) else None

    def ambiguous(self, name: str) -> bool:
        """Whether the name fits more than one person the article named in full. Full
        names with the same given name are taken for one person written two ways
        ('Conrad Johnson', 'Conrad O. Johnson'); other given names are other people."""
        matches = self._matches(name)
        return any(not same_given_name(matches[0], other) for other in matches[1:])

    def _matches(self, name: str) -> list[str]:
        found = self._matched.get(name)
        if found is None:
            found = self._matched[name] = self._matching(name)
        return found

    def _matching(self, name: str) -> list[str]:
        keys = [name_key(w) for w in name.split()]
        found = [
            full
            for full, full_keys in reversed(self._full_names)  # the latest first
            if _fits(keys, full_keys)
        ]
        return list(dict.fromkeys(found))

    def resolve(self, name: str) -> str:
        found = self.known(name)
        if found is not None:
            return found
        if len(name.split()) > 1:
            self._full_names.append((name, [name_key(w) for w in name.split()]))
            self._matched.clear()
        return name


def _fits(keys: list[str], full_keys: list[str]) -> bool:
    """The last words of the full name ('Assad' of 'Bashar al-Assad', 'Gadhafi' of
    'Muammar Gaddafi'), or all of them, spelled the same or another way ('Sergei
    Lavrov' of 'Sergey Lavrov')."""
    if len(keys) < len(full_keys):
        ending = full_keys[-len(keys) :]
        return all(name_variants(a, b) for a, b in zip(keys, ending, strict=True))
    return len(keys) == len(full_keys) and all(
        name_variants(a, b) for a, b in zip(keys, full_keys, strict=True)
    )


def same_given_name(a: str, b: str) -> bool:
    """'Conrad' and 'Conrad', 'J.' and 'John', 'Sergey' and 'Sergei' may be one person."""
    first_a, first_b = name_key(a.split()[0]).rstrip("."), name_key(b.split()[0]).rstrip(".")
    if len(first_a) == 1 or len(first_b) == 1:
        return first_a[:1] == first_b[:1]
    return name_variants(first_a, first_b)


def name_key(word: str) -> str:
    """A name word as later mentions may write it: lower case, without a joined
    particle ('al-Assad' and 'Assad' are 'assad')."""
    lowered = word.lower()
    particle, hyphen, rest = lowered.partition("-")
    return rest if hyphen and particle in NAME_PARTICLES and rest else lowered


def name_variants(a: str, b: str) -> bool:
    """Two spellings of one name: 'Sergey'/'Sergei', 'Mashal'/'Meshaal', 'Muhammad'/'Mohammed'.

    >>> name_variants("Sergey", "Sergei"), name_variants("Mashal", "Meshaal")
    (True, True)
    >>> name_variants("Qaddafi", "Gadhafi")
    True
    >>> name_variants("Sergei", "Sergio"), name_variants("Ivanov", "Lavrov")
    (False, False)
    """
    if a == b:
        return True
    if min(len(a), len(b)) < SHORTEST_VARIANT:
        return False  # 'Yin' and 'Yuan' have the same skeleton and are two names
    # q is the Arabic qaf, which others write g or k ('Qaddafi', 'Gaddafi'); only a q
    # lets g and k stand for it, so 'Gorin' and 'Korin' stay two people
    qaf = "q" in (a + b).lower()
    if _folded(a, qaf)[:1] != _folded(b, qaf)[:1]:
        return False
    return _skeleton(a, qaf) == _skeleton(b, qaf) and abs(len(a) - len(b)) <= 2


def _folded(word: str, qaf: bool = False) -> str:
    """Letters that transliterations of one sound use in turn made one: y and i, ou
    and u, kh and h, dh and d ('Gadhafi', 'Gaddafi'); with ``qaf``, q, g and k."""
    folded = word.lower().replace("y", "i").replace("ou", "u").replace("kh", "h")
    folded = folded.replace("dh", "d")
    return re.sub(r"[qgk]", "k", folded) if qaf else folded


def _skeleton(word: str, qaf: bool = False) -> str:
    """Consonants only, doubled letters merged, after ``_folded``."""
    folded = _folded(word, qaf)
    consonants = re.sub(r"[aeiou]", "", folded[1:])
    return folded[0] + re.sub(r"(.)\1+", r"\1", consonants) + folded[-1:].replace("i", "e")


def looks_like_name(text: str) -> bool:
    """A capitalised span on one line: a name never runs across a line break."""
    return text[:1].isupper() and "\n" not in text and any(c.isalpha() for c in text)


class KnownPersons:
    """The persons earlier articles named in full, by node, with the offices they
    hold. Across articles another form of a name is taken for an earlier person
    only when the two hold the same office and exactly one earlier person fits,
    because two articles need not be about the same people: the surname alone
    ('President Assad' after President Bashar al-Assad), or the full name spelled
    another way ('Libyan leader Moammar Qaddafi' after 'Libyan leader Muammar
    Gaddafi'). The same full name is the same node already (its IRI is made from
    it). On 1,130 unrelated texts, surnames without an office merged 48 pairs,
    nearly all wrong ('John' into 'Michael John'), and spellings without one
    merged 'John Taylor' into 'John Tyler'; with the office, none.
    """

    def __init__(self) -> None:
        # surname skeleton -> (name, node, offices)
        self._by_surname: dict[str, list[tuple[str, str, frozenset[str]]]] = {}

    def add(self, node: str, name: str, offices: frozenset[str] = frozenset()) -> None:
        if len(name.split()) < 2:
            return  # a one-word name is what needs resolving, never a resolution
        bucket = self._by_surname.setdefault(_surname_skeleton(name), [])
        for n, (known_name, known_node, held) in enumerate(bucket):
            if (known_name, known_node) == (name, node):
                bucket[n] = (name, node, held | offices)
                return
        bucket.append((name, node, offices))

    def node_for(self, name: str, offices: frozenset[str] = frozenset()) -> str | None:
        """The node of the one earlier person the name fits, else None."""
        keys = [name_key(w) for w in name.split()]
        fitting = [
            (full, node)
            for full, node, held in self._by_surname.get(_surname_skeleton(name), [])
            if _fits_across(keys, [name_key(w) for w in full.split()], offices & held)
        ]
        nodes = {node for _, node in fitting}
        return fitting[0][1] if len(nodes) == 1 else None


def _fits_across(keys: list[str], full_keys: list[str], shared_offices: frozenset[str]) -> bool:
    if not shared_offices:
        return False
    if len(keys) < len(full_keys):
        return full_keys[-len(keys) :] == keys
    return len(keys) == len(full_keys) and all(
        name_variants(a, b) for a, b in zip(keys, full_keys, strict=True)
    )


def _surname_skeleton(name: str) -> str:
    """What spellings of one surname share: the index of ``KnownPersons``."""
    last = name_key(name.split()[-1])
    return _skeleton(last, qaf=True) if len(last) >= SHORTEST_VARIANT else last
