"""Cutting an article body into the units the NLP parses, without moving offsets.

Each paragraph (a line) is parsed on its own, so that a sentence never runs
from a headline or a caption into the story. Scraped boilerplate (photo
credits and captions, "related link" bullets glued in front of a paragraph,
share/subscribe lines) is recognised and left out of extraction. The body
itself is never changed: a unit is a (start, end) span of it.

>>> body = "Talks open\\n\\n(photo credit: AP)\\nThe talks opened."
>>> [u.kind for u in split_units(body, "Talks open")]
['headline', 'paragraph']
"""

from __future__ import annotations

import re
from dataclasses import dataclass

HEADLINE, PARAGRAPH = "headline", "paragraph"

_CREDIT = re.compile(
    r"^\(?\s*(photo|picture|image|video)?\s*(credit|courtesy|source)s?\s*[:)]"
    r"|^\(?\s*(photo|picture|image|file photo)\s*:"
    r"|\b(getty images|reuters photo|ap photo|afp photo|epa photo|shutterstock)\b",
    re.IGNORECASE,
)
_CHROME = re.compile(
    r"^\s*(related|read more|see also|also read|share|share this|advertisement|subscribe"
    r"|click here|sign up|follow us|tags?|comments?|print|email)\b[:\s]*",
    re.IGNORECASE,
)
_BULLET = re.compile(r"^\s*[•·▪►»]\s*")
# Where a bullet's link title ends and the glued paragraph begins: a capitalised
# sentence opener right after a word, with no punctuation between them.
_GLUE = re.compile(
    r"(?<=[\w)\"”])\s+(?=(?:During|The|In|On|At|After|Before|But|As|When|While|Following"
    r"|Meanwhile|However|A|An|This|That|These|It|He|She|They|We|His|Her|Their|Earlier"
    r"|Later|Last|On|According)\b)"
)


@dataclass(frozen=True)
class Unit:
    start: int
    end: int
    kind: str  # HEADLINE or PARAGRAPH


def split_units(body: str, headline: str | None = None) -> list[Unit]:
    """The spans of the body worth parsing, in order."""
    units: list[Unit] = []
    offset = 0
    seen_text = False
    for line in body.split("\n"):
        start, end = offset, offset + len(line)
        offset = end + 1
        stripped = line.strip()
        if not stripped:
            continue
        lead = start + len(line) - len(line.lstrip())
        if not seen_text and headline and stripped == headline.strip():
            units.append(Unit(lead, lead + len(stripped), HEADLINE))
        else:
            span = _content_span(line, start)
            if span is not None:
                units.append(Unit(span[0], span[1], PARAGRAPH))
        seen_text = True
    return units


def _content_span(line: str, start: int) -> tuple[int, int] | None:
    """The part of a line that is story text, or None for boilerplate."""
    stripped = line.strip()
    lead = len(line) - len(line.lstrip())
    if _CREDIT.search(stripped) or (_CHROME.match(stripped) and len(stripped.split()) < 12):
        return None
    bullet = _BULLET.match(line)
    if bullet:
        glue = _GLUE.search(line, bullet.end())
        if glue is None:
            return None  # a bullet that is only a link title
        lead = glue.end()
    if _looks_like_caption(line[lead:].strip()):
        return None
    text_end = len(line.rstrip())
    return start + lead, start + text_end


def _looks_like_caption(text: str) -> bool:
    """Short text with no sentence ending and nothing capitalised, or image-size noise."""
    words = text.split()
    if not words:
        return True
    if len(words) <= 8 and text[-1:] not in '.!?"”' and text == text.lower():
        return True
    return bool(re.search(r"\b\d{2,4}\.\d{2}\b", text)) and len(words) <= 8
