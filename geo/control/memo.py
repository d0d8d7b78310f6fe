"""Control series held in this process, one memo for all of them.

The dashboard's worker and the Events page ask for a series many times: the store's
kept series (``geo.control.cache.stored_series``, named by its key digest) and series
built from events in hand (``geo.control.history.control_series``, named by their
evidence). Both live here, so one bound holds the memory they keep.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from geo.control.series import ControlSeries

#: Series by name, oldest first.
_LOADED: dict[str, ControlSeries] = {}
#: Series kept at most (each tens of MB at thousands of places).
KEEP = 4


def remembered(name: str) -> ControlSeries | None:
    """The series this process keeps under ``name``, if any."""
    return _LOADED.get(name)


def remember(name: str, series: ControlSeries) -> None:
    """Keep ``series`` under ``name`` (the oldest goes beyond ``KEEP``)."""
    if name not in _LOADED and len(_LOADED) >= KEEP:
        _LOADED.pop(next(iter(_LOADED)))
    _LOADED[name] = series


def forget() -> None:
    """Forget every series (a test's new program)."""
    _LOADED.clear()
