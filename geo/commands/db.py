"""``python -m geo db info|upgrade``: where the database is, its schema version and row
counts; upgrading an older database in place."""
from __future__ import annotations

import click

from geo.commands.common import database_option
from geo.store import open_store
from geo.store.schema import LATEST_VERSION


@click.group("db")
def db_command() -> None:
    """Inspect or upgrade the event database."""


@db_command.command("info")
@database_option
def info(database: str | None) -> None:
    """Show the database location, schema version and counts (read-only: works while
    another program writes, and never creates a database)."""
    with open_store(database, read_only=True) as store:
        version = getattr(store, "schema_version", "?")
        click.echo(f"url: {store.url}")
        click.echo(f"schema version: {version} (this program: {LATEST_VERSION})")
        for name, count in store.counts().items():
            click.echo(f"{name}: {count:,}")


@db_command.command("upgrade")
@database_option
def upgrade(database: str | None) -> None:
    """Bring the database's schema to this program's version (creating the database if
    there is none); read-only commands refuse an older schema until then."""
    with open_store(database) as store:
        found = getattr(store, "schema_version_found", "?")
        click.echo(f"{store.url}: schema version {found} -> {LATEST_VERSION}"
                   if found != LATEST_VERSION else
                   f"{store.url}: schema version {LATEST_VERSION}, nothing to do")


@db_command.command("reread-holdings")
@database_option
def reread_holdings_command(database: str | None) -> None:
    """Read the holdings articles state in passing ("IS-held Hit") again from the stored
    articles' text: for a database ingested before holdings were kept (schema 7) or after
    their rule table changed. Events and corrections are not touched."""
    from geo.ingest import reread_holdings

    with open_store(database) as store:
        read, stored, problems = reread_holdings(store)
        for problem in problems:
            click.echo(f"warning: {problem}", err=True)
        click.echo(f"{read} article(s) read again, {stored} holding(s) stated in passing "
                   "stored")
