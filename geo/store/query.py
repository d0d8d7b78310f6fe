"""The event filter shared by the store, the CLI and the dashboard.

A filter can describe itself in words ("12 events from 2016-05-01 to 2016-06-30, forces:
SDF, IS") so every view says what it shows.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from geo.core.errors import InputError
from geo.store.schema import SPAN_OPEN_HI, SPAN_OPEN_LO


@dataclass(frozen=True)
class EventFilter:
    """Which events to show. Empty tuples and None mean "no restriction"."""

    date_from: date | None = None
    date_to: date | None = None
    forces: tuple[str, ...] = ()          # canonical force ids: actor1, actor2 or control_to
    event_types: tuple[str, ...] = ()     # ACLED event_type values
    sub_event_types: tuple[str, ...] = ()
    bbox: tuple[float, float, float, float] | None = None  # min lon, min lat, max lon, max lat
    review_status: tuple[str, ...] = ("machine", "confirmed", "corrected")
    text: str = ""                        # case-insensitive search in location, actors, notes
    include_undated: bool = False         # undated events have no place on a time axis
    origins: tuple[str, ...] = ()         # extracted, imported, curated, manual

    def describe(self, count: int | None = None) -> str:
        """The filter in words, e.g. "312 events from 2016-05-01 to 2016-06-30, forces: SDF, IS"."""
        head = "events" if count is None else f"{count:,} event{'s' if count != 1 else ''}"
        parts = [head]
        if self.date_from and self.date_to:
            parts[0] += (f" on {self.date_from}" if self.date_from == self.date_to
                         else f" from {self.date_from} to {self.date_to}")
        elif self.date_from:
            parts[0] += f" from {self.date_from}"
        elif self.date_to:
            parts[0] += f" up to {self.date_to}"
        else:
            parts[0] += " at any date"
        if self.forces:
            parts.append("forces: " + ", ".join(self.forces))
        if self.event_types:
            parts.append("types: " + ", ".join(self.event_types))
        if self.sub_event_types:
            parts.append("sub-types: " + ", ".join(self.sub_event_types))
        if self.bbox:
            w, s, e, n = self.bbox
            parts.append(f"within {s:.2f}..{n:.2f}°N, {w:.2f}..{e:.2f}°E")
        if tuple(self.review_status) != ("machine", "confirmed", "corrected"):
            parts.append("review: " + (", ".join(self.review_status) or "any"))
        if self.text:
            parts.append(f'matching "{self.text}"')
        if self.origins:
            parts.append("origin: " + ", ".join(self.origins))
        if self.include_undated:
            parts.append("undated included")
        return ", ".join(parts)


# -- SQL ------------------------------------------------------------------------------------
# The WHERE clause of an event query, as a pure function so SQLite and PostGIS share it
# and tests pin it without a database. It reads only columns of the ``events`` table:
# Event fields plus two kinds of derived columns the store keeps in step with each write:
# ``span_lo``/``span_hi`` (date_min/date_max with an open end filled in as 0001-01-01 /
# 9999-12-31, both NULL for undated events: the window test is then two comparisons an
# index serves) and ``search_text`` (casefolded location, actors and notes: text search
# is Unicode-correct and one LIKE on one column).

def _like_pattern(text: str) -> str:
    """``%text%`` with LIKE's wildcards in the user's text escaped (``\\`` is the escape)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def build_where(flt: EventFilter | None, *, placeholder: str = "?",
                max_span_days: int | None = None) -> tuple[str, list[Any]]:
    """``(sql, params)`` for the WHERE clause selecting the events ``flt`` describes.

    * dates: interval overlap of [date_min, date_max] with the window, as
      ``span_hi >= date_from AND span_lo <= date_to`` (a missing bound is open; see
      ``max_span_days`` for the bounded form). Undated
      events are left out unless ``include_undated``, whatever the window.
    * forces: any of ``actor1_force``, ``actor2_force``, ``control_to``.
    * bbox: min lon, min lat, max lon, max lat, inclusive; excludes events without
      coordinates.
    * review_status / event types / sub-types / origins: membership; empty = any.
    * text: case-insensitive substring of location, actor1, actor2, notes.

    ``max_span_days``: an upper bound on ``span_hi - span_lo`` (days) of every stored
    interval with two finite ends (the store keeps it in ``store_meta``). Given with a
    window of two ends, the window is written as three branches that select the same
    events but each give an index a bounded range (the plain form makes an index on
    ``span_hi`` walk every entry after ``date_from``: ~430,000 of 1,000,000 for a month
    in 2016, and PostgreSQL multiplies the two one-sided selectivities into a seq scan):

      finite ends: ``span_hi BETWEEN date_from AND date_to + max_span_days`` (an interval
      no longer than that which ends later starts after the window) ``AND span_lo <=
      date_to``; open end: ``span_hi = 9999-12-31 AND span_lo <= date_to``; open start:
      ``span_lo = 0001-01-01 AND span_hi >= date_from``; plus ``span_lo IS NULL`` with
      ``include_undated``. The review status membership is repeated inside each branch
      (not outside), so each branch is one range of ``(review_status, span_hi, span_lo)``
      (SQLite plans each OR branch on its own terms only).

    ``placeholder`` is the driver's parameter marker ("?" for sqlite3, "%s" for psycopg).
    The SQL is plain ANSI (no functions), so it runs unchanged on PostgreSQL. Raises
    ``InputError`` for a window that ends before it starts or an inverted bbox.
    """
    flt = flt or EventFilter()
    clauses: list[str] = []
    params: list[Any] = []
    ph = placeholder

    def members(column: str, values: tuple[str, ...]) -> None:
        if values:
            clauses.append(f"{column} IN ({', '.join([ph] * len(values))})")
            params.extend(values)

    if flt.date_from and flt.date_to and flt.date_from > flt.date_to:
        raise InputError(f"the date window ends ({flt.date_to}) before it starts "
                         f"({flt.date_from})", field="date_from")
    ceiling = None
    if max_span_days is not None and flt.date_from and flt.date_to:
        try:
            ceiling = (flt.date_to + timedelta(days=max(0, int(max_span_days)))).isoformat()
        except OverflowError:
            ceiling = None
        if ceiling is not None and ceiling >= SPAN_OPEN_HI:
            ceiling = None          # no finite interval can end beyond: nothing to bound
    if ceiling is not None and flt.date_from and flt.date_to:
        lo, hi = flt.date_from.isoformat(), flt.date_to.isoformat()
        status = f"review_status IN ({', '.join([ph] * len(flt.review_status))}) AND " \
            if flt.review_status else ""
        status_params = list(flt.review_status)
        branches = [(f"span_hi >= {ph} AND span_hi <= {ph} AND span_lo <= {ph}",
                     [lo, ceiling, hi]),
                    (f"span_hi = {ph} AND span_lo <= {ph}", [SPAN_OPEN_HI, hi]),
                    (f"span_lo = {ph} AND span_hi >= {ph}", [SPAN_OPEN_LO, lo])]
        if flt.include_undated:
            branches.append(("span_lo IS NULL", []))
        clauses.append("(" + " OR ".join(f"{status}{sql}" for sql, _ in branches) + ")")
        for _, branch_params in branches:
            params.extend([*status_params, *branch_params])
    else:
        window: list[str] = []
        if flt.date_from:
            window.append(f"span_hi >= {ph}")
            params.append(flt.date_from.isoformat())
        if flt.date_to:
            window.append(f"span_lo <= {ph}")
            params.append(flt.date_to.isoformat())
        if not flt.include_undated:
            clauses.append(" AND ".join(window) if window else "span_lo IS NOT NULL")
        elif window:
            clauses.append(f"(span_lo IS NULL OR ({' AND '.join(window)}))")

    if flt.forces:
        marks = ", ".join([ph] * len(flt.forces))
        clauses.append(f"(actor1_force IN ({marks}) OR actor2_force IN ({marks}) "
                       f"OR control_to IN ({marks}))")
        params.extend(list(flt.forces) * 3)
    members("event_type", tuple(flt.event_types))
    members("sub_event_type", tuple(flt.sub_event_types))
    if flt.bbox is not None:
        w, s, e, n = flt.bbox
        if w > e or s > n:
            raise InputError(f"bbox {flt.bbox} is inverted; expected (min lon, min lat, "
                             f"max lon, max lat)", field="bbox")
        clauses.append(f"longitude BETWEEN {ph} AND {ph} AND latitude BETWEEN {ph} AND {ph}")
        params.extend([float(w), float(e), float(s), float(n)])
    if ceiling is None:             # else inside each window branch
        members("review_status", tuple(flt.review_status))
    if flt.text.strip():
        clauses.append(f"search_text LIKE {ph} ESCAPE '\\'")
        params.append(_like_pattern(flt.text.strip().casefold()))
    members("origin", tuple(flt.origins))
    return (" AND ".join(clauses) if clauses else "1=1"), params


def search_text(location: str, actor1: str, actor2: str, notes: str) -> str:
    """The value stored in ``search_text``: what text search looks in, casefolded."""
    return "\n".join(part for part in (location, actor1, actor2, notes) if part).casefold()
