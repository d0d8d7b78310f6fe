"""UCDP Georeferenced Event Dataset (GED) CSVs -> events.

Mapping:

* ``type_of_violence`` 1 state-based, 2 non-state -> Battles / Armed clash;
  3 one-sided (against civilians) -> Violence against civilians / Attack.
* ``side_a`` -> actor1, ``side_b`` -> actor2 (forces through data/forces.csv, plus
  UCDP's "Government of <country>" names below).
* dates: the interval [date_start, date_end]; ``event_date`` is date_start.
  ``date_prec`` 1 exact day -> DAY; 2 within 2-6 days -> WEEK; 3 within a month ->
  MONTH; 4 within a year and 5 longer -> YEAR.
* place: ``where_prec`` 1 exact -> EXACT; 2 within 25 km and 3 second-order admin
  (district) -> NEAR; 4 first-order admin (province) -> REGION; 5 linear feature
  (road, river), 6 country, 7 waters/airspace -> COUNTRY.
* ``best`` -> fatalities; ``where_coordinates`` -> location; ``adm_1`` -> admin1;
  ``source_headline`` -> notes; ``source_office`` -> source.
* ``event_clarity`` 1 (high) -> confidence 0.8, 2 (low) -> 0.5.

Provenance: ``origin`` "imported", ``event_id`` ``ucdp:<id>``.
"""
from __future__ import annotations

import re
from pathlib import Path

from geo.core.codebook import country_code
from geo.core.forces import ForceTable
from geo.core.records import Event, GeoPrecision, Origin, TimePrecision
from geo.core.validate import STRICT, Allow
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
)

DATASET = "UCDP GED"
COLUMNS: tuple[str, ...] = (
    "id", "relid", "year", "active_year", "type_of_violence", "conflict_new_id",
    "conflict_name", "dyad_new_id", "dyad_name", "side_a_new_id", "side_a", "side_b_new_id",
    "side_b", "number_of_sources", "source_article", "source_office", "source_date",
    "source_headline", "source_original", "where_prec", "where_coordinates",
    "where_description", "adm_1", "adm_2", "latitude", "longitude", "geom_wkt",
    "priogrid_gid", "country", "country_id", "region", "event_clarity", "date_prec",
    "date_start", "date_end", "deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown",
    "best", "high", "low", "gwnoa", "gwnob")
REQUIRED: tuple[str, ...] = ("id", "type_of_violence", "side_a", "side_b", "where_prec",
                             "latitude", "longitude", "date_prec", "date_start", "date_end",
                             "best")
TIME_PRECISION = {1: TimePrecision.DAY, 2: TimePrecision.WEEK, 3: TimePrecision.MONTH,
                  4: TimePrecision.YEAR, 5: TimePrecision.YEAR}
GEO_PRECISION = {1: GeoPrecision.EXACT, 2: GeoPrecision.NEAR, 3: GeoPrecision.NEAR,
                 4: GeoPrecision.REGION, 5: GeoPrecision.COUNTRY, 6: GeoPrecision.COUNTRY,
                 7: GeoPrecision.COUNTRY}
_TYPES = {1: ("Battles", "Armed clash"), 2: ("Battles", "Armed clash"),
          3: ("Violence against civilians", "Attack")}
#: UCDP names a government "Government of <country>"; the force table says which force
#: is the government of which country.
_GOVERNMENT = re.compile(r"\s*government\s+of\s+(?P<country>.+?)\s*$", re.I)


def ucdp_actor(name: str, forces: ForceTable, parsed: ParsedFile) -> str:
    """The force id of a UCDP side: "Government of Syria" through the force table's
    ``government_of`` column, any other name through the alias table."""
    m = _GOVERNMENT.match(name)
    code = country_code(m["country"]) if m else None
    government = forces.government_of(code) if code else None
    return government or map_actor(name, forces, parsed)


def _row_event(row: dict[str, str], forces: ForceTable, parsed: ParsedFile) -> Event:
    if not row["id"]:
        raise RowError("id", "id is missing")
    violence = parse_int(row["type_of_violence"], "type_of_violence", (1, 2, 3))
    start = parse_day(row["date_start"], "date_start", parsed.allow)
    end = parse_day(row["date_end"], "date_end", parsed.allow)
    if end < start:
        raise RowError("date_end", f"{end} is before date_start {start}")
    date_prec = parse_int(row["date_prec"], "date_prec", tuple(TIME_PRECISION))
    where_prec = parse_int(row["where_prec"], "where_prec", tuple(GEO_PRECISION))
    latitude = parse_coordinate(row["latitude"], "latitude")
    longitude = parse_coordinate(row["longitude"], "longitude")
    check_row_point(latitude, longitude, parsed)
    country = check_row_country(row.get("country", ""))
    fatalities = parse_count(row["best"], "best")
    event_type, sub = _types_for(violence)
    clarity = row.get("event_clarity", "1")
    side_b_force = "" if violence == 3 else ucdp_actor(row["side_b"], forces, parsed)
    return Event(
        event_date=start, event_type=event_type, sub_event_type=sub, actor1=row["side_a"],
        actor2=row["side_b"], location=row.get("where_coordinates", ""),
        latitude=latitude, longitude=longitude, time_precision=TIME_PRECISION[date_prec],
        geo_precision=GEO_PRECISION[where_prec], source=row.get("source_office", ""),
        notes=row.get("source_headline", ""), fatalities=fatalities,
        country=country, admin1=row.get("adm_1", ""),
        event_id=f"ucdp:{row['id']}", date_min=start, date_max=end,
        actor1_force=ucdp_actor(row["side_a"], forces, parsed),
        actor2_force=side_b_force, confidence=0.5 if clarity == "2" else 0.8,
        origin=Origin.IMPORTED.value)


def _types_for(violence: int) -> tuple[str, str]:
    return _TYPES[violence]


def parse_ucdp(path: str | Path, forces: ForceTable, *, geocoder: object = None,
               allow: Allow = STRICT) -> ParsedFile:
    """Read a UCDP GED CSV; ``InputError`` if the file is unusable (see ``read_rows``).
    UCDP always gives coordinates, so ``geocoder`` is not used.

    One-sided violence names civilians as side_b: they are not a force, so not listed
    as unmapped."""
    return parse_csv(path, forces, dataset=DATASET, required=REQUIRED, known=COLUMNS,
                     row_event=_row_event, allow=allow)
