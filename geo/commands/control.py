"""``python -m geo control --date YYYY-MM-DD``: the control map of a day as GeoJSON on
stdout, or (``--place``) who held named towns on the day."""
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
@click.option("--place", "places", multiple=True, metavar="NAME",
              help="instead of GeoJSON, say who held this town on the day and on what "
                   "basis (any spelling; repeatable)")
@click.option("--changes-since", type=ISO_DATE, default=None, metavar="YYYY-MM-DD",
              help="add the ground each force gained and lost since this day (features of "
                   "kind gained/lost)")
@database_option
def control_command(day: date, no_curated: bool, places: tuple[str, ...],
                    changes_since: date | None, database: str | None) -> None:
    """Write the territorial control of a day (areas, front lines, places) as a GeoJSON
    FeatureCollection to stdout."""
    from geo.control.facts import holder_of
    from geo.control.history import control_series, with_histories
    from geo.control.sources import control_events
    from geo.store import open_store

    with open_store(database, read_only=True) as store:
        captures = control_events(None, store, curated=False)
    series = control_series(captures, curated=not no_curated)
    if places:
        for name in places:
            click.echo(holder_of(name, day, series).describe())
        return
    collection = with_histories(series.collection_on(day), series)
    if changes_since:
        collection["features"] = series.gained_lost(changes_since, day) + \
            collection["features"]
    sys.stdout.write(json.dumps(collection, ensure_ascii=False) + "\n")   # one write: fast
    for problem in collection["problems"]:
        click.echo(f"warning: {problem}", err=True)
