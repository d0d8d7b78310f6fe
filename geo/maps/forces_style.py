"""Force colours and display names for the map, read from ``data/forces.csv``.

A tiny cached reader so the map does not depend on the (later) forces module; it reads
only the columns the map needs. Unknown forces get a neutral grey, never an error: an
event with a force id we do not know must still be drawn.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from geo.errors import InputError
from geo.paths import FORCES_FILE

UNKNOWN_COLOUR = "#8a8a8a"


@dataclass(frozen=True)
class ForceStyle:
    """How one force is shown: its id, display name and colour."""

    force_id: str
    display_name: str
    colour: str


@lru_cache(maxsize=4)
def load_force_styles(path: Path = FORCES_FILE) -> dict[str, ForceStyle]:
    """Force id -> style, in file order (the order used in the force filter)."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except OSError as exc:
        raise InputError(f"cannot read forces table ({exc.strerror})", source=str(path)) from exc
    styles: dict[str, ForceStyle] = {}
    for line, row in enumerate(rows, start=2):
        force_id = (row.get("force_id") or "").strip()
        colour = (row.get("colour") or "").strip()
        if not force_id:
            raise InputError("empty force_id", source=str(path), line=line, field="force_id")
        if not (colour.startswith("#") and len(colour) in (4, 7)):
            raise InputError(f"colour {colour!r} is not #rgb or #rrggbb", source=str(path),
                             line=line, field="colour")
        styles[force_id] = ForceStyle(force_id, (row.get("display_name") or force_id).strip(),
                                      colour)
    return styles


def force_colour(force_id: str | None) -> str:
    """The colour of a force id; grey for an empty or unknown one."""
    style = load_force_styles().get(force_id or "")
    return style.colour if style else UNKNOWN_COLOUR


def force_label(force_id: str | None) -> str:
    """``"Islamic State (IS)"`` for ``"IS"``; the id itself when unknown."""
    if not force_id:
        return "unknown force"
    style = load_force_styles().get(force_id)
    return f"{style.display_name} ({force_id})" if style else force_id
