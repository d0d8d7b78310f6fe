"""The dashboard's worker process (geo.maps.background): it does not outlive the dashboard."""
from __future__ import annotations

import os
import subprocess
import sys
import time

from tests.dashboard_server import PROJECT_DIR

#: A dashboard in miniature: starts the worker as pages.common does, reports its process
#: id, then ends abruptly (as a server stopped by a signal does).
_SERVER = """
import multiprocessing, os
from concurrent.futures import ProcessPoolExecutor
from geo.maps.background import ready, start_worker
if __name__ == "__main__":
    pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                               initializer=start_worker)
    assert pool.submit(ready).result()
    print(pool.submit(os.getpid).result(), flush=True)
    os._exit(0)
"""


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:                                   # a zombie waiting for init to reap it is gone
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(") ")[-1][:1] != "Z"
    except OSError:
        return False


def test_the_worker_leaves_when_the_dashboard_stops() -> None:
    out = subprocess.run([sys.executable, "-c", _SERVER], cwd=PROJECT_DIR, check=True,
                         capture_output=True, text=True, timeout=120)
    worker = int(out.stdout.strip())
    deadline = time.monotonic() + 60
    while _running(worker) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _running(worker), f"worker {worker} outlived the dashboard"
