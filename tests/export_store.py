"""A small event store for the export tests, built from ``tests/factories.py``.

Three articles with distinct titles, events of three forces with distinct colours
(ISF blue, SDF yellow, US orange) in June 2016, so pictures can be checked by colour and
PDFs by source title.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

from geo.store import open_store
from tests.factories import make_article, make_event, make_evidence

TITLES = ("Iraqi forces push into Mosul outskirts", "SDF fighters advance on Raqqa",
          "Coalition strikes hit Tabqa bridge")
COLOURS = {"ISF": "#1f77b4", "SDF": "#e6c200", "US": "#ff7f0e"}
FIRST, LAST = date(2016, 6, 1), date(2016, 6, 30)


def build_export_store(path: Path) -> str:
    """Create the database at ``path``; returns its URL."""
    url = f"sqlite:///{path}"
    specs = [
        (TITLES[0], dict(town="Mosul", event_date=date(2016, 6, 3), event_type="Battles",
                         sub_event_type="Armed clash", actor1_force="ISF", actor2_force="IS",
                         control_to="")),
        (TITLES[0], dict(town="Qayyarah", event_date=date(2016, 6, 10), event_type="Battles",
                         sub_event_type="Armed clash", actor1_force="ISF", actor2_force="IS",
                         control_to="")),
        (TITLES[1], dict(town="Raqqa", event_date=date(2016, 6, 12), event_type="Battles",
                         sub_event_type="Armed clash", actor1_force="SDF", actor2_force="IS",
                         control_to="")),
        (TITLES[1], dict(town="Manbij", event_date=date(2016, 6, 20), event_type="Battles",
                         sub_event_type="Armed clash", actor1_force="SDF", actor2_force="IS",
                         control_to="")),
        (TITLES[2], dict(town="Tabqa", event_date=date(2016, 6, 25),
                         event_type="Explosions/Remote violence",
                         sub_event_type="Air/drone strike", actor1_force="US",
                         actor2_force="IS", control_to="")),
    ]
    with open_store(url) as store:
        for i, (title, spec) in enumerate(specs):
            article = make_article(text=f"Export test article {i}: {title}.", title=title,
                                   published=spec["event_date"])
            sentence = f"Fighting was reported in {spec['town']}."
            store.ingest(article, [make_event(evidence=[make_evidence(sentence=sentence)],
                                              **spec)])
    return url
