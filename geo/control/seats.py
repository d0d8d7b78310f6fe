"""Rule 10, a presumption: a government holds its seat unless a report says otherwise.

No one reports that Baghdad is held by the Iraqi government: it goes without saying, and
reports name the capital only when something happens there. From the news alone the
seat of a government is then a blank ("a city whose holder no report gives", rule E1),
where an analyst takes it for granted. The force table says where each government sits
(``data/forces.csv``: ``seat``, a gazetteer id, and ``seat_of``, who sits there); this
module turns each seat into one *presumption*: an event of origin ``presumed`` claiming
that the force held the town from the start of the record (``RECORD_START``), tier -1
(``geo.control.claims.PRESUMED``).

Weighed below every report (rule 4: a report of the seat's capture wins, a siege or
fighting inside it shows), never aged by silence while its force holds the town (rule
8), and not a holding for rule 7. The seat is then a known town like any other: the
territory gives the land around it to its holder (the lowest tier does not change the
catchments), and ``geo control --place`` answers it "presumed: seat of the Iraqi
government; no report gives its holder". No place is named in code: the table does.
"""
from __future__ import annotations

from collections.abc import Callable

from geo.control.claims import HELD_TAG, PRESUMED_ORIGIN
from geo.control.timeline import RECORD_START
from geo.core.forces import Force, ForceTable
from geo.core.records import Event, Place, TimePrecision

#: Prefix of a presumption's event id (followed by the force id).
SEAT_EVENT_PREFIX = "presumed-seat-"


def presumption_text(force: Force) -> str:
    """How an answer or a popup labels the presumption."""
    return f"presumed: seat of {force.seat_of}; no report gives its holder"


def seat_event(force: Force, place: Place) -> Event:
    """The presumption that ``force`` holds its seat ``place`` (see the module
    docstring)."""
    return Event(event_date=RECORD_START, event_type="Strategic developments",
                 sub_event_type="Other", location=place.name, latitude=place.latitude,
                 longitude=place.longitude, time_precision=TimePrecision.DAY,
                 source=f"{presumption_text(force)} (data/forces.csv)", notes=HELD_TAG,
                 country=place.country,
                 admin1=place.admin1, event_id=SEAT_EVENT_PREFIX + force.force_id,
                 actor1_force=force.force_id, control_to=force.force_id,
                 place_id=place.place_id, confidence=1.0, origin=PRESUMED_ORIGIN)


def seat_events(forces: ForceTable, locate: Callable[[str], Place | None] | None = None
                ) -> tuple[list[Event], list[str]]:
    """The presumptions of the force table's seats, and a problem for each seat the
    gazetteer does not know (that force then has no presumption). ``locate`` finds a
    gazetteer id (default: the bundled gazetteer)."""
    seated = forces.seats()
    if not seated:
        return [], []
    if locate is None:
        from geo.geocode.gazetteer import default_gazetteer

        locate = default_gazetteer().place_by_id
    events, problems = [], []
    for force in seated:
        place = locate(force.seat)
        if place is None:
            problems.append(f"seat {force.seat} of {force.force_id} (data/forces.csv) is not "
                            "in the gazetteer: no presumption that it holds its seat")
            continue
        events.append(seat_event(force, place))
    return events, problems


def is_presumption(event_id: str) -> bool:
    """Whether an event id is a presumption's (``seat_event``)."""
    return event_id.startswith(SEAT_EVENT_PREFIX)
