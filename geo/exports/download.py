"""Filtered events as file bytes for the dashboard's download buttons.

Why a module: the Events page offers the same four formats as ``python -m geo export``
(ACLED CSV, GeoJSON, GeoPackage, KML) and must produce the very same files, so it goes
through the same writers (``geo.exports.acled`` / ``geo.exports.gis``). GDAL writes a
GeoPackage only to a path, so it is written into a private temporary directory and read
back; the directory is removed whatever happens. GeoJSON and KML are built in memory.

With control (``control_download``), the GIS formats carry the control map of a day
beside the events, as ``geo export --control D`` writes it (``--no-curated``:
``curated=False``); CSV has no place for it and stays the events alone.
"""
from __future__ import annotations

import io
import json
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

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


def control_file_name(key: str, flt: EventFilter, day: date) -> str:
    """``events_2016-06-01_2016-07-31_control_2016-07-31.gpkg``: the control day in the
    name too."""
    stem = file_name(key, flt).removesuffix(download_format(key).suffix)
    return f"{stem}_control_{day.isoformat()}{download_format(key).suffix}"


def events_bytes(frame: pd.DataFrame, key: str, forces: ForceTable | None = None,
                 control: dict[str, Any] | None = None) -> bytes:
    """A query frame (``Store.query_events``) as the bytes of one format's file; with
    ``control`` (``geo.exports.control_gis.control_for_export``) and a GIS format, the
    control layers beside the events."""
    fmt = download_format(key)
    forces = forces or default_forces()
    if fmt.key == "csv":
        buffer = io.StringIO(newline="")
        acled.write_csv(frame, buffer)
        return buffer.getvalue().encode("utf-8")
    if fmt.key == "kml":
        return gis.kml_document(frame, forces, control).encode("utf-8")
    if fmt.key == "geojson":
        document = gis.geojson_document(frame, "events", control, forces)
        return json.dumps(document, ensure_ascii=False).encode("utf-8")
    with tempfile.TemporaryDirectory(prefix="geo_download_") as tmp:
        out = Path(tmp) / f"events{fmt.suffix}"
        gis.write_gpkg(frame, out, control, forces)
        return out.read_bytes()


def filtered_events_bytes(store: Store, flt: EventFilter, key: str,
                          forces: ForceTable | None = None) -> bytes:
    """Query ``flt`` now and return the file: a download reflects the store at the click,
    not at the page's last (cached) query."""
    return events_bytes(store.query_events(flt), key, forces)


def control_download(database_url: str, flt: EventFilter, key: str, day: date,
                     curated: bool = True) -> bytes:
    """The filtered events and the control map of ``day`` (the store's kept series, with
    the curated timeline unless ``curated`` is False) as one GIS file's bytes.

    Opens its own store, so the dashboard runs it in its worker process: loading a
    series of thousands of places in the server would hold it up for every user."""
    from geo.control.cache import stored_series
    from geo.exports.control_gis import control_for_export
    from geo.store import open_store

    if download_format(key).key not in gis.CONTROL_FORMATS:
        raise InputError(f"control is exported as GIS layers, not in {key!r}; choose one "
                         f"of {', '.join(sorted(gis.CONTROL_FORMATS))}", field="format")
    with open_store(database_url, read_only=True) as store:
        frame = store.query_events(flt)
        control = control_for_export(stored_series(store, curated=curated), day)
    return events_bytes(frame, key, control=control)
