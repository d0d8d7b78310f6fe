"""Writers in their own process, for the crash and concurrency tests.

    python -m tests.store_worker ingest|import URL SEED N

``ingest``: N articles of 3 events each (``sample_batches``), one transaction each;
``import``: one ``import_events`` of N events (``sample_events``), one transaction.
Prints "ready" once the store is open, "step K" as the work goes on (after each article;
during an import, at each progress report, i.e. inside its transaction) and "done" at the
end, so a test can kill the process in the middle of a write. The same work runs
in-process through ``write`` (the reference a killed run is compared with).
"""
from __future__ import annotations

import sys
from collections.abc import Callable

from geo.store import open_store
from geo.store.base import Store
from tests.factories import sample_batches, sample_events

EVENTS_PER_ARTICLE = 3


def write(store: Store, mode: str, seed: int, n: int,
          step: Callable[[int], None] = lambda k: None) -> None:
    """The work of one worker; idempotent (a resumed run skips what is stored)."""
    if mode == "ingest":
        for k, (article, events) in enumerate(
                sample_batches(n, EVENTS_PER_ARTICLE, seed=seed), start=1):
            store.ingest(article, events)
            step(k)
    elif mode == "import":
        store.import_events(sample_events(n, seed=seed),
                            on_progress=lambda done, total: step(done))
    else:
        raise ValueError(f"unknown mode {mode!r}")


def main(argv: list[str]) -> int:
    mode, url, seed, n = argv[0], argv[1], int(argv[2]), int(argv[3])
    with open_store(url) as store:
        print("ready", flush=True)
        write(store, mode, seed, n, step=lambda k: print(f"step {k}", flush=True))
    print("done", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
