"""Extraction rules on short news sentences: captures, passive and 'fall to' forms,
background events, hypothetical events, coarse places, one event per real event."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from geo.core.forces import default_forces
from geo.core.records import Article
from geo.extract.pipeline import extract_article
from geo.geocode.gazetteer import default_gazetteer
from geo.ingest import process_files

PUB = date(2016, 6, 4)


def extract(text: str, published: date | None = PUB) -> list:
    art = Article(text=text, published=published)
    return extract_article(art, default_gazetteer(), default_forces()).events


def only(events: list) -> object:
    assert len(events) == 1, [(e.location, e.sub_event_type, e.actor1) for e in events]
    return events[0]


def test_active_capture_with_weekday() -> None:
    ev = only(extract("IS militants seized Ramadi last Friday, officials said."))
    assert ev.location == "Ramadi" and ev.actor1_force == "IS" and ev.control_to == "IS"
    assert ev.sub_event_type == "Non-state actor overtakes territory"
    assert ev.event_date == date(2016, 6, 3) and ev.time_precision == 1


def test_fall_to_and_passive_retaken_by() -> None:
    ev = only(extract("The city of Tikrit fell to Islamic State fighters in June 2014."))
    assert ev.location == "Tikrit" and ev.actor1_force == "IS"
    assert ev.time_precision == 3 and ev.date_min == date(2014, 6, 1)
    ev = only(extract("The town of Hit was retaken by Iraqi forces on Thursday after days of fighting."))
    assert ev.actor1_force == "ISF" and ev.sub_event_type == "Government regains territory"


def test_background_capture_in_relative_clause() -> None:
    evs = extract("Raqqa, which Islamic State seized from Syrian rebels in 2014, is defended "
                  "by 3,000 jihadists.")
    ev = only(evs)
    assert ev.location == "Ar Raqqah" or "Raqq" in ev.location
    assert (ev.actor1_force, ev.actor2_force, ev.date_min.year, ev.time_precision) == \
        ("IS", "FSA", 2014, 4)


def test_intentions_and_forecasts_are_not_events() -> None:
    assert extract("Iraqi forces are expected to retake Ramadi in the coming days.") == []
    assert extract("The army will launch an operation to liberate Mosul.") == []
    assert extract("Shi'ite militias head to Ramadi in a bid to oust the militants.") == []


def test_list_of_recaptured_cities_gives_one_event_each() -> None:
    evs = extract("Iraqi forces have pushed on toward Fallujah after recapturing several key "
                  "cities in the past year, including Ramadi, Tikrit, and Baiji.")
    assert sorted(e.location for e in evs) == ["Baiji", "Ramadi", "Tikrit"]
    assert all(e.actor1_force == "ISF" and e.time_precision == 4 for e in evs)


def test_province_gets_coarse_precision_and_strike_actor() -> None:
    ev = only(extract("Russian air strikes hit Raqqa province on Monday."))
    assert ev.actor1_force == "RUS" and ev.geo_precision == 3
    assert ev.sub_event_type == "Air/drone strike"


def test_same_event_twice_in_an_article_is_one_event_with_two_sentences() -> None:
    evs = extract("IS militants seized Ramadi on Friday. The fall of Ramadi to IS "
                  "shocked Baghdad.")
    ev = only(evs)
    assert len(ev.evidence) == 2


def test_undated_article_gives_undated_events() -> None:
    ev = only(extract("The US launched air strikes on Kataib Hezbollah in Al-Qaim.", None))
    assert ev.event_date is None and ev.time_precision == 9


def test_evidence_offsets_point_at_the_mentions() -> None:
    text = "Heavy fighting went on. Government troops seized control of al-Bab in February."
    ev = only(extract(text))
    e = ev.evidence[0]
    assert text[e.sentence_start:e.sentence_start + len(e.sentence)] == e.sentence
    kinds = {m.kind: e.sentence[m.start:m.end] for m in e.mentions}
    assert kinds["place"] == "al-Bab" and kinds["date"] == "in February"
    assert ev.actor1_force == "SYR"      # "government troops" in Syria


def test_batch_goes_on_past_bad_files(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("Iraqi forces recaptured Hit on 14 April 2016, the army said.\n")
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    summary = process_files([tmp_path], default_gazetteer(), default_forces())
    assert summary.articles == 1 and summary.events == 1
    assert sorted(Path(o.path).name for o in summary.errors) == ["binary.txt", "empty.txt"]
    assert any("empty" in line for line in summary.lines())


WIRE = date(2017, 7, 12)   # a Wednesday


@pytest.mark.parametrize("sentence,sub_event,actor1,place_part,day,fatalities", [
    ("Iraqi forces retook the town of Hit from Islamic State on Thursday, a spokesman said.",
     "Government regains territory", "ISF", "Hit", "2017-07-06", 0),
    ("The Syrian Democratic Forces said on Tuesday they had captured the Tabqa dam.",
     "Non-state actor overtakes territory", "SDF", "Tabqa", "2017-07-11", 0),
    ("A suicide car bomb killed at least 20 people in Baghdad on Sunday, police said.",
     "Suicide bomb", "", "Baghdad", "2017-07-09", 20),
    ("U.S.-led coalition aircraft carried out 15 air strikes near Mosul, the military said.",
     "Air/drone strike", "US", "Mosul", "2017-07-12", 0),
    ("Kurdish Peshmerga forces recaptured Sinjar in November 2015.",
     "Government regains territory", "PESH", "Sinjar", "2015-11-15", 0),
    ("Clashes between the SDF and Islamic State fighters continued in Manbij on Monday.",
     "Armed clash", "SDF", "Manbij", "2017-07-10", 0),
    ("Mosul fell to Islamic State in June 2014 when the Iraqi army collapsed.",
     "Non-state actor overtakes territory", "IS", "Mosul", "2014-06-15", 0),
    ("ISIS militants executed 25 men in Palmyra's Roman amphitheatre, activists said.",
     "Attack", "IS", "Palmyra", "2017-07-12", 25),
])
def test_wire_story_sentences(sentence: str, sub_event: str, actor1: str, place_part: str,
                              day: str, fatalities: int) -> None:
    """Typical wire-story sentences (not from the seed articles) come out as ACLED rows."""
    ev = only(extract(sentence, WIRE))
    assert (ev.sub_event_type, ev.actor1_force) == (sub_event, actor1)
    assert place_part in ev.location and str(ev.event_date) == day
    assert ev.fatalities == fatalities


def test_plans_are_not_events() -> None:
    assert extract("The army plans to launch an offensive on Tal Afar next month.", WIRE) == []


ARTICLES = Path(__file__).resolve().parent / "data" / "articles"


def _events_of(name: str) -> list:
    summary = process_files([ARTICLES / name], default_gazetteer(), default_forces())
    assert not summary.errors, summary.lines()
    return summary.outcomes[0].extraction.events


def test_wire_dateline_and_launched_offensive() -> None:
    """A hand-written wire story: the dateline city ("NEAR MOSUL, Iraq (Wire) -") is
    not an event place; an offensive launched "to retake Mosul" with no other place is
    placed near Mosul; the 2014 background capture is kept; villages taken east of the
    city are a capture *near* Mosul (which control treats as partial)."""
    evs = _events_of("wire_mosul_offensive.txt")
    launch = [e for e in evs if e.notes.startswith("[near objective]")]
    assert len(launch) == 1 and launch[0].location == "Mosul" and launch[0].geo_precision == 2
    assert str(launch[0].event_date) == "2016-10-17" and launch[0].actor1_force == "ISF"
    background = [e for e in evs if e.event_date and e.event_date.year == 2014]
    assert [(e.location, e.actor1_force) for e in background] == [("Mosul", "IS")]
    villages = [e for e in evs if e.actor1_force == "PESH"]
    assert villages and villages[0].geo_precision == 2


def test_html_article_recapture_and_earlier_loss() -> None:
    """An HTML page: metadata date, headline skipped, recapture and the earlier capture."""
    evs = _events_of("html_palmyra.html")
    caps = sorted((str(e.event_date), e.actor1_force) for e in evs if e.control_to)
    assert ("2017-03-02", "SYR") in caps
    assert any(d.startswith("2016-12") and f == "IS" for d, f in caps)


def test_taken_near_full_control() -> None:
    evs = _events_of("wire_al_bab.txt")
    cap = [e for e in evs if e.control_to]
    assert [(e.location, e.actor1_force, str(e.event_date)) for e in cap] == \
        [("al-Bab", "FSA", "2017-02-23")]


@pytest.mark.parametrize("sentence,sub_event,actor1,actor2,place_part,geo_precision", [
    ("Iraqi special forces recaptured the al-Zuhour and al-Muthanna districts of eastern "
     "Mosul on Saturday.", "Government regains territory", "ISF", "", "Mosul", 2),
    ("Russian jets struck targets in Deir ez-Zor province overnight, killing 12 civilians.",
     "Air/drone strike", "RUS", "", "Deir ez-Zor", 3),
    ("Peshmerga forces withdrew from Kirkuk on Monday as Iraqi troops took over the city.",
     "Government regains territory", "ISF", "PESH", "Kirkuk", 1),
    ("The jihadists have been driven out of Manbij by the Kurdish-led SDF, a spokesman said.",
     "Non-state actor overtakes territory", "SDF", "IS", "Manbij", 1),
    ("Islamic State militants stormed the town of Qaryatain in Homs province on Wednesday.",
     "Non-state actor overtakes territory", "IS", "", "Qaryat", 1),
])
def test_parts_containers_and_passive_expulsions(sentence: str, sub_event: str, actor1: str,
                                                 actor2: str, place_part: str,
                                                 geo_precision: int) -> None:
    """A district of a city is located at the city (near); "X in Y province" is at X;
    "driven out of X by Y" is a capture by Y; aircraft verbs are air strikes."""
    ev = only(extract(sentence, date(2017, 10, 20)))
    assert (ev.sub_event_type, ev.actor1_force, ev.actor2_force) == (sub_event, actor1, actor2)
    assert place_part in ev.location and ev.geo_precision == geo_precision


def test_a_river_that_locates_a_place_is_not_an_event_place() -> None:
    """"the X dam on the Y River": the river only locates the dam (as a province locates
    a town); an offensive told in the same sentence is not put at the river's point."""
    evs = extract("Islamic State said its fighters had seized the Haditha dam on the "
                  "Euphrates River and an air base, in an offensive that began during the "
                  "weekend.", date(2014, 8, 7))
    assert evs and all("Euphrates" not in e.location for e in evs), \
        [(e.location, e.sub_event_type) for e in evs]
    assert any("Haditha" in e.location for e in evs)


@pytest.mark.parametrize("text, where", [
    # the article's country: its government's seat (data/forces.csv ``seat``)
    ("Militants stormed Tikrit on Sunday. A wave of bombings killed 30 people in the capital "
     "on Monday, police said.", "Baghdad"),
    # a demonym names the country
    ("Rebels shelled Aleppo on Sunday. A car bomb exploded in the Syrian capital on Monday, "
     "killing five people.", "Damascus"),
])
def test_the_capital_is_the_seat_of_the_countrys_government(text: str, where: str) -> None:
    bombs = [e for e in extract(text, date(2016, 5, 4)) if "explosive" in e.sub_event_type.lower()]
    assert [e.location for e in bombs] == [where], [(e.location, e.sub_event_type) for e in bombs]


def test_a_provincial_or_de_facto_capital_is_not_the_countrys() -> None:
    evs = extract("Militants stormed Ramadi, the provincial capital, on Sunday. Jets struck "
                  "Raqqa, the group's de facto capital, on Monday.", date(2016, 5, 4))
    assert evs and not [e for e in evs if e.location in ("Baghdad", "Damascus")], \
        [(e.location, e.sub_event_type) for e in evs]


def test_a_sentence_with_no_place_carries_the_place_not_its_landmark() -> None:
    """"a campaign to retake X, 150 km north of Y. Backed by US air strikes, the operation
    ...": the air strikes are at X; Y only located X (a distance phrase's landmark)."""
    evs = extract("The prime minister announced a campaign to take back Hawija, about 150 "
                  "kilometres north of Samarra, at the beginning of September. Backed initially "
                  "by tribal fighters and later U.S. airstrikes, the operation was seen by "
                  "analysts as a test.", date(2017, 9, 24))
    strikes = [e for e in evs if e.sub_event_type == "Air/drone strike"]
    assert [e.location for e in strikes] == ["Hawija"], [(e.location, e.sub_event_type)
                                                         for e in evs]


def test_a_page_address_and_a_photo_caption_do_not_make_the_articles_town() -> None:
    """The article's town is the one its story names: a URL line's slug ("...-south-of-X")
    does not count, and a photo caption printed first counts once and is no lede; so
    "the town" of the story is its town, and its unnamed "a small town" is no other."""
    text = ("http://example.org/2017/10/04/fighting-over-iraqi-town-south-of-Kirkuk\n"
            "Kirkuk residents queue for fuel in central Kirkuk on Monday. Markets in Kirkuk "
            "reopened on Monday, officials said. (AP Photo/A. Reporter)\n"
            "Government forces battled militants in a small town on Monday, officials said.\n"
            "The clashes in Hawija are part of a wider offensive.\n"
            "Islamic State fighters stormed Hawija on Sunday and seized the police station.\n"
            "They also blew up a bridge connecting the town with a nearby village.\n"
            "A resident who lives in Hawija said the fighting went on.")
    evs = extract(text, date(2017, 10, 4))
    assert evs and {e.location for e in evs} == {"Hawija"}, \
        [(e.location, e.sub_event_type) for e in evs]


def test_a_holding_with_no_time_of_its_own_gives_no_capture() -> None:
    """"parts of which had been held by IS for months": the capture that began the holding
    has no time, so no capture by the former holder is dated to the report (it would hand
    the town back to it on the day it lost it); "for two years" still dates one."""
    evs = extract("Iraqi forces on Tuesday completed the recapture of the town of Hawija, parts "
                  "of which had been held by the Islamic State militant group for months, "
                  "commanders said.", date(2014, 12, 31))
    assert [(e.actor1_force, str(e.event_date)) for e in evs] == [("ISF", "2014-12-30")], \
        [(e.actor1_force, e.sub_event_type, str(e.event_date)) for e in evs]
    evs = extract("Hawija had been held by Islamic State for two years, residents said.",
                  date(2014, 12, 31))
    assert [(e.actor1_force, e.event_date.year) for e in evs] == [("IS", 2012)]


@pytest.mark.parametrize("sentence, sub_event", [
    ("A car bomb killed 12 civilians in Kirkuk on Monday, officials said.",
     "Remote explosive/landmine/IED"),
    ("Air strikes killed 12 civilians in Kirkuk on Monday, officials said.", "Air/drone strike"),
])
def test_civilians_killed_by_a_strike_are_its_toll_not_a_second_event(sentence: str,
                                                                      sub_event: str) -> None:
    ev = only(extract(sentence, date(2016, 5, 4)))
    assert ev.sub_event_type == sub_event


def test_a_killing_of_civilians_with_no_strike_at_its_place_stays_an_attack() -> None:
    evs = extract("Gunmen killed 12 civilians in Kirkuk on Monday after a car bomb exploded in "
                  "Mosul.", date(2016, 5, 4))
    assert ("Kirkuk", "Attack") in [(e.location, e.sub_event_type) for e in evs]


def test_took_over_needs_a_place_not_a_country() -> None:
    assert extract("Kurdish fighters hold Tal Abyad. Later the Shi'ite-led governments "
                   "took over the country.", date(2017, 10, 20)) == [] or all(
        not e.control_to for e in extract("Kurdish fighters hold Tal Abyad. Later the "
                                          "Shi'ite-led governments took over the country.",
                                          date(2017, 10, 20)))


def test_spelling_variants_people_and_generic_troops() -> None:
    """A hand-written wire-style story: "Mayadeen" (gazetteer: Mayadin) is found where the
    text cues a place; "U.S.-backed Syrian fighters" are the SDF; "federal forces" in
    Iraq are the ISF; a suicide bomber's attack stays a suicide bomb."""
    evs = _events_of("wire_raqqa_mayadeen.txt")
    by_place = {(e.location, e.sub_event_type): e for e in evs}
    assert by_place[("Mayadin", "Government regains territory")].actor1_force == "SYR"
    assert by_place[("Mayadin", "Non-state actor overtakes territory")].date_min.year == 2014
    assert by_place[("Kirkuk", "Government regains territory")].actor1_force == "ISF"
    raqqa = [e for e in evs if "Raqq" in e.location and e.control_to]
    assert raqqa and raqqa[0].actor1_force == "SDF"
    bomb = [e for e in evs if e.sub_event_type == "Suicide bomb"]
    assert bomb and bomb[0].fatalities == 11 and "Ramadi" in bomb[0].location


def test_a_person_is_not_a_place() -> None:
    """Variant lookup is cued: "Qassem Soleimani" is not Sulaymaniyah."""
    spans = default_gazetteer().find_mentions(
        "In Fallujah the face of Iran's notorious Qassem Soleimani re-emerged.")
    assert [s.surface for s in spans] == ["Fallujah"]


def test_the_troops_are_the_local_government() -> None:
    ev = only(extract("The troops crossed the provincial border, capturing the strategic "
                      "town of Zakia on Thursday."))
    assert ev.actor1_force == "SYR" and "Zakiyah" in ev.location


def test_unresolved_place_names_are_listed_for_the_analyst() -> None:
    """A name cued as a place ("entered Kharayej", "clashes in Zakzakiya") that the
    gazetteer cannot resolve is listed; people and titles are not."""
    art = Article(text="Iraqi forces entered Kharayej on Monday. Clashes in Zakzakiya "
                       "continued, according to Marine Gen. Frank McKenzie.", published=PUB)
    result = extract_article(art, default_gazetteer(), default_forces())
    assert result.unresolved == ["Kharayej", "Zakzakiya"]


def test_a_name_cued_by_the_words_after_it_is_listed_when_unknown() -> None:
    """At a sentence's start nothing cues a name before it: the words after it do ("X was
    recaptured", "X, a village near ..."), as for a known minor place; a person's role
    after a name ("a village elder") is no such cue."""
    art = Article(text="Kharayej was recaptured by the army on Monday. Zakzakiya, a village "
                       "near the river, was quiet. Hassan, a village elder, said so.",
                  published=PUB)
    result = extract_article(art, default_gazetteer(), default_forces())
    assert result.unresolved == ["Kharayej", "Zakzakiya"]


def test_listed_villages_and_minor_places_other_spellings_are_listed_when_unknown() -> None:
    """"The villages of A and B": both are cued (the plural type word, then the list); a
    name that is only another spelling of a minor village ("Shuhail" for the gazetteer's
    "Shahil") is not read in text, so the analyst is asked about it too: Shahil lies in
    Deir ez-Zor, far from this report's Mosul (near the story, see the next test, it is
    read)."""
    art = Article(text="Iraqi forces retook the villages of Kharayej and Zakzakiya south of "
                       "Mosul on Sunday. Air strikes hit a school near the town of Shuhail.",
                  published=PUB)
    result = extract_article(art, default_gazetteer(), default_forces())
    assert result.unresolved == ["Kharayej", "Zakzakiya", "Shuhail"]
    # a variant of a place of some size is read, not listed
    art = Article(text="Fighting went on in Mayadeen on Monday.", published=PUB)
    result = extract_article(art, default_gazetteer(), default_forces())
    assert result.unresolved == [] and [e.location for e in result.events] == ["Mayadin"]


@pytest.mark.parametrize("told", [
    "On Tuesday the army recaptured the town of Shuhail.",       # a type word before it
    "On Tuesday the army captured Shuhail.",                     # a capture verb's object
    "Shuhail was recaptured by the army on Tuesday.",            # a change of hands after it
    "On Tuesday the army shelled Shuhail, a village on the river.",  # a settlement appositive
])
def test_a_minor_places_other_spelling_called_a_settlement_near_the_story_is_read(told: str
                                                                                   ) -> None:
    """Another spelling of a minor village ("Shuhail" for the gazetteer's "Shahil") is read
    where the text calls it a settlement and its one reading lies near the article's other
    places (Shahil is a few km from Mayadin): the analyst gets the town, not a name to
    add (geography.variant_readings)."""
    art = Article(text="Syrian government forces entered Mayadin on Monday. " + told,
                  published=PUB)
    result = extract_article(art, default_gazetteer(), default_forces())
    assert result.unresolved == []
    assert "Shahil" in [e.location for e in result.events]


def test_a_minor_places_other_spelling_stays_listed_when_far_ambiguous_or_uncued() -> None:
    """The same reading is guarded: a spelling two villages near the story share
    ("Shaheel": both Shahils lie within 60 km of Deir ez-Zor), one only placed ("near
    X" says a place, not a settlement), or with no reading near the article's places
    (the Mosul case of the test above) stays listed for the analyst, as before."""
    for text, name in [
            ("Syrian troops shelled Deir ez-Zor on Monday. On Tuesday the army recaptured "
             "the town of Shaheel.", "Shaheel"),
            ("Syrian government forces entered Mayadin on Monday. Fighting went on near "
             "Shuhail.", "Shuhail")]:
        result = extract_article(Article(text=text, published=PUB), default_gazetteer(),
                                 default_forces())
        assert result.unresolved == [name]
        assert "Shahil" not in [e.location for e in result.events]


def test_a_caption_is_dated_by_its_own_date_line() -> None:
    """A photo caption followed by a line that is only its date and agency: that date, not
    the article's, dates what the caption shows."""
    text = ("Iraqi troops clashed with Islamic State fighters in Rawa during an operation. "
            "November 11, 2017. / AFP\n\nThe army said on Friday the town was quiet.")
    evs = extract(text, date(2017, 11, 17))
    fights = [e for e in evs if e.location.startswith("Raw")]
    assert fights and str(fights[0].event_date) == "2017-11-11"


def test_an_offensive_begun_in_the_present_perfect_is_the_reports_news() -> None:
    """"Says it has begun an offensive" (no date) is dated the report's day or the day
    before, not any day of the week before it: a start merged with "last week, they
    reached the gates" would otherwise take that older date."""
    ev = only(extract("The Syrian Democratic Forces say they have begun an offensive to "
                      "capture Tabqa."))
    assert (ev.date_min, ev.date_max, ev.time_precision) == (date(2016, 6, 3), PUB, 1)
    ev = only(extract("The Syrian Democratic Forces fought Islamic State in Tabqa."))
    assert ev.date_min == date(2016, 5, 29)     # any other undated report: the week before


def test_a_capture_reported_done_is_dated_by_the_report_and_reaches_back() -> None:
    """"Rebels announced on Thursday they had taken C": Thursday is the day it was known,
    not the day it happened. The event keeps Thursday as its date (the annotators' and
    ACLED's report day) at week precision, its interval the three days before it too, so
    that a day the article gives later ("Yesterday (Wednesday), we captured the centre")
    joins it and dates it. A capture told on its own day keeps the day."""
    for text in ("Syrian rebels announced on Thursday they had taken full control of al-Bab.",
                 "Iraqi officials said on Thursday that Iraqi forces had retaken Rutba."):
        ev = only(extract(text))
        assert ev.sub_event_type.endswith("territory"), text
        assert (ev.event_date, ev.date_min, ev.date_max, ev.time_precision) == (
            date(2016, 6, 2), date(2016, 5, 30), date(2016, 6, 2), 2), text
    ev = only(extract("Syrian rebels announced on Thursday they had taken full control of "
                      "al-Bab. \"On Wednesday, we captured the city centre,\" a rebel "
                      "commander said."))
    assert (ev.event_date, ev.time_precision) == (date(2016, 6, 1), 1)
    for text in ("Syrian rebels took al-Bab on Thursday, officials said.",
                 "The army said on Monday it had recaptured Baiji on Thursday."):
        ev = only(extract(text))
        assert (ev.event_date, ev.time_precision) == (date(2016, 6, 2), 1), text


@pytest.mark.parametrize("verb", ["said", "says", "told", "tells", "added", "adds",
                                  "explained", "explains", "announced", "announces"])
def test_a_place_name_in_a_speakers_name_is_no_place_in_any_tense(verb: str) -> None:
    """"Zuhdi Ramadi says ...": a town's name inside the name of someone who speaks is
    a person (a headline's present tense as an article's past)."""
    assert extract(f"On Monday, Zuhdi Ramadi {verb} Islamic State fighters attacked the "
                   "town.") == []


def test_a_holder_is_the_side_attacked() -> None:
    """"IS-held", "the last IS stronghold": the holder is attacked, it does not attack."""
    ev = only(extract("The offensive on Hawija, the last Islamic State stronghold in the "
                      "province, began on Thursday."))
    assert (ev.actor1_force, ev.actor2_force) == ("", "IS")
    ev = only(extract("Iraqi forces began an offensive to retake IS-held Hawija on Thursday."))
    assert (ev.actor1_force, ev.actor2_force) == ("ISF", "IS")


def test_listed_villages_east_of_a_town_are_placed_near_it() -> None:
    """A village the gazetteer reads in another province is placed near the landmark of
    the list's direction, at a coarser precision, not 200 km away."""
    ev = only(extract("Iraqi troops recaptured the villages of Khafajah, al-Alam and Marazif "
                      "east of Tal Afar on Sunday."))
    assert ev.location == "Tall 'Afar" and ev.geo_precision == 2


def test_a_headlines_direction_places_a_misread_village_everywhere_in_the_story() -> None:
    """"Push in A East of X" in the headline: A, which the gazetteer reads 100 km away, is
    near X in every sentence of the story, not only where the direction is written."""
    art = Article(title="Peshmerga Launch Fresh Push in Khazir East of Mosul",
                  text="The operation in Khazir includes 4,000 Peshmerga fighters, the "
                       "Peshmerga command said on Monday.", published=PUB)
    events = extract_article(art, default_gazetteer(), default_forces()).events
    assert [(e.location, e.geo_precision) for e in events] == [("Mosul", 2)]


def test_an_as_clause_shares_its_date_with_the_event_before_it() -> None:
    """ "set ... ablaze as A moved in to retake C last week": "as" makes the burning and
    the move into the town one moment, so the date after the second dates both (a date
    after another event's trigger is otherwise that event's alone). Our own sentence."""
    events = extract("Smoke still rises over Sinjar from the fuel depots that Islamic State "
                     "fighters set ablaze as Kurdish fighters moved in to retake the town "
                     "last week.",
                     published=date(2016, 6, 10))
    by_type = {e.sub_event_type: e for e in events}
    capture = by_type["Government regains territory"]
    assert capture.actor1_force == "PESH" and capture.location == "Sinjar"
    burning = by_type["Looting/property destruction"]
    for event in (capture, burning):
        assert event.date_min == date(2016, 5, 30) and event.date_max == date(2016, 6, 5), \
            (event.sub_event_type, event.date_min, event.date_max)
