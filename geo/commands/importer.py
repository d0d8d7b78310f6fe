"""``python -m geo import acled|ucdp|gis FILE``: store another dataset's events, with a
progress bar and a summary (imported, duplicates, problems by line, unmapped actors)."""
from __future__ import annotations

import click

from geo.commands.common import (
    any_date_option,
    database_option,
    outside_theatre_option,
    progress_bar,
    quiet_option,
)
from geo.core.forces import default_forces
from geo.core.validate import Allow
from geo.imports.run import datasets, import_file
from geo.store import open_store


@click.command("import")
@click.argument("dataset", type=click.Choice(datasets()))
@click.argument("file", type=click.Path(dir_okay=False))
@database_option
@quiet_option
@any_date_option
@outside_theatre_option
def import_command(dataset: str, file: str, database: str | None, quiet: bool,
                   any_date: bool, outside_theatre: bool) -> None:
    """Import events from an ACLED export CSV (acled), a UCDP GED CSV (ucdp) or a
    GeoPackage/GeoJSON written by `python -m geo export` (gis), skipping duplicates of
    stored events."""
    with open_store(database) as store, progress_bar(0, "event", quiet=quiet) as bar:
        def step(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)

        summary = import_file(dataset, file, store, default_forces(), on_progress=step,
                              allow=Allow(any_date=any_date, outside_theatre=outside_theatre))
        counts = store.counts()
        url = store.url
    for line in summary.lines():
        click.echo(line, err=line.startswith("problem"))
    click.echo(f"store {url}: {counts['events']} events")
