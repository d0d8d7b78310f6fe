"""Holdings stated in passing (``geo.extract.holdings``): every row of the rule table is
pinned by its own example sentence (written for it, never copied from an article), and
each guard by a sentence that must state nothing."""
from __future__ import annotations

import re
from datetime import date

import pytest

from geo.control.facts import gazetteer_town
from geo.core.forces import default_forces
from geo.core.records import Article
from geo.extract.holdings import RULES
from geo.extract.pipeline import extract_article
from geo.geocode.gazetteer import default_gazetteer

PUBLISHED = date(2016, 5, 18)


def stated(text: str, *, published: date = PUBLISHED) -> list[tuple[str, str, date, str]]:
    """(force, place name, as-of day, rule) of each holding the sentence states, read
    as ingest reads it (a one-sentence article: its events count)."""
    article = Article(text=text, title="", published=published)
    found = extract_article(article, default_gazetteer(), default_forces(), parser=False)
    return [(h.force, h.location, h.date_max, h.construction) for h in found.holdings]


def _expected(yields: str) -> set[tuple[str, str]]:
    return {(part.split("@")[0].strip(), part.split("@")[1].strip())
            for part in yields.split(";")}


@pytest.mark.parametrize("rule", RULES, ids=[r.rule_id for r in RULES])
def test_each_rule_reads_its_example(rule) -> None:
    """The table and the behaviour cannot drift apart: each row's example yields what
    the row says (places compared as the gazetteer's towns of those names)."""
    article = Article(text=rule.example, title="", published=PUBLISHED)
    found = extract_article(article, default_gazetteer(), default_forces(),
                            parser=False).holdings
    assert {h.construction for h in found} == {rule.rule_id}
    expected = set()
    for force, name in _expected(rule.yields):
        town = gazetteer_town(name)
        assert town is not None, name
        expected.add((force, town.place_id))
    assert {(h.force, h.place_id) for h in found} == expected


def test_no_rule_names_a_place_a_force_or_a_date() -> None:
    """Rules are constructions: their patterns hold no capitalised word and no digit
    (a force, a place and a day are slots)."""
    for rule in RULES:
        words = re.sub(r"\{F\}|\{PLACES\}|\\[a-zA-Z]|\{\d+,\d*\}", "", rule.pattern)
        assert not re.search(r"[A-Z0-9]", words), rule.rule_id


@pytest.mark.parametrize("text", [
    # over before the day
    "Residents returned to the former IS stronghold of Mosul on Tuesday.",
    "Traders once again travel to formerly Islamic State-held Manbij.",
    # taken in the same sentence: the phrase names the holder before the capture
    "Turkish-backed rebels seized the IS-held border town of Jarabulus on Wednesday.",
    "Kurdish fighters captured the Islamic State stronghold of Tal Abyad on Monday.",
    # a landmark of a direction phrase is not what the clause describes
    "Fighters fled toward the hills, east of Shirqat, which is under the control of the "
    "Islamic State.",
    # part of a town, or a country, is not a town's holding
    "Government-held parts of Hasakah were shelled on Thursday.",
    "Iraqi forces are now in control of most of eastern Mosul.",
    "Snipers are still holed up in IS-held Mosul's old city.",
    "Islamic State-held Syria was hit by strikes.",
])
def test_guards_state_nothing(text: str) -> None:
    assert stated(text) == []


def test_the_goal_of_an_operation_is_still_held() -> None:
    """"an offensive to retake Daesh-held Tal Afar": the offensive has not taken it."""
    assert [(f, r) for f, _, _, r in stated(
        "The prime minister announced an offensive to retake Daesh-held Tal Afar on "
        "Sunday.")] == [("IS", "held-compound")]


def test_generic_holders_resolve_by_the_place_country() -> None:
    """"government-held" is the government of the place's country; "rebel-held" the
    Syrian rebels; "jihadist-held" the Islamic State (the force table's reading)."""
    assert [(f, r) for f, *_, r in stated(
        "Shells fell on government-held Deir ez-Zor overnight.")] == [("SYR", "held-compound")]
    assert [f for f, *_ in stated("Shells fell on government-held Samarra overnight.")] \
        == ["ISF"]
    assert [f for f, *_ in stated("Aid reached the jihadist-held town of Dabiq.")] == ["IS"]


def test_the_day_is_the_article_or_the_sentence_own_day() -> None:
    """A statement holds on the article's day, or on the one day the sentence names (a
    photo caption's "In this March 20, 2016, photo")."""
    assert [d for _, _, d, _ in stated("Families fled Islamic State-held Hit.")] == [PUBLISHED]
    assert [d for _, _, d, _ in stated(
        "In this March 20, 2016, photo, families fleeing Islamic State-held Hit wait at "
        "a checkpoint.")] == [date(2016, 3, 20)]


def test_extraction_keeps_the_sentence_and_the_article() -> None:
    """``extract_article`` gives the holdings beside the events, each with its sentence,
    article, place and construction; an undated article states none."""
    text = ("Iraqi forces retook Rutba on Tuesday. The town lies on the road to IS-held "
            "Mosul, officials said.")
    forces, places = default_forces(), default_gazetteer()
    article = Article(text=text, title="Rutba retaken", published=PUBLISHED,
                      source_name="Test Wire")
    found = extract_article(article, places, forces, parser=False).holdings
    assert [(h.force, h.location, h.date_max, h.article_id, h.source) for h in found] == \
        [("IS", "Mosul", PUBLISHED, article.article_id, "Test Wire")]
    assert found[0].sentence.startswith("The town lies") and found[0].holding_id.startswith(
        "stated:")
    undated = Article(text=text, title="Rutba retaken", published=None)
    assert extract_article(undated, places, forces, parser=False).holdings == []


@pytest.mark.parametrize(("text", "expected"), [
    ("Aid convoys cannot reach Hawija, which the Islamic State still controls.",
     [("IS", "which-is-held-by")]),
    ("Rutba, a town held by Islamic State, lies on the highway to Jordan.",
     [("IS", "apposition-held-by")]),
    ("Displaced families fled Tal Afar, under Islamic State control, on foot.",
     [("IS", "apposition-held-by")]),
    ("The road to Kurdish-controlled Kirkuk was closed.", [("PESH", "held-compound")]),
])
def test_more_ways_of_saying_it(text: str, expected: list[tuple[str, str]]) -> None:
    """Variants of the rows above, each a sentence written for it (the Kurdish forces
    of Iraq are the Peshmerga: the force table's reading by the place's country)."""
    assert [(f, r) for f, _, _, r in stated(text)] == expected


def test_the_analysts_table_lists_every_rule() -> None:
    """docs/extraction.md shows each rule's construction, example and result as the code
    has them (an analyst reads the table, not the regular expressions)."""
    from geo.core.paths import PROJECT_DIR

    doc = (PROJECT_DIR / "docs" / "extraction.md").read_text(encoding="utf-8")
    for rule in RULES:
        assert (f"| `{rule.rule_id}` | {rule.construction} | {rule.example} | "
                f"{rule.yields} |") in doc, rule.rule_id


def test_ingest_stores_the_holdings_and_counts_them(tmp_path) -> None:
    """`geo ingest` keeps an article's holdings with it and says how many it found; the
    control evidence of the store then includes them (rule 9)."""
    from geo.control.sources import control_events
    from geo.ingest import load_places_and_forces, process_files
    from geo.store import open_store

    path = tmp_path / "report.txt"
    path.write_text("https://example.org/report\n2016-05-18\nRutba retaken\n\nIraqi forces "
                    "retook Rutba on Tuesday. The town lies on the road to IS-held Mosul, "
                    "officials said.\n", encoding="utf-8")
    with open_store(str(tmp_path / "s.sqlite")) as store:
        places, forces = load_places_and_forces(store)
        summary = process_files([path], places, forces, store=store)
        assert "; 1 holding(s) stated in passing" in summary.lines()[0]
        assert [(h.location, h.force) for h in store.query_holdings()] == [("Mosul", "IS")]
        stated = [e for e in control_events(None, store, curated=False)
                  if e.event_id.startswith("stated:")]
        assert [(e.location, e.control_to) for e in stated] == [("Mosul", "IS")]


@pytest.mark.parametrize("text", [
    "Troops are nearing the ISIS capital of Raqqa, a city seized by the Islamic State in "
    "2013 from rebels.",
    "Kurdish fighters have captured several neighbourhoods just outside the Islamic "
    "State's de-facto capital of Raqqa.",
])
def test_a_capture_by_the_holder_or_of_a_part_leaves_the_holding(text: str) -> None:
    """Only a capture by another force ends the holding a sentence names: a capture by
    the holder began it, a partial capture (neighbourhoods, fighting inside) leaves the
    town to it."""
    assert [(f, r) for f, _, _, r in stated(text)] == [("IS", "stronghold-of")]


def test_db_reread_holdings_reads_stored_articles_again(tmp_path, capsys) -> None:
    """`geo db reread-holdings`: a database whose articles have no holdings (ingested
    before the store kept them) gets them from the stored text; its events stay."""
    from geo.cli import main
    from geo.ingest import load_places_and_forces, process_files
    from geo.store import open_store

    path = tmp_path / "report.txt"
    path.write_text("https://example.org/report\n2016-05-18\nRutba retaken\n\nIraqi forces "
                    "retook Rutba on Tuesday. The town lies on the road to IS-held Mosul, "
                    "officials said.\n", encoding="utf-8")
    db = tmp_path / "s.sqlite"
    with open_store(str(db)) as store:
        places, forces = load_places_and_forces(store)
        process_files([path], places, forces, store=store)
        [article] = store.list_articles()
        store.put_holdings(article.article_id, [])          # as an older store has them
        events = store.query_events().drop(columns="geometry").to_dict("records")
    assert main(["db", "reread-holdings", "--database", str(db)]) == 0
    assert "1 article(s) read again, 1 holding(s) stated in passing stored" in \
        capsys.readouterr().out
    with open_store(str(db)) as store:
        assert [(h.location, h.force) for h in store.query_holdings()] == [("Mosul", "IS")]
        assert store.query_events().drop(columns="geometry").to_dict("records") == events


# --- held since a stated time ("since-" rows) ----------------------------------------

def test_a_holding_since_a_time_speaks_of_the_report_day() -> None:
    """"under IS control since June 10, 2014" in a 2016 report: IS still held the town
    on the report's day (the holding); the day after "since" is when it began, which the
    capture event of the same words records, not the day the sentence speaks of."""
    text = ("Aid has not reached Tal Afar, under Islamic State control since June 10, "
            "2014, the agency said.")
    assert [(f, d, r) for f, _, d, r in stated(text)] == [("IS", PUBLISHED, "since-under")]
    article = Article(text=text, title="", published=PUBLISHED)
    events = extract_article(article, default_gazetteer(), default_forces(),
                             parser=False).events
    assert [(e.control_to, e.date_min) for e in events] == [("IS", date(2014, 6, 10))]


@pytest.mark.parametrize("text", [
    # over by the report's day
    "Rutba had been held by the Islamic State since 2014, residents said.",
    "The Peshmerga had controlled Sinjar since November, when the army fled.",
    "Tal Afar was under Islamic State control since 2014 until the army returned.",
    # taken in the same sentence by another force: the holding ended then
    "Iraqi forces retook Rutba, held by the Islamic State since 2014, on Tuesday.",
])
def test_a_holding_since_a_time_that_is_over_states_nothing(text: str) -> None:
    assert stated(text) == []


@pytest.mark.parametrize(("text", "expected"), [
    ("Douma has been under rebel control since 2012, activists said.",
     [("FSA", "Douma", "since-under")]),
    ("Deir ez-Zor has been under government control since the start of the war.",
     [("SYR", "Dayr al-Zawr", "since-under")]),
    ("Manbij has remained under the control of the Syrian Democratic Forces ever since.",
     [("SDF", "Manbij", "since-under")]),
    ("Mosul, which has been held by the militants since 2014, is the next target.",
     [("IS", "Mosul", "since-held-by")]),
    ("Samarra remains in government hands, officials said.",
     [("ISF", "Samarra", "in-hands")]),
])
def test_holdings_since_and_generic_holders(text: str, expected) -> None:
    """"rebel", "government", "Kurdish" before "control" or "hands" name the holder as
    before "-held" (the government of the town's country)."""
    assert [(f, p, r) for f, p, _, r in stated(text)] == expected


def test_a_recent_capture_with_no_taker_ends_a_holding_since() -> None:
    """"Makhmour, under Kurdish control since 2015, was overrun by militants on Tuesday":
    a capture of the report's days with no taker read ends the holding; the old one
    with no taker ("under Kurdish control since 2015" itself) began it."""
    assert stated("Makhmour, under Kurdish control since 2015, was overrun by militants "
                  "on Tuesday.") == []
    assert [f for f, *_ in stated("Makhmour, under Kurdish control since 2015, has taken "
                                  "in thousands of families.")] == ["PESH"]
