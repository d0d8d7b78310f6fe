"""How control's dates are said to an analyst: one wording for ``geo control --place``,
the map's popups (the dashboard's and the offline HTML's), control histories and the
GIS exports.

Why one module: a capture told by the month or the year ("retook it in December", "fell
to IS in 2014") is weighed from its interval's end (rule 3), so a bare day there
("since 2015-12-31") would claim a precision no report gave. Every place that shows such
a date says it the way the report did: "December 2015", "2015 (told by the year)".
Pure and light (no numpy): the page's worker and the CLI's quick path import it.
"""
from __future__ import annotations

import calendar
from datetime import date


def loose_date(start: date, end: date) -> str | None:
    """"December 2015" for a whole calendar month, "2015 (told by the year)" for a whole
    calendar year; None for anything else (a day, or an interval of other bounds)."""
    if start == end.replace(day=1) and end.day == calendar.monthrange(end.year, end.month)[1]:
        return f"{end:%B %Y}"
    if start == date(end.year, 1, 1) and end == date(end.year, 12, 31):
        return f"{end.year} (told by the year)"
    return None


def claim_date(start: date, end: date) -> str:
    """The date of a claim as its report gave it: "2015-05-17", "December 2015", "2015
    (told by the year)", else "2015-05-01 to 2015-05-20"."""
    if start >= end:
        return end.isoformat()
    return loose_date(start, end) or f"{start.isoformat()} to {end.isoformat()}"


def held_since(since: date, since_from: date | None = None) -> str:
    """The day a holder took a place, said as its report said it: the change is known
    only within ``since_from``..``since`` (rule 3 weighs it from ``since``):
    "December 2015", "2015 (told by the year)", "2015-12-31 (changed hands between
    2015-10-19 and 2015-12-31)"; a day alone when the report gave one. A retrospective
    "retook it in December" is not an exact day."""
    if since_from is None or since_from >= since:
        return since.isoformat()
    return loose_date(since_from, since) or \
        f"{since} (changed hands between {since_from} and {since})"


def since_text(since: date, since_from: date | None = None) -> str:
    """" since D" for an answer's line (``held_since``)."""
    return f" since {held_since(since, since_from)}"
