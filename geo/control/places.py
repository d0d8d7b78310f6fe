"""One place, one status: which reports are about the same town.

Curated rows, extracted events, imported records and the analyst's own claims name
towns in their own ways: a gazetteer id, a spelling ("Falluja", "Fallujah"), a point a
few hundred metres off. Drawn separately, one town gets two states on one day. Here the
reports are grouped into places before any rule runs:

1. two reports with the **same gazetteer id** are one place;
2. two reports with the **same name** (spelling variants folded: ``variant_key``) whose
   points lie within ``SAME_NAME_KM`` are one place;
3. two reports **without a name** whose points lie within ``SAME_POINT_KM`` are one place.

The place takes its key, name and point from its best report: a curated row, then an
analyst's, then the most frequent. The key is the gazetteer id when one is known (stable
across filters, so a link to a place keeps working), else ``name@lat,lon``.
"""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from geo.core.records import Event, Origin, ReviewStatus
from geo.core.theatre import haversine_km as distance_km
from geo.geocode.normalize import variant_key

#: Same name within this distance: the same town (suburbs, rounding, a centroid vs a square).
SAME_NAME_KM = 5.0
#: Unnamed reports this close are the same place.
SAME_POINT_KM = 1.0


@dataclass(frozen=True)
class PlaceRef:
    """A merged place: the key and the name/point/country it is shown with, and every
    gazetteer id and spelling that was merged into it."""

    key: str
    name: str
    lat: float
    lon: float
    country: str
    place_ids: tuple[str, ...] = ()
    names: tuple[str, ...] = ()

    def has_id(self, place_id: str) -> bool:
        """Whether ``place_id`` (a gazetteer id) was merged into this place or keys it."""
        return place_id == self.key or place_id in self.place_ids

    def bears_name(self, name: str) -> bool:
        """Whether one of this place's spellings is ``name`` with spelling variants
        folded (``variant_key``: "Qayyarah" is "Qayara")."""
        key = variant_key(name)
        return bool(key) and any(variant_key(n) == key for n in (self.name, *self.names))


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _rank(event: Event) -> int:
    """How much an event's name and point are trusted (curated > analyst > machine)."""
    if event.origin == Origin.CURATED.value:
        return 2
    if event.review_status in (ReviewStatus.CONFIRMED.value, ReviewStatus.CORRECTED.value) \
            or event.origin == Origin.MANUAL.value:
        return 1
    return 0


def group_places(events: Iterable[Event]) -> dict[str, PlaceRef]:
    """``{event_id: PlaceRef}`` for every event with coordinates (see the module rules).
    Events without coordinates are left out (the claim reader reports them)."""
    items = [e for e in events if e.latitude is not None and e.longitude is not None
             and not math.isnan(float(e.latitude)) and not math.isnan(float(e.longitude))]
    if not items:
        return {}
    uf = _UnionFind(len(items))
    by_id: dict[str, int] = {}
    by_name: dict[str, list[int]] = {}
    unnamed: list[int] = []
    for i, event in enumerate(items):
        if event.place_id:
            if event.place_id in by_id:
                uf.union(by_id[event.place_id], i)
            else:
                by_id[event.place_id] = i
        key = variant_key(event.location) if (event.location or "").strip() else ""
        if key:
            by_name.setdefault(key, []).append(i)
        else:
            unnamed.append(i)
    for members in by_name.values():
        _join_near(items, members, SAME_NAME_KM, uf)
    _join_near(items, unnamed, SAME_POINT_KM, uf)

    groups: dict[int, list[int]] = {}
    for i in range(len(items)):
        groups.setdefault(uf.find(i), []).append(i)
    result: dict[str, PlaceRef] = {}
    for members in groups.values():
        ref = _place_ref([items[i] for i in members])
        for i in members:
            result[items[i].event_id] = ref
    return result


def _join_near(items: list[Event], members: list[int], km: float, uf: _UnionFind) -> None:
    """Union the members lying within ``km`` of each other (groups are small: a sort by
    latitude bounds the pairs compared)."""
    if len(members) < 2:
        return
    deg = km / 111.0
    ordered = sorted(members, key=lambda i: float(items[i].latitude))  # type: ignore[arg-type]
    for a_pos, a in enumerate(ordered):
        la, oa = float(items[a].latitude), float(items[a].longitude)  # type: ignore[arg-type]
        for b in ordered[a_pos + 1:]:
            lb, ob = float(items[b].latitude), float(items[b].longitude)  # type: ignore[arg-type]
            if lb - la > deg:
                break
            if distance_km(la, oa, lb, ob) <= km:
                uf.union(a, b)


def _place_ref(events: list[Event]) -> PlaceRef:
    best_rank = max(_rank(e) for e in events)
    top = [e for e in events if _rank(e) == best_rank]
    if best_rank == 0:   # machine reports only: the most frequent name and point
        name_counts = Counter((e.location or "").strip() for e in top)
        name = max(name_counts, key=lambda n: (name_counts[n], -len(n), n))
        top = [e for e in top if (e.location or "").strip() == name]
    chosen = min(top, key=lambda e: e.event_id)
    ids = sorted({e.place_id for e in events if e.place_id})
    own_id = chosen.place_id or (ids[0] if ids else "")
    lat, lon = float(chosen.latitude), float(chosen.longitude)  # type: ignore[arg-type]
    name = (chosen.location or "").strip()
    key = own_id or f"{name or 'place'}@{lat:.3f},{lon:.3f}"
    names = tuple(sorted({(e.location or "").strip() for e in events} - {""}))
    return PlaceRef(key, name or key, lat, lon, chosen.country or "", tuple(ids), names)
