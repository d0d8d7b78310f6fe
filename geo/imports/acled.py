"""ACLED export CSVs (codebook columns) -> events.

Precision mapping (ACLED codebook -> ``TimePrecision`` / ``GeoPrecision``):

* ``time_precision`` 1 day -> DAY, interval [event_date, event_date];
  2 week -> WEEK, interval [event_date - 3, event_date + 3] (ACLED codes a reported week
  to a day inside it, so a week around that day always contains the real one);
  3 month -> MONTH, interval = the calendar month of event_date.
* ``geo_precision`` 1, 2, 3 -> EXACT, NEAR, REGION (same meaning as ours).
* ``inter1``, ``inter2``, ``interaction``: checked (numbers 1-8 and the joined code, or the
  2024 codebook's text, ``geo.core.codebook.inter_code``; the interaction must join the
  two types) and not stored: the export works them out again from the force table.

Our own CSV export has the same columns plus ``date_min``, ``date_max``, ``control_to``,
``confidence``, ``time_precision_detail``, ``geo_precision_detail`` ...; when present they
win, so export -> import gives the same events (a year-precise date or a country-wide
place, written as ACLED's 3, comes back as our 4). Files of our earlier versions wrote our
4 in ACLED's precision columns: read as before.

Provenance: ``origin`` is "imported" and ``event_id`` is ``acled:<event_id_cnty>`` (the
dataset and its original id; an id already prefixed ``acled:`` is kept as is).
"""
from __future__ import annotations

import calendar
import math
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from geo.core.codebook import (
    ACLED_COLUMNS,
    CAPTURE_SUB_EVENT_TYPES,
    EVENT_TYPES,
    EXTRA_COLUMNS,
    inter_code,
    interaction,
    interaction_code,
)
from geo.core.forces import ForceTable
from geo.core.records import Event, Origin, TimePrecision
from geo.core.validate import STRICT, Allow, shown
from geo.imports.common import (
    ParsedFile,
    RowError,
    check_row_country,
    check_row_point,
    map_actor,
    parse_coordinate,
    parse_count,
    parse_csv,
    parse_day,
    parse_int,
    place_from_name,
)

DATASET = "ACLED"
#: Without these a row cannot become an event; the other codebook columns are optional.
REQUIRED: tuple[str, ...] = ("event_id_cnty", "event_date", "time_precision", "event_type",
                             "sub_event_type", "actor1", "actor2", "latitude", "longitude")
KNOWN: tuple[str, ...] = (*ACLED_COLUMNS, *EXTRA_COLUMNS)
#: ACLED is coded by people from several sources: trusted more than one machine reading.
IMPORTED_CONFIDENCE = 0.8
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PREFIXES = ("acled:", "ucdp:", "gis:")


def month_bounds(day: date) -> tuple[date, date]:
    """First and last day of the calendar month of ``day`` (December 9999 included)."""
    return day.replace(day=1), day.replace(day=calendar.monthrange(day.year, day.month)[1])


def interval(day: date, precision: int) -> tuple[date, date]:
    """The dates an ACLED event with this date and time precision may have happened on
    (``RowError`` when that runs off the calendar: a week around 9999-12-31)."""
    try:
        if precision == TimePrecision.WEEK:
            return day - timedelta(days=3), day + timedelta(days=3)
        if precision == TimePrecision.MONTH:
            return month_bounds(day)
    except OverflowError:
        raise RowError("event_date", f"{day.isoformat()} with time precision {precision} "
                                     f"runs off the calendar (years 1 to 9999)") from None
    return day, day


def _types(row: dict[str, str]) -> tuple[str, str]:
    event_type, sub = row["event_type"], row["sub_event_type"]
    if event_type not in EVENT_TYPES:
        raise RowError("event_type", f"unknown event type {shown(event_type)}")
    if sub not in EVENT_TYPES[event_type]:
        raise RowError("sub_event_type", f"{shown(sub)} is not a sub-event type of {shown(event_type)}")
    return event_type, sub


def check_actor_types(row: dict[str, str]) -> None:
    """``RowError`` when inter1, inter2 or interaction is not ACLED's (a number 1-8 or its
    text; the joined code of the two), or the interaction does not join the row's two
    types (a file edited by hand, or columns shifted). Empty cells pass."""
    codes: dict[str, int | None] = {}
    for name, read in (("inter1", inter_code), ("inter2", inter_code),
                       ("interaction", interaction_code)):
        try:
            codes[name] = read(row.get(name) or "")
        except ValueError as exc:
            raise RowError(name, f"{shown(row.get(name) or '')} is not {exc}") from None
    inter1, inter2, joined = codes["inter1"], codes["inter2"], codes["interaction"]
    if joined is not None and inter1 is not None and joined != interaction(inter1, inter2):
        raise RowError("interaction", f"{joined} does not join inter1 {inter1} and inter2 "
                                      f"{inter2 or 0} (the codebook's code is "
                                      f"{interaction(inter1, inter2)})")


def _precision(row: dict[str, str], name: str, allowed: tuple[int, ...],
               default: str = "") -> int:
    """A precision code: our ``*_detail`` column when the file has it (our own export),
    else ACLED's column."""
    detail = f"{name}_detail"
    if row.get(detail):
        return parse_int(row[detail], detail, allowed)
    return parse_int(row.get(name) or default, name, allowed)


def unneutralise(cell: str) -> str:
    """Undo ``geo.exports.acled.neutralise`` (a leading apostrophe before = + - @ tab CR),
    so our own exports import with their original text."""
    return cell[1:] if cell.startswith("'") and cell[1:2] in _FORMULA_START else cell


def row_event(row: dict[str, str], forces: ForceTable, parsed: ParsedFile, *,
              prefix: str = "acled:") -> Event:
    """One row with ACLED column names (plus our extra columns) -> an imported event;
    ``RowError`` names the bad field. Shared with the GIS importer (same columns)."""
    row = {k: unneutralise(v) for k, v in row.items()}
    original = row["event_id_cnty"]
    if not original:
        raise RowError("event_id_cnty", "id is missing")
    event_id = original if original.lower().startswith(_PREFIXES) else f"{prefix}{original}"
    day = parse_day(row["event_date"], "event_date", parsed.allow)
    precision = _precision(row, "time_precision", (1, 2, 3, 4, 9))
    check_actor_types(row)
    lo, hi = interval(day, precision)
    if row.get("date_min") or row.get("date_max"):       # our own export: exact interval
        lo = parse_day(row["date_min"], "date_min", parsed.allow) if row.get("date_min") \
            else lo
        hi = parse_day(row["date_max"], "date_max", parsed.allow) if row.get("date_max") \
            else hi
        if not lo <= day <= hi:
            raise RowError("event_date", f"{day} is outside date_min..date_max {lo}..{hi}")
    event_type, sub = _types(row)
    place_id, admin1 = "", row.get("admin1", "")
    country = check_row_country(row.get("country", ""))
    if not row["latitude"].strip() and not row["longitude"].strip() \
            and row.get("location", "").strip() and parsed.geocoder is not None:
        latitude, longitude, geo, place_id, cc, adm = place_from_name(row, parsed)
        country, admin1 = country or cc, admin1 or adm
        if row.get("geo_precision") or row.get("geo_precision_detail"):
            geo = max(geo, _precision(row, "geo_precision", (1, 2, 3, 4)))
    else:
        latitude = parse_coordinate(row["latitude"], "latitude")
        longitude = parse_coordinate(row["longitude"], "longitude")
        geo = _precision(row, "geo_precision", (1, 2, 3, 4), default="1")
    check_row_point(latitude, longitude, parsed)
    actor1_force = map_actor(row["actor1"], forces, parsed)
    actor2_force = map_actor(row["actor2"], forces, parsed)
    control_to = row.get("control_to", "")
    if "control_to" not in row and sub in CAPTURE_SUB_EVENT_TYPES - {
            "Non-violent transfer of territory"}:
        control_to = actor1_force         # ACLED: actor1 takes or retakes the place
    confidence = IMPORTED_CONFIDENCE
    if row.get("confidence"):
        try:
            confidence = float(row["confidence"])
        except ValueError:
            confidence = math.nan
        if not 0.0 <= confidence <= 1.0:
            raise RowError("confidence", f"{shown(row['confidence'])} is not a number "
                                         f"between 0 and 1")
    return Event(
        event_date=day, event_type=event_type, sub_event_type=sub, actor1=row["actor1"],
        actor2=row["actor2"], assoc_actor_1=row.get("assoc_actor_1", ""),
        location=row.get("location", ""), latitude=latitude, longitude=longitude,
        time_precision=precision, geo_precision=geo, source=row.get("source", ""),
        notes=row.get("notes", ""), fatalities=parse_count(row.get("fatalities", ""),
                                                           "fatalities"),
        country=country, admin1=admin1, event_id=event_id, place_id=place_id,
        date_min=lo, date_max=hi, actor1_force=actor1_force, actor2_force=actor2_force,
        control_to=control_to, confidence=confidence, origin=Origin.IMPORTED.value)


def parse_acled(path: str | Path, forces: ForceTable, *, geocoder: Any = None,
                allow: Allow = STRICT) -> ParsedFile:
    """Read an ACLED CSV; ``InputError`` if the file is unusable (see ``read_rows``).
    With a ``geocoder``, a row that names its location but has no coordinates is placed
    by name (flagged names are listed for review, their rows skipped)."""
    return parse_csv(path, forces, dataset=DATASET, required=REQUIRED, known=KNOWN,
                     geocoder=geocoder, allow=allow, row_event=row_event)
