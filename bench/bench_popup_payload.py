"""Size of the control document the Map page fetches, with and without what a place's
popup needs beside the state (``geo.maps.control_states.popup_bases``: basis and sources
per state, review links), at a generated store of N events (``generate_events.py``).

    .venv/bin/python bench/bench_popup_payload.py [--events 100000] [--db FILE]

Prints bytes (raw and gzip, as a browser fetches it compressed or not) of the document
before (``series.to_json()`` + desert, as published before the popups' history) and
after (``browser_document``), the time ``popup_bases`` adds, and the share of places
with a review link. The popup's history adds nothing: it replays the states.
"""
from __future__ import annotations

import argparse
import copy
import gzip
import json
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))
sys.path.insert(0, str(PROJECT / "bench"))

from geo.control.cache import stored_series  # noqa: E402
from geo.maps.control_states import desert_document, popup_bases  # noqa: E402
from geo.maps.scrub import dumps  # noqa: E402
from geo.store import open_store  # noqa: E402


def sizes(document: dict) -> dict[str, int]:
    data = dumps(document)
    return {"bytes": len(data), "gzip": len(gzip.compress(data, 6))}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--db", type=Path, help="an existing store built by bench_browser "
                        "(build_database) instead of a new one")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.db:
            url = f"sqlite:///{args.db}"
        else:
            from bench_browser import build_database
            url = build_database(Path(tmp), args.events)
        with open_store(url, read_only=True) as store:
            t0 = time.perf_counter()
            series = stored_series(store)
            series_s = time.perf_counter() - t0
        before = dict(series.to_json())
        before["desert"] = desert_document(series)
        after = copy.deepcopy(before)
        t0 = time.perf_counter()
        popup_bases(series, after)
        bases_s = time.perf_counter() - t0
        n_changes = sum(1 for s in after["states"] for v in s["changes"].values() if v)
        result = {
            "events": args.events, "places": len(after["places"]),
            "change_points": len(after["dates"]), "place_changes": n_changes,
            "bases": len(after["bases"]),
            "places_with_review_link": sum(1 for p in after["places"] if "review" in p),
            "series_s": round(series_s, 1), "popup_bases_s": round(bases_s, 2),
            "before": sizes(before), "after": sizes(after)}
        result["added"] = {k: result["after"][k] - result["before"][k]
                           for k in ("bytes", "gzip")}
        print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
