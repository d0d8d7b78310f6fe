"""A district and the town it is named for: which of a name's places is the district's seat.

Why: many district names are also the names of villages elsewhere ("Choman" is a
district of Erbil, the town it is named for, and a village 17 km off; "Soran" a district
of Erbil and a town in Hama). The gazetteer's importance does not always put the seat
first, yet a name standing alone means the district's town far more often than a
namesake village (``geo.core.lexicon.SEAT_TOWN_KM``: "Shirqat" alone is the town, not the
district). The gazetteer's ranking (``geo.geocode.gazetteer``) and the article's
geography (``geo.extract.geography``) both ask this module, so a look-up and an article
read a name alike.

The seat of a district among a name's places is the locality named alike (the same
letters, case and punctuation aside: "Ra's-al-Ayn" and "Ra's al `Ayn") nearest the
district's point, within ``SEAT_TOWN_KM``.
"""
from __future__ import annotations

from collections.abc import Sequence

from geo.core.lexicon import SEAT_TOWN_KM
from geo.core.records import Place
from geo.core.theatre import haversine_km

#: Place types of a district (an administrative area below a province).
DISTRICT_TYPES = ("county", "district")


def letters(name: str) -> str:
    """A name's letters, case and punctuation aside: what "named alike" compares."""
    return "".join(ch for ch in name.casefold() if ch.isalpha())


def seat_of(district: Place, places: Sequence[Place]) -> Place | None:
    """The district's seat among ``places``: the locality named alike nearest the
    district's point, within ``SEAT_TOWN_KM``; None when there is none."""
    name = letters(district.name)
    best: tuple[float, Place] | None = None
    for p in places:
        if p.place_type != "locality" or letters(p.name) != name:
            continue
        km = haversine_km(district.latitude, district.longitude, p.latitude, p.longitude)
        if km <= SEAT_TOWN_KM and (best is None or km < best[0]):
            best = (km, p)
    return best[1] if best else None


def seats(places: Sequence[Place]) -> list[Place]:
    """The places that are the seat of a district among ``places``, most important first."""
    found = {id(s): s for s in (seat_of(d, places) for d in places
                                if d.place_type in DISTRICT_TYPES) if s is not None}
    return sorted(found.values(), key=lambda p: -p.importance)
