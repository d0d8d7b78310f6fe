"""``python -m geo db info``: where the database is, its schema version and row counts."""
from __future__ import annotations

import click

from geo.commands.common import database_option
from geo.store import open_store
from geo.store.schema import LATEST_VERSION


@click.group("db")
def db_command() -> None:
    """Inspect the event database."""


@db_command.command("info")
@database_option
def info(database: str | None) -> None:
    """Show the database location, schema version and counts."""
    with open_store(database) as store:
        version = getattr(store, "schema_version", "?")
        click.echo(f"url: {store.url}")
        click.echo(f"schema version: {version} (this program: {LATEST_VERSION})")
        for name, count in store.counts().items():
            click.echo(f"{name}: {count:,}")
