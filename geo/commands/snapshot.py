"""``python -m geo snapshot`` and ``python -m geo series``: briefing pictures from the store.

Thin shells over ``geo.exports.snapshot.write_snapshot`` and
``geo.exports.series.write_series``; every check (format, folder, dates, frame count)
happens there, before any drawing, and surfaces as one ``error:`` line.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

import click

from geo.commands.common import DATE, database_option, progress_bar

if TYPE_CHECKING:
    from geo.exports.layout import ImageSize
    from geo.exports.view import SnapshotView

F = TypeVar("F", bound=Callable[..., Any])

_VIEW_OPTIONS = [
    click.option("--window", default="day", metavar="day|days:N|upto",
                 help="which events count for a date: that day, the N days ending on it, or "
                      "every event up to it (default: day)"),
    click.option("--force", "forces", multiple=True, metavar="F",
                 help="only events of this force id (actor 1, actor 2 or captor); repeat or "
                      "list several separated by commas"),
    click.option("--type", "types", multiple=True, metavar="T",
                 help="only this ACLED event type, e.g. Battles; repeatable"),
    click.option("--bbox", metavar="W,S,E,N",
                 help="map frame and event filter, degrees (EPSG:4326)"),
    click.option("--width", type=int, metavar="PX", help="image width in pixels"),
    click.option("--height", type=int, metavar="PX", help="image height in pixels"),
    click.option("--dpi", type=int, metavar="N", help="resolution (dots per inch)"),
    click.option("--title", default="Situation map", help="title printed on the map"),
    click.option("--marking", default="", metavar="TEXT",
                 help='marking line at the top and bottom, e.g. "UNCLASSIFIED"'),
    click.option("--no-curated", is_flag=True,
                 help="control areas from store events only (no curated timeline)"),
    database_option,
]


def view_options(func: F) -> F:
    """Filters shared by both commands (the dashboard's view plus types and a box)."""
    for option in reversed(_VIEW_OPTIONS):
        func = option(func)
    return func


def _flat(values: tuple[str, ...]) -> tuple[str, ...]:
    """``--force IS --force SDF,PMF`` -> ('IS', 'SDF', 'PMF'), order kept, no repeats."""
    out: list[str] = []
    for value in values:
        for part in (p.strip() for p in value.split(",")):
            if part and part not in out:
                out.append(part)
    return tuple(out)


def _view(day: date, opts: dict[str, Any]) -> SnapshotView:
    from geo.exports.view import SnapshotView, parse_bbox

    return SnapshotView(day=day, window=opts["window"], forces=_flat(opts["forces"]),
                        event_types=tuple(opts["types"]), title=opts["title"],
                        bbox=parse_bbox(opts["bbox"]) if opts["bbox"] else None,
                        curated=not opts["no_curated"], marking=opts["marking"])


def _size(opts: dict[str, Any], default: ImageSize | None) -> ImageSize | None:
    from geo.exports.layout import ImageSize

    if opts["width"] is None and opts["height"] is None and opts["dpi"] is None:
        return default
    base = default or ImageSize()
    return ImageSize(opts["width"] or base.width_px, opts["height"] or base.height_px,
                     opts["dpi"] or base.dpi)


@click.command("snapshot")
@click.option("--date", "day", type=DATE, required=True, metavar="YYYY-MM-DD",
              help="the day the map shows")
@click.option("--out", required=True, metavar="FILE.png|.pdf|.html",
              help="output file; the suffix picks the format")
@click.option("--since", type=DATE, metavar="YYYY-MM-DD",
              help="a before/after map: the ground gained and lost from this date to "
                   "--date, with the places that changed hands (PNG or PDF)")
@view_options
def snapshot_command(day: date, out: str, since: date | None, **opts: Any) -> None:
    """Draw the map of one day (events, control areas, front lines) as a PNG, a PDF with
    its sources, or a self-contained offline HTML map; with --since, the ground gained
    and lost between two dates."""
    from geo.exports.layout import ImageSize
    from geo.exports.snapshot import write_snapshot
    from geo.store import open_store

    view = _view(day, opts)
    with open_store(opts["database"], read_only=True) as store:
        path = write_snapshot(view, out, store, size=_size(opts, ImageSize()) or ImageSize(),
                              since=since)
    click.echo(path)


@click.command("series")
@click.option("--from", "date_from", type=DATE, required=True, metavar="YYYY-MM-DD",
              help="first date")
@click.option("--to", "date_to", type=DATE, required=True, metavar="YYYY-MM-DD",
              help="last date (included)")
@click.option("--step", type=click.Choice(("day", "week", "month")), default="month",
              help="time between frames (default: month)")
@click.option("--out", required=True, metavar="FILE.gif|.mp4|.pdf|.zip|.pptx",
              help="output file; the suffix picks the format")
@click.option("--video", type=click.Choice(("compatible", "exact")), default="compatible",
              help="MP4 encoding: 'compatible' plays everywhere (PowerPoint, browsers; "
                   "colours within a few levels), 'exact' is lossless RGB H.264 (exact "
                   "colours; not every player plays it)")
@view_options
def series_command(date_from: date, date_to: date, step: str, out: str, video: str,
                   **opts: Any) -> None:
    """Draw the map on every day, week or month of a date range as an animated GIF, an
    MP4 video, a multi-page PDF, a ZIP of PNGs or a PowerPoint deck."""
    from geo.exports.series import write_series
    from geo.store import open_store

    view = _view(date_from, opts)
    with open_store(opts["database"], read_only=True) as store, \
            progress_bar(0, "frame") as bar:
        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)

        path = write_series(view, date_from, date_to, step, out, store,
                            size=_size(opts, None), progress=progress, video=video)
    click.echo(path)
