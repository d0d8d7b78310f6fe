"""``python -m geo export``: the filtered events as ACLED-style CSV (stdout or a file), or
as GeoJSON, GeoPackage or KML, chosen by the ``--out`` extension."""
from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from geo.commands.common import ISO_DATE, database_option, greedy_options
from geo.core.codebook import EVENT_TYPES
from geo.core.errors import InputError

if TYPE_CHECKING:
    import pandas as pd

    from geo.store import Store


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
@click.option("--control", "control_day", type=ISO_DATE, metavar="D",
              help="add who held which town on day D (places with status, holder, since, "
                   "basis and sources; areas; front lines), as `geo control --date D` maps "
                   "it: layers control_places/control_areas/control_fronts in a .gpkg, a "
                   "folder in a .kml, features with a 'layer' property in a .geojson")
@click.option("--no-curated", is_flag=True,
              help="with --control: leave out the curated control timeline (store only)")
@database_option
def export_command(out: Path | None, date_from: date | None, date_to: date | None,
                   forces: tuple[str, ...], types: tuple[str, ...], control_day: date | None,
                   no_curated: bool, database: str | None) -> None:
    """Write events as ACLED-style CSV (with evidence and review columns), GeoJSON,
    GeoPackage or KML (by the --out extension); with --control D, the control map of day
    D beside them (GIS formats)."""
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
    if control_day is not None and fmt not in gis.CONTROL_FORMATS:
        raise InputError("control is exported as GIS layers: give --out FILE.gpkg, .kml or "
                         ".geojson with --control (`geo control --date D` writes GeoJSON "
                         "alone)", field="--control")
    if no_curated and control_day is None:
        raise InputError("--no-curated applies to the control layers: give --control D too",
                         field="--no-curated")
    flt = EventFilter(date_from=date_from, date_to=date_to, forces=forces, event_types=types)
    control = None
    with open_store(database, read_only=True) as store:
        frame = store.query_events(flt)
        if control_day is not None:
            control = _control_map(store, control_day, curated=not no_curated)
    if out is None:
        n = acled.write_csv(frame, sys.stdout)
        sys.stdout.flush()
        target = "standard output"
    else:
        try:
            n = _write_file(frame, out) if fmt == "csv" else \
                _write_gis(frame, out, fmt, control)
        except (OSError, DataSourceError, DataLayerError) as exc:
            # The failing name is the temporary file beside the target: name the target.
            # GDAL reports a full disk or a refused write as a DataSourceError.
            reason = getattr(exc, "strerror", None) or exc
            raise InputError(f"cannot write the file ({reason}); nothing was written",
                             source=str(out), field="--out") from None
        target = str(out)
    skipped = frame.attrs.get("n_without_coordinates", 0)
    note = f"; {skipped} without coordinates not exported" if skipped else ""
    if control is not None:
        note += f"; {_control_described(control)}"
    click.echo(f"wrote {flt.describe(n)} to {target}{note}", err=True)
    for problem in (control or {}).get("problems", [])[:20]:
        click.echo(f"warning: {problem}", err=True)


def _write_file(frame: pd.DataFrame, out: Path) -> int:
    """Write next to the target, then rename: a failed export never leaves half a file."""
    from geo.core.files import atomic_output
    from geo.exports import acled

    out = out.expanduser().absolute()
    out.parent.mkdir(parents=True, exist_ok=True)
    with atomic_output(out) as tmp, tmp.open("w", encoding="utf-8", newline="") as fh:
        return acled.write_csv(frame, fh)


def _write_gis(frame: pd.DataFrame, out: Path, fmt: str,
               control: dict[str, Any] | None) -> int:
    """GeoJSON, GeoPackage or KML (each written atomically by ``geo.exports.gis``), with
    the control map of a day when given."""
    from geo.core.forces import default_forces
    from geo.exports import gis

    if fmt == "geojson":
        return gis.write_geojson(frame, out, control)
    if fmt == "gpkg":
        return gis.write_gpkg(frame, out, control)
    return gis.write_kml(frame, out, default_forces(), control)


def _control_map(store: Store, day: date, *, curated: bool) -> dict[str, Any]:
    """The control map of ``day`` with each place's history and its states up to the
    day, as ``geo control --date`` maps it (the store's kept series: ``geo.control.cache``)."""
    from geo.control.cache import stored_series
    from geo.exports.control_gis import control_for_export

    return control_for_export(stored_series(store, curated=curated), day)


def _control_described(control: dict[str, Any]) -> str:
    """'control on D: 262 places, 40 areas, 12 front lines' for the command's summary."""
    kinds = [f["properties"].get("kind") for f in control.get("features", [])]
    return (f"control on {control.get('date')}: {kinds.count('place'):,} places, "
            f"{kinds.count('area') + kinds.count('desert'):,} areas, "
            f"{kinds.count('front'):,} front lines")
