"""Geocoding timings: gazetteer load, lookup throughput (cold and warm), mention scan.

    .venv/bin/python bench/bench_geocode.py [--names 3000] [--misspellings 600] [--runs 3]

Why these: the gazetteer is loaded by every command and by the dashboard (budget: under
2 s in a fresh process); lookups run once per place name an analyst or the extractor
asks for, cold the first time (no memo) and warm on repeats (memoised per process); the
mention scan runs over every article. Names: the dev set, a sample of gazetteer names
(Iraq and Syria), one-letter misspellings of some of them, and some of them in the query
forms reports use ("north of X", "X dam", "X, Iraq", "X and Y", ...; ``--forms``).
Prints a Markdown table.
"""
from __future__ import annotations

import argparse
import csv
import gzip
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))  # run as a plain script

from geo.core import paths  # noqa: E402
from geo.core.errors import GeocoderQueryError  # noqa: E402
from geo.geocode.gazetteer import Gazetteer  # noqa: E402
from geo.geocode.offline import GazetteerGeocoder  # noqa: E402

NEWS = ("IS militants seized Ramadi last Friday, and the Syrian Army entered Raqqa province "
        "from Isriya, in Hama province. Tabqa, which has a vital military airfield, fell on "
        "Sunday. He said in March that fighters from Deir ez-Zor reached al-Bab, Bab al-Hawa "
        "and the Iraq-Syria border near Albu Kamal, while Iraqi forces retook Hit and the "
        "Baiji oil refinery north of Tikrit and shelled Garma on the outskirts of Fallujah. ")


def cpu_model() -> str:
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return platform.processor() or "unknown"
    for line in out.splitlines():
        if line.startswith("Model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def load_seconds(cache_dir: str | None = None) -> float:
    """Gazetteer.load() in a fresh interpreter (imports included)."""
    redirect = (f"import geo.geocode.gazetteer as g; from pathlib import Path; "
                f"g.CACHE_DIR = Path({cache_dir!r}); ") if cache_dir else ""
    code = ("import time; t = time.perf_counter(); " + redirect +
            "from geo.geocode.gazetteer import Gazetteer; Gazetteer.load(); "
            "print(time.perf_counter() - t)")
    out = subprocess.run([sys.executable, "-c", code], cwd=PROJECT, capture_output=True,
                         text=True, check=True)
    return float(out.stdout.strip())


def misspell(name: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(name) - 1)
    letter = rng.choice("aeiourlnstkmdbh")
    return name[:i] + letter + name[i + 1:]


#: Query forms of strike reports and other datasets (the grammar's constructions).
FORMS = ("north of {}", "{} dam", "{}, Iraq", "{} and {}", "SE of {}", "{} outskirts",
         "{} (Syria)", "{} district", "20 km west of {}", "{}/{}", "near {}", "{} airbase")


def name_list(n_names: int, n_miss: int, n_forms: int = 0, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    with (PROJECT / "tests" / "eval" / "geocode-dev.csv").open(newline="") as fh:
        dev = [r["name"] for r in csv.DictReader(fh)]
    pool: list[str] = []
    with gzip.open(paths.GAZETTEER_FILE, "rt", encoding="utf-8") as fh:
        next(fh)
        for line in fh:
            f = line.split("\t")
            if f[3] in ("IQ", "SY"):
                pool.append(f[1])
    sample = rng.sample(pool, n_names)
    long_names = [s for s in sample if len(s) >= 6 and s.isascii()]
    misses = [misspell(s, rng) for s in rng.sample(long_names, min(n_miss, len(long_names)))]
    forms = [rng.choice(FORMS).format(rng.choice(sample), rng.choice(sample))
             for _ in range(n_forms)]
    return dev + sample + misses + forms


def _answer(geocoder: GazetteerGeocoder, name: str) -> bool:
    """One look-up as the CLI does it (a refused name is an answer too)."""
    try:
        return geocoder.geocode(name) is not None
    except GeocoderQueryError:
        return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--names", type=int, default=3000)
    parser.add_argument("--misspellings", type=int, default=600)
    parser.add_argument("--forms", type=int, default=600)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)

    Gazetteer.load()                      # make sure the disk cache exists
    cached = [load_seconds() for _ in range(args.runs)]
    with tempfile.TemporaryDirectory() as tmp:
        first = load_seconds(tmp)          # empty cache dir: builds the index from the .tsv.gz

    names = name_list(args.names, args.misspellings, args.forms)
    geocoder = GazetteerGeocoder(gazetteer=Gazetteer.load())
    t = time.perf_counter()
    resolved = sum(_answer(geocoder, n) for n in names)
    cold = time.perf_counter() - t
    warm_runs = []
    for _ in range(args.runs):
        t = time.perf_counter()
        for n in names:
            _answer(geocoder, n)
        warm_runs.append(time.perf_counter() - t)
    warm = min(warm_runs)

    gaz = geocoder.gazetteer
    text = NEWS * 200
    words = len(text.split())
    t = time.perf_counter()
    spans = gaz.find_mentions(text)
    scan = time.perf_counter() - t

    print(f"machine: {cpu_model()}, {platform.python_version()}")
    print("| measure | figure |")
    print("|---|---|")
    print(f"| Gazetteer.load(), fresh process, prepared index cached in var/cache "
          f"(median of {args.runs}) | {statistics.median(cached):.2f} s |")
    print(f"| Gazetteer.load(), fresh process, first run (builds and caches the index) | "
          f"{first:.2f} s |")
    print(f"| geocode cold (first lookup of each of {len(names):,} names, "
          f"{resolved:,} resolved) | {len(names) / cold:,.0f} names/s |")
    print(f"| geocode warm (repeat, best of {args.runs}) | {len(names) / warm:,.0f} names/s |")
    print(f"| find_mentions on English news ({words:,} words, {len(spans):,} mentions) | "
          f"{words / scan:,.0f} words/s |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
