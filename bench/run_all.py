"""Run every ``bench/bench_*.py`` in a fresh process and print what each reports.

Benchmarks measure speed; tests never assert timings. Record the figures in
bench/README.md together with the machine they ran on (printed first).
"""
from __future__ import annotations

import platform
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def machine() -> str:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import os
    return f"{model or platform.processor()} x {os.cpu_count()} cores, Python {platform.python_version()}"


def main(argv: list[str]) -> int:
    only = set(argv)
    print(f"machine: {machine()}")
    failed = 0
    for script in sorted(HERE.glob("bench_*.py")):
        if only and script.stem not in only and script.stem.removeprefix("bench_") not in only:
            continue
        print(f"== {script.stem}", flush=True)
        res = subprocess.run([sys.executable, str(script)], cwd=HERE.parent)
        failed += res.returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
