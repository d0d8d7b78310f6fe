"""``python -m geo extract FILE ...``: events as ACLED-named CSV on stdout; the store is untouched."""
from __future__ import annotations

import argparse
import csv
import sys

from geo.cli import command
from geo.commands.common import add_date_option, load_places_and_forces
from geo.ingest import process_files
from geo.model import Event

COLUMNS = ("event_date", "time_precision", "event_type", "sub_event_type", "actor1",
           "assoc_actor_1", "actor2", "country", "admin1", "location", "latitude", "longitude",
           "geo_precision", "source", "notes", "fatalities", "control_to", "confidence",
           "event_id", "date_min", "date_max", "source_file")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", metavar="FILE",
                        help="article files (text or HTML) or folders of them")
    add_date_option(parser)


def event_row(ev: Event) -> dict[str, object]:
    """One CSV row with ACLED's column names plus ours (evidence file last)."""
    row = {c: getattr(ev, c, "") for c in COLUMNS if c != "source_file"}
    row["source_file"] = ev.evidence[0].source_file if ev.evidence else ""
    return {k: ("" if v is None else v) for k, v in row.items()}


@command("extract", "Extract events from article files and write them as CSV to stdout "
         "(ACLED column names plus source_file); the store is not touched.", configure)
def run(args: argparse.Namespace) -> int:
    places, forces = load_places_and_forces()
    summary = process_files(args.files, places, forces, published=args.date)
    writer = csv.DictWriter(sys.stdout, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for outcome in summary.outcomes:
        if outcome.extraction:
            for ev in outcome.extraction.events:
                writer.writerow(event_row(ev))
    for o in summary.outcomes:
        for w in o.warnings:
            print(f"warning: {o.path}: {w}", file=sys.stderr)
    for o in summary.errors:
        print(f"error: {o.error}", file=sys.stderr)
    return 1 if summary.errors else 0
