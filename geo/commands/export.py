"""``python -m geo export``: the filtered events as ACLED-style CSV (stdout or a file), or
as GeoJSON, GeoPackage or KML, chosen by the ``--out`` extension."""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import date
from pathlib import Path

from geo.cli import command
from geo.errors import InputError
from geo.exports import acled, gis
from geo.forces import default_forces
from geo.model import EVENT_TYPES
from geo.store import open_store
from geo.store.query import EventFilter


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (expected YYYY-MM-DD)") \
            from None


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", metavar="FILE", type=Path,
                        help="write here instead of standard output (replaced atomically); "
                             ".csv, .geojson/.json, .gpkg or .kml")
    parser.add_argument("--from", dest="date_from", metavar="D", type=_iso_date,
                        help="first day (YYYY-MM-DD); events whose date interval overlaps")
    parser.add_argument("--to", dest="date_to", metavar="D", type=_iso_date,
                        help="last day (YYYY-MM-DD)")
    parser.add_argument("--force", dest="forces", metavar="F", nargs="+", action="extend",
                        default=[], help="force ids (data/forces.csv) as actor or new holder")
    parser.add_argument("--type", dest="types", metavar="T", nargs="+", action="extend",
                        default=[], help="ACLED event types, e.g. Battles")
    parser.add_argument("--database", "--db", dest="db", metavar="URL", default=None,
                        help="database path or URL (default: the database_url setting); "
                             "--db is the older spelling")


@command("export", "Write events as ACLED-style CSV (with evidence and review columns), "
         "GeoJSON, GeoPackage or KML (by the --out extension).",
         _configure)
def run(args: argparse.Namespace) -> int:
    unknown = [t for t in args.types if t not in EVENT_TYPES]
    if unknown:
        raise InputError(f"unknown event type(s) {', '.join(map(repr, unknown))}; known: "
                         f"{', '.join(EVENT_TYPES)}", field="--type")
    fmt = gis.format_for(args.out)
    flt = EventFilter(date_from=args.date_from, date_to=args.date_to,
                      forces=tuple(args.forces), event_types=tuple(args.types))
    with open_store(args.db) as store:
        frame = store.query_events(flt)
    if args.out is None:
        n = acled.write_csv(frame, sys.stdout)
        sys.stdout.flush()
        target = "standard output"
    else:
        n = _write_file(frame, args.out) if fmt == "csv" else _write_gis(frame, args.out, fmt)
        target = str(args.out)
    skipped = frame.attrs.get("n_without_coordinates", 0)
    note = f"; {skipped} without coordinates not exported" if skipped else ""
    print(f"wrote {flt.describe(n)} to {target}{note}", file=sys.stderr)
    return 0


def _write_file(frame, out: Path) -> int:
    """Write next to the target, then rename: a failed export never leaves half a file."""
    out = out.expanduser().absolute()
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            n = acled.write_csv(frame, fh)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return n


def _write_gis(frame, out: Path, fmt: str) -> int:
    """GeoJSON, GeoPackage or KML (each written atomically by ``geo.exports.gis``)."""
    if fmt == "geojson":
        return gis.write_geojson(frame, out)
    if fmt == "gpkg":
        return gis.write_gpkg(frame, out)
    return gis.write_kml(frame, out, default_forces())
