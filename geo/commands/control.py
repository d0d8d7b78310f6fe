"""``python -m geo control --date YYYY-MM-DD``: the control map of a day as GeoJSON on stdout."""
from __future__ import annotations

import json
import sys
from datetime import date

import click

from geo.commands.common import ISO_DATE, database_option


def iso_date(value: str) -> date:
    """argparse type: strictly YYYY-MM-DD, so a typo never silently means another day."""
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a date; expected YYYY-MM-DD, e.g. 2015-06-01") from None


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--date", type=iso_date, required=True, metavar="YYYY-MM-DD",
                        help="the day to map")
    parser.add_argument("--no-curated", action="store_true",
                        help="leave out the curated control timeline (store events only)")
    parser.add_argument("--place", metavar="NAME", action="append",
                        help="instead of GeoJSON, say who held this town on the day (any "
                             "spelling; repeatable)")
    parser.add_argument("--changes-since", type=iso_date, metavar="YYYY-MM-DD",
                        help="add the ground each force gained and lost since this day "
                             "(features of kind gained/lost)")
    parser.add_argument("--database", metavar="URL",
                        help="database path or URL (default: the database_url setting)")


@command("control", "Write the territorial control of a day (areas, front lines, places) "
         "as a GeoJSON FeatureCollection to stdout.", configure)
def run(args: argparse.Namespace) -> int:
    from geo.control.facts import holder_of
    from geo.control.history import control_series, with_histories
    from geo.control.sources import control_events
    from geo.store import open_store

    with open_store(args.database) as store:
        captures = control_events(None, store, curated=False)
    series = control_series(captures, curated=not args.no_curated)
    if args.place:
        for name in args.place:
            print(holder_of(name, args.date, series).describe())
        return 0
    collection = with_histories(series.collection_on(args.date), series)
    if args.changes_since:
        collection["features"] = series.gained_lost(args.changes_since, args.date) + \
            collection["features"]
    sys.stdout.write(json.dumps(collection, ensure_ascii=False) + "\n")   # one write: fast
    for problem in collection["problems"]:
        click.echo(f"warning: {problem}", err=True)
