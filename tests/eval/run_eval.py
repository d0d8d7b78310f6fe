#!/usr/bin/env python3
"""Score the extractor on the evaluation sets beside the checkout (``make eval``).

Why here and not in ``geo/``: the evaluation sets are third-party news that stay outside
the repository (in the shared folder named by ``GEO_SHARED_DIR``, a sibling of the checkout);
the product never reads them. This script runs the same code as ``python -m geo extract``
(``geo.ingest.process_files`` and the command's CSV rows) in one process, writes the CSV
the evaluation kit expects, and scores it with the kit's scorer (``tests/eval/score.py``,
a verbatim copy of ``shared/eval/score.py``).

Sets:
- ``seeds``: the five seed articles (``$GEO_SHARED_DIR/seeds``, gold ``eval/seeds-gold.jsonl``);
- ``dev-tune`` / ``dev-check``: the 45 dev articles split once, deterministically (see
  ``split_dev``): rules are developed on the tune part; the check part is scored now and
  then and its misses are not read article by article (``--show-check`` prints them);
- ``dev``: both parts together, as the issue's figures are measured.

usage: run_eval.py [--sets seeds,dev-tune,dev-check,dev] [--json] [--no-table] [--show-check]
"""
from __future__ import annotations

import argparse
import csv
import importlib.util
import io
import json
import os
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

ALL_SETS = ("seeds", "dev-tune", "dev-check", "dev")


def shared_dir() -> Path | None:
    """The shared folder named by ``GEO_SHARED_DIR``, or None when unset or absent."""
    value = os.environ.get("GEO_SHARED_DIR", "").strip()
    if not value:
        return None
    path = Path(value)
    return path if (path / "eval").is_dir() else None


def _scorer() -> Any:
    spec = importlib.util.spec_from_file_location("geo_eval_score", HERE / "score.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def split_dev(stems: list[str]) -> dict[str, str]:
    """Article stem -> "tune" or "check": every third article (sorted order) of each
    country group (``A_`` Iraq, ``B_`` Syria) is held back for checking, so both parts
    hold both theatres and every kind of story in the same proportion. Fixed once before
    the rules were written; never change it to move an article between the parts."""
    groups: dict[str, list[str]] = defaultdict(list)
    for stem in sorted(stems):
        groups[stem.split("_", 1)[0]].append(stem)
    out: dict[str, str] = {}
    for members in groups.values():
        for i, stem in enumerate(members):
            out[stem] = "check" if i % 3 == 2 else "tune"
    return out


def load_gold(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def extract_csv(files: list[Path]) -> str:
    """The CSV ``python -m geo extract FILES`` writes (same functions, one process)."""
    from geo.commands.extract import COLUMNS, event_row
    from geo.ingest import load_places_and_forces, process_files

    places, forces = load_places_and_forces()
    summary = process_files(files, places, forces)
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for outcome in summary.outcomes:
        if outcome.extraction:
            for ev in outcome.extraction.events:
                writer.writerow(event_row(ev))
    for o in summary.errors:
        print(f"error: {o.error}", file=sys.stderr)
    return buf.getvalue()


def _predictions(scorer: Any, csv_text: str, tmp: Path) -> list[dict[str, Any]]:
    tmp.write_text(csv_text, encoding="utf-8")
    return scorer.load_predictions(str(tmp))


def evaluate(sets: tuple[str, ...] = ALL_SETS, shared: Path | None = None) -> dict[str, Any]:
    """Score each requested set; returns {set: result} (the scorer's result plus
    ``per_article`` rows and the gold and predictions used)."""
    import tempfile

    shared = shared or shared_dir()
    if shared is None:
        return {}
    scorer = _scorer()
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir) / "pred.csv"
        if "seeds" in sets and (shared / "seeds").is_dir():
            files = sorted((shared / "seeds").glob("*.txt"))
            preds = _predictions(scorer, extract_csv(files), tmp)
            gold = load_gold(shared / "eval" / "seeds-gold.jsonl")
            out["seeds"] = _result(scorer, gold, preds)
        dev_sets = [s for s in sets if s.startswith("dev")]
        dev = shared / "eval" / "dev"
        if dev_sets and dev.is_dir():
            files = sorted((dev / "articles").glob("*.txt"))
            preds = _predictions(scorer, extract_csv(files), tmp)
            gold = load_gold(dev / "gold.jsonl")
            part = split_dev([f.stem for f in files])
            for name in dev_sets:
                keep = {s for s, p in part.items() if name == "dev" or p == name[4:]}
                out[name] = _result(scorer, [g for g in gold if g["article"] in keep],
                                    [p for p in preds if p["article"] in keep])
    return out


def _result(scorer: Any, gold: list[dict[str, Any]], preds: list[dict[str, Any]]) -> dict[str, Any]:
    res = scorer.score(gold, preds)
    pairs = scorer.match(gold, preds)
    by_article: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    matched_gold = {gi for gi, _, _ in pairs}
    matched_pred = {pi for _, pi, _ in pairs}
    for gi, g in enumerate(gold):
        if g["required"] and gi not in matched_gold:
            by_article[g["article"]]["missed"].append(
                f"{g['id']} {'/'.join(g['classes'])} {g['place']} {g.get('date_min') or ''}"
                f"..{g.get('date_max') or ''} {g.get('actor1', '-')}>{','.join(g.get('actors', []))}")
    arts = {g["article"] for g in gold}
    for pi, p in enumerate(preds):
        if p["article"] in arts and pi not in matched_pred:
            by_article[p["article"]]["false"].append(
                f"row {p['row']} {p['class']} {p['lat']:.2f},{p['lon']:.2f} {p['date']} "
                f"[{p['actors']}]" if p["lat"] is not None else f"row {p['row']} {p['class']}")
    for gi, pi, _ in pairs:
        ok = scorer.actor_ok(gold[gi], preds[pi])
        if ok is False:
            g, p = gold[gi], preds[pi]
            by_article[g["article"]]["actor"].append(
                f"{g['id']} {g['place']} gold {g.get('actor1', '-')}>{','.join(g.get('actors', []))}"
                f" got a1=[{p['actor1']}] all=[{p['actors']}]")
    res["per_article"] = {a: dict(v) for a, v in sorted(by_article.items())}
    return res


def summary_line(name: str, res: dict[str, Any]) -> str:
    return (f"{name:10s} F1={res['f1']:.3f} P={res['precision']:.3f} R={res['recall']:.3f} "
            f"actor_acc={res['actor_accuracy']:.3f} ({res['true_positives']}/"
            f"{res['required_gold']} required found, {res['false_positives']} false)")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sets", default=",".join(ALL_SETS))
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--no-table", action="store_true", help="scores only")
    parser.add_argument("--show-check", action="store_true",
                        help="also list the misses of the held-back check part")
    args = parser.parse_args(argv)
    sets = tuple(s for s in args.sets.split(",") if s)
    unknown = [s for s in sets if s not in ALL_SETS]
    if unknown:
        parser.error(f"unknown set(s) {unknown}; choose from {', '.join(ALL_SETS)}")
    shared = shared_dir()
    if shared is None:
        print("GEO_SHARED_DIR is unset or has no eval/ folder: no evaluation set to score "
              "(a fresh clone has none; `make eval` sets it when the shared folder exists)")
        return 0
    results = evaluate(sets, shared)
    if args.json:
        print(json.dumps({k: {kk: vv for kk, vv in v.items() if kk != "matched"}
                          for k, v in results.items()}, indent=2))
        return 0
    if not args.no_table:
        for name, res in results.items():
            if name in ("dev",) or (name == "dev-check" and not args.show_check):
                continue
            print(f"\n== {name}: misses (required gold not found), false events, wrong actors")
            for art, rows in res["per_article"].items():
                print(f"-- {art}")
                for kind in ("missed", "false", "actor"):
                    for r in rows.get(kind, []):
                        print(f"   {kind:6s} {r}")
        print()
    for name, res in results.items():
        print(summary_line(name, res))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
