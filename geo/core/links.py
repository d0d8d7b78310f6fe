"""How the dashboard links to one event or one holding stated in passing (popups, control
histories, exports).

Deep links open the app's root, which hands over to the Events page on that event: a
first load at ``/events`` made Streamlit probe ``/events/_stcore/...`` (two 404s per link).
"""
from __future__ import annotations

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
#: for a disputed place or a holder resting on a holding the machine read.
PLACE_REVIEW_PARAM = "review_place"
PLACE_REVIEW_LINK_PREFIX = f"/?{PLACE_REVIEW_PARAM}="


def place_review_link(place_key: str) -> str:
    """The dashboard's link to the review of one place's control ('' without a key).
    A place key may hold any character of a name ("Tal Afar@36.37,42.45"): quoted."""
    return f"{PLACE_REVIEW_LINK_PREFIX}{quote(place_key, safe='')}" if place_key else ""
