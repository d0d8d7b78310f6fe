"""Captures told in retrospect at no time of their own (``geo.extract.retro``): every row
of the rule table is pinned by its example sentence (written for it, never copied from
an article), and each guard by a sentence whose capture must stay."""
from __future__ import annotations

import re
from datetime import date

import pytest

from geo.core.forces import default_forces
from geo.core.records import Article
from geo.extract.pipeline import extract_article
from geo.extract.retro import RULES
from geo.geocode.gazetteer import default_gazetteer

PUBLISHED = date(2018, 5, 18)


def captures(text: str, every_class: bool = False) -> list[tuple[str, str, date, date]]:
    """(taker, place, earliest, latest day) of each capture the sentence gives (of each
    event, with ``every_class``)."""
    article = Article(text=text, title="", published=PUBLISHED)
    found = extract_article(article, default_gazetteer(), default_forces(), parser=False)
    return [(e.control_to, e.location, e.date_min, e.date_max) for e in found.events
            if every_class or "territory" in e.sub_event_type]


@pytest.mark.parametrize("rule", RULES, ids=[r.rule_id for r in RULES])
def test_each_rule_reads_its_example(rule, monkeypatch) -> None:
    """A capture the words put before the report at no stated time is no capture of the
    report's days: a 2018 article's "since IS seized Mosul" must not give Mosul to IS
    in 2018. (Without the rule the extractor dates it to the report's days.)"""
    assert rule.yields.startswith("no event")
    assert captures(rule.example, rule.every_class) == []
    import geo.extract.pipeline as pipeline

    monkeypatch.setattr(pipeline, "drop_undated_retrospective", list)
    assert [(a, b) for _, _, a, b in captures(rule.example, rule.every_class)] == \
        [(date(2018, 5, 12), PUBLISHED)]


@pytest.mark.parametrize(("text", "expected"), [
    # a time of its own beside the span: the day's strike is news
    ("Homs, shelled by government forces for much of the war, was shelled again on Monday.",
     [("", "Homs", date(2018, 5, 14), date(2018, 5, 14))]),
    # no span of the war: the report's days
    ("Government forces shelled Homs, residents said.",
     [("", "Homs", date(2018, 5, 12), PUBLISHED)]),
])
def test_a_war_long_span_drops_only_undated_events(text: str, expected: list) -> None:
    """"For much of the war" tells years of shelling, not the report's: only an event
    the sentence dates by itself stays."""
    assert captures(text, every_class=True) == expected


def test_no_rule_names_a_place_a_force_or_a_date() -> None:
    for rule in RULES:
        words = re.sub(r"\\[a-zA-Z]|\{\d+,\d*\}", "", rule.before_trigger + rule.trigger)
        assert not re.search(r"[A-Z0-9]", words), rule.rule_id


@pytest.mark.parametrize(("text", "expected"), [
    # a time of its own: dated by it, kept
    ("Markets have reopened since Iraqi forces retook Ramadi in December.",
     [("ISF", "Ramadi", date(2017, 12, 1), date(2017, 12, 31))]),
    ("The heaviest fighting since the army retook Palmyra on Sunday was reported.",
     [("SYR", "Palmyra", date(2018, 5, 13), date(2018, 5, 13))]),
    # "since" is not the capture's clause
    ("Iraqi forces have retaken Hit since March, officials said.",
     [("ISF", "Hit", date(2018, 3, 1), date(2018, 5, 18))]),
    ("Residents have returned since the curfew ended, and Iraqi troops entered Hit on "
     "Thursday.", [("ISF", "Hit", date(2018, 5, 17), date(2018, 5, 17))]),
    # the clause after "since" ended before the capture: news of the report's days
    ("Shops have stayed open since the curfew ended, and Iraqi troops entered Hit.",
     [("ISF", "Hit", date(2018, 5, 12), date(2018, 5, 18))]),
])
def test_a_capture_with_a_time_of_its_own_stays(text: str, expected) -> None:
    assert captures(text) == expected


def test_the_same_capture_reported_with_a_time_elsewhere_in_the_article_stays() -> None:
    """Another sentence reporting the capture with its day is merged into one event,
    which then has a date of its own: kept."""
    text = ("Iraqi forces retook Ramadi on Sunday. Markets have slowly reopened since "
            "Iraqi forces retook Ramadi.")
    assert [(t, p, a) for t, p, a, _ in captures(text)] == \
        [("ISF", "Ramadi", date(2018, 5, 13))]


def test_the_analysts_table_lists_every_rule() -> None:
    """docs/extraction.md shows each row as the code has it."""
    from geo.core.paths import PROJECT_DIR

    doc = (PROJECT_DIR / "docs" / "extraction.md").read_text(encoding="utf-8")
    for rule in RULES:
        assert (f"| `{rule.rule_id}` | {rule.construction} | {rule.example} | "
                f"{rule.yields} |") in doc, rule.rule_id


@pytest.mark.parametrize(("text", "expected"), [
    ("Aid finally reached Ramadi, which Iraqi forces retook in December.",
     [("ISF", "Ramadi", date(2017, 12, 1), date(2017, 12, 31))]),
    ("Markets have reopened since government forces recaptured Palmyra last year.",
     [("SYR", "Palmyra", date(2017, 1, 1), date(2017, 12, 31))]),
    ("The Peshmerga, who retook Sinjar last November, say the town is safe.",
     [("PESH", "Sinjar", date(2017, 11, 1), date(2017, 11, 30))]),
    ("The SDF, which drove IS out of Manbij in August, is now moving south.",
     [("SDF", "Manbij", date(2017, 8, 1), date(2017, 8, 31))]),
    ("Iraqi forces, securing Ramadi earlier this year, moved west along the river.",
     [("ISF", "Ramadi", date(2018, 1, 1), date(2018, 5, 18))]),
    ("Many families have not returned since the fall of Mosul to IS in June 2014.",
     [("IS", "Mosul", date(2014, 6, 1), date(2014, 6, 30))]),
    ("Ramadi was lost to the Islamic State in May 2015, a blow to the army.",
     [("IS", "Ramadi", date(2015, 5, 1), date(2015, 5, 31))]),
    # background clauses with a time of their own (the when-, before-, which- and
    # appositive rows hold only without one)
    ("When the militants overran Sinjar in August 2014, thousands fled to the mountain.",
     [("IS", "Sinjar", date(2014, 8, 1), date(2014, 8, 31))]),
    ("Baiji was a quiet town before the jihadists took control of it in 2014.",
     [("IS", "Baiji", date(2014, 1, 1), date(2014, 12, 31))]),
    ("Iraqi troops advanced on Hit, which the militants seized in 2014.",
     [("IS", "Hit", date(2014, 1, 1), date(2014, 12, 31))]),
    ("Sinjar, captured by the militants in 2014, remains empty.",
     [("IS", "Sinjar", date(2014, 1, 1), date(2014, 12, 31))]),
])
def test_a_capture_told_in_passing_is_dated_by_its_own_words(text: str, expected) -> None:
    """Old changes of hands told in passing carry their own time, which dates the
    capture (a month is the month, weighed from its end by control rule 3), never the
    article's day."""
    assert captures(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # the clause is about the force that took the town, not the town: may be recent news
    ("The SDF, which captured Raqqa, is now advancing south.",
     [("SDF", "Ar Raqqah", date(2018, 5, 12), PUBLISHED)]),
    # present perfect in the relative clause: news of the report's days
    ("Aid has reached Hit, most of which has been captured by Iraqi troops.",
     [("ISF", "Hit", date(2018, 5, 12), PUBLISHED)]),
    # a verb of a series, no passive "by": the report's news
    ("Iraqi troops pushed north, recaptured Hit and advanced on Baiji.",
     [("ISF", "Hit", date(2018, 5, 12), PUBLISHED)]),
    # "after" without the past perfect: the report's news
    ("Iraqi troops raised the flag after they recaptured Hit.",
     [("ISF", "Hit", date(2018, 5, 12), PUBLISHED)]),
])
def test_a_capture_outside_a_background_clause_is_news(text: str, expected) -> None:
    """The background rows hold only for a clause that tells the capture as the
    sentence's past: a relative clause whose subject is the taker, a present perfect, a
    verb of a series or a plain "after" clause are the report's news."""
    assert captures(text) == expected


@pytest.mark.parametrize("text", [
    "Officials are focused on securing Mosul's reconstruction funds.",
    "The UN is securing the release of hostages held near Raqqa.",
    "Troops were securing the road between Baghdad and Ramadi on Monday.",
    "Police are securing polling stations in Kirkuk ahead of the vote.",
    "Much of the heritage of Palmyra was lost to looting during the war.",
])
def test_securing_something_else_is_no_capture(text: str) -> None:
    """"securing" reads as a capture only before a name ("securing Ramadi", "securing the
    Ramadi area"): not a release, a road, polling stations or a town's funds; "was lost
    to" only before a force's name."""
    assert captures(text) == []


def test_the_holder_of_a_holding_since_took_the_town_then() -> None:
    """"Makhmour, under Kurdish control since 2015": the capture read from these words
    (dated 2015) names no side when the trigger table does not read "Kurdish"; the
    holdings row that reads the same words names the Peshmerga (Iraq's Kurdish forces),
    who took the town then. Not when the sentence also tells a capture of the report's
    days: the holding has ended, and no since- row is read."""
    assert captures("Makhmour, under Kurdish control since 2015, has taken in thousands "
                    "of families.") == [("PESH", "Makhmour", date(2015, 1, 1),
                                          date(2015, 12, 31))]
    found = captures("Makhmour, under Kurdish control since 2015, was overrun by "
                     "militants on Tuesday.")
    assert "PESH" not in [t for t, *_ in found] and len(found) == 2
