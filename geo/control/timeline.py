"""Who holds each place, day by day: the control rules, as pure functions over events.

No store, no files: the command line, the dashboard and the tests share these rules.
``docs/control.md`` states them for analysts (keep both in step); each is pinned by a
test in ``tests/test_control_rules.py``.

1. **Places first.** Reports are grouped into places (``geo.control.places``: same
   gazetteer id, or same name within 5 km), so a town has one status per day.
2. **Claims and weights** (``geo.control.claims``): a capture, a partial capture or
   fighting inside the town, or a siege, each with a tier: analyst-confirmed (4) >
   curated (3) > corroborated (2: several independent sources, or an imported record) >
   single machine report (1) > a holding stated in passing (0, rule 9). Rejected events and captures located only *near* the town
   make no claim. Unusable claims (no force, unknown force, date or point outside the
   theatre) are skipped with a message naming the event.
3. **A claim takes effect at the end of its date interval** ("taken in May 2015" counts
   from 31 May): before that nothing changes, the claim is only listed in the history.
4. **Later over earlier, better over worse.** Claims are replayed by the end of their
   interval. A capture by another force than the holder *replaces* the holder when its
   tier is at least the holder's (the tier of the best claim behind the holder), or when
   it is corroborated or better and clearly later (more than ``SAME_MOMENT_DAYS`` after
   the holder's latest support). Otherwise it *disputes* the place: the holder stays,
   the place is marked disputed (popup, review queue) for ``DISPUTE_DAYS`` or until a
   corroborated or better claim settles it. A lone machine claim therefore never repaints
   a town a curated or analyst source holds, nor one several sources reported taken in
   the last ``DISPUTE_DAYS``; later than that, against machine or imported evidence only,
   it is news of a change and replaces the holder. A loosely dated capture told in
   retrospect ("seized it in 2015") whose interval holds the holder's own, more precise
   capture past its middle is not known to be later and changes nothing
   (``_told_before``).
5. **Contested** only when a source says fighting is inside the town: a partial capture
   (curated status partial, notes tag ``[partial]`` or ``[inside]``) weighed as in rule 4.
   It ends with a capture; a contest resting on machine or imported claims only ends
   ``CONTEST_DAYS`` after its last report with no capture: the holder before it held on.
6. **Siege:** besieged; the holder is unchanged (when no holder is known, the siege's
   ``actor2_force`` is the besieged holder). A capture by the holder lifts it, a capture
   by another force ends it. Weighed as in rule 4. A siege its report says still goes on
   (notes tag ``[ongoing to D]``) claims again on D (``claims.continuing``): besieged
   from its start to D at least, its ``since`` unchanged.
7. **The holder before the first capture.** A place's first claim names the force it
   was taken from (``actor2_force``): that force is taken to have held the place before,
   from the start of the record (``RECORD_START``) for curated and analyst claims; for
   machine claims, since the force is first known to hold places in the record
   (``first_holdings``: the day it is first reported holding a second place, as a
   capture's taker or as the force a capture took a place from), or for
   ``PRIOR_DAYS`` before, whichever is longer (a machine siege: from the siege on
   only). Shown as "held (inferred)". When the
   first claim is dated loosely (more than ``OPEN_CHANGE_DAYS`` between its earliest
   and latest day: "fell a year ago"), the inferred holder ends at its earliest day and
   the place is unknown until the claim takes effect.
8. **Stale claims.** When the newest claim on a place is older than ``stale_after_days``
   (730) and the holder rests on machine or imported claims only, the place becomes
   unknown (``Snapshot.last_force`` and ``last_reported`` keep the holder last reported
   and the day the evidence last spoke for it: ``geo control --place`` answers it,
   labelled stale, and the map draws it faded but shades no land from it): silence is
   not evidence. Curated and analyst claims do not go stale. A later
   claim that took the place from the holder is evidence too: the holder held it until
   that claim's earliest day ("ISF retook Mosul from IS in July 2017": IS held Mosul
   until then, however old the report of its fall).
9. **Holdings stated in passing** ("fleeing IS-held Hit": ``geo.extract.holdings``,
   ``claims.stated_event``) are held reports of the lowest tier: a report outweighs them
   within ``DISPUTE_DAYS`` whatever the order, they mark nothing disputed, and later than
   that they are news of a change (rule 4); dated by a range, they count from its end
   (rule 3).
10. **Presumptions** (tier -1, ``geo.control.seats``): a government holds its seat from
    the start of the record unless a report says otherwise. Every report, a holding
    stated in passing too, outweighs a presumption (rule 4), and while the presumed force
    holds the place, silence does not age it (rule 8): a presumption is not a report that
    can grow old. It is not a holding of rule 7 either (``first_holdings`` reads reports
    only).

``PlaceControl.since`` is the day the current state began (capture, start of the siege or
of fighting inside, expiry of a stale claim); ``holder_since`` the day the holder took it.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from geo.control.claims import (
    CORROBORATED,
    CURATED,
    PRESUMED,
    STATED,
    Claim,
    claims_from_events,
    corroborate,
)
from geo.control.places import PlaceRef, group_places
from geo.core.forces import ForceTable, default_forces
from geo.core.records import Event

STALE_AFTER_DAYS = 730
#: Claims whose ends are this close describe the same moment (a report a few days late).
SAME_MOMENT_DAYS = 7
#: How long a lone contradicting claim keeps a place marked disputed.
DISPUTE_DAYS = 90
#: How long a contest (fighting inside) resting on machine claims only lasts with no
#: capture after it: then the holder before it is taken to have held on (rule 5).
CONTEST_DAYS = 90
#: How far back a machine claim's "taken from" force is assumed to have held the place.
PRIOR_DAYS = 365
#: Where the record starts: the holder named by a checked first capture held it since.
RECORD_START = date(2011, 1, 1)
#: A first claim dated more loosely than this (days between its earliest and latest
#: day): the inferred holder before it ends at its earliest day, not at its latest.
OPEN_CHANGE_DAYS = 31
STATUSES = ("held", "contested", "besieged", "unknown")


@dataclass(frozen=True)
class PlaceControl:
    """The control of one place on one day.

    ``force`` is the holder ("" when contested or unknown); ``forces`` every force in play,
    holder first; ``event_ids`` the claims behind this state; ``disputed`` the ids of
    weaker claims that contradict it (the holder stands, an analyst should look);
    ``tier`` the weight of the best claim behind the holder; ``inferred`` that the holder
    is only known as the force a later capture took the place from.
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
    key: str = ""
    disputed: tuple[str, ...] = ()
    tier: int = -1
    inferred: bool = False
    holder_since: date | None = None
    #: Rule 8, a stale place (status unknown): the holder last reported and the last
    #: day the evidence spoke for it ("" and None otherwise).
    last_force: str = ""
    last_reported: date | None = None
    #: The earliest day of the capture that made the holder, when its report gives an
    #: interval ("retook it in December": 1 December; ``holder_since`` is 31 December,
    #: rule 3); None when the holder is inferred.
    holder_from: date | None = None


@dataclass(frozen=True)
class Snapshot:
    """The state of one place from one day on (a place's timeline is a list of them)."""

    status: str
    force: str
    forces: tuple[str, ...]
    since: date
    event_ids: tuple[str, ...]
    disputed: tuple[str, ...] = ()
    tier: int = -1
    inferred: bool = False
    holder_since: date | None = None
    #: Rule 8: when the place has gone stale (status unknown), the holder last reported
    #: and the last day the evidence spoke for it (``forces`` then lists the holder and
    #: its besiegers when it was last reported besieged, else nothing).
    last_force: str = ""
    last_reported: date | None = None
    holder_from: date | None = None


@dataclass
class _Replay:
    """Mutable replay state of one place."""

    holder: str = ""
    holder_since: date | None = None
    holder_from: date | None = None
    holder_end: date | None = None
    standing: int = -1
    ids: list[str] = field(default_factory=list)
    status: str = ""
    forces: list[str] = field(default_factory=list)
    since: date | None = None
    inferred: bool = False
    disputes: list[Claim] = field(default_factory=list)
    last_evidence: date | None = None
    conflicts: list[tuple[Claim, Claim]] = field(default_factory=list)
    supporting: list[Claim] = field(default_factory=list)
    stale_after_days: int = STALE_AFTER_DAYS
    #: The holder is known to hold the place until this day: a later claim took it from
    #: the holder (rules 7 and 8: "B took X from A" says A held X until then).
    confirmed: date | None = None
    #: Tier of the claim that made the place contested (rule 5: a machine-only contest
    #: expires).
    contest_tier: int = -1
    #: The force presumed to hold the place (rule 10), "" when none is, and the
    #: presumption's event id.
    presumed: str = ""
    presumed_id: str = ""


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(i for i in items if i))


def _wins(claim: Claim, state: _Replay) -> bool:
    """Rule 4: does ``claim`` outweigh the claims behind the current holder?"""
    if not state.holder or claim.tier >= state.standing:
        return True
    if state.last_evidence is not None and state.standing < CURATED and \
            (claim.end - state.last_evidence).days > state.stale_after_days:
        return True     # the holder's claim has gone stale (rule 8)
    clearly_later = state.holder_end is None or \
        (claim.end - state.holder_end).days > SAME_MOMENT_DAYS
    if claim.tier >= CORROBORATED and clearly_later:
        return True
    # Against a holder resting on machine or imported claims only, a report more than
    # DISPUTE_DAYS after the holder's latest support is news of a change, not a
    # contradiction of the same moment: later over earlier.
    return state.standing < CURATED and state.holder_end is not None and \
        (claim.end - state.holder_end).days > DISPUTE_DAYS


def _told_before(claim: Claim, state: _Replay) -> bool:
    """Rule 4: a capture dated loosely ("IS seized Ramadi in 2015", told in passing a year
    later) whose interval holds the holder's own, more precisely dated capture past its
    midpoint ("ISF retook Ramadi on 28 December 2015") is not known to be the later one:
    replayed at the end of its interval (rule 3) it would undo the later report. The
    holder stays; nothing is disputed (the loose report most likely tells an earlier
    change). A holder's capture before the midpoint leaves the loose report the likelier
    later one, as before; a checked (curated, analyst) loose report is not held back;
    corroboration does not lift a loose report over this (two articles telling "in 2015"
    do not date it better)."""
    span = (claim.end - claim.start).days
    if span <= SAME_MOMENT_DAYS or claim.kind != "capture" or claim.durable:
        return False
    middle = claim.start + timedelta(days=span / 2)
    return any(c.kind == "capture" and c.to == state.holder and
               (c.end - c.start).days < span and middle < c.end <= claim.end
               for c in state.supporting)


def _overlap(a: Claim, b: Claim) -> bool:
    """Neither claim is later: their date intervals overlap."""
    return a.start <= b.end and b.start <= a.end


def _settle(state: _Replay, claim: Claim) -> None:
    """A corroborated or better claim settles older disputes."""
    if claim.tier >= CORROBORATED:
        state.disputes = [d for d in state.disputes if d.end > claim.end]


def _apply(state: _Replay, claim: Claim) -> None:
    """Replay one claim (its interval has ended); it is then the newest evidence."""
    _apply_claim(state, claim)
    state.last_evidence = max(state.last_evidence or claim.end, claim.end)


def _apply_claim(state: _Replay, claim: Claim) -> None:
    if claim.presumed:
        state.presumed, state.presumed_id = claim.to, claim.event_id
    if claim.kind == "held" and not state.holder:
        # Rule 7 for a held report: the force held it before, since an unknown day; a
        # presumption (rule 10) from its own day, the start of the record.
        start = RECORD_START if claim.durable else claim.end if claim.presumed \
            else claim.end - timedelta(days=PRIOR_DAYS)
        state.holder, state.holder_since, state.holder_end = claim.to, start, claim.end
        state.holder_from = None
        state.standing, state.inferred = claim.tier, True
        state.ids, state.supporting = [claim.event_id], [claim]
        state.status, state.since, state.forces = "held", start, [claim.to]
        return
    if claim.kind in ("capture", "held"):
        if claim.to == state.holder:
            if state.standing == PRESUMED and not claim.presumed:
                # Rule 10: a report now stands behind the holder, not the presumption.
                state.ids, state.supporting = [], []
            state.standing = max(state.standing, claim.tier)
            state.holder_end = claim.end
            state.ids = _unique(state.ids + [claim.event_id])
            state.supporting.append(claim)
            if state.status != "held":
                state.status, state.since, state.forces = "held", claim.end, [claim.to]
            _settle(state, claim)
            return
        if _told_before(claim, state):
            return
        if not _wins(claim, state):
            if claim.tier > STATED:
                # rule 9: a holding stated in passing never disputes a report
                state.disputes.append(claim)
            return
        same_moment = [c for c in state.supporting
                       if abs((claim.end - c.end).days) <= SAME_MOMENT_DAYS]
        for rival in same_moment:
            if rival.durable and claim.durable and _overlap(rival, claim):
                state.conflicts.append((rival, claim))
        _settle(state, claim)
        state.disputes = [c for c in same_moment if c.tier <= claim.tier and c.tier < CURATED] + \
            [d for d in state.disputes if d.to != claim.to]
        state.holder, state.holder_since, state.holder_end = claim.to, claim.end, claim.end
        state.holder_from = claim.start if claim.kind == "capture" else None
        # A held report naming another force: the change happened on an unknown day.
        state.standing, state.inferred = claim.tier, claim.kind == "held"
        state.ids, state.supporting = [claim.event_id], [claim]
        state.status, state.since, state.forces = "held", claim.end, [claim.to]
        return
    if claim.kind in ("siege", "partial") and claim.old and (
            not state.holder or (state.standing == PRESUMED and claim.old != state.holder
                                 and claim.tier > PRESUMED)):
        # The report names the force besieged (or fought inside): the holder when none
        # is known, and over a presumption, which weighs below every report (rule 10).
        state.holder, state.holder_since, state.holder_end = claim.old, claim.end, claim.end
        state.holder_from = None
        state.standing, state.inferred = claim.tier, True
        state.ids, state.supporting, state.status = [], [], ""
    if claim.to == state.holder or (state.holder and not _wins(claim, state)):
        if claim.to != state.holder:
            state.disputes.append(claim)
        return
    _settle(state, claim)
    if claim.kind == "siege" and state.status == "besieged" and claim.to in state.forces:
        state.ids = _unique(state.ids + [claim.event_id])   # the same siege, still going on
        return
    old = state.holder or claim.old
    state.status = "besieged" if claim.kind == "siege" else "contested"
    state.contest_tier = claim.tier
    state.since = claim.end
    state.forces = _unique([old, claim.to])
    state.ids = _unique(state.ids + [claim.event_id])


def first_holdings(places: Iterable[Iterable[Claim]]) -> dict[str, date]:
    """The day each force is first known to hold places, from the claims of each place:
    the earliest end of a capture (or held report) naming it as the holder, or the
    earliest start of a capture naming it as the force the place was taken from (it held
    the place until the capture, which had not happened on its interval's first day), at
    a second place (or at a first one, when a person checked that claim).

    Why: a machine report "A took X from B" says B held X before, not since when. B cannot
    be shown to have held X before B is known to hold anything, but a force that held
    towns since some day most likely held this one too (the Islamic State's towns of 2016
    were mostly taken in 2014): rule 7 reaches back to that day rather than a fixed year.
    A second place is asked for so that one misdated report cannot reach back alone.
    """
    firsts: dict[str, list[tuple[date, bool]]] = {}
    for claims in places:
        earliest: dict[str, tuple[date, bool]] = {}
        for claim in claims:
            if claim.presumed:
                continue            # rule 9: a presumption is not a report of holding
            held = [(claim.to, claim.end)] if claim.kind in ("capture", "held") else []
            if claim.kind == "capture" and claim.old:
                held.append((claim.old, claim.start))
            for force, day in held:
                if not force:
                    continue
                seen = earliest.get(force)
                if seen is None or (day, not claim.durable) < (seen[0], not seen[1]):
                    earliest[force] = (day, claim.durable)
        for force, first in earliest.items():
            firsts.setdefault(force, []).append(first)
    holdings: dict[str, date] = {}
    for force, days in firsts.items():
        days.sort()
        checked = [d for d, durable in days if durable]
        candidates = ([days[1][0]] if len(days) > 1 else []) + checked[:1]
        if candidates:
            holdings[force] = min(candidates)
    return holdings


def _prior(first: Claim, holdings: dict[str, date] | None = None
           ) -> tuple[date, Snapshot] | None:
    """Rule 7: the force the first claim took the place from held it before (for a held
    report: the force it names); since ``RECORD_START`` on a checked claim, else since
    the force's first holding in the record (``holdings``) or ``PRIOR_DAYS`` before,
    whichever is earlier."""
    holder = first.to if first.kind == "held" else first.old
    if not holder or first.presumed or (first.kind == "siege" and not first.durable):
        # A machine siege names the force besieged from the siege on: it says nothing
        # of who held the town the year before (the besieger may have taken the land
        # around it then).
        return None
    start = RECORD_START if first.durable else first.start - timedelta(days=PRIOR_DAYS)
    known = (holdings or {}).get(holder)
    if known is not None and not first.durable:
        start = min(start, known)
    start = min(start, first.start - timedelta(days=1))
    return start, Snapshot("held", holder, (holder,), start, (first.event_id,),
                           (), first.tier, True, start)


def _ages(state: _Replay) -> bool:
    """Rule 8 applies: the holder rests on machine or imported claims only, and not on a
    presumption of its own force (rule 10: silence does not age a presumption)."""
    return state.standing < CURATED and not (
        state.presumed and state.holder == state.presumed and state.status == "held")


def _evidence(state: _Replay) -> date:
    """The last day the evidence speaks for the state: its newest claim, or the start of
    a later claim that took the place from the holder (rule 8)."""
    assert state.last_evidence is not None
    return max(state.last_evidence, state.confirmed or state.last_evidence)


def _contest_ends(state: _Replay) -> date | None:
    """Rule 5: the day a contest resting on machine or imported claims only expires (no
    capture followed: the holder before it is taken to have held on)."""
    if state.status != "contested" or state.contest_tier >= CURATED or \
            not state.forces or not state.forces[0] or state.since is None:
        return None
    return state.since + timedelta(days=CONTEST_DAYS + 1)


def _snapshot(state: _Replay, day: date, stale_after_days: int) -> Snapshot | None:
    """The state on ``day`` (disputes, staleness and machine contests depend on it)."""
    if not state.status:
        return None
    disputes = tuple(_unique(d.event_id for d in state.disputes
                             if (day - d.end).days <= DISPUTE_DAYS))
    assert state.since is not None and state.last_evidence is not None
    evidence = _evidence(state)
    if _ages(state) and (day - evidence).days > stale_after_days:
        lapsed = evidence + timedelta(days=stale_after_days + 1)
        if state.presumed and state.holder == state.presumed:
            # Rules 8 and 10: the siege (or fighting inside) reported at a presumed place
            # has gone stale, the presumption has not: its force holds the place again.
            return Snapshot("held", state.holder, (state.holder,), lapsed,
                            (state.presumed_id,), disputes, PRESUMED, True,
                            state.holder_since)
        last = state.holder if state.status in ("held", "besieged") else ""
        # A besieged place keeps its forces (holder first): "last reported held by A,
        # besieged by B".
        return Snapshot("unknown", "", tuple(state.forces) if last and state.status ==
                        "besieged" else (), lapsed, tuple(state.ids), disputes,
                        state.standing, last_force=last,
                        last_reported=evidence if last else None)
    ends = _contest_ends(state)
    if ends is not None and day >= ends:
        kept = state.forces[0]
        return Snapshot("held", kept, (kept,), ends, tuple(state.ids), disputes,
                        state.standing, state.inferred or not state.holder,
                        state.holder_since or ends)
    holder = state.holder if state.status in ("held", "besieged") else ""
    return Snapshot(state.status, holder, tuple(state.forces) if state.forces else
                    ((holder,) if holder else ()), state.since, tuple(state.ids), disputes,
                    state.standing, state.inferred, state.holder_since,
                    holder_from=state.holder_from if holder else None)


def _transitions(state: _Replay, after: date, stale_after_days: int) -> list[date]:
    """Days after ``after`` on which the state changes with no new claim (a dispute
    expires, the place goes stale)."""
    days = {d.end + timedelta(days=DISPUTE_DAYS + 1) for d in state.disputes}
    if _ages(state) and state.last_evidence is not None:
        days.add(_evidence(state) + timedelta(days=stale_after_days + 1))
    ends = _contest_ends(state)
    if ends is not None:
        days.add(ends)
    return sorted(d for d in days if d > after)


def place_timeline(claims: list[Claim], *, stale_after_days: int = STALE_AFTER_DAYS,
                   holdings: dict[str, date] | None = None
                   ) -> tuple[list[tuple[date, Snapshot | None]], list[tuple[Claim, Claim]]]:
    """The states of one place from each day they change: ``[(day, snapshot)]`` in day
    order (a snapshot holds until the next day listed), and the conflicts between checked
    claims (for the problems list). ``holdings``: ``first_holdings`` of the whole record
    (rule 7); without it a machine claim's loser is assumed for ``PRIOR_DAYS`` only."""
    ordered = sorted(claims, key=lambda c: (c.end, c.tier, c.start, c.event_id))
    presumptions = [c for c in ordered if c.presumed]
    ordered = [c for c in ordered if not c.presumed]
    segments: list[tuple[date, Snapshot | None]] = []
    state = _Replay(stale_after_days=stale_after_days)
    for claim in presumptions:      # rule 10: the state before any report
        _apply(state, claim)
    first = min(ordered, key=lambda c: (c.end, c.start, c.event_id)) if ordered else None
    prior = _prior(first, holdings) if first is not None else None
    if presumptions and (prior is None or prior[0] > presumptions[0].end):
        # The reports' own account of the time before them (rule 7) comes first.
        day = presumptions[0].end
        segments.append((day, _snapshot(state, day, stale_after_days)))
    if prior is not None and first is not None:
        segments.append(prior)
        if (first.end - first.start).days > OPEN_CHANGE_DAYS:
            # Rule 7: it changed hands at some point of a long interval ("fell a year
            # ago"): from its start on, who held it is not known until the claim's end.
            segments.append((first.start, None))
    ends = sorted({c.end for c in ordered})
    by_end: dict[date, list[Claim]] = {}
    for claim in ordered:
        by_end.setdefault(claim.end, []).append(claim)
    for i, day in enumerate(ends):
        for claim in by_end[day]:
            _apply(state, claim)
        horizon = ends[i + 1] if i + 1 < len(ends) else date.max
        if state.holder and state.status in ("held", "besieged") and horizon < date.max:
            # Rule 8: the next claim took the place from the holder: it held it until then.
            taken = [c.start for c in by_end[horizon] if c.old == state.holder]
            if taken:
                state.confirmed = max([state.confirmed or min(taken)] + taken)
        _emit(segments, day, _snapshot(state, day, stale_after_days))
        for when in _transitions(state, day, stale_after_days):
            if when >= horizon:
                break
            _emit(segments, when, _snapshot(state, when, stale_after_days))
    return segments, state.conflicts


def _emit(segments: list[tuple[date, Snapshot | None]], day: date,
          snap: Snapshot | None) -> None:
    if segments and segments[-1][1] == snap:
        return
    if segments and segments[-1][0] == day:
        segments[-1] = (day, snap)
    else:
        segments.append((day, snap))


@dataclass(frozen=True)
class PlaceHistory:
    """A merged place, its claims and its timeline of states."""

    ref: PlaceRef
    claims: tuple[Claim, ...]
    segments: tuple[tuple[date, Snapshot | None], ...]

    def on(self, day: date) -> Snapshot | None:
        """The state on ``day`` (None before anything is known)."""
        found: Snapshot | None = None
        for start, snap in self.segments:
            if start > day:
                break
            found = snap
        return found

    def control_on(self, day: date) -> PlaceControl | None:
        snap = self.on(day)
        return None if snap is None else to_place_control(self.ref, snap)


def to_place_control(ref: PlaceRef, snap: Snapshot) -> PlaceControl:
    return PlaceControl(ref.name, ref.lat, ref.lon, ref.country, snap.force, snap.since,
                        snap.status, snap.event_ids, snap.forces, ref.key, snap.disputed,
                        snap.tier, snap.inferred, snap.holder_since, snap.last_force,
                        snap.last_reported, snap.holder_from)


def _conflict_problem(place: str, a: Claim, b: Claim) -> str:
    """Why two checked claims need a person: they contradict each other at one moment."""
    def one(c: Claim) -> str:
        span = c.start.isoformat() if c.start == c.end else f"{c.start} to {c.end}"
        return f"event {c.event_id} ({c.to}, {span})"
    return (f"conflicting analyst-checked captures of {place}: {one(a)} and {one(b)} "
            "overlap in time; the better-weighted (else the later) one is shown "
            "(correct or reject the other)")


def build_histories(events: Iterable[Event], *, stale_after_days: int = STALE_AFTER_DAYS,
                    forces: ForceTable | None = None
                    ) -> tuple[dict[str, PlaceHistory], list[str]]:
    """Every place with a usable claim, merged (rules 1-2), with its claims (corroborated)
    and its timeline; and the problems (skipped events, conflicting checked claims)."""
    events = list(events)
    pairs, problems = claims_from_events(events, forces or default_forces())
    refs = group_places(e for e, _ in pairs)
    by_place: dict[str, tuple[PlaceRef, list[Claim]]] = {}
    for event, claim in pairs:
        ref = refs.get(event.event_id)
        if ref is None:
            continue
        by_place.setdefault(ref.key, (ref, []))[1].append(claim)
    holdings = first_holdings(claims for _ref, claims in by_place.values())
    histories: dict[str, PlaceHistory] = {}
    for key, (ref, claims) in by_place.items():
        claims = corroborate(claims)
        segments, conflicts = place_timeline(claims, stale_after_days=stale_after_days,
                                             holdings=holdings)
        problems.extend(_conflict_problem(ref.name, a, b) for a, b in conflicts)
        histories[key] = PlaceHistory(ref, tuple(claims), tuple(segments))
    return histories, problems


def control_on(events: Iterable[Event], day: date, *,
               stale_after_days: int = STALE_AFTER_DAYS
               ) -> tuple[dict[str, PlaceControl], list[str]]:
    """Control of every place with evidence on ``day``: ``({place_key: PlaceControl},
    problems)``. The whole record is read (rule 7 looks ahead: a later capture says who
    held the place before); claims take effect only from the end of their interval."""
    histories, problems = build_histories(events, stale_after_days=stale_after_days)
    result: dict[str, PlaceControl] = {}
    for key, history in histories.items():
        place = history.control_on(day)
        if place is not None:
            result[key] = place
    return result, problems
