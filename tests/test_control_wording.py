"""How control's dates are said (``geo.control.wording``): one table for ``--place``,
the map's popups and control histories. A capture told by the month or the year is
weighed from its interval's end (rule 3); saying that end as a bare day would claim a
precision the report never gave."""
from __future__ import annotations

from datetime import date

import pytest

from geo.control.claims import CURATED, SINGLE, Claim
from geo.control.wording import (
    ESTIMATED,
    INFERRED,
    PRESUMED,
    REPORTED,
    account,
    claim_date,
    estimated,
    held_since,
    named,
    presumed,
    reported,
    taken_from,
)

D = date


@pytest.mark.parametrize(("start", "end", "said"), [
    # construction                         example report            said
    (D(2015, 12, 1), D(2015, 12, 31), "December 2015"),      # "retook it in December"
    (D(2016, 2, 1), D(2016, 2, 29), "February 2016"),        # a leap month, whole
    (D(2014, 1, 1), D(2014, 12, 31), "2014 (told by the year)"),  # "fell in 2014"
    (D(2015, 5, 17), D(2015, 5, 17), "2015-05-17"),          # a day
    (D(2015, 5, 1), D(2015, 5, 20), "2015-05-01 to 2015-05-20"),  # "early May": no month
    (D(2015, 12, 1), D(2016, 1, 31), "2015-12-01 to 2016-01-31"),  # two months
])
def test_a_claims_date_is_said_as_its_report_gave_it(start, end, said) -> None:
    assert claim_date(start, end) == said


@pytest.mark.parametrize(("since_from", "since", "said"), [
    (D(2015, 12, 1), D(2015, 12, 31), "December 2015"),
    (D(2015, 1, 1), D(2015, 12, 31), "2015 (told by the year)"),
    (D(2013, 10, 19), D(2014, 10, 18),
     "2014-10-18 (changed hands between 2013-10-19 and 2014-10-18)"),
    (None, D(2015, 5, 17), "2015-05-17"),
    (D(2015, 5, 17), D(2015, 5, 17), "2015-05-17"),
])
def test_a_holders_since_is_said_as_its_report_gave_it(since_from, since, said) -> None:
    assert held_since(since, since_from) == said


# --- who held a place and how that is known: one sentence per kind of holder ---------
NAMES = {"IS": "Islamic State", "ISF": "Iraqi Security Forces"}


@pytest.mark.parametrize(("when", "kind", "text"), [
    # construction                                    kind       said after "held by X"
    (reported(D(2016, 6, 26)), REPORTED, "since 2016-06-26"),
    (reported(D(2015, 12, 31), D(2015, 12, 1)), REPORTED, "since December 2015"),
    (taken_from("Iraqi Security Forces", "Islamic State", D(2014, 6, 10), D(2014, 6, 10)),
     INFERRED, "before 2014-06-10 (inferred: Islamic State took it from Iraqi Security "
     "Forces on 2014-06-10; no report of Iraqi Security Forces taking it)"),
    (taken_from("Iraqi Security Forces", "Islamic State", D(2014, 1, 1), D(2014, 12, 31)),
     INFERRED, "before 2014 (inferred: Islamic State took it from Iraqi Security Forces "
     "in 2014; no report of Iraqi Security Forces taking it)"),
    (taken_from("Iraqi Security Forces", "Islamic State", D(2015, 5, 1), D(2015, 5, 20)),
     INFERRED, "before 2015-05-01 (inferred: Islamic State took it from Iraqi Security "
     "Forces between 2015-05-01 and 2015-05-20; no report of Iraqi Security Forces "
     "taking it)"),
    (named("Islamic State", "held", D(2016, 7, 1), D(2016, 7, 1)), INFERRED,
     "(inferred: reported held on 2016-07-01; no report of Islamic State taking it, "
     "since when is not known)"),
    (named("Islamic State", "siege", D(2016, 7, 1), D(2016, 7, 31)), INFERRED,
     "(inferred: named as the force besieged in July 2016; no report of Islamic State "
     "taking it, since when is not known)"),
    (presumed(), PRESUMED, "throughout the record (presumed: no report gives its holder)"),
    (estimated("Hit", 12.4), ESTIMATED, "(estimated from the land of Hit, 12 km away)"),
])
def test_each_kind_of_holder_is_said_in_one_sentence(when, kind, text) -> None:
    """An analyst sees at a glance whether a report dated the holder's taking the place
    (reported: "since"), or the holder is inferred (no invented since: "before" the
    capture that took it from the holder, or the report that names it), presumed or
    estimated from the land around."""
    assert (when.kind, when.text) == (kind, text)
    assert when.reported == (kind == REPORTED)
    assert kind == REPORTED or "since 2" not in when.text


def _claim(kind: str, to: str, old: str, start: date, end: date | None = None,
           tier: int = CURATED) -> Claim:
    return Claim(kind, start, end or start, to, old, f"{kind}-{to}-{start}", tier, "curated")


@pytest.mark.parametrize(("claims", "presumption", "inferred", "text"), [
    # rule 7: the first capture took the town from the holder
    ([_claim("capture", "IS", "ISF", D(2014, 6, 10))], False, True,
     "before 2014-06-10 (inferred: Islamic State took it from Iraqi Security Forces on "
     "2014-06-10; no report of Iraqi Security Forces taking it)"),
    # a held report (or a holding stated in passing) names the holder
    ([_claim("held", "ISF", "", D(2014, 6, 22), D(2014, 6, 28), SINGLE)], False, True,
     "(inferred: reported held between 2014-06-22 and 2014-06-28; no report of Iraqi "
     "Security Forces taking it, since when is not known)"),
    # a siege names the force besieged as the holder
    ([_claim("siege", "IS", "ISF", D(2015, 3, 1), tier=SINGLE)], False, True,
     "(inferred: named as the force besieged on 2015-03-01; no report of Iraqi Security "
     "Forces taking it, since when is not known)"),
    # rule 10
    ([], True, True, "throughout the record (presumed: no report gives its holder)"),
    # a report of its taking the town
    ([_claim("capture", "ISF", "IS", D(2016, 6, 26))], False, False, "since 2016-06-26"),
])
def test_a_states_holder_is_said_from_the_claims_behind_it(claims, presumption, inferred,
                                                          text) -> None:
    """``account`` picks the sentence from the claims behind a state (its event ids):
    the shells (popups, exports, ``geo control --place``) all call it."""
    when = account("ISF", claims, NAMES.__getitem__, presumption=presumption,
                   inferred=inferred, since=D(2011, 1, 1) if inferred else D(2016, 6, 26))
    assert when.text == text
