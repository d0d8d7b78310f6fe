"""Force colours and display names for the map, from the force table (``geo.core.forces``).

A thin view of ``data/forces.csv`` as the map needs it (one reader and one validation
for the whole package: a colour is checked as ``#RRGGBB`` before it reaches a style
attribute). Unknown forces get a neutral grey, never an error: an event with a force id
we do not know must still be drawn.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from geo.core.forces import UNKNOWN_COLOUR, load_forces
from geo.core.paths import FORCES_FILE


@dataclass(frozen=True)
class ForceStyle:
    """How one force is shown: its id, display name and colour."""

    force_id: str
    display_name: str
    colour: str


@lru_cache(maxsize=4)
def load_force_styles(path: Path = FORCES_FILE) -> dict[str, ForceStyle]:
    """Force id -> style, in file order (the order used in the force filter);
    ``InputError`` naming the line for a bad table."""
    return {f.force_id: ForceStyle(f.force_id, f.display_name or f.force_id, f.colour)
            for f in load_forces(path)}


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
