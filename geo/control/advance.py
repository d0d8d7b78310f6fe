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

Only the captures whose goal lies within reach of the town asked about are looked at,
and each one's base is found once per series (a vectorised search over the places held
the day before), so an answer stays quick at thousands of places.
"""
from __future__ import annotations

import weakref
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from geo.control.claims import PRESUMED
from geo.control.series import ControlSeries
from geo.control.territory import project

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


@dataclass
class _Captures:
    """A series' reported captures (not presumptions), latest first, with the projected
    points of its places (metres) and the bases found so far."""

    days: list[date]
    forces: list[str]
    targets: np.ndarray
    points: np.ndarray
    bases: dict[int, Advance | None]


_CAPTURES: weakref.WeakKeyDictionary[ControlSeries, _Captures] = \
    weakref.WeakKeyDictionary()


def _captures(series: ControlSeries) -> _Captures:
    found = _CAPTURES.get(series)
    if found is None:
        rows = sorted(((c.end, c.to, p) for p, key in enumerate(series.keys)
                       for c in series.histories[key].claims
                       if c.kind == "capture" and not c.presumed), reverse=True)
        points = project([r.lon for r in series.refs], [r.lat for r in series.refs]) \
            if series.refs else np.empty((0, 2))
        found = _CAPTURES[series] = _Captures(
            [d for d, _, _ in rows], [f for _, f, _ in rows],
            np.array([p for _, _, p in rows], dtype=np.int64), np.asarray(points), {})
    return found


def advances(series: ControlSeries) -> list[Advance]:
    """Every reported capture whose taker's side held another town within
    ``ADVANCE_KM`` the day before it took effect (``_base``), latest first."""
    caps = _captures(series)
    out = [_advance(series, caps, n) for n in range(len(caps.days))]
    return [a for a in out if a is not None]


def _advance(series: ControlSeries, caps: _Captures, n: int) -> Advance | None:
    """Capture ``n`` as an advance, or None when it has no base (worked out once)."""
    if n not in caps.bases:
        target = int(caps.targets[n])
        base = _base(series, caps, target, caps.forces[n], caps.days[n] - timedelta(days=1))
        caps.bases[n] = None if base is None else \
            Advance(caps.days[n], caps.forces[n], target, *base)
    return caps.bases[n]


def _base(series: ControlSeries, caps: _Captures, target: int, force: str, day: date
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
    holders = series.holders_at(i)
    friendly = {f: bool(f) and not series.forces.hostile(f, force) for f in set(holders)}
    ok = np.fromiter((friendly[f] for f in holders), dtype=bool, count=len(holders))
    ok[target] = False
    if not ok.any():
        return None
    km = np.hypot(*(caps.points - caps.points[target]).T) / 1000
    km[~ok] = np.inf
    best = int(np.argmin(km))
    if km[best] > ADVANCE_KM:
        return None
    snap = series.snapshots_at(i)[best]
    assert snap is not None
    if not _known_by(series, best, snap.force, snap.tier, day):
        return None
    return best, float(km[best])


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
    caps = _captures(series)
    if i is None or not len(caps.days):
        return None
    (px, py), = project([lon], [lat])
    goals = caps.points[caps.targets]
    near = np.hypot(goals[:, 0] - px, goals[:, 1] - py) <= (ADVANCE_KM + ROAD_KM) * 1000
    holders = series.holders_at(i)
    for n in np.flatnonzero(near).tolist():     # latest first
        if caps.days[n] > day:
            continue
        held = holders[int(caps.targets[n])]
        if not held or series.forces.hostile(held, caps.forces[n]):
            continue
        advance = _advance(series, caps, n)
        if advance is not None and _off_road_km(caps, advance, px, py) <= ROAD_KM:
            return advance
    return None


def _off_road_km(caps: _Captures, advance: Advance, px: float, py: float) -> float:
    """How far a projected point lies from the road of ``advance`` (km; infinite
    beside the road's ends)."""
    (ax, ay), (bx, by) = caps.points[advance.base], caps.points[advance.target]
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    if length2 == 0:
        return float("inf")
    share = ((px - ax) * dx + (py - ay) * dy) / length2
    if not END_SHARE < share < 1 - END_SHARE:
        return float("inf")
    return float(np.hypot(px - ax - share * dx, py - ay - share * dy)) / 1000
