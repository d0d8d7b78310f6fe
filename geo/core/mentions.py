"""Mentions of an evidence sentence, checked and cut into segments for highlighting.

Why one module: the map popup (``geo.maps.events_layer``) and the Events page
(``geo.display.highlighted_markdown``) both highlight the place, date and actor of the
supporting sentence, and must agree on which mentions count. Offsets come from stored
JSON (``events.evidence_mentions``, written by extraction or by whatever imported the
database), so they are treated as untrusted: anything that is not a known kind with
integer offsets inside the sentence is dropped, and of overlapping mentions only the
first (earliest start, then longest) is kept, so the sentence is always shown whole and
exactly once.
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, NamedTuple

#: Kinds that are highlighted, in the order the legends list them. ``trigger`` mentions
#: (the verb of the event) are stored but not highlighted: the sentence is short.
HIGHLIGHT_KINDS: tuple[str, ...] = ("place", "date", "actor")


class Span(NamedTuple):
    """A mention to highlight: ``sentence[start:end]`` is of kind ``kind``."""

    kind: str
    start: int
    end: int


def _is_int(value: Any) -> bool:
    # bool is an int subclass; a JSON ``true`` is no offset.
    return isinstance(value, int) and not isinstance(value, bool)


def _fields(item: Any) -> tuple[Any, Any, Any] | None:
    """``(kind, start, end)`` of one stored mention (a dict as stored, a ``Mention``, or
    a ``[kind, start, end]`` list); None for anything else."""
    if isinstance(item, dict):
        return item.get("kind"), item.get("start"), item.get("end")
    if isinstance(item, (list, tuple)) and len(item) == 3:
        return item[0], item[1], item[2]
    if hasattr(item, "kind") and hasattr(item, "start") and hasattr(item, "end"):
        return item.kind, item.start, item.end
    return None


def parse_mentions(value: Any) -> list[Any]:
    """The mentions in ``value``: JSON text (as stored in ``evidence_mentions``) or an
    already decoded list. Anything unreadable is no mentions (a broken cell must not
    break a map or a page; the sentence is still shown, only unhighlighted)."""
    if isinstance(value, (bytes, bytearray)):
        value = value.decode("utf-8", errors="replace")
    if isinstance(value, str):
        if not value.strip():
            return []
        try:
            value = json.loads(value)
        except ValueError:          # json.JSONDecodeError is a ValueError
            return []
    if isinstance(value, (list, tuple)):
        return list(value)
    return []


def clean_mentions(sentence: str, mentions: Any) -> list[Span]:
    """The mentions of ``sentence`` that can be highlighted, in sentence order.

    Kept: a kind in ``HIGHLIGHT_KINDS``, integer offsets with
    ``0 <= start < end <= len(sentence)`` (code points, as extraction stores them).
    Of overlapping mentions the one starting first (then the longer) wins; the others
    are dropped, never nested or cut."""
    candidates: list[Span] = []
    for item in parse_mentions(mentions):
        got = _fields(item)
        if got is None:
            continue
        kind, start, end = got
        if kind not in HIGHLIGHT_KINDS or not (_is_int(start) and _is_int(end)):
            continue
        if 0 <= start < end <= len(sentence):
            candidates.append(Span(str(kind), int(start), int(end)))
    candidates.sort(key=lambda s: (s.start, -s.end, HIGHLIGHT_KINDS.index(s.kind)))
    kept: list[Span] = []
    for span in candidates:
        if kept and span.start < kept[-1].end:
            continue
        kept.append(span)
    return kept


def segments(sentence: str, mentions: Any) -> list[tuple[str, str]]:
    """``sentence`` cut into ``(text, kind)`` pieces, ``kind`` "" for plain text; the
    texts joined give the sentence back exactly."""
    out: list[tuple[str, str]] = []
    at = 0
    for span in clean_mentions(sentence, mentions):
        if span.start > at:
            out.append((sentence[at:span.start], ""))
        out.append((sentence[span.start:span.end], span.kind))
        at = span.end
    if at < len(sentence):
        out.append((sentence[at:], ""))
    return out


def utf16_spans(sentence: str, spans: Iterable[Span]) -> list[list[Any]]:
    """``[[kind, start, end], ...]`` with offsets in UTF-16 code units.

    Why: JavaScript strings index UTF-16 code units, Python code points; a character
    outside the Basic Multilingual Plane (an emoji in a quoted post) before a mention
    would shift every later highlight in the browser by one."""
    out: list[list[Any]] = []
    if all(ord(c) < 0x10000 for c in sentence):
        return [[s.kind, s.start, s.end] for s in spans]
    for s in spans:
        start = len(sentence[:s.start].encode("utf-16-le")) // 2
        end = start + len(sentence[s.start:s.end].encode("utf-16-le")) // 2
        out.append([s.kind, start, end])
    return out


__all__ = ["HIGHLIGHT_KINDS", "Span", "parse_mentions", "clean_mentions", "segments",
           "utf16_spans"]
