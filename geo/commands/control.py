"""``python -m geo control --date YYYY-MM-DD``: the control map of a day as GeoJSON on stdout."""
from __future__ import annotations

import argparse
import json
import sys
from datetime import date

from geo.cli import command


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
    parser.add_argument("--database", metavar="URL",
                        help="database path or URL (default: the database_url setting)")


@command("control", "Write the territorial control of a day (areas, front lines, places) "
         "as a GeoJSON FeatureCollection to stdout.", configure)
def run(args: argparse.Namespace) -> int:
    from geo.control import control_geojson
    from geo.control.sources import control_events
    from geo.store import open_store

    with open_store(args.database) as store:
        events = control_events(args.date, store, curated=not args.no_curated)
    collection = control_geojson(args.date, events)
    json.dump(collection, sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")
    for problem in collection["problems"]:
        print(f"warning: {problem}", file=sys.stderr)
    return 0
