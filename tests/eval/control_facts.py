#!/usr/bin/env python3
"""Town-level control checks: who held a named town on a date (``make eval``).

``tests/eval/control-facts-dev.csv`` lists dated facts about well-known towns (the
holder on a day well inside a period of stable control, with the report that says so).
They are answered by ``geo.control.facts.holder_of`` exactly as ``python -m geo control
--date D --place NAME`` answers, two ways:

- ``curated``: the bundled curated timeline alone (no store);
- ``extracted``: only the events extracted from the dev articles
  (``$GEO_SHARED_DIR/eval/dev/articles``, ingested into a throwaway SQLite store), no
  curated rows: what the tool knows from reading the news.

A town the evidence does not name is answered from the territory around it. An answer
counts when its holder is the fact's (contested or unknown count as wrong). The line
also splits the answers: right, wrong (a holder asserted that is not the fact's) and
unknown/contested (no holder given), and how many asserted holders were right: a tool
that says "unknown" where it has no evidence is more useful than one that guesses.

usage: control_facts.py [--facts PATH] [--show]
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


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facts", type=Path, default=HERE / "control-facts-dev.csv")
    parser.add_argument("--show", action="store_true", help="print the wrong answers")
    args = parser.parse_args(argv)
    facts = read_facts(args.facts)
    print(f"control facts: {len(facts)} dated facts ({args.facts.name})")
    curated, split = score(ControlSeries(load_curated_timeline()), facts, args.show,
                           "curated")
    print(f"  curated timeline on:       {curated:.2f} (aim >= 0.95; {split})")
    series = extracted_series()
    if series is None:
        print("  extracted events alone:    skipped (GEO_SHARED_DIR has no eval/dev/articles)")
    else:
        extracted, split = score(series, facts, args.show, "extracted")
        print(f"  extracted events alone:    {extracted:.2f} (aim >= 0.85; "
              f"{len(series.keys)} places known from the articles; {split})")
        for part, chosen in zip(("tune part", "check part"), split_by_town(facts)):
            share, split = score(series, chosen, False, "extracted")
            towns = len({t for t, _, _ in chosen})
            print(f"    {part} (every third town held back): {share:.2f} ({len(chosen)} "
                  f"facts on {towns} towns; {split})")
        articles = dev_articles()
        assert articles is not None                  # extracted_series found them
        named = named_in_articles(facts, articles)
        subset = [f for f in facts if f[0] in named]
        share, split = score(series, subset, False, "extracted")
        print(f"    of which towns the articles name: {share:.2f} ({len(subset)} facts on "
              f"{len(named)} towns; {split})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
