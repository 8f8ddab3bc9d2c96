"""Which months a page of an event listing reads, decided from the summaries.

A listing is ordered newest month first. Reading the whole of a busy
country's listing to cut one page from it costs a lookup of each event's
month (0.4 s for 14,000 events at 100,000 articles). When the summary cubes
give the listing's exact count for each month, a page instead reads only the
months it falls in; but reading a month means going through every event of
that month in the store (the engine finds a country's events in a month by
checking each event of the month), so a sparse listing spread over many
months is cheaper read whole. The plan compares both costs and picks the
smaller.
"""

from __future__ import annotations

from dataclasses import dataclass

# The cost of reading one event of a month, against reading one event of the
# whole listing (a country's events, each with its month looked up): measured
# on the 100,000-article store, 7 µs against 30 µs (docs/benchmarks.md).
MONTH_EVENT_COST = 0.25


@dataclass(frozen=True)
class Window:
    """The months a page reads, newest first, and how many of the listing's rows
    come before the first of them."""

    months: tuple[str, ...]
    skipped: int


def plan(
    counts: dict[str, int],
    undated: int,
    store_months: dict[str, int],
    offset: int,
    size: int,
    scanned: int | None = None,
) -> Window | None:
    """The months holding rows ``offset`` to ``offset + size`` of a listing
    whose exact count per month is ``counts`` (and ``undated`` rows without a
    month, which come last), or None when reading the whole listing costs less
    or the page reaches the undated rows. ``store_months`` counts every event
    of the store by month; ``scanned`` is how many events reading the whole
    listing goes through (a filtered listing reads all of its actor's events
    and keeps some; by default, the listing's own rows).

    >>> plan({"2024-03": 30, "2024-02": 40, "2024-01": 50}, 0, {"2024-03": 60,
    ...       "2024-02": 60, "2024-01": 60}, offset=50, size=20)
    Window(months=('2024-02',), skipped=30)
    """
    dated = sum(counts.values())
    if offset + size > dated and undated:
        return None
    months: list[str] = []
    before = 0
    for month in sorted(counts, reverse=True):
        if before + counts[month] <= offset and not months:
            before += counts[month]
            continue
        months.append(month)
        if before + sum(counts[m] for m in months) >= offset + size:
            break
    month_cost = MONTH_EVENT_COST * sum(store_months.get(m, 0) for m in months)
    whole_cost = dated + undated if scanned is None else scanned
    if not months or month_cost >= whole_cost:
        return None
    return Window(tuple(months), before)
