"""``python -m geo extract FILE ...``: events as ACLED-named CSV on stdout; the store is untouched."""
from __future__ import annotations

import csv
import sys
from datetime import date

import click

from geo.commands.common import any_date_option, publication_date_option
from geo.core.records import Event
from geo.core.validate import Allow

COLUMNS = ("event_date", "time_precision", "event_type", "sub_event_type", "actor1",
           "assoc_actor_1", "actor2", "country", "admin1", "location", "latitude", "longitude",
           "geo_precision", "source", "notes", "fatalities", "control_to", "confidence",
           "event_id", "date_min", "date_max", "source_file")


def event_row(ev: Event) -> dict[str, object]:
    """One CSV row with ACLED's column names plus ours (evidence file last). Text cells
    are spreadsheet-safe: article text and file names can start with = + - @ (a cell a
    spreadsheet would run as a formula gets a leading apostrophe, as in ``geo export``);
    numbers and dates are written as they are."""
    from geo.exports.acled import neutralise

    row = {c: getattr(ev, c, "") for c in COLUMNS if c != "source_file"}
    row["source_file"] = ev.evidence[0].source_file if ev.evidence else ""
    return {k: ("" if v is None else neutralise(v) if isinstance(v, str) else v)
            for k, v in row.items()}


@click.command("extract")
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@publication_date_option
@any_date_option
@click.pass_context
def extract_command(ctx: click.Context, files: tuple[str, ...], published: date | None,
                    any_date: bool) -> None:
    """Extract events from article files (text or HTML, or folders of them) and write them
    as CSV to stdout (ACLED column names plus source_file); the store is not touched."""
    # Here, not at the top: the list of commands and every --help show without the
    # extraction pipeline.
    from geo.ingest import load_places_and_forces, process_files

    places, forces = load_places_and_forces()
    summary = process_files(files, places, forces, published=published,
                            allow=Allow(any_date=any_date))
    writer = csv.DictWriter(sys.stdout, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for outcome in summary.outcomes:
        if outcome.extraction:
            for ev in outcome.extraction.events:
                writer.writerow(event_row(ev))
    for o in summary.outcomes:
        for w in o.warnings:
            click.echo(f"warning: {o.path}: {w}", err=True)
    for o in summary.errors:
        click.echo(f"error: {o.error}", err=True)
    ctx.exit(1 if summary.errors else 0)
