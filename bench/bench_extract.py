"""Extraction throughput: articles and words per second for ~600-word news articles.

The articles are built from the bundled seed texts (real news prose), cut into 600-word
pieces with a publication date, so the mix of places, forces and dates is realistic.
Run: ``python bench/bench_extract.py`` (or ``make bench``). Prints one line of figures.
"""
from __future__ import annotations

import json
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geo.core.forces import default_forces  # noqa: E402
from geo.core.records import Article  # noqa: E402
from geo.extract.pipeline import extract_article  # noqa: E402
from geo.extract.syntax import load_parser  # noqa: E402
from geo.geocode.gazetteer import default_gazetteer  # noqa: E402
from geo.read import read_bytes  # noqa: E402

WORDS_PER_ARTICLE = 600


def make_articles(n: int) -> list[bytes]:
    words: list[str] = []
    for f in sorted((ROOT / "data" / "articles").glob("*.txt")):
        words += f.read_text(encoding="utf-8").split()
    out = []
    for i in range(n):
        start = (i * 137) % max(1, len(words) - WORDS_PER_ARTICLE)
        body = " ".join(words[start:start + WORDS_PER_ARTICLE])
        out.append(f"Report number {i}\n\n4 June 2016\n\n{body}\n".encode())
    return out


def main() -> dict[str, float]:
    t0 = time.perf_counter()
    places, forces = default_gazetteer(), default_forces()
    load_parser()                     # the dependency parser is loaded before timing too
    load_s = time.perf_counter() - t0
    articles = make_articles(200)
    # warm-up on a few articles (regex compilation, caches)
    for raw in articles[:5]:
        extract_article(read_bytes(raw).article, places, forces)
    t0, c0 = time.perf_counter(), time.process_time()
    n_events = 0
    for raw in articles:
        art: Article = read_bytes(raw, published=date(2016, 6, 4)).article
        n_events += len(extract_article(art, places, forces).events)
    secs, cpu = time.perf_counter() - t0, time.process_time() - c0
    result = {"articles": len(articles), "words_per_article": WORDS_PER_ARTICLE,
              "seconds": round(secs, 3), "articles_per_s": round(len(articles) / secs, 1),
              "articles_per_cpu_s": round(len(articles) / cpu, 1),
              "parser": load_parser() is not None,
              "words_per_s": round(len(articles) * WORDS_PER_ARTICLE / secs),
              "events": n_events, "gazetteer_and_forces_load_s": round(load_s, 2)}
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
