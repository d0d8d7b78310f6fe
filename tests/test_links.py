"""The dashboard's links (``geo.core.links``): a control popup's review link carries the
day the map showed, and the Events page reads it back or says what was wrong with it."""
from __future__ import annotations

from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest

from geo.core.forces import default_forces
from geo.core.links import (
    PLACE_REVIEW_DATE_PARAM,
    PLACE_REVIEW_PARAM,
    PlaceReviewRequest,
    place_review_link,
    place_review_link_for_a_day,
    place_review_request,
)
from geo.review import claims_on, disputed_holding, report_to_open

KEY = "Tal Afar@36.37,42.45&x=1"        # any character of a name, '&' and '=' too


def _params(link: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(link).query).items()}


def test_a_review_link_round_trips_the_place_and_the_day() -> None:
    link = place_review_link(KEY, date(2016, 9, 10))
    params = _params(link)
    assert place_review_request(params.get(PLACE_REVIEW_PARAM),
                                params.get(PLACE_REVIEW_DATE_PARAM)) == \
        PlaceReviewRequest(KEY, date(2016, 9, 10))
    # without a day: every claim alike, as before the day was added
    assert place_review_request(_params(place_review_link(KEY)).get(PLACE_REVIEW_PARAM),
                                None) == PlaceReviewRequest(KEY)
    # the browser's popup appends the ISO day it shows to the link awaiting it
    assert place_review_link_for_a_day(KEY) + "2016-09-10" == link
    assert place_review_link("") == place_review_link_for_a_day("") == ""


@pytest.mark.parametrize("day", ["2016-02-30", "yesterday", "10/09/2016", "2016-9"])
def test_a_bad_day_is_named_and_the_place_kept(day: str) -> None:
    """A mistyped or edited link: the place still opens (all its claims), and the
    problem names the value the link gave."""
    request = place_review_request(KEY, day)
    assert request is not None and (request.key, request.day) == (KEY, None)
    assert repr(day) in request.problem and "YYYY-MM-DD" in request.problem


@pytest.mark.parametrize("key", [None, "", "   "])
def test_no_place_is_no_request(key: str | None) -> None:
    assert place_review_request(key, "2016-09-10") is None


ROWS = [  # one place's review queue (disputes_to_review), oldest first
    {"event_id": "ev-a", "date": "2016-09-01", "holder": "ISF", "holder_weight": "curated",
     "from": "2016-09-01", "until": "2016-11-30"},
    {"event_id": "stated:h1", "date": "2016-10-01", "holder": "ISF",
     "holder_weight": "curated", "from": "2016-10-01", "until": "2016-10-01"},
    {"event_id": "ev-b", "date": "2017-03-01", "holder": "ISF", "holder_weight": "curated",
     "from": "2017-03-01", "until": ""},
]


def test_the_linked_day_opens_the_report_disputing_the_holder_that_day() -> None:
    """On 2016-09-10 the report of 2016-09-01 disputes the holder, not the latest one
    (2017): the page opens it; a day no claim bears on opens the latest report."""
    day = date(2016, 9, 10)
    assert [r["event_id"] for r in claims_on(ROWS, day)] == ["ev-a"]
    assert report_to_open(ROWS, day) == "ev-a"
    assert [r["event_id"] for r in claims_on(ROWS, date(2016, 10, 1))] == ["ev-a",
                                                                         "stated:h1"]
    assert [r["event_id"] for r in claims_on(ROWS, date(2018, 1, 1))] == ["ev-b"]
    assert report_to_open(ROWS, date(2016, 12, 25)) == "ev-b"
    assert report_to_open(ROWS, None) == "ev-b"
    assert report_to_open([], day) is None
    assert disputed_holding(claims_on(ROWS, day), default_forces()) == \
        f"held by {default_forces().display('ISF')} (curated)"
