"""``python -m geo control --date YYYY-MM-DD``: the control map of a day as GeoJSON on
stdout, or (``--place``) who held named towns on the day."""
from __future__ import annotations

import gc
import json
import sys
from datetime import date
from typing import TYPE_CHECKING

import click

from geo.commands.common import ISO_DATE, database_option

if TYPE_CHECKING:
    from geo.control.series import ControlSeries


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
    FeatureCollection to stdout.

    The store's control series is worked out once per state of its events and kept
    (``geo.control.cache``); the output of a day already asked for is kept whole."""
    from geo.control import cache
    from geo.store import open_store

    with open_store(database, read_only=True) as store:
        key = cache.series_key(store, curated=not no_curated)
        variant = cache.output_variant(day, changes_since=changes_since or "")
        kept = None if places else cache.read_output(key, variant)
        if kept is None:
            series = cache.stored_series(store, curated=not no_curated, key=key)
            # The series lives until the command ends: the collector need not walk its
            # ~100,000 objects again each time the day's map allocates (a run-once
            # program; about a third of a new day's time went to that walk).
            gc.freeze()
    if places:
        from geo.control.facts import holder_of

        for name in places:
            click.echo(holder_of(name, day, series).describe())
        return
    if kept is None:
        data, warnings = _collection_json(series, day, changes_since)
        cache.keep_output(key, variant, data, warnings)
    else:
        data, warnings = kept.data, list(kept.warnings)
    _write_out(data)
    for problem in warnings:
        click.echo(f"warning: {problem}", err=True)


def _write_out(data: bytes) -> None:
    """``data`` to stdout in one write (megabytes at thousands of places)."""
    sys.stdout.flush()
    binary = getattr(sys.stdout, "buffer", None)
    if binary is None:                      # a text-only stream (an embedding program)
        sys.stdout.write(data.decode("utf-8"))
        return
    binary.write(data)
    binary.flush()


def _collection_json(series: ControlSeries, day: date, changes_since: date | None
                     ) -> tuple[bytes, list[str]]:
    """The day's control map as UTF-8 GeoJSON (one line) and its problems."""
    from geo.control.history import with_histories

    collection = with_histories(series.collection_on(day), series)
    if changes_since:
        collection["features"] = series.gained_lost(changes_since, day) + \
            collection["features"]
    text = json.dumps(collection, ensure_ascii=False) + "\n"
    # backslashreplace: as the command's stdout does for names that are not valid text
    return text.encode("utf-8", "backslashreplace"), list(collection["problems"])
