"""Ground gained and lost between two dates: the before/after map of a briefing.

The staple of a briefing: one map of the later date, with the ground each force gained
(filled in its colour) and lost (hatched in its colour) since the earlier one, the places
that changed hands labelled "IS→ISF", and the events in between.

Why here, for now: the control helper (issue #12) is giving ``geo.control`` a
``ControlSeries.gained_lost(d1, d2)`` with this very output; until it is on main the
export computes the same from the control areas of the two dates (the areas the Map page
draws), so the picture and the slide exist today and switch to the control layer's
function without changing shape.

Output: GeoJSON features (EPSG:4326) with ``kind`` "gained" or "lost", ``force``,
``km2`` (measured in the theatre's equal-area projection, never in degrees), ``from`` and
``to``; slivers under ``MIN_KM2`` are dropped (boundary noise between two Voronoi cells).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import mapping, shape

from geo.core import theatre
from geo.core.errors import InputError
from geo.core.forces import default_forces
from geo.exports.data import SnapshotData, collect
from geo.exports.layout import ImageSize
from geo.exports.view import SnapshotView
from geo.store.base import Store

MIN_KM2 = 1.0


def _areas(collection: dict[str, Any]) -> dict[str, Any]:
    """Force -> union of its area polygons (EPSG:4326)."""
    parts: dict[str, list[Any]] = {}
    for f in collection.get("features", []):
        p = f["properties"]
        if p.get("kind") == "area" and p.get("force"):
            parts.setdefault(str(p["force"]), []).append(shape(f["geometry"]))
    return {force: shapely.union_all(geoms) for force, geoms in parts.items()}


def _polygonal(geom: Any) -> Any:
    parts = [g for g in shapely.get_parts(geom)
             if g.geom_type in ("Polygon", "MultiPolygon") and not g.is_empty]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else shapely.multipolygons(parts)


def km2_of(geom: Any) -> float:
    """Area of an EPSG:4326 geometry in km², measured in the theatre's equal-area
    projection (never in square degrees)."""
    to_metric = Transformer.from_crs("EPSG:4326", theatre.current().crs, always_xy=True)
    return float(shapely.area(shapely.transform(
        geom, lambda xy: np.column_stack(to_metric.transform(xy[:, 0], xy[:, 1]))))) / 1e6


def gained_lost_areas(before: dict[str, Any], after: dict[str, Any], start: date,
                      end: date) -> list[dict[str, Any]]:
    """Per force, the ground it holds in ``after`` but not ``before`` (gained) and the
    reverse (lost), from two control collections."""
    forces = default_forces()
    a, b = _areas(before), _areas(after)
    features: list[dict[str, Any]] = []
    for force in sorted(set(a) | set(b)):
        old = a.get(force, shapely.Polygon())
        new = b.get(force, shapely.Polygon())
        for kind, geom in (("gained", shapely.difference(new, old)),
                           ("lost", shapely.difference(old, new))):
            geom = _polygonal(geom)
            if geom is None:
                continue
            km2 = km2_of(geom)
            if km2 < MIN_KM2:
                continue
            features.append({"type": "Feature", "geometry": mapping(geom), "properties": {
                "kind": kind, "force": force, "force_name": forces.display(force),
                "colour": forces.colour(force), "km2": round(float(km2), 1),
                "from": start.isoformat(), "to": end.isoformat()}})
    return features


@dataclass(frozen=True)
class PlaceChange:
    """A control place whose holder or status differs between the two dates."""

    name: str
    lon: float
    lat: float
    before: str          # "IS", "contested", "" (no claim yet)
    after: str

    @property
    def text(self) -> str:
        """'IS→ISF'; '→PESH' when the place had no claim on the earlier date."""
        return f"{self.before}\u2192{self.after or 'none'}"


def _state(props: dict[str, Any]) -> str:
    status = str(props.get("status") or "")
    if status in ("", "held", "besieged"):
        return str(props.get("force") or "")
    return status


def changed_places(before: dict[str, Any], after: dict[str, Any]) -> list[PlaceChange]:
    """Places whose holder (or contested/unknown status) changed, by name, as drawn on
    the later date."""
    old = {f["properties"].get("name"): _state(f["properties"])
           for f in before.get("features", []) if f["properties"].get("kind") == "place"}
    out = []
    for f in after.get("features", []):
        p = f["properties"]
        if p.get("kind") != "place":
            continue
        now, then = _state(p), old.get(p.get("name"), "")
        if now != then:
            lon, lat = f["geometry"]["coordinates"][:2]
            out.append(PlaceChange(str(p.get("name", "")), float(lon), float(lat), then, now))
    return out


@dataclass
class Change:
    """What a before/after map adds to the later date's snapshot: the earlier date, the
    ground gained and lost, and the places that changed hands."""

    start: date
    features: list[dict[str, Any]] = field(default_factory=list)
    places: list[PlaceChange] = field(default_factory=list)

    def clipped(self, bounds: tuple[float, float, float, float]) -> Change:
        """The change within ``bounds`` (W, S, E, N): what a map of that frame shows and
        the areas it states."""
        frame = shapely.box(*bounds)
        features = []
        for f in self.features:
            geom = _polygonal(shapely.intersection(shape(f["geometry"]), frame))
            if geom is None:
                continue
            km2 = km2_of(geom)
            if km2 >= MIN_KM2:
                features.append({**f, "geometry": mapping(geom),
                                 "properties": {**f["properties"], "km2": round(km2, 1)}})
        places = [p for p in self.places
                  if bounds[0] <= p.lon <= bounds[2] and bounds[1] <= p.lat <= bounds[3]]
        return Change(self.start, features, places)

    def km2(self, kind: str) -> dict[str, float]:
        """Force -> km2 gained (``kind`` "gained") or lost."""
        out: dict[str, float] = {}
        for f in self.features:
            p = f["properties"]
            if p["kind"] == kind:
                out[p["force"]] = out.get(p["force"], 0.0) + float(p["km2"])
        return out

    def summary(self) -> str:
        """'Gained: ISF 1,234 km², PESH 56 km². Lost: IS 1,290 km².'"""
        parts = []
        for kind in ("gained", "lost"):
            by_force = sorted(self.km2(kind).items(), key=lambda kv: -kv[1])
            if by_force:
                parts.append(f"{kind.capitalize()}: " + ", ".join(
                    f"{force} {km2:,.0f} km\u00b2" for force, km2 in by_force) + ".")
        return " ".join(parts) or "No ground changed hands."


def collect_change(view: SnapshotView, start: date, store: Store | None,
                   size: ImageSize | None = None) -> tuple[SnapshotData, Change]:
    """The later date's snapshot (``view.day``, with the events between the two dates)
    and what changed since ``start``: ground gained and lost per force and the places
    that changed hands. ``InputError`` unless ``start`` is before ``view.day``."""
    from geo.control.history import control_map
    from geo.control.sources import control_events

    end = view.day
    if start >= end:
        raise InputError(f"the 'before' date {start} must be earlier than the map's date "
                         f"{end}", field="since")
    after_view = replace(view, window=f"days:{(end - start).days}")
    captures = control_events(end, store, curated=False)
    after = collect(after_view, store, size, captures=captures)
    before = control_map(start, captures, curated=view.curated)
    return after, Change(start, gained_lost_areas(before, after.control, start, end),
                         changed_places(before, after.control))
