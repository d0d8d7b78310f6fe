"""``python -m geo import acled|ucdp|gis FILE``: store another dataset's events, with a
progress line and a summary (imported, duplicates, problems by line, unmapped actors)."""
from __future__ import annotations

import argparse
import sys

from geo.cli import command
from geo.forces import default_forces
from geo.imports.run import import_file
from geo.store import open_store

_DATASETS = ("acled", "ucdp", "gis")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dataset", choices=_DATASETS,
                        help="acled: ACLED export CSV; ucdp: UCDP GED CSV; gis: a GeoPackage "
                             "or GeoJSON written by `python -m geo export`")
    parser.add_argument("file", metavar="FILE")
    parser.add_argument("--database", metavar="URL",
                        help="store to write to (default: setting database_url)")
    parser.add_argument("--quiet", action="store_true",
                        help="no progress line (there is none when stderr is not a terminal)")


def _progress(done: int, total: int) -> None:
    sys.stderr.write(f"\rchecking for duplicates and storing: {done:,}/{total:,} events")
    if done >= total:
        sys.stderr.write("\n")
    sys.stderr.flush()


@command("import", "Import events from an ACLED or UCDP GED CSV (or our own GIS export), "
         "skipping duplicates of stored events.", configure)
def run(args: argparse.Namespace) -> int:
    show = not args.quiet and sys.stderr.isatty()   # no \r-lines in a log file or a pipe
    with open_store(args.database) as store:
        summary = import_file(args.dataset, args.file, store, default_forces(),
                              on_progress=_progress if show else None)
        counts = store.counts()
        url = store.url
    for line in summary.lines():
        print(line, file=sys.stderr if line.startswith("problem") else sys.stdout)
    print(f"store {url}: {counts['events']} events")
    return 0
