"""Date expressions in news sentences, resolved against the publication date.

Rule-based on purpose: dateparser (measured in the field notes) gets about two thirds of
news expressions right and returns nothing for "in February and March", "since April",
"mid-March" or "the previous day". Every expression resolves to an interval
``[date_min, date_max]`` and a precision code (ACLED's 1 day, 2 week, 3 month, plus 4 year)
derived from the interval's length, so coarse dates stay visibly coarse downstream.

Conventions (written down because analysts rely on them):
- a weekday ("on Monday") is the most recent such day on or before publication;
  "last Friday" is the most recent Friday strictly before the publication day;
- a month without a year ("in February") is the most recent such month that does not
  start after publication;
- "last week" is the previous Monday-Sunday week; "two weeks ago" is a week-long window
  centred 14 days before publication;
- nothing ever resolves after the publication date (an interval is cut at it);
- without a publication date, only expressions with an explicit year resolve;
- an article dated by a month-only dateline ("May 2017", ``MONTH_DATELINE``) is taken as
  published on the month's last day, and its events dated by a weekday, a relative day or
  nothing at all are dated to the whole month (a full date in the text keeps its day).
"""
from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from geo.core.records import TimePrecision
from geo.core.rulescan import RuleScan, WordCue
from geo.core.spans import DisjointSpans

#: ``Article.published_source`` of an article dated by a month-only dateline ("May 2017"):
#: its ``published`` is the month's last day, and a date relative to the report's day
#: ("on Tuesday", "yesterday", none at all) is only known to be in that month.
MONTH_DATELINE = "dateline-month"

MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
MONTHS["sept"] = 9
WEEKDAYS = {d.lower(): i for i, d in enumerate(calendar.day_name)}
NUMBER_WORDS = {"some": 3, "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
                "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11,
                "twelve": 12, "a couple of": 2, "a few": 3, "few": 3, "several": 3}

_MONTH = (r"(?P<month>January|February|March|April|May|June|July|August|September|October|"
          r"November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?")
_MONTH2 = _MONTH.replace("?P<month>", "?P<month2>")
_NUM = r"(?P<num>\d{1,2}|a couple of|a few|an|a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|few|several)"
_UNIT = r"(?P<unit>day|week|month|year)s?"
_WEEKDAY = r"(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_WEEKDAY_LEAD = r"(?:\b(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?"


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date expression found in a text, with the interval it stands for."""

    start: int
    end: int
    text: str
    date_min: date
    date_max: date
    explicit: bool = True   # names a calendar date/month/year, not only a relative day
    #: "since 2014", "for two years": [start of the span, publication]; ``start_of_span``
    #: gives when it began (a holding "since 2014" began with a capture in 2014)
    span: str = ""          # "", or the unit of the span's start: "day", "month", "year"

    @property
    def precision(self) -> int:
        return precision_for(self.date_min, self.date_max)

    def start_of_span(self) -> DateMention:
        """When a span began: the unit its start was named in ("since 2014" -> 2014,
        "for two years" -> the month two years ago); itself when not a span."""
        lo = self.date_min
        if self.span == "year":
            hi = date(lo.year, 12, 31)
        elif self.span == "month":
            hi = date(lo.year, lo.month, calendar.monthrange(lo.year, lo.month)[1])
        elif self.span:
            hi = lo
        else:
            return self
        return DateMention(self.start, self.end, self.text, lo, min(hi, self.date_max),
                           self.explicit)

    @property
    def midpoint(self) -> date:
        return self.date_min + (self.date_max - self.date_min) // 2


def precision_for(lo: date, hi: date) -> int:
    """ACLED-style precision code for an interval (1 day, 2 week, 3 month, 4 year or more)."""
    days = (hi - lo).days + 1
    if days <= 1:
        return TimePrecision.DAY
    if days <= 8:
        return TimePrecision.WEEK
    if days <= 92:          # a month, or a few ("in February and March"): ACLED has no quarter
        return TimePrecision.MONTH
    return TimePrecision.YEAR


def _month_range(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _recent_month(month: int, pub: date) -> int:
    """Year of the most recent ``month`` that does not start after ``pub``."""
    return pub.year if month <= pub.month else pub.year - 1


def _part(m: re.Match[str]) -> str | None:
    """The early/mid/late qualifier of a match, whichever group caught it."""
    groups = m.groupdict()
    return groups.get("part") or groups.get("part2")


def _part_of(lo: date, hi: date, part: str | None) -> tuple[date, date]:
    """Narrow a month (or year) to its early/mid/late part."""
    if not part:
        return lo, hi
    span = (hi - lo).days + 1
    part = part.lower()
    if span > 300:          # a year: by months (Jan-Apr, May-Aug, Sep-Dec), not by days
        if part in ("early", "the beginning of", "the start of"):
            return lo, date(lo.year, 4, 30)
        if part in ("mid", "the middle of"):
            return date(lo.year, 5, 1), date(lo.year, 8, 31)
        return date(lo.year, 9, 1), hi
    third = max(span // 3, 1)
    if part in ("early", "the beginning of", "the start of"):
        return lo, lo + timedelta(days=third - 1)
    if part in ("mid", "the middle of"):
        return lo + timedelta(days=third), lo + timedelta(days=2 * third - 1)
    return lo + timedelta(days=2 * third), hi  # late, the end of


def _shift(day: date, days: int) -> date | None:
    """``day`` moved by ``days``; None past the calendar's ends (year 1 or 9999)."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return None


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _number(word: str) -> int:
    word = word.lower()
    return int(word) if word.isdigit() else NUMBER_WORDS[word]


# Each rule: a compiled pattern and a resolver(match, pub) -> (lo, hi, explicit) | None.
# Order matters: longer, more specific patterns first; matches may not overlap.
Resolved = tuple[date, date, bool] | tuple[date, date, bool, str] | None
Resolver = Callable[[re.Match[str], date | None], Resolved]


def _full_date(m: re.Match[str], pub: date | None) -> tuple[date, date, bool] | None:
    d = _safe_date(int(m["year"]), MONTHS[m["month"].lower().rstrip(".")], int(m["day"]))
    return (d, d, True) if d else None


def _iso_date(m: re.Match[str], pub: date | None) -> tuple[date, date, bool] | None:
    d = _safe_date(int(m["year"]), int(m["m"]), int(m["day"]))
    return (d, d, True) if d else None


def _day_month(m: re.Match[str], pub: date | None) -> tuple[date, date, bool] | None:
    if pub is None:
        return None
    month, day = MONTHS[m["month"].lower().rstrip(".")], int(m["day"])
    d = _safe_date(pub.year, month, day)
    if d and d > pub + timedelta(days=7):     # "December 30" in a January article
        d = _safe_date(pub.year - 1, month, day)
    return (d, d, True) if d else None


def _month_pair(m: re.Match[str], pub: date | None) -> tuple[date, date, bool] | None:
    m1, m2 = MONTHS[m["month"].lower().rstrip(".")], MONTHS[m["month2"].lower().rstrip(".")]
    if m["year"]:
        y2 = int(m["year"])
        y1 = y2 if m1 <= m2 else y2 - 1
    elif pub:
        y2 = _recent_month(m2, pub)
        y1 = y2 if m1 <= m2 else y2 - 1
    else:
        return None
    return _month_range(y1, m1)[0], _month_range(y2, m2)[1], True


def _month_year(m: re.Match[str], pub: date | None) -> tuple[date, date, bool] | None:
    lo, hi = _month_range(int(m["year"]), MONTHS[m["month"].lower().rstrip(".")])
    lo, hi = _part_of(lo, hi, _part(m))
    return lo, hi, True


def _month_only(m: re.Match[str], pub: date | None) -> tuple[date, date, bool] | None:
    if pub is None:
        return None
    month = MONTHS[m["month"].lower().rstrip(".")]
    lo, hi = _month_range(_recent_month(month, pub), month)
    lo, hi = _part_of(lo, hi, _part(m))
    return lo, hi, True


def _month_last_year(m: re.Match[str], pub: date | None) -> tuple[date, date, bool] | None:
    """ "in April last year", "late December last year": that month of the year before
    the report's (not the most recent April, which "in April" alone would be)."""
    if pub is None:
        return None
    month = MONTHS[m["month"].lower().rstrip(".")]
    lo, hi = _month_range(pub.year - 1, month)
    lo, hi = _part_of(lo, hi, _part(m))
    return lo, hi, True


def _since_month(m: re.Match[str], pub: date | None) -> Resolved:
    if pub is None:
        return None
    month = MONTHS[m["month"].lower().rstrip(".")]
    return _month_range(_recent_month(month, pub), month)[0], pub, True, "month"


def _year(m: re.Match[str], pub: date | None) -> tuple[date, date, bool] | None:
    year = int(m["year"])
    lo, hi = date(year, 1, 1), date(year, 12, 31)
    season = (m.groupdict().get("season") or "").lower()
    seasons = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11),
               "winter": (12, 2)}
    if season in seasons:
        a, b = seasons[season]
        lo = date(year, a, 1)
        hi = _month_range(year + (1 if b < a else 0), b)[1]
    else:
        lo, hi = _part_of(lo, hi, _part(m))
    return lo, hi, True


def _since_year(m: re.Match[str], pub: date | None) -> Resolved:
    year = int(m["year"])
    return date(year, 1, 1), (pub or date(year, 12, 31)), True, "year"


def _for_span(m: re.Match[str], pub: date | None) -> Resolved:
    """ "for two years", "for over a month": the span up to publication; its start is
    about N units back (a month either way for years, a week for months)."""
    if pub is None:
        return None
    n, unit = _number(m["num"]), m["unit"].lower()
    days = {"day": 1, "week": 7, "month": 30, "year": 365}[unit] * n
    slack = {"day": 1, "week": 3, "month": 15, "year": 120}[unit]
    if m.groupdict().get("more"):
        days += slack          # "more than a month": the start lies further back
    start = _shift(pub, -days)
    if start is None:
        return None
    return start, pub, False, "month" if unit == "year" else "day"


def _weekday(m: re.Match[str], pub: date | None) -> tuple[date, date, bool] | None:
    if pub is None:
        return None
    wd = WEEKDAYS[m["weekday"].lower()]
    back = (pub.weekday() - wd) % 7
    if m.groupdict().get("last") and back == 0:
        back = 7
    d = pub - timedelta(days=back)
    return d, d, False


def _relative_day(m: re.Match[str], pub: date | None) -> tuple[date, date, bool] | None:
    if pub is None:
        return None
    word = m["rel"].lower()
    offset = 1 if word in ("yesterday", "last night", "the previous day", "the day before") else 0
    d = pub - timedelta(days=offset)
    return d, d, False


def _ago(m: re.Match[str], pub: date | None) -> tuple[date, date, bool] | None:
    if pub is None:
        return None
    n, unit = _number(m["num"]), m["unit"].lower()
    days = {"day": 1, "week": 7, "month": 30, "year": 365}[unit] * n
    centre = pub - timedelta(days=days)
    half = {"day": 0, "week": 3, "month": 15, "year": 182}[unit]
    return centre - timedelta(days=half), min(centre + timedelta(days=half), pub), False


def _past_span(m: re.Match[str], pub: date | None) -> tuple[date, date, bool] | None:
    if pub is None:
        return None
    n = _number(m["num"]) if m["num"] else 1
    unit = m["unit"].lower()
    days = {"day": 1, "week": 7, "month": 30, "year": 365}[unit] * n
    return pub - timedelta(days=days), pub, False


def _recent(m: re.Match[str], pub: date | None) -> tuple[date, date, bool] | None:
    """ "in recent weeks": the last three such units before publication."""
    if pub is None:
        return None
    days = {"day": 1, "week": 7, "month": 30}[m["unit"].lower()] * 3
    return pub - timedelta(days=days), pub, False


def _units_after(m: re.Match[str], pub: date | None) -> Resolved:
    """ "comes a week after X", "three days after the beginning of", "more than two years
    after IS seized": X happened that long before the report (the main event is news)."""
    if pub is None:
        return None
    n, unit = _number((m["num"] or "several").strip()), m["unit"].lower()
    days = {"day": 1, "week": 7, "month": 30, "year": 365}[unit] * n
    half = {"day": 1, "week": 4, "month": 15, "year": 182}[unit] * (2 if not m["num"] else 1)
    centre = _shift(pub, -days)
    if centre is None:
        return None
    lo: date | None
    hi: date | None
    if m.groupdict().get("more"):
        lo, hi = _shift(centre, -2 * half), centre
    elif m.groupdict().get("less"):
        lo, hi = centre, pub
    else:
        lo, hi = _shift(centre, -half), _shift(centre, half)
    if lo is None or hi is None:
        return None
    return lo, min(hi, pub), False


def _earlier_in_week(m: re.Match[str], pub: date | None) -> Resolved:
    """ "earlier in the week": from that week's Monday to the day before publication."""
    if pub is None:
        return None
    monday = _shift(pub, -pub.weekday())
    before = _shift(pub, -1)
    if monday is None or before is None:
        return None
    return (monday, before, False) if monday <= before else (before, before, False)


def _calendar_rel(m: re.Match[str], pub: date | None) -> tuple[date, date, bool] | None:
    if pub is None:
        return None
    which, unit = m["which"].lower(), m["unit"].lower()
    if unit == "week":
        monday = pub - timedelta(days=pub.weekday())
        if which == "last":
            return monday - timedelta(days=7), monday - timedelta(days=1), False
        return monday, pub, False
    if unit == "month":
        if which == "last":
            last = pub.replace(day=1) - timedelta(days=1)
            return (*_part_of(last.replace(day=1), last, _part(m)), False)
        lo = pub.replace(day=1)
        if m.groupdict().get("early"):
            return lo, min(pub, lo + timedelta(days=14)), False
        return lo, pub, False
    # year
    if which == "last":      # "late last year": its last third (Sep-Dec)
        return (*_part_of(date(pub.year - 1, 1, 1), date(pub.year - 1, 12, 31), _part(m)), False)
    return date(pub.year, 1, 1), pub, False


_THE_BEFORE = re.compile(r"\bthe\s+$", re.I)
_SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11),
            "winter": (12, 2)}


def _last_named(m: re.Match[str]) -> bool:
    """ "last November", not "the last November ..." nor "the last may": a capitalised
    month (or a season) after "last" / "this past" that does not close a noun phrase."""
    month = m.groupdict().get("month")
    return not _THE_BEFORE.search(m.string[:m.start()]) and \
        (month is None or month[0].isupper())


def _last_month(m: re.Match[str], pub: date | None) -> tuple[date, date, bool] | None:
    """ "last November", "this past May": the most recent such month before the report's
    own month (in May 2016, "last November" is November 2015, "last May" May 2015)."""
    if pub is None or not _last_named(m):
        return None
    month = MONTHS[m["month"].lower().rstrip(".")]
    lo, hi = _month_range(pub.year if month < pub.month else pub.year - 1, month)
    return lo, hi, True


def _last_season(m: re.Match[str], pub: date | None) -> tuple[date, date, bool] | None:
    """ "last summer", "this past winter": the most recent such season that ended
    before the report (summer June-August, winter December-February)."""
    if pub is None or not _last_named(m):
        return None
    first, last = _SEASONS[m["season"].lower()]
    for year in (pub.year, pub.year - 1):
        end_year = year + (1 if last < first else 0)
        lo, hi = date(year, first, 1), _month_range(end_year, last)[1]
        if hi < pub:
            return lo, hi, True
    return None


def _weekend(m: re.Match[str], pub: date | None) -> tuple[date, date, bool] | None:
    if pub is None:
        return None
    back = (pub.weekday() - 5) % 7          # most recent Saturday on or before
    sat = pub - timedelta(days=back)
    if m.groupdict().get("last") and back <= 1:
        sat -= timedelta(days=7)
    return sat, min(sat + timedelta(days=1), pub), False


_RULES: list[tuple[re.Pattern[str], Resolver]] = [(re.compile(p, re.I), f) for p, f in [
    (_WEEKDAY_LEAD + r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH + r",?\s+(?P<year>(?:19|20)\d\d)(?!\d)", _full_date),
    (_WEEKDAY_LEAD + r"\b" + _MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d\d)(?!\d)", _full_date),
    (r"\b(?P<year>(?:19|20)\d\d)-(?P<m>\d\d)-(?P<day>\d\d)(?!\d)", _iso_date),
    (r"\b(?:in|between|during|from)\s+" + _MONTH + r"\s+(?:and|to|through|-)\s+" + _MONTH2
     + r"(?:,?\s+(?P<year>(?:19|20)\d\d))?\b", _month_pair),
    (r"\b(?:(?P<part>early|mid|late)[- ]|(?P<part2>the end of|the beginning of|the start of|the middle of)\s+)?"
     + _MONTH + r",?\s+(?:of\s+)?(?P<year>(?:19|20)\d\d)\b", _month_year),
    (r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH + r"\b(?!\s*,?\s*(?:19|20)\d\d)", _day_month),
    (r"\b" + _MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?\b(?!\s*,?\s*(?:19|20)\d\d)(?!\s*(?:km|kilometers|miles|people|men|%))", _day_month),
    (r"\b(?:(?:in|during|by|until|from|since)\s+)?(?:(?P<part>early|mid|late)[- ]?)?" + _MONTH
     + r"\s+(?:of\s+)?last\s+year\b", _month_last_year),
    (r"\bsince\s+(?:early\s+|late\s+|mid-?)?" + _MONTH + r"(?![\s,]+(?:19|20)\d\d)\b", _since_month),
    (r"\b(?P<part2>the end of|the beginning of|the start of|the middle of)\s+" + _MONTH
     + r"(?![\s,]+(?:\d|19|20))\b", _month_only),
    (r"\b(?:in|during|by|until|from|of|since\s+last)\s+(?:(?P<part>early|mid|late)[- ]?)?" + _MONTH
     + r"(?![\s,]+(?:\d|19|20))\b", _month_only),
    (r"\b(?P<part>early|mid|late)[- ]" + _MONTH + r"(?![\s,]+(?:\d|19|20))\b", _month_only),
    (r"\b(?:last|this\s+past)\s+" + _MONTH + r"(?![\s,]+(?:\d|19|20))\b", _last_month),
    (r"\b(?:last|this\s+past)\s+(?P<season>spring|summer|autumn|fall|winter)\b", _last_season),
    (r"\bsince\s+(?P<year>(?:19|20)\d\d)\b", _since_year),
    (r"\bfor\s+(?:the\s+(?:past|last)\s+)?(?:(?P<more>more\s+than|over|upwards\s+of)\s+|"
     r"(?:about|nearly|almost|some|around|roughly|close\s+to)\s+)?" + _NUM + r"\s+" + _UNIT + r"\b",
     _for_span),
    # "the three-year siege", "a two-month-long occupation": a span up to the report,
    # named by its length (its start is what ``start_of_span`` gives)
    (r"\b(?:(?P<more>more\s+than|over)\s+|(?:about|nearly|almost|some)\s+)?"
     r"(?P<num>\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)[- ]"
     r"(?P<unit>day|week|month|year)(?:[- ]long|[- ]old)?(?=\s+(?:[\w-]+\s+)?(?:siege|"
     r"occupation|rule|blockade|encirclement|control|war|battle|campaign|offensive)\b)",
     _for_span),
    (r"\b(?:the\s+)?(?P<season>spring|summer|autumn|fall|winter)\s+of\s+(?P<year>(?:19|20)\d\d)\b", _year),
    (r"\b(?:(?P<part2>the end of|the beginning of|the start of|the middle of)\s+)(?P<year>(?:19|20)\d\d)\b(?![-/]\d)", _year),
    (r"\b(?:in|during|by|of|until|throughout)\s+(?:(?P<part>early|mid|late)[- ])?(?P<year>(?:19|20)\d\d)\b(?![-/]\d)", _year),
    (r"\b(?:(?P<last>last|this past)\s+|(?:this|on)\s+)?" + _WEEKDAY + r"(?:\s+(?:night|morning|afternoon|evening))?\b", _weekday),
    (r"\b(?P<rel>yesterday|earlier today|today|tonight|this morning|this afternoon|this evening|last night|the previous day|the day before)\b", _relative_day),
    (r"\b(?:about\s+|some\s+|nearly\s+|almost\s+|more than\s+)?" + _NUM + r"\s+" + _UNIT + r"\s+ago\b", _ago),
    (r"\b(?:in|over|during|within)\s+the\s+(?:past|last)\s+(?:" + _NUM + r"\s+)?" + _UNIT + r"\b", _past_span),
    (r"\b(?:(?P<more>more\s+than|over)\s+|(?P<less>less\s+than|under)\s+|(?:just|only|some|about|"
     r"nearly|almost|around)\s+)?" + _NUM + r"\s+" + _UNIT + r"\s+(?:after|since)\b", _units_after),
    (r"\b(?P<num>(?:a\s+)?few|several|some)?\s*(?P<unit>day|week|month)s\s+(?:after|since)\b",
     _units_after),
    (r"\bearlier\s+(?:in|this)\s+(?:the\s+)?week\b", _earlier_in_week),
    (r"\b(?P<early>earlier\s+)?(?:(?P<part>early|mid|late)[- ])?(?P<which>last|this)\s+"
     r"(?P<unit>week|month|year)\b", _calendar_rel),
    (r"\b(?:in|over|during)\s+(?:the\s+)?recent\s+(?P<num>few\s+)?(?P<unit>day|week|month)s\b", _recent),
    (r"\b(?P<last>last\s+)?(?:at\s+|over\s+)?the\s+weekend\b", _weekend),
]]


#: Every rule needs one of these words or a digit: a sentence without any has no date, and
#: the ~25 rules need not run over it.
_DATE_CUE = WordCue((
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec", "mon",
    "tue", "wed", "thu", "fri", "sat", "sun", "yesterday", "today", "tonight", "ago", "last",
    "this", "past", "week", "month", "year", "recent", "previous", "day", "since", "earlier",
    "spring", "summer", "autumn", "fall", "winter", "early", "mid", "late", "end",
    "beginning", "start", "middle", "for"))


def find_dates(text: str, published: date | None) -> list[DateMention]:
    """All date expressions in ``text``, leftmost-longest, never overlapping, never after
    ``published`` (intervals are cut at it; an expression wholly after it is dropped)."""
    if len(text) > _MEMO_CHARS:              # a whole text, not a sentence: not kept
        return list(_find_dates.__wrapped__(text, published))
    return list(_find_dates(text, published))


def forget_dates() -> None:
    """Drop the remembered sentences (extraction does it before each article)."""
    _find_dates.cache_clear()


#: Sentences whose dates are remembered: extraction asks for one sentence's dates two or
#: three times (heading test, dates, places), and an upload that repeats a sentence (a
#: page of boilerplate) asks thousands of times.
_MEMO_SENTENCES = 4096
_MEMO_CHARS = 2000


@lru_cache(maxsize=_MEMO_SENTENCES)
def _find_dates(text: str, published: date | None) -> tuple[DateMention, ...]:
    if not _DATE_CUE(text):
        return ()
    found: list[DateMention] = []
    taken = DisjointSpans()
    for m, resolve in _SCAN.matches(text):
        if taken.overlaps(*m.span()):
            continue
        try:
            resolved = resolve(m, published)
        except (OverflowError, ValueError):
            # arithmetic past the calendar's ends (a publication date in year 1 or
            # 9999): that expression cannot be resolved, the others still are
            resolved = None
        if resolved is None:
            continue
        lo, hi, explicit = resolved[:3]
        span = resolved[3] if len(resolved) > 3 else ""
        if published is not None:
            if lo > published:          # a future date (or a site banner): not an event date
                taken.add(*m.span())
                continue
            hi = min(hi, published)
        a, b = m.span()
        text_span = text[a:b].strip()
        lead = len(text[a:b]) - len(text[a:b].lstrip())
        found.append(DateMention(a + lead, a + lead + len(text_span),
                                 text_span, lo, hi, explicit, span))
        taken.add(a, b)
    return tuple(sorted(found, key=lambda d: d.start))


#: The rules, each tried only where one of the words its matches start with stands.
_SCAN = RuleScan(_RULES)


def parse_date(value: str) -> date:
    """An ISO date (YYYY-MM-DD) or a full written date ("18 June 2017"); ValueError else."""
    value = value.strip()
    try:
        return date.fromisoformat(value)
    except ValueError:
        pass
    for pattern, resolve in _RULES[:3]:
        m = pattern.fullmatch(value)
        if m:
            resolved = resolve(m, None)
            if resolved:
                return resolved[0]
    raise ValueError(f"not a date: {value!r} (expected YYYY-MM-DD or e.g. 18 June 2017)")
