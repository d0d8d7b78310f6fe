"""Events as ACLED-style CSV: the codebook columns first, then what ACLED lacks.

Analysts open these files in spreadsheets, so text cells that a spreadsheet would run
as a formula (starting with = + - @ tab or CR: CSV injection) get a leading apostrophe.
Numeric columns are written as numbers and never altered, so -0.5 stays a number.
"""
from __future__ import annotations

import csv
import math
from collections.abc import Iterator
from typing import Any, TextIO

import pandas as pd

from geo.core.codebook import COLUMNS, COUNTRIES, DISORDER_TYPE, NUMERIC_COLUMNS

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

def neutralise(value: str) -> str:
    """A text cell a spreadsheet will show as text, never evaluate."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def _iso_day(value: Any) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return value.date().isoformat() if hasattr(value, "date") else str(value)[:10]


def _number(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value)) if not isinstance(value, bool) else str(value)
    return str(value)


def acled_row(event: dict[str, Any], *, neutralise_text: bool = True) -> dict[str, str]:
    """One event (a row of ``Store.query_events`` as a dict) -> CSV cells by column.

    ``neutralise_text=False`` is for formats no spreadsheet evaluates (GIS files)."""
    country_name, iso = COUNTRIES.get(str(event.get("country", "")).casefold(),
                                       (str(event.get("country", "")), None))
    day = _iso_day(event.get("event_date"))
    values: dict[str, Any] = {name: event.get(name, "") for name in COLUMNS}
    values.update(
        event_id_cnty=event.get("event_id", ""), event_date=day,
        year=int(day[:4]) if day else None,
        disorder_type=DISORDER_TYPE.get(str(event.get("event_type", "")), ""),
        civilian_targeting=("Civilian targeting"
                            if event.get("event_type") == "Violence against civilians" else ""),
        iso=iso, region="Middle East" if iso else "", country=country_name,
        inter1=None, inter2=None, interaction=None, timestamp=None,
        date_min=_iso_day(event.get("date_min")), date_max=_iso_day(event.get("date_max")),
        confidence=(round(float(event["confidence"]), 4)
                    if event.get("confidence") is not None else None))
    cells = {}
    for name in COLUMNS:
        value = values.get(name)
        if name in NUMERIC_COLUMNS:
            cells[name] = _number(value)
        else:
            text = "" if value is None else str(value)
            cells[name] = neutralise(text) if neutralise_text else text
    return cells


def iter_rows(frame: pd.DataFrame) -> Iterator[dict[str, str]]:
    """CSV cell dicts for every row of a query frame, in frame order."""
    for record in frame.drop(columns="geometry", errors="ignore").to_dict("records"):
        yield acled_row(record)


def write_csv(frame: pd.DataFrame, out: TextIO) -> int:
    """Write the header and one row per event; returns the number of rows written.
    ``out`` should be opened with ``newline=""`` (the csv module writes CRLF)."""
    writer = csv.DictWriter(out, fieldnames=list(COLUMNS))
    writer.writeheader()
    n = 0
    for row in iter_rows(frame):
        writer.writerow(row)
        n += 1
    return n
