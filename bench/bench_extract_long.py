"""Extraction time for long articles: 100 KB, 1 MB and 10 MB, dense and ordinary.

Why: one upload must not hold the dashboard for an hour. The aim (issue #15) is time
linear in the article's size, at most 1 s per 100 KB and 60 s for any article up to the
10 MB limit, under 1 GB of memory. Each size runs in a fresh process (with the parser
loaded, as in production) so the peak memory is that article's.

- *dense*: every sentence is full of event verbs, forces and places (the worst case for
  role finding and merging);
- *ordinary*: news-like prose, about one sentence in four reports an event.
The sentences are written for this benchmark (no third-party text); towns, forces, days
and numbers are drawn at random with a fixed seed, so no sentence repeats.

Run: ``python bench/bench_extract_long.py [sizes...]`` (or ``make bench``). ``seconds`` is
wall time, ``cpu_seconds`` this process's CPU time (less moved by other work on a shared
machine).
"""
from __future__ import annotations

import json
import os
import random
import resource
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SIZES = {"100KB": 100 * 1024, "1MB": 1024 * 1024, "10MB": 10 * 1024 * 1024}
TOWNS = ["Ramadi", "Fallujah", "Hit", "Baiji", "Mosul", "Sinjar", "Tikrit", "Kirkuk",
         "Raqqa", "Tabqa", "Manbij", "Palmyra", "Hasakah", "Kobani", "Jarabulus", "Afrin"]
FORCES = ["Iraqi forces", "Islamic State militants", "Kurdish fighters", "the SDF",
          "Syrian troops", "Turkish-backed rebels", "coalition warplanes", "Shiite militias"]
DAYS = ["on Monday", "on Tuesday", "last week", "in March", "on 4 June 2016", "yesterday"]

DENSE = ("{f1} seized {t1} from {f2} {d1}, shelled {t2}, attacked {t3} and captured {t4} "
         "while {f3} bombed {t5} and {f4} retook {t6} after clashes in {t7}.")
ORDINARY = [
    "Residents of {t1} said the markets had reopened and {n} schools were preparing for exams.",
    "The governor met {n} tribal leaders to discuss reconstruction and the return of families.",
    "Aid groups warned that water and electricity remained scarce in {n} districts.",
    "{f1} retook {t1} from {f2} {d1}, a military spokesman said.",
    "Analysts said the political crisis in the capital could delay {n} reconstruction projects.",
    "Prices of bread and fuel rose by {n} percent over the past month, traders said.",
    "A report by the United Nations counted {n} displaced families in camps.",
    "{f3} struck positions near {t2} {d1}, killing {n} fighters.",
]


def make_text(kind: str, size: int) -> str:
    """``size`` bytes of sentences; the words are drawn at random (fixed seed), so no
    sentence repeats another word for word, as in real reporting (extraction remembers
    what a sentence names within an article: a text that repeats would measure that)."""
    rng = random.Random(0)
    parts: list[str] = []
    total = 0
    i = 0
    while total < size:
        pick = {"t%d" % k: rng.choice(TOWNS) for k in range(1, 8)}
        pick.update({"f%d" % k: rng.choice(FORCES) for k in range(1, 5)})
        pick.update(d1=rng.choice(DAYS), n=str(rng.randint(3, 9999)))
        template = DENSE if kind == "dense" else ORDINARY[i % len(ORDINARY)]
        sentence = template.format(**pick)
        sentence = sentence[0].upper() + sentence[1:]
        parts.append(sentence)
        total += len(sentence) + 1
        i += 1
        if i % 6 == 0:
            parts.append("\n")
    return "A long report\n\n" + " ".join(parts)


def run_one(kind: str, label: str) -> dict[str, object]:
    from geo.core.forces import default_forces
    from geo.core.records import Article
    from geo.extract.pipeline import extract_article
    from geo.extract.syntax import load_parser
    from geo.geocode.gazetteer import default_gazetteer

    places, forces, parser = default_gazetteer(), default_forces(), load_parser()
    text = make_text(kind, SIZES[label])
    article = Article(text=text, published=date(2016, 6, 4))
    t0, c0 = time.perf_counter(), time.process_time()
    result = extract_article(article, places, forces, parser=parser or False)
    secs, cpu = time.perf_counter() - t0, time.process_time() - c0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"kind": kind, "size": label, "bytes": len(text.encode()), "seconds": round(secs, 2),
            "cpu_seconds": round(cpu, 2),
            "s_per_100KB": round(secs / (len(text.encode()) / 102400), 3),
            "events": len(result.events), "peak_rss_MB": round(peak_mb),
            "parser": parser is not None}


def main(argv: list[str]) -> int:
    if argv and argv[0] == "--one":
        print(json.dumps(run_one(argv[1], argv[2])))
        return 0
    labels = [a for a in argv if a in SIZES] or list(SIZES)
    env = dict(os.environ, GEO_EXTRACT_TIME_BUDGET="100000")   # measure, never stop
    failed = 0
    for label in labels:
        for kind in ("ordinary", "dense"):
            res = subprocess.run([sys.executable, __file__, "--one", kind, label],
                                 capture_output=True, text=True, env=env)
            if res.returncode:
                failed += 1
                print(json.dumps({"kind": kind, "size": label, "error": res.stderr[-500:]}))
            else:
                print(res.stdout.strip(), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
