"""Rule E6, the road of an advance: a town on the way to a town a force took is the force's.

A force that takes a town comes from somewhere: from the nearest town its side held the
day before (its *base*). The towns on the straight line between the two, when they are
close (``ADVANCE_KM``), lie on the road it took; while it still holds the town it took,
they are behind its front, whatever the record says of them (usually nothing: reports
name the goal of an advance, not the villages it passed). "Between the lines" (rule E2)
is then no answer for them: the lines are past them.

The rule answers only what would otherwise be unknown (``geo.control.facts.holder_of``:
a town with no state of its own that the land gives no estimate for) and never draws
land: it is an estimate, basis "road", that names the road and the capture. Judged by
the curated timeline (docs/control.md, "The road of an advance, measured").
"""
from __future__ import annotations

import weakref
from dataclasses import dataclass
from datetime import date, timedelta

from geo.control.claims import PRESUMED
from geo.control.series import ControlSeries
from geo.control.territory import project
from geo.core.theatre import haversine_km as distance_km

#: A town at most this far from the straight line between base and goal is on the road.
ROAD_KM = 5.0
#: A base farther than this from the town taken is no road's start.
ADVANCE_KM = 100.0
#: The share of the road at each end that is the towns themselves, not the road between.
END_SHARE = 0.05


@dataclass(frozen=True)
class Advance:
    """A capture seen as an advance: ``force`` took place ``target`` (index into
    ``series.keys``), in effect from ``day``, from its side's nearest town ``base`` the
    day before, ``km`` away."""

    day: date
    force: str
    target: int
    base: int
    km: float


_ADVANCES: weakref.WeakKeyDictionary[ControlSeries, list[Advance]] = \
    weakref.WeakKeyDictionary()


def advances(series: ControlSeries) -> list[Advance]:
    """Every reported capture (not a presumption) whose taker's side held another town
    within ``ADVANCE_KM`` the day before it took effect; worked out once per series."""
    found = _ADVANCES.get(series)
    if found is not None:
        return found
    found = []
    for target, key in enumerate(series.keys):
        for claim in series.histories[key].claims:
            if claim.kind != "capture" or claim.presumed:
                continue
            base = _base(series, target, claim.to, claim.end - timedelta(days=1))
            if base is not None:
                found.append(Advance(claim.end, claim.to, target, *base))
    _ADVANCES[series] = found
    return found


def _base(series: ControlSeries, target: int, force: str, day: date
          ) -> tuple[int, float] | None:
    """The nearest town other than ``target`` held on ``day`` by ``force`` or a force
    not hostile to it, within ``ADVANCE_KM``, and how far it is. The holding must rest
    on what was known by ``day``: a report of it dated by then, or a presumption (rule
    10); when the nearest such town's holder is inferred back from a later report of
    its loss (rule 7), there is no base (the force had not necessarily got there yet,
    and which way it came is not known)."""
    i = series.index_on(day)
    if i is None:
        return None
    goal = series.refs[target]
    best: tuple[int, float] | None = None
    for p, snap in enumerate(series.snapshots_at(i)):
        if p == target or snap is None or snap.status not in ("held", "besieged") \
                or not snap.force or series.forces.hostile(snap.force, force):
            continue
        ref = series.refs[p]
        km = distance_km(goal.lat, goal.lon, ref.lat, ref.lon)
        if km <= ADVANCE_KM and (best is None or km < best[1]):
            best = (p, km)
    if best is None:
        return None
    snap = series.snapshots_at(i)[best[0]]
    assert snap is not None
    return best if _known_by(series, best[0], snap.force, snap.tier, day) else None


def _known_by(series: ControlSeries, place: int, force: str, tier: int, day: date) -> bool:
    """Whether place ``place`` is known to be ``force``'s on ``day`` from what was said
    by then: a presumption, or a capture or held report of that force dated by then."""
    if tier == PRESUMED:
        return True
    return any(c.to == force and c.kind in ("capture", "held") and c.end <= day
               for c in series.histories[series.keys[place]].claims)


def advance_through(series: ControlSeries, day: date, lat: float, lon: float
                    ) -> Advance | None:
    """The latest advance in effect on ``day`` whose road passes within ``ROAD_KM`` of
    the point, and whose goal is still held on ``day`` by a force not hostile to its
    taker; None when there is none."""
    i = series.index_on(day)
    if i is None:
        return None
    snaps = series.snapshots_at(i)
    (px, py), = project([lon], [lat])
    best: Advance | None = None
    for advance in advances(series):
        if advance.day > day or (best is not None and advance.day <= best.day):
            continue
        held = snaps[advance.target]
        if held is None or held.status not in ("held", "besieged") or not held.force \
                or series.forces.hostile(held.force, advance.force):
            continue
        if _off_road_km(series, advance, px, py) <= ROAD_KM:
            best = advance
    return best


def _off_road_km(series: ControlSeries, advance: Advance, px: float, py: float) -> float:
    """How far a projected point lies from the road of ``advance`` (km; infinite
    beside the road's ends)."""
    base, goal = series.refs[advance.base], series.refs[advance.target]
    (ax, ay), (bx, by) = project([base.lon, goal.lon], [base.lat, goal.lat])
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    if length2 == 0:
        return float("inf")
    share = ((px - ax) * dx + (py - ay) * dy) / length2
    if not END_SHARE < share < 1 - END_SHARE:
        return float("inf")
    return float(((px - ax - share * dx) ** 2 + (py - ay - share * dy) ** 2) ** 0.5) / 1000
