"""When two reports describe the same event, and how they combine.

Pure functions, no database: the store asks them about each candidate it found with an
index lookup, and the tests pin them with tables. Keeping the rule here (not in SQL)
means SQLite and a later PostGIS store deduplicate identically.

The rule (``events_match``): same event class (and, for strikes, the same means: an
air strike and shelling are two events), same place, overlapping date intervals, and the
same ``actor1_force`` when both reports name one.
"""
from __future__ import annotations

from copy import copy
from dataclasses import replace
from datetime import date
from typing import Any

from geo.core.codebook import CAPTURE_SUB_EVENT_TYPES
from geo.core.records import Event, TimePrecision

#: Two places with different gazetteer ids closer than this are taken as the same place
from geo.core.theatre import haversine_km

#: (a town and its university campus, a village and the crossroads next to it).
MATCH_RADIUS_KM = 5.0

#: Confidence never reaches certainty by piling up machine reports.
MAX_MERGED_CONFIDENCE = 0.99

_CLASS_BY_TYPE = {
    "Battles": "fight",
    "Explosions/Remote violence": "strike",
    "Violence against civilians": "civilians",
    "Strategic developments": "strategic",
    "Protests": "unrest",
    "Riots": "unrest",
}


def event_class(event_type: str, sub_event_type: str) -> str:
    """The coarse kind used for deduplication: capture, strike, fight, civilians, strategic
    (or unrest for protests and riots).

    Two articles often code one event with different ACLED types ("Armed clash" versus
    "Government regains territory" for the same retaking), so matching on the exact type
    would miss duplicates; captures get their own class because a capture and a clash at
    the same place on the same day are different facts for the control map.
    """
    if sub_event_type in CAPTURE_SUB_EVENT_TYPES:
        return "capture"
    return _CLASS_BY_TYPE.get(event_type, (event_type or "other").strip().lower())


#: The means of remote fire, by ACLED sub-event type: from the air, or from the ground.
#: Jets bombing a town and artillery shelling it on the same day are two events, in
#: ACLED's data (one row per sub-event type at a place and day) as in the annotators' gold
#: ("Turkish jets struck Afrin" and "the Turkish army's cross-border shelling" of it are
#: two required strikes). Other strikes (a bombing, a chemical attack) do not say how they
#: were delivered ("the bombing" of a town may be the jets' raid): they join either.
STRIKE_MEANS: dict[str, str] = {
    "Air/drone strike": "air",
    "Shelling/artillery/missile attack": "ground",
}


def same_kind(a: Event, b: Event) -> bool:
    """Whether two reports are of one kind of event: the same class (``event_class``) and,
    for strikes whose sub-event types both say how they were delivered, the same means
    (``STRIKE_MEANS``)."""
    cls = event_class(a.event_type, a.sub_event_type)
    if cls != event_class(b.event_type, b.sub_event_type):
        return False
    if cls == "strike":
        ma, mb = STRIKE_MEANS.get(a.sub_event_type, ""), STRIKE_MEANS.get(b.sub_event_type, "")
        return not ma or not mb or ma == mb
    return True


def is_undated(event: Event) -> bool:
    """An event with no date at all (neither a day nor an interval bound)."""
    return event.event_date is None and event.date_min is None and event.date_max is None


def intervals_overlap(a_min: date | None, a_max: date | None,
                      b_min: date | None, b_max: date | None) -> bool:
    """Closed intervals overlap; a missing bound is open (``None`` min = since ever)."""
    if a_max is not None and b_min is not None and a_max < b_min:
        return False
    if b_max is not None and a_min is not None and b_max < a_min:
        return False
    return True


def same_place(a: Event, b: Event, radius_km: float = MATCH_RADIUS_KM) -> bool:
    """Same gazetteer id, or points within ``radius_km``; without ids or points, the same
    location name (case-insensitive) as a last resort."""
    if a.place_id and a.place_id == b.place_id:
        return True
    if a.latitude is not None and a.longitude is not None and b.latitude is not None \
            and b.longitude is not None:
        return haversine_km(a.latitude, a.longitude, b.latitude, b.longitude) <= radius_km
    if not a.place_id and not b.place_id and a.location and b.location:
        return a.location.casefold().strip() == b.location.casefold().strip()
    return False


def events_match(a: Event, b: Event, radius_km: float = MATCH_RADIUS_KM, *,
                 same_actor: bool = True) -> bool:
    """Whether two reports describe the same event (see the module docstring).

    Undated events only match undated events: an undated report cannot be placed on the
    time axis, so joining it to a dated one would invent a date for it. ``same_actor``
    False leaves the actors out (a caller that decided about them on its own).
    """
    if not same_kind(a, b):
        return False
    if same_actor and a.actor1_force and b.actor1_force and a.actor1_force != b.actor1_force:
        return False
    if is_undated(a) or is_undated(b):
        if not (is_undated(a) and is_undated(b)):
            return False
    elif not intervals_overlap(a.date_min, a.date_max, b.date_min, b.date_max):
        return False
    return same_place(a, b, radius_km)


def _later(x: date | None, y: date | None) -> date | None:
    return y if x is None else x if y is None else max(x, y)


def _earlier(x: date | None, y: date | None) -> date | None:
    return y if x is None else x if y is None else min(x, y)


def merged_confidence(a: float, b: float) -> float:
    """Two independent reports are more convincing than either (noisy-or), capped."""
    a, b = min(max(a, 0.0), 1.0), min(max(b, 0.0), 1.0)
    return round(min(MAX_MERGED_CONFIDENCE, max(a, b, 1 - (1 - a) * (1 - b))), 4)


def merge_into(stored: Event, incoming: Event, *, keep_dates: bool = False) -> Event:
    """The stored event after absorbing another report of it (sources are the caller's job).

    Keeps the stored id; the date interval narrows to the intersection and the time
    precision becomes the finer of the two; confidence rises; blank actor/control fields
    are filled from the new report. ``keep_dates`` (used for events an analyst confirmed
    or corrected) leaves the dates alone: a machine report never overrides a person.
    """
    changes = merge_changes(stored, incoming, keep_dates=keep_dates)
    if not changes:
        # nothing changes (a report repeated word for word): a copy without re-running
        # the constructor, which costs ten times more and dominated merging a long upload
        return copy(stored)
    return replace(stored, **changes)


def merge_changes(stored: Event, incoming: Event, *, keep_dates: bool = False) -> dict[str, Any]:
    """The fields of ``stored`` that absorbing ``incoming`` changes, with their new values
    (``merge_into``'s rule; empty when the report adds nothing). A caller that owns the
    stored event may apply them in place (then run ``__post_init__``, as ``replace``
    would) instead of copying it on every report."""
    changes: dict[str, Any] = {"confidence": merged_confidence(stored.confidence, incoming.confidence)}
    for name in ("actor1_force", "actor2", "actor2_force", "control_to", "assoc_actor_1"):
        if not getattr(stored, name) and getattr(incoming, name):
            changes[name] = getattr(incoming, name)
    if not keep_dates and not is_undated(stored):
        lo = _later(stored.date_min, incoming.date_min)
        hi = _earlier(stored.date_max, incoming.date_max)
        finer = incoming if incoming.time_precision < stored.time_precision else stored
        day = finer.event_date
        if lo is not None and hi is not None and lo == hi:
            day = lo
        elif day is not None:
            day = min(max(day, lo or day), hi or day)
        changes.update(date_min=lo, date_max=hi, event_date=day,
                       time_precision=int(min(stored.time_precision, incoming.time_precision,
                                              TimePrecision.UNDATED)))
    return {k: v for k, v in changes.items() if getattr(stored, k) != v}
