"""The map's symbols, defined once: colour = force, shape = event type, squares = control.

Why one module: the dashboard map (drawn in the browser from ``symbols_json()``) and the
briefing exports (matplotlib, ``Shape.matplotlib``) must mean the same thing by the same
mark, and the legend on both is built from ``legend()``. Nothing else defines a symbol.

The encoding (what an analyst reads off the map):

- **colour** is the force (actor 1 of an event; the holder of a place or area), from the
  ``colour`` column of ``data/forces.csv``. The palette is checked to stay distinct for
  normal vision and the three colour-vision deficiencies (``geo.maps.colour_vision``,
  ``PALETTE_MIN_DIFFERENCE``), from each other and from the front-line red;
- **shape** is the event type: battle ● circle, explosion/remote violence ▲ triangle,
  violence against civilians ◆ diamond, strategic development ✚ plus, protest ⬟
  pentagon, riot ★ star. Events are never squares;
- **control places are squares** (■ held, split ◩ contested, thick ring besieged,
  hollow grey unknown), areas are the holder's colour at ``AREA_OPACITY``, front lines a
  red line with a white casing (``FRONT_COLOUR``);
- **modifiers**: a capture of territory has a thick black outline; a place known only
  near the town a halo, only to the province or country a pale circle of the area it
  stands for (``UNCERTAINTY_METRES``); a date known only to the month or coarser is faded
  with a dotted outline;
- many events at one spot are a **cluster**: a white disc with the count, ringed in the
  colours of the forces inside (largest share first); click it to spread it out.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from geo.core.codebook import CAPTURE_SUB_EVENT_TYPES, EVENT_TYPES
from geo.core.forces import UNKNOWN_COLOUR, ForceTable, default_forces

#: Front lines: a red no force uses, drawn over a white casing so it reads on any fill.
FRONT_COLOUR = "#e8000b"
FRONT_CASING = "#ffffff"
FRONT_WEIGHT = 3.0
#: Fill opacity of control areas: events and basemap labels stay readable through them.
AREA_OPACITY = 0.25
#: Smallest CIEDE2000 difference between two force colours (and the front line), under
#: normal vision and each simulated deficiency; ~10 reads as "clearly different".
PALETTE_MIN_DIFFERENCE = 10.0
#: Radius (metres) drawn around an event known only to a province (3) or country/line (4).
UNCERTAINTY_METRES = {3: 25_000, 4: 60_000}
#: Opacity factor of an event whose date is known only to the month or coarser.
COARSE_DATE_FADE = 0.45


@dataclass(frozen=True)
class Shape:
    """A mark's outline, named for the browser and for matplotlib."""

    name: str           # what geo-scrub.js draws: circle, triangle, diamond, plus, ...
    glyph: str          # a character for text legends
    matplotlib: str     # matplotlib marker code


CIRCLE = Shape("circle", "●", "o")
TRIANGLE = Shape("triangle", "▲", "^")
DIAMOND = Shape("diamond", "◆", "D")
PLUS = Shape("plus", "✚", "P")
PENTAGON = Shape("pentagon", "⬟", "p")
STAR = Shape("star", "★", "*")
SQUARE = Shape("square", "■", "s")

#: Event type (ACLED) -> shape. Squares are kept for control places.
EVENT_SHAPES: dict[str, Shape] = {
    "Battles": CIRCLE,
    "Explosions/Remote violence": TRIANGLE,
    "Violence against civilians": DIAMOND,
    "Strategic developments": PLUS,
    "Protests": PENTAGON,
    "Riots": STAR,
}
#: Short legend labels of the event types.
EVENT_LABELS: dict[str, str] = {
    "Battles": "Battle",
    "Explosions/Remote violence": "Strike, shelling, IED",
    "Violence against civilians": "Violence against civilians",
    "Strategic developments": "Strategic development",
    "Protests": "Protest",
    "Riots": "Riot",
}
OTHER_SHAPE = CIRCLE
PLACE_SHAPE = SQUARE

#: Opacity of a stale place's outline (control rule 8: the force last reported holding
#: it, faded; its land is not shaded): the folium layer, the scrub and the exports.
STALE_OPACITY = 0.55

#: Control statuses of a place, in legend order: (status, label).
PLACE_STATUSES: tuple[tuple[str, str], ...] = (
    ("held", "Town held (square in the holder's colour)"),
    ("contested", "Contested (square split between the two forces)"),
    ("besieged", "Besieged (holder inside, besieger's thick ring)"),
    ("unknown", "Unknown: no evidence for two years (hollow grey; a faded dashed ring: "
                "stale, the force of its colour last reported holding it)"),
)


def event_shape(event_type: str | None) -> Shape:
    """The shape of an event type (a circle for a type we do not know)."""
    return EVENT_SHAPES.get(event_type or "", OTHER_SHAPE)


def is_capture(sub_event_type: str | None) -> bool:
    """Captures of territory get a thick black outline."""
    return (sub_event_type or "") in CAPTURE_SUB_EVENT_TYPES


@dataclass(frozen=True)
class LegendEntry:
    """One line of the legend: what to draw (``mark``) and what it means (``label``).

    ``mark`` is one of: ``force`` (a colour swatch), ``event`` (``shape`` in grey),
    ``place`` (a square in the status's style), ``area``, ``front``, ``modifier``
    (``style`` names it: capture, near, region, coarse-date) or ``cluster``."""

    mark: str
    label: str
    colour: str = ""
    shape: str = ""
    style: str = ""


@dataclass(frozen=True)
class LegendSection:
    title: str
    entries: tuple[LegendEntry, ...] = field(default_factory=tuple)


def force_colours(forces: ForceTable | None = None) -> dict[str, str]:
    """Force id -> colour for every force of the table (the placeholder ``GOV`` too:
    it is drawn until an importer resolves it)."""
    table = forces or default_forces()
    return {fid: f.colour for fid, f in table.forces.items()}


def legend(forces: Iterable[str] | None = None, event_types: Iterable[str] | None = None,
           *, control: bool = True, table: ForceTable | None = None) -> list[LegendSection]:
    """The legend of a map showing ``forces`` and ``event_types`` (None = all), with the
    control marks when ``control``. The map draws it; exports draw the same sections."""
    table = table or default_forces()
    force_ids = list(forces) if forces is not None else [f.force_id for f in table]
    types = list(event_types) if event_types is not None else list(EVENT_SHAPES)
    sections = [
        LegendSection("Force", tuple(
            LegendEntry("force", table.display(f) if f in table else f,
                        colour=table.colour(f) if f in table else UNKNOWN_COLOUR)
            for f in force_ids)),
        LegendSection("Event", tuple(
            LegendEntry("event", EVENT_LABELS.get(t, t), shape=event_shape(t).name)
            for t in types if t in EVENT_TYPES or t in EVENT_SHAPES)
            + (LegendEntry("modifier", "Capture of territory", style="capture"),
               LegendEntry("modifier", "Near the place (halo)", style="near"),
               LegendEntry("modifier", "Province or country only (pale circle)",
                           style="region"),
               LegendEntry("modifier", "Month or coarser date (faded)", style="coarse-date"),
               LegendEntry("cluster", "Events at one spot (click to spread)"))),
    ]
    if control:
        sections.append(LegendSection("Control", tuple(
            [LegendEntry("place", label, shape=PLACE_SHAPE.name, style=status)
             for status, label in PLACE_STATUSES]
            + [LegendEntry("area", "Land attributed to a force (estimate)"),
               LegendEntry("front", "Front line between hostile forces",
                           colour=FRONT_COLOUR)])))
    return sections


def symbols_json(table: ForceTable | None = None) -> dict[str, Any]:
    """Everything the browser needs to draw and explain marks (JSON-serialisable)."""
    table = table or default_forces()
    return {
        "forces": {fid: {"name": f.display_name or fid, "colour": f.colour}
                   for fid, f in table.forces.items()},
        "event_shapes": {t: s.name for t, s in EVENT_SHAPES.items()},
        "other_shape": OTHER_SHAPE.name, "place_shape": PLACE_SHAPE.name,
        "front": {"colour": FRONT_COLOUR, "casing": FRONT_CASING, "weight": FRONT_WEIGHT},
        "unknown_colour": UNKNOWN_COLOUR, "area_opacity": AREA_OPACITY,
        "coarse_date_fade": COARSE_DATE_FADE,
        "uncertainty_metres": {str(k): v for k, v in UNCERTAINTY_METRES.items()},
        "legend": [{"title": s.title, "entries": [asdict(e) for e in s.entries]}
                   for s in legend(table=table)],
    }


def palette_problems(table: ForceTable | None = None,
                     min_difference: float = PALETTE_MIN_DIFFERENCE) -> list[str]:
    """Pairs of force colours (and the front line) that some readers could confuse, as
    sentences naming both and the vision; empty when the palette is fine."""
    from geo.maps.colour_vision import closest_pairs

    table = table or default_forces()
    colours = {f"{table.display(fid)} ({fid})": c for fid, c in force_colours(table).items()}
    colours["front line"] = FRONT_COLOUR
    return [f"{a} and {b} differ by only {d:.1f} (CIEDE2000) with {vision} vision"
            for a, b, vision, d in closest_pairs(colours, min_difference)]
