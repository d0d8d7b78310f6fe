"""Date expressions resolve against the publication date, with their precision (table-driven)."""
from __future__ import annotations

from datetime import date

import pytest

from geo.core.dates import find_dates, parse_date

PUB = date(2016, 6, 4)   # a Saturday

CASES = [
    # text, expected (date_min, date_max, precision)
    ("on Monday", ("2016-05-30", "2016-05-30", 1)),
    ("on Saturday", ("2016-06-04", "2016-06-04", 1)),       # the publication day itself
    ("last Saturday", ("2016-05-28", "2016-05-28", 1)),     # strictly before
    ("last Friday", ("2016-06-03", "2016-06-03", 1)),
    ("yesterday", ("2016-06-03", "2016-06-03", 1)),
    ("two weeks ago", ("2016-05-18", "2016-05-24", 2)),
    ("last week", ("2016-05-23", "2016-05-29", 2)),
    ("in February and March", ("2016-02-01", "2016-03-31", 3)),
    ("in 2014", ("2014-01-01", "2014-12-31", 4)),
    ("in the past year", ("2015-06-05", "2016-06-04", 4)),
    ("since April", ("2016-04-01", "2016-06-04", 3)),
    ("in December", ("2015-12-01", "2015-12-31", 3)),       # never in the future
    ("in late May", ("2016-05-21", "2016-05-31", 3)),
    ("in mid-March", ("2016-03-11", "2016-03-20", 3)),
    ("on June 3", ("2016-06-03", "2016-06-03", 1)),
    ("18 June 2015", ("2015-06-18", "2015-06-18", 1)),
    ("May 19, 2015", ("2015-05-19", "2015-05-19", 1)),
    ("the summer of 2014", ("2014-06-01", "2014-08-31", 3)),
    ("earlier this month", ("2016-06-01", "2016-06-04", 2)),
    ("by the end of 2015", ("2015-09-01", "2015-12-31", 4)),
    ("in recent weeks", ("2016-05-14", "2016-06-04", 3)),
    ("on Sept. 5", ("2015-09-05", "2015-09-05", 1)),
    ("on the 5th of May", ("2016-05-05", "2016-05-05", 1)),
    ("from June to August 2015", ("2015-06-01", "2015-08-31", 3)),
    ("in April last year", ("2015-04-01", "2015-04-30", 3)),      # not this April
    ("in late December last year", ("2015-12-21", "2015-12-31", 3)),
    ("late last year", ("2015-09-01", "2015-12-31", 4)),
    ("early last month", ("2016-05-01", "2016-05-10", 3)),
    ("the three-year siege", ("2013-06-05", "2016-06-04", 4)),   # a span named by its length
    ("a two-month-long occupation", ("2016-04-05", "2016-06-04", 3)),
    # "who retook the town last November": the most recent such month before the
    # report's own month, a season the most recent one over by the report's day
    ("last November", ("2015-11-01", "2015-11-30", 3)),
    ("last May", ("2016-05-01", "2016-05-31", 3)),
    ("this past June", ("2015-06-01", "2015-06-30", 3)),
    ("last summer", ("2015-06-01", "2015-08-31", 3)),
    ("last winter", ("2015-12-01", "2016-02-29", 3)),
]


@pytest.mark.parametrize("text", ["The last May rally drew crowds.",
                                  "The last fall of the city shocked the army.",
                                  "Only the last may leave."])
def test_last_before_a_month_word_that_is_no_date(text: str) -> None:
    """"the last May rally", "the last fall of the city", "the last may": no date."""
    assert find_dates(text, PUB) == []


@pytest.mark.parametrize("text,expected", CASES)
def test_expression_resolves(text: str, expected: tuple[str, str, int]) -> None:
    found = find_dates(f"Something happened {text}.", PUB)
    assert len(found) == 1, found
    d = found[0]
    assert (str(d.date_min), str(d.date_max), int(d.precision)) == expected


def test_future_dates_are_not_event_dates() -> None:
    """A site banner dated after publication, or "18 June 2017" in a 2016 article."""
    assert find_dates("Sunday, 27 May 2018", PUB) == []


def test_without_publication_date_only_explicit_years_resolve() -> None:
    assert find_dates("on Monday", None) == []
    assert [str(d.date_min) for d in find_dates("seized in 2014", None)] == ["2014-01-01"]


def test_parse_date_messages() -> None:
    assert parse_date("2016-06-04") == PUB
    assert parse_date("4 June 2016") == PUB
    with pytest.raises(ValueError, match="not a date"):
        parse_date("next tuesday-ish")
