"""GeoPackage / GeoJSON layers written by ``python -m geo export`` -> events.

Only our own layout is accepted (layer ``events``, the export columns): a layer from
elsewhere has other names for dates, types and actors, and guessing them would store
wrong events. Such a file is refused with ``InputError`` naming the layers/columns found.
"""
from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pyogrio
from pyogrio.errors import DataLayerError, DataSourceError

from geo.core.codebook import GIS_LAYER
from geo.core.errors import InputError
from geo.core.files import check_input_file, path_text
from geo.core.forces import ForceTable
from geo.core.validate import STRICT, Allow
from geo.imports.acled import REQUIRED as ACLED_REQUIRED
from geo.imports.acled import row_event
from geo.imports.common import ParsedFile, Problem, RowError, add_event, note_review

DATASET = "GIS export"
REQUIRED = tuple(c for c in ACLED_REQUIRED if c not in ("latitude", "longitude"))


def _cell(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


#: The property naming a control feature's layer in a GeoJSON export with ``--control``.
CONTROL_MARK = "layer"
#: What GDAL reads as a layer of points here: a CSV or a shapefile is another thing
#: (GDAL would read a CSV as a table without geometry).
SUFFIXES = (".gpkg", ".geojson", ".json")


def _read(path: Path) -> Any:  # a GeoDataFrame
    source = path_text(path)
    check_input_file(path, what="GIS file")
    if path.suffix.lower() not in SUFFIXES:
        hint = (" (a CSV: import it as `acled` or `ucdp`)" if path.suffix.lower() == ".csv"
                else "")
        raise InputError(f"a GIS import takes a GeoPackage or GeoJSON written by `python -m "
                         f"geo export` ({', '.join(SUFFIXES)}){hint}", source=source)
    try:
        layers = [name for name, _ in pyogrio.list_layers(path)]
    except (DataSourceError, DataLayerError, OSError) as exc:
        raise InputError(f"not a GIS file GDAL can read ({exc})", source=source) from None
    layer = GIS_LAYER if GIS_LAYER in layers else (layers[0] if len(layers) == 1 and
                                           path.suffix.lower() != ".gpkg" else None)
    if layer is None:
        raise InputError(f"no layer {GIS_LAYER!r} (layers: {', '.join(layers) or 'none'}); "
                         f"only files written by `python -m geo export` can be imported",
                         source=source)
    try:
        frame = pyogrio.read_dataframe(path, layer=layer)
    except (DataSourceError, DataLayerError, OSError, ValueError) as exc:
        raise InputError(f"cannot read layer {layer!r} ({exc})", source=source) from None
    if getattr(frame, "geometry", None) is None or "geometry" not in frame.columns:
        raise InputError(f"layer {layer!r} has no geometry: not a layer written by "
                         f"`python -m geo export`", source=source)
    return frame


def parse_gis(path: str | Path, forces: ForceTable, *,
              geocoder: object = None, allow: Allow = STRICT) -> ParsedFile:
    """Read an exported GeoPackage/GeoJSON; feature numbers stand in for line numbers."""
    path = Path(path)
    frame = _read(path)
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise InputError(f"not a layer written by `python -m geo export`: missing column(s) "
                         f"{', '.join(missing)} (found {', '.join(map(str, frame.columns[:8]))}"
                         f"{', ...' if len(frame.columns) > 8 else ''})", source=str(path))
    if CONTROL_MARK in frame.columns:
        # A GeoJSON export with --control: its control places, areas and front lines
        # (``layer`` set) are no events; only the events are read back.
        frame = frame[frame[CONTROL_MARK].isna() | (frame[CONTROL_MARK] == "")]
    parsed = ParsedFile(source=str(path), dataset=DATASET, geocoder=geocoder, allow=allow)
    seen: dict[str, int] = {}
    columns = [c for c in frame.columns if c != "geometry"]
    for number, (values, geom) in enumerate(zip(frame[columns].itertuples(index=False),
                                                frame.geometry), start=1):
        row = {c: _cell(v) for c, v in zip(columns, values)}
        if geom is not None and not geom.is_empty and geom.geom_type == "Point":
            row["longitude"], row["latitude"] = repr(geom.x), repr(geom.y)
        row.setdefault("latitude", "")
        row.setdefault("longitude", "")
        parsed.rows_read += 1
        try:
            event = row_event(row, forces, parsed, prefix="gis:")
        except RowError as exc:
            parsed.problems.append(Problem(number, exc.field, f"feature {number}: {exc}; "
                                                              f"feature skipped"))
            note_review(parsed, number, exc)
            continue
        add_event(parsed, number, event, seen)
    return parsed
