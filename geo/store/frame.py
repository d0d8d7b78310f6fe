"""Query rows -> GeoDataFrame, shared by every store so all return the same frame.

One fixed column list and dtype map, so an empty result has exactly the columns and
dtypes of a full one and pages never special-case "no events".

Why the columns are built the way they are: the map pages rebuild this frame on every
filter change, and at a million stored events a one-month window is ~12,000 rows x 30
columns. Building it column by column from the fetched tuples (one transpose, one numpy
conversion per column, ``shapely.points`` once for all rows) costs a few milliseconds;
pandas 3's default ``str`` dtype (Arrow-backed) cost ~1 ms per text column to build and
is slower for the per-row work the pages then do, so text columns are ``object`` arrays
of Python ``str`` (never missing: every text column of ``events`` is NOT NULL).
"""
from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.core.records import EVENT_FIELDS

#: Columns of ``Store.query_events`` in order (``geometry`` comes last).
FRAME_COLUMNS: tuple[str, ...] = (*EVENT_FIELDS, "n_sources", "article_ids",
                                  "evidence_sentence", "source_file", "evidence_mentions",
                                  "updated_at")
CRS = "EPSG:4326"

_DATE_COLUMNS = ("event_date", "date_min", "date_max")
_INT_COLUMNS = ("time_precision", "geo_precision", "fatalities", "n_sources")
_FLOAT_COLUMNS = ("latitude", "longitude", "confidence")

#: dtype of every frame column (``geometry`` aside): the contract ``empty_frame`` keeps.
FRAME_DTYPES: dict[str, str] = {
    name: ("datetime64[ns]" if name in _DATE_COLUMNS else "int64" if name in _INT_COLUMNS
           else "float64" if name in _FLOAT_COLUMNS else "object")
    for name in FRAME_COLUMNS}


def _column(name: str, values: Sequence[Any]) -> np.ndarray | pd.Series:
    """One column from the fetched values, in one numpy conversion (per-row or
    row-wise DataFrame construction costs several times more)."""
    if name in _DATE_COLUMNS:            # ISO text or None -> datetime64[ns] / NaT
        return np.array(values, dtype="datetime64[D]").astype("datetime64[ns]")
    if name in _INT_COLUMNS:
        return np.array(values, dtype="int64")
    if name in _FLOAT_COLUMNS:           # None -> NaN
        return np.array(values, dtype="float64")
    column = np.empty(len(values), dtype=object)   # never let numpy guess a 2-D shape
    column[:] = values
    # A Series keeps ``object``: a bare object array would be inferred as ``str`` by the
    # DataFrame constructor (pandas 3), paying the Arrow conversion this avoids.
    return pd.Series(column, dtype=object, copy=False)


@contextmanager
def gc_paused() -> Iterator[None]:
    """Run the block without the cyclic garbage collector.

    Why: fetching ~12,000 rows x 30 columns allocates ~400,000 objects (row tuples are
    GC-tracked), which triggers several full collections over everything the process
    holds (the app's caches included): 20-40 ms of the 1-month query at 1,000,000 events,
    for nothing, since rows and columns form no cycles. Only collection is paused (memory
    is freed by reference counting as usual); the collector is re-enabled on exit if it
    was enabled on entry (a nested or concurrent pause leaves that to the outermost)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def frame_columns(wanted: Iterable[str] | None) -> tuple[tuple[str, ...], bool]:
    """The columns a query fetches for ``wanted`` (None: all of ``FRAME_COLUMNS`` and the
    geometry), in ``FRAME_COLUMNS`` order, with the coordinates always (they tell which
    events can be drawn); and whether the frame gets its points (``wanted`` names
    ``geometry``). Raises ``ValueError`` naming any column the frame does not have."""
    if wanted is None:
        return FRAME_COLUMNS, True
    asked = set(wanted)
    geometry = "geometry" in asked
    unknown = sorted(asked - set(FRAME_COLUMNS) - {"geometry"})
    if unknown:
        raise ValueError(f"query_events: no such column(s) {', '.join(unknown)}; "
                         f"the frame's columns are {', '.join(FRAME_COLUMNS)}, geometry")
    asked |= {"latitude", "longitude"}
    return tuple(c for c in FRAME_COLUMNS if c in asked), geometry


def rows_to_frame(rows: Sequence[tuple[Any, ...]], names: Sequence[str] = FRAME_COLUMNS,
                  *, geometry: bool = True) -> gpd.GeoDataFrame:
    """Rows of ``names`` (``FRAME_COLUMNS`` or a ``frame_columns`` selection; dates as
    ISO text, all with coordinates) -> frame; without ``geometry`` it has no points (a
    GeoDataFrame with no active geometry: building 100,000 points is 0.1 s the Map page
    does not need)."""
    columns = list(zip(*rows)) if rows else [()] * len(names)
    data = {name: _column(name, values) for name, values in zip(names, columns)}
    if not geometry:
        return gpd.GeoDataFrame(pd.DataFrame(data, copy=False), copy=False)
    points = gpd.array.GeometryArray(shapely.points(data["longitude"], data["latitude"]),
                                     crs=CRS)
    # copy=False: the columns are fresh arrays nobody else holds; copying them into the
    # GeoDataFrame was a quarter of the build time.
    return gpd.GeoDataFrame(pd.DataFrame(data, copy=False), geometry=points, crs=CRS,
                            copy=False)


def empty_frame(names: Sequence[str] = FRAME_COLUMNS, *, geometry: bool = True
                ) -> gpd.GeoDataFrame:
    """A frame with no rows but the columns (all by default), dtypes and CRS."""
    return rows_to_frame([], names, geometry=geometry)
