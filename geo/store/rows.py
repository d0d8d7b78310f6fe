"""Records <-> table rows: the one place that knows how an ``Event``, ``Article`` or
``Place`` is spelled in the database (ISO text dates, JSON mentions, derived columns).

Both backends store the same values (dates as ISO text, so ordering and the window test
are the same; numbers as 64-bit integers and doubles), so one conversion serves both.
"""
from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import fields
from datetime import date
from operator import attrgetter
from typing import Any

from geo.core import dedup
from geo.core.errors import InputError
from geo.core.records import EVENT_FIELDS, HOLDING_FIELDS, Article, Event, Holding, Mention, Place
from geo.store.query import search_text
from geo.store.schema import span, utc_now

ARTICLE_COLUMNS: tuple[str, ...] = ("article_id", "title", "published", "published_source",
                                    "source_name", "url", "path", "text")
PLACE_COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(Place))
AUDIT_COLUMNS: tuple[str, ...] = ("id", "change_id", "event_id", "at", "author", "field",
                                  "before", "after", "note")
_DATE_FIELDS = ("event_date", "date_min", "date_max")

#: Integers both databases store: 64-bit signed (SQLite INTEGER, PostgreSQL BIGINT).
INT64_MIN, INT64_MAX = -(2 ** 63), 2 ** 63 - 1


def check_storable(names: Iterable[str], values: Iterable[Any], where: str) -> None:
    """Refuse, with ``InputError`` naming the field, a value one of the databases cannot
    store as it is: text with a NUL character (PostgreSQL refuses it, SQLite keeps it and
    cuts it short in some functions), an integer beyond 64 bits (SQLite raises
    ``OverflowError``, PostgreSQL an out-of-range error), a NaN or infinite number.

    Why here: it is the last gate before the driver on both backends, so they agree on
    every input whatever checked it before; plausibility (a count of a million dead, a
    date in 2087) is for ``geo.core.validate``."""
    for name, value in zip(names, values):
        kind = type(value)
        if kind is str:
            if "\x00" in value:
                raise InputError(f"contains a NUL character (\\x00 at position "
                                 f"{value.index(chr(0))}), which cannot be stored; remove it "
                                 f"from the input", source=where, field=name)
        elif kind is int:
            if not INT64_MIN <= value <= INT64_MAX:
                # (str() of a number over 4,300 digits raises: count from the bits)
                digits = int((value.bit_length() - 1) * math.log10(2)) + 1
                raise InputError(f"a {digits:,}-digit number is beyond what can be stored "
                                 f"(64-bit integers, up to {INT64_MAX:,})", source=where,
                                 field=name)
        elif kind is float and not math.isfinite(value):
            raise InputError(f"{value!r} is not a number that can be stored", source=where,
                             field=name)


def check_event_storable(event: Event, where: str) -> None:
    """``check_storable`` over an event's fields, evidence and mentions."""
    check_storable(EVENT_FIELDS, (getattr(event, n) for n in EVENT_FIELDS), where)
    check_storable(("article_ids",) * len(event.article_ids), event.article_ids, where)
    for i, ev in enumerate(event.evidence, start=1):
        at = f"{where}, evidence {i}"
        check_storable(("article_id", "sentence", "sentence_start", "source_file"),
                       (ev.article_id, ev.sentence, ev.sentence_start, ev.source_file), at)
        for m in ev.mentions:
            check_storable(("mention kind", "mention start", "mention end", "mention text"),
                           (m.kind, m.start, m.end, m.text), at)


def unique(ids: Iterable[str]) -> list[str]:
    """Non-empty ids, first occurrence order."""
    return [i for i in dict.fromkeys(ids) if i]


def iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def audit_json(value: Any) -> str:
    """A before/after value as the audit trail stores it (JSON; dates as ISO text)."""
    return json.dumps(value.isoformat() if isinstance(value, date) else value,
                      ensure_ascii=False)


def audit_value(name: str, value: Any) -> Any:
    """An audited before/after value (decoded JSON) as the ``Event`` field holds it."""
    if name in _DATE_FIELDS and isinstance(value, str):
        return date.fromisoformat(value)
    return value


#: A mention's fields, in order: what ``dataclasses.asdict`` gives for it (its values are
#: plain strings and numbers), without its recursive deep copy, which was most of the
#: time of storing a long article's evidence.
_MENTION_FIELDS = tuple(f.name for f in fields(Mention))
_mention_values = attrgetter(*_MENTION_FIELDS)


def mentions_json(mentions: Iterable[Mention]) -> str:
    """Mentions as stored, in ``evidence.mentions`` and ``events.evidence_mentions`` alike
    (one encoder, so the derived column always equals its evidence row)."""
    return json.dumps([dict(zip(_MENTION_FIELDS, _mention_values(m))) for m in mentions],
                      ensure_ascii=False)


def column_value(event: Event, name: str) -> Any:
    """The database value of one ``Event`` field."""
    value = getattr(event, name)
    if name in _DATE_FIELDS:
        return iso(value)
    if name in ("time_precision", "geo_precision", "fatalities"):
        return int(value)
    if name in ("latitude", "longitude"):
        return None if value is None else float(value)
    if name == "confidence":
        return float(value)
    if name in ("review_status", "origin"):
        return getattr(value, "value", value)
    return value


def row_to_event(row: tuple[Any, ...]) -> Event:
    """An ``Event`` (no sources, no evidence) from a row of ``EVENT_FIELDS``."""
    values = dict(zip(EVENT_FIELDS, row))
    for name in _DATE_FIELDS:
        if values[name] is not None:
            values[name] = date.fromisoformat(values[name])
    return Event(**values)


def row_to_article(row: tuple[Any, ...]) -> Article:
    values = dict(zip(ARTICLE_COLUMNS, row))
    if values["published"]:
        values["published"] = date.fromisoformat(values["published"])
    return Article(**values)


def article_values(article: Article) -> list[Any]:
    """``ARTICLE_COLUMNS`` of an article (``ingested_at`` is the caller's)."""
    values = [getattr(article, c) for c in ARTICLE_COLUMNS]
    values[ARTICLE_COLUMNS.index("published")] = iso(article.published)
    return values


def new_sources(event: Event, extra_article_ids: Iterable[str] = ()
                ) -> tuple[list[str], dict[str, Any]]:
    """Article ids of a new event and the source-derived columns of its row."""
    ids = unique([*event.article_ids, *(e.article_id for e in event.evidence),
                  *extra_article_ids])
    first = event.evidence[0] if event.evidence else None
    return ids, {"n_sources": len(ids), "article_ids": ",".join(ids),
                 "evidence_sentence": first.sentence if first else "",
                 "source_file": first.source_file if first else "",
                 "evidence_mentions": mentions_json(first.mentions) if first else "[]"}


def derived(event: Event, sources: dict[str, Any] | None) -> dict[str, Any]:
    """The derived columns of an event's row (``schema.DERIVED_COLUMNS`` and
    ``updated_at``); ``sources`` carries the source-derived ones when they changed."""
    lo, hi = span(event.date_min, event.date_max, event.event_date)
    return {"span_lo": lo, "span_hi": hi,
            "event_class": dedup.event_class(event.event_type, event.sub_event_type),
            "search_text": search_text(event.location, event.actor1, event.actor2,
                                       event.notes),
            **(sources or {}), "updated_at": utc_now()}


def insert_row(event: Event, extra_article_ids: Iterable[str] = ()
               ) -> tuple[tuple[str, ...], tuple[Any, ...], list[str]]:
    """``(columns, values, article ids)`` of a new event's row (``created_at`` =
    ``updated_at``)."""
    ids, sources = new_sources(event, extra_article_ids)
    columns = derived(event, sources)
    columns["created_at"] = columns["updated_at"]
    return ((*EVENT_FIELDS, *columns),
            (*(column_value(event, name) for name in EVENT_FIELDS), *columns.values()), ids)


def evidence_rows(event_id: str, event: Event) -> list[tuple[Any, ...]]:
    """Rows of ``evidence`` (event_id, article_id, sentence, sentence_start, mentions,
    source_file) for an event's evidence."""
    return [(event_id, ev.article_id, ev.sentence, int(ev.sentence_start),
             mentions_json(ev.mentions), ev.source_file) for ev in event.evidence]


def place_from_confirmed(row: tuple[Any, ...]) -> Place:
    """A confirmed name's place from (place_id, place_name, latitude, longitude, country,
    admin1, place_type)."""
    return Place(row[0], row[1], float(row[2]), float(row[3]), row[4], row[5], row[6],
                 source="confirmed")


def audit_row(row: tuple[Any, ...]) -> dict[str, Any]:
    """An audit row (``AUDIT_COLUMNS``) as a dict, before/after JSON-decoded."""
    item = dict(zip(AUDIT_COLUMNS, row))
    item["before"], item["after"] = json.loads(item["before"]), json.loads(item["after"])
    return item


#: Columns of the ``holdings`` table, in ``Holding`` field order: the reading, without
#: the analyst's decision (kept in ``holding_reviews``, ``geo.store.holding_review``).
HOLDING_COLUMNS: tuple[str, ...] = tuple(f for f in HOLDING_FIELDS if f != "review_status")


def holding_values(holding: Holding) -> tuple[Any, ...]:
    """A holding as its row's values (dates as ISO text)."""
    return tuple(value.isoformat() if isinstance(value, date) else value
                 for value in (getattr(holding, name) for name in HOLDING_COLUMNS))


def holding_from_row(row: Iterable[Any]) -> Holding:
    values = dict(zip(HOLDING_COLUMNS, row))
    for name in ("date_min", "date_max"):
        values[name] = date.fromisoformat(str(values[name]))
    values["latitude"], values["longitude"] = float(values["latitude"]), float(values["longitude"])
    values["sentence_start"] = int(values["sentence_start"])
    return Holding(**values)
