"""The fuzz run (``make fuzz``): hostile inputs through every way data enters the product.

    .venv/bin/python tests/fuzz/run_fuzz.py                  # the full run (README figures)
    .venv/bin/python tests/fuzz/run_fuzz.py --articles 500 --rows 400 --names 200 \\
        --export-events 200 --no-cli                          # a quick look

What goes through (defaults; ``--seed`` makes every input reproducible):

* 10,000 article files through read + extract + store (``geo.ingest.process_uploads``);
* 4,000 mutated ACLED/UCDP rows (files of 10) through the importers and the store;
* 2,000 odd names through ``geo geocode``'s rows and CSV writer;
* 2,000 events with hostile text through the store and the CSV, GeoJSON, GeoPackage
  and KML exporters (files of 20 events);
* the command line: bad files, paths, dates, options and settings through every
  command, each in its own process (a traceback on stderr is a crash).

Each input runs in a worker process under a timeout: ``--timeout`` seconds (10), or 60 s
for an article over 1 MB (the issue's bound for extraction is 1 s per 100 KB and 60 s up
to the 10 MB limit). A worker past its time is killed and counted as a hang. Crashes,
hangs and broken promises are written to ``--out`` (``var/fuzz``) with the input and the
traceback; a summary table and ``report.json`` say what ran, how long, and the slowest
input of each kind. The exit status is 1 when anything crashed, hung or broke a promise.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.fuzz.generate import (  # noqa: E402
    Case,
    article_cases,
    csv_cases,
    hostile_texts,
    odd_names,
)

LARGE_ARTICLE = 1_000_000
LARGE_TIMEOUT = 60.0
EXPORT_BATCH = 20
WARM_UP_TIMEOUT = 300.0


@dataclass
class Task:
    kind: str                   # article | csv | name | export
    case: Case
    texts: list[str] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.case.data) + sum(len(t) for t in self.texts)


@dataclass
class Result:
    kind: str
    case_id: str
    subkind: str
    status: str
    seconds: float
    size: int
    detail: str = ""


def _worker(conn: Connection, memory_limit: int) -> None:
    """Run tasks from ``conn`` until it closes; answer (status, detail, seconds)."""
    if memory_limit:
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
    from tests.fuzz import harness
    while True:
        try:
            task: Task = conn.recv()
        except EOFError:
            return
        start = time.perf_counter()
        if task.kind == "article":
            outcome = harness.check_article(task.case)
        elif task.kind == "csv":
            outcome = harness.check_csv(task.case)
        elif task.kind == "name":
            outcome = harness.check_name(task.case)
        else:
            outcome = harness.check_exports(task.texts, task.case.case_id)
        conn.send((outcome.status, outcome.detail, time.perf_counter() - start))


class Pool:
    """Worker processes, one task each at a time, each task under its own deadline."""

    def __init__(self, n: int, memory_limit: int) -> None:
        self.ctx = mp.get_context("spawn")
        self.memory_limit = memory_limit
        self.workers: list[tuple[Any, Connection]] = [self._start() for _ in range(n)]

    def _start(self) -> tuple[Any, Connection]:
        parent, child = self.ctx.Pipe()
        proc = self.ctx.Process(target=_worker, args=(child, self.memory_limit), daemon=True)
        proc.start()
        child.close()
        return proc, parent

    def _warm(self, conns: list[Connection] | None = None) -> None:
        """Load the gazetteer, the parser and the store in workers before the clock
        matters (a restarted worker too: its first input must not pay for loading)."""
        warm = Task("article", Case("warm-up", "warm-up",
                                    b"Iraqi forces retook Hit on Thursday.\n"))
        conns = conns if conns is not None else [conn for _, conn in self.workers]
        for conn in conns:
            conn.send(warm)
        for conn in conns:
            if not conn.poll(WARM_UP_TIMEOUT):
                raise RuntimeError("a fuzz worker did not start")
            conn.recv()

    def _restart(self, i: int) -> None:
        proc, conn = self.workers[i]
        if proc.is_alive():
            proc.kill()
        proc.join()
        conn.close()
        self.workers[i] = self._start()
        self._warm([self.workers[i][1]])

    def run(self, tasks: Iterator[Task], timeout_for: Any) -> Iterator[Result]:
        self._warm()
        busy: dict[int, tuple[Task, float, float]] = {}
        pending = iter(tasks)
        exhausted = False
        while True:
            for i, (_, conn) in enumerate(self.workers):
                if i in busy or exhausted:
                    continue
                task = next(pending, None)
                if task is None:
                    exhausted = True
                    break
                conn.send(task)
                busy[i] = (task, time.perf_counter(), timeout_for(task))
            if not busy:
                return
            now = time.perf_counter()
            wait_for = max(0.01, min(start + limit - now for _, start, limit in busy.values()))
            ready = wait([self.workers[i][1] for i in busy], timeout=wait_for)
            for i in list(busy):
                proc, conn = self.workers[i]
                task, start, limit = busy[i]
                if conn in ready or conn.poll(0):
                    try:
                        status, detail, seconds = conn.recv()
                    except (EOFError, ConnectionError):
                        proc.join(timeout=5)
                        status, detail, seconds = ("crash", f"worker died (exit code "
                                                   f"{proc.exitcode}: killed by the memory "
                                                   f"limit or a signal)",
                                                   time.perf_counter() - start)
                        self._restart(i)
                    del busy[i]
                    yield Result(task.kind, task.case.case_id, task.case.kind, status,
                                 seconds, task.size, detail)
                elif time.perf_counter() - start > limit:
                    seconds = time.perf_counter() - start
                    self._restart(i)
                    del busy[i]
                    yield Result(task.kind, task.case.case_id, task.case.kind, "hang",
                                 seconds, task.size, f"no answer after {limit:g} s")

    def close(self) -> None:
        for proc, conn in self.workers:
            conn.close()
            proc.join(timeout=10)
            if proc.is_alive():
                proc.kill()


def tasks(args: argparse.Namespace) -> Iterator[Task]:
    """Every input, interleaved by kind so a partial run still covers them all."""
    seed = args.seed
    streams: list[Iterator[Task]] = [
        (Task("article", c) for c in article_cases(args.articles, seed)),
        (Task("csv", c) for c in csv_cases(args.rows, seed + 1)),
        (Task("name", c) for c in odd_names(args.names, seed + 2)),
        _export_tasks(args.export_events, seed + 3),
    ]
    streams = [s for s, kind in zip(streams, ("article", "csv", "name", "export"))
               if not args.only or kind in args.only]
    while streams:
        for stream in list(streams):
            task = next(stream, None)
            if task is None:
                streams.remove(stream)
            else:
                yield task


def _export_tasks(n: int, seed: int) -> Iterator[Task]:
    texts = list(hostile_texts(n, seed))
    for i in range(0, n, EXPORT_BATCH):
        yield Task("export", Case(f"export-{i // EXPORT_BATCH:05d}", "export", b""),
                   texts[i:i + EXPORT_BATCH])


def _save(out: Path, result: Result, task_data: bytes | None, suffix: str) -> None:
    folder = out / "failures" / result.kind
    folder.mkdir(parents=True, exist_ok=True)
    if task_data is not None:
        (folder / f"{result.case_id}{suffix}").write_bytes(task_data)
    (folder / f"{result.case_id}.{result.status}.txt").write_text(
        f"{result.status} after {result.seconds:.2f} s ({result.subkind}, "
        f"{result.size:,} bytes)\n\n{result.detail}\n", encoding="utf-8")


def summarise(results: list[Result]) -> list[str]:
    """The table printed at the end (and kept in the README)."""
    by_kind: dict[str, list[Result]] = defaultdict(list)
    for r in results:
        by_kind[r.kind].append(r)
    lines = ["| input | count | ok | refused (message) | crashes | hangs | broken promises "
             "| slowest |", "|---|---:|---:|---:|---:|---:|---:|---|"]
    labels = {"article": "articles (read + extract + store)",
              "csv": "ACLED/UCDP files of 10 mutated rows (import + store)",
              "name": "odd names (geo geocode)",
              "export": "batches of 20 hostile events (CSV, GeoJSON, GPKG, KML)",
              "cli": "bad files, paths, options, settings (every command)"}
    for kind in ("article", "csv", "name", "export", "cli"):
        rs = by_kind.get(kind, [])
        if not rs:
            continue
        counts = Counter(r.status for r in rs)
        slow = max(rs, key=lambda r: r.seconds)
        lines.append(f"| {labels[kind]} | {len(rs):,} | {counts['ok']:,} | "
                     f"{counts['refused']:,} | "
                     f"{counts['crash']:,} | {counts['hang']:,} | {counts['violation']:,} | "
                     f"{slow.seconds:.2f} s ({slow.case_id}, {slow.subkind}, "
                     f"{slow.size:,} B) |")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--rows", type=int, default=4_000)
    parser.add_argument("--names", type=int, default=2_000)
    parser.add_argument("--export-events", type=int, default=2_000)
    parser.add_argument("--no-cli", dest="cli", action="store_false")
    parser.add_argument("--only", nargs="*", choices=("article", "csv", "name", "export"),
                        help="only these kinds (and no command-line sweep)")
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--timeout", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=max(1, min(2, os.cpu_count() or 1)))
    parser.add_argument("--memory", type=int, default=4096,
                        help="address-space limit per worker in MB (0: none)")
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "fuzz")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)

    def timeout_for(task: Task) -> float:
        if task.kind == "article" and task.size > LARGE_ARTICLE:
            return max(args.timeout, LARGE_TIMEOUT)
        return args.timeout

    started = time.perf_counter()
    results: list[Result] = []
    payloads: dict[str, tuple[bytes, str]] = {}
    pool = Pool(args.workers, args.memory * 1024 * 1024)
    try:
        def remembered() -> Iterator[Task]:
            for task in tasks(args):
                payloads[task.case.case_id] = (task.case.data if task.kind != "export" else
                                               json.dumps(task.texts).encode(),
                                               task.case.suffix if task.kind != "export"
                                               else ".json")
                yield task
        for n, result in enumerate(pool.run(remembered(), timeout_for), start=1):
            results.append(result)
            data, suffix = payloads.pop(result.case_id)
            if result.status in ("crash", "hang", "violation"):
                _save(args.out, result, data, suffix)
                print(f"{result.status}: {result.case_id} ({result.subkind}) "
                      f"{result.detail.strip().splitlines()[-1][:160] if result.detail else ''}",
                      file=sys.stderr, flush=True)
            if n % 500 == 0:
                print(f"... {n:,} inputs, {time.perf_counter() - started:.0f} s",
                      file=sys.stderr, flush=True)
    finally:
        pool.close()
    if args.cli and not args.only:
        from tests.fuzz.cli_sweep import sweep
        for result in sweep(args.timeout * 6, args.workers):
            results.append(Result("cli", result.case_id, result.subkind, result.status,
                                  result.seconds, 0, result.detail))
            if result.status in ("crash", "hang"):
                _save(args.out, results[-1], None, "")
                print(f"{result.status}: {result.case_id}", file=sys.stderr, flush=True)
    table = summarise(results)
    elapsed = time.perf_counter() - started
    print("\n".join(table))
    print(f"\n{len(results):,} inputs in {elapsed:.0f} s with {args.workers} worker(s), seed "
          f"{args.seed}, timeout {args.timeout:g} s ({LARGE_TIMEOUT:g} s over 1 MB)")
    (args.out / "report.json").write_text(json.dumps({
        "seed": args.seed, "seconds": round(elapsed, 1), "workers": args.workers,
        "table": table,
        "results": [r.__dict__ | {"detail": r.detail[:2000]} for r in results
                    if r.status not in ("ok", "refused")],
        "slowest": [r.__dict__ | {"detail": ""} for r in
                    sorted(results, key=lambda r: -r.seconds)[:20]],
    }, indent=1), encoding="utf-8")
    bad = sum(1 for r in results if r.status in ("crash", "hang", "violation"))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
