"""``python -m geo export``: the filtered events as ACLED-style CSV (stdout or a file), or
as GeoJSON, GeoPackage or KML, chosen by the ``--out`` extension."""
from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from geo.commands.common import ISO_DATE, database_option, greedy_options
from geo.core.codebook import EVENT_TYPES
from geo.core.errors import InputError

if TYPE_CHECKING:
    import pandas as pd


@click.command("export", cls=greedy_options("--force", "--type"))
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="write here instead of standard output (replaced atomically); .csv, "
                   ".geojson/.json, .gpkg or .kml")
@click.option("--from", "date_from", type=ISO_DATE, metavar="D",
              help="first day (YYYY-MM-DD); events whose date interval overlaps")
@click.option("--to", "date_to", type=ISO_DATE, metavar="D", help="last day (YYYY-MM-DD)")
@click.option("--force", "forces", multiple=True, metavar="F",
              help="force ids (data/forces.csv) as actor or new holder")
@click.option("--type", "types", multiple=True, metavar="T",
              help="ACLED event types, e.g. Battles")
@database_option
def export_command(out: Path | None, date_from: date | None, date_to: date | None,
                   forces: tuple[str, ...], types: tuple[str, ...], database: str | None) -> None:
    """Write events as ACLED-style CSV (with evidence and review columns), GeoJSON,
    GeoPackage or KML (by the --out extension)."""
    # Here, not at the top: the list of commands and every --help show without pandas.
    from pyogrio.errors import DataLayerError, DataSourceError

    from geo.exports import acled, gis
    from geo.store import open_store
    from geo.store.query import EventFilter

    unknown = [t for t in types if t not in EVENT_TYPES]
    if unknown:
        raise InputError(f"unknown event type(s) {', '.join(map(repr, unknown))}; known: "
                         f"{', '.join(EVENT_TYPES)}", field="--type")
    fmt = gis.format_for(out)
    flt = EventFilter(date_from=date_from, date_to=date_to, forces=forces, event_types=types)
    with open_store(database, read_only=True) as store:
        frame = store.query_events(flt)
    if out is None:
        n = acled.write_csv(frame, sys.stdout)
        sys.stdout.flush()
        target = "standard output"
    else:
        try:
            n = _write_file(frame, out) if fmt == "csv" else _write_gis(frame, out, fmt)
        except (OSError, DataSourceError, DataLayerError) as exc:
            # The failing name is the temporary file beside the target: name the target.
            # GDAL reports a full disk or a refused write as a DataSourceError.
            reason = getattr(exc, "strerror", None) or exc
            raise InputError(f"cannot write the file ({reason}); nothing was written",
                             source=str(out), field="--out") from None
        target = str(out)
    skipped = frame.attrs.get("n_without_coordinates", 0)
    note = f"; {skipped} without coordinates not exported" if skipped else ""
    click.echo(f"wrote {flt.describe(n)} to {target}{note}", err=True)


def _write_file(frame: pd.DataFrame, out: Path) -> int:
    """Write next to the target, then rename: a failed export never leaves half a file."""
    from geo.core.files import atomic_output
    from geo.exports import acled

    out = out.expanduser().absolute()
    out.parent.mkdir(parents=True, exist_ok=True)
    with atomic_output(out) as tmp, tmp.open("w", encoding="utf-8", newline="") as fh:
        return acled.write_csv(frame, fh)


def _write_gis(frame: pd.DataFrame, out: Path, fmt: str) -> int:
    """GeoJSON, GeoPackage or KML (each written atomically by ``geo.exports.gis``)."""
    from geo.core.forces import default_forces
    from geo.exports import gis

    if fmt == "geojson":
        return gis.write_geojson(frame, out)
    if fmt == "gpkg":
        return gis.write_gpkg(frame, out)
    return gis.write_kml(frame, out, default_forces())
