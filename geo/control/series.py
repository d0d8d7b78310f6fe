"""Control over time, worked out once: the states at every change point.

Control changes only on the days a claim takes effect (or a dispute or a stale claim
expires). ``ControlSeries`` finds those days once per body of evidence, keeps the state
of every place at each of them, and draws territory from catchments computed once per
set of places (``geo.control.territory``). A slider step is then a binary search and a
dictionary lookup; nothing is recomputed.

Two ways out, both JSON-serialisable:

* ``collection_on(day)`` / ``collection_at(i)``: the control map of one change point as a
  GeoJSON FeatureCollection (EPSG:4326) of areas, front lines and places (what
  ``python -m geo control`` prints and the Map page draws), cached per change point.
* ``to_json()``: everything for browser-side scrubbing in one document: the change
  points, the places, the catchment polygons and their shared borders (geometry sent
  once per set of places) and, per change point, only the places whose state changed.
  A browser colours each catchment by its place's force and shows the borders between
  hostile forces: that *is* the area and front-line map, with no server round trip.
"""
from __future__ import annotations

import bisect
import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from typing import Any, Protocol, TypeVar

import numpy as np
import shapely
import shapely.errors
import shapely.geometry
from shapely.geometry.base import BaseGeometry

from geo.control.cities import reporters, unreported
from geo.control.claims import PRESUMED
from geo.control.method import METHOD_TEXT
from geo.control.places import PlaceRef
from geo.control.seats import presumption_events
from geo.control.territory import (
    OUTPUT_CRS,
    OUTPUT_DECIMALS,
    REACH_M,
    DesertGrid,
    DesertNear,
    LocalityMesh,
    Partition,
    default_desert,
    default_mesh,
    desert_holders,
    desert_land,
    desert_near,
    dissolve,
    partition,
    project,
    rounded_mapping,
    to_output,
    union2,
)
from geo.control.timeline import (
    STALE_AFTER_DAYS,
    PlaceControl,
    Snapshot,
    build_histories,
    to_place_control,
)
from geo.control.wording import HolderWhen, account, held_since
from geo.core.forces import ForceTable, default_forces
from geo.core.records import Event

#: Places whose holder changed within this many days are marked "changed hands".
RECENT_DAYS = 30
#: Codes of the statuses in ``to_json`` (index in this tuple).
STATUS_CODES = ("held", "contested", "besieged", "unknown")
SCHEMA = "geo.control.series/1"
CRS_NOTE = (f"coordinates {OUTPUT_CRS}; areas computed in a Lambert azimuthal equal-area "
            "projection (42E 34N)")


def map_feature(geometry: BaseGeometry | None, properties: dict[str, Any]
                ) -> dict[str, Any]:
    """A GeoJSON feature of the control map (geometry rounded: ``rounded_mapping``)."""
    return {"type": "Feature",
            "geometry": None if geometry is None else rounded_mapping(geometry),
            "properties": properties}


@dataclass(frozen=True)
class Territory:
    """Areas and front lines of one change point (EPSG:4326), with areas in km²."""

    areas: dict[str, BaseGeometry]
    km2: dict[str, float]
    fronts: list[tuple[str, str, BaseGeometry]]
    members: dict[str, list[str]]
    #: Desert a force holds between its towns (``territory.desert_holders``), apart from
    #: its settled land: it only touches it, and keeping it apart spares a costly
    #: overlay per change point.
    desert: dict[str, BaseGeometry] = field(default_factory=dict)

    def land(self, force: str) -> BaseGeometry | None:
        """A force's whole territory: settled land and desert in one geometry."""
        parts = [g for g in (self.areas.get(force), self.desert.get(force))
                 if g is not None]
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else union2(parts[0], parts[1])


class PartitionKeeper(Protocol):
    """Partitions kept between runs (``geo.control.cache``), by what they are cut from:
    the places' points and the reach (the mesh and the code are the keeper's own key).

    Why by points and not by the evidence: an analyst's edit changes who holds a town,
    rarely which towns are known, so the catchments (the costly part: seconds at 5,000
    places) stay valid across edits."""

    def get(self, points: np.ndarray, reach_m: float, blocked: np.ndarray | None = None
            ) -> Partition | None: ...

    def put(self, points: np.ndarray, reach_m: float, part: Partition,
            blocked: np.ndarray | None = None) -> None: ...


class ControlSeries:
    """The control of every place at every change point of one body of evidence."""

    def __init__(self, events: Iterable[Event], *, stale_after_days: int = STALE_AFTER_DAYS,
                 forces: ForceTable | None = None, mesh: LocalityMesh | None = None,
                 desert: DesertGrid | None = None,
                 reach_m: float = REACH_M, recent_days: int = RECENT_DAYS,
                 problems: Iterable[str] = (), presume: bool = True) -> None:
        """``presume``: add the force table's presumptions (rule 10: a government holds
        its seat and the cities of the land it governs, ``geo.control.seats``) to the
        evidence."""
        from geo.control.areas import places_outside_points

        self.forces = forces or default_forces()
        #: Whether the tool's presumptions are in (rule 10 here; rule E5 in the answers).
        self.presume = presume
        #: Rule 8's horizon: a holding no report speaks for this long lapses to unknown.
        self.stale_after_days = stale_after_days
        events = list(events)
        presumed, seat_problems = presumption_events(self.forces, events) if presume \
            else ([], [])
        self.events = events + presumed
        self.events_by_id = {e.event_id: e for e in self.events}
        self.histories, self.problems = build_histories(
            self.events, stale_after_days=stale_after_days, forces=self.forces)
        self.problems = list(problems) + seat_problems + self.problems
        self.keys: list[str] = sorted(self.histories,
                                      key=lambda k: (self.histories[k].ref.name, k))
        self.index = {k: i for i, k in enumerate(self.keys)}
        self.refs: list[PlaceRef] = [self.histories[k].ref for k in self.keys]
        self._mesh = mesh
        self._desert = desert
        self.reach_m = reach_m
        self.recent_days = recent_days
        days = sorted({d for h in self.histories.values() for d, _ in h.segments})
        self.change_points: list[date] = days
        # Every place's segments flattened and keyed by (place, change point), so the
        # state of all places at a change point is one vectorised search.
        cp_of = {d: i for i, d in enumerate(days)}
        seg_place, seg_cp, seg_snap = [], [], []
        for p, key in enumerate(self.keys):
            for day, snap in self.histories[key].segments:
                seg_place.append(p)
                seg_cp.append(cp_of[day])
                seg_snap.append(snap)
        self._stride = len(days) + 1
        self._seg_place = np.asarray(seg_place, dtype=np.int64)
        self._seg_key = self._seg_place * self._stride + np.asarray(seg_cp, dtype=np.int64)
        self._seg_snap = np.empty(len(seg_snap), dtype=object)
        self._seg_snap[:] = seg_snap
        self._seg_known = np.array([s is not None for s in seg_snap], dtype=bool)
        self._seg_holder = np.array(
            [s.force if s is not None and s.status in ("held", "besieged") and s.force
             else "" for s in seg_snap], dtype=object)
        self._place_range = np.arange(len(self.keys), dtype=np.int64)
        self._snap_cache: dict[int, list[Snapshot | None]] = {}
        lonlat = [(r.lon, r.lat) for r in self.refs]
        self._points = project([x for x, _ in lonlat], [y for _, y in lonlat]) if lonlat \
            else np.empty((0, 2))
        outside = set(places_outside_points(self._points))
        self.outside = [self.keys[i] for i in sorted(outside)]
        for i in sorted(outside):
            ref = self.refs[i]
            ids = [c.event_id for c in self.histories[ref.key].claims]
            self.problems.append(
                f"place {ref.name} ({ref.key}) at {ref.lat:.4f}, {ref.lon:.4f} lies outside "
                f"the mapped countries (Iraq, Syria): no area drawn for it (events "
                f"{', '.join(ids) or 'none'})")
        self._inside = np.array([i not in outside for i in range(len(self.keys))], dtype=bool)
        self._partitions: dict[tuple[int, ...], Partition] = {}
        self._nears: dict[tuple[int, ...], DesertNear] = {}
        #: Where partitions are kept between runs (set by ``geo.control.cache`` for a
        #: store's series on the default mesh); None: worked out in this process only.
        self.kept_partitions: PartitionKeeper | None = None
        self._territory: dict[int, Territory] = {}
        self._collections: dict[tuple[int, bool], dict[str, Any]] = {}
        #: A place's claims as its popup lists them, by (place key, event id), made
        #: once (``geo.control.history``; every map of a timelapse lists them again).
        self.history_entries: dict[tuple[str, str, date], dict[str, Any] | None] = {}

    # --- kept between runs (``geo.control.cache``) ---------------------------------------

    #: What is left out of a pickled series and rebuilt on demand after loading: the
    #: locality mesh and the desert grid (~30 MB, loaded from their own caches), the
    #: bundled force table (its compiled alias patterns) and everything worked out per
    #: change point.
    _TRANSIENT = ("_mesh", "_desert", "_nears", "_snap_cache", "_partitions",
                  "_territory", "_collections", "_epochs", "_place_points",
                  "kept_partitions", "history_entries", "_city_places")

    def __getstate__(self) -> dict[str, Any]:
        state = {k: v for k, v in self.__dict__.items() if k not in self._TRANSIENT}
        if self.forces is default_forces():
            state["forces"] = None
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        if self.forces is None:
            self.forces = default_forces()
        self._mesh = None
        self.kept_partitions = None
        self._desert = None
        self._nears = {}
        self._snap_cache = {}
        self._partitions = {}
        self._territory = {}
        self._collections = {}
        self.history_entries = {}

    # --- lookup ------------------------------------------------------------------------

    @property
    def mesh(self) -> LocalityMesh:
        if self._mesh is None:
            self._mesh = default_mesh()
        return self._mesh

    @property
    def desert(self) -> DesertGrid:
        if self._desert is None:
            mesh = self.mesh
            self._desert = default_desert() if mesh is default_mesh() else _grid_for(mesh)
        return self._desert

    def __len__(self) -> int:
        return len(self.change_points)

    def index_on(self, day: date) -> int | None:
        """The change point in force on ``day`` (None before the first)."""
        i = bisect.bisect_right(self.change_points, day) - 1
        return i if i >= 0 else None

    def _segments_at(self, i: int) -> np.ndarray:
        """Index of each place's segment in force at change point ``i`` (-1: none yet)."""
        query = self._place_range * self._stride + i
        idx = np.searchsorted(self._seg_key, query, side="right") - 1
        valid = idx >= 0
        valid[valid] = self._seg_place[idx[valid]] == self._place_range[valid]
        return np.where(valid, idx, -1)

    def _known_at(self, i: int) -> np.ndarray:
        """Boolean mask of the places with a state at change point ``i``."""
        idx = self._segments_at(i)
        known = idx >= 0
        known[known] = self._seg_known[idx[known]]
        return known

    def holders_at(self, i: int) -> np.ndarray:
        """The force holding (or holding besieged) each place at change point ``i``, in
        ``keys`` order ("" for none: unknown, contested, stale or not yet known); one
        vectorised search, for questions about many places at once."""
        idx = self._segments_at(i)
        if not len(self._seg_holder):
            return np.full(len(self.keys), "", dtype=object)
        holders: np.ndarray = self._seg_holder[np.maximum(idx, 0)]
        holders[idx < 0] = ""
        return holders

    def snapshots_at(self, i: int) -> list[Snapshot | None]:
        """The snapshot of every place (in ``keys`` order) at change point ``i``."""
        cached = _recall(self._snap_cache, i)
        if cached is None:
            idx = self._segments_at(i)
            cached = [self._seg_snap[j] if j >= 0 else None for j in idx]
            _keep(self._snap_cache, i, cached, 256)
        return cached

    def places_at(self, i: int | None) -> dict[str, PlaceControl]:
        """``{place_key: PlaceControl}`` at change point ``i`` (places with a state)."""
        if i is None:
            return {}
        return {self.keys[p]: to_place_control(self.refs[p], s)
                for p, s in enumerate(self.snapshots_at(i)) if s is not None}

    def places_on(self, day: date) -> dict[str, PlaceControl]:
        return self.places_at(self.index_on(day))

    def holder_on(self, key: str, day: date) -> PlaceControl | None:
        """The control of one place on ``day`` (None when nothing is known)."""
        history = self.histories.get(key)
        return None if history is None else history.control_on(day)

    def holder_when(self, key: str, snap: Snapshot | PlaceControl) -> HolderWhen | None:
        """How the holder of a state of place ``key`` is known, said by
        ``geo.control.wording.account`` (reported since, inferred before a capture,
        presumed); None without a holder."""
        return self.holder_account(key, snap.force, snap.event_ids, tier=snap.tier,
                                   inferred=snap.inferred, since=snap.holder_since,
                                   since_from=snap.holder_from)

    def holder_account(self, key: str, force: str, event_ids: Iterable[str], *, tier: int,
                       inferred: bool, since: date | None, since_from: date | None
                       ) -> HolderWhen | None:
        """``holder_when`` from a state's fields (a map's place properties carry them)."""
        if not force:
            return None
        history = self.histories.get(key)
        ids = set(event_ids)
        # lazily: only a holder no report shows taking the place reads them
        claims = (c for c in (history.claims if history else ()) if c.event_id in ids)
        return account(force, claims, self.forces.display, presumption=tier == PRESUMED,
                       inferred=inferred, since=since, since_from=since_from)

    # --- territory ---------------------------------------------------------------------

    def _partition(self, i: int) -> tuple[np.ndarray, Partition]:
        """The partition among the places with a state at change point ``i`` (cached per
        set of such places: it changes only when a place first becomes known; the
        least recently used dropped, as for territories: ``geo control --warm`` meets
        a new set at each of the early change points, 5 MB each at 5,000 places). The
        cities none of them is withhold their land (rule E1, ``geo.control.cities``)."""
        known = self._known_at(i) & self._inside
        seeds = np.flatnonzero(known)
        key = tuple(seeds.tolist())
        part = _recall(self._partitions, key)
        if part is None:
            points = self._points[seeds] if len(seeds) else np.empty((0, 2))
            blocked = unreported(self._city_places, known)
            kept = self.kept_partitions
            part = kept.get(points, self.reach_m, blocked) if kept is not None else None
            if part is None:
                part = partition(self.mesh, points, reach_m=self.reach_m, blocked=blocked)
                if kept is not None:
                    kept.put(points, self.reach_m, part, blocked)
            _keep(self._partitions, key, part)
        return seeds, part

    @cached_property
    def _city_places(self) -> list[np.ndarray]:
        """Per city of the mesh, the places that are it (``geo.control.cities``)."""
        return reporters(self.mesh.cities, self.refs)

    def _desert_near(self, seeds: np.ndarray, part: Partition) -> DesertNear:
        """The nearest places of the unclaimed land, per set of places (a tree query,
        ~0.1 s; kept in memory only: on disk it would outweigh the catchments)."""
        key = tuple(seeds.tolist())
        near = _recall(self._nears, key)
        if near is None:
            points = self._points[seeds] if len(seeds) else np.empty((0, 2))
            near = desert_near(self.desert, points, mesh=self.mesh, owner=part.owner)
            _keep(self._nears, key, near)
        return near

    def territory_at(self, i: int | None) -> Territory:
        """Areas (per holding force) and front lines at change point ``i``."""
        if i is None:
            return Territory({}, {}, [], {})
        cached = _recall(self._territory, i)
        if cached is not None:
            return cached
        seeds, part = self._partition(i)
        states = self.snapshots_at(i)
        holder = np.array([_holder(states[p]) for p in seeds], dtype=object)
        areas: dict[str, BaseGeometry] = {}
        km2: dict[str, float] = {}
        members: dict[str, list[str]] = {}
        for force in sorted({h for h in holder if h}):
            idx = np.flatnonzero((holder == force) & (part.km2 > 0))
            if not len(idx):
                continue
            areas[force] = dissolve(part.catchments_out[idx],
                                    None if part.loose is None else part.loose[idx])
            km2[force] = float(part.km2[idx].sum())
            members[force] = [self.keys[seeds[j]] for j in idx]
        desert = self._desert_of(seeds, part, holder, km2)
        fronts: dict[tuple[str, str], list[BaseGeometry]] = {}
        for (a, b), line in part.borders.items():
            fa, fb = holder[a], holder[b]
            if not fa or not fb or fa == fb or not self.forces.hostile(fa, fb):
                continue
            pair = (min(fa, fb), max(fa, fb))
            fronts.setdefault(pair, []).append(line)
        front_list = [(fa, fb, shapely.line_merge(shapely.multilinestrings(
            shapely.get_parts(np.asarray(lines, dtype=object)))))
            for (fa, fb), lines in sorted(fronts.items())]
        result = Territory(areas, km2, front_list, members, desert)
        _keep(self._territory, i, result)
        return result

    def _desert_of(self, seeds: np.ndarray, part: Partition, holder: np.ndarray,
                   km2: dict[str, float]
                   ) -> dict[str, BaseGeometry]:
        """The desert each force holds between its towns (EPSG:4326); its km² join the
        force's. The union of a set of squares is kept (a force's desert changes only
        when one of the towns around it changes hands)."""
        grid, mesh = self.desert, self.mesh
        out: dict[str, BaseGeometry] = {}
        for force, cells in self._desert_pieces(seeds, part, holder).items():
            key = (id(grid), id(mesh), hashlib.blake2b(cells.tobytes(),
                                                      digest_size=16).digest())
            kept = _DESERT_UNIONS.get(key)
            # The entry holds its grid and mesh: an id is only unique while its object
            # lives, so a test's grid collected and another made at the same address
            # must not be served the first one's union.
            if kept is None or kept[2] is not grid or kept[3] is not mesh:
                land, size = desert_land(grid, mesh, cells)
                kept = (to_output(np.array([land], dtype=object))[0], size, grid, mesh)
                if len(_DESERT_UNIONS) > 1024:
                    _DESERT_UNIONS.clear()
                _DESERT_UNIONS[key] = kept
            out[force] = kept[0]
            km2[force] = km2.get(force, 0.0) + kept[1]
        return out

    def _desert_pieces(self, seeds: np.ndarray, part: Partition, holder: np.ndarray
                       ) -> dict[str, np.ndarray]:
        """Force -> the pieces of unclaimed land it holds (``DesertNear.cells`` values:
        desert squares, then lone villages' land), by the desert rule."""
        names = sorted({h for h in holder if h})
        if not names:                    # no town held: no force holds desert either
            return {}
        near = self._desert_near(seeds, part)
        if not len(near.cells):
            return {}
        code = {f: n for n, f in enumerate(names)}
        codes = np.array([code.get(h, -1) for h in holder], dtype=np.int64)
        owner = desert_holders(near, codes, self._hostility(names))
        pieces = {force: near.cells[owner == n] for n, force in enumerate(names)}
        return {force: cells for force, cells in pieces.items() if len(cells)}

    def _hostility(self, forces: list[str]) -> np.ndarray:
        """Which of ``forces`` are hostile to which (a square boolean matrix in their
        order), as the desert rule reads it."""
        return np.array([[a != b and self.forces.hostile(a, b) for b in forces]
                         for a in forces], dtype=bool).reshape(len(forces), len(forces))

    def desert_pieces_each(self) -> Iterator[dict[str, np.ndarray]]:
        """Per change point, in order: force -> the pieces of desert (and lone
        villages' land) it holds, as indices: ``< len(desert)`` a square of the
        ``DesertGrid``, else ``len(desert)`` plus a locality of the mesh
        (``desert_land`` draws them). The land ``territory_at`` unites into
        ``Territory.desert``; the browser's document (``geo.maps.control_states``)
        ships the pieces once and who holds them.

        Walked in order so that a change point only judges again the pieces near a
        place whose holder changed (the rule looks at a piece's nearest places only):
        all change points of the curated timeline in ~0.3 s instead of ~2.5 s."""
        forces = sorted({s.force for s in self._seg_snap if s is not None and s.force})
        code = {f: n for n, f in enumerate(forces)}
        hostile = self._hostility(forces)
        seen: tuple[int, ...] | None = None
        owner = np.empty(0, dtype=np.int64)
        codes = np.empty(0, dtype=np.int64)
        near: DesertNear | None = None
        for i in range(len(self)):
            seeds, part = self._partition(i)
            states = self.snapshots_at(i)
            now = np.array([code.get(_holder(states[p]), -1) for p in seeds.tolist()],
                           dtype=np.int64)
            key = tuple(seeds.tolist())
            if key != seen or near is None:
                near = self._desert_near(seeds, part)
                owner = desert_holders(near, now, hostile) if len(near.cells) else owner[:0]
                seen = key
            elif len(near.cells):
                moved = np.zeros(len(now) + 1, dtype=bool)     # last: no place (-1)
                moved[:-1] = now != codes
                rows = np.flatnonzero(moved[near.place].any(axis=1))
                if len(rows):
                    owner[rows] = desert_holders(DesertNear(
                        near.cells[rows], near.place[rows], near.dist[rows],
                        near.angle[rows]), now, hostile)
            codes = now
            pieces = {f: near.cells[owner == n] for n, f in enumerate(forces)} \
                if len(owner) else {}
            yield {f: cells for f, cells in pieces.items() if len(cells)}

    def territory_on(self, day: date) -> Territory:
        return self.territory_at(self.index_on(day))

    # --- change ------------------------------------------------------------------------

    def changed_between(self, start: date, end: date) -> list[dict[str, Any]]:
        """Places whose holder on ``end`` differs from the one on ``start``:
        ``[{key, name, from, to, on}]`` (``on`` is the day the new holder took it)."""
        a, b = self.places_on(start), self.places_on(end)
        out = []
        for key, now in b.items():
            before = a.get(key)
            old = before.force if before else ""
            if now.force and now.force != old:
                out.append({"key": key, "name": now.name, "from": old, "to": now.force,
                            "on": (now.holder_since or now.since).isoformat()})
        return sorted(out, key=lambda r: (r["on"], r["name"]))

    def gained_lost(self, start: date, end: date) -> list[dict[str, Any]]:
        """Ground each force gained and lost between two days, as GeoJSON features
        (``kind`` "gained" or "lost", ``force``, ``km2``), EPSG:4326."""
        ta, tb = self.territory_on(start), self.territory_on(end)
        features = []
        for force in sorted(set(ta.areas) | set(tb.areas)):
            before = ta.land(force) or shapely.Polygon()
            after = tb.land(force) or shapely.Polygon()
            for kind, geom in (("gained", _difference(after, before)),
                               ("lost", _difference(before, after))):
                geom = _polygonal(geom)
                if geom is None:
                    continue
                km2 = float(shapely.area(shapely.transform(
                    geom, _project_xy))) / 1e6
                if km2 < 1.0:
                    continue
                features.append(map_feature(geom, {
                    "kind": kind, "force": force, "force_name": self.forces.display(force),
                    "colour": self.forces.colour(force), "km2": round(km2, 1),
                    "from": start.isoformat(), "to": end.isoformat()}))
        return features

    def disputes(self) -> list[dict[str, Any]]:
        """The review queue: every claim that disputed a better-supported holder at some
        point, once, with the place, the claim and the holder it contradicted:
        ``[{event_id, place_key, place, date, claim_force, holder, holder_weight,
        from, until}]`` oldest first. Confirming the claim (it then weighs as an
        analyst's) or rejecting it settles the dispute."""
        from geo.control.claims import TIER_NAMES

        rows: dict[str, dict[str, Any]] = {}
        for key in self.keys:
            history = self.histories[key]
            claims = {c.event_id: c for c in history.claims}
            segments = list(history.segments)
            for n, (start, snap) in enumerate(segments):
                if snap is None or not snap.disputed:
                    continue
                until = segments[n + 1][0] - timedelta(days=1) if n + 1 < len(segments) \
                    else None
                for event_id in snap.disputed:
                    claim = claims.get(event_id)
                    if claim is None:
                        continue
                    row = rows.setdefault(event_id, {
                        "event_id": event_id, "place_key": key, "place": history.ref.name,
                        "date": claim.end.isoformat(), "claim_force": claim.to,
                        "claim_kind": claim.kind, "holder": snap.force,
                        "holder_weight": TIER_NAMES.get(snap.tier, ""),
                        "from": start.isoformat(), "until": ""})
                    row["until"] = until.isoformat() if until else ""
        return sorted(rows.values(), key=lambda r: (r["date"], r["place"], r["event_id"]))

    def _browser_when(self, key: str, snap: Snapshot) -> str | list[str] | None:
        """A state's holder for the browser (``geo.maps.control_states``): its day as
        the report gave it ("December 2015", ``held_since``) when a report shows it
        taking the place, else ``[lead, note]`` of ``holder_when`` ("before
        2014-06-10", "inferred: IS took it from ISF on 2014-06-10; ...")."""
        when = self.holder_when(key, snap)
        if when is None or snap.holder_since is None and when.reported:
            return None
        if when.reported:
            assert snap.holder_since is not None
            return held_since(snap.holder_since, snap.holder_from)
        return [when.lead, when.note]

    # --- GeoJSON of one change point ---------------------------------------------------

    def collection_on(self, day: date, *, with_territory: bool = True) -> dict[str, Any]:
        """The control map of ``day`` (see ``collection_at``), dated ``day``."""
        i = self.index_on(day)
        collection = self.collection_at(i, with_territory=with_territory)
        places = [f for f in collection["features"] if f["properties"]["kind"] != "place"]
        for feature in collection["features"]:
            if feature["properties"]["kind"] == "place":
                places.append({**feature, "properties": dated_place(
                    feature["properties"], day, self.recent_days)})
        return {**collection, "date": day.isoformat(), "change_point":
                collection.get("change_point"), "features": places,
                "recent_days": self.recent_days}

    def collection_at(self, i: int | None, *, with_territory: bool = True
                      ) -> dict[str, Any]:
        """Areas, fronts and places at change point ``i`` as a GeoJSON FeatureCollection
        (EPSG:4326); cached. Foreign members: ``date``, ``change_point``, ``method``,
        ``problems`` (as known on that day), ``crs_note``."""
        cached = _recall(self._collections, (i if i is not None else -1, with_territory))
        if cached is not None:
            return cached
        features: list[dict[str, Any]] = []
        if with_territory:
            features = [map_feature(geom, props) for geom, props in self.territory_items(i)]
        for key, p in sorted(self.places_at(i).items(), key=lambda kv: (kv[1].name, kv[0])):
            features.append({"type": "Feature", "geometry": self.place_geometry(
                self.index[key]), "properties": place_properties(key, p)})
        day = self.change_points[i] if i is not None else None
        collection = {"type": "FeatureCollection",
                      "date": day.isoformat() if day else None,
                      "change_point": day.isoformat() if day else None,
                      "method": METHOD_TEXT, "crs_note": CRS_NOTE,
                      "problems": list(self.problems), "features": features}
        _keep(self._collections, (i if i is not None else -1, with_territory), collection)
        return collection

    def place_geometry(self, p: int) -> dict[str, Any]:
        """The GeoJSON point of place ``p`` (index in ``keys``), rounded as every output
        geometry is (``rounded_mapping``)."""
        return {"type": "Point", "coordinates": self._place_points[p]}

    @cached_property
    def _place_points(self) -> list[tuple[float, float]]:
        """Every place's rounded (lon, lat), worked out at once (a shapely point per
        place per map was a tenth of a second at 5,000 places)."""
        lonlat = np.array([[r.lon, r.lat] for r in self.refs], dtype=float).reshape(-1, 2)
        return [(x, y) for x, y in np.round(lonlat, OUTPUT_DECIMALS).tolist()]

    def territory_items(self, i: int | None) -> list[tuple[BaseGeometry, dict[str, Any]]]:
        """(geometry in EPSG:4326, properties) of the areas, deserts and front lines at
        change point ``i``, in the order of the map's features (``collection_at``)."""
        if i is None:
            return []
        terr = self.territory_at(i)
        items: list[tuple[BaseGeometry, dict[str, Any]]] = []
        for force, geom in terr.areas.items():
            items.append((geom, {
                "kind": "area", "force": force, "force_name": self.forces.display(force),
                "colour": self.forces.colour(force), "km2": round(terr.km2[force], 1),
                "places": sorted(self.refs[self.index[k]].name for k in
                                 terr.members[force])}))
        for force, geom in terr.desert.items():
            items.append((geom, {
                "kind": "desert", "force": force, "force_name": self.forces.display(force),
                "colour": self.forces.colour(force)}))
        for fa, fb, line in terr.fronts:
            items.append((line, {"kind": "front", "force_a": fa, "force_b": fb}))
        return items

    # --- everything, for the browser ---------------------------------------------------

    @cached_property
    def _epochs(self) -> list[tuple[int, tuple[int, ...]]]:
        """(first change point, seed set) of each distinct partition, in order."""
        epochs: list[tuple[int, tuple[int, ...]]] = []
        for i in range(len(self.change_points)):
            seeds = tuple(np.flatnonzero(self._known_at(i) & self._inside).tolist())
            if not epochs or epochs[-1][1] != seeds:
                epochs.append((i, seeds))
        return epochs

    def to_json(self) -> dict[str, Any]:
        """Every change point for browser-side scrubbing (schema ``SCHEMA``):

        ``dates`` (change points, ISO), ``places`` (key, name, lat, lon, country),
        ``forces`` (id -> name, colour), ``hostile`` (pairs of force ids), ``epochs``
        (``from`` change-point index, ``catchments``: place index -> GeoJSON geometry of
        its land, ``borders``: [place a, place b, GeoJSON line]), ``states`` (per change
        point ``{"date", "epoch", "changes": {place index: [status, force, since,
        disputed, holder_since, last_force, holder as said]}}`` with only the
        places that changed since the previous change point; a place absent from the map
        is ``null``; ``last_force``: of a stale place, rule 8, the force last reported
        holding it; the holder as said: its since as its report gave it, "December
        2015" for a capture told by the month (``geo.control.wording.held_since``), or
        [lead, note] for a holder no report shows taking the place (``_browser_when``)).
        A state's areas are the
        catchments of its held and besieged places coloured by force; its fronts are the
        borders whose two places are held by hostile forces."""
        forces_used = sorted({s.force for s in self._seg_snap if s is not None and s.force}
                             | {f for s in self._seg_snap if s is not None for f in s.forces})
        epochs_json = []
        epoch_of = []
        for n, (first, seeds) in enumerate(self._epochs):
            _, part = self._partition(first)
            catchments = {str(seeds[j]): rounded_mapping(part.catchments_out[j])
                          for j in range(len(seeds)) if part.km2[j] > 0}
            borders = [[seeds[a], seeds[b], rounded_mapping(line)]
                       for (a, b), line in sorted(part.borders.items())]
            epochs_json.append({"from": first, "catchments": catchments, "borders": borders})
            epoch_of.extend([n] * ((self._epochs[n + 1][0] if n + 1 < len(self._epochs)
                                    else len(self.change_points)) - first))
        states_json = []
        previous = np.full(len(self.keys), -1, dtype=np.int64)
        for i, day in enumerate(self.change_points):
            changes: dict[str, Any] = {}
            current = self._segments_at(i)
            for p in np.flatnonzero(current != previous):
                snap = self._seg_snap[current[p]] if current[p] >= 0 else None
                changes[str(p)] = None if snap is None else [
                    STATUS_CODES.index(snap.status), snap.force or None,
                    snap.since.isoformat(), list(snap.disputed),
                    snap.holder_since.isoformat() if snap.holder_since else None,
                    snap.last_force or None, self._browser_when(self.keys[p], snap)]
            previous = current
            states_json.append({"date": day.isoformat(), "epoch": epoch_of[i] if epoch_of
                                else 0, "changes": changes})
        hostile = [[a, b] for k, a in enumerate(forces_used) for b in forces_used[k + 1:]
                   if self.forces.hostile(a, b)]
        return {
            "schema": SCHEMA, "crs": OUTPUT_CRS,
            "dates": [d.isoformat() for d in self.change_points],
            "status_codes": list(STATUS_CODES),
            "places": [{"key": r.key, "name": r.name, "lat": r.lat, "lon": r.lon,
                        "country": r.country} for r in self.refs],
            "forces": {f: {"name": self.forces.display(f), "colour": self.forces.colour(f)}
                       for f in forces_used},
            "hostile": hostile, "epochs": epochs_json, "states": states_json,
            "problems": list(self.problems),
        }


#: Union (EPSG:4326) and km² of a set of desert pieces, per (grid, mesh, pieces).
_DESERT_UNIONS: dict[tuple[int, int, bytes],
                     tuple[BaseGeometry, float, DesertGrid, LocalityMesh]] = {}


#: Change points whose territory (and map, when asked) a series keeps in memory, the
#: least recently used dropped first; also the sets of places whose catchments it keeps.
#: A scrub or timelapse goes back and forth over a few dozen (two months of 2015 at
#: 5,000 places: ~60), ``geo control --warm`` walks them all once. The trade, measured
#: at 5,000 places (2026-11-27, bench/README): a territory ~2.7 MB, a map ~15 MB more;
#: ``--warm`` peaks at 551 MB with 64 (465 MB with 32), and revisiting a 60-day scrub in
#: Python takes 24 ms per day with 64, 993 ms with 32 (the whole scrub is worked out
#: again), for a process peak of 1.45 GB instead of 0.95 GB.
KEEP_CHANGE_POINTS = 64


K = TypeVar("K")
V = TypeVar("V")


def _keep(memo: dict[K, V], key: K, value: V, limit: int | None = None) -> None:
    """``memo[key] = value``, dropping the least recently used entry beyond ``limit``
    (default ``KEEP_CHANGE_POINTS``; a dict keeps its order: the first entry is the one
    used longest ago, as ``_recall`` moves an entry to the end when used)."""
    limit = KEEP_CHANGE_POINTS if limit is None else limit
    if key not in memo and len(memo) >= limit:
        memo.pop(next(iter(memo)))
    memo[key] = value


def _recall(memo: dict[K, V], key: K) -> V | None:
    """``memo[key]`` (None when not kept), marked as just used."""
    value = memo.pop(key, None)
    if value is not None:
        memo[key] = value
    return value


def _difference(a: BaseGeometry, b: BaseGeometry) -> BaseGeometry:
    """``a`` − ``b``, repairing either when GEOS finds it invalid."""
    try:
        return shapely.difference(a, b)
    except shapely.errors.GEOSException:
        return shapely.difference(shapely.make_valid(a), shapely.make_valid(b))


def _grid_for(mesh: LocalityMesh) -> DesertGrid:
    """The desert grid of a mesh given by the caller (tests build small ones)."""
    from geo.control.territory import _default_mask_wkb, build_desert, projected_mask

    return build_desert(mesh, projected_mask(_default_mask_wkb()))


def _holder(snap: Snapshot | None) -> str:
    if snap is None or snap.status not in ("held", "besieged"):
        return ""
    return snap.force


def _polygonal(geom: BaseGeometry) -> BaseGeometry | None:
    parts = [g for g in shapely.get_parts(geom) if g.geom_type in ("Polygon", "MultiPolygon")
             and not g.is_empty]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else shapely.multipolygons(parts)


def _project_xy(xy: np.ndarray) -> np.ndarray:
    return project(xy[:, 0], xy[:, 1])


def dated_place(props: dict[str, Any], day: date, recent_days: int) -> dict[str, Any]:
    """A copy of a place's properties at a change point as shown on ``day``: with
    ``changed_recently``, true when a held or besieged place (not inferred) changed
    holder within the ``recent_days`` up to ``day``."""
    # date.min + recent_days: a map asked for year 1 must not overflow.
    recent = max(day, date.min + timedelta(days=recent_days)) - timedelta(days=recent_days)
    changed = props.get("holder_since") or ""
    return dict(props, changed_recently=bool(
        props.get("status") in ("held", "besieged") and not props.get("inferred")
        and changed and recent.isoformat() < changed <= day.isoformat()))


def place_properties(key: str, p: PlaceControl) -> dict[str, Any]:
    """The GeoJSON properties of a place at a change point."""
    return {"kind": "place", "place_key": key, "name": p.name, "country": p.country,
            "force": p.force, "since": p.since.isoformat(), "status": p.status,
            "holder_since": p.holder_since.isoformat() if p.holder_since else "",
            "holder_from": p.holder_from.isoformat() if p.holder_from and p.holder_since
            else "",
            "inferred": p.inferred, "tier": p.tier, "disputed": list(p.disputed),
            "event_ids": list(p.event_ids), "forces": list(p.forces),
            "last_force": p.last_force,
            "last_reported": p.last_reported.isoformat() if p.last_reported else ""}
