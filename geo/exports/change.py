"""Ground gained and lost between two dates: the before/after map of a briefing.

The staple of a briefing: one map of the later date, with the ground each force gained
(filled in its colour) and lost (hatched in its colour) since the earlier one, the places
that changed hands labelled "IS→ISF", and the events in between.

What changed comes from the control layer (``ControlSeries.gained_lost`` and
``changed_between``, the same territory the Map page draws); this module only frames it:
the areas are clipped to the frame shown and measured again there, in the theatre's
equal-area projection (never in square degrees), and slivers under ``MIN_KM2`` dropped.
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
from geo.exports.data import SnapshotData, collect
from geo.exports.layout import ImageSize
from geo.exports.view import SnapshotView
from geo.store.base import Store

MIN_KM2 = 1.0


def km2_of(geom: Any) -> float:
    """Area of an EPSG:4326 geometry in km², measured in the theatre's equal-area
    projection (never in square degrees)."""
    to_metric = Transformer.from_crs("EPSG:4326", theatre.current().crs, always_xy=True)
    return float(shapely.area(shapely.transform(
        geom, lambda xy: np.column_stack(to_metric.transform(xy[:, 0], xy[:, 1]))))) / 1e6


def _polygonal(geom: Any) -> Any:
    parts = [g for g in shapely.get_parts(geom)
             if g.geom_type in ("Polygon", "MultiPolygon") and not g.is_empty]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else shapely.multipolygons(parts)


@dataclass(frozen=True)
class PlaceChange:
    """A control place whose holder differs between the two dates."""

    name: str
    lon: float
    lat: float
    before: str          # force id, or "" when the place had no holder yet
    after: str

    @property
    def text(self) -> str:
        """'IS→ISF'; '→PESH' when the place had no holder on the earlier date."""
        return f"{self.before}\u2192{self.after or 'none'}"


@dataclass
class Change:
    """What a before/after map adds to the later date's snapshot: the earlier date, the
    ground gained and lost (GeoJSON features: ``kind`` gained/lost, ``force``,
    ``force_name``, ``km2``) and the places that changed hands."""

    start: date
    features: list[dict[str, Any]] = field(default_factory=list)
    places: list[PlaceChange] = field(default_factory=list)

    def clipped(self, bounds: tuple[float, float, float, float]) -> Change:
        """The change within ``bounds`` (W, S, E, N): what a map of that frame shows and
        the areas it states."""
        frame = shapely.box(*bounds)
        features = []
        for f in self.features:
            # Gained/lost areas are differences of estimated territories and can come out
            # invalid (a ring touching itself), which GEOS refuses to clip.
            geom = _polygonal(shapely.intersection(shapely.make_valid(shape(f["geometry"])),
                                                   frame))
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
    from geo.control.cache import stored_series
    from geo.control.history import build_series

    end = view.day
    if start >= end:
        raise InputError(f"the 'before' date {start} must be earlier than the map's date "
                         f"{end}", field="since")
    after_view = replace(view, window=f"days:{(end - start).days}")
    # The store's kept series (``geo.control.cache``), as every picture of a day and the
    # Map page draw it: the before/after then agree with a snapshot of either day.
    series = (stored_series(store, curated=view.curated) if store is not None
              else build_series([], curated=view.curated))
    # An HTML page replays control in the browser, so it carries the evidence up to its
    # day (``collect`` reads it); a picture draws the series' day.
    after = collect(after_view, store, size, series=series if size is not None else None)
    where = {f["properties"].get("place_key"): f["geometry"]["coordinates"][:2]
             for f in after.control.get("features", [])
             if f["properties"].get("kind") == "place"}
    places = [PlaceChange(str(row["name"]), float(where[row["key"]][0]),
                          float(where[row["key"]][1]), str(row["from"] or ""), str(row["to"]))
              for row in series.changed_between(start, end) if row["key"] in where]
    return after, Change(start, series.gained_lost(start, end), places)
