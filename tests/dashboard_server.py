"""Start the real dashboard (``streamlit run app.py``) on a free port of 127.0.0.1.

Shared by the browser test and the browser benchmark so both run the app the same way:
headless, no usage statistics, no file watcher, offline tiles only.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_dashboard(db_url: str, log: Path, timeout: float = 60.0,
                    project_dir: Path = PROJECT_DIR) -> tuple[subprocess.Popen, str]:
    """The running app process and its URL, once ``/_stcore/health`` answers; the app's
    output goes to ``log``. Raises (and stops the process) if it never becomes healthy.
    ``project_dir``: the checkout whose ``app.py`` runs (a benchmark compares two)."""
    port = free_port()
    env = {**os.environ, "GEO_DATABASE_URL": db_url, "GEO_ONLINE_TILES": "false"}
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(project_dir / "app.py"),
             "--server.headless", "true", "--server.address", "127.0.0.1",
             "--server.port", str(port), "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none"],
            cwd=project_dir, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with status {proc.returncode}; see {log}")
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return proc, url
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    stop_dashboard(proc)
    raise TimeoutError(f"streamlit not healthy at {url} after {timeout} s; see {log}")


def stop_dashboard(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
