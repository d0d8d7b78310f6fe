"""``python -m geo places ...``: the analyst's own places and confirmed names.

* ``places import FILE.csv``: own places (columns name, latitude, longitude, country,
  admin1, place_type, aliases); bad rows are reported by line and field, the rest stored.
  They win over the bundled gazetteer in every later look-up, import and ingest.
* ``places confirm NAME [--place-id ID]``: remember that NAME (as a dataset or an article
  writes it) means the place with that id (default: the geocoder's current answer).
* ``places forget NAME``; ``places list``: own places and confirmed names as CSV.
"""
from __future__ import annotations

import csv
import sys

import click

from geo.commands.common import database_option
from geo.core import settings
from geo.core.errors import InputError
from geo.geocode.gazetteer import Gazetteer
from geo.geocode.offline import GazetteerGeocoder
from geo.geocode.places import confirm, read_own_places, store_own_places
from geo.store import open_store


def _author() -> str:
    """Who changes: the ``author`` setting (default: the operating-system user)."""
    return settings.author()


@click.group("places")
def places_command() -> None:
    """Own places and confirmed place names (win over the gazetteer)."""


@places_command.command("import")
@click.argument("file", metavar="FILE.csv")
@database_option
def import_places(file: str, database: str | None) -> None:
    """Add own places from a CSV file."""
    parsed = read_own_places(file)        # InputError: nothing is written
    for problem in parsed.problems:
        click.echo(f"problem: {problem}", err=True)
    with open_store(database) as store:
        n = store_own_places(parsed, store, author=_author())
    click.echo(f"{file}: {n} place(s) added or updated, {len(parsed.problems)} row(s) skipped")


@places_command.command("confirm")
@click.argument("name", metavar="NAME")
@click.option("--place-id", metavar="ID", default=None,
              help="the place's id as `geo geocode --candidates N` shows it in raw form "
                   "(default: the geocoder's current answer)")
@database_option
def confirm_place(name: str, place_id: str | None, database: str | None) -> None:
    """Remember which place a name means."""
    with open_store(database) as store:
        gazetteer = Gazetteer.load(store=store)
        if place_id:
            place = gazetteer.place_by_id(place_id)
            if place is None:
                raise InputError(f"no place has the id {place_id!r}", field="--place-id")
        else:
            loc = GazetteerGeocoder(store, gazetteer=gazetteer).geocode(name)
            if loc is None or isinstance(loc, list):
                raise InputError(f"{name!r} is not found; add it as an own place "
                                 f"(places import) or give --place-id", field="name")
            place = loc.place
        confirm(store, name, place, author=_author())
    click.echo(f"{name!r} = {place.name} ({place.country}, {place.place_type}, "
               f"{place.latitude:.5f}, {place.longitude:.5f}, {place.place_id})")


@places_command.command("forget")
@click.argument("name", metavar="NAME")
@database_option
@click.pass_context
def forget_place(ctx: click.Context, name: str, database: str | None) -> None:
    """Drop a confirmation."""
    with open_store(database) as store:
        forgotten = store.forget_confirmed_name(name)
    if not forgotten:
        click.echo(f"{name!r} was not confirmed", err=True)
        ctx.exit(1)
    click.echo(f"forgot {name!r}")


@places_command.command("list")
@database_option
def list_places(database: str | None) -> None:
    """Own places and confirmed names as CSV on stdout."""
    with open_store(database, read_only=True) as store:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(["kind", "name", "place_id", "place_name", "latitude", "longitude",
                         "country", "admin1", "place_type"])
        for p in store.custom_places():
            writer.writerow(["own place", p.name, p.place_id, p.name, p.latitude,
                             p.longitude, p.country, p.admin1, p.place_type])
        for name, p in store.confirmed_names():
            writer.writerow(["confirmed name", name, p.place_id, p.name, p.latitude,
                             p.longitude, p.country, p.admin1, p.place_type])
