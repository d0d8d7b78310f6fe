"""``python -m geo geocode [NAME ...]``: place names in, CSV out (one row per answer).

Names come from the arguments, or one per line on stdin when there are none. The CSV
(columns ``CSV_COLUMNS``) is what ``tests/eval/geocode_score.py`` scores; an unresolved
name still gets a row, with empty coordinates and the reason in ``reason``.

Each answer says how sure it is: ``score`` (confidence 0..1), ``margin`` (its lead over
the best candidate elsewhere), ``review`` ("yes" when an analyst should confirm it; the
reason says why) and the ``runner_up``; ``geo_precision`` (ACLED's 1-4) and ``qualifier``
say what the query asked ("SE of Tikrit" is near Tikrit, precision 2). A list ("Hit and
Haditha") gets one row per place, ``part`` numbering them; the first is the answer.
Cells are written spreadsheet-safe (a leading = + - @ is quoted with an apostrophe).
"""
from __future__ import annotations

import csv
import sys
from collections.abc import Iterable
from typing import TextIO

import click

from geo.core.errors import GeocoderQueryError, GeocoderUnavailable
from geo.geocode import GEOCODERS, get_geocoder
from geo.geocode.base import Geocoder, Location
from geo.store.base import Store

CSV_COLUMNS = ("query", "name", "latitude", "longitude", "country", "admin1", "place_type",
               "source", "score", "margin", "review", "runner_up", "geo_precision",
               "qualifier", "part", "reason")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: Columns written by this program as numbers: never quoted, so -33.5 stays a number.
_NUMERIC = frozenset({"latitude", "longitude", "score", "margin", "geo_precision"})


def _names(names: tuple[str, ...], stdin: TextIO) -> Iterable[str]:
    if names:
        yield from names
        return
    for line in stdin:
        name = line.rstrip("\r\n")
        if name.strip():
            yield name


def _safe(cell: str) -> str:
    """A cell a spreadsheet will not run as a formula; control characters as spaces."""
    cell = "".join(" " if ord(c) < 32 else c for c in cell)
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def _row(query: str, loc: Location | None, reason: str = "", part: str = "") -> dict[str, str]:
    if loc is None:
        row = {"query": query, **{c: "" for c in CSV_COLUMNS[1:]}, "reason": reason}
        return {k: v if k in _NUMERIC else _safe(v) for k, v in row.items()}
    p = loc.place
    runner = loc.runner_up
    row = {"query": query, "name": p.name, "latitude": f"{p.latitude:.5f}",
           "longitude": f"{p.longitude:.5f}", "country": p.country, "admin1": p.admin1,
           "place_type": p.place_type, "source": p.source, "score": f"{loc.score:.3f}",
           "margin": f"{loc.margin:.3f}", "review": "yes" if loc.review else "",
           "runner_up": f"{runner.name} ({runner.country}, {runner.place_type})"
           if runner else "", "geo_precision": str(loc.geo_precision),
           "qualifier": loc.qualifier, "part": part, "reason": reason or loc.reason}
    return {k: v if k in _NUMERIC else _safe(v) for k, v in row.items()}


def geocode_rows(geocoder: Geocoder, names: Iterable[str],
                 candidates: int = 1) -> Iterable[dict[str, str]]:
    """CSV rows for ``names``: the best ``candidates`` answers each, or one row saying why
    there is none. After the service fails once, the rest are not tried."""
    unavailable = ""
    not_found = ("not in gazetteer" if geocoder.name == "gazetteer"
                 else f"not found by {geocoder.name}")
    for name in names:
        full = name.strip()
        query = full[:1000]            # the CSV cell; the geocoder judges the whole name
        if unavailable:
            yield _row(query, None, f"not tried: {unavailable}")
            continue
        try:
            found = geocoder.geocode(full, exactly_one=False)
        except GeocoderQueryError as exc:
            yield _row(query, None, exc.message)
            continue
        except GeocoderUnavailable as exc:
            unavailable = f"geocoder unavailable ({exc})"
            yield _row(query, None, unavailable)
            continue
        locations = list(found or [])[:candidates]  # type: ignore[arg-type]
        if not locations:
            close = getattr(geocoder, "suggest", lambda q: "")(full)
            yield _row(query, None, f"{not_found}; closest spelling: {close}" if close
                       else not_found)
            continue
        first = locations[0]
        if first.parts:
            n = len(first.parts)
            for i, part in enumerate(first.parts, start=1):
                yield _row(query, part, first.reason if i == 1 else part.reason,
                           part=f"{i}/{n}")
            locations = locations[1:]
        for loc in locations:
            yield _row(query, loc)


def _open_store(wanted: bool) -> Store | None:
    if not wanted:
        return None
    from geo.store import open_store
    return open_store()


@click.command("geocode")
@click.argument("names", nargs=-1, metavar="[NAME]...")
@click.option("--geocoder", metavar="NAME", default=None,
              help=f"backend ({', '.join(sorted(GEOCODERS))}); default: the 'geocoder' setting")
@click.option("--candidates", type=click.IntRange(min=1), default=1, metavar="N",
              help="write up to N answers per name, best first (default 1)")
@click.option("--use-store", is_flag=True,
              help="use the event database: the analyst's own places, and the cache of "
                   "online answers")
def geocode_command(names: tuple[str, ...], geocoder: str | None, candidates: int,
                    use_store: bool) -> None:
    """Geocode place names (arguments, or one per line on stdin when none are given) to
    CSV on stdout."""
    store = _open_store(use_store)
    try:
        backend = get_geocoder(geocoder, store=store)
        writer = csv.DictWriter(sys.stdout, fieldnames=CSV_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for row in geocode_rows(backend, _names(names, sys.stdin), candidates):
            writer.writerow(row)
    finally:
        if store is not None:
            store.close()
