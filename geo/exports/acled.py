"""Events as ACLED-style CSV: the codebook columns first, then what ACLED lacks.

Analysts open these files in spreadsheets, so text cells that a spreadsheet would run
as a formula (starting with = + - @ tab or CR: CSV injection) get a leading apostrophe.
Numeric columns are written as numbers and never altered, so -0.5 stays a number.

What fills the codebook's columns (ACLED Codebook 2023; README.md, "Events follow ACLED's
codebook"): inter1/inter2 are the actor types of the event's forces from the force table
(``ForceTable.actor_type``, in the event's country) or of ACLED's generic actors
("Civilians (Iraq)"), and interaction joins them (``codebook.interaction``); an actor
whose type is unknown leaves its code and the interaction empty rather than guessed.
time_precision and geo_precision hold the codebook's codes 1-3 (our coarser codes as 3)
and ours stay in ``time_precision_detail`` / ``geo_precision_detail``. timestamp is, as
in ACLED, the Unix time (seconds) of the row's last change: when the store last wrote the
event (ingest, import, an analyst's edit, a new report joining it), so a newer export of
ours updates the rows it changed when imported elsewhere, like a newer ACLED file.
"""
from __future__ import annotations

import csv
import math
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any, TextIO

import pandas as pd

from geo.core.codebook import (
    COLUMNS,
    COUNTRIES,
    DISORDER_TYPE,
    NUMERIC_COLUMNS,
    acled_precision,
    country_code,
    generic_actor_type,
    interaction,
)
from geo.core.forces import ForceTable, default_forces

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

def neutralise(value: str) -> str:
    """A text cell a spreadsheet will show as text, never evaluate."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def _iso_day(value: Any) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return value.date().isoformat() if hasattr(value, "date") else str(value)[:10]


def _code(value: Any) -> int | None:
    """A precision code of a frame row (an int, a float from a frame with gaps, or none)."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value == "":
        return None
    return int(value)


def unix_time(value: Any) -> int | None:
    """ACLED's ``timestamp`` of a row's ``updated_at`` (ISO text or a datetime; UTC when no
    offset is written): whole seconds since 1970; None when unknown."""
    if value is None or value == "" or (isinstance(value, float) and math.isnan(value)):
        return None
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp())


def _number(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value)) if not isinstance(value, bool) else str(value)
    return str(value)


def _text(value: Any) -> str:
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) \
        else str(value)


def actor_codes(event: dict[str, Any], forces: ForceTable) -> tuple[int | None, int | None,
                                                                     int | None]:
    """``(inter1, inter2, interaction)`` of an event: each actor's ACLED type from its
    force (in the event's country) or its generic ACLED name; the interaction only when
    every named actor's type is known (an unknown second actor is not "sole action")."""
    country = country_code(_text(event.get("country"))) or ""
    codes: list[int | None] = []
    for n in ("1", "2"):
        force, name = _text(event.get(f"actor{n}_force")), _text(event.get(f"actor{n}"))
        code = forces.actor_type(force, country) if force else None
        codes.append(code if code is not None else generic_actor_type(name))
    inter1, inter2 = codes
    named2 = bool(_text(event.get("actor2")).strip() or _text(event.get("actor2_force")))
    joined = interaction(inter1, inter2) if inter2 is not None or not named2 else None
    return inter1, inter2, joined


def acled_row(event: dict[str, Any], *, neutralise_text: bool = True,
              forces: ForceTable | None = None) -> dict[str, str]:
    """One event (a row of ``Store.query_events`` as a dict) -> CSV cells by column.

    ``neutralise_text=False`` is for formats no spreadsheet evaluates (GIS files);
    ``forces`` gives the actor types (default: the bundled force table)."""
    country_name, iso = COUNTRIES.get(str(event.get("country", "")).casefold(),
                                       (str(event.get("country", "")), None))
    inter1, inter2, joined = actor_codes(event, forces or default_forces())
    time_detail, geo_detail = event.get("time_precision"), event.get("geo_precision")
    day = _iso_day(event.get("event_date"))
    values: dict[str, Any] = {name: event.get(name, "") for name in COLUMNS}
    values.update(
        event_id_cnty=event.get("event_id", ""), event_date=day,
        year=int(day[:4]) if day else None,
        disorder_type=DISORDER_TYPE.get(str(event.get("event_type", "")), ""),
        civilian_targeting=("Civilian targeting"
                            if event.get("event_type") == "Violence against civilians" else ""),
        iso=iso, region="Middle East" if iso else "", country=country_name,
        inter1=inter1, inter2=inter2, interaction=joined,
        timestamp=unix_time(event.get("updated_at")),
        time_precision=acled_precision(_code(time_detail)), time_precision_detail=time_detail,
        geo_precision=acled_precision(_code(geo_detail)), geo_precision_detail=geo_detail,
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


def iter_rows(frame: pd.DataFrame, forces: ForceTable | None = None
              ) -> Iterator[dict[str, str]]:
    """CSV cell dicts for every row of a query frame, in frame order."""
    table = forces or default_forces()
    for record in frame.drop(columns="geometry", errors="ignore").to_dict("records"):
        yield acled_row(record, forces=table)


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
