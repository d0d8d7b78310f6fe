"""``python -m geo control --date YYYY-MM-DD``: the control map of a day as GeoJSON on stdout."""
from __future__ import annotations

import json
import sys
from datetime import date

import click

from geo.commands.common import ISO_DATE, database_option


@click.command("control")
@click.option("--date", "day", type=ISO_DATE, required=True, help="the day to map")
@click.option("--no-curated", is_flag=True,
              help="leave out the curated control timeline (store events only)")
@database_option
def control_command(day: date, no_curated: bool, database: str | None) -> None:
    """Write the territorial control of a day (areas, front lines, places) as a GeoJSON
    FeatureCollection to stdout."""
    from geo.control import control_geojson
    from geo.control.sources import control_events
    from geo.store import open_store

    with open_store(database) as store:
        events = control_events(day, store, curated=not no_curated)
    collection = control_geojson(day, events)
    json.dump(collection, sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")
    for problem in collection["problems"]:
        click.echo(f"warning: {problem}", err=True)
