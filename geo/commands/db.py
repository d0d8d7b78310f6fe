"""``python -m geo db info``: where the database is, its schema version and row counts."""
from __future__ import annotations

import argparse

from geo.cli import command
from geo.store import open_store
from geo.store.schema import LATEST_VERSION


def _configure(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    info = sub.add_parser("info", help="show the database location, schema version and counts")
    info.add_argument("--database", "--db", dest="db", metavar="URL", default=None,
                      help="database path or URL (default: the database_url setting)")


@command("db", "Inspect the event database.", _configure)
def run(args: argparse.Namespace) -> int:
    with open_store(args.db) as store:
        version = getattr(store, "schema_version", "?")
        print(f"url: {store.url}")
        print(f"schema version: {version} (this program: {LATEST_VERSION})")
        for name, count in store.counts().items():
            print(f"{name}: {count:,}")
    return 0
