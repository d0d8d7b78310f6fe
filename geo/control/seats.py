"""Rule 10, presumptions: a government holds its seat, and the cities of the land it
governs, unless a report says otherwise.

No one reports that Baghdad is held by the Iraqi government: it goes without saying, and
reports name the capital only when something happens there. From the news alone the
seat of a government is then a blank ("a city whose holder no report gives", rule E1),
where an analyst takes it for granted. The force table says where each government sits
(``data/forces.csv``: ``seat``, a gazetteer id, and ``seat_of``, who sits there); this
module turns each seat into one *presumption*: an event of origin ``presumed`` claiming
that the force held the town from the start of the record (``RECORD_START``), tier -1
(``geo.control.claims.PRESUMED``).

Weighed below every report (rule 4: a report of the seat's capture wins, a siege or
fighting inside it shows, the government still holding it; a siege report naming
another force as the one besieged wins), never aged by silence while its force holds
the town (rule 8: a siege reported there goes stale, and the place is the government's
again), and not a holding for rule 7. The seat is then a known town like any other: the
territory gives the land around it to its holder (the lowest tier does not change the
catchments), and ``geo control --place`` answers it "presumed: seat of the Iraqi
government; no report gives its holder". No place is named in code: the table does.

The same holds for a *city* (``geo.control.cities``: 250,000 people or more) in a region
a government governs (``governs`` in the force table: a country, or a province such as
the Kurdistan Region's governorates, the most specific region winning): the fall of a
city is reported by name, so a city no report names stayed with its government, like
Karbala or Latakia through the war. Rule E1 would leave it unknown; the presumption
answers it "presumed: a city of 510,692 people in the Iraqi government's territory; no
report gives its holder", at the same tier as a seat, under every report.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from functools import lru_cache
from typing import NamedTuple

import numpy as np

from geo.control.cities import SAME_TOWN_KM, is_city
from geo.control.claims import HELD_TAG, PRESUMED_ORIGIN, claim_of, is_nearby
from geo.control.places import SAME_NAME_KM
from geo.control.timeline import RECORD_START
from geo.core.forces import Force, ForceTable
from geo.core.records import Event, GeoPrecision, Place, TimePrecision
from geo.core.theatre import haversine_km_to
from geo.geocode.normalize import variant_key

#: Prefix of every presumption's event id.
PRESUMPTION_PREFIX = "presumed-"
#: Prefix of a seat's presumption's event id (followed by the force id).
SEAT_EVENT_PREFIX = PRESUMPTION_PREFIX + "seat-"
#: Prefix of a city's presumption's event id (followed by the city's gazetteer id).
CITY_EVENT_PREFIX = PRESUMPTION_PREFIX + "city-"
#: Where a presumption comes from, after its label in the event's ``source``.
_FROM_TABLE = " (data/forces.csv)"


def presumption_text(force: Force) -> str:
    """How an answer or a popup labels the presumption."""
    return f"presumed: seat of {force.seat_of}; no report gives its holder"


def city_presumption_text(force: Force, people: int) -> str:
    """How an answer or a popup labels a city's presumption."""
    return (f"presumed: a city of {people:,} people in {force.seat_of}'s territory; "
            "no report gives its holder")


def presumption_label(event: Event) -> str:
    """The label of a presumption event (``presumption_text``,
    ``city_presumption_text``)."""
    return label_of_source(event.source or "")


def label_of_source(source: str) -> str:
    """A presumption's label from its event's ``source`` (as a history entry's citation
    carries it)."""
    return source.removesuffix(_FROM_TABLE)


def seat_event(force: Force, place: Place) -> Event:
    """The presumption that ``force`` holds its seat ``place`` (see the module
    docstring)."""
    return _presumption(force, place, presumption_text(force),
                        SEAT_EVENT_PREFIX + force.force_id)


def city_event(force: Force, place: Place) -> Event:
    """The presumption that ``force``'s government holds the city ``place`` of the
    land it governs (see the module docstring)."""
    return _presumption(force, place, city_presumption_text(force, place.population),
                        CITY_EVENT_PREFIX + place.place_id)


def _presumption(force: Force, place: Place, label: str, event_id: str) -> Event:
    return Event(event_date=RECORD_START, event_type="Strategic developments",
                 sub_event_type="Other", location=place.name, latitude=place.latitude,
                 longitude=place.longitude, time_precision=TimePrecision.DAY,
                 source=label + _FROM_TABLE, notes=HELD_TAG,
                 country=place.country,
                 admin1=place.admin1, event_id=event_id,
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


def governed_cities(forces: ForceTable, places: Iterable[Place]) -> list[tuple[Place, Force]]:
    """The cities among ``places`` (gazetteer localities of ``CITY_POPULATION`` people or
    more) that lie in a region a government governs, each with that government's force;
    a seat is left to ``seat_events``. The one test of which cities are presumed."""
    seats = {f.seat for f in forces.seats()}
    found = []
    for place in places:
        if place.place_type != "locality" or not is_city(place.population) \
                or place.place_id in seats:
            continue
        force = forces.governor(place.country, place.admin1)
        if force is not None:
            found.append((place, force))
    return found


def city_events(forces: ForceTable, places: Iterable[Place]) -> list[Event]:
    """The presumptions of the cities among ``places`` (``governed_cities``)."""
    return [city_event(force, place) for place, force in governed_cities(forces, places)]


def presumption_events(forces: ForceTable, reports: Sequence[Event] = ()
                       ) -> tuple[list[Event], list[str]]:
    """Every presumption of the force table over the bundled gazetteer: the seats'
    (with a problem for each seat the gazetteer lacks) and those of the governed cities
    that none of ``reports`` gives a holder (``unreported_cities``)."""
    events, problems = seat_events(forces)
    if not any(f.governs for f in forces.forces.values()):
        return events, problems         # no region governed: the gazetteer is not read
    governed = governed_cities(forces, bundled_cities())
    quiet = {c.place_id for c in unreported_cities([c for c, _ in governed], reports, forces)}
    events += [city_event(force, city) for city, force in governed if city.place_id in quiet]
    return events, problems


def unreported_cities(cities: Sequence[Place], reports: Sequence[Event],
                      forces: ForceTable | None = None) -> list[Place]:
    """The cities no report gives a holder: no event making a control claim
    (``claim_of``) is located at the city (its gazetteer id, its name in another
    spelling within ``SAME_NAME_KM``, or a point within ``SAME_TOWN_KM``: the tests of
    rule E1, ``geo.control.cities``), nor a capture located around it (rule E3 answers
    the city from those). A city a report names is answered from its reports, never
    presumed: the presumption is for the blank a city leaves when nothing happens
    there."""
    if not cities or not reports:
        return list(cities)
    located = [e for e in reports if e.latitude is not None and e.longitude is not None]
    lat = np.array([float(e.latitude or 0.0) for e in located], dtype=float)
    lon = np.array([float(e.longitude or 0.0) for e in located], dtype=float)
    by_id: dict[str, list[Event]] = {}
    for event in reports:
        if event.place_id:
            by_id.setdefault(event.place_id, []).append(event)
    out = []
    for city in cities:
        near: list[Event] = list(by_id.get(city.place_id, ()))
        if len(located):
            km = haversine_km_to(lat, lon, city.latitude, city.longitude)
            key = variant_key(city.name)
            near += [located[i] for i in np.flatnonzero(km <= SAME_NAME_KM).tolist()
                     if km[i] <= SAME_TOWN_KM or variant_key(located[i].location or "") == key]
        if not any(_reports_holder(e, forces) for e in near):
            out.append(city)
    return out


def _reports_holder(event: Event, forces: ForceTable | None) -> bool:
    """Whether a report at a city speaks for its holder: it makes a control claim, or
    it is a capture located around the city (rule E3 answers the city from those)."""
    if is_presumption(event.event_id):
        return False
    if is_nearby(event):
        event = replace(event, geo_precision=int(GeoPrecision.EXACT))
    return claim_of(event, forces)[0] is not None


@lru_cache(maxsize=1)
def bundled_cities() -> tuple[Place, ...]:
    """The bundled gazetteer's cities (localities of ``CITY_POPULATION`` people or
    more), read once per process."""
    from geo.geocode.gazetteer import default_gazetteer

    return tuple(p for p in default_gazetteer().places
                 if p.place_type == "locality" and is_city(p.population))


def is_presumption(event_id: str) -> bool:
    """Whether an event id is a presumption's (``seat_event``, ``city_event``)."""
    return event_id.startswith(PRESUMPTION_PREFIX)


#: Where a presumption's rule is written down, as its basis names it.
RULE_TEXT = "rule 10 (docs/control.md)"


class Grounds(NamedTuple):
    """What a presumption rests on, in parts a briefing can group: ``kind`` "seat" or
    "city"; ``force`` the government presumed to hold it; ``table_row`` its row of
    data/forces.csv ("data/forces.csv row ISF: governs IQ"); ``place_row`` the place's
    own bundled row, for a city ("data/gazetteer.tsv.gz row wof:421177889: Al Diwaniyah,
    IQ, Al-Qadisiyah, population 358,408 (wof)"), "" for a seat (its row names it)."""

    kind: str
    force: str
    table_row: str
    place_row: str = ""
    place_id: str = ""
    population: int = 0

    def text(self) -> str:
        """The whole basis, the rule first."""
        return "; ".join(p for p in (RULE_TEXT, self.place_row, self.table_row) if p)


def presumption_grounds(event_id: str, forces: ForceTable | None = None) -> Grounds | None:
    """The grounds of a presumption's event id (``seat_event``, ``city_event``), or None
    for an id that is no presumption's."""
    from geo.core.forces import default_forces

    forces = forces or default_forces()
    if event_id.startswith(SEAT_EVENT_PREFIX):
        force_id = event_id.removeprefix(SEAT_EVENT_PREFIX)
        force = forces.forces.get(force_id)
        if force is None:
            return Grounds("seat", force_id, "")
        place = _bundled_place(force.seat)
        where = f" ({place.name})" if place is not None else ""
        return Grounds("seat", force_id, f"data/forces.csv row {force_id}: seat "
                                         f"{force.seat}{where} of {force.seat_of}")
    if event_id.startswith(CITY_EVENT_PREFIX):
        place_id = event_id.removeprefix(CITY_EVENT_PREFIX)
        city = _bundled_city(place_id)
        if city is None:
            return Grounds("city", "", "", f"data/gazetteer.tsv.gz row {place_id}")
        row = (f"data/gazetteer.tsv.gz row {city.place_id}: {city.name}, {city.country}"
               f"{', ' + city.admin1 if city.admin1 else ''}, population "
               f"{city.population:,} ({city.source})")
        governor = forces.governor(city.country, city.admin1)
        if governor is None:
            return Grounds("city", "", "", row, city.place_id, city.population)
        return Grounds("city", governor.force_id,
                       f"data/forces.csv row {governor.force_id}: governs "
                       f"{'|'.join(governor.governs)}", row, city.place_id, city.population)
    return None


def presumption_basis(event_id: str, forces: ForceTable | None = None) -> str:
    """What a presumption rests on, as a briefing cites it (its "source"): the rule and
    the bundled data rows, "rule 10 (docs/control.md); data/forces.csv row ISF: seat
    wof:421178393 (Baghdad) of the Iraqi government"; "" for an id that is no
    presumption's."""
    grounds = presumption_grounds(event_id, forces)
    return grounds.text() if grounds is not None else ""


@lru_cache(maxsize=1)
def _cities_by_id() -> dict[str, Place]:
    return {c.place_id: c for c in bundled_cities()}


def _bundled_city(place_id: str) -> Place | None:
    return _cities_by_id().get(place_id)


@lru_cache(maxsize=8)
def _bundled_place(place_id: str) -> Place | None:
    from geo.geocode.gazetteer import default_gazetteer

    return default_gazetteer().place_by_id(place_id) if place_id else None
