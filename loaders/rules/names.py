"""Person names: a surname, a partial name or a spelling variant of a name the
article gave in full refers to that person."""

from __future__ import annotations

import re


class PersonResolver:
    """Maps a surname, a partial name or a spelling variant to the full name seen first.

    "Lavrov" and "Sergei Lavrov" after "Sergey Lavrov" are all Sergey Lavrov.
    """

    def __init__(self) -> None:
        self._full_names: list[str] = []

    def name_words(self) -> set[str]:
        """Every word of the full names seen so far, lower case."""
        return {w.lower() for full in self._full_names for w in full.split()}

    def known(self, name: str) -> str | None:
        words = name.split()
        for full in reversed(self._full_names):
            full_words = full.split()
            if len(words) < len(full_words) and full_words[-len(words) :] == words:
                return full
            if len(words) == len(full_words) and all(
                name_variants(a, b) for a, b in zip(words, full_words, strict=True)
            ):
                return full
        return None

    def resolve(self, name: str) -> str:
        found = self.known(name)
        if found is not None:
            return found
        if len(name.split()) > 1:
            self._full_names.append(name)
        return name


def name_variants(a: str, b: str) -> bool:
    """Two spellings of one name: 'Sergey'/'Sergei', 'Mashal'/'Meshaal', 'Muhammad'/'Mohammed'.

    >>> name_variants("Sergey", "Sergei"), name_variants("Mashal", "Meshaal")
    (True, True)
    >>> name_variants("Sergei", "Sergio"), name_variants("Ivanov", "Lavrov")
    (False, False)
    """
    if a == b:
        return True
    if a[:1].lower() != b[:1].lower():
        return False
    return _skeleton(a) == _skeleton(b) and abs(len(a) - len(b)) <= 2


def _skeleton(word: str) -> str:
    """Consonants only, doubled letters merged, y and i alike."""
    folded = word.lower().replace("y", "i").replace("ou", "u").replace("kh", "h")
    consonants = re.sub(r"[aeiou]", "", folded[1:])
    return folded[0] + re.sub(r"(.)\1+", r"\1", consonants) + folded[-1:].replace("i", "e")


def looks_like_name(text: str) -> bool:
    """A capitalised span on one line: a name never runs across a line break."""
    return text[:1].isupper() and "\n" not in text and any(c.isalpha() for c in text)
