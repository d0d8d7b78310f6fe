"""Who held a named town on a date: the question an analyst (or a check) asks.

``holder_of(name, day, series)`` answers from the place itself when the evidence names it
(in any spelling the gazetteer knows, or the gazetteer's town at the same point; a seat
of government whose holder no report gives is its government's, labelled "presumed":
rule 10, ``geo.control.seats``), else
from the territory: the town is located in the gazetteer, and the land it stands on
follows the nearest town with a known state (``geo.control.territory``). The answer says
which of the two it is, so an analyst knows whether a source speaks for the town or the
map only estimates it, and how far away the town it follows lies.

An estimate is not given (the answer is "unknown", with the reason) where it would
assert more than the evidence holds:

=====  ==============================================  ================================
#      when                                            why
=====  ==============================================  ================================
E1     the town is a city (``CITY_POPULATION`` people   the fall of a city is reported
       or more in the gazetteer) whose holder no        by name: one no report names
       report gives (rule E3 aside), or its land is     kept a holder its neighbours do
       such a city's (``geo.control.cities``: the       not tell ("Baghdad held by IS,
       map leaves the same land unshaded)               from Fallujah"; Erbil from Mosul)
E2     a town held by a force hostile to the one it     the town lies between the lines:
       would follow is not clearly farther: less than   which side of the front it is on
       ``FRONT_MARGIN_KM`` farther and less than        is a guess
       ``FRONT_RATIO`` times as far
E7     the town followed is held on a single machine    one article saying an insurgent
       report by an enemy of the government of the      took a town speaks for that
       asked town's region, ``LONE_REPORT_KM`` or       town, not for the land a day's
       more away (answers only: the map shades it)      drive around it (right 1 in 3)
=====  ==============================================  ================================

Where the land gives no estimate because no fresh report reaches it (it follows no known
town, or only a stale one), the land is *quiet* (rule E5, ``_quiet``): it is presumed
held by the government of the town's region (rule 10's ``governs``) when the nearest town
held on the day is held by that government or a force not hostile to it, and stays
unknown when an enemy of that government holds the nearest town. A town whose own
report is stale and names an enemy of its government is presumed back with the
government when the nearest town a report (not a presumption) shows held is the
government's side's. Judged by the curated timeline, such answers were right 0.78 and
0.82 of the time in the two halves of its towns (docs/control.md). What is still unknown
is the advancing force's when the town lies on the road of an advance (rule E6,
``geo.control.advance``: between a town a force took and holds and its side's nearest
town the day before).

Before the territory, the land *around* the town (rule E3): when the record has no state
for the town itself but reports captures located around it (geo_precision 2: "the air
base north of C", "villages east of C"), those captures answer for its surroundings,
replayed by the timeline rules (a capture takes effect at its interval's end, the force
it was taken from held the land before it: rule 7). Such a capture says nothing about the
town's own holder (rule 2), so the answer is an estimate, basis "around", and a town
with reports of its own is always answered from them.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import numpy as np
from scipy.spatial import cKDTree

from geo.control.advance import advance_through
from geo.control.cities import SAME_TOWN_KM, city_reason, is_city
from geo.control.claims import (
    ANALYST,
    PRESUMED,
    SINGLE,
    STATED,
    base_tier,
    claim_of,
    corroborate,
    from_holding,
    is_nearby,
)
from geo.control.places import SAME_NAME_KM, PlaceRef
from geo.control.seats import presumption_label
from geo.control.series import ControlSeries
from geo.control.territory import project
from geo.control.timeline import PlaceControl, first_holdings, place_timeline
from geo.control.wording import HolderWhen, estimated, since_text
from geo.core.forces import default_forces
from geo.core.records import Event, GeoPrecision, Place, ReviewStatus
from geo.core.theatre import haversine_km as distance_km
from geo.geocode.normalize import variant_key

#: A town counts as standing on a locality's land within this distance of it.
LOCALITY_KM = 5.0
#: Rule E2: a hostile town less than this much farther than the town followed, and
#: less than ``FRONT_RATIO`` times as far, leaves the town between the lines (unknown).
#: 1.5, not 2: judged by the curated timeline, the estimates of towns whose hostile
#: town lies 1.5 to 2 times as far were right 0.73 and 0.68 of the time in the two
#: halves of its towns; those under 1.5 times, 0.31 and 0.30 (docs/control.md).
FRONT_MARGIN_KM = 20.0
FRONT_RATIO = 1.5
#: Rule E7: no estimate this far or farther from a town whose holder rests on a single
#: machine report and is an enemy of the government of the asked town's region.
LONE_REPORT_KM = 20.0


@dataclass(frozen=True)
class Answer:
    """``force`` ("" when nobody is known to hold it) and ``status`` of ``name`` on
    ``day``; ``basis`` is "reported" (a place with evidence), "presumed" (a seat of
    government or a city of the land it governs whose holder no report gives, rule 10:
    ``reason`` says whose), "around"
    (estimated from captures reported around the town, rule E3), "territory" (estimated
    from the nearest known town ``via``) or "unknown". Status "stale" (rule 8): no
    report has spoken for the holder for longer than the horizon; ``force`` is the
    holder last reported, ``since`` the day the evidence last spoke for it, ``reason``
    says both and how long ago."""

    name: str
    day: date
    force: str
    status: str
    basis: str
    place: str = ""
    since: date | None = None
    via: str = ""
    via_km: float | None = None
    reason: str = ""
    #: The holder rests only on holdings articles state in passing (rule 9).
    stated: bool = False
    #: Status "besieged": the besieging forces (rule 6).
    besiegers: tuple[str, ...] = ()
    #: The earliest day of the capture ``since`` dates by its latest (rule 3), when its
    #: report gave an interval ("retook it in December"): the answer says it so.
    since_from: date | None = None
    #: An analyst's decision the holder rests on (tier 4, rule 2): "confirmed",
    #: "corrected" or "entered" (a manual event); "" when no analyst checked it.
    checked: str = ""
    #: How a reported place's holder is known when no report shows it taking the place
    #: (``geo.control.wording``: "before 2014-06-10 (inferred: ...)"), said instead of
    #: a ``since`` the rules reached back to; None for a holder reported taking it.
    when: HolderWhen | None = None

    def describe(self) -> str:
        """One line for the terminal."""
        who = default_forces().display(self.force) if self.force else ""
        head = f"{self.name} on {self.day}: "
        if self.basis == "unknown":
            return head + f"unknown ({self.reason or NO_EVIDENCE})"
        said = self.said()
        if self.status == "stale":                     # rule 8: the last holder, dated
            return f"{head}{self.reason} [{said}: {self.place}]"
        forces = default_forces()
        by = " and ".join(f"{forces.display(f)} ({f})" for f in self.besiegers)
        state = {"held": f"held by {who} ({self.force})",
                 "besieged": f"held by {who} ({self.force}), besieged"
                 + (f" by {by}" if by else ""),
                 "contested": "contested", "unknown": "unknown"}.get(self.status, self.status)
        since = since_text(self.since, self.since_from) \
            if self.since and self.status != "unknown" else ""
        if self.when is not None and not self.when.reported and self.status == "held":
            since = f" {self.when.text}"
        if self.basis == "territory":
            since = ""      # the town it follows has a since; the land around has none
        if self.basis in ("presumed", "quiet", "road"):
            return f"{head}{state} [{self.reason}]"
        if self.basis == "reported" and self.reason:
            # Rule 10: a siege reported at a presumed place; the holder is presumed.
            return f"{head}{state}{since} [{said}: {self.place}; holder {self.reason}]"
        basis = (f"[{said}: {self.place}]" if self.basis == "reported"
                 else f"[estimated from captures reported around {self.place}]"
                 if self.basis == "around"
                 else f"[{estimated(self.via, self.via_km).note}]")
        return f"{head}{state}{since} {basis}"

    def said(self) -> str:
        """How the evidence for the holder was given, by the weighing order of rule 2:
        "confirmed by an analyst" (or corrected, entered; "stated in passing, confirmed
        by an analyst" for a holding an analyst confirmed), "stated in passing",
        else "reported"."""
        if self.checked:
            by = f"{self.checked} by an analyst"
            return f"stated in passing, {by}" if self.stated else by
        return "stated in passing" if self.stated else "reported"


NO_EVIDENCE = "no evidence for it or the towns around it"


def gazetteer_town(name: str, series: ControlSeries | None = None) -> Place | None:
    """The town ``name`` means in the offline gazetteer, ranked as extraction's geocoder
    ranks it (``Gazetteer.resolve``: "Zumar" is the town Zummar, as in an article): the
    best theatre candidate that bears the name as written, else the best candidate
    ("Baghdadi" is Al Baghdadi on the Euphrates, not a spelling of Baghdad). With a
    ``series``, among the candidates of the best kind of match (as written, else
    spelling variants) a town its reports are about comes first: the question is about
    the town the evidence knows."""
    from geo.geocode.gazetteer import default_gazetteer

    found = default_gazetteer().lookup_scored(name, country_codes=("IQ", "SY"), limit=5)
    exact = [c for c in found if c.match == "exact"]
    # A place bearing the name as written outranks a spelling variant, however well
    # the series knows the variant: "Baghdadi" is never Baghdad because Baghdad is in
    # every series (rule 10's seats).
    ranked = exact or [c for c in found if c.match == "variant"]
    if series is not None:
        known = [c for c in ranked if any(ref.has_id(c.place.place_id) for ref in series.refs)]
        if known:
            return known[0].place
    return (exact or found)[0].place if found else None


def _named(name: str, series: ControlSeries) -> list[int]:
    """Known places bearing the name (spelling variants folded)."""
    return [i for i, ref in enumerate(series.refs) if ref.bears_name(name)]


def _same_town(series: ControlSeries, town: Place | None) -> list[int]:
    """Known places that are the gazetteer's town under another spelling (same id, or
    within ``SAME_TOWN_KM``: "Albu Kamal" is "Abu Kamal")."""
    if town is None:
        return []
    return [i for i, ref in enumerate(series.refs)
            if ref.has_id(town.place_id)
            or distance_km(town.latitude, town.longitude, ref.lat, ref.lon) <= SAME_TOWN_KM]


def _presumption_reason(series: ControlSeries, key: str, force: str) -> str:
    """The label of the presumption that ``force`` holds place ``key`` (rule 10)."""
    for claim in series.histories[key].claims:
        if claim.presumed and claim.to == force:
            return presumption_label(series.events_by_id[claim.event_id])
    return "presumed"


#: An analyst's review status -> how an answer says it (rule 2's tier 4).
_CHECKED = {ReviewStatus.CORRECTED.value: "corrected", ReviewStatus.CONFIRMED.value: "confirmed"}


def _checked(series: ControlSeries, place: PlaceControl) -> tuple[str, bool]:
    """(the analyst's decision the holder rests on, whether every such claim is a
    holding stated in passing) when the holder's best claim is an analyst's (tier 4):
    "corrected" when one of them was corrected, else "confirmed", else "entered" (a
    manual event); ("", False) otherwise."""
    if place.tier != ANALYST or not place.force:
        return "", False
    events = [e for e in (series.events_by_id.get(i) for i in place.event_ids)
              if e is not None and base_tier(e) == ANALYST]
    if not events:
        return "", False
    decisions = {e.review_status for e in events}
    checked = next((word for status, word in _CHECKED.items() if status in decisions),
                   "entered")
    return checked, all(from_holding(e) for e in events)


def stale_reason(place: PlaceControl, day: date) -> str:
    """Rule 8, said for a stale place: who was last reported holding it, when the
    evidence last spoke for it and how long ago that is on ``day``; "" when the place
    is not stale."""
    if place.status != "unknown" or not place.last_force or place.last_reported is None:
        return ""
    forces = default_forces()
    besiegers = " and ".join(f"{forces.display(f)} ({f})" for f in place.forces
                             if f and f != place.last_force)
    siege = f", besieged by {besiegers}," if besiegers else ""
    return (f"last reported held by {forces.display(place.last_force)} ({place.last_force})"
            f"{siege} on {place.last_reported}; no report since "
            f"({(day - place.last_reported).days:,} days; stale, rule 8)")


def holder_of(name: str, day: date, series: ControlSeries, *,
              point: tuple[float, float] | None = None) -> Answer:
    """Who held ``name`` on ``day`` (see the module docstring). ``point`` (lat, lon)
    locates the town when given; otherwise the gazetteer does (looked up only when the
    name is not one known place's)."""
    answer = _holder_of(name, day, series, point)
    if answer.basis != "unknown":
        return answer
    # Rule E6: what would be unknown, on the road of an advance, is the advancing force's.
    if point is None:
        town = gazetteer_town(name, series)
        point = (town.latitude, town.longitude) if town is not None else None
    if point is None:
        return answer
    advance = advance_through(series, day, *point)
    if advance is None:
        return answer
    base, goal = series.refs[advance.base], series.refs[advance.target]
    forces = default_forces()
    reason = (f"estimated: on the road from {base.name} to {goal.name} ({advance.km:.0f} km), "
              f"which {forces.display(advance.force)} ({advance.force}) took by "
              f"{advance.day} and holds" + (f"; {answer.reason}" if answer.reason else ""))
    return Answer(name, day, advance.force, "held", "road", goal.name, advance.day,
                  via=goal.name, via_km=distance_km(point[0], point[1], goal.lat, goal.lon),
                  reason=reason)


def _holder_of(name: str, day: date, series: ControlSeries,
               point: tuple[float, float] | None) -> Answer:
    """``holder_of`` before rule E6."""
    named = _named(name, series)
    town = gazetteer_town(name, series) if len(named) != 1 else None
    matches = named or _same_town(series, town)
    where = point or ((town.latitude, town.longitude) if town is not None else None)
    if matches:
        if where is not None:
            near = [i for i in matches if distance_km(where[0], where[1], series.refs[i].lat,
                                                      series.refs[i].lon) <= SAME_NAME_KM]
            matches = near or matches
        ref = series.refs[matches[0]]
        place = series.holder_on(ref.key, day)
        if place is not None and place.tier == PRESUMED and place.status == "held":
            # Captures reported around the town (rule E3) are reports: they come before
            # a presumption (rule 10), which weighs below every report.
            around = _around(name, day, series, town, where or (ref.lat, ref.lon))
            return around or Answer(name, day, place.force, place.status, "presumed",
                                    ref.name, reason=_presumption_reason(series, ref.key,
                                                                         place.force))
        if place is not None and stale_reason(place, day):
            # Rule 8: the last holder, labelled stale with the day it was last reported;
            # rule E5: unless that was an enemy of the government of the town's region and
            # the government's side holds the nearest town now (quiet land).
            stale = stale_reason(place, day)
            quiet = None
            if point is None:
                region = town or gazetteer_town(name, series)
                governor = series.forces.governor(region.country, region.admin1) \
                    if region is not None else None
                if governor is not None and \
                        series.forces.hostile(place.last_force, governor.force_id):
                    quiet = _quiet(name, day, series, where or (ref.lat, ref.lon), region,
                                   f"its own report is stale: {stale}", reported=True)
            return quiet or Answer(name, day, place.last_force, "stale", "reported",
                                   ref.name, place.last_reported, reason=stale,
                                   stated=place.tier == STATED)
        if place is not None and place.status == "besieged":
            # Rule 6: since the siege began, by whom; rule 10: a presumed holder says so.
            reason = _presumption_reason(series, ref.key, place.force) \
                if place.tier == PRESUMED else ""
            checked, held_stated = _checked(series, place)
            return Answer(name, day, place.force, place.status, "reported", ref.name,
                          place.since, reason=reason, stated=held_stated, checked=checked,
                          besiegers=tuple(f for f in place.forces if f != place.force))
        if place is not None:
            checked, held_stated = _checked(series, place)
            return Answer(name, day, place.force, place.status, "reported", ref.name,
                          place.holder_since or place.since,
                          stated=bool(place.force) and (place.tier == STATED or held_stated),
                          since_from=place.holder_from if place.holder_since else None,
                          checked=checked, when=series.holder_when(ref.key, place))
        where = where or (ref.lat, ref.lon)
        if town is None and point is None:
            town = gazetteer_town(name, series)  # its size, for rule E1
    around = _around(name, day, series, town, where)
    if around is not None:
        return around
    if where is None:
        return Answer(name, day, "", "unknown", "unknown")
    found = territory_holder(series, where[0], where[1], day)
    people = int(town.population or 0) if town is not None and point is None else 0
    region = town if point is None else None
    if found is None:
        return _withheld(name, day, series, where, people, region)
    force, status, via, since = found
    via_ref = series.refs[series.index[via]]
    via_km = distance_km(where[0], where[1], via_ref.lat, via_ref.lon)
    followed = series.holder_on(via, day)
    stale = stale_reason(followed, day) if followed is not None else ""
    if stale:
        # Rule 8: the land follows a stale town; its last holder is no estimate (judged
        # by the curated timeline, right 0.44 and 0.58 in the two halves). Rule E5: the
        # land is quiet, its government's when the nearest fresh holder is not its enemy.
        withheld = (f"not estimated from {via_ref.name}, {via_km:.0f} km away, "
                    f"whose report is stale: {stale}")
        return _quiet(name, day, series, where, region, withheld) or Answer(
            name, day, "", "unknown", "unknown", via=via_ref.name, via_km=via_km,
            reason=withheld)
    reason = _no_estimate(series, day, where, force, via_ref, via_km, people) or \
        _lone_report(series, followed, force, via_ref, via_km, region)
    if reason:
        return Answer(name, day, "", "unknown", "unknown", via=via_ref.name,
                      via_km=via_km, reason=reason)
    return Answer(name, day, force, status, "territory", via=via_ref.name, since=since,
                  via_km=via_km)


def _names_town(event: Event, name: str, town: Place | None,
                where: tuple[float, float] | None) -> bool:
    """Whether a report is located at the asked town: its gazetteer id, its name in
    another spelling within ``SAME_NAME_KM`` (rule 1: a homonym elsewhere is another
    town; "Suran" in Syria says nothing of Soran in Iraqi Kurdistan), or a point within
    ``SAME_TOWN_KM``."""
    if town is not None and event.place_id == town.place_id:
        return True
    km = None
    if where is not None and event.latitude is not None and event.longitude is not None:
        km = distance_km(where[0], where[1], float(event.latitude), float(event.longitude))
    if event.location and variant_key(event.location) == variant_key(name):
        return km is None or km <= SAME_NAME_KM
    return km is not None and km <= SAME_TOWN_KM


def _around(name: str, day: date, series: ControlSeries, town: Place | None,
            where: tuple[float, float] | None) -> Answer | None:
    """Rule E3: the holder of the land around the town on ``day`` from the captures
    reported around it (see the module docstring), or None when they do not tell."""
    claims = []
    for event in series.events:
        if int(event.geo_precision or GeoPrecision.EXACT) != GeoPrecision.NEAR or \
                not is_nearby(event) or not _names_town(event, name, town, where):
            continue
        claim, _problem = claim_of(replace(event, geo_precision=int(GeoPrecision.EXACT)),
                                   series.forces)
        if claim is not None and claim.kind == "capture":
            claims.append(claim)
    if not claims:
        return None
    holdings = first_holdings(h.claims for h in series.histories.values())
    segments, _conflicts = place_timeline(corroborate(claims), holdings=holdings)
    snap = None
    for start, state in segments:
        if start > day:
            break
        snap = state
    if snap is None or snap.status not in ("held", "besieged") or not snap.force:
        return None
    place = next((e.location for e in series.events
                  if e.event_id in snap.event_ids and e.location), name)
    return Answer(name, day, snap.force, snap.status, "around", place,
                  snap.holder_since or snap.since)


def _withheld(name: str, day: date, series: ControlSeries, where: tuple[float, float],
              people: int, region: Place | None = None) -> Answer:
    """The answer for a town whose land follows no known place: its government's when
    the land is quiet (rule E5), else unknown, and when the land is a city's whose holder
    no report gives (rule E1, the territory's blocker), why."""
    city = withholding_city(series, where[0], where[1], day)
    if city is None:
        return _quiet(name, day, series, where, region) or \
            Answer(name, day, "", "unknown", "unknown")
    nearest = _nearest_held(series, day, where)
    via, via_km = (nearest[0].name, nearest[1]) if nearest is not None else ("", None)
    if is_city(people):
        reason = city_reason(people, via, via_km)
    else:
        cities = series.mesh.cities
        reason = city_reason(int(cities.people[city]), via, via_km,
                             land_of=cities.names[city])
    return Answer(name, day, "", "unknown", "unknown", via=via, via_km=via_km, reason=reason)


def _quiet(name: str, day: date, series: ControlSeries, where: tuple[float, float],
           region: Place | None, withheld: str = "", *, reported: bool = False
           ) -> Answer | None:
    """Rule E5, quiet land: a town no fresh report reaches (its land follows no known
    town, or only a stale one) is presumed held by the government of its region
    (``ForceTable.governor``, rule 10's ``governs``) when the nearest town held on
    ``day`` is held by that government or a force not hostile to it; None otherwise
    (no region, no government, no town held, or a hostile one nearest: the land may be
    the enemy's). ``withheld`` says why the land gave no estimate. ``reported``: only a
    town held on a report's word decides (a town's own stale report is a report, which
    no presumption outweighs, rule 10)."""
    if region is None or not series.presume:
        return None
    governor = series.forces.governor(region.country, region.admin1)
    nearest = _nearest_held(series, day, where, reported=reported)
    if governor is None or nearest is None:
        return None
    ref, km = nearest
    snap = series.holder_on(ref.key, day)
    if snap is None or series.forces.hostile(snap.force, governor.force_id):
        return None
    why = f"; {withheld}" if withheld else ""
    reason = (f"presumed: quiet land in {governor.seat_of or governor.display_name}'s "
              f"territory; the nearest town held is {ref.name} ({snap.force}), "
              f"{km:.0f} km away{why}")
    return Answer(name, day, governor.force_id, "held", "quiet", via=ref.name, via_km=km,
                  reason=reason)


def _nearest_held(series: ControlSeries, day: date, where: tuple[float, float], *,
                  reported: bool = False) -> tuple[PlaceRef, float] | None:
    """The nearest place held (or held besieged) on ``day``, and how far it is (km);
    with ``reported``, held on a report's word (not a presumption's, rule 10)."""
    i = series.index_on(day)
    if i is None:
        return None
    best: tuple[PlaceRef, float] | None = None
    for p, snap in enumerate(series.snapshots_at(i)):
        if snap is None or snap.status not in ("held", "besieged") or not snap.force \
                or (reported and snap.tier == PRESUMED):
            continue
        ref = series.refs[p]
        km = distance_km(where[0], where[1], ref.lat, ref.lon)
        if best is None or km < best[1]:
            best = (ref, km)
    return best


def _no_estimate(series: ControlSeries, day: date, where: tuple[float, float], force: str,
                 via: PlaceRef, via_km: float, people: int) -> str:
    """Why the land's holder is not an answer for the town (rules E1, E2), or ""."""
    if is_city(people):
        return city_reason(people, via.name, via_km)
    if not force:
        return ""
    i = series.index_on(day)
    assert i is not None
    for p, snap in enumerate(series.snapshots_at(i)):
        if snap is None or snap.status not in ("held", "besieged") or not snap.force \
                or not series.forces.hostile(snap.force, force):
            continue
        ref = series.refs[p]
        km = distance_km(where[0], where[1], ref.lat, ref.lon)
        if km < via_km + FRONT_MARGIN_KM and km < FRONT_RATIO * via_km:
            return (f"between the lines: {via.name} ({force}) {via_km:.0f} km and "
                    f"{ref.name} ({snap.force}) {km:.0f} km away")
    return ""


def _lone_report(series: ControlSeries, followed: PlaceControl | None, force: str,
                 via: PlaceRef, via_km: float, region: Place | None) -> str:
    """Rule E7, why the land of a town one machine report shows held by an enemy of the
    government of the asked town's region is no estimate for a town ``LONE_REPORT_KM``
    or more from it, or "". One article saying an insurgent took a town speaks for the
    town, not for the land a day's drive around it: judged by the curated timeline such
    estimates were right on a third of their town-days (docs/control.md, "A lone report
    far away, measured"), below the bar an estimate must meet."""
    if region is None or followed is None or followed.tier != SINGLE or not force \
            or via_km < LONE_REPORT_KM:
        return ""
    forces = series.forces
    governor = forces.governor(region.country, region.admin1)
    if governor is None or not forces.hostile(force, governor.force_id):
        return ""
    return (f"not estimated from {via.name}, {via_km:.0f} km away: a single report shows "
            f"it held by {forces.display(force)} ({force}), an enemy of "
            f"{governor.seat_of or governor.display_name}, and speaks for that town, "
            f"not for the land {LONE_REPORT_KM:.0f} km or more around it")


def territory_holder(series: ControlSeries, lat: float, lon: float, day: date
                     ) -> tuple[str, str, str, date | None] | None:
    """(force, status, key of the place followed, since) of the land at a point on
    ``day``: the
    catchment of the nearest locality within ``LOCALITY_KM``; None off the settled land."""
    land = _land_at(series, lat, lon, day)
    if land is None or land[2] < 0:
        return None
    i, seeds, owner = land
    p = int(seeds[owner])
    snap = series.snapshots_at(i)[p]
    if snap is None:
        return None
    force = snap.force if snap.status in ("held", "besieged") else ""
    return force, snap.status, series.keys[p], snap.holder_since or snap.since


def withholding_city(series: ControlSeries, lat: float, lon: float, day: date
                     ) -> int | None:
    """The city (index into ``series.mesh.cities``) whose land the point is on ``day``
    when no report gives that city's holder (rule E1: the territory leaves it unshaded),
    else None."""
    land = _land_at(series, lat, lon, day)
    if land is None or land[2] > -2:
        return None
    _seeds, part = series._partition(land[0])
    assert part.blocked is not None
    return int(part.blocked[-2 - land[2]])


def _land_at(series: ControlSeries, lat: float, lon: float, day: date
             ) -> tuple[int, np.ndarray, int] | None:
    """(change point, places with a state, ``Partition.owner`` of the nearest locality
    within ``LOCALITY_KM``) of a point on ``day``; None before the record or off the
    settled land."""
    i = series.index_on(day)
    if i is None:
        return None
    dist, loc = _tree(series.mesh).query(project([lon], [lat])[0])
    if dist > LOCALITY_KM * 1000:
        return None
    seeds, part = series._partition(i)
    return i, seeds, int(part.owner[int(loc)])


_TREES: dict[int, cKDTree] = {}


def _tree(mesh) -> cKDTree:  # type: ignore[no-untyped-def]
    tree = _TREES.get(id(mesh))
    if tree is None:
        tree = _TREES[id(mesh)] = cKDTree(np.asarray(mesh.points))
    return tree
