"""A set of disjoint text spans with a logarithmic overlap test.

Why: finders that keep the first of overlapping matches ("leftmost rule wins, never
overlapping") asked, for each new match, whether it overlaps *any* span kept so far: a
scan of the list, quadratic in the matches of a text. A sentence of a thousand dates
("On 19 June 2016 On 19 June 2016 ...") made that the slowest step of extraction. Spans
kept this way never overlap, so sorted by start their ends are sorted too, and one
binary search answers.
"""
from __future__ import annotations

from bisect import bisect_left, insort


class DisjointSpans:
    """Half-open spans ``[start, end)`` of which no two overlap.

    Overlap is the test ``a < end and start < b`` (the one the finders used): spans that
    only touch do not overlap, and an empty span overlaps a span strictly around it."""

    __slots__ = ("_spans",)

    def __init__(self) -> None:
        self._spans: list[tuple[int, int]] = []

    def overlaps(self, start: int, end: int) -> bool:
        """Whether ``[start, end)`` overlaps a kept span."""
        # kept spans starting before ``end``; of those the last has the largest end
        k = bisect_left(self._spans, (end,))
        return k > 0 and self._spans[k - 1][1] > start

    def add(self, start: int, end: int) -> None:
        """Keep a span that overlaps none kept (the caller has checked)."""
        insort(self._spans, (start, end))

    def __len__(self) -> int:
        return len(self._spans)
