"""``python -m geo snapshot`` and ``python -m geo series``: briefing pictures from the store.

Thin shells over ``geo.exports.snapshot.write_snapshot`` and
``geo.exports.series.write_series``; every check (format, folder, dates, frame count)
happens there, before any drawing, and surfaces as one ``error:`` line.
"""
from __future__ import annotations

import argparse
import sys

from geo.cli import command
from geo.commands.common import date_arg


def _add_view_options(parser: argparse.ArgumentParser) -> None:
    """Filters shared by both commands (the dashboard's view plus types and a box)."""
    parser.add_argument("--window", default="day", metavar="day|days:N|upto",
                        help="which events count for a date: that day, the N days ending on "
                             "it, or every event up to it (default: day)")
    parser.add_argument("--force", action="append", default=[], metavar="F",
                        help="only events of this force id (actor 1, actor 2 or captor); "
                             "repeat or list several")
    parser.add_argument("--type", action="append", default=[], metavar="T",
                        help="only this ACLED event type, e.g. Battles; repeatable")
    parser.add_argument("--bbox", metavar="W,S,E,N",
                        help="map frame and event filter, degrees (EPSG:4326)")
    parser.add_argument("--width", type=int, metavar="PX", help="image width in pixels")
    parser.add_argument("--height", type=int, metavar="PX", help="image height in pixels")
    parser.add_argument("--dpi", type=int, metavar="N", help="resolution (dots per inch)")
    parser.add_argument("--title", default="Situation map", help="title printed on the map")
    parser.add_argument("--marking", default="", metavar="TEXT",
                        help='marking line at the top and bottom, e.g. "UNCLASSIFIED"')
    parser.add_argument("--no-curated", action="store_true",
                        help="control areas from store events only (no curated timeline)")
    parser.add_argument("--database", metavar="URL",
                        help="database path or URL (default: the database_url setting)")


def _flat(values: list[str]) -> tuple[str, ...]:
    """``--force IS --force SDF,PMF`` -> ('IS', 'SDF', 'PMF'), order kept, no repeats."""
    out: list[str] = []
    for value in values:
        for part in (p.strip() for p in value.split(",")):
            if part and part not in out:
                out.append(part)
    return tuple(out)


def _view(args: argparse.Namespace, day):  # type: ignore[no-untyped-def]
    from geo.exports.view import SnapshotView, parse_bbox

    return SnapshotView(day=day, window=args.window, forces=_flat(args.force),
                        event_types=tuple(args.type), title=args.title,
                        bbox=parse_bbox(args.bbox) if args.bbox else None,
                        curated=not args.no_curated, marking=args.marking)


def _size(args: argparse.Namespace, default):  # type: ignore[no-untyped-def]
    from geo.exports.snapshot import ImageSize

    if args.width is None and args.height is None and args.dpi is None:
        return default
    base = default or ImageSize()
    return ImageSize(args.width or base.width_px, args.height or base.height_px,
                     args.dpi or base.dpi)


def configure_snapshot(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--date", type=date_arg, required=True, metavar="YYYY-MM-DD",
                        help="the day the map shows")
    parser.add_argument("--out", required=True, metavar="FILE.png|.pdf|.html",
                        help="output file; the suffix picks the format")
    _add_view_options(parser)


@command("snapshot", "Draw the map of one day (events, control areas, front lines) as a "
         "PNG, a PDF with its sources, or a self-contained offline HTML map.",
         configure_snapshot)
def run_snapshot(args: argparse.Namespace) -> int:
    from geo.exports.snapshot import ImageSize, write_snapshot
    from geo.exports.view import SnapshotView
    from geo.store import open_store

    view: SnapshotView = _view(args, args.date)
    size = _size(args, ImageSize())
    with open_store(args.database) as store:
        path = write_snapshot(view, args.out, store, size=size)
    print(path)
    return 0


def configure_series(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--from", dest="date_from", type=date_arg, required=True,
                        metavar="YYYY-MM-DD", help="first date")
    parser.add_argument("--to", dest="date_to", type=date_arg, required=True,
                        metavar="YYYY-MM-DD", help="last date (included)")
    parser.add_argument("--step", choices=("day", "week", "month"), default="month",
                        help="time between frames (default: month)")
    parser.add_argument("--out", required=True, metavar="FILE.gif|.pdf|.zip|.pptx",
                        help="output file; the suffix picks the format")
    _add_view_options(parser)


@command("series", "Draw the map on every day, week or month of a date range as an "
         "animated GIF, a multi-page PDF, a ZIP of PNGs or a PowerPoint deck.",
         configure_series)
def run_series(args: argparse.Namespace) -> int:
    from geo.exports.series import write_series
    from geo.store import open_store

    view = _view(args, args.date_from)
    size = _size(args, None)

    def progress(done: int, total: int) -> None:
        print(f"\rframe {done}/{total}", end="", file=sys.stderr, flush=True)

    with open_store(args.database) as store:
        path = write_series(view, args.date_from, args.date_to, args.step, args.out, store,
                            size=size, progress=progress if sys.stderr.isatty() else None)
    print(path)
    return 0
