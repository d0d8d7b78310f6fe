"""Who held a named town on a date: the question an analyst (or a check) asks.

``holder_of(name, day, series)`` answers from the place itself when the evidence names it
(in any spelling the gazetteer knows), else from the territory: the town is located in
the gazetteer, and the land it stands on follows the nearest town with a known state
(``geo.control.territory``). The answer says which of the two it is, so an analyst knows
whether a source speaks for the town or the map only estimates it.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
from scipy.spatial import cKDTree

from geo.control.places import SAME_NAME_KM
from geo.control.series import ControlSeries
from geo.control.territory import project
from geo.core.forces import default_forces
from geo.core.theatre import haversine_km as distance_km
from geo.geocode.normalize import variant_key

#: A town counts as standing on a locality's land within this distance of it.
LOCALITY_KM = 5.0


@dataclass(frozen=True)
class Answer:
    """``force`` ("" when nobody is known to hold it) and ``status`` of ``name`` on
    ``day``; ``basis`` is "reported" (a place with evidence), "territory" (estimated from
    the nearest known town ``via``) or "unknown"."""

    name: str
    day: date
    force: str
    status: str
    basis: str
    place: str = ""
    since: date | None = None
    via: str = ""

    def describe(self) -> str:
        """One line for the terminal."""
        who = default_forces().display(self.force) if self.force else ""
        head = f"{self.name} on {self.day}: "
        if self.basis == "unknown":
            return head + "unknown (no evidence for it or the towns around it)"
        state = {"held": f"held by {who} ({self.force})",
                 "besieged": f"held by {who} ({self.force}), besieged",
                 "contested": "contested", "unknown": "unknown"}.get(self.status, self.status)
        since = f" since {self.since}" if self.since and self.status != "unknown" else ""
        basis = (f"[reported: {self.place}]" if self.basis == "reported"
                 else f"[estimated from the land of {self.via}]")
        return f"{head}{state}{since} {basis}"


def _gazetteer_point(name: str) -> tuple[float, float] | None:
    """The best theatre candidate for ``name`` in the offline gazetteer."""
    from geo.geocode.gazetteer import default_gazetteer

    places = default_gazetteer().lookup(name, country_codes=("IQ", "SY"), limit=3)
    if not places:
        return None
    return places[0].latitude, places[0].longitude


def holder_of(name: str, day: date, series: ControlSeries, *,
              point: tuple[float, float] | None = None) -> Answer:
    """Who held ``name`` on ``day`` (see the module docstring). ``point`` (lat, lon)
    locates the town when given; otherwise the gazetteer does."""
    key = variant_key(name)
    matches = [i for i, ref in enumerate(series.refs)
               if key and key in {variant_key(n) for n in ref.names + (ref.name,)}]
    where = point or (_gazetteer_point(name) if not matches or len(matches) > 1 else None)
    if matches:
        if where is not None:
            near = [i for i in matches if distance_km(where[0], where[1], series.refs[i].lat,
                                                      series.refs[i].lon) <= SAME_NAME_KM]
            matches = near or matches
        ref = series.refs[matches[0]]
        place = series.holder_on(ref.key, day)
        if place is not None:
            return Answer(name, day, place.force, place.status, "reported", ref.name,
                          place.holder_since or place.since)
        where = where or (ref.lat, ref.lon)
    if where is None:
        return Answer(name, day, "", "unknown", "unknown")
    found = territory_holder(series, where[0], where[1], day)
    if found is None:
        return Answer(name, day, "", "unknown", "unknown")
    force, status, via, since = found
    return Answer(name, day, force, status, "territory", via=via, since=since)


def territory_holder(series: ControlSeries, lat: float, lon: float, day: date
                     ) -> tuple[str, str, str, date | None] | None:
    """(force, status, town followed, since) of the land at a point on ``day``: the
    catchment of the nearest locality within ``LOCALITY_KM``; None off the settled land."""
    i = series.index_on(day)
    if i is None:
        return None
    mesh = series.mesh
    tree = _tree(mesh)
    dist, loc = tree.query(project([lon], [lat])[0])
    if dist > LOCALITY_KM * 1000:
        return None
    seeds, part = series._partition(i)
    owner = int(part.owner[int(loc)])
    if owner < 0:
        return None
    p = int(seeds[owner])
    snap = series.snapshots_at(i)[p]
    if snap is None:
        return None
    force = snap.force if snap.status in ("held", "besieged") else ""
    return force, snap.status, series.refs[p].name, snap.holder_since or snap.since


_TREES: dict[int, cKDTree] = {}


def _tree(mesh) -> cKDTree:  # type: ignore[no-untyped-def]
    tree = _TREES.get(id(mesh))
    if tree is None:
        tree = _TREES[id(mesh)] = cKDTree(np.asarray(mesh.points))
    return tree
