"""Rule E1, one definition for the answers and the map: a city is not estimated.

The fall of a city is reported by name. A city that no report gives a holder for kept a
holder its neighbours do not tell ("Baghdad held by IS, from Fallujah"; Erbil from
Mosul), so it is never estimated from the towns around it:

* ``geo control --place`` (``geo.control.facts``) answers such a city "unknown", with the
  reason (``city_reason``);
* the territory (``geo.control.territory``: the map, the exports, the browser scrub)
  leaves its urban area unshaded. The city competes for the localities around it like
  a known town of unknown state (a *blocker*): the localities nearer to it along the
  chain of settlements (in settlement steps, the measure every catchment uses) than to
  any town with a known state, and within its urban radius (``urban_radius_m``: a disc
  holding its people at ``URBAN_DENSITY_KM2``, at least ``URBAN_MIN_KM``), follow
  nobody. No town's land reaches *through* that urban area: a locality beyond it that
  is nearer to the city than to any town (its hinterland) follows the nearest town it
  reaches around the city, or nobody. Farther out the city does not count: a town 70 km
  off is not "in the land of" the city.

A city is a locality of the gazetteer with ``CITY_POPULATION`` people or more. A report
gives its holder when a known place is the city: it carries the city's gazetteer id,
bears its name (spelling variants folded) within ``SAME_NAME_KM``, or lies within
``SAME_TOWN_KM`` of it (the same tests ``--place`` uses to find a town's reports).
"""
from __future__ import annotations

import csv
import gzip
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from geo.control.places import SAME_NAME_KM, PlaceRef
from geo.core.theatre import haversine_km_to

#: A town of this many people (gazetteer population) is a city: answered, and drawn,
#: only from reports that give its holder.
CITY_POPULATION = 250_000
#: The gazetteer's town and a known place this close are the same town (two spellings).
SAME_TOWN_KM = 2.0
#: A city's urban area is taken as a disc holding its people at this density
#: (people per km²): a radius of 20 km for Baghdad, 10 for Mosul, 4.5 for 250,000 ...
URBAN_DENSITY_KM2 = 4000.0
#: ... and never less than this radius (km).
URBAN_MIN_KM = 5.0


def is_city(population: float | int | None) -> bool:
    """Whether a town of ``population`` people is a city (rule E1)."""
    return float(population or 0) >= CITY_POPULATION


def urban_radius_m(people: np.ndarray) -> np.ndarray:
    """The urban radius (metres) of cities of ``people``: the land a city withholds when
    no report gives its holder (the localities nearer to it than to any known town
    within this radius; see the module docstring)."""
    km = np.sqrt(np.asarray(people, dtype=float) / (np.pi * URBAN_DENSITY_KM2))
    return np.maximum(km, URBAN_MIN_KM) * 1000.0


def city_reason(people: int, via: str, via_km: float | None, *, land_of: str = "") -> str:
    """Why a town is not estimated (rule E1's answer): it is a city of ``people`` whose
    holder no report gives, or (``land_of``) it stands in the land of such a city; the
    town it would otherwise follow is ``via``, ``via_km`` away."""
    where = f"{via}, {via_km:.0f} km away" if via and via_km is not None \
        else via or "the towns around it"
    what = f"a city of {people:,} people whose holder no report gives"
    if land_of:
        what = f"in the land of {land_of}, {what}"
    return f"{what}: not estimated from {where}"


@dataclass(frozen=True)
class Cities:
    """The gazetteer's cities (``is_city``): ``ids``, ``names``, ``people`` and their
    ``lon``/``lat`` (degrees), in one order."""

    ids: tuple[str, ...]
    names: tuple[str, ...]
    people: np.ndarray
    lon: np.ndarray
    lat: np.ndarray

    def __len__(self) -> int:
        return len(self.ids)

    @classmethod
    def of(cls, rows: Sequence[tuple[str, str, float, float, float]]) -> Cities:
        """Cities from (id, name, lon, lat, people) rows; rows under the threshold are
        left out."""
        kept = [r for r in rows if is_city(r[4])]
        return cls(tuple(r[0] for r in kept), tuple(r[1] for r in kept),
                   np.array([r[4] for r in kept], dtype=float),
                   np.array([r[2] for r in kept], dtype=float),
                   np.array([r[3] for r in kept], dtype=float))


NO_CITIES = Cities.of([])


def read_cities(path: Path, countries: tuple[str, ...]) -> Cities:
    """The cities among the gazetteer's localities in ``countries``."""
    rows = []
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            if row["placetype"] == "locality" and row["country"] in countries \
                    and is_city(float(row["population"] or 0)):
                rows.append((row["id"], row["name"], float(row["lon"]), float(row["lat"]),
                             float(row["population"] or 0)))
    return Cities.of(rows)


def reporters(cities: Cities, refs: Sequence[PlaceRef]) -> list[np.ndarray]:
    """For each city, the indices of the places in ``refs`` that are the city (see the
    module docstring). Distances first, all at once; names only of the places near."""
    if not len(cities) or not refs:
        return [np.empty(0, dtype=np.int64) for _ in range(len(cities))]
    lat = np.array([r.lat for r in refs], dtype=float)
    lon = np.array([r.lon for r in refs], dtype=float)
    by_id: dict[str, list[int]] = {}
    for p, ref in enumerate(refs):
        for place_id in {ref.key, *ref.place_ids}:
            by_id.setdefault(place_id, []).append(p)
    out = []
    for c in range(len(cities)):
        km = haversine_km_to(lat, lon, float(cities.lat[c]), float(cities.lon[c]))
        found = set(by_id.get(cities.ids[c], ())) | set(np.flatnonzero(km <= SAME_TOWN_KM))
        found.update(p for p in np.flatnonzero(km <= SAME_NAME_KM).tolist()
                     if refs[p].bears_name(cities.names[c]))
        out.append(np.array(sorted(int(p) for p in found), dtype=np.int64))
    return out


def unreported(found: list[np.ndarray], known: np.ndarray) -> np.ndarray:
    """Indices of the cities none of whose places (``reporters``) has a state, given the
    mask ``known`` of the places with a state."""
    return np.array([c for c, places in enumerate(found) if not known[places].any()],
                    dtype=np.int64)
