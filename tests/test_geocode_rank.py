"""The verdict on a ranked answer (``geo.geocode.rank``), on hand-built candidates whose
docstrings say the case: when an answer is mapped as it is and when a person must look."""
from __future__ import annotations

from geo.core.records import Place
from geo.geocode.rank import Candidate, Within, rank, verdict

TOWN = Place("t:1", "Qarbuz", 35.0, 42.0, "IQ", "Nineveh", "locality", importance=0.6)
TOWN_DISTRICT = Place("t:2", "Qarbuz", 35.3, 42.2, "IQ", "Nineveh", "county", importance=0.6)
NAMESAKE_SY = Place("t:3", "Qarbuz", 36.0, 39.0, "SY", "Raqqa", "locality", importance=0.55)
VILLAGE_TR = Place("t:4", "Qarbuz", 37.2, 40.0, "TR", "Mardin", "locality", importance=0.1)


def judge(*candidates: Candidate) -> tuple[bool, tuple[str, ...], float, float]:
    v = verdict(list(candidates), min_confidence=0.7, min_margin=0.05)
    return v.review, v.reasons, v.confidence, v.margin


def test_a_sure_name_is_mapped_and_its_own_district_is_no_rival() -> None:
    """The town and the district named after it answer the same name: no ambiguity."""
    review, reasons, confidence, margin = judge(
        Candidate(TOWN, 0.95, "exact", "qarbuz"), Candidate(TOWN_DISTRICT, 0.9, "exact", "qarbuz"))
    assert not review and confidence == 1.0 and margin == 0.95


def test_a_homonym_elsewhere_close_in_score_is_flagged_with_the_runner_up() -> None:
    review, reasons, _, margin = judge(Candidate(TOWN, 0.95, "exact", "qarbuz"),
                                       Candidate(NAMESAKE_SY, 0.93, "exact", "qarbuz"))
    assert review and margin == 0.02 and "close runner-up Qarbuz (SY" in reasons[0]


def test_a_loose_or_misspelt_match_lowers_confidence() -> None:
    review, reasons, confidence, _ = judge(*rank([(TOWN, "fuzzy", "qarbz")]))
    assert review and confidence == 0.62 and reasons[0].startswith("spelling differs")
    review, _, confidence, _ = judge(*rank([(TOWN, "loose", "krbz")]))
    assert not review and confidence == 0.78


def test_a_minor_place_across_the_border_is_flagged_unless_the_country_was_named() -> None:
    """A village in Turkey answering a strike-report name hints at a gap in the data."""
    review, reasons, _, _ = judge(Candidate(VILLAGE_TR, 0.7, "exact", "qarbuz"))
    assert review and "outside the theatre (TR)" in reasons[0]
    review, _, _, _ = judge(Candidate(VILLAGE_TR, 0.9, "exact", "qarbuz", within=True))
    assert not review


def test_rank_puts_the_named_country_first_then_the_theatre() -> None:
    hits = [(TOWN, "exact", "qarbuz"), (NAMESAKE_SY, "exact", "qarbuz"),
            (VILLAGE_TR, "exact", "qarbuz")]
    assert [c.place.country for c in rank(hits)][:2] == ["IQ", "SY"]
    in_turkey = rank(hits, within=Within("Turkey", country="TR"))
    assert in_turkey[0].place.country == "TR" and in_turkey[0].within is True
    assert rank(hits, wanted=frozenset({"county"}))[0].place.country == "IQ"
