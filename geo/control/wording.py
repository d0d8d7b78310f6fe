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
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Protocol


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


# --- Who held a place and how that is known: one sentence per kind of holder ----------
#
# An analyst must see at a glance which holders rest on a report of their taking the
# place and which do not. A holder no report shows taking the place has no "since": the
# day its state begins on the map (the start of the record, a year before the first
# report) is the rules' reach, not a date anyone gave. So every shell (the dashboard's
# popup, the folium and HTML popups, the GIS exports, ``geo control --place``) says the
# holder with ``HolderWhen``, built here:
#
# =============  ========================================  ===================================
# kind           construction                              said after "held by X"
# =============  ========================================  ===================================
# reported       a report of X taking it (``reported``)    since 2015-05-17 / since December
#                                                          2015
# inferred       rule 7: Y took it from X (``taken_from``)  before 2014-06-10 (inferred: Y took
#                                                          it from X on 2014-06-10; no report
#                                                          of X taking it)
# inferred       X named as holder, besieged or fought     (inferred: reported held on
#                inside, never reported taking it          2016-07-01; no report of X taking
#                (``named``)                               it, since when is not known)
# presumed       rule 10 (``presumed``)                    throughout the record (presumed:
#                                                          no report gives its holder)
# estimated      the land around (``estimated``)           (estimated from the land of Hit,
#                                                          12 km away)
# =============  ========================================  ===================================

REPORTED, INFERRED, PRESUMED, ESTIMATED = "reported", "inferred", "presumed", "estimated"
#: What an inferred or presumed holder lacks, said in each of their notes.
NO_TAKING = "no report of {holder} taking it"
#: The note of a presumed holder without a more precise reason (``geo.control.seats``).
PRESUMED_NOTE = "presumed: no report gives its holder"


@dataclass(frozen=True)
class HolderWhen:
    """When a holder held a place and how that is known: ``lead`` follows "held by X"
    ("since 2015-05-17", "before 2014-06-10", "throughout the record"; "" when the
    basis says all), ``note`` says how it is known when no report of the holder taking
    the place dates it ("" for a reported holder). ``kind`` is one of ``REPORTED``,
    ``INFERRED``, ``PRESUMED``, ``ESTIMATED``."""

    kind: str
    lead: str
    note: str = ""

    @property
    def text(self) -> str:
        """The whole phrase after "held by X": the lead, then the note in brackets."""
        note = f"({self.note})" if self.note else ""
        return " ".join(part for part in (self.lead, note) if part)

    @property
    def reported(self) -> bool:
        return self.kind == REPORTED


def on_date(start: date, end: date) -> str:
    """A change's date as a phrase: "on 2014-06-10", "in December 2015", "in 2015",
    "between 2015-05-01 and 2015-05-20"."""
    if start >= end:
        return f"on {end.isoformat()}"
    if start == end.replace(day=1) and end.day == calendar.monthrange(end.year, end.month)[1]:
        return f"in {end:%B %Y}"
    if start == date(end.year, 1, 1) and end == date(end.year, 12, 31):
        return f"in {end.year}"
    return f"between {start.isoformat()} and {end.isoformat()}"


def reported(since: date, since_from: date | None = None) -> HolderWhen:
    """A holder a report shows taking the place: "since" the day as the report gave it
    (``held_since``)."""
    return HolderWhen(REPORTED, f"since {held_since(since, since_from)}")


def taken_from(holder: str, taker: str, start: date, end: date) -> HolderWhen:
    """Rule 7: ``holder`` is known only as the force ``taker`` took the place from
    between ``start`` and ``end`` (names as shown to the analyst). It held the place
    *before* the capture, since no known day."""
    when = on_date(start, end)
    before = when.split(" ")[1] if when.startswith("between ") else when.split(" ", 1)[1]
    return HolderWhen(INFERRED, f"before {before}",
                      f"inferred: {taker} took it from {holder} {on_date(start, end)}; "
                      + NO_TAKING.format(holder=holder))


#: How a report names a holder it never shows taking the place (claim kinds of
#: ``geo.control.claims``).
NAMED_AS = {"held": "reported held", "siege": "named as the force besieged",
            "partial": "named as the holder in fighting inside it"}


def named(holder: str, kind: str, start: date, end: date) -> HolderWhen:
    """A holder named by a report that does not say when it took the place (a held
    report, a holding stated in passing, the force a siege or fighting inside names as
    holding it): no lead (the state may begin before that report, rule 7, and lasts
    after it), the report's date in the note, since when not known."""
    return HolderWhen(INFERRED, "", f"inferred: {NAMED_AS.get(kind, 'reported held')} "
                      f"{on_date(start, end)}; {NO_TAKING.format(holder=holder)}, since "
                      "when is not known")


def presumed(reason: str = "") -> HolderWhen:
    """Rule 10: no report gives the holder; ``reason`` says whose presumption it is
    ("presumed: seat of the Iraqi government; no report gives its holder")."""
    return HolderWhen(PRESUMED, "throughout the record", reason or PRESUMED_NOTE)


def estimated(via: str, km: float | None = None) -> HolderWhen:
    """Estimated from the land around: the nearest known town ``via`` (and how far)."""
    away = f", {km:.0f} km away" if km is not None else ""
    return HolderWhen(ESTIMATED, "", f"estimated from the land of {via}{away}")


class ClaimLike(Protocol):
    """What ``account`` reads of a claim (``geo.control.claims.Claim``, frozen)."""

    @property
    def kind(self) -> str: ...
    @property
    def start(self) -> date: ...
    @property
    def end(self) -> date: ...
    @property
    def to(self) -> str: ...
    @property
    def old(self) -> str: ...


def account(holder: str, claims: Iterable[ClaimLike], name: Callable[[str], str], *,
            presumption: bool, inferred: bool, since: date | None,
            since_from: date | None = None, reason: str = "") -> HolderWhen:
    """How the holder ``holder`` (a force id) of a state is known, from the claims behind
    the state (its ``event_ids``): presumed (rule 10, ``presumption``: the best claim
    behind it is one), inferred (rule 7 and the reports naming a holder without its
    taking the place: the claim that names it says which sentence), else reported since
    ``since``. ``name`` gives a force's display name; ``reason`` a presumption's label."""
    if presumption:
        return presumed(reason)
    if not inferred and since is not None:
        return reported(since, since_from)
    who = name(holder)
    ordered = sorted(claims, key=lambda c: (c.end, c.start))
    for claim in ordered:       # rule 7: a later capture took it from the holder
        if claim.kind == "capture" and claim.old == holder and claim.to != holder:
            return taken_from(who, name(claim.to), claim.start, claim.end)
    for claim in ordered:       # a report names the holder (held, besieged, inside)
        if claim.to == holder or claim.old == holder:
            kind = "held" if claim.to == holder else claim.kind
            return named(who, kind, claim.start, claim.end)
    return HolderWhen(INFERRED, "", f"inferred: {NO_TAKING.format(holder=who)}")
