"""Filtered events as file bytes for the dashboard's download buttons.

Why a module: the Events page offers the same four formats as ``python -m geo export``
(ACLED CSV, GeoJSON, GeoPackage, KML) and must produce the very same files, so it goes
through the same writers (``geo.exports.acled`` / ``geo.exports.gis``). GDAL writes
GeoJSON and GeoPackage only to a path, so those are written into a private temporary
directory and read back; the directory is removed whatever happens.
"""
from __future__ import annotations

import io
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from geo.core.errors import InputError
from geo.core.forces import ForceTable, default_forces
from geo.exports import acled, gis
from geo.store.base import Store
from geo.store.query import EventFilter


@dataclass(frozen=True)
class DownloadFormat:
    """One downloadable format: its key, button label, file suffix and MIME type."""

    key: str
    label: str
    suffix: str
    mime: str


DOWNLOAD_FORMATS: tuple[DownloadFormat, ...] = (
    DownloadFormat("csv", "ACLED CSV", ".csv", "text/csv"),
    DownloadFormat("geojson", "GeoJSON", ".geojson", "application/geo+json"),
    DownloadFormat("gpkg", "GeoPackage", ".gpkg", "application/geopackage+sqlite3"),
    DownloadFormat("kml", "KML", ".kml", "application/vnd.google-earth.kml+xml"),
)
_BY_KEY = {f.key: f for f in DOWNLOAD_FORMATS}


def download_format(key: str) -> DownloadFormat:
    """The format named ``key``; ``InputError`` for an unknown one."""
    try:
        return _BY_KEY[key]
    except KeyError:
        raise InputError(f"unknown download format {key!r}; known: {', '.join(_BY_KEY)}",
                         field="format") from None


def file_name(key: str, flt: EventFilter) -> str:
    """``events_2016-06-01_2016-07-31.csv``: the dates in the name, so two downloads of
    different windows do not overwrite each other in the analyst's folder."""
    days = "_".join(d.isoformat() for d in (flt.date_from, flt.date_to) if d is not None)
    return f"events{'_' + days if days else ''}{download_format(key).suffix}"


def events_bytes(frame: pd.DataFrame, key: str, forces: ForceTable | None = None) -> bytes:
    """A query frame (``Store.query_events``) as the bytes of one format's file."""
    fmt = download_format(key)
    if fmt.key == "csv":
        buffer = io.StringIO(newline="")
        acled.write_csv(frame, buffer)
        return buffer.getvalue().encode("utf-8")
    if fmt.key == "kml":
        return gis.kml_document(frame, forces or default_forces()).encode("utf-8")
    with tempfile.TemporaryDirectory(prefix="geo_download_") as tmp:
        out = Path(tmp) / f"events{fmt.suffix}"
        if fmt.key == "geojson":
            gis.write_geojson(frame, out)
        else:
            gis.write_gpkg(frame, out)
        return out.read_bytes()


def filtered_events_bytes(store: Store, flt: EventFilter, key: str,
                          forces: ForceTable | None = None) -> bytes:
    """Query ``flt`` now and return the file: a download reflects the store at the click,
    not at the page's last (cached) query."""
    return events_bytes(store.query_events(flt), key, forces)
