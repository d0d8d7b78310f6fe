"""``python -m geo ingest FILE ...``: store articles and their events, with progress and a summary."""
from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import click

from geo.commands.common import (
    any_date_option,
    database_option,
    progress_bar,
    publication_date_option,
    quiet_option,
)
from geo.core.validate import Allow

if TYPE_CHECKING:
    from geo.ingest import FileOutcome


@click.command("ingest")
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@publication_date_option
@database_option
@quiet_option
@any_date_option
@click.pass_context
def ingest_command(ctx: click.Context, files: tuple[str, ...], published: date | None,
                   database: str | None, quiet: bool, any_date: bool) -> None:
    """Read article files (text or HTML, or folders of them), extract their events and
    store both (re-ingesting an article changes nothing)."""
    # Here, not at the top: the list of commands and every --help show without the
    # extraction pipeline.
    from geo.ingest import load_places_and_forces, process_files
    from geo.store import open_store

    with open_store(database) as store, progress_bar(0, "file", quiet=quiet) as bar:
        places, forces = load_places_and_forces(store)

        def step(i: int, n: int, outcome: FileOutcome) -> None:
            bar.total = n
            found = len(outcome.extraction.events) if outcome.extraction else 0
            bar.set_postfix_str(f"{outcome.path[-30:]}: "
                                f"{'error' if outcome.error else f'{found} events'}")
            bar.update(1)

        summary = process_files(files, places, forces, store=store, published=published,
                                on_file=step, allow=Allow(any_date=any_date))
        counts = store.counts()
    for line in summary.lines():
        click.echo(line, err=line.startswith(("warning", "error")))
    click.echo(f"store {store.url}: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
    ctx.exit(1 if summary.errors else 0)
