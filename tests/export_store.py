"""A small event store for the export tests, built from ``tests/factories.py``.

Three articles with distinct titles, events of three forces with distinct colours
(ISF blue, SDF yellow, US orange) in June 2016, so pictures can be checked by colour and
PDFs by source title.
"""
from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from geo.core.forces import default_forces
from geo.store import open_store
from tests.factories import make_article, make_event, make_evidence

TITLES = ("Iraqi forces push into Mosul outskirts", "SDF fighters advance on Raqqa",
          "Coalition strikes hit Tabqa bridge")
COLOURS = {f: default_forces().colour(f) for f in ("ISF", "SDF", "US")}
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


#: The dense north of Iraq in November 2016 (the Mosul offensive): 34 towns within about
#: 150 km, many closer than their names are long at briefing scale (Mosul, Bazwaya,
#: Gogjali, Bartella, Qaraqosh, Karamlesh; Tel Keppe, Tel Skuf, Alqosh; Mosul Dam, Wana,
#: Aski Mosul). Approximate coordinates, enough for placement. The edge case for label
#: placement: names that cannot all sit beside their points.
NORTH_TOWNS: tuple[tuple[str, float, float], ...] = (
    ("Mosul", 36.340, 43.130), ("Mosul Dam", 36.630, 42.820), ("Tal Afar", 36.379, 42.449),
    ("Qaraqosh", 36.270, 43.380), ("Bartella", 36.353, 43.380), ("Bashiqa", 36.455, 43.350),
    ("Bahzani", 36.470, 43.380), ("Tel Keppe", 36.490, 43.120), ("Alqosh", 36.735, 43.095),
    ("Hamam al-Alil", 36.160, 43.260), ("Nimrud", 36.100, 43.330), ("Qayyarah", 35.800, 43.290),
    ("Gwer", 36.040, 43.480), ("Makhmur", 35.776, 43.580), ("Zumar", 36.770, 42.620),
    ("Badush", 36.400, 42.970), ("Shirqat", 35.510, 43.230), ("Erbil", 36.190, 44.010),
    ("Dohuk", 36.867, 42.990), ("Tel Skuf", 36.550, 43.070), ("Khorsabad", 36.510, 43.230),
    ("Bazwaya", 36.350, 43.300), ("Gogjali", 36.355, 43.240), ("Tal Abta", 35.930, 42.700),
    ("Ain Sifni", 36.690, 43.350), ("Aski Mosul", 36.520, 42.730), ("Wana", 36.560, 42.970),
    ("Al-Shura", 35.980, 43.130), ("Fadiliya", 36.440, 43.280), ("Karamlesh", 36.300, 43.400),
    ("Sinjar", 36.320, 41.880), ("Rabia", 36.800, 42.100), ("Tel Kaif Junction", 36.470, 43.160),
    ("Hammam al-Mosul Airport", 36.305, 43.150),
)
NORTH_DAY = date(2016, 11, 20)
#: A frame around Mosul that holds every town above.
NORTH_BBOX = (41.7, 35.45, 44.2, 36.95)
NORTH_FORCES = ("ISF", "PESH", "PMF", "US", "IS")


def build_north_store(path: Path, *, articles: int = 6) -> str:
    """Two to four events at each of ``NORTH_TOWNS`` in the 30 days to ``NORTH_DAY``,
    reported by ``articles`` articles (each covers every ``articles``-th town), so the
    map prints source numbers beside the places when ``articles`` is small."""
    url = f"sqlite:///{path}"
    reports: list[list[object]] = [[] for _ in range(articles)]
    for i, (name, lat, lon) in enumerate(NORTH_TOWNS):
        for k in range(2 + i % 3):
            force = NORTH_FORCES[(i + k) % len(NORTH_FORCES)]
            remote = (i + k) % 4 == 0
            reports[i % articles].append(make_event(
                location=name, latitude=lat + 0.004 * k, longitude=lon - 0.004 * k,
                place_id=f"test:north:{i}", country="Iraq", admin1="Nineveh",
                event_date=NORTH_DAY - timedelta(days=(i * 7 + k * 3) % 30),
                event_type="Explosions/Remote violence" if remote else "Battles",
                sub_event_type="Air/drone strike" if remote else "Armed clash",
                actor1_force=force, actor2_force="IS" if force != "IS" else "ISF",
                control_to="", notes=f"Fighting near {name}.",
                evidence=[make_evidence(sentence=f"Fighting was reported near {name}.")]))
    with open_store(url) as store:
        for j, events in enumerate(reports):
            article = make_article(text=f"North report {j}: fighting around Mosul.",
                                   title=f"Mosul offensive, report {j + 1}",
                                   published=NORTH_DAY - timedelta(days=j),
                                   url=f"https://news.example/mosul/{j + 1}")
            store.ingest(article, events)  # type: ignore[arg-type]
    return url
