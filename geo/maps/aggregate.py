"""Many events as a grid of square cells coloured by count: ONE GeoJSON layer.

Why: the browser benchmark measured 1.3-2.7 s per slider step with 10,000 dots drawn
(5.8 MB of GeoJSON sent and redrawn each step); past ``map_max_points`` events the
dots stop being readable anyway. A few hundred cells carry the same picture (where,
how much, whose) in tens of kilobytes.

Grid: square cells in EPSG:3857 (spherical Web Mercator, the projection Leaflet draws
in), so cells are squares on screen and adjacent cells tile without gaps. The side is
``CELL_PX`` screen pixels at the map's zoom (``cell_size_m``): Web Mercator metres, which
are ``cos(latitude)`` ground metres (at 35° N a "50 km" cell is about 41 km on the
ground). Cells are axis-aligned in Web Mercator, so their corners are a plain lon/lat
rectangle (meridians and parallels are straight lines there) and the GeoJSON we send
stays in EPSG:4326 like every other layer.

Colours come from fixed count classes (``COUNT_BREAKS``), not from the data's range, so
a cell keeps its colour while the slider moves unless its own count crosses a break.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import folium
import numpy as np

from geo.maps.events_layer import LoadedEvents, feature_group_from_geojson
from geo.maps.forces_style import force_label
from geo.maps.jslayer import GeoJsonLayer

#: The projection cells are square in (spherical Web Mercator, metres).
GRID_CRS = "EPSG:3857"
EARTH_RADIUS_M = 6_378_137.0
#: Web Mercator stops here (Leaflet clips the same way).
MAX_LATITUDE = 85.0511287798
#: Side of a cell on screen, in pixels of a 256-pixel tile.
CELL_PX = 24
TILE_PX = 256
LAYER_NAME = "Event density"
CELLS_CLASS = "geo-cell"

#: Lower bounds of the count classes after the first (1 .. 9, 10 .. 49, ...).
COUNT_BREAKS: tuple[int, ...] = (10, 50, 100, 500, 1000)
#: ColorBrewer YlOrRd, one colour per class (light = few events).
COUNT_COLOURS: tuple[str, ...] = ("#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#f03b20",
                                  "#bd0026")


def cell_size_m(zoom: int | float) -> float:
    """Cell side in Web Mercator metres that shows as ``CELL_PX`` pixels at ``zoom``
    (zoom 6, the theatre view: about 58.7 km)."""
    return 2 * math.pi * EARTH_RADIUS_M / (TILE_PX * 2 ** float(zoom)) * CELL_PX


def to_web_mercator(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """EPSG:4326 degrees -> EPSG:3857 metres (the spherical formulas EPSG:3857 defines)."""
    lat_c = np.clip(np.asarray(lat, dtype=float), -MAX_LATITUDE, MAX_LATITUDE)
    x = EARTH_RADIUS_M * np.radians(np.asarray(lon, dtype=float))
    y = EARTH_RADIUS_M * np.log(np.tan(np.pi / 4 + np.radians(lat_c) / 2))
    return x, y


def from_web_mercator(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """EPSG:3857 metres -> EPSG:4326 degrees (inverse of ``to_web_mercator``)."""
    lon = np.degrees(np.asarray(x, dtype=float) / EARTH_RADIUS_M)
    lat = np.degrees(2 * np.arctan(np.exp(np.asarray(y, dtype=float) / EARTH_RADIUS_M))
                     - np.pi / 2)
    return lon, lat


def count_colour(count: int) -> str:
    """Fill colour of a cell with ``count`` events (fixed classes, see module doc)."""
    return COUNT_COLOURS[int(np.searchsorted(COUNT_BREAKS, count, side="right"))]


def count_classes() -> list[tuple[str, str]]:
    """``(colour, "1-9")`` ... ``(colour, "1,000+")``: the legend, drawn by the page."""
    lows = (1, *COUNT_BREAKS)
    out = []
    for i, colour in enumerate(COUNT_COLOURS):
        label = (f"{lows[i]:,}-{lows[i + 1] - 1:,}" if i + 1 < len(lows)
                 else f"{lows[i]:,}+")
        out.append((colour, label))
    return out


@dataclass(frozen=True)
class CellGrid:
    """The cells of one aggregation, as a GeoJSON FeatureCollection (EPSG:4326)."""

    collection: dict[str, Any]
    n_events: int              # events with coordinates that went into cells
    cell_m: float              # cell side, Web Mercator metres (``GRID_CRS``)
    counts: list[int] = field(default_factory=list)   # per cell, in feature order

    @property
    def n_cells(self) -> int:
        return len(self.counts)


def aggregate_cells(lon: Sequence[float] | np.ndarray, lat: Sequence[float] | np.ndarray,
                    forces: Sequence[str] | np.ndarray, cell_m: float) -> CellGrid:
    """Count events per square cell of side ``cell_m`` (Web Mercator metres).

    Each feature's properties: ``cell_count``, ``top_force`` (id of the most frequent
    actor-1 force, ties to the alphabetically first id; "" = no force), ``label`` ("N
    events, top force X": tooltip text, shown with ``textContent``) and ``style``.
    Events without finite coordinates are left out. Cells come sorted by count
    (largest first), then by position, so the output is deterministic."""
    if cell_m <= 0 or not math.isfinite(cell_m):
        raise ValueError(f"cell size must be a positive number of metres, not {cell_m!r}")
    lon_a = np.asarray(lon, dtype=float)
    lat_a = np.asarray(lat, dtype=float)
    force_a = np.asarray(["" if f is None else str(f) for f in forces], dtype=object) \
        if not isinstance(forces, np.ndarray) else forces.astype(object)
    if not (len(lon_a) == len(lat_a) == len(force_a)):
        raise ValueError("lon, lat and forces must have the same length")
    ok = np.isfinite(lon_a) & np.isfinite(lat_a)
    lon_a, lat_a, force_a = lon_a[ok], lat_a[ok], force_a[ok]
    if not len(lon_a):
        return CellGrid({"type": "FeatureCollection", "features": []}, 0, cell_m, [])
    x, y = to_web_mercator(lon_a, lat_a)
    ix = np.floor(x / cell_m).astype(np.int64)
    iy = np.floor(y / cell_m).astype(np.int64)
    # One int64 key per cell (|ix|, |iy| < 2**31 even for 1 m cells): np.unique on a
    # flat array is several times faster than on (ix, iy) rows.
    keys, cell_of = np.unique((ix << 32) + (iy + 2**31), return_inverse=True)
    cell_of = cell_of.reshape(-1)
    cells = np.stack([keys >> 32, (keys & 0xFFFFFFFF) - 2**31], axis=1)
    counts = np.bincount(cell_of, minlength=len(cells))
    force_ids, force_of = np.unique(force_a.astype(str), return_inverse=True)
    force_of = force_of.reshape(-1)
    per = np.bincount(cell_of * len(force_ids) + force_of,
                      minlength=len(cells) * len(force_ids)).reshape(len(cells),
                                                                       len(force_ids))
    top = per.argmax(axis=1)                   # first maximum = alphabetically first id
    order = np.lexsort((cells[:, 1], cells[:, 0], -counts))
    features: list[dict[str, Any]] = []
    for i in order:
        cx, cy = int(cells[i, 0]), int(cells[i, 1])
        (w, e), (s, n) = from_web_mercator(np.array([cx, cx + 1]) * cell_m,
                                           np.array([cy, cy + 1]) * cell_m)
        w, e, s, n = (round(float(v), 5) for v in (w, e, s, n))
        count = int(counts[i])
        force_id = str(force_ids[top[i]])
        colour = count_colour(count)
        features.append({
            "type": "Feature",
            "properties": {
                "cell_count": count, "top_force": force_id,
                "label": f"{count:,} event{'s' if count != 1 else ''}, top force "
                         f"{force_label(force_id)}",
                "style": {"color": "#7a0177", "weight": 0.6, "opacity": 0.7,
                          "fillColor": colour, "fillOpacity": 0.65},
            },
            "geometry": {"type": "Polygon",
                         "coordinates": [[[w, s], [e, s], [e, n], [w, n], [w, s]]]},
        })
    return CellGrid({"type": "FeatureCollection", "features": features}, int(counts.sum()),
                    cell_m, [int(counts[i]) for i in order])


# Tooltip is DOM built with textContent: force names come from a file and stay text.
_CELL_OPTIONS = """{
  style: function (f) {
    return Object.assign({className: "%(cls)s"}, f.properties.style);
  },
  onEachFeature: function (f, layer) {
    layer.bindTooltip(function () {
      var t = document.createElement("span");
      t.textContent = f.properties.label;
      return t;
    }, {sticky: true});
  }
}""" % {"cls": CELLS_CLASS}


def cells_feature_group(grid: CellGrid, name: str = LAYER_NAME) -> folium.FeatureGroup:
    """The cells as ONE ``GeoJsonLayer`` in a FeatureGroup (for ``feature_group_to_add``)."""
    group = folium.FeatureGroup(name=name)
    GeoJsonLayer(grid.collection, _CELL_OPTIONS, "cells_layer").add_to(group)
    return group


@dataclass(frozen=True)
class WindowLayer:
    """What the map draws for one date window: the events or their cells."""

    group: folium.FeatureGroup
    count: int                      # events in the window with coordinates
    grid: CellGrid | None = None    # set when aggregated

    @property
    def aggregated(self) -> bool:
        return self.grid is not None


def window_layer(loaded: LoadedEvents, date_from: date | None, date_to: date | None, *,
                 max_points: int, zoom: int | float) -> WindowLayer:
    """The events of the window as dots, or as cells when more than ``max_points``.

    Why the choice is made per window and not per filter: scrubbing from a quiet month
    into a busy year should switch to cells (and back) without the analyst doing
    anything. ``zoom`` is the map's initial zoom: the server does not see later zooming
    (``returned_objects=[]``), so cells keep their size when the analyst zooms in."""
    keep = loaded.rows(date_from, date_to)
    count = loaded.count(keep)
    if count <= max_points or loaded.lon is None or loaded.lat is None \
            or loaded.force is None:
        return WindowLayer(feature_group_from_geojson(loaded.collection(keep)), count)
    grid = aggregate_cells(loaded.lon[keep], loaded.lat[keep], loaded.force[keep],
                           cell_size_m(zoom))
    return WindowLayer(cells_feature_group(grid), count, grid)
