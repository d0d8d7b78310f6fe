"""Homonyms resolved by the article's geography (spatial coherence).

Why: many village names recur across the theatre ("Sawran" names places in Syria and in
Iraq; "Siniya" a dozen). The gazetteer ranks a name's places by importance alone, which
is right for a name read in isolation and wrong inside a story: an article names places
near each other. As geoparsers do (Mordecai's "same country / nearby" features, the
"minimum distance to unambiguous places" heuristic of the toponym-resolution
literature), a minor place's reading is chosen among its candidates by distance to the
article's unambiguous places: a candidate within ``NEAR_KM`` of one of them replaces a
reading far from all of them.

The rule only ever replaces a *minor* reading (below ``MINOR_IMPORTANCE``): a well-known
town keeps its reading wherever the article's other places are.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace

from geo.core.records import Place
from geo.core.theatre import haversine_km
from geo.extract.events import COMPASS, COUNTRY_TYPES, REGION_TYPES, PlaceHit

#: A reading this important is never replaced (it is what the name usually means).
MINOR_IMPORTANCE = 0.6
#: A hit is an anchor of the article's geography when its place is this important or the
#: name has one reading only.
ANCHOR_IMPORTANCE = 0.5
#: A candidate this close to an anchor is "in the story's area".
NEAR_KM = 60.0
#: ... and replaces the reading when that is this much farther from every anchor.
FARTHER_KM = 40.0


def _readings(hit: PlaceHit) -> list[Place]:
    """The places a hit's name can stand for: its reading, its other candidates, and the
    places of other spellings of the name; countries and provinces are never readings of
    a town's name."""
    out: list[Place] = []
    seen: set[str] = set()
    for p in (hit.place, *hit.candidates, *hit.alternatives):
        key = p.place_id or f"{p.name}@{p.latitude},{p.longitude}"
        if key in seen or p.place_type in COUNTRY_TYPES:
            continue
        seen.add(key)
        out.append(p)
    return out


def _is_anchor(hit: PlaceHit) -> bool:
    if hit.topic or hit.is_country or hit.place.place_type in REGION_TYPES:
        return False
    return hit.place.importance >= ANCHOR_IMPORTANCE or len(_readings(hit)) == 1


def _distance(place: Place, anchors: Sequence[tuple[str, Place]], own: str) -> float:
    return min((haversine_km(place.latitude, place.longitude, a.latitude, a.longitude)
                for name, a in anchors if name != own), default=float("inf"))


def choose_readings(hit_lists: Iterable[list[PlaceHit]],
                    topic: PlaceHit | None = None) -> dict[str, Place]:
    """Name (lower case) -> the reading the article's geography prefers, for every minor
    name whose current reading lies far from all the article's anchors while another
    lies near one. ``hit_lists``: the article's hits, sentence by sentence (and the
    headline's); ``topic``: the article's own town, an anchor whatever its size."""
    hits = [h for hl in hit_lists for h in hl]
    anchors = [(h.text.lower(), h.place) for h in hits if _is_anchor(h)]
    if topic is not None:
        anchors.append((topic.text.lower(), topic.place))
    if not anchors:
        return {}
    chosen: dict[str, Place] = {}
    for h in hits:
        name = h.text.lower()
        if name in chosen or h.topic or h.is_country or h.place.importance >= MINOR_IMPORTANCE:
            continue
        readings = _readings(h)
        if len(readings) < 2:
            continue
        current = _distance(h.place, anchors, name)
        best = min(readings, key=lambda p: (_distance(p, anchors, name), -p.importance))
        near = _distance(best, anchors, name)
        if best is not h.place and near <= NEAR_KM and current >= max(3 * near, near + FARTHER_KM):
            chosen[name] = best
    return chosen


def apply_readings(hits: list[PlaceHit], chosen: dict[str, Place]) -> list[PlaceHit]:
    """The hits with the readings ``choose_readings`` preferred."""
    if not chosen:
        return hits
    return [replace(h, place=chosen[h.text.lower()]) if h.text.lower() in chosen else h
            for h in hits]


#: A list of names ending in a direction of a landmark: ", Khafajah, and Marazif east of ",
#: " and Kasr Mihrab southwest of the city of " (the names may be unknown to the gazetteer).
_LIST_TO_DIRECTION = re.compile(
    r"(?:(?:\s*,\s*(?:and\s+)?|\s+and\s+)(?:(?:al|el|Al|El)-)?[A-Z][\w'’-]*"
    r"(?:\s+(?:(?:al|el|Al|El)-)?[A-Z][\w'’-]*){0,2})*,?\s+"
    r"(?i:" + COMPASS + r"(?:ern)?\s+(?:of|from)\s+(?:the\s+)?"
    r"(?:(?:city|town)\s+of\s+)?)")
#: A listed name whose reading lies this far from the landmark of its direction is misread.
FAR_FROM_LANDMARK_KM = 100.0


def landmark_readings(texts_and_hits: Iterable[tuple[str, list[PlaceHit]]]
                      ) -> dict[str, tuple[Place, bool]]:
    """Name (lower case) -> (place, located only near it) for names the article places in
    a direction of a landmark ("the villages of A, B and C east of X", a headline's "A East
    of X") while the gazetteer reads them more than ``FAR_FROM_LANDMARK_KM`` from X: another
    reading of the name within ``NEAR_KM`` of X, or else X itself, located *near* (a
    coarser precision), so a village read in another province is not drawn there. Only a
    name joined to the landmark by a list of names counts."""
    out: dict[str, tuple[Place, bool]] = {}
    for text, hits in texts_and_hits:
        for k, mark in enumerate(hits):
            if not mark.direction or mark.is_country:
                continue
            for i in range(k - 1, -1, -1):
                h = hits[i]
                if h.direction or h.reference or h.is_country or h.topic or \
                        not _LIST_TO_DIRECTION.fullmatch(text, h.end, mark.start):
                    break
                if haversine_km(h.place.latitude, h.place.longitude, mark.place.latitude,
                                mark.place.longitude) <= FAR_FROM_LANDMARK_KM:
                    continue
                near = [p for p in _readings(h) if haversine_km(
                    p.latitude, p.longitude, mark.place.latitude, mark.place.longitude) <= NEAR_KM]
                out.setdefault(h.text.lower(), (near[0], False) if near else (mark.place, True))
    return out


def apply_landmarks(hits: list[PlaceHit], chosen: dict[str, tuple[Place, bool]]
                    ) -> list[PlaceHit]:
    """The hits with the places ``landmark_readings`` found (every mention of the name)."""
    if not chosen:
        return hits
    return [replace(h, place=chosen[h.text.lower()][0], near=chosen[h.text.lower()][1])
            if h.text.lower() in chosen and not h.topic else h for h in hits]
