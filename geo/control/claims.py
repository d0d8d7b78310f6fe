"""Control claims: what one event says about who holds a place, and how much it weighs.

A *claim* is an event reduced to what the control rules need: its kind (capture,
partial capture or fighting inside the town, siege), its date interval, the force that
takes (or besieges, or fights inside) the place, the force the report says held it,
and its **weight**.

Why weights and not counts: a town's control is a fact with sources of very different
quality. An analyst's confirmation, a cited curated row, a capture that several
independent articles report, and one sentence read by the machine are not equal, and a
lone misread must not repaint a town that a better source settles. Tiers, best first:

=====  ======================  ====================================================
tier   name                    which events
=====  ======================  ====================================================
4      analyst-confirmed       review status confirmed/corrected, or entered by hand
                               (origin manual); never origin curated
3      curated                 a row of the curated timeline (data/control_timeline.csv)
2      corroborated            an imported record (ACLED/UCDP: coded by people), or a
                               machine claim whose place, taker and kind are reported by
                               at least ``CORROBORATING_SOURCES`` independent articles
                               within ``CORROBORATION_DAYS`` of each other
1      single report           any other machine claim
0      stated in passing       a holding an article states without reporting a change
                               ("fleeing Islamic State-held Hit": ``Holding``, read
                               by ``geo.extract.holdings``), as a held report
-1     presumed                what an analyst takes for granted until a report says
                               otherwise, never a report: a government holds its seat
                               (``geo.control.seats``; origin ``presumed``)
=====  ======================  ====================================================

Estimates from the neighbouring towns (``geo.control.territory``) are below every tier:
they are no claim.

Validation comes first (``claims_from_events``): a claim with an unknown force, a date
outside ``DATE_RANGE`` or coordinates outside ``LAT_RANGE``/``LON_RANGE`` is skipped with
a message naming the event and the field; the event itself stays in the store untouched.
"""
from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from geo.core.codebook import CAPTURE_SUB_EVENT_TYPES
from geo.core.forces import ForceTable, default_forces
from geo.core.records import (
    Event,
    GeoPrecision,
    Holding,
    Origin,
    ReviewStatus,
    ongoing_until,
)

ANALYST, CURATED, CORROBORATED, SINGLE, STATED, PRESUMED = 4, 3, 2, 1, 0, -1
TIER_NAMES = {ANALYST: "analyst-confirmed", CURATED: "curated",
              CORROBORATED: "corroborated", SINGLE: "single report",
              STATED: "stated in passing", PRESUMED: "presumed"}
#: ``Event.origin`` of a presumption (``geo.control.seats``): made by the control rules
#: from the force table, never stored.
PRESUMED_ORIGIN = "presumed"
#: Independent articles needed before machine claims count as corroborated.
CORROBORATING_SOURCES = 2
#: Reports of the same capture whose dates lie this close are one capture, reported twice.
CORROBORATION_DAYS = 14
#: The theatre's dates and box: a claim outside them is a typo, not evidence.
DATE_RANGE = (date(2011, 1, 1), date(2030, 12, 31))
LAT_RANGE = (29.0, 42.0)
LON_RANGE = (34.0, 49.0)
KINDS = ("capture", "partial", "siege", "held")
#: Words of an Armed clash that make it a siege: the verbs, and the noun where it names
#: the siege laid on a place ("the three-year siege of C by B", "a siege imposed on C",
#: "C was under siege"), not a siege merely recalled ("C, which resisted a siege").
_SIEGE_WORDS = re.compile(r"besieg|encircl|\bsiege\s+(?:of|on|imposed|laid)\b|"
                          r"\bunder\s+(?:a\s+)?siege\b")
#: Notes tags by which extraction or an analyst says fighting is *inside* the town.
INSIDE_TAGS = ("[partial]", "[inside]")
#: Notes tag of an analyst's claim that a force held a town on a day (no change).
HELD_TAG = "[held]"
#: Notes prefix of a holding stated in passing, as the control rules read it
#: (``stated_event``): tier ``STATED``.
STATED_TAG = "[stated]"


@dataclass(frozen=True)
class Claim:
    """One event's claim about one place.

    ``to`` is the taker (capture), the force fighting inside (partial) or the besieger
    (siege); ``old`` the force the report says held the place (may be empty);
    ``sources`` the independent sources behind it (article ids, else the publication).
    """

    kind: str
    start: date
    end: date
    to: str
    old: str
    event_id: str
    tier: int
    origin: str
    sources: frozenset[str] = frozenset()

    @property
    def durable(self) -> bool:
        """Checked by a person (curated or analyst): it never goes stale."""
        return self.tier >= CURATED

    @property
    def presumed(self) -> bool:
        """A presumption, not a report (``geo.control.seats``): every report outweighs it."""
        return self.tier == PRESUMED

    @property
    def tier_name(self) -> str:
        return TIER_NAMES[self.tier]


def has_coordinates(event: Event) -> bool:
    return (event.latitude is not None and event.longitude is not None
            and not math.isnan(float(event.latitude))
            and not math.isnan(float(event.longitude)))


def is_siege(event: Event) -> bool:
    """An encirclement report: curated status besieged or an Armed clash saying so."""
    notes = (event.notes or "").lower()
    if event.origin == Origin.CURATED.value and "status: besieged" in notes:
        return True
    return event.sub_event_type == "Armed clash" and _SIEGE_WORDS.search(notes) is not None


def is_partial(event: Event) -> bool:
    """Fighting inside the town / part of it taken: curated status partial, or a notes
    tag ``[partial]`` / ``[inside]`` that extraction or an analyst sets."""
    notes = (event.notes or "").lower()
    if event.origin == Origin.CURATED.value and "status: partial" in notes:
        return True
    return any(tag in notes for tag in INSIDE_TAGS)


def is_nearby(event: Event) -> bool:
    """A machine capture located only *near* the place (geo_precision 2: "villages east
    of the city"): it says nothing about who holds the town itself."""
    return (event.origin != Origin.CURATED.value
            and int(event.geo_precision or GeoPrecision.EXACT) >= GeoPrecision.NEAR
            and event.review_status not in (ReviewStatus.CONFIRMED.value,
                                            ReviewStatus.CORRECTED.value))


def from_holding(event: Event) -> bool:
    """A holding stated in passing (``stated_event``), whatever its review: a held
    report of a place, with no event of its own."""
    return event.origin == Origin.EXTRACTED.value and (event.notes or "").startswith(STATED_TAG)


def is_stated(event: Event) -> bool:
    """A holding stated in passing (``stated_event``), never checked by a person (an
    analyst's confirmation or correction weighs it as the analyst's, tier 4)."""
    return from_holding(event) and event.review_status == ReviewStatus.MACHINE.value


def stated_event(holding: Holding) -> Event:
    """A stated holding as the event the control rules read: a held report of its force
    at its place over its interval, with tier ``STATED`` (an analyst's once confirmed or
    corrected, none once rejected: the holding's review status); its sentence is the
    note and its article the source (the popup shows both). Never stored as an event."""
    return Event(event_date=holding.date_max, event_type="", sub_event_type="",
                 location=holding.location, latitude=holding.latitude,
                 longitude=holding.longitude, country=holding.country,
                 source=holding.source, notes=f"{STATED_TAG} {holding.sentence}",
                 event_id=holding.holding_id, date_min=holding.date_min,
                 date_max=holding.date_max, control_to=holding.force,
                 place_id=holding.place_id, confidence=0.5,
                 review_status=holding.review_status,
                 article_ids=[holding.article_id] if holding.article_id else [])


def base_tier(event: Event) -> int:
    """The tier of an event before corroboration (see the module table)."""
    if is_stated(event):
        return STATED
    if event.origin == Origin.CURATED.value:
        return CURATED
    if event.origin == PRESUMED_ORIGIN:
        return PRESUMED
    if event.review_status in (ReviewStatus.CONFIRMED.value, ReviewStatus.CORRECTED.value) \
            or event.origin == Origin.MANUAL.value:
        return ANALYST
    if event.origin == Origin.IMPORTED.value:
        return CORROBORATED
    return SINGLE


def _sources(event: Event) -> frozenset[str]:
    ids = [a for a in (event.article_ids or []) if a]
    if ids:
        return frozenset(ids)
    return frozenset([event.source.strip() or event.event_id])


def is_held(event: Event) -> bool:
    """A dated report that a force held the place (curated status held, or an analyst's
    own claim tagged ``[held]``): no change, an anchor."""
    notes = (event.notes or "").lower()
    return (event.origin == Origin.CURATED.value and "status: held" in notes) or \
        (event.origin != Origin.CURATED.value and HELD_TAG in notes)


def _kind(event: Event) -> str | None:
    if is_held(event) or from_holding(event):
        return "held"
    if is_siege(event):
        return "siege"
    if event.sub_event_type in CAPTURE_SUB_EVENT_TYPES or (
            event.sub_event_type == "Armed clash" and is_partial(event)):
        return "partial" if is_partial(event) else "capture"
    return None


def claim_of(event: Event, forces: ForceTable | None = None
             ) -> tuple[Claim | None, str | None]:
    """The claim an event makes, or ``(None, problem)`` when it is unusable, or
    ``(None, None)`` when it makes no control claim at all (not a capture or siege,
    rejected, or only located near the place)."""
    if event.review_status == ReviewStatus.REJECTED.value:
        return None, None
    kind = _kind(event)
    if kind is None or (kind == "capture" and is_nearby(event)):
        return None, None
    forces = forces or default_forces()
    start = event.date_min or event.event_date
    end = event.date_max or event.event_date or start
    what = f"event {event.event_id} ({kind} at {event.location or '?'})"
    missing = []
    if not event.place_id and not has_coordinates(event):
        missing.append("a place (no place_id and no coordinates)")
    elif not has_coordinates(event):
        missing.append("coordinates")
    taker = event.actor1_force if kind == "siege" else (event.control_to or (
        event.actor1_force if kind in ("partial", "held") else ""))
    if kind == "siege" and not (event.actor1_force or event.actor2_force):
        missing.append("a force (actor1_force and actor2_force are empty)")
    if kind != "siege" and not taker:
        missing.append("the force taking control (control_to is empty)")
    if start is None or end is None:
        missing.append("a date")
    if missing:
        return None, f"{what} skipped: missing {' and '.join(missing)}"
    assert start is not None and end is not None
    for field, value in (("control_to" if kind != "siege" else "actor1_force", taker),
                         ("actor2_force", event.actor2_force)):
        if value and value not in forces:
            return None, (f"{what} skipped: unknown force {value!r} in {field} "
                          "(not in data/forces.csv)")
    if not (DATE_RANGE[0] <= start and end <= DATE_RANGE[1]):
        return None, (f"{what} skipped: date {start} to {end} is outside "
                      f"{DATE_RANGE[0]}..{DATE_RANGE[1]}")
    lat, lon = float(event.latitude), float(event.longitude)   # type: ignore[arg-type]
    if not (LAT_RANGE[0] <= lat <= LAT_RANGE[1] and LON_RANGE[0] <= lon <= LON_RANGE[1]):
        return None, (f"{what} skipped: coordinates {lat:.4f}, {lon:.4f} are outside the "
                      f"theatre ({LAT_RANGE[0]}-{LAT_RANGE[1]} N, "
                      f"{LON_RANGE[0]}-{LON_RANGE[1]} E)")
    old = event.actor2_force if event.actor2_force != taker else ""
    return Claim(kind, start, max(start, end), taker, old, event.event_id, base_tier(event),
                 event.origin or Origin.EXTRACTED.value, _sources(event)), None


def corroborate(claims: list[Claim]) -> list[Claim]:
    """Machine claims of one place raised to tier 1 where at least
    ``CORROBORATING_SOURCES`` independent sources report the same kind by the same force
    within ``CORROBORATION_DAYS``; the group's sources are pooled on each of its claims."""
    single = [c for c in claims if c.tier == SINGLE]
    if not single:
        return claims
    # (keyed by the claim, not its event alone: a siege still going on is one event
    # claiming twice, ``continuing``)
    upgraded: dict[tuple[str, date], Claim] = {}
    by_what: dict[tuple[str, str], list[Claim]] = {}
    for claim in single:
        by_what.setdefault((claim.kind, claim.to), []).append(claim)
    for group in by_what.values():
        group.sort(key=lambda c: (c.end, c.start, c.event_id))
        runs: list[list[Claim]] = [[group[0]]]
        for claim in group[1:]:
            last = runs[-1][-1]
            if (claim.end - last.end).days <= CORROBORATION_DAYS or claim.start <= last.end:
                runs[-1].append(claim)
            else:
                runs.append([claim])
        for run in runs:
            pooled = frozenset().union(*(c.sources for c in run))
            tier = CORROBORATED if len(pooled) >= CORROBORATING_SOURCES else SINGLE
            for claim in run:
                upgraded[claim.event_id, claim.end] = replace(claim, tier=tier, sources=pooled)
    return [upgraded.get((c.event_id, c.end), c) if c.tier == SINGLE else c for c in claims]


def claims_from_events(events: Iterable[Event], forces: ForceTable | None = None
                       ) -> tuple[list[tuple[Event, Claim]], list[str]]:
    """Every usable (event, claim) pair and the problems of the unusable ones, in input
    order (corroboration is per place: see ``corroborate``)."""
    forces = forces or default_forces()
    pairs: list[tuple[Event, Claim]] = []
    problems: list[str] = []
    for event in events:
        claim, problem = claim_of(event, forces)
        if problem:
            problems.append(problem)
        if claim is not None:
            pairs.append((event, claim))
            still = continuing(event, claim)
            if still is not None:
                pairs.append((event, still))
    return pairs, problems


def continuing(event: Event, claim: Claim) -> Claim | None:
    """A siege its report says still goes on on the report's day ("has been besieged
    since 2013", tagged ``[ongoing to D]`` by extraction): the same siege again on day D,
    so that it lasts at least until then (rule 6; rule 8 counts D as evidence)."""
    if claim.kind != "siege":
        return None
    day = ongoing_until(event.notes)
    if day is None or day <= claim.end or day > DATE_RANGE[1]:
        return None
    return replace(claim, start=day, end=day)
