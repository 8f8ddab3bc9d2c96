"""Resolving time expressions against the publication date, at the precision
the text supports: a day is an xsd:date, a month (or a week) an
xsd:gYearMonth, a year or a season an xsd:gYear.

>>> from datetime import date
>>> resolve("last month", date(2009, 6, 3), future=False)
('2009-05', 'gYearMonth')
>>> resolve("Sunday", date(2009, 6, 3), future=True)
('2009-06-07', 'date')
>>> resolve("two days", date(2009, 6, 3), future=False) is None
True
"""

from __future__ import annotations

import functools
import re
from datetime import date, datetime, timedelta

from dateparser.date import DateData, DateDataParser

SEASONS = re.compile(r"\b(spring|summer|autumn|fall|winter)\b", re.IGNORECASE)
YEAR = re.compile(r"\b(19|20)\d{2}\b")
DURATION = re.compile(
    r"^(about |nearly |almost |more than |less th[ae]n |at least )?(a|an|one|two|three|four|five"
    r"|six|seven|eight|nine|ten|several|few|\d+)\s+(day|week|month|year|hour|decade)s?$",
    re.IGNORECASE,
)
NOT_WHEN = re.compile(r"\b(anniversary|age|old|long|period|annual|daily|weekly)\b", re.I)


def resolve(
    text: str, published: date | datetime | None, *, future: bool
) -> tuple[str, str] | None:
    """(lexical value, XSD type) for a time expression, or None if it names no time."""
    text = " ".join(text.split())
    if DURATION.match(text) or NOT_WHEN.search(text):
        return None
    if SEASONS.search(text):
        return _season(text, published, future=future)
    if published is None and not YEAR.search(text):
        return None  # a relative expression needs the publication date
    if published is not None:
        quick = _common_expression(text.lower(), _as_datetime(published).date(), future=future)
        if quick is not None:
            return quick
    base = _as_datetime(published) if published is not None else datetime(2000, 1, 1)
    return _from_parsed(_parser("future" if future else "past", base).get_date_data(text))


def _from_parsed(data: DateData) -> tuple[str, str] | None:
    """dateparser's answer at the precision it found."""
    if data.date_obj is None:
        return None
    when = data.date_obj
    if data.period == "day":
        return when.date().isoformat(), "date"
    if data.period in ("week", "month"):
        return f"{when.year:04d}-{when.month:02d}", "gYearMonth"
    return f"{when.year:04d}", "gYear"


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
TODAY = {"today", "tonight", "this morning", "this afternoon", "this evening"}
SHIFT = {"yesterday": -1, "tomorrow": 1}
RELATIVE = re.compile(r"^(last|next|this) (week|month|year)$")
WEEKDAY = re.compile(r"^(on |last |next )?(" + "|".join(WEEKDAYS) + r")$")


def _common_expression(text: str, base: date, *, future: bool) -> tuple[str, str] | None:
    """The expressions news use most, resolved here as dateparser resolves them (a
    test checks that they agree) at a fraction of its cost; None for the others."""
    if text in TODAY or text in SHIFT:
        return (base + timedelta(days=SHIFT.get(text, 0))).isoformat(), "date"
    weekday = WEEKDAY.match(text)
    if weekday:
        word = (weekday.group(1) or "").strip()
        ahead = word == "next" or (word in ("", "on") and future)
        target = WEEKDAYS.index(weekday.group(2))
        gap = ((target - base.weekday()) if ahead else (base.weekday() - target)) % 7 or 7
        return (base + timedelta(days=gap if ahead else -gap)).isoformat(), "date"
    relative = RELATIVE.match(text)
    if relative is None:
        return None
    step = {"last": -1, "next": 1, "this": 0}[relative.group(1)]
    unit = relative.group(2)
    if unit == "year":
        return f"{base.year + step:04d}", "gYear"
    if unit == "week":
        when = base + timedelta(days=7 * step)
        return f"{when.year:04d}-{when.month:02d}", "gYearMonth"
    months = base.year * 12 + base.month - 1 + step
    return f"{months // 12:04d}-{months % 12 + 1:02d}", "gYearMonth"


def _season(
    text: str, published: date | datetime | None, *, future: bool
) -> tuple[str, str] | None:
    year = YEAR.search(text)
    if year:
        return year.group(0), "gYear"
    if published is None:
        return None
    return f"{published.year:04d}", "gYear"


def _as_datetime(value: date | datetime) -> datetime:
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    return datetime(value.year, value.month, value.day)


@functools.lru_cache(maxsize=64)
def _parser(prefer: str, base: datetime) -> DateDataParser:
    return DateDataParser(
        languages=["en"],
        settings={
            "RELATIVE_BASE": base,
            "PREFER_DATES_FROM": prefer,
            "RETURN_TIME_AS_PERIOD": False,
        },
    )
