#!/usr/bin/env python3
"""Town-level control checks: who held a named town on a date (``make eval``).

Two files list dated facts about towns (the holder on a day well inside a period of
stable control, with the report that says so):

- ``tests/eval/control-facts-dev.csv``: the dev facts on well-known towns. Rules have
  been written after reading its misses; its line also splits it by town (every third
  town held back) to show how much of its score is fit.
- ``tests/eval/control-facts-check.csv``: the check set, written blind (before any
  answer of the tool was run on it): towns the dev articles name, across Iraq and Syria
  2014-2019, plus well-known towns no article names, where "unknown" is the honest
  answer from the articles alone. Check a rule on it; do not tune on it.

Each is answered by ``geo.control.facts.holder_of`` exactly as ``python -m geo control
--date D --place NAME`` answers, two ways:

- ``curated``: the bundled curated timeline alone (no store);
- ``extracted``: only the events extracted from the dev articles
  (``$GEO_SHARED_DIR/eval/dev/articles``, ingested once into a throwaway SQLite store),
  no curated rows: what the tool knows from reading the news.

A town the evidence does not name is answered from the territory around it. An answer
counts when its holder is the fact's (contested or unknown count as wrong). The line
also splits the answers: right, wrong (a holder asserted that is not the fact's) and
unknown/contested (no holder given), and how many asserted holders were right: a tool
that says "unknown" where it has no evidence is more useful than one that guesses.
Each file's last line scores the facts about towns the dev articles name.

``--facts PATH`` scores that one file instead of the two (with the by-town split).

``--judged`` scores instead the extracted-alone answers against the curated timeline on
town-days: every town of the curated timeline on the first day of every month of
2014-2019 where the curated timeline reports its holder (not the blind check set: the
curated timeline is the bundled record). It prints, per kind of answer (reported, stale:
rule 8's last holder, estimated from the land, around, presumed), how many asserted
holders were right, split by town (every third curated town held back as "check"): a
larger sample than the facts, for rules about kinds of answers.

usage: control_facts.py [--facts PATH] [--show] [--judged]
"""
from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from geo.control.curated import load_curated_timeline  # noqa: E402
from geo.control.facts import holder_of  # noqa: E402
from geo.control.series import ControlSeries  # noqa: E402


def read_facts(path: Path) -> list[tuple[str, date, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [(r["town"], date.fromisoformat(r["date"]), r["holder"])
                for r in csv.DictReader(handle)]


def score(series: ControlSeries, facts: list[tuple[str, date, str]], show: bool,
          label: str) -> tuple[float, str]:
    """The share of facts answered right, and the split of the answers (one line)."""
    right = wrong = 0
    for town, day, holder in facts:
        answer = holder_of(town, day, series)
        ok = answer.force == holder
        right += ok
        wrong += bool(answer.force) and not ok
        if show and not ok:
            kind = "wrong" if answer.force else "no holder"
            print(f"   [{label}] {kind}: {answer.describe()} (fact: {holder})")
    unknown = len(facts) - right - wrong
    given = right + wrong
    split = (f"{right} right, {wrong} wrong, {unknown} unknown or contested; "
             f"asserted holders right {right}/{given}")
    return (right / len(facts) if facts else 0.0), split


def split_by_town(facts: list[tuple[str, date, str]]
                  ) -> tuple[list[tuple[str, date, str]], list[tuple[str, date, str]]]:
    """(tune, check): every third town in the file's order is held back as the check
    part with all its facts, so a rule written after reading a tune fact is measured on
    towns it was not written for."""
    order = list(dict.fromkeys(t for t, _, _ in facts))
    held = {t for n, t in enumerate(order) if n % 3 == 2}
    return [f for f in facts if f[0] not in held], [f for f in facts if f[0] in held]


def dev_articles() -> Path | None:
    """The dev articles' folder, or None when ``GEO_SHARED_DIR`` does not hold them."""
    shared = os.environ.get("GEO_SHARED_DIR", "")
    articles = Path(shared) / "eval" / "dev" / "articles" if shared else None
    return articles if articles is not None and articles.is_dir() else None


def named_in_articles(facts: list[tuple[str, date, str]], articles: Path) -> set[str]:
    """The fact towns some dev article names (by the gazetteer's reading of the text,
    not by what extraction made of it): the subset the issue's check is about, "agrees
    with what the articles report for their towns". A town is named when a mention's
    place, candidates or spelling alternatives include the gazetteer town of the fact's
    name, or the mention's surface is the name."""
    from geo.control.facts import gazetteer_town
    from geo.geocode.gazetteer import default_gazetteer

    gazetteer = default_gazetteer()
    ids: set[str] = set()
    surfaces: set[str] = set()
    for path in sorted(articles.glob("*.txt")):
        for span in gazetteer.find_mentions(path.read_text(encoding="utf-8")):
            ids.update(p.place_id for p in (span.place, *span.candidates, *span.alternatives))
            surfaces.add(span.surface.casefold())
    named = set()
    for town in {t for t, _, _ in facts}:
        place = gazetteer_town(town)
        if town.casefold() in surfaces or (place is not None and place.place_id in ids):
            named.add(town)
    return named


def extracted_series() -> ControlSeries | None:
    """Events extracted from the dev articles (no curated rows), or None without them."""
    articles = dev_articles()
    if articles is None:
        return None
    from geo.control.sources import control_events
    from geo.ingest import load_places_and_forces, process_files
    from geo.store import open_store

    with tempfile.TemporaryDirectory() as tmp, open_store(str(Path(tmp) / "e.sqlite")) as st:
        places, forces = load_places_and_forces(st)
        process_files([articles], places, forces, store=st)
        events = control_events(None, st, curated=False)
    return ControlSeries(events)


def judged(curated: ControlSeries, extracted: ControlSeries) -> None:
    """Print the ``--judged`` table (see the module docstring)."""
    from collections import Counter

    names = sorted({ref.name for ref in curated.refs})
    held = {n for i, n in enumerate(names) if i % 3 == 2}
    days = [date(y, m, 1) for y in range(2014, 2020) for m in range(1, 13)]
    tally: Counter[tuple[str, str, bool]] = Counter()
    for name in names:
        part = "check" if name in held else "tune"
        for day in days:
            truth = holder_of(name, day, curated)
            if truth.basis != "reported" or truth.status not in ("held", "besieged"):
                continue
            answer = holder_of(name, day, extracted)
            kind = answer.status if answer.status == "stale" else answer.basis
            if not answer.force:
                kind = "no holder"
            tally[(part, kind, answer.force == truth.force)] += 1
    print(f"curated-judged town-days ({len(names)} curated towns, first of each month "
          "2014-2019, where the curated timeline reports the holder)")
    for kind in ("reported", "stale", "around", "presumed", "quiet", "road", "territory",
                 "no holder"):
        cells = []
        for part in ("tune", "check"):
            right, wrong = tally[(part, kind, True)], tally[(part, kind, False)]
            if kind == "no holder":
                cells.append(f"{part} {right + wrong}")
            else:
                share = f"{right / (right + wrong):.2f}" if right + wrong else "-"
                cells.append(f"{part} {right}/{right + wrong} right ({share})")
        print(f"  {kind:<10} " + "; ".join(cells))


DEV_FACTS = HERE / "control-facts-dev.csv"
CHECK_FACTS = HERE / "control-facts-check.csv"


def report(path: Path, curated: ControlSeries, extracted: ControlSeries | None, *,
           parts: bool, show: bool, note: str = "") -> None:
    """Print one fact file's lines: curated on, extracted alone, with ``parts`` the
    tune/check split by town, and the facts about towns the articles name."""
    facts = read_facts(path)
    print(f"control facts: {len(facts)} dated facts ({path.name}{note})")
    share, split = score(curated, facts, show, "curated")
    print(f"  curated timeline on:       {share:.2f} (aim >= 0.95; {split})")
    articles = dev_articles()
    if extracted is None or articles is None:
        print("  extracted events alone:    skipped (GEO_SHARED_DIR has no eval/dev/articles)")
        return
    share, split = score(extracted, facts, show, "extracted")
    print(f"  extracted events alone:    {share:.2f} (aim >= 0.85; "
          f"{len(extracted.keys)} places known from the articles; {split})")
    if parts:
        for part, chosen in zip(("tune part", "check part"), split_by_town(facts)):
            share, split = score(extracted, chosen, False, "extracted")
            towns = len({t for t, _, _ in chosen})
            print(f"    {part} (every third town held back): {share:.2f} ({len(chosen)} "
                  f"facts on {towns} towns; {split})")
    named = named_in_articles(facts, articles)
    subset = [f for f in facts if f[0] in named]
    share, split = score(extracted, subset, False, "extracted")
    print(f"    of which towns the articles name: {share:.2f} ({len(subset)} facts on "
          f"{len(named)} towns; {split})")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facts", type=Path, default=None,
                        help="score this fact file only (default: the dev and check sets)")
    parser.add_argument("--show", action="store_true", help="print the wrong answers")
    parser.add_argument("--judged", action="store_true",
                        help="judge the extracted-alone answers by the curated timeline")
    args = parser.parse_args(argv)
    curated = ControlSeries(load_curated_timeline())
    extracted = extracted_series()            # the articles are read once for both files
    if args.judged:
        if extracted is None:
            print("curated-judged town-days: skipped (GEO_SHARED_DIR has no eval/dev/articles)")
        else:
            judged(curated, extracted)
        return 0
    if args.facts is not None:
        report(args.facts, curated, extracted, parts=True, show=args.show)
        return 0
    report(DEV_FACTS, curated, extracted, parts=True, show=args.show)
    report(CHECK_FACTS, curated, extracted, parts=False, show=args.show,
           note=": the check set, written blind; not tuned on")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
