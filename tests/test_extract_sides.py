"""Which forces a text names as acting (``geo/extract/sides.py``): one test sentence per
row of the module's table, written for these tests."""
from __future__ import annotations

import pytest

from geo.core.forces import default_forces
from geo.extract.sides import acting_forces, one_side

ROWS = [
    # (construction, text, country, acting forces, the one side)
    ("subject before its verb", "Kurdish fighters advanced on the town on Monday.", "SY",
     ["SDF"], "SDF"),
    ("agent after 'by'", "The town was shelled by the Syrian army overnight.", "SY",
     ["SYR"], "SYR"),
    ("agent with an adjective", "It came under heavy bombardment by the Syrian regime.", "SY",
     ["SYR"], "SYR"),
    ("winner after 'fell to'", "Ramadi falls to Islamic State militants", "IQ", ["IS"], "IS"),
    ("winner after 'lost ... to'", "The army lost the town to the Islamic State group.",
     "IQ", ["IQ-army", "IS"], ""),
    ("fighters loyal to A", "Gunmen loyal to the Syrian government stormed the village.",
     "SY", ["SYR"], "SYR"),
    ("object of a preposition", "Strikes on Islamic State positions continued.", "IQ",
     [], ""),
    ("a backer is no actor", "US-backed Syrian fighters entered the town.", "SY",
     ["SDF"], "SDF"),
    ("'A-held' modifies, 'A held' acts", "Islamic State held the IS-held town until "
     "March.", "SY", ["IS"], "IS"),
    ("'anti-A' is no actor", "Six anti-IS fighters were killed at the refinery.", "IQ",
     [], ""),
    ("two hostile sides acting", "Islamic State attacked the town; Kurdish fighters "
     "repelled them.", "SY", ["IS", "SDF"], ""),
    ("a force listed with an agent is an agent", "The enclave was bombed by the Syrian "
     "regime and Russia.", "SY", ["SYR", "RUS"], "SYR"),
    ("a force listed with an object is an object", "Jets struck positions of Islamic State "
     "and Syrian rebels.", "SY", [], ""),
    ("allies are one side", "Syrian troops and Russian jets pounded the town.", "SY",
     ["SYR", "RUS"], "SYR"),
    ("a speaker is no actor", "Turkish officials said the town was quiet.", "SY", [], ""),
    ("a speaker telling its own act acts", "A U.S.-backed Syrian force says it has begun "
     "an offensive on the city.", "SY", ["SDF"], "SDF"),
    ("the owner of a thing is no actor", "Fighters surrounded the town to break IS's will.",
     "SY", [], ""),
    ("the owner of its fighters acts", "IS's fighters stormed the town at dawn.", "SY",
     ["IS"], "IS"),
    ("a generic word serving a named force is that force's men", "Rebels loyal to the "
     "Islamic State group stormed the village.", "SY", ["IS"], "IS"),
    ("al-Qaeda's men in Syria: the Nusra Front, keyed with the Syrian rebels", "Fighters "
     "linked to al-Qaeda stormed the village.", "SY", ["FSA"], "FSA"),
    ("al-Qaeda's men in Iraq: the offshoot fighting there, IS", "Fighters linked to "
     "al-Qaeda stormed the village.", "IQ", ["IS"], "IS"),
    ("a title beside a name is the name's", "The Turkish prime minister said jets struck "
     "the enclave.", "SY", [], ""),
]


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r[0])
def test_acting_forces_row(row: tuple[str, str, str, list[str], str]) -> None:
    _, text, country, acting, side = row
    forces = default_forces()
    got = acting_forces(text, forces, country)
    if "IQ-army" in acting:       # "the army" reads as the government of the country
        acting = [forces.government_of(country) if a == "IQ-army" else a for a in acting]
    assert got == acting
    assert one_side(got, forces) == side



@pytest.mark.parametrize("title,town,side", [
    ("Islamic State seizes Ramadi as Iraqi forces flee", "Ramadi", "IS"),
    ("Kurds retake Kobani as IS retreats", "Kobani", "SDF"),
    ("Fighting rages in Ramadi as Islamic State attacks", "Ramadi", "IS"),
    ("Iraqi army retakes most of Tal Afar from Daesh - military", "Tall 'Afar", "ISF"),
    ("Mosul falls to Islamic State", "Mosul", "IS"),
])
def test_the_headline_names_the_side_acting_at_its_town(title: str, town: str,
                                                        side: str) -> None:
    """The main clause of a headline says who acted; a clause after "as" only when the
    main one names nobody (``pipeline.headline_sides``)."""
    from geo.extract.events import place_hits
    from geo.extract.pipeline import headline_sides
    from geo.geocode.gazetteer import default_gazetteer

    found = headline_sides(title, place_hits(default_gazetteer(), title), default_forces())
    assert [(p.name, s) for p, s in found] == [(town, side)]
