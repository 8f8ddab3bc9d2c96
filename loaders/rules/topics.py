"""Topics (concepts in the scheme dip:Topics) from the words of a sentence.

>>> topics_in("Israel fears Iran's nuclear programme")
['IranNuclearProgramme']
"""

from __future__ import annotations

from communique.loaders.lexicon.patterns import topic_patterns

TOPIC_PATTERNS = topic_patterns()  # data/topics.tsv


def topics_in(text: str) -> list[str]:
    return [name for name, pattern in TOPIC_PATTERNS if pattern.search(text)]
