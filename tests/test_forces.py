"""The force alias table: names to force ids, the verb "is" never a force, errors located."""
from __future__ import annotations

from pathlib import Path

import pytest

from geo.errors import InputError
from geo.forces import default_forces, load_forces


@pytest.mark.parametrize("text,expected", [
    ("IS militants seized the town", ["IS"]),
    ("It is feared that the city is lost", []),
    ("Daesh and ISIL fighters", ["IS", "IS"]),
    ("the US launched air strikes against Kataib Hezbollah", ["US", "KH"]),
    ("Syrian Democratic Forces and the YPG", ["SDF", "SDF"]),
    ("Kurdish Peshmerga forces", ["PESH"]),
    ("Popular Mobilisation Forces", ["PMF"]),
    ("told us that", []),
    ("heavy Russian air strikes", ["RUS"]),
])
def test_mentions(text: str, expected: list[str]) -> None:
    assert [m.force_id for m in default_forces().find_mentions(text)] == expected


@pytest.mark.parametrize("name,force", [
    ("Military Forces of Iraq (2014-)", "ISF"), ("Islamic State (Iraq)", "IS"),
    ("Military Forces of Syria (2000-)", "SYR"), ("SDF", "SDF"), ("Some unknown gang", None),
])
def test_resolve_actor_names(name: str, force: str | None) -> None:
    assert default_forces().resolve(name) == force


def test_every_force_has_a_colour_and_known_parent() -> None:
    forces = default_forces()
    for f in forces:
        assert f.colour.startswith("#") and (not f.parent or f.parent in forces)


def test_bad_table_names_file_line_and_field(tmp_path: Path) -> None:
    f = tmp_path / "forces.csv"
    f.write_text("force_id,display_name,acled_actor,colour,side,parent,aliases\n"
                 "X,Xers,X,#123456,x,,X\nY,Yers,Y,red,y,,Y\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_forces(f)
    assert "line 3" in str(info.value) and "colour" in str(info.value)
