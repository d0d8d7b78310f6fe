"""After extraction, before storing: fill what a report leaves out from what is known.

Why a step of its own: a news sentence often names only the winner of a capture ("Iraqi
forces retook Rawa on Friday"). ACLED codes both sides, and the loser is whoever held
the town before, which the curated control timeline (``data/control_timeline.csv``)
knows. Extraction stays pure text work (``geo.extract`` never reads control data); this
step sits after control in the data flow and is run by the ``extract`` and ``ingest``
commands on every article.

Rules (each fills only an empty actor2 of a capture):
1. the timeline's last change at the place (within ``NEAR_KM``) before the capture: its
   holder, when hostile to the winner (or the force it took the town from, when that
   last change is this same capture);
2. else the article's most prominent force hostile to the winner.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from functools import lru_cache

from geo.control.curated import ControlChange, read_control_changes
from geo.errors import GeoError
from geo.extract.pipeline import Extraction
from geo.forces import ForceTable
from geo.model import CAPTURE_SUB_EVENT_TYPES, Event
from geo.store.dedup import haversine_km

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


def fill_capture_losers(extraction: Extraction, forces: ForceTable) -> Extraction:
    """Captures with a winner and no loser get one (timeline first, then the article)."""
    out: list[Event] = []
    for ev in extraction.events:
        if ev.sub_event_type in CAPTURE_SUB_EVENT_TYPES and ev.actor1_force \
                and not ev.actor2_force:
            loser = ""
            day = ev.date_max or ev.event_date
            if day is not None and ev.latitude is not None and ev.longitude is not None:
                loser = prior_holder(ev.latitude, ev.longitude, day, ev.actor1_force, forces)
            loser = loser or extraction.adversary(ev.actor1_force, forces)
            if loser:
                ev = replace(ev, actor2=forces.display(loser), actor2_force=loser)
        out.append(ev)
    extraction.events = out
    return extraction
