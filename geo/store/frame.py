"""Query rows -> GeoDataFrame, shared by every store so all return the same frame.

One fixed column list and dtype map, so an empty result has exactly the columns and
dtypes of a full one and pages never special-case "no events".
"""
from __future__ import annotations

from typing import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.store.schema import EVENT_FIELDS

#: Columns of ``Store.query_events`` in order (``geometry`` comes last).
FRAME_COLUMNS: tuple[str, ...] = (*EVENT_FIELDS, "n_sources", "article_ids",
                                  "evidence_sentence", "source_file")
CRS = "EPSG:4326"

_DATE_COLUMNS = ("event_date", "date_min", "date_max")
_INT_COLUMNS = ("time_precision", "geo_precision", "fatalities", "n_sources")
_FLOAT_COLUMNS = ("latitude", "longitude", "confidence")


def _column(name: str, values: Sequence) -> np.ndarray | pd.api.extensions.ExtensionArray:
    """One column from a tuple of SQLite values, via numpy (row-wise DataFrame
    construction costs several times more, and this runs on every slider step)."""
    if name in _DATE_COLUMNS:            # ISO text or None -> datetime64[ns] / NaT
        return np.array(values, dtype="datetime64[D]").astype("datetime64[ns]")
    if name in _INT_COLUMNS:
        return np.array(values, dtype="int64")
    if name in _FLOAT_COLUMNS:           # None -> NaN
        return np.array(values, dtype="float64")
    return pd.array(np.array(values, dtype=object), dtype="str")


def rows_to_frame(rows: Sequence[tuple]) -> gpd.GeoDataFrame:
    """Rows of ``FRAME_COLUMNS`` (dates as ISO text, all with coordinates) -> frame."""
    columns = list(zip(*rows)) if rows else [()] * len(FRAME_COLUMNS)
    df = pd.DataFrame({name: _column(name, values)
                       for name, values in zip(FRAME_COLUMNS, columns)})
    geometry = gpd.points_from_xy(df["longitude"], df["latitude"], crs=CRS)
    return gpd.GeoDataFrame(df, geometry=geometry, crs=CRS)


def empty_frame() -> gpd.GeoDataFrame:
    """A frame with no rows but the full columns, dtypes and CRS."""
    return rows_to_frame([])
