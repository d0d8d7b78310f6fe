"""The dashboard's background worker process: how it starts.

The Map page works out control and the events' popup details in one spawned worker
process (``pages.common``), started with the first page. Its imports are done when it
starts, so the first job does not pay for them while an analyst waits, and it ends when
the dashboard does. (A lower priority was tried: on a machine busy with other work,
control then took minutes to join the map, and no gain for the first map was measured.)
"""
from __future__ import annotations

import os
import threading
import time

from geo.core.startup import settled

#: Seconds between two looks at whether the dashboard that started the worker still runs.
PARENT_CHECK_S = 2.0


def start_worker() -> None:
    """Process initializer: leave with the dashboard, then import what every job needs,
    so the first job does not pay for the imports while the page waits."""
    _leave_with_parent(os.getppid())
    with settled():             # its imports are kept for good (geo.core.startup)
        import geo.control.history
        import geo.control.series
        import geo.maps.control_states
        import geo.maps.scrub
        import geo.store  # noqa: F401


def ready() -> bool:
    """A job that does nothing: submitted at start so the process starts at once."""
    return True


def _leave_with_parent(parent: int) -> None:
    """End this process when the dashboard that spawned it is gone. Why: a spawned pool
    worker holds both ends of its job queue, so it never sees the server stop and
    stayed behind, idle, after every dashboard (and every browser test) had ended."""
    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_S)
        os._exit(0)

    threading.Thread(target=watch, name="geo-worker-parent", daemon=True).start()
