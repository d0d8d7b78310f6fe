"""Hostile and huge input through extraction (issue #15): nothing raises, work stays
bounded, and an article over the time budget fails alone with a message naming it."""
from __future__ import annotations

import gc
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.core.dates import find_dates
from geo.core.forces import default_forces
from geo.core.records import Article, Event, Mention
from geo.extract.events import MAX_FATALITIES, _fatalities
from geo.extract.pipeline import Merger, extract_article, merge_duplicates
from geo.extract.sentences import MAX_SENTENCE_CHARS, split_sentences
from geo.geocode.gazetteer import default_gazetteer
from geo.ingest import process_files
from tests.factories import make_event, make_evidence


def extract(text: str, published: date | None = date(2016, 6, 4)) -> list:
    return extract_article(Article(text=text, published=published), default_gazetteer(),
                           default_forces()).events


def test_a_casualty_figure_of_thousands_of_digits_is_not_a_death_toll() -> None:
    """Python refuses to convert more than 4,300 digits; the figure is ignored instead."""
    assert _fatalities("A car bomb killed " + "9" * 5000 + " people.") == 0
    evs = extract("In Tikrit on Monday a car bomb killed " + "9" * 5000 + " people.")
    assert all(e.fatalities <= MAX_FATALITIES for e in evs)


def test_a_count_past_64_bits_never_reaches_the_store() -> None:
    evs = extract(f"A car bomb killed {2 ** 63} people in Tikrit on Monday.")
    assert evs and all(0 <= e.fatalities < 2 ** 63 for e in evs)
    assert extract("A car bomb killed 35 people in Tikrit on Monday.")[0].fatalities == 35


@pytest.mark.parametrize("published", [date(1, 1, 1), date(1, 1, 3), date(9999, 12, 31)])
def test_publication_dates_at_the_calendar_ends_do_not_crash(published: date) -> None:
    text = ("Iraqi forces retook Ramadi last week. Two weeks ago IS seized Hit. A bomb hit "
            "Tikrit in the past year. The army entered Baiji on Friday.")
    for ev in extract(text, published):
        assert ev.date_min is None or ev.date_min <= ev.date_max
    assert isinstance(find_dates("two years ago, last month, since 2014, a week after",
                                 published), list)


def test_a_page_without_full_stops_is_cut_into_bounded_pieces() -> None:
    text = "Iraqi forces seized Ramadi on Monday and " * 2000
    pieces = split_sentences(text)
    assert len(pieces) > 10 and max(len(p.text) for p in pieces) <= MAX_SENTENCE_CHARS
    assert all(text[p.start:p.start + len(p.text)] == p.text for p in pieces)


def test_many_reports_of_one_event_merge_into_one() -> None:
    events = [make_event(event_date=date(2016, 6, 1)) for _ in range(3000)]
    merged = merge_duplicates(events)
    assert len(merged) == 1 and len(merged[0].evidence) == 3000


class _Forgetful(Merger):
    """The merger without its memory of reports that changed nothing, reading each kept
    event's place words off its whole evidence and its candidates off the buckets again."""

    def add(self, ev: Event) -> None:
        for said in self._settled.values():
            said.clear()
        self._words.clear()
        self._around.clear()
        super().add(ev)


#: What a report of the one event may say (each report differs from the first in one).
_SAYS: dict[str, list[object]] = {
    "confidence": [0.95, 0.99, 0.5], "actor1": ["", "Iraqi Security Forces"],
    "actor2": ["", "Islamic State"], "actor2_force": ["", "IS"], "control_to": ["", "ISF"],
    "assoc_actor_1": ["", "Popular Mobilization Forces"], "fatalities": [0, 3, 40],
    "time_precision": [1, 2], "event_date": [date(2016, 6, 19), date(2016, 6, 20)],
    "article_ids": [["a1"], ["a2"], ["a1", "a2"]],
    "sub_event_type": ["Government regains territory", "Armed clash"],
    "actor1_force": ["ISF", "IS"],
    "named": [("Fallujah",), ("the Hadba district",), ("Fallujah", "the Hadba district"),
              ("the university campus",)]}
_REPORT = st.fixed_dictionaries({k: st.sampled_from(v) for k, v in _SAYS.items()})
_ONE_CHANGE = st.sampled_from(sorted(_SAYS)).flatmap(
    lambda k: st.sampled_from(_SAYS[k]).map(lambda v: (k, v)))


def _merged(merger: Merger, reports: list[dict[str, object]]) -> list[str]:
    for i, fields in enumerate(reports):
        says = dict(fields)
        day, named = says["event_date"], list(says.pop("named"))   # type: ignore[call-overload]
        sentence = " and ".join(named) + f" were taken, report {i}."
        mentions = [Mention("place", sentence.index(n), sentence.index(n) + len(n), n)
                    for n in named]
        merger.add(make_event(**says, date_min=day, date_max=day, evidence=[
            make_evidence(sentence=sentence, mentions=mentions)]))
    return [repr(e) for e in merger.events]


#: The first report: a capture by ISF from IS; a clash naming one side only.
_FIRST = [{k: v[0] for k, v in _SAYS.items()},
          {**{k: v[0] for k, v in _SAYS.items()}, "sub_event_type": "Armed clash",
           "actor2": "", "actor2_force": "", "control_to": ""}]


@pytest.mark.parametrize("first, field, before, after", [
    (first, k, a, b) for first in _FIRST for k, values in _SAYS.items()
    for a in values for b in values if a != b])
def test_a_repeated_report_then_one_saying_more_changes_the_event(
        first: dict[str, object], field: str, before: object, after: object) -> None:
    """A report like one that changed nothing but the evidence is merged at once (a long
    upload repeats one event thousands of times); a report that says one thing otherwise
    is merged in full: the event's sides, dates, confidence, toll and every sentence of
    evidence are those of merging each report in full."""
    base = {**first, field: before}
    reports = [base] * 4 + [{**base, field: after}, base, {**base, field: after}]
    assert _merged(Merger(default_forces()), reports) == \
        _merged(_Forgetful(default_forces()), reports)


@pytest.mark.parametrize("named", [(a, b, c) for a in _SAYS["named"] for b in _SAYS["named"]
                                   for c in _SAYS["named"]])
def test_reports_naming_a_town_and_its_quarters_merge_as_if_read_afresh(
        named: tuple[object, object, object]) -> None:
    """Whether a capture names a quarter taken apart ("the Hadba district") depends on
    every place the kept event's sentences name so far, kept as they grow."""
    base = {k: v[0] for k, v in _SAYS.items()}
    reports = [{**base, "named": n} for n in named + named]
    assert _merged(Merger(default_forces()), reports) == \
        _merged(_Forgetful(default_forces()), reports)


@settings(derandomize=True, max_examples=200, deadline=None, database=None)
@given(reports=st.tuples(_REPORT, st.lists(_ONE_CHANGE, min_size=1, max_size=4)).flatmap(
    lambda base: st.lists(st.sampled_from([base[0]] + [{**base[0], k: v} for k, v in base[1]]),
                          max_size=40)))
def test_reports_of_one_event_merge_the_same_however_often_they_repeat(
        reports: list[dict[str, object]]) -> None:
    assert _merged(Merger(default_forces()), reports) == \
        _merged(_Forgetful(default_forces()), reports)


def test_an_article_over_the_time_budget_fails_alone(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text("Iraqi forces recaptured Hit on 14 April 2016.\n")
    monkeypatch.setenv("GEO_EXTRACT_TIME_BUDGET", "0.000000001")
    summary = process_files([tmp_path], default_gazetteer(), default_forces())
    assert len(summary.errors) == 2          # the batch went on to the second file
    for outcome in summary.errors:
        assert Path(outcome.path).name in outcome.error
        assert "extract_time_budget" in outcome.error
    monkeypatch.delenv("GEO_EXTRACT_TIME_BUDGET")
    summary = process_files([tmp_path], default_gazetteer(), default_forces())
    assert not summary.errors and summary.events == 2


FUZZ_EXTRACT = Path(__file__).parent / "data" / "fuzz" / "extract"


def _replay(name: str) -> list:
    text = (FUZZ_EXTRACT / name).read_text(encoding="utf-8")
    return extract(text)


def test_one_sentence_repeated_hundreds_of_times_is_one_event_per_place_and_kind() -> None:
    """The fuzz run's 'dense verbs' input (the same capture-and-shelling sentence, 30 KB):
    once quadratic in merging and slow per report. Every repeat is the same report: one
    capture and one shelling per town, each keeping every sentence as its evidence."""
    text = (FUZZ_EXTRACT / "dense-verbs-30k.txt").read_text(encoding="utf-8")
    repeats = len(split_sentences(text))
    events = extract(text)
    assert 2 <= len(events) <= 8
    assert {e.location for e in events} <= {"Mosul", "Ar Raqqah"}
    assert {e.actor1_force for e in events} == {"IS"}
    assert len({(e.event_type, e.location) for e in events}) == len(events)
    assert all(len(e.evidence) == repeats for e in events if e.control_to)


@pytest.mark.parametrize("name", ["dots-30k.txt", "no-sentence-end-30k.txt",
                                  "one-sentence-of-dates-30k.txt"])
def test_text_without_sentences_or_places_gives_no_event(name: str) -> None:
    """Fuzz inputs that were slow (a run of dots or '<', a 'sentence' of a thousand
    dates): bounded pieces, no place, no force, so no event and no crash."""
    assert _replay(name) == []


def test_extraction_leaves_the_process_collector_as_it_found_it(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch
                                                              ) -> None:
    """Extraction collects cycles less often while it runs (a process-wide setting): the
    dashboard and the other commands in the same process get Python's own back, also
    when an article fails."""
    gc.unfreeze()        # (a command run in this process before may have frozen its objects)
    before, callbacks = gc.get_threshold(), list(gc.callbacks)
    assert extract("Iraqi forces recaptured Hit on 14 April 2016.")
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0
    (tmp_path / "a.txt").write_text("Iraqi forces recaptured Hit on 14 April 2016.\n")
    monkeypatch.setenv("GEO_EXTRACT_TIME_BUDGET", "0.000000001")
    assert process_files([tmp_path], default_gazetteer(), default_forces()).errors
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0
    assert gc.callbacks == callbacks


def test_extraction_keeps_what_the_program_set_aside_from_the_collector() -> None:
    """Extraction sets the objects that outlive young collections aside while it runs and
    hands them back when it ends; what the program itself had set aside before (``geo
    control`` freezes its loaded series) stays set aside."""
    kept = [["the program's own"]]
    gc.freeze()
    try:
        assert extract("Iraqi forces recaptured Hit on 14 April 2016. " * 300)
        assert gc.get_freeze_count() > 0
        assert not any(o is kept for g in range(3) for o in gc.get_objects(generation=g))
    finally:
        gc.unfreeze()
    assert any(o is kept for o in gc.get_objects(generation=2))
