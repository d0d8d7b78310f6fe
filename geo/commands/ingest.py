"""``python -m geo ingest FILE ...``: store articles and their events, with progress and a summary."""
from __future__ import annotations

import argparse
import sys

from geo.cli import command
from geo.commands.common import add_date_option, load_places_and_forces
from geo.ingest import FileOutcome, process_files
from geo.store import open_store


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", metavar="FILE",
                        help="article files (text or HTML) or folders of them")
    add_date_option(parser)
    parser.add_argument("--database", metavar="URL",
                        help="store to write to (default: setting database_url)")
    parser.add_argument("--quiet", action="store_true",
                        help="no progress bar (there is none when stderr is not a terminal)")


def _progress(i: int, n: int, outcome: FileOutcome) -> None:
    width = 30
    done = int(width * i / max(n, 1))
    status = "error" if outcome.error else f"{len(outcome.extraction.events) if outcome.extraction else 0} events"
    name = outcome.path[-40:]
    sys.stderr.write(f"\r[{'#' * done}{'.' * (width - done)}] {i}/{n} {name:<40} {status:<12}")
    if i == n:
        sys.stderr.write("\n")
    sys.stderr.flush()


@command("ingest", "Read article files, extract their events and store both "
         "(re-ingesting an article changes nothing).", configure)
def run(args: argparse.Namespace) -> int:
    with open_store(args.database) as store:
        places, forces = load_places_and_forces(store)
        show = not args.quiet and sys.stderr.isatty()
        summary = process_files(args.files, places, forces, store=store, published=args.date,
                                on_file=_progress if show else None)
        counts = store.counts()
    for line in summary.lines():
        print(line, file=sys.stderr if line.startswith(("warning", "error")) else sys.stdout)
    print(f"store {store.url}: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
    return 1 if summary.errors else 0
