"""Shapely geometries as Matplotlib paths and collections, for the briefing renderer.

Why not ``GeoDataFrame.plot``: it rebuilds a patch object per polygon on every call
(the basemap's provinces alone are hundreds), and it sets the axes' aspect to the middle
latitude of whatever layer was drawn last, which shrank the map inside its fitted frame.
Here a layer's paths are built once (the bundled basemap once per process) and every map
adds a plain collection of them; the renderer keeps the aspect it fitted.

Paths are built as GeoPandas builds them (geometries normalised, exterior then holes as
one compound path per polygon, line parts one path each), so the pictures are the same.
Coordinates are whatever the geometries hold (EPSG:4326 lon/lat in the renderer).
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import shapely
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.path import Path

_POLYGONAL = ("Polygon", "MultiPolygon")
_LINEAR = ("LineString", "MultiLineString", "LinearRing")


def _parts(geometries: Iterable[Any]) -> list[Any]:
    """Normalised geometries, collections split into their members, empties dropped."""
    out: list[Any] = []
    for geom in shapely.normalize(np.asarray(list(geometries), dtype=object)):
        if geom is None or geom.is_empty:
            continue
        if geom.geom_type == "GeometryCollection":
            out.extend(g for g in geom.geoms if not g.is_empty)
        else:
            out.append(geom)
    return out


def polygon_paths(geometries: Iterable[Any]) -> list[Path]:
    """One compound path (exterior, then holes) per polygon or multipolygon; other
    geometry types are left out."""
    paths: list[Path] = []
    for geom in _parts(geometries):
        if geom.geom_type not in _POLYGONAL:
            continue
        rings: list[Path] = []
        for part in ([geom] if geom.geom_type == "Polygon" else geom.geoms):
            rings.append(Path(np.asarray(part.exterior.coords)[:, :2], closed=True))
            rings.extend(Path(np.asarray(ring.coords)[:, :2], closed=True)
                         for ring in part.interiors)
        paths.append(Path.make_compound_path(*rings))
    return paths


def line_parts(geometries: Iterable[Any], widths: Sequence[float] | None = None
               ) -> tuple[list[np.ndarray], list[float] | None]:
    """Each single line of the (multi)line geometries as an (N, 2) vertex array, with
    its geometry's entry of ``widths`` (if given); other geometry types are left out."""
    geoms = list(geometries)
    segments: list[np.ndarray] = []
    out_widths: list[float] = []
    normalised = shapely.normalize(np.asarray(geoms, dtype=object))
    for i, geom in enumerate(normalised):
        if geom is None or geom.is_empty or geom.geom_type not in _LINEAR:
            continue
        for line in shapely.get_parts(geom):
            segments.append(np.array(line.coords)[:, :2])
            if widths is not None:
                out_widths.append(float(widths[i]))
    return segments, (out_widths if widths is not None else None)


def add_polygons(ax: Any, paths: Sequence[Path], **style: Any) -> PathCollection | None:
    """Add ``paths`` to ``ax`` as one collection (``style``: facecolor, edgecolor,
    linewidth, alpha, hatch, zorder...). The data limits are not updated: the renderer
    sets its extent."""
    if not paths:
        return None
    collection = PathCollection(list(paths), **style)
    ax.add_collection(collection, autolim=False)
    return collection


def add_lines(ax: Any, segments: Sequence[np.ndarray], **style: Any
              ) -> LineCollection | None:
    """Add line vertex arrays to ``ax`` as one collection (see ``add_polygons``)."""
    if not segments:
        return None
    collection = LineCollection(list(segments), **style)
    ax.add_collection(collection, autolim=False)
    return collection
