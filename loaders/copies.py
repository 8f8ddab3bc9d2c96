"""One story, many copies: telling that two texts are the same article (the same
wire text under another headline, with another footer) without comparing
every pair.

Each text is cut into shingles (runs of five words, case folded). MinHash
(datasketch) summarises the shingle set in 100 numbers whose agreement
estimates the Jaccard resemblance of two sets; the numbers are cut into 20
bands of 5, and each band hashed into a key. Two texts that share a key are
candidates (locality-sensitive hashing): at resemblance 0.7 they share one
with probability 0.975, at 0.3 with probability 0.05. The keys are written
with the article (``dip:similarityKey``), so a candidate is one index lookup
in the store, kept in step by the same transaction as the article; a
candidate is a copy when the exact resemblance of the two shingle sets is at
least ``SAME_STORY``.
"""

from __future__ import annotations

import functools
import hashlib
import re

from datasketch import MinHash

SHINGLE_WORDS = 5
BANDS, ROWS = 20, 5
NUM_PERM = BANDS * ROWS
SEED = 1  # fixed: keys written by one load must match those computed by the next
# Resemblance (Jaccard of the shingle sets) from which two texts are one story.
# A 300-word wire story under two footers of 25 words resembles itself at
# about 0.8; two stories on the same meeting from two agencies, at under 0.2.
SAME_STORY = 0.7
WORD = re.compile(r"\w+", re.UNICODE)


def shingles(text: str) -> set[bytes]:
    """The runs of ``SHINGLE_WORDS`` words of a text (the whole, when shorter)."""
    words = [w.casefold() for w in WORD.findall(text)]
    if len(words) <= SHINGLE_WORDS:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {
        " ".join(words[i : i + SHINGLE_WORDS]).encode("utf-8")
        for i in range(len(words) - SHINGLE_WORDS + 1)
    }


def similarity_keys(text: str) -> list[str]:
    """The text's band keys ('band:hash'); none for a text without words."""
    found = shingles(text)
    if not found:
        return []
    template = _template()
    summary = MinHash(
        num_perm=NUM_PERM, seed=SEED, permutations=template.permutations, scheme=template.scheme
    )
    summary.update_batch(list(found))
    values = summary.hashvalues
    keys = []
    for band in range(BANDS):
        chunk = values[band * ROWS : (band + 1) * ROWS].tobytes()
        keys.append(f"{band}:{hashlib.blake2b(chunk, digest_size=10).hexdigest()}")
    return keys


def resemblance(first: str, second: str) -> float:
    """The exact Jaccard resemblance of two texts' shingle sets, from 0 to 1."""
    a, b = shingles(first), shingles(second)
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


@functools.cache
def _template() -> MinHash:
    """A MinHash whose random permutations are reused: drawing them costs more
    than hashing an article. Its scheme (datasketch's hashing) is part of what a
    key means, so datasketch is pinned to one major version."""
    return MinHash(num_perm=NUM_PERM, seed=SEED)


__all__ = ["SAME_STORY", "resemblance", "shingles", "similarity_keys"]
