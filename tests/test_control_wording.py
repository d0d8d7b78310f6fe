"""How control's dates are said (``geo.control.wording``): one table for ``--place``,
the map's popups and control histories. A capture told by the month or the year is
weighed from its interval's end (rule 3); saying that end as a bare day would claim a
precision the report never gave."""
from __future__ import annotations

from datetime import date

import pytest

from geo.control.wording import claim_date, held_since

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
