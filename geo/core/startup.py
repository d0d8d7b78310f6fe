"""A long-running process's start: what it imports and builds first, it keeps.

Why: the dashboard's server imports most of its code (Streamlit, pandas, folium, the
map's modules) during the first page, and its worker process at its start: ~200,000
long-lived objects. Python's cyclic collector walks all of them in every full collection,
and the imports themselves set off many: 17 full collections of ~0.1 s CPU each during
the first map at 100,000 events, plus Streamlit's own after every page run, all holding
the interpreter lock while the browser waited for the map's scripts and data.

``settled()`` runs such a start without the collector, then freezes everything it left
(``gc.freeze``: the objects move to a generation no later collection walks). Later
collections only see what came after, and reference counting frees memory as usual. What
is frozen is never collected as a cycle: modules, classes and process-wide caches never
are anyway, and the start's own cyclic garbage (~1,000 objects after a first map at
100,000 events) is kept rather than collected, which would cost a full collection
(0.1 s CPU) on the first map's path.
"""
from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def settled() -> Iterator[None]:
    """Run the block without the cyclic collector; then freeze what it left and
    re-enable the collector if it was enabled on entry."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()
