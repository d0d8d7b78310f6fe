"""Helpers shared by several commands (argument types, loading the gazetteer and forces)."""
from __future__ import annotations

import argparse
from datetime import date

from geo.extract.dates import parse_date
from geo.forces import ForceTable, default_forces
from geo.geocode.gazetteer import Gazetteer, default_gazetteer
from geo.store.base import Store


def date_arg(value: str) -> date:
    """argparse type for dates: YYYY-MM-DD or "18 June 2017", with a message when wrong."""
    try:
        return parse_date(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_date_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--date", type=date_arg, metavar="YYYY-MM-DD",
                        help="publication date of the articles; wins over any date found "
                             "in the text or a FILE.meta.json sidecar")


def load_places_and_forces(store: Store | None = None) -> tuple[Gazetteer, ForceTable]:
    """The gazetteer (with the store's own places when given) and the force table."""
    return default_gazetteer(store=store), default_forces()
