"""``python -m geo control --date YYYY-MM-DD``: the control map of a day as GeoJSON on
stdout, or (``--place``) who held named towns on the day."""
from __future__ import annotations

import gc
import json
from datetime import date
from typing import TYPE_CHECKING

import click

from geo.commands.common import ISO_DATE, database_option
from geo.commands.control_quick import write_out

if TYPE_CHECKING:
    from geo.control import cache
    from geo.control.series import ControlSeries


@click.command("control")
@click.option("--date", "day", type=ISO_DATE, default=None,
              help="the day to map (required unless --warm)")
@click.option("--no-curated", is_flag=True,
              help="leave out the curated control timeline (store events only)")
@click.option("--place", "places", multiple=True, metavar="NAME",
              help="instead of GeoJSON, say who held this town on the day and on what "
                   "basis (any spelling; repeatable)")
@click.option("--changes-since", type=ISO_DATE, default=None, metavar="YYYY-MM-DD",
              help="add the ground each force gained and lost since this day (features of "
                   "kind gained/lost)")
@click.option("--warm", is_flag=True,
              help="work out and keep the map of every change point now (minutes at "
                   "thousands of places), so that any day then answers at once")
@database_option
def control_command(day: date | None, no_curated: bool, places: tuple[str, ...],
                    changes_since: date | None, warm: bool, database: str | None) -> None:
    """Write the territorial control of a day (areas, front lines, places) as a GeoJSON
    FeatureCollection to stdout.

    The store's control series is worked out once per state of its events and kept
    (``geo.control.cache``), and so is the map of each change point asked for (all of
    them with --warm; ``geo.control.daybook``): a day whose change point was mapped
    before is a file read."""
    from geo.control import cache, daybook
    from geo.store import open_store

    if day is None and not warm:
        raise click.UsageError("give --date YYYY-MM-DD (or --warm)")
    answer = kept = None
    with open_store(database, read_only=True) as store:
        key = cache.series_key(store, curated=not no_curated)
        if day is not None and not places and not warm:
            if changes_since:
                kept = cache.read_output(key, cache.output_variant(
                    day, changes_since=changes_since))
            else:
                answer = daybook.read_answer(key, day)
        if answer is None and kept is None:
            series = cache.stored_series(store, curated=not no_curated, key=key)
            # The series lives until the command ends: the collector need not walk its
            # ~100,000 objects again each time the day's map allocates (a run-once
            # program; about a third of a new day's time went to that walk).
            gc.freeze()
    if warm:
        _warm(key, series)
    if day is None:
        return
    if places:
        from geo.control.facts import holder_of

        for name in places:
            click.echo(holder_of(name, day, series).describe())
        return
    if changes_since:
        if kept is None:
            data, warnings = _collection_json(series, day, changes_since)
            cache.keep_output(key, cache.output_variant(day, changes_since=changes_since),
                              data, warnings)
        else:
            data, warnings = kept.data, list(kept.warnings)
        answer = [data], warnings
    if answer is None:
        answer = daybook.answer_from(key, series, day)
    if answer is None:
        data, warnings = _collection_json(series, day, None)
        answer = [data], warnings
    parts, warnings = answer
    write_out(parts)
    for problem in warnings:
        click.echo(f"warning: {problem}", err=True)


def _warm(key: cache.SeriesKey, series: ControlSeries) -> None:
    """Keep the map of every change point, saying how far it got on stderr."""
    from geo.control import daybook

    def progress(done: int, total: int) -> None:
        if done == total or done % 50 == 0:
            click.echo(f"control: {done:,} of {total:,} change points mapped", err=True)

    if not daybook.fill_all(key, series, progress):
        click.echo("warning: the control cache cannot be written here; nothing kept",
                   err=True)


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
