"""The one symbol definition shared by the map and the exports: forces stay distinct for
every reader, event types differ by shape, control places are another kind of mark."""
from __future__ import annotations

import json

import pytest

from geo.core.codebook import EVENT_TYPES
from geo.core.forces import default_forces, load_forces
from geo.maps.colour_vision import ciede2000, hex_to_rgb, min_difference, simulate, to_lab
from geo.maps.symbols import (
    EVENT_SHAPES,
    FRONT_COLOUR,
    PALETTE_MIN_DIFFERENCE,
    PLACE_SHAPE,
    event_shape,
    force_colours,
    legend,
    palette_problems,
    symbols_json,
)


def test_every_force_is_distinct_from_every_other_and_from_the_front_line() -> None:
    """For normal vision and protanopia, deuteranopia and tritanopia alike."""
    assert palette_problems() == []
    colours = list(force_colours().values()) + [FRONT_COLOUR]
    assert len(colours) == len(default_forces().forces) + 1
    assert min_difference(colours) >= PALETTE_MIN_DIFFERENCE


def test_a_palette_that_repeats_a_green_is_reported(tmp_path) -> None:
    """The old table: PMF, KH, KSS and Badr all #2ca02c; IS black like the front line."""
    from geo.core import paths
    rows = paths.FORCES_FILE.read_text(encoding="utf-8").splitlines()
    header, body = rows[0], rows[1:]
    greens = {"PMF", "KH"}
    edited = [header] + [",".join(r.split(",")[:3] + ["#2ca02c"] + r.split(",")[4:])
                         if r.split(",")[0] in greens else r for r in body]
    path = tmp_path / "forces.csv"
    path.write_text("\n".join(edited) + "\n", encoding="utf-8")
    problems = palette_problems(load_forces(path))
    assert any("(PMF)" in p and "(KH)" in p and "normal vision" in p for p in problems)


@pytest.mark.parametrize("a, b, expected", [
    ("#000000", "#000000", 0.0),
    ("#ff0000", "#ff0000", 0.0),
    ("#ffffff", "#000000", 100.0),
])
def test_ciede2000_pins(a: str, b: str, expected: float) -> None:
    lab = to_lab(simulate(__import__("numpy").array([hex_to_rgb(a), hex_to_rgb(b)]), "normal"))
    assert ciede2000(lab[0], lab[1]) == pytest.approx(expected, abs=0.05)


def test_red_and_green_merge_for_a_deuteranope_but_not_for_normal_vision() -> None:
    """The reason for the check: a pure red/green pair looks alike with deuteranopia."""
    import numpy as np
    rgb = np.array([hex_to_rgb("#d62728"), hex_to_rgb("#8c8c00")])
    normal = to_lab(simulate(rgb, "normal"))
    deutan = to_lab(simulate(rgb, "deuteranopia"))
    assert ciede2000(normal[0], normal[1]) > 2 * ciede2000(deutan[0], deutan[1])


def test_event_types_have_distinct_shapes_and_none_is_the_place_square() -> None:
    shapes = [event_shape(t).name for t in EVENT_TYPES]
    assert len(set(shapes)) == len(shapes)
    assert PLACE_SHAPE.name not in shapes
    assert set(EVENT_SHAPES) == set(EVENT_TYPES)
    assert event_shape("Something new").name == "circle"


def test_legend_names_every_force_every_type_and_the_control_marks() -> None:
    sections = {s.title: s for s in legend()}
    forces = default_forces()
    assert [e.label for e in sections["Force"].entries] == [f.display_name for f in forces]
    assert {e.shape for e in sections["Event"].entries if e.mark == "event"} == {
        s.name for s in EVENT_SHAPES.values()}
    control = sections["Control"].entries
    assert [e.style for e in control if e.mark == "place"] == [
        "held", "contested", "besieged", "unknown"]
    assert any(e.mark == "front" and e.colour == FRONT_COLOUR for e in control)
    assert "Control" not in {s.title for s in legend(control=False)}


def test_symbols_travel_as_json() -> None:
    data = json.loads(json.dumps(symbols_json()))
    assert data["front"]["colour"] == FRONT_COLOUR
    assert data["forces"]["IS"]["colour"] == default_forces().colour("IS")
    assert data["event_shapes"]["Battles"] == "circle"
