"""``python -m geo places ...``: the analyst's own places and confirmed names.

* ``places import FILE.csv``: own places (columns name, latitude, longitude, country,
  admin1, place_type, aliases); bad rows are reported by line and field, the rest stored.
  They win over the bundled gazetteer in every later look-up, import and ingest.
* ``places confirm NAME [--place-id ID]``: remember that NAME (as a dataset or an article
  writes it) means the place with that id (default: the geocoder's current answer).
* ``places forget NAME``; ``places list``: own places and confirmed names as CSV.
"""
from __future__ import annotations

import argparse
import csv
import getpass
import sys

from geo.cli import command
from geo.errors import InputError
from geo.geocode.gazetteer import Gazetteer
from geo.geocode.offline import GazetteerGeocoder
from geo.geocode.places import confirm, read_own_places, store_own_places
from geo.store import open_store


def _configure(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    imp = sub.add_parser("import", help="add own places from a CSV file")
    imp.add_argument("file", metavar="FILE.csv")
    conf = sub.add_parser("confirm", help="remember which place a name means")
    conf.add_argument("name", metavar="NAME")
    conf.add_argument("--place-id", metavar="ID", default=None,
                      help="the place's id as `geo geocode --candidates N` shows it in raw "
                           "form (default: the geocoder's current answer)")
    forget = sub.add_parser("forget", help="drop a confirmation")
    forget.add_argument("name", metavar="NAME")
    sub.add_parser("list", help="own places and confirmed names as CSV on stdout")
    for p in (imp, conf, forget, sub.choices["list"]):
        p.add_argument("--database", "--db", dest="db", metavar="URL", default=None,
                       help="database path or URL (default: the database_url setting)")


def _author() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "analyst"


@command("places", "Own places and confirmed place names (win over the gazetteer).",
         _configure)
def run(args: argparse.Namespace) -> int:
    if args.action == "import":
        parsed = read_own_places(args.file)        # InputError: nothing is written
        for problem in parsed.problems:
            print(f"problem: {problem}", file=sys.stderr)
        with open_store(args.db) as store:
            n = store_own_places(parsed, store, author=_author())
        print(f"{args.file}: {n} place(s) added or updated, {len(parsed.problems)} row(s) "
              f"skipped")
        return 0
    with open_store(args.db) as store:
        if args.action == "confirm":
            gazetteer = Gazetteer.load(store=store)
            if args.place_id:
                place = gazetteer.place_by_id(args.place_id)
                if place is None:
                    raise InputError(f"no place has the id {args.place_id!r}",
                                     field="--place-id")
            else:
                loc = GazetteerGeocoder(store, gazetteer=gazetteer).geocode(args.name)
                if loc is None:
                    raise InputError(f"{args.name!r} is not found; add it as an own place "
                                     f"(places import) or give --place-id", field="name")
                place = loc.place  # type: ignore[union-attr]
            confirm(store, args.name, place, author=_author())
            print(f"{args.name!r} = {place.name} ({place.country}, {place.place_type}, "
                  f"{place.latitude:.5f}, {place.longitude:.5f}, {place.place_id})")
        elif args.action == "forget":
            if not store.forget_confirmed_name(args.name):
                print(f"{args.name!r} was not confirmed", file=sys.stderr)
                return 1
            print(f"forgot {args.name!r}")
        else:
            writer = csv.writer(sys.stdout, lineterminator="\n")
            writer.writerow(["kind", "name", "place_id", "place_name", "latitude",
                             "longitude", "country", "admin1", "place_type"])
            for p in store.custom_places():
                writer.writerow(["own place", p.name, p.place_id, p.name, p.latitude,
                                 p.longitude, p.country, p.admin1, p.place_type])
            for name, p in store.confirmed_names():
                writer.writerow(["confirmed name", name, p.place_id, p.name, p.latitude,
                                 p.longitude, p.country, p.admin1, p.place_type])
    return 0
