"""After extraction, before storing: fill what a report leaves out from what is known.

Why a step of its own: a news sentence often names only the winner of a capture ("Iraqi
forces retook Rawa on Friday"). ACLED codes both sides, and the loser is whoever held
the town before, which the curated control timeline (``data/control_timeline.csv``)
knows. Extraction stays pure text work (``geo.extract`` never reads control data); this
step sits after control in the data flow and is run by the ``extract`` and ``ingest``
commands on every article.

Rules (each fills only an empty field):
1. a capture with no winner ("the recapture of Mosul in July") takes the timeline's change
   at that place within the capture's dates: its winner and loser;
2. a capture's loser is the timeline's holder of the place just before it (or the force
   the timeline's record of this same capture took it from), when of another side;
3. a fight or strike by one named force at a town gets the town's holder as the other
   side when they are enemies ("IS stormed Kobani": the Kurds who held it);
4. else the other side is the article's most prominent force hostile to the one named
   (ACLED codes both sides of an event); a fight that names no side at all gets the
   article's two most prominent enemies.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from functools import lru_cache
from typing import Any

from geo.control.curated import ControlChange, read_control_changes
from geo.core.codebook import CAPTURE_SUB_EVENT_TYPES
from geo.core.errors import GeoError
from geo.core.forces import ForceTable
from geo.core.records import Event
from geo.core.theatre import haversine_km
from geo.extract.pipeline import Extraction

#: A timeline row this close to an event's point is the same town.
NEAR_KM = 5.0


@lru_cache(maxsize=1)
def _changes() -> tuple[ControlChange, ...]:
    try:
        return tuple(sorted(read_control_changes(), key=lambda c: c.date))
    except GeoError:
        return ()          # a broken timeline file is reported by the control commands


def prior_holder(lat: float, lon: float, before: date, winner: str, forces: ForceTable,
                 changes: tuple[ControlChange, ...] | None = None) -> str:
    """Who held the place at (lat, lon) just before ``before``, by the timeline ("" if
    unknown or on ``winner``'s side)."""
    rows = [c for c in (changes if changes is not None else _changes())
            if c.date <= before and haversine_km(lat, lon, c.latitude, c.longitude) <= NEAR_KM]
    if not rows:
        return ""
    last = rows[-1]
    holder = last.force_from if last.force_to == winner else last.force_to
    # A different side held it (allies can fall out: Iraqi forces took Kirkuk from the
    # Peshmerga); a force of the winner's own side handing over is no loser.
    if holder and holder != winner and holder in forces and (
            winner not in forces or forces[winner].side != forces[holder].side):
        return holder
    return ""


def change_at(lat: float, lon: float, lo: date, hi: date,
              changes: tuple[ControlChange, ...] | None = None) -> ControlChange | None:
    """The timeline's change of control at (lat, lon) dated within [lo, hi], if any."""
    rows = [c for c in (changes if changes is not None else _changes())
            if lo <= c.date <= hi and haversine_km(lat, lon, c.latitude, c.longitude) <= NEAR_KM]
    return rows[-1] if rows else None


def _set(ev: Event, forces: ForceTable, **fields: str) -> Event:
    changes: dict[str, Any] = {}
    for role, fid in fields.items():
        changes[role] = forces.display(fid)
        changes[role + "_force"] = fid
    return replace(ev, **changes)


def fill_other_sides(extraction: Extraction, forces: ForceTable) -> Extraction:
    """Both sides of every event where the text or the timeline tells them (rules above)."""
    out: list[Event] = []
    for ev in extraction.events:
        out.append(_fill(ev, extraction, forces))
    extraction.events = out
    return extraction


def _fill(ev: Event, extraction: Extraction, forces: ForceTable) -> Event:
    capture = ev.sub_event_type in CAPTURE_SUB_EVENT_TYPES
    if (capture and not ev.actor1_force and ev.latitude is not None
            and ev.longitude is not None and ev.date_min and ev.date_max):
        change = change_at(ev.latitude, ev.longitude, ev.date_min, ev.date_max)
        if change is not None and change.force_to in forces and (
                not ev.actor2_force or ev.actor2_force == change.force_from):
            ev = _set(ev, forces, actor1=change.force_to)
            ev = replace(ev, control_to=change.force_to, sub_event_type=(
                "Government regains territory" if forces[change.force_to].is_state
                else "Non-state actor overtakes territory"))
            if not ev.actor2_force and change.force_from in forces:
                ev = _set(ev, forces, actor2=change.force_from)
    day = ev.date_max or ev.event_date
    if ev.actor1_force and not ev.actor2_force:
        other = ""
        if ev.latitude is not None and ev.longitude is not None and day is not None:
            holder = prior_holder(ev.latitude, ev.longitude, day, ev.actor1_force, forces)
            if holder and (capture or forces.hostile(ev.actor1_force, holder)):
                other = holder
        other = other or extraction.adversary(ev.actor1_force, forces)
        if other:
            ev = _set(ev, forces, actor2=other)
    elif not ev.actor1_force and not capture:
        known = ev.actor2_force
        first = known or (extraction.prominent[0] if extraction.prominent else "")
        other = extraction.adversary(first, forces) if first else ""
        if other and _class(ev) == "fight":
            ev = _set(ev, forces, actor1=other) if known else \
                _set(ev, forces, actor1=first, actor2=other)
    return ev


def _class(ev: Event) -> str:
    from geo.core.dedup import event_class
    return event_class(ev.event_type, ev.sub_event_type)
