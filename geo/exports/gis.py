"""Events as GIS files: GeoJSON, GeoPackage (pyogrio) and KML styled by force colour.

Why the ACLED column names in GeoJSON/GeoPackage too: one vocabulary for every format,
so a layer opened in QGIS reads like the CSV and ``python -m geo import gis`` can reuse
the ACLED row mapping. Text is not spreadsheet-neutralised here (GIS tools do not run
formulas); KML descriptions are HTML, so every value in them is HTML-escaped.
"""
from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

import geopandas as gpd
import pandas as pd

from geo.core.codebook import COLUMNS, GIS_LAYER, NUMERIC_COLUMNS
from geo.core.errors import InputError
from geo.core.files import atomic_output
from geo.core.forces import ForceTable
from geo.exports.acled import acled_row

_INT_COLUMNS = frozenset({"year", "time_precision", "geo_precision", "fatalities", "iso",
                          "inter1", "inter2", "interaction", "timestamp"})


def gis_frame(frame: pd.DataFrame) -> gpd.GeoDataFrame:
    """A query frame -> GeoDataFrame with the export columns (numbers typed) + points."""
    records = frame.drop(columns="geometry", errors="ignore").to_dict("records")
    rows = [acled_row(r, neutralise_text=False) for r in records]
    data: dict[str, list[Any]] = {}
    for name in COLUMNS:
        cells = [row[name] for row in rows]
        if name in NUMERIC_COLUMNS:
            data[name] = pd.array([None if c == "" else (int(float(c)) if name in _INT_COLUMNS
                                                         else float(c)) for c in cells],
                                  dtype="Int64" if name in _INT_COLUMNS else "Float64")
        else:
            data[name] = cells
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


def write_geojson(frame: pd.DataFrame, out: Path) -> int:
    gdf = gis_frame(frame)
    _atomic(out, lambda p: gdf.to_file(p, driver="GeoJSON", engine="pyogrio"))
    return len(gdf)


def write_gpkg(frame: pd.DataFrame, out: Path) -> int:
    gdf = gis_frame(frame)
    _atomic(out, lambda p: gdf.to_file(p, driver="GPKG", layer=GIS_LAYER, engine="pyogrio"))
    return len(gdf)


#: Characters XML 1.0 cannot hold at all, escaped or not: C0 controls other than tab,
#: line feed and carriage return, lone surrogates, U+FFFE and U+FFFF. Article text and
#: imported notes carry them (a form feed from a PDF, a vertical tab from a spreadsheet);
#: one of them makes the whole KML unreadable to Google Earth and QGIS.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value: object, *, quote: bool = False) -> str:
    """``value`` as XML character data (``quote``: an attribute value in double quotes):
    escaped, and characters XML cannot hold replaced by spaces."""
    return xml_escape(_NOT_XML.sub(" ", str(value)), {'"': "&quot;"} if quote else {})


def kml_colour(hex_rgb: str, alpha: str = "ff") -> str:
    """``#rrggbb`` -> KML's ``aabbggrr``."""
    rgb = hex_rgb.lstrip("#")
    return f"{alpha}{rgb[4:6]}{rgb[2:4]}{rgb[0:2]}".lower()


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


def kml_document(frame: pd.DataFrame, forces: ForceTable) -> str:
    """The KML text: one style per force (actor1 force colour), one placemark per event
    with a TimeSpan (date interval) so Google Earth's time slider works."""
    records = frame.drop(columns="geometry", errors="ignore").to_dict("records")
    used = sorted({str(r.get("actor1_force") or "") for r in records})
    parts = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<kml xmlns="http://www.opengis.net/kml/2.2"><Document>',
             f"<name>{xml_text(frame.attrs.get('description', 'events'))}</name>"]
    for fid in used:
        colour = kml_colour(forces.colour(fid))
        parts.append(f'<Style id="force-{xml_text(fid or "none", quote=True)}"><IconStyle>'
                     f"<color>{colour}</color><scale>0.9</scale></IconStyle>"
                     f"<LabelStyle><scale>0</scale></LabelStyle></Style>")
    for record in records:
        row = acled_row(record, neutralise_text=False)
        fid = str(record.get("actor1_force") or "") or "none"
        name = f"{row['sub_event_type']} - {row['location']} ({row['event_date']})"
        parts.append(
            "<Placemark>"
            f"<name>{xml_text(name)}</name>"
            f"<description>{xml_text(_description(row))}</description>"
            f"<styleUrl>#force-{xml_text(fid)}</styleUrl>"
            + (f"<TimeSpan><begin>{row['date_min']}</begin><end>{row['date_max']}</end>"
               f"</TimeSpan>" if row["date_min"] and row["date_max"] else "")
            + f"<Point><coordinates>{float(record['longitude']):.6f},"
              f"{float(record['latitude']):.6f}</coordinates></Point></Placemark>")
    parts.append("</Document></kml>")
    return "\n".join(parts) + "\n"


def write_kml(frame: pd.DataFrame, out: Path, forces: ForceTable) -> int:
    text = kml_document(frame, forces)

    def write(path: Path) -> None:
        path.write_text(text, encoding="utf-8")

    _atomic(out, write)
    return len(frame)


#: --out suffix -> format name
FORMATS = {".csv": "csv", ".geojson": "geojson", ".json": "geojson", ".gpkg": "gpkg",
           ".kml": "kml"}


def format_for(out: Path | None) -> str:
    """The export format an output file name asks for; ``InputError`` if unknown."""
    if out is None:
        return "csv"
    fmt = FORMATS.get(out.suffix.lower())
    if fmt is None:
        raise InputError(f"cannot tell the format from {out.name!r}; use one of "
                         f"{', '.join(FORMATS)}", field="--out")
    return fmt
