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

Before the story's area is asked, a minor name that is also a district's reads as the
district's seat town (``geo.core.districts``), as the gazetteer ranks it: "Choman" is the
district's town, not a village of that name 17 km off (the district's spelling may be
another of the name's: an alternative). A seat gives way to a less important namesake near the anchors only
in another country ("Ras al-Ain" listed with border towns stays the district's town).

Before the anchors are asked, a sentence that tells a state's own forces taking ground
("Iraqi forces retook C": a capture, ``ground_theatre``) reads a minor name in their
country when the name has a reading there (``_ground_pass``): the one nearest the
article's places in that country, else the country's home reading. An anchor in another
country does not outrank it (a Syrian village of the name near the article's Syrian town
is not where Iraqi forces retook C), while jets, which strike across the border, and a
sentence naming another country ("... in Syria") move nothing.

Where no anchor is near (a short report names only villages: "Peshmerga retook Soran and
Choman"), two more signals of the story's area decide, in this order, each only for a
minor reading outside the area the anchors give:

1. the forces of the sentence (``theatre``): a sentence whose forces all fight in one
   country as their own (``ForceTable.governed_country``: the Peshmerga and the Iraqi
   forces in Iraq, the Syrian army in Syria) reads a name there when one of its readings
   lies there; a mapped country the sentence names ("X, Syria") counts alike, and two
   countries say nothing ("Iraqi jets struck X in Syria"); a sentence naming neither is
   read in the article's country, the one mapped country where its anchors lie (the
   dateline's town among them), when there is one;
2. the list it stands in (``_list_area``): names listed together ("A, B and C") lie near
   each other; the reading of a list member that makes the list's spread the smallest
   replaces one far from the rest.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, replace
from itertools import chain, repeat

from geo.core.districts import DISTRICT_TYPES, seats
from geo.core.forces import ForceMention, ForceTable
from geo.core.records import Place
from geo.core.theatre import current as current_theatre
from geo.core.theatre import haversine_km
from geo.extract.events import COMPASS, COUNTRY_TYPES, REGION_TYPES, PlaceHit
from geo.extract.triggers import CAPTURE, Trigger

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


def theatre(forces: ForceTable, mentions: Iterable[ForceMention]) -> str:
    """The one country where the forces a sentence names fight as their own
    (``ForceTable.governed_country``), or "" when they name none or several ("Iraqi
    forces and the Syrian army"); forces whose government governs no listed land (the
    Islamic State, Turkey's, rebels) say nothing."""
    countries = {forces.governed_country(m.force_id) for m in mentions} - {""}
    return countries.pop() if len(countries) == 1 else ""


def ground_theatre(forces: ForceTable, mentions: Iterable[ForceMention],
                   triggers: Iterable[Trigger]) -> str:
    """``theatre`` of a sentence that tells ground taken ("Iraqi forces retook C": a
    capture trigger), else "": a state's forces take ground in the country they fight
    in as their own, while its jets strike across the border ("Iraqi jets struck C in
    Syria")."""
    return theatre(forces, mentions) if any(t.rule.cls == CAPTURE for t in triggers) else ""


def choose_readings(hit_lists: Iterable[list[PlaceHit]],
                    topic: PlaceHit | None = None, *,
                    texts: Sequence[str] = (),
                    countries: Sequence[str] = (),
                    ground: Sequence[str] = ()) -> dict[str, Place]:
    """Name (lower case) -> the reading the article's geography prefers, for every minor
    name whose current reading lies far from all the article's anchors while another
    lies near one. ``hit_lists``: the article's hits, sentence by sentence (and the
    headline's); ``topic``: the article's own town, an anchor whatever its size;
    ``texts`` and ``countries``: each sentence's text and the country of its forces
    (``theatre``), in the same order, for the names no anchor places (missing ones
    count as ""); ``ground``: each sentence's ``ground_theatre``, the country whose
    forces it tells taking ground.

    Five passes, in this order, from what a name means on its own to ever weaker signs
    of the story's area: the district's seat (``_seat_pass``), the country where the
    sentence's forces take ground (``_ground_pass``), the article's anchors
    (``_anchor_pass``), the sentence's country (``_country_pass``) and the list the name
    stands in (``_list_pass``). A name one of the last four placed is *settled*: no
    later pass moves it."""
    lists = [list(hl) for hl in hit_lists]
    hits = [h for hl in lists for h in hl]
    story = _Story(lists, hits, _anchors(hits, topic), tuple(texts), tuple(countries),
                   tuple(ground))
    chosen = _seat_pass(story)
    settled: set[str] = set()
    for placing in (_ground_pass, _anchor_pass, _country_pass, _list_pass):
        placed = placing(story, chosen, settled)
        chosen.update(placed)
        settled.update(placed)
    own = {h.text.lower(): h.place for h in reversed(hits)}
    return {name: p for name, p in chosen.items() if p is not own[name]}


@dataclass(frozen=True)
class _Story:
    """What the passes of ``choose_readings`` read of an article: its hits sentence by
    sentence (``lists``) and all together (``hits``), its anchors, and each sentence's
    text, forces' country and the country where its forces take ground (``texts``,
    ``countries``, ``ground``: in the order of ``lists``, missing ones "")."""

    lists: list[list[PlaceHit]]
    hits: list[PlaceHit]
    anchors: list[tuple[str, Place]]
    texts: tuple[str, ...]
    countries: tuple[str, ...]
    ground: tuple[str, ...] = ()


def _anchors(hits: Sequence[PlaceHit], topic: PlaceHit | None) -> list[tuple[str, Place]]:
    """(name, place) of the article's anchors (``_is_anchor``) and of its own town: the
    places whose reading is not in doubt, which the story's area is measured from."""
    anchors = [(h.text.lower(), h.place) for h in hits if _is_anchor(h)]
    if topic is not None:
        anchors.append((topic.text.lower(), topic.place))
    return anchors


def _seat_pass(story: _Story) -> dict[str, Place]:
    """Why first: a minor name that is also a district's stands, on its own, for the
    district's seat town ("Choman" is the Erbil district's town, not a village of that
    name 17 km off), as a look-up of the name reads it; the story's area is asked only
    after. Not settled: the anchors may still move it (``_gives_way``)."""
    chosen: dict[str, Place] = {}
    asked: set[str] = set()
    for h in story.hits:
        name = h.text.lower()
        if name in asked or not _minor(h):
            continue
        asked.add(name)
        readings = _readings(h)
        seat = _seat(readings)
        if seat is not None and seat is not h.place and not _is_seat(h.place, readings):
            chosen[name] = seat
    return chosen


def _ground_pass(story: _Story, chosen: Mapping[str, Place], settled: AbstractSet[str]
                 ) -> dict[str, Place]:
    """Why before the anchors: a sentence that tells a state's own forces taking ground
    ("Iraqi forces retook C", ``ground``) says the country, and an anchor of another
    country does not outrank it (a Syrian village near the article's Syrian town is not
    where Iraqi forces retook C); jets, which strike across the border, tell no ground
    taken, and a sentence naming another country ("... in Syria") moves nothing. A minor
    name read outside that country takes its reading there (``_country_reading``)."""
    mapped = current_theatre().is_mapped
    placed: dict[str, Place] = {}
    for hl, country in zip(story.lists, chain(story.ground, repeat(""))):
        said = {h.place.country for h in hl if h.is_country and mapped(h.place.country)}
        if not country or said - {country}:
            continue
        for h in hl:
            name = h.text.lower()
            now = chosen.get(name, h.place)
            if name in settled or name in placed or not _minor(h) or now.country == country:
                continue
            reading = _country_reading(_readings(h), country, story.anchors, name)
            if reading is not None:
                placed[name] = reading
    return placed


def _anchor_pass(story: _Story, chosen: Mapping[str, Place], settled: AbstractSet[str]
                 ) -> dict[str, Place]:
    """Why: an article names places near each other, so a minor name's reading far from
    every anchor gives way to one near an anchor (``_replaces``), the strongest sign of
    the story's area. ``chosen``: the readings so far (the seats; ``settled``: what the
    ground pass placed)."""
    anchors = story.anchors
    placed: dict[str, Place] = {}
    for h in story.hits if anchors else ():
        name = h.text.lower()
        if name in settled or name in placed or not _minor(h):
            continue
        readings = _readings(h)
        if len(readings) < 2:
            continue
        now = chosen.get(name, h.place)
        current = _distance(now, anchors, name)
        best = min(readings, key=lambda p: (_distance(p, anchors, name), -p.importance))
        near = _distance(best, anchors, name)
        if best is not now and _replaces(current, near) and _gives_way(now, best, readings):
            placed[name] = best
    return placed


def _country_pass(story: _Story, chosen: Mapping[str, Place], settled: AbstractSet[str]
                  ) -> dict[str, Place]:
    """Why: where no anchor is near, the sentence still says its country: the forces
    that fight there as their own (``countries``, one per sentence of ``lists``), a
    mapped country it names ("X, Syria"; two countries say nothing: "Iraqi jets struck
    X in Syria"), else the article's country, the one mapped country all its anchors
    (the dateline's town among them) lie in (a "BEIRUT" dateline over a report from
    Syria is no story in Lebanon). A minor name read outside that country and far from
    the anchors takes its reading there (``_country_reading``)."""
    anchors = story.anchors
    mapped = current_theatre().is_mapped
    lands = {a.country for _, a in anchors if mapped(a.country)}
    land = lands.pop() if len(lands) == 1 else ""
    placed: dict[str, Place] = {}
    for hl, by_forces in zip(story.lists, chain(story.countries, repeat(""))):
        said = {h.place.country for h in hl if h.is_country and mapped(h.place.country)}
        said |= {by_forces} - {""}
        country = said.pop() if len(said) == 1 else "" if said else land
        for h in hl if country else ():
            name = h.text.lower()
            now = chosen.get(name, h.place)
            if name in settled or name in placed or not _minor(h) or \
                    now.country == country or _distance(now, anchors, name) <= NEAR_KM:
                continue
            home = _country_reading(_readings(h), country, anchors, name)
            if home is not None:
                placed[name] = home
    return placed


def _list_pass(story: _Story, chosen: Mapping[str, Place], settled: AbstractSet[str]
               ) -> dict[str, Place]:
    """Why last: names written as one list ("Soran and Choman") lie near each other, a
    weaker sign than an anchor or a country; each list (``_lists`` of a sentence of
    ``lists`` and its text in ``texts``) is read once however often a long text repeats
    it, and what an earlier list placed is settled for the next (``_list_area``)."""
    placed: dict[str, Place] = {}
    asked: set[str] = set()
    for hl, text in zip(story.lists, chain(story.texts, repeat(""))):
        for members in _lists(hl, text):
            key = "|".join(h.text.lower() for h in members)
            if key not in asked:
                asked.add(key)
                placed.update(_list_area(members, {**chosen, **placed},
                                         settled | placed.keys(), story.anchors))
    return placed


#: A reading of the sentence's own country this close to the article's places there is
#: "the one the story means" when no reading is near enough for ``NEAR_KM``.
OWN_COUNTRY_KM = 150.0


def _country_reading(readings: Sequence[Place], country: str,
                     anchors: Sequence[tuple[str, Place]], own: str) -> Place | None:
    """The reading of a name in ``country``: the one nearest the article's places in that
    country (within ``OWN_COUNTRY_KM``: the places already read there, the dateline's
    town among them), else the country's home reading (``_home_reading``)."""
    there = [p for p in readings if p.country == country and p.place_type not in REGION_TYPES]
    home = [(name, a) for name, a in anchors if a.country == country]
    if there and home:
        near = min(there, key=lambda p: (_distance(p, home, own), -p.importance))
        if _distance(near, home, own) <= OWN_COUNTRY_KM:
            return near
    return _home_reading(readings, country)


def _home_reading(readings: Sequence[Place], country: str) -> Place | None:
    """The reading of a name in ``country`` its forces' sentence means: a district's seat
    there, else the most important town there (a district only when no town is)."""
    there = [p for p in readings if p.country == country and p.place_type not in REGION_TYPES]
    seat = _seat(there)
    if seat is not None:
        return seat
    return max(there, key=lambda p: (p.place_type not in DISTRICT_TYPES, p.importance),
               default=None)


def _seat(readings: Sequence[Place]) -> Place | None:
    """The reading that is a district's seat town (``geo.core.districts``: "Choman" is a
    district, the town it is named for, and a village 17 km off); the most important
    such seat when several districts share the name."""
    found = seats(readings)
    return found[0] if found else None


def _is_seat(place: Place, readings: Sequence[Place]) -> bool:
    return any(s is place for s in seats(readings))


def _gives_way(now: Place, other: Place, readings: Sequence[Place]) -> bool:
    """Whether a name's reading ``now`` may give way to ``other`` nearer the story's area:
    a district's seat town gives way in its own country only to a reading at least as
    important ("Ras al-Ain" listed with border towns is the district's town, not the
    hamlet of that name beside another of them); a namesake in another country is no
    seat of the story's."""
    return other.importance >= now.importance or other.country != now.country \
        or not _is_seat(now, readings)


def _minor(hit: PlaceHit) -> bool:
    """A hit whose reading the article's geography may replace."""
    return not (hit.topic or hit.is_country or hit.place.importance >= MINOR_IMPORTANCE)


def _replaces(current: float, near: float) -> bool:
    """Whether a reading ``near`` km from the story's area replaces one ``current`` km
    from it: near enough, and much nearer."""
    return near <= NEAR_KM and current >= max(3 * near, near + FARTHER_KM)


#: Between two names of one list: ", ", " and ", ", and ", " or ".
_LIST_GAP = re.compile(r"\s*,\s*(?:(?:and|or)\s+)?|\s+(?:and|or)\s+")


def _lists(hits: list[PlaceHit], text: str) -> list[list[PlaceHit]]:
    """The runs of a sentence's place names written as one list ("Soran and Choman",
    "A, B and C"), two names or more, none a country or province."""
    out: list[list[PlaceHit]] = []
    run: list[PlaceHit] = []
    for h in hits:
        if h.is_country or h.place.place_type in REGION_TYPES or h.reference or h.direction:
            run = []
            continue
        if run and _LIST_GAP.fullmatch(text, run[-1].end, h.start):
            run.append(h)
        else:
            run = [h]
        if len(run) == 2:
            out.append(run)
    return out


def _list_area(members: list[PlaceHit], chosen: dict[str, Place], settled: set[str],
               anchors: Sequence[tuple[str, Place]]) -> dict[str, Place]:
    """The readings that put a list's names near each other: the list's area is the
    reading of one member from which every other member has a reading the nearest
    (within ``NEAR_KM``); a minor member whose reading lies far from it and far from the
    article's anchors takes its reading nearest the area."""
    options: list[list[Place]] = []
    for h in members:
        name = h.text.lower()
        fixed = chosen.get(name) if name in settled else None if _minor(h) else h.place
        options.append([fixed] if fixed is not None else
                       [p for p in _readings(h) if p.place_type not in REGION_TYPES])
    if all(len(o) == 1 for o in options):
        return {}

    def spread(centre: Place, own: int) -> float:
        return max(min(_km(centre, p) for p in o) for k, o in enumerate(options) if k != own)

    centre, spread_km = None, float("inf")
    for k, o in enumerate(options):
        for p in o:
            d = spread(p, k)
            if d < spread_km or d == spread_km and centre is not None and \
                    p.importance > centre.importance:
                centre, spread_km = p, d
    if centre is None or spread_km > NEAR_KM:
        return {}
    out: dict[str, Place] = {}
    for h, o in zip(members, options):
        name = h.text.lower()
        now = chosen.get(name, h.place)
        if len(o) < 2 or name in settled or _distance(now, anchors, name) <= NEAR_KM:
            continue
        best = min(o, key=lambda p: (_km(centre, p), -p.importance))
        if best is not now and _replaces(_km(centre, now), _km(centre, best)) and \
                _gives_way(now, best, o):
            out[name] = best
    return out


def _km(a: Place, b: Place) -> float:
    return haversine_km(a.latitude, a.longitude, b.latitude, b.longitude)


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


def variant_readings(guarded: Mapping[str, Sequence[Place]], hits: Sequence[PlaceHit],
                     topic: PlaceHit | None) -> dict[str, Place]:
    """Spelling -> place for the other spellings of minor places the article's geography
    confirms: ``guarded`` maps each name the text calls a settlement but the gazetteer
    holds only as another spelling of minor places ("the small town of Husseiba" for the
    village "Husaybah": ``Gazetteer.guarded_variants``) to those places; ``hits`` and
    ``topic`` are the article's places read so far.

    Why guarded: a tiny village's variants match all over the theatre, so such a name is
    read only when exactly one of its places lies within ``NEAR_KM`` of one of the
    article's anchors (``_anchors``) in that anchor's country, the story's area as the
    other passes measure it. None near (a far-off homonym: "the town of Shuhail" in a
    report from Mosul, a "Shahil" only in Deir ez-Zor) or several near: the name stays
    unread, listed for the analyst."""
    anchors = _anchors(hits, topic)
    out: dict[str, Place] = {}
    for surface, places in guarded.items() if anchors else ():
        near = [p for p in places if p.place_type not in REGION_TYPES and any(
            a.country == p.country and _km(p, a) <= NEAR_KM for _, a in anchors)]
        if len({p.place_id or (p.latitude, p.longitude) for p in near}) == 1:
            out[surface] = near[0]
    return out
