"""A district and the town it is named for: which of a name's places is the district's seat.

Why: many district names are also the names of villages elsewhere ("Choman" is a
district of Erbil, the town it is named for, and a village 17 km off; "Soran" a district
of Erbil and a town in Hama). The gazetteer's importance does not always put the seat
first, yet a name standing alone means the district's town far more often than a
namesake village (``geo.core.lexicon.SEAT_TOWN_KM``: "Shirqat" alone is the town, not the
district). The gazetteer's ranking of a look-up and of a name in text
(``geo.geocode.gazetteer``), the reading of a district's name in a sentence
(``geo.extract.events``) and the article's geography (``geo.extract.geography``) all
ask ``seat_of``, so a look-up and an article read a name alike.

The rule: among the places a name can stand for, the seat of a district is the locality
nearest the district's point, within ``SEAT_TOWN_KM``. Which places a name can stand
for is the gazetteer's answer, through its spelling keys (``geo.geocode.normalize``:
exact, and the transliteration skeleton ``variant_key``): a place bears the name as its
own ("Choman"), as another of its names ("Ash Sharqat", also "Shirqat"; "Tuz Khurmatu",
also "Tooz") or in another spelling ("Al Mahmudiyah" of the district "Mahmoudiya"). This
module compares no spellings of its own: a town's display name may differ from the
district's while the town is its seat ("Ash Sharqat" of "Shirqat"), and a display name
spelled like the district's may be a lesser place beside it ("Al Shirqat", 7 km from the
town), so the nearest place bearing the name is the seat, whatever its display name.
"""
from __future__ import annotations

from collections.abc import Sequence

from geo.core.lexicon import SEAT_TOWN_KM
from geo.core.records import Place
from geo.core.theatre import haversine_km

#: Place types of a district (an administrative area below a province).
DISTRICT_TYPES = ("county", "district")


def seat_of(district: Place, places: Sequence[Place]) -> Place | None:
    """The district's seat among ``places``, the places a name can stand for: the
    locality nearest the district's point, within ``SEAT_TOWN_KM``; None when there is
    none (the name then stands for the district itself)."""
    best: tuple[float, Place] | None = None
    for p in places:
        if p.place_type != "locality":
            continue
        km = haversine_km(district.latitude, district.longitude, p.latitude, p.longitude)
        if km <= SEAT_TOWN_KM and (best is None or km < best[0]):
            best = (km, p)
    return best[1] if best else None


def seats(places: Sequence[Place]) -> list[Place]:
    """The places that are the seat of a district among ``places`` (the places a name
    can stand for), most important first. A province is no district: its name stands
    for the province ("Nineveh"), or for its capital only when the gazetteer ranks the
    city first ("Kirkuk")."""
    found = {id(s): s for s in (seat_of(d, places) for d in places
                                if d.place_type in DISTRICT_TYPES) if s is not None}
    return sorted(found.values(), key=lambda p: -p.importance)
