"""Holdings stated in passing: "fleeing Islamic State-held Hit", "the IS stronghold of
Mosul", "Raqqa, the group's de facto capital", "Hawija, which is under the control of
the Islamic State".

Why: most of what the news says about who holds a town is not a report of a change but
a description of the town in a sentence about something else. These descriptions are
weaker than reported events (nothing happened on their day) but they are evidence of the
holder on the article's day, and the control series weighs them between reports and
estimates (``geo.control.claims.STATED``; docs/control.md, rule 9).

How a sentence is read: its force mentions (``ForceTable.find_mentions``, plus the words
of ``HELD_BY_WORDS`` before "-held") and its place mentions (the extractor's resolved
``PlaceHit``s) are masked as tokens ``⟨F0⟩`` and ``⟨P0⟩``, and each row of ``RULES`` (an
analyst-readable construction with an example sentence, pinned by
``tests/test_extract_holdings.py``) is a regular expression over the masked sentence with
the slots ``{F}`` (a force), ``{P}`` (a place) and ``{PLACES}`` (one or two places).
No rule names a place, a person or a date.

Guards, each general:
- a landmark of a distance or direction phrase ("east of Shirqat, which is under the
  control of ...") is not what the clause describes: skipped;
- "former", "once", "formerly", "ex-" before the construction, or "was"/"were"/"had
  been" before an apposition: the holding is over;
- the place is taken in the same sentence (one of the article's capture events is at
  it, from that sentence: "rebels seize IS-held Jarabulus"): the phrase names the
  holder *before* the capture, which the capture's event records; a place named only as
  the goal of an operation ("an offensive to retake Daesh-held Tal Afar") is still held;
- countries and provinces are not towns: skipped.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from geo.core.codebook import CAPTURE_SUB_EVENT_TYPES
from geo.core.dates import find_dates
from geo.core.forces import ForceTable
from geo.core.records import Article, Event, Holding
from geo.extract.events import COUNTRY_TYPES, PARTIAL_NOTE, REGION_TYPES, PlaceHit, Prepared

#: Words that name a holder only before "-held"/"-controlled" ("government-held Hasaka",
#: "rebel-held Aleppo"), each read as the force table reads the phrase beside it (a
#: government by the place's country); the force table's own aliases come first.
HELD_BY_WORDS: dict[str, str] = {
    "government": "government forces", "regime": "regime forces",
    "opposition": "opposition fighters", "rebel": "rebels", "kurdish": "Kurdish forces",
    "jihadist": "jihadists", "militant": "militants",
}

#: Adjectives between a force and "stronghold" / "capital".
_ADJ = (r"(?:main|last|key|major|biggest|largest|de[\s-]facto|self-declared|self-proclaimed|"
        r"remaining|final|northern|southern|eastern|western|nearby|urban|chief|"
        r"principal|strategic|former)")
_STRONGHOLD = r"(?:stronghold|bastion|capital|heartland)s?"
#: "the border town of", "the northern city of": a lowercase description of the place.
_NOUN_OF = (r"(?:(?:the|a|an)\s+)?(?:[a-z][\w-]*\s+){0,3}?(?:town|city|village|enclave|"
            r"stronghold|bastion|district|suburb|hub|outpost)s?\s+of\s+")
_POSSESSIVE = r"(?:'s?|’s?)"
#: "has been", "is", "remains still": a state that goes on to the sentence's day (never
#: "had been": over by then).
_BEEN = (r"(?:(?:has|have)\s+(?:[a-z]+\s+)?(?:been|remained|stayed)\s+|(?:is|are|remains?)\s+)?"
         r"(?:still\s+)?")
#: The holding began at a stated time and goes on ("since 2014", "ever since June").
_SINCE = r",?\s+(?:ever\s+)?since\b"


@dataclass(frozen=True)
class HoldingRule:
    """One construction: its id, how an analyst reads it, the regular expression over
    the masked sentence, an example sentence written for it (never copied from an
    article) and what the example yields ("FORCE @ place; ...")."""

    rule_id: str
    construction: str
    pattern: str
    example: str
    yields: str


RULES: tuple[HoldingRule, ...] = (
    HoldingRule("held-compound", "FORCE-held PLACE / FORCE-held town of PLACE "
                "(also -controlled, -occupied, -run)",
                r"{F}[\s-](?:held|controlled|occupied|run)\s+" + "(?:" + _NOUN_OF
                + r")?{PLACES}",
                "Families fleeing Islamic State-held Hit waited at a checkpoint.",
                "IS @ Hit"),
    HoldingRule("stronghold-of", "the FORCE stronghold (capital, bastion) [of] PLACE "
                "[and PLACE]",
                r"{F}" + _POSSESSIVE + r"?\s+(?:" + _ADJ + r"\s+){0,3}" + _STRONGHOLD
                + r"\s+(?:of\s+)?{PLACES}",
                "Wounded fighters were taken to the nearby IS strongholds of Hawija "
                "and Mosul.", "IS @ Hawija; IS @ Mosul"),
    HoldingRule("apposition-force-stronghold", "PLACE, the FORCE's stronghold / PLACE, "
                "the group's de facto capital",
                r"{PLACES},\s+(?:(?:the|an?|one\s+of\s+the|one\s+of)\s+)?{F}"
                + _POSSESSIVE + r"?\s+(?:" + _ADJ + r"\s+){0,3}" + _STRONGHOLD + r"\b",
                "Convoys of Islamic State fighters left Raqqa, the group's de facto "
                "capital, at dawn.",
                "IS @ Raqqa"),
    HoldingRule("apposition-stronghold-of-force", "PLACE, the stronghold (capital) of "
                "the FORCE",
                r"{PLACES},\s+(?:(?:the|an?|one\s+of\s+the)\s+)?(?:" + _ADJ + r"\s+){0,3}"
                + _STRONGHOLD + r"\s+of\s+(?:the\s+)?{F}",
                "The offensive is aimed at the city of Raqqa, the de facto capital of the "
                "Islamic State group.", "IS @ Raqqa"),
    HoldingRule("which-is-held-by", "PLACE, which is (still) held by / controlled by / "
                "under the control of FORCE; PLACE, which FORCE (still) holds / controls",
                r"{PLACES},?\s+(?:which|that)\s+(?:(?:is|are|remains?)\s+(?:still\s+)?"
                r"(?:(?:fully|firmly|entirely)\s+)?(?:under\s+(?:the\s+)?(?:control|rule)"
                r"\s+of\s+|(?:held|controlled|occupied|run)\s+by\s+)(?:the\s+)?{F}|"
                r"(?:the\s+)?{F}\s+"
                r"(?:(?:still|now)\s+)?(?:holds|controls|occupies|has\s+(?:held|controlled))"
                r"\b(?!\s+(?:since|for|until)\b))",
                "Fighters fled toward Hawija, which is under the control of the Islamic "
                "State.", "IS @ Hawija"),
    HoldingRule("apposition-held-by", "PLACE, (a town) (still) held by FORCE, ... / "
                "PLACE, under FORCE control, ...",
                r"{PLACES},\s+(?:(?:a|an|the)\s+(?:[a-z][\w-]*\s+){0,2}?(?:town|city|village)"
                r"\s+)?(?:still\s+|now\s+)?(?:(?:held|controlled|occupied)\s+by\s+"
                r"(?:the\s+)?{F}|under\s+(?:the\s+)?{F}" + _POSSESSIVE + r"?\s+(?:control|rule))"
                r"\s*[,;]",
                "Residents of Tal Afar, still held by Islamic State, were told to leave.",
                "IS @ Tal Afar"),
    HoldingRule("apposition-held-compound", "PLACE, the (last) FORCE-held town ...",
                r"{PLACES},\s+(?:(?:the|an?|one\s+of\s+the)\s+)?(?:" + _ADJ + r"\s+){0,3}"
                r"{F}[\s-](?:held|controlled|occupied|run)\s+(?:[a-z][\w-]*\s+){0,2}?"
                r"(?:town|city|village|enclave|district|stronghold)s?\b",
                "Troops massed outside Rawa, the last Daesh-held town on the river.",
                "IS @ Rawa"),
    HoldingRule("is-stronghold", "PLACE is (remains) the FORCE's (last) stronghold",
                r"{PLACES}\s+(?:is|remains)\s+(?:still\s+)?(?:(?:the|an?|one\s+of\s+the)\s+)?"
                r"(?:" + _ADJ + r"\s+){0,2}{F}" + _POSSESSIVE + r"?\s+(?:" + _ADJ
                + r"\s+){0,3}" + _STRONGHOLD + r"\b",
                "Officials say Mayadin is the militants' main stronghold in the province.",
                "IS @ Mayadin"),
    HoldingRule("in-hands", "PLACE is (remains) (still) in FORCE hands / in the hands "
                "of FORCE",
                r"{PLACES}\s+(?:is|are|remains?)\s+(?:still\s+|firmly\s+)?in\s+"
                r"(?:the\s+hands\s+of\s+(?:the\s+)?{F}|{F}" + _POSSESSIVE
                + r"?\s+hands\b)",
                "Anah remains in the hands of the Islamic State, a commander said.",
                "IS @ Anah"),
    HoldingRule("is-under-control", "PLACE is (remains) under FORCE control / under "
                "the control of FORCE",
                r"{PLACES}\s+(?:is|remains)\s+(?:still\s+)?(?:(?:fully|firmly|entirely)\s+)?"
                r"(?:under\s+(?:the\s+)?{F}\s+(?:control|rule)|under\s+(?:the\s+)?"
                r"(?:control|rule)\s+of\s+(?:the\s+)?{F}|(?:held|controlled)\s+by\s+"
                r"(?:the\s+)?{F})",
                "Manbij remains under the control of the Syrian Democratic Forces, a "
                "spokesman said.", "SDF @ Manbij"),
    HoldingRule("force-controls", "FORCE (, which) (still) holds / controls PLACE; FORCE "
                "is in (full) control of PLACE",
                r"{F},?\s+(?:(?:which|who|that)\s+)?(?:(?:still|now)\s+)?(?:holds?|controls?|"
                r"(?:is|are|remains?)\s+"
                r"(?:(?:still|now)\s+)?in\s+(?:full\s+)?control\s+of)\s+" + "(?:" + _NOUN_OF
                + r")?{PLACES}",
                "The Peshmerga still control Makhmour, officials said.",
                "PESH @ Makhmour"),
    # -- held since a stated time: the state goes on to the report's day. The start is
    # the capture the event extractor reads from the same words (trigger rows held_by,
    # under, holding: "X, under IS control since 2014" is IS's capture in 2014); the row
    # adds that the force still held the town on the report's day. Not "had been ...
    # since" (over by then) and not "was".
    HoldingRule("since-under", "PLACE, (which has been) under FORCE control since ... / "
                "PLACE has been (is, remains) under the control of FORCE since ...",
                r"{PLACES},?\s+(?:(?:which|that)\s+)?" + _BEEN + r"under\s+(?:the\s+)?"
                r"(?:{F}" + _POSSESSIVE + r"?\s+(?:control|rule|occupation)|(?:control|rule)"
                r"\s+of\s+(?:the\s+)?{F})" + _SINCE,
                "Makhmour, under Kurdish control since 2015, has taken in thousands of "
                "displaced families.", "PESH @ Makhmour"),
    HoldingRule("since-hands", "PLACE has been (is, remains) in FORCE hands / in the "
                "hands of FORCE since ...",
                r"{PLACES},?\s+(?:(?:which|that)\s+)?" + _BEEN + r"in\s+(?:the\s+hands\s+of"
                r"\s+(?:the\s+)?{F}|{F}" + _POSSESSIVE + r"?\s+hands)" + _SINCE,
                "Sinjar has been in Kurdish hands since November, a local official said.",
                "PESH @ Sinjar"),
    HoldingRule("since-held-by", "PLACE, (which has been) held (controlled, occupied, "
                "run) by FORCE since ...",
                r"{PLACES},?\s+(?:(?:which|that)\s+)?(?:(?:has|have)\s+been\s+)?(?:still\s+)?"
                r"(?:held|controlled|occupied|run|ruled)\s+by\s+(?:the\s+)?{F}" + _SINCE,
                "Rutba, held by the Islamic State since 2014, is the last town on the road "
                "to Jordan.", "IS @ Rutba"),
    HoldingRule("since-force-has-held", "FORCE has (have) held (controlled, occupied) "
                "PLACE since ...",
                r"{F},?\s+(?:(?:which|who|that)\s+)?(?:has|have)\s+(?:[a-z]+\s+)?(?:held|"
                r"controlled|occupied|ruled)\s+(?:" + _NOUN_OF + r")?{PLACES}" + _SINCE,
                "Islamic State militants have held the town of Hit since October 2014.",
                "IS @ Hit"),
    HoldingRule("since-which-force-has-held", "PLACE, which FORCE has (have) held "
                "(controlled) since ...",
                r"{PLACES},?\s+(?:which|that)\s+(?:the\s+)?{F}\s+(?:has|have)\s+"
                r"(?:[a-z]+\s+)?(?:held|controlled|occupied|ruled)" + _SINCE,
                "Families cannot leave Tal Afar, which the jihadists have controlled since "
                "2014.", "IS @ Tal Afar"),
    HoldingRule("since-stronghold", "PLACE has been (PLACE, which has been) the FORCE's "
                "stronghold (capital, hub) since ...",
                r"{PLACES},?\s+(?:(?:which|that)\s+)?(?:has|have)\s+been\s+(?:(?:the|an?|"
                r"one\s+of\s+the)\s+)?{F}" + _POSSESSIVE + r"?\s+(?:" + _ADJ + r"\s+){0,3}"
                r"(?:" + _STRONGHOLD + r"|hubs?)" + _SINCE,
                "Mosul has been the Islamic State's main hub since June 2014, officials say.",
                "IS @ Mosul"),
)

#: A capture with no known taker, in the sentence of a holding "since" a stated time,
#: that ended this close to the holding's day is news of the holding's end, not its start.
RECENT_DAYS = 31
#: The rows of a holding "since" a stated time: their day is the report's (the date
#: after "since" is when the holding began, not the day the sentence speaks of).
SINCE_RULES = frozenset(r.rule_id for r in RULES if r.rule_id.startswith("since-"))

#: The construction is over before the sentence's day ("the former IS stronghold of X").
_OVER_BEFORE = re.compile(r"\b(?:former|formerly|once|erstwhile|previously|ex)[\s-]+"
                          r"(?:\S+\s+){0,2}$", re.IGNORECASE)
#: An apposition in the past ("X was the IS stronghold"): over by the sentence's day.
_PAST_BEFORE = re.compile(r"\b(?:was|were|had\s+been|used\s+to\s+be)\s+(?:\S+\s+){0,2}$")

#: A word every rule holds: a sentence without one states no holding (checked first).
_CUES = re.compile(r"held|control|occupied|-run|stronghold|capital|bastion|heartland|hands|"
                   r"\bhub")


def _compile(rule: HoldingRule) -> re.Pattern[str]:
    # (not "Mosul's old city": a part of the town)
    places = r"⟨P(?P<p1>\d+)⟩(?:,?\s+and\s+⟨P(?P<p2>\d+)⟩)?(?!\s*['’]s\b)"
    pattern = rule.pattern.replace("{PLACES}", places)
    n = 0
    while "{F}" in pattern:          # one group per force slot: f0, f1, ...
        pattern = pattern.replace("{F}", rf"⟨F(?P<f{n}>\d+)⟩", 1)
        n += 1
    return re.compile(pattern)


def _force_index(m: re.Match[str]) -> int | None:
    for name, value in m.groupdict().items():
        if name[0] == "f" and value is not None:
            return int(value)
    return None


_COMPILED: tuple[tuple[HoldingRule, re.Pattern[str]], ...] = tuple(
    (rule, _compile(rule)) for rule in RULES)
#: ... and before "control", "rule", "hands" ("under Kurdish control", "in rebel hands").
_HELD_WORD = re.compile(r"\b(" + "|".join(HELD_BY_WORDS) + r")(?=-(?:held|controlled|"
                        r"occupied)\b|\s+(?:control|rule|hands)\b)", re.IGNORECASE)
#: "the group", "the militant group": the article's most prominent non-state force.
_GROUP = re.compile(r"\bthe\s+(?:(?:militant|jihadist|extremist|terrorist)\s+)?group\b")


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    force: str = ""
    hit: PlaceHit | None = None


def _force_spans(text: str, forces: ForceTable, group_force: str = "") -> list[_Span]:
    # "Islamic State-held": the alias matcher wants a word end, which "-" is not
    readable = re.sub(r"-(?=(?:held|controlled|occupied)\b)", " ", text)
    spans = [_Span(m.start, m.end, m.force_id) for m in forces.find_mentions(readable)]
    taken = [(s.start, s.end) for s in spans]
    for m in _HELD_WORD.finditer(text):
        if not any(a < m.end() and m.start() < b for a, b in taken):
            read = forces.find_mentions(HELD_BY_WORDS[m.group(1).lower()])
            if read:
                spans.append(_Span(m.start(), m.end(), read[0].force_id))
    if group_force:
        taken = [(s.start, s.end) for s in spans]
        for m in _GROUP.finditer(text):
            if not any(a < m.end() and m.start() < b for a, b in taken):
                spans.append(_Span(m.start(), m.end(), group_force))
    return spans


def _is_town(hit: PlaceHit) -> bool:
    return hit.place.place_type not in COUNTRY_TYPES | REGION_TYPES


def _landmark(hit: PlaceHit) -> bool:
    """A landmark of a direction phrase ("the hills east of Shirqat"), or a name placed
    only near another: a clause after it describes the place the phrase locates, not
    the landmark. (A destination, "fled toward Hawija, which is held by ...", is the
    clause's own place.)"""
    return hit.direction or hit.near


def _mask(text: str, spans: list[_Span]) -> tuple[str, list[_Span]]:
    """The sentence with each span replaced by its token; overlapping spans: the longer
    one stays (a place inside a force's name, "Iraqi", is not a place)."""
    kept: list[_Span] = []
    for span in sorted(spans, key=lambda s: (-(s.end - s.start), s.start)):
        if all(span.end <= k.start or k.end <= span.start for k in kept):
            kept.append(span)
    kept.sort(key=lambda s: s.start)
    out, pos, n_f, n_p = [], 0, 0, 0
    order: list[_Span] = []
    for span in kept:
        out.append(text[pos:span.start])
        if span.hit is None:
            out.append(f"⟨F{n_f}⟩")
            n_f += 1
        else:
            out.append(f"⟨P{n_p}⟩")
            n_p += 1
        order.append(span)
        pos = span.end
    out.append(text[pos:])
    return "".join(out), order


def _taken_here(hit: PlaceHit, holder: str, taken: Mapping[str, Mapping[str, date]], *,
                since: date | None = None) -> bool:
    """The sentence reports the place taken from the holder ("rebels seize IS-held
    Jarabulus": one of its capture events is at the place and gives it to another
    force): the holding it names ended then. A capture by the holder itself ("the ISIS
    capital of Raqqa, a city seized by the Islamic State in 2013") began it; a place named
    only as the goal of an operation ("to retake Daesh-held Tal Afar") is still held.
    ``since``: the day of a holding since a stated time, whose start the event extractor
    reads as a capture from the same words, with no taker when it does not read the
    holder ("under Kurdish control since 2015"): a capture with no taker that ended
    more than ``RECENT_DAYS`` before that day began it too ("Rutba, held by IS since
    2014, fell on Tuesday" still ends it)."""
    takers = dict(taken.get(hit.place.place_id, {}))
    if since is not None and "" in takers and \
            (since - takers[""]).days > RECENT_DAYS:
        del takers[""]
    return not hit.objective and bool(set(takers) - {holder})


def captured_places(events: Iterable[Event]) -> dict[int, dict[str, dict[str, date]]]:
    """The places each sentence (by its offset in the article) reports taken, with the
    forces that took them ("" when no taker is known) and the latest day each capture
    may have happened: the captures among the article's events (not a partial one:
    "captured neighbourhoods outside IS's de facto capital of Raqqa" leaves Raqqa to
    IS)."""
    out: dict[int, dict[str, dict[str, date]]] = {}
    for event in events:
        if event.sub_event_type in CAPTURE_SUB_EVENT_TYPES and event.place_id and \
                not event.notes.startswith(PARTIAL_NOTE):
            end = event.date_max or event.event_date or date.max
            for evidence in event.evidence:
                takers = out.setdefault(evidence.sentence_start, {}).setdefault(
                    event.place_id, {})
                takers[event.control_to] = max(takers.get(event.control_to, end), end)
    return out


def _as_of(prep: Prepared, published: date) -> tuple[date, date]:
    """The day a statement speaks of: the sentence's own day when it names exactly one
    (a photo caption's "In this March 20, 2016, photo"), else the article's."""
    days = [d for d in find_dates(prep.sent.text, published)
            if d.precision == 1 and d.explicit and d.date_max <= published]
    if len(days) == 1:
        return days[0].date_min, days[0].date_max
    return published, published


def holdings_in_sentence(prep: Prepared, forces: ForceTable, published: date, *,
                         group_force: str = "", article: Article | None = None,
                         taken: Mapping[str, Mapping[str, date]] | None = None
                         ) -> list[Holding]:
    """The holdings one prepared sentence states (see the module docstring); ``taken``:
    the places the sentence reports taken and by whom (``captured_places``)."""
    text = prep.sent.text
    if not _CUES.search(text):
        return []
    spans = _force_spans(text, forces, group_force)
    if not spans:
        return []
    spans += [_Span(h.start, h.end, hit=h) for h in prep.hits if _is_town(h)]
    masked, order = _mask(text, spans)
    forces_of = [s for s in order if s.hit is None]
    places_of = [s for s in order if s.hit is not None]
    found: dict[tuple[str, str], Holding] = {}
    as_of: tuple[date, date] | None = None             # the sentence's day, read once
    for rule, pattern in _COMPILED:
        for m in pattern.finditer(masked):
            before = masked[max(0, m.start() - 40):m.start()]
            if _OVER_BEFORE.search(before) or _PAST_BEFORE.search(before) or \
                    "former" in m.group(0):
                continue
            index = _force_index(m)
            force = forces_of[index].force if index is not None else ""
            if not force:
                continue
            for key in ("p1", "p2"):
                if m.group(key) is None:
                    continue
                hit = places_of[int(m.group(key))].hit
                assert hit is not None
                if rule.pattern.startswith("{PLACES}") and _landmark(hit):
                    continue
                holder = forces.local(force, hit.place.country)
                if holder not in forces or forces[holder].is_placeholder or \
                        _taken_here(hit, holder, taken or {},
                                    since=published if rule.rule_id in SINCE_RULES
                                    else None):
                    continue
                if rule.rule_id in SINCE_RULES:
                    start = end = published
                else:
                    if as_of is None:
                        as_of = _as_of(prep, published)
                    start, end = as_of
                holding = Holding(
                    place_id=hit.place.place_id, location=hit.place.name,
                    latitude=hit.place.latitude, longitude=hit.place.longitude,
                    force=holder, date_min=start, date_max=end, sentence=text,
                    sentence_start=prep.sent.start,
                    article_id=article.article_id if article is not None else "",
                    country=hit.place.country, construction=rule.rule_id,
                    source=(article.source_name or article.title) if article else "",
                    source_file=article.path if article is not None else "")
                found.setdefault((hit.place.place_id, holder), holding)
    return list(found.values())


def article_holdings(prepared: Sequence[Prepared], forces: ForceTable, article: Article,
                     events: Iterable[Event] = (), prominent: Sequence[str] = ()
                     ) -> list[Holding]:
    """Every holding the article's sentences state, one per (sentence, place, force).
    ``events``: the article's events (a place its sentence reports taken states no
    holding); ``prominent``: the article's forces by prominence; "the group's" stands
    for the most prominent non-state one. An undated article states nothing datable."""
    if article.published is None:
        return []
    group = next((f for f in prominent if f in forces and forces[f].kind == "non-state"), "")
    taken = captured_places(events)
    out: list[Holding] = []
    for prep in prepared:
        out.extend(holdings_in_sentence(prep, forces, article.published, group_force=group,
                                        article=article,
                                        taken=taken.get(prep.sent.start)))
    return out
