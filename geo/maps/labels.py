"""Basemap labels from the bundled gazetteer: towns and villages by importance and zoom,
provinces and districts named at their zooms.

Why from the gazetteer: the Natural Earth town layer has ~60 names for Iraq and Syria, so
at zoom 10-13, where analysts work, the map was empty (Hit unlabelled). The gazetteer
(``data/gazetteer.tsv.gz``, Who's On First) has ~32,000 localities there with an
importance score; each gets the zoom from which it is labelled (``min_zoom``): a city
from zoom 6, a town like Hit (importance 0.55) from 9, every village from 12. The browser
draws them most important first and skips a label that would overlap one already drawn,
so a dense area stays readable at every zoom.

Output (JSON, served as a static file once per process): ``{"labels": [[lon, lat, name,
min_zoom, kind], ...]}`` sorted by drawing priority; ``kind`` is city, town, village,
province or district.
"""
from __future__ import annotations

import csv
import gzip
import io
import unicodedata
from functools import lru_cache
from typing import Any

from geo.core import theatre
from geo.core.errors import InputError
from geo.core.paths import GAZETTEER_FILE

#: Localities of these countries are all labelled; of the neighbours only notable ones.
CORE_COUNTRIES = ("IQ", "SY")
NEIGHBOUR_MIN_IMPORTANCE = 0.6
#: (smallest importance, min zoom, kind), first match wins.
LOCALITY_ZOOMS: tuple[tuple[float, int, str], ...] = (
    (0.85, 5, "city"), (0.7, 7, "city"), (0.6, 8, "town"), (0.45, 9, "town"),
    (0.3, 10, "town"), (0.2, 11, "village"), (0.0, 12, "village"),
)
PROVINCE_ZOOM = 7
DISTRICT_ZOOM = 9
#: Drawing priority (lower first) per kind; within a kind, more important first.
PRIORITY = {"city": 0, "province": 1, "town": 2, "district": 3, "village": 4}


def locality_zoom(importance: float) -> tuple[int, str]:
    """(min zoom, kind) of a locality of this importance."""
    for floor, zoom, kind in LOCALITY_ZOOMS:
        if importance >= floor:
            return zoom, kind
    return LOCALITY_ZOOMS[-1][1], LOCALITY_ZOOMS[-1][2]


def _plain(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(c))


def display_name(name: str, names: str) -> str:
    """The name as analysts write it: "Hīt" becomes "Hit" when the gazetteer lists that
    spelling among the place's names (transliteration marks dropped only then)."""
    if name.isascii():
        return name
    plain = _plain(name)
    return plain if plain in names.split("|") else name


def _inside(lon: float, lat: float) -> bool:
    west, south, east, north = theatre.current().valid_bbox
    return west <= lon <= east and south <= lat <= north


@lru_cache(maxsize=1)
def basemap_labels() -> dict[str, Any]:
    """Every label of the basemap (see the module docstring), read once per process."""
    try:
        raw = gzip.decompress(GAZETTEER_FILE.read_bytes()).decode("utf-8")
    except OSError as exc:
        raise InputError(f"gazetteer missing ({exc.strerror})", source=str(GAZETTEER_FILE)
                         ) from exc
    rows: list[tuple[int, float, list[Any]]] = []
    for line, row in enumerate(csv.DictReader(io.StringIO(raw), delimiter="\t",
                                              quoting=csv.QUOTE_NONE), start=2):
        try:
            lat, lon = float(row["lat"]), float(row["lon"])
            importance = float(row["importance"] or 0)
        except (TypeError, ValueError) as exc:
            raise InputError(f"not a number ({exc})", source=str(GAZETTEER_FILE),
                             line=line) from exc
        kind_of_row, country = row["placetype"], row["country"]
        if not _inside(lon, lat):
            continue
        if kind_of_row == "locality":
            if country not in CORE_COUNTRIES and importance < NEIGHBOUR_MIN_IMPORTANCE:
                continue
            zoom, kind = locality_zoom(importance)
        elif kind_of_row == "region" and country in CORE_COUNTRIES:
            zoom, kind = PROVINCE_ZOOM, "province"
        elif kind_of_row == "county" and country in CORE_COUNTRIES:
            zoom, kind = DISTRICT_ZOOM, "district"
        else:
            continue
        name = display_name(row["name"], row["names"] or "")
        rows.append((PRIORITY[kind], -importance,
                     [round(lon, 4), round(lat, 4), name, zoom, kind]))
    # A district named after its seat would repeat the town's label beside it.
    towns = {r[2][2] for r in rows if r[2][4] in ("city", "town")}
    rows = [r for r in rows if not (r[2][4] == "district" and r[2][2] in towns)]
    rows.sort(key=lambda r: (r[0], r[1], r[2][2]))
    return {"labels": [r[2] for r in rows]}
