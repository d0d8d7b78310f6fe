"""The force alias table: names to force ids, the verb "is" never a force, errors located."""
from __future__ import annotations

from pathlib import Path

import pytest

from geo.core.errors import InputError
from geo.core.forces import default_forces, load_forces


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
    # a placeholder's name needs the country of the row: left unmapped
    ("Hayat Tahrir al-Sham", None),
])
def test_resolve_actor_names(name: str, force: str | None) -> None:
    assert default_forces().resolve(name) == force


def test_every_force_has_a_colour_and_known_parent() -> None:
    forces = default_forces()
    for f in forces:
        assert f.colour.startswith("#") and (not f.parent or f.parent in forces)


def test_bad_table_names_file_line_and_field(tmp_path: Path) -> None:
    f = tmp_path / "forces.csv"
    f.write_text(HEADER + "X,Xers,X,#123456,x,state,,,,X,\nY,Yers,Y,red,y,state,,,,Y,\n",
                 encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_forces(f)
    assert "line 3" in str(info.value) and "colour" in str(info.value)


HEADER = ("force_id,display_name,acled_actor,colour,side,kind,government_of,allies,parent,aliases,"
          "by_country\n")


@pytest.mark.parametrize("row, field", [
    ("X,Xers,X,#123456,x,militia,,,,X,", "kind"),
    ("X,Xers,X,#123456,x,state,Iraq,,,X,", "government_of"),
    ("X,Xers,X,#123456,x,state,,Z,,X,", "allies"),
    ("X,Xers,X,#123456,x,state,,,Z,X,", "parent"),
    ("X,Xers,X,#123456,x,state,,,,X,Iraq=X", "by_country"),
    ("X,Xers,X,#123456,x,state,,,,X,IQ=Z", "by_country"),
])
def test_bad_new_columns_name_line_and_field(tmp_path: Path, row: str, field: str) -> None:
    """Each column the domain relies on is checked, and the message says where."""
    f = tmp_path / "forces.csv"
    f.write_text(HEADER + row + "\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_forces(f)
    assert "line 2" in str(info.value) and f"field '{field}'" in str(info.value)


@pytest.mark.parametrize("seat, seat_of, field", [
    ("Baghdad", "the Iraqi government", "seat"),       # a name, not a gazetteer id
    ("wof:421178393", "", "seat_of"),                  # whose seat it is, missing
    ("", "the Iraqi government", "seat"),
])
def test_a_bad_seat_names_line_and_field(tmp_path: Path, seat: str, seat_of: str,
                                         field: str) -> None:
    """A government's seat is a gazetteer id with who sits there; the columns are
    optional (an older table without them loads)."""
    f = tmp_path / "forces.csv"
    f.write_text(HEADER.rstrip("\n") + ",seat,seat_of\n"
                 f"X,Xers,X,#123456,x,state,,,,X,,{seat},{seat_of}\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_forces(f)
    assert "line 2" in str(info.value) and f"field '{field}'" in str(info.value)
    f.write_text(HEADER + "X,Xers,X,#123456,x,state,,,,X,\n", encoding="utf-8")
    assert load_forces(f).seats() == []


def test_seats_of_government_come_from_the_table() -> None:
    """Where each government sits is a column (rule 10 of the control rules presumes a
    government holds it): the Iraqi government, the Kurdistan Regional Government and
    the Syrian government; no force without a government has one."""
    seats = {f.force_id: (f.seat, f.seat_of) for f in default_forces().seats()}
    assert seats == {"ISF": ("wof:421178393", "the Iraqi government"),
                     "PESH": ("wof:1141908681", "the Kurdistan Regional Government"),
                     "SYR": ("wof:421202165", "the Syrian government")}


def test_the_government_of_a_region_comes_from_the_table() -> None:
    """Which government governs which region is a column (``governs``): the most
    specific region wins, so a town of a Kurdistan Region governorate is the Kurdistan
    Regional Government's, one elsewhere in Iraq the Iraqi government's; a country no
    row governs has none."""
    forces = default_forces()
    assert forces.governor("IQ", "Karbala").force_id == "ISF"
    assert forces.governor("IQ", "Sulaymaniyah").force_id == "PESH"
    assert forces.governor("SY", "Latakia").force_id == "SYR"
    assert forces.governor("JO", "Amman") is None and forces.governor("") is None


@pytest.mark.parametrize("governs, seat_of", [
    ("Iraq", "the Iraqi government"),       # a name, not a country code
    ("IQ", ""),                             # who governs, missing
])
def test_a_bad_region_names_line_and_field(tmp_path: Path, governs: str, seat_of: str) -> None:
    """A governed region is a country code or COUNTRY:admin1, with who governs it."""
    f = tmp_path / "forces.csv"
    f.write_text(HEADER.rstrip("\n") + ",seat,seat_of,governs\n"
                 f"X,Xers,X,#123456,x,state,,,,X,,,{seat_of},{governs}\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_forces(f)
    assert "line 2" in str(info.value) and "field '" in str(info.value)


def test_governments_come_from_the_table() -> None:
    """Which force governs which country is a column, not a constant in code."""
    forces = default_forces()
    assert (forces.government_of("IQ"), forces.government_of("SY")) == ("ISF", "SYR")
    assert forces.government_of("ZZ") is None
    assert forces.local("GOV", "IQ") == "ISF" and forces.local("GOV", "SY") == "SYR"
    assert forces.local("SDF", "IQ") == "SDF"
    assert "GOV" not in {f.force_id for f in forces}      # a placeholder, not a force


def test_generic_words_are_marked_in_the_table() -> None:
    """"government troops" names the local government by role; "militants" IS by role."""
    forces = default_forces()
    found = {m.text: (m.force_id, m.generic)
             for m in forces.find_mentions("government troops fought the militants and ISIS")}
    assert found == {"government troops": ("GOV", True), "the militants": ("IS", True),
                     "ISIS": ("IS", False)}


@pytest.mark.parametrize("a, b, hostile", [
    ("ISF", "PESH", False), ("PMF", "PESH", False), ("PMF", "US", False),
    ("SDF", "US", False), ("FSA", "TUR", False), ("SYR", "RUS", False),
    ("IS", "ISF", True), ("SDF", "TUR", True), ("SYR", "FSA", True), ("US", "SYR", True),
])
def test_hostility_follows_sides_and_allies(a: str, b: str, hostile: bool) -> None:
    forces = default_forces()
    assert forces.hostile(a, b) is hostile and forces.hostile(b, a) is hostile


@pytest.mark.parametrize("force, state", [
    ("ISF", True), ("PMF", True), ("KH", True), ("PESH", True), ("SYR", True),
    ("IS", False), ("SDF", False), ("FSA", False), ("nonsense", False),
])
def test_state_forces_and_affiliates(force: str, state: bool) -> None:
    assert default_forces().is_state(force) is state


@pytest.mark.parametrize("words, country, force", [
    ("Kurdish fighters", "IQ", "PESH"), ("Kurdish fighters", "SY", "SDF"),
    ("the Kurds", "SY", "SDF"), ("Kurdish forces", "TR", "KURD"),
    ("security forces", "IQ", "ISF"), ("the military", "SY", "SYR"),
])
def test_placeholders_resolve_by_the_country_of_the_event(words: str, country: str,
                                                          force: str) -> None:
    """Words that name a force by what it is where the event happens resolve there; with
    no rule for the country they stay the placeholder (shown as such, never guessed)."""
    forces = default_forces()
    (mention,) = forces.find_mentions(f"They said {words} took part.")
    assert mention.generic and forces.local(mention.force_id, country) == force


def test_nation_words_come_from_state_forces_aliases(tmp_path: Path) -> None:
    """"Russian strikes" names the Russian force because the table has "Russian warplanes":
    an analyst who adds a state force with an alias "Jordanian troops" makes "Jordanian"
    a nation word; a non-state force's aliases ("Syrian rebels") never do."""
    words = default_forces().nation_words()
    assert {"Russian", "Iraqi", "Turkish", "US", "U.S.", "American"} <= set(words)
    assert "Syrian" in words and "Kurdish" not in words      # "Kurdish fighters": non-state
    f = tmp_path / "forces.csv"
    f.write_text(HEADER + "JAF,Jordanian Armed Forces,Military Forces of Jordan,#123456,jo,"
                 "state,JO,,,Jordanian troops|Royal Jordanian Air Force,\n"
                 "REB,Rebels,Rebels,#654321,reb,non-state,,,,Southern rebels,\n",
                 encoding="utf-8")
    assert load_forces(f).nation_words() == ("Jordanian",)


@pytest.mark.parametrize("words, country, force", [
    ("fighters linked to al-Qaeda", "IQ", "IS"), ("the Nusra Front", "SY", "FSA"),
    ("Hayat Tahrir al-Sham", "SY", "FSA"), ("al-Qaeda", "LB", "AQ"),
])
def test_al_qaeda_names_the_force_of_its_lineage_where_it_happens(words: str, country: str,
                                                                   force: str) -> None:
    """In Iraq the al-Qaeda offshoot that fights is the Islamic State; in Syria the Nusra
    Front / HTS is keyed with the rebels (as the curated timeline keys "rebels led by
    Jabhat al-Nusra"); elsewhere the placeholder stays itself, never guessed."""
    forces = default_forces()
    (mention,) = [m for m in forces.find_mentions(f"They said {words} took part.")
                  if not m.generic]
    assert forces.local(mention.force_id, country) == force
