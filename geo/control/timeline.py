"""Who controls each place on a given day, derived from capture and siege events.

Pure functions over ``Event`` lists: no store, no files, so the same rules serve the
command line, the dashboard and the tests.

Rules (``docs/control.md`` says the same for analysts; keep both in step):

1. **Which events count.** Captures (``sub_event_type`` in
   ``model.CAPTURE_SUB_EVENT_TYPES``) and sieges. A siege is an "Armed clash" whose notes
   mention "besieg" or "encircl", or a curated row with status besieged. Events with
   review status "rejected" never count; machine, confirmed and corrected ones do.
   Events whose interval starts after the day (``date_min > day``) are ignored.
2. **Skipped events are reported, never fatal.** A capture without ``control_to``, a
   siege without any force, or an event with neither a place id nor coordinates is
   skipped and described in the returned problems list (event id and what is missing).
3. **Place key.** ``place_id`` when present, else the coordinates rounded to 0.01°
   (~1 km), written "lat,lon". Curated rows have no place id, so they key by coordinates.
4. **A capture takes effect at the end of its interval** (``date_max``). Why: a report
   "taken in May 2015" is only *certain* on 31 May; showing the new holder from 1 May
   would claim knowledge we lack. While the interval runs (``date_min <= day <
   date_max``) the place is **contested** between the old holder (the current holder,
   else the capture's ``actor2_force``) and the taker.
5. **A later capture overrides an earlier one.** Effective events are replayed in order
   of ``date_max`` (then ``date_min``, then id).
6. **Conflicting reports.** When two captures by different forces have overlapping
   intervals (neither ends before the other starts), neither is later: the place is
   **contested**, listing both forces and keeping both events, until a capture that is
   clearly later. When both are durable (curated, confirmed or corrected) the data
   contradicts itself, e.g. two analysts' corrections: the problems list names both
   events so someone fixes one (machine reports conflict too often to list).
7. **Partial capture** (``[partial]`` in notes, curated status partial, or a capture
   located only near the place, geo_precision 2): **contested**
   between the holder (else ``actor2_force``) and the taker; the holder is not replaced.
8. **Siege**: status **besieged**; the holder is unchanged (when no holder is known, the
   siege's ``actor2_force`` is taken as the besieged holder). A later capture ends it.
9. **Stale claims.** When the newest evidence for a place is older than
   ``stale_after_days`` (default 730), status is **unknown** and force is "". Silence is
   not evidence of continued control, except for curated rows and analyst-confirmed or
   corrected events: the curated timeline records every documented change, so its last
   row stands until a newer claim replaces it.

``PlaceControl.since`` is the day the current state began: the holder's capture
(``date_max``) for held and besieged places, the day of the evidence that made it
contested, or the day a stale claim expired for unknown.
"""
from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from geo.core.codebook import CAPTURE_SUB_EVENT_TYPES
from geo.core.records import Event, ReviewStatus

STALE_AFTER_DAYS = 730
STATUSES = ("held", "contested", "besieged", "unknown")
_SIEGE_WORDS = ("besieg", "encircl")


@dataclass(frozen=True)
class PlaceControl:
    """The control of one place on one day.

    ``force`` is the holder ("" when contested or unknown); ``forces`` lists every force
    in play, holder first (both claimants when contested, holder and besieger when
    besieged); ``event_ids`` are the events that support this state.
    """

    name: str
    lat: float
    lon: float
    country: str
    force: str
    since: date
    status: str
    event_ids: tuple[str, ...] = ()
    forces: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Claim:
    """One usable event reduced to what the rules need."""

    kind: str            # "capture", "partial" or "siege"
    start: date
    end: date
    to: str              # taker / besieger
    old: str             # actor2_force: the holder before, or the besieged
    event_id: str
    durable: bool = False  # curated or analyst-confirmed: never goes stale


@dataclass
class _State:
    """Replay state of one place; mutated while walking its claims in order."""

    holder: str = ""
    holder_since: date | None = None
    holder_ids: list[str] = field(default_factory=list)
    status: str = "unknown"
    forces: list[str] = field(default_factory=list)
    since: date | None = None
    ids: list[str] = field(default_factory=list)
    last_full: list[_Claim] = field(default_factory=list)
    conflicts: list[tuple[_Claim, _Claim]] = field(default_factory=list)


def place_key(event: Event) -> str | None:
    """``place_id``, else rounded "lat,lon"; None when the event has neither."""
    if event.place_id:
        return event.place_id
    if _has_coordinates(event):
        return f"{round(float(event.latitude), 2):.2f},{round(float(event.longitude), 2):.2f}"
    return None


def _has_coordinates(event: Event) -> bool:
    return (event.latitude is not None and event.longitude is not None
            and not math.isnan(float(event.latitude)) and not math.isnan(float(event.longitude)))


def is_siege(event: Event) -> bool:
    """An encirclement report: curated status besieged or an Armed clash saying so."""
    notes = (event.notes or "").lower()
    if event.origin == "curated" and "status: besieged" in notes:
        return True
    return event.sub_event_type == "Armed clash" and any(w in notes for w in _SIEGE_WORDS)


def is_partial(event: Event) -> bool:
    """A capture of part of a place: "[partial]" in notes, curated status partial, or a
    capture located only *near* the place (geo_precision 2: "villages east of the city"),
    which does not hand the town itself over."""
    notes = event.notes or ""
    return "[partial]" in notes.lower() or (event.origin == "curated"
                                           and "status: partial" in notes) \
        or (event.origin != "curated" and int(event.geo_precision or 1) == 2)


def _claim(event: Event) -> tuple[_Claim | None, str | None]:
    """The claim an event makes, or (None, problem) / (None, None) when it makes none."""
    if event.review_status == ReviewStatus.REJECTED.value:
        return None, None
    siege = is_siege(event)
    if not siege and event.sub_event_type not in CAPTURE_SUB_EVENT_TYPES:
        return None, None
    start = event.date_min or event.event_date
    end = event.date_max or event.event_date or start
    missing = []
    if place_key(event) is None:
        missing.append("a place (no place_id and no coordinates)")
    elif not _has_coordinates(event):
        missing.append("coordinates")
    if siege and not (event.actor1_force or event.actor2_force):
        missing.append("a force (actor1_force and actor2_force are empty)")
    if not siege and not event.control_to:
        missing.append("the force taking control (control_to is empty)")
    if start is None or end is None:
        missing.append("a date")
    if missing:
        what = "siege" if siege else "capture"
        return None, (f"event {event.event_id} ({what} at {event.location or '?'}) skipped: "
                      f"missing {' and '.join(missing)}")
    kind = "siege" if siege else ("partial" if is_partial(event) else "capture")
    to = event.actor1_force if siege else event.control_to
    durable = event.origin == "curated" or event.review_status in ("confirmed", "corrected")
    return _Claim(kind, start, max(start, end), to, event.actor2_force, event.event_id,
                  durable), None


def _apply(state: _State, claim: _Claim) -> None:
    """Replay one effective claim (its end is on or before the day)."""
    if claim.kind == "capture":
        rivals = [c for c in state.last_full if c.to != claim.to and c.end >= claim.start]
        same = [c for c in state.last_full if c.to == claim.to and c.end >= claim.start]
        state.last_full = [c for c in state.last_full if c.end >= claim.start] + [claim]
        if rivals:   # overlapping reports by different forces: neither is later
            if claim.durable:   # analyst-checked on both sides: a contradiction to fix
                state.conflicts.extend((r, claim) for r in rivals if r.durable)
            state.holder, state.holder_since, state.holder_ids = "", None, []
            state.status, state.since = "contested", claim.end
            state.forces = _unique([c.to for c in rivals] + [claim.to])
            state.ids = _unique([c.event_id for c in rivals + same] + [claim.event_id])
            return
        state.holder, state.holder_since = claim.to, claim.end
        state.holder_ids = _unique([c.event_id for c in same] + [claim.event_id])
        state.status, state.since = "held", claim.end
        state.forces, state.ids = [claim.to], list(state.holder_ids)
    elif claim.kind == "partial":
        old = state.holder or claim.old
        state.status, state.since = "contested", claim.end
        state.forces = _unique([f for f in (old, claim.to) if f])
        state.ids = _unique(state.holder_ids + [claim.event_id])
    else:  # siege
        if not state.holder and claim.old:
            state.holder, state.holder_since, state.holder_ids = claim.old, claim.end, []
        state.status = "besieged"
        state.since = state.holder_since or claim.end
        state.forces = _unique([f for f in (state.holder, claim.to) if f])
        state.ids = _unique(state.holder_ids + [claim.event_id])


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(i for i in items if i))


def _resolve(claims: list[_Claim], day: date, stale_after_days: int) -> _State | None:
    """The state of one place on ``day`` from its claims (None when nothing applies)."""
    effective = sorted((c for c in claims if c.end <= day),
                       key=lambda c: (c.end, c.start, c.event_id))
    pending = [c for c in claims if c.start <= day < c.end and c.kind != "siege"]
    if not effective and not pending:
        return None
    state = _State()
    for claim in effective:
        _apply(state, claim)
    newest = max([c.end for c in effective] + [c.start for c in pending])
    for claim in sorted(pending, key=lambda c: (c.start, c.event_id)):
        old = state.holder or claim.old
        if claim.to == old and state.status == "held":
            continue
        state.status, state.since = "contested", claim.start
        state.forces = _unique(state.forces + [old, claim.to])
        state.ids = _unique(state.ids + [claim.event_id])
    latest = max(effective + pending, key=lambda c: (c.end, c.start))
    if (day - newest).days > stale_after_days and not latest.durable:
        state.status, state.since = "unknown", newest + timedelta(days=stale_after_days + 1)
        state.forces = []
    if state.status not in ("held", "besieged"):
        state.holder = ""   # contested and unknown places have no holder
    return state


def _conflict_problem(place: str, a: _Claim, b: _Claim) -> str:
    """Why a place is contested although every claim on it was checked by an analyst."""
    def one(c: _Claim) -> str:
        span = c.start.isoformat() if c.start == c.end else f"{c.start} to {c.end}"
        return f"event {c.event_id} ({c.to}, {span})"
    return (f"conflicting analyst-checked captures of {place}: {one(a)} and {one(b)} "
            "overlap in time; the place is shown as contested until a clearly later capture "
            "(correct or reject one of them)")


def control_on(events: Iterable[Event], day: date, *,
               stale_after_days: int = STALE_AFTER_DAYS
               ) -> tuple[dict[str, PlaceControl], list[str]]:
    """Control of every place with evidence on ``day``: ``({place_key: PlaceControl},
    problems)``. Problems name each skipped event and what it lacked (see module rules)."""
    claims: dict[str, list[_Claim]] = {}
    info: dict[str, Event] = {}
    problems: list[str] = []
    for event in events:
        claim, problem = _claim(event)
        if problem:
            problems.append(problem)
        if claim is None or claim.start > day:
            continue
        key = place_key(event)
        if key is None:      # cannot happen: _claim reports events without a place
            continue
        claims.setdefault(key, []).append(claim)
        # Name and position from a curated row when there is one (hand-checked), else
        # from the first report seen.
        best = info.get(key)
        if best is None or (event.origin == "curated") > (best.origin == "curated"):
            info[key] = event
    result: dict[str, PlaceControl] = {}
    for key, place_claims in claims.items():
        state = _resolve(place_claims, day, stale_after_days)
        if state is None or state.since is None:
            continue
        ev = info[key]
        problems.extend(_conflict_problem(ev.location or key, a, b) for a, b in state.conflicts)
        result[key] = PlaceControl(
            name=ev.location or key, lat=float(ev.latitude), lon=float(ev.longitude),
            country=ev.country, force=state.holder, since=state.since, status=state.status,
            event_ids=tuple(state.ids), forces=tuple(state.forces))
    return result, problems
