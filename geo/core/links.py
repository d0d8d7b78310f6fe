"""How the dashboard links to one event or one holding stated in passing (popups, control
histories, exports).

Deep links open the app's root, which hands over to the Events page on that event: a
first load at ``/events`` made Streamlit probe ``/events/_stcore/...`` (two 404s per link).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import quote

EVENT_LINK_PREFIX = "/?event_id="


def event_link(event_id: str) -> str:
    """The dashboard's link to one event ('' without an id)."""
    return f"{EVENT_LINK_PREFIX}{event_id}" if event_id else ""


#: A link to a holding stated in passing (the Events page's holdings section).
HOLDING_LINK_PREFIX = "/?holding_id="


def holding_link(holding_id: str) -> str:
    """The dashboard's link to one holding stated in passing ('' without an id)."""
    return f"{HOLDING_LINK_PREFIX}{holding_id}" if holding_id else ""


#: A link to the review of one place's control (the Events page's disputed claims and
#: holdings stated in passing about it, the place chosen): what a control popup offers
#: for a disputed place or a holder resting on a holding the machine read. With the day
#: the map showed (``PLACE_REVIEW_DATE_PARAM``), the page opens the claims that bear on
#: that day first: the report disputing the holder then, not the latest one.
PLACE_REVIEW_PARAM = "review_place"
PLACE_REVIEW_DATE_PARAM = "review_date"
PLACE_REVIEW_LINK_PREFIX = f"/?{PLACE_REVIEW_PARAM}="


def place_review_link(place_key: str, day: date | None = None) -> str:
    """The dashboard's link to the review of one place's control on ``day`` ('' without
    a key). A place key may hold any character of a name ("Tal Afar@36.37,42.45"):
    quoted."""
    if not place_key:
        return ""
    link = f"{PLACE_REVIEW_LINK_PREFIX}{quote(place_key, safe='')}"
    return f"{link}&{PLACE_REVIEW_DATE_PARAM}={day.isoformat()}" if day else link


def place_review_link_for_a_day(place_key: str) -> str:
    """The link of ``place_review_link`` awaiting its day: the browser's popup appends
    the day it shows (ISO, ``YYYY-MM-DD``), as ``place_review_link(key, day)`` writes
    it ('' without a key)."""
    return f"{place_review_link(place_key)}&{PLACE_REVIEW_DATE_PARAM}=" if place_key else ""


@dataclass(frozen=True)
class PlaceReviewRequest:
    """What a review link asks for, read back (``place_review_request``): the place key,
    the day (None when the link gives none or a bad one) and what was wrong with it
    ('' when nothing was)."""

    key: str
    day: date | None = None
    problem: str = ""


def place_review_request(key: str | None, day: str | None) -> PlaceReviewRequest | None:
    """The parameters of a review link (``place_review_link``) as a request; None when
    the link names no place. A day that is not a date (``YYYY-MM-DD``) is dropped with a
    ``problem`` naming it: the page then shows all of the place's claims."""
    key = (key or "").strip()
    if not key:
        return None
    text = (day or "").strip()
    if not text:
        return PlaceReviewRequest(key)
    try:
        return PlaceReviewRequest(key, date.fromisoformat(text))
    except ValueError:
        return PlaceReviewRequest(key, None, f"the link's day {text!r} is not a date "
                                  "(YYYY-MM-DD)")
