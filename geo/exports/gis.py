"""Events as GIS files: GeoJSON, GeoPackage (pyogrio) and KML styled by force colour.

Why the ACLED column names in GeoJSON/GeoPackage too: one vocabulary for every format,
so a layer opened in QGIS reads like the CSV and ``python -m geo import gis`` can reuse
the ACLED row mapping. Text is not spreadsheet-neutralised here (GIS tools do not run
formulas); KML descriptions are HTML, so every value in them is HTML-escaped.
"""
from __future__ import annotations

import html
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from geo.core.codebook import COLUMNS, GIS_LAYER, NUMERIC_COLUMNS
from geo.core.errors import InputError
from geo.core.files import atomic_output
from geo.core.forces import ForceTable, default_forces
from geo.exports.acled import acled_row
from geo.exports.kml_text import kml_colour, kml_time_span, xml_text

_INT_COLUMNS = frozenset({"year", "time_precision", "geo_precision", "fatalities", "iso",
                          "inter1", "inter2", "interaction", "timestamp",
                          "time_precision_detail", "geo_precision_detail"})


def _number(name: str, cell: str) -> int | float | None:
    """A numeric cell of ``acled_row`` (text) as the number a GIS field holds."""
    if cell == "":
        return None
    return int(float(cell)) if name in _INT_COLUMNS else float(cell)


def _gis_rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The export columns of every event, numbers typed (None for empty), in order."""
    records = frame.drop(columns="geometry", errors="ignore").to_dict("records")
    rows = []
    for record in records:
        row: dict[str, Any] = acled_row(record, neutralise_text=False)
        for name in NUMERIC_COLUMNS:
            row[name] = _number(name, row[name])
        rows.append(row)
    return rows


def gis_frame(frame: pd.DataFrame) -> gpd.GeoDataFrame:
    """A query frame -> GeoDataFrame with the export columns (numbers typed) + points."""
    rows = _gis_rows(frame)
    data: dict[str, Any] = {}
    for name in COLUMNS:
        cells = [row[name] for row in rows]
        data[name] = pd.array(cells, dtype="Int64" if name in _INT_COLUMNS else "Float64") \
            if name in NUMERIC_COLUMNS else cells
    df = pd.DataFrame(data, columns=list(COLUMNS))
    geometry = gpd.points_from_xy(frame["longitude"], frame["latitude"], crs="EPSG:4326") \
        if len(frame) else gpd.GeoSeries([], crs="EPSG:4326")
    return gpd.GeoDataFrame(df, geometry=geometry, crs="EPSG:4326")


def _atomic(out: Path, write: Callable[[Path], None]) -> None:
    """Write to a temporary file beside ``out`` and rename: never half a file. The
    temporary name keeps the format's suffix and is not created first (GDAL)."""
    out = out.expanduser().absolute()
    out.parent.mkdir(parents=True, exist_ok=True)
    with atomic_output(out, suffix=out.suffix, create=False) as tmp:
        write(tmp)


#: The GeoJSON ``crs`` member GDAL writes for EPSG:4326 (longitude, latitude): kept so a
#: reader that still honours the 2008 member (QGIS, older GDAL) is told, not guessing.
_CRS84 = {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}


def geojson_document(frame: pd.DataFrame, name: str, control: dict[str, Any] | None = None,
                     forces: ForceTable | None = None) -> dict[str, Any]:
    """The events as one GeoJSON FeatureCollection named ``name`` (EPSG:4326); with
    ``control`` (a day's control map, ``geo.exports.control_gis``) its places, areas and
    front lines follow the events, each feature naming its ``layer``. Built once in
    memory, straight from the rows (no GeoDataFrame: at 10,000 events that and GDAL's
    writer cost more than the whole document): no file is written and read back to add
    the control features. The same properties and types as the GeoPackage's layer."""
    lon = frame["longitude"].to_numpy(dtype=float).tolist() if len(frame) else []
    lat = frame["latitude"].to_numpy(dtype=float).tolist() if len(frame) else []
    features = [{"type": "Feature", "properties": row,
                 "geometry": {"type": "Point", "coordinates": [x, y]}}
                for row, x, y in zip(_gis_rows(frame), lon, lat)]
    if control is not None:
        from geo.exports.control_gis import control_frames, geojson_features

        features += geojson_features(control_frames(control, forces or default_forces()))
    return {"type": "FeatureCollection", "name": name, "crs": _CRS84, "features": features}


def write_geojson(frame: pd.DataFrame, out: Path, control: dict[str, Any] | None = None,
                  forces: ForceTable | None = None) -> int:
    """Write ``geojson_document`` (the collection's name is the file's stem)."""
    document = geojson_document(frame, out.stem, control, forces)

    def write(path: Path) -> None:
        with path.open("w", encoding="utf-8") as fh:
            json.dump(document, fh, ensure_ascii=False)

    _atomic(out, write)
    return len(frame)


def write_gpkg(frame: pd.DataFrame, out: Path, control: dict[str, Any] | None = None,
               forces: ForceTable | None = None) -> int:
    """The events as layer ``events`` (EPSG:4326); with ``control`` the day's control
    layers beside it (``geo.exports.control_gis``)."""
    gdf = gis_frame(frame)

    def write(path: Path) -> None:
        gdf.to_file(path, driver="GPKG", layer=GIS_LAYER, engine="pyogrio")
        if control is not None:
            from geo.exports.control_gis import control_frames, write_gpkg_layers

            write_gpkg_layers(control_frames(control, forces or default_forces()), path)

    _atomic(out, write)
    return len(gdf)


_DESCRIPTION_FIELDS = (("Date", "event_date"), ("Interval", None), ("Type", "event_type"),
                       ("Sub-type", "sub_event_type"), ("Actor 1", "actor1"),
                       ("Actor 2", "actor2"), ("Fatalities", "fatalities"),
                       ("Source", "source"), ("Notes", "notes"),
                       ("Evidence", "evidence_sentence"), ("Articles", "article_ids"),
                       ("Review", "review_status"), ("Origin", "origin"),
                       ("Event id", "event_id"))


def _description(row: dict[str, str]) -> str:
    """HTML table of the event; every value HTML-escaped (article text is hostile)."""
    cells = []
    for label, name in _DESCRIPTION_FIELDS:
        value = (f"{row['date_min']} .. {row['date_max']}" if name is None
                 else row.get(name, ""))
        if value:
            cells.append(f"<tr><th>{label}</th><td>{html.escape(str(value))}</td></tr>")
    return "<table>" + "".join(cells) + "</table>"


def kml_document(frame: pd.DataFrame, forces: ForceTable,
                 control: dict[str, Any] | None = None) -> str:
    """The KML text: one style per force (actor1 force colour), one placemark per event
    with a TimeSpan (date interval) so Google Earth's time slider works; with ``control``
    (a day's control map) a folder "Control on D" of its places, areas and front lines
    (``geo.exports.control_gis``). KML is always WGS 84 longitude, latitude (EPSG:4326)."""
    records = frame.drop(columns="geometry", errors="ignore").to_dict("records")
    used = sorted({str(r.get("actor1_force") or "") for r in records})
    parts = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<kml xmlns="http://www.opengis.net/kml/2.2"><Document>',
             f"<name>{xml_text(frame.attrs.get('description', 'events'))}</name>"]
    folder = ""
    if control is not None:
        from geo.exports.control_gis import control_frames, kml_folders

        periods = {str(f["properties"].get("place_key")): f["properties"]["periods"]
                   for f in control.get("features", [])
                   if f["properties"].get("kind") == "place"
                   and "periods" in f["properties"]}
        styles, folder = kml_folders(control_frames(control, forces), forces,
                                     str(control.get("date") or ""), periods,
                                     str(control.get("change_point") or ""))
        parts += styles
    for fid in used:
        colour = kml_colour(forces.colour(fid))
        parts.append(f'<Style id="force-{xml_text(fid or "none", quote=True)}"><IconStyle>'
                     f"<color>{colour}</color><scale>0.9</scale></IconStyle>"
                     f"<LabelStyle><scale>0</scale></LabelStyle></Style>")
    for record in records:
        row = acled_row(record, neutralise_text=False, forces=forces)
        fid = str(record.get("actor1_force") or "") or "none"
        name = f"{row['sub_event_type']} - {row['location']} ({row['event_date']})"
        parts.append(
            "<Placemark>"
            f"<name>{xml_text(name)}</name>"
            f"<description>{xml_text(_description(row))}</description>"
            # KML 2.2 orders a Feature's children: the time before the style
            + (kml_time_span(row["date_min"], row["date_max"])
               if row["date_min"] and row["date_max"] else "")
            + f"<styleUrl>#force-{xml_text(fid)}</styleUrl>"
            + f"<Point><coordinates>{float(record['longitude']):.6f},"
              f"{float(record['latitude']):.6f}</coordinates></Point></Placemark>")
    if folder:
        parts.append(folder)
    parts.append("</Document></kml>")
    return "\n".join(parts) + "\n"


def write_kml(frame: pd.DataFrame, out: Path, forces: ForceTable,
              control: dict[str, Any] | None = None) -> int:
    text = kml_document(frame, forces, control)

    def write(path: Path) -> None:
        path.write_text(text, encoding="utf-8")

    _atomic(out, write)
    return len(frame)


#: --out suffix -> format name
FORMATS = {".csv": "csv", ".geojson": "geojson", ".json": "geojson", ".gpkg": "gpkg",
           ".kml": "kml"}
#: Formats that can carry the control layers beside the events (CSV has no place for
#: them): ``geo export --control`` and the Events page's downloads both ask this.
CONTROL_FORMATS = frozenset({"geojson", "gpkg", "kml"})


def format_for(out: Path | None) -> str:
    """The export format an output file name asks for; ``InputError`` if unknown."""
    if out is None:
        return "csv"
    fmt = FORMATS.get(out.suffix.lower())
    if fmt is None:
        raise InputError(f"cannot tell the format from {out.name!r}; use one of "
                         f"{', '.join(FORMATS)}", field="--out")
    return fmt
