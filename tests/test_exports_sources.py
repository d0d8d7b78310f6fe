"""Sources of a briefing map: full references, numbered, honest about time.

Why: "says who?" is the first question in a briefing. The list must name outlet, title,
publication date and URL (or file) of every article whose events are drawn and of every
control claim in force on the map's date, and an article published after that date must
never be listed as standing behind the map (it is listed apart, as hindsight).
"""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from pypdf import PdfReader

from geo.exports.data import collect
from geo.exports.layout import ImageSize
from geo.exports.render import render
from geo.exports.snapshot import write_snapshot
from geo.exports.sources import Reference, References, number
from geo.exports.view import SnapshotView
from geo.store import open_store
from tests.factories import make_article, make_event, make_evidence

DAY = date(2016, 6, 10)


def _store(tmp_path: Path) -> str:
    """Two articles about Fallujah in June 2016: one published on the 9th, one a year
    later (a retrospective that dates a clash to the 8th), and a file-only article."""
    url = f"sqlite:///{tmp_path / 'sources.sqlite'}"
    with open_store(url) as store:
        store.ingest(make_article(text="Report A on Fallujah.", title="Fighting in Fallujah",
                                  source_name="Wire A", published=date(2016, 6, 9),
                                  url="https://a.example/fallujah"),
                     [make_event(town="Fallujah", event_date=date(2016, 6, 9),
                                 sub_event_type="Armed clash", control_to="",
                                 evidence=[make_evidence(sentence="Clashes in Fallujah.")])])
        store.ingest(make_article(text="Retrospective on Fallujah.", title="A year after",
                                  source_name="Review B", published=date(2017, 6, 1),
                                  url="https://b.example/year-after"),
                     [make_event(town="Fallujah", event_date=date(2016, 6, 8),
                                 event_type="Violence against civilians",
                                 sub_event_type="Attack", control_to="",
                                 evidence=[make_evidence(sentence="Civilians were shot.")])])
        store.ingest(make_article(text="Local file on Ramadi.", title="Ramadi notes",
                                  source_name="", url="", path="/briefs/ramadi.txt",
                                  published=date(2016, 6, 7)),
                     [make_event(town="Ramadi", event_date=date(2016, 6, 7),
                                 sub_event_type="Armed clash", control_to="",
                                 evidence=[make_evidence(sentence="Ramadi clashes.")])])
    return url


def test_later_article_is_listed_apart_never_as_standing(tmp_path: Path) -> None:
    view = SnapshotView(day=DAY, window="days:10", curated=False)
    with open_store(_store(tmp_path)) as store:
        data = collect(view, store, ImageSize(900, 600, 100))
    sources = render(data, ImageSize(900, 600, 100)).sources
    # (the presumed seats and cities of the theatre stand behind it too: no document)
    standing = {s.ref.title for s in sources.standing if not s.ref.presumption}
    later = {s.ref.title for s in sources.later}
    assert standing == {"Fighting in Fallujah", "Ramadi notes"}
    assert later == {"A year after"}
    numbers = [s.number for s in sources]
    assert numbers == sorted(numbers) and numbers[-1] == len(sources)
    assert sources.later[0].number == len(sources)          # hindsight comes last
    lines = sources.lines()
    heading = next(i for i, line in enumerate(lines) if line.startswith("Published after"))
    assert "A year after" in lines[heading + 1]
    assert all("A year after" not in line for line in lines[:heading])


def test_pdf_names_outlet_title_date_and_url_or_file(tmp_path: Path) -> None:
    view = SnapshotView(day=DAY, window="days:10", curated=False)
    out = tmp_path / "brief.pdf"
    with open_store(_store(tmp_path)) as store:
        write_snapshot(view, out, store, size=ImageSize(900, 600, 100))
    text = "\n".join(p.extract_text() or "" for p in PdfReader(out).pages[1:])
    flat = " ".join(text.split())
    for piece in ("Wire A, 2016-06-09", "Fighting in Fallujah", "https://a.example/fallujah",
                  "file /briefs/ramadi.txt", "Published after 2016-06-10",
                  "Review B, 2017-06-01"):
        assert piece in flat, piece


def test_control_claims_in_force_cite_the_curated_timeline(tmp_path: Path) -> None:
    """Curated rows carry citations: a map of the Mosul area on 2016-06-10 lists the
    dated citation behind Makhmur's holder (Peshmerga since August 2014) with its URL,
    and Mosul's (an undated Wikipedia page) apart, as not shown to predate the map."""
    view = SnapshotView(day=DAY, window="day", bbox=(42.8, 35.6, 43.8, 36.6), curated=True)
    with open_store(f"sqlite:///{tmp_path / 'empty.sqlite'}") as store:
        data = collect(view, store, ImageSize(900, 600, 100))
    sources = data.sources_within(view.extent)
    def behind(place: str) -> list:
        return [s for s in sources if any(c.startswith(place + " (") for c in s.control_of)]

    (makhmur,) = behind("Makhmur")
    assert makhmur.ref.outlet and makhmur.ref.published and makhmur.ref.published <= DAY
    assert makhmur.ref.url.startswith("http") and not makhmur.later
    (mosul,) = behind("Mosul")
    assert mosul.ref.published is None and mosul.later


def test_numbers_follow_first_use_and_merge_events_and_claims() -> None:
    refs = References(
        documents={k: Reference(k, k.upper(), "Outlet", date(2016, 1, d))
                   for d, k in enumerate(("a", "b", "c"), start=1)},
        by_event={"e1": ("b",), "e2": ("a", "b")})
    from geo.exports.sources import ControlClaim

    claims = [ControlClaim("Hit", 42.8, 33.6, "ISF", "held", ("c", "a"))]
    listed = number(refs, date(2016, 2, 1), ["e1", "e2"], ["Ramadi", "Hit"], claims)
    assert [s.ref.key for s in listed] == ["b", "a", "c"]
    assert listed.numbers_by_event == {"e1": (1,), "e2": (1, 2)}
    a = listed.items[1]
    assert a.events_at == ("Hit",) and a.control_of == ("Hit (ISF)",)
    assert "Events at hit; control of hit (isf)" not in a.line()   # names keep their case
    assert "Events at Hit; control of Hit (ISF)." in a.line()


def test_a_holding_stated_in_passing_cites_its_article(tmp_path: Path) -> None:
    """A town held on the map only by a holding an article states in passing ("fleeing
    Islamic State-held Hit") lists that article among the sources: it is what the
    town's state rests on, though no event of it is drawn."""
    from geo.core.records import Holding

    url = f"sqlite:///{tmp_path / 'stated.sqlite'}"
    article = make_article(text="Families fled Islamic State-held Hit.", title="Exodus",
                           source_name="Wire H", published=date(2016, 3, 20),
                           url="https://h.example/exodus")
    with open_store(url) as store:
        store.ingest(article, [], [Holding(
            place_id="t:Hit", location="Hit", latitude=33.6417, longitude=42.8250,
            force="IS", date_min=date(2016, 3, 20), date_max=date(2016, 3, 20),
            country="IQ", sentence="Families fled Islamic State-held Hit.")])
        view = SnapshotView(day=date(2016, 3, 25), window="days:10", curated=False)
        data = collect(view, store, ImageSize(900, 600, 100))
    sources = render(data, ImageSize(900, 600, 100)).sources
    assert {s.ref.title for s in sources.standing if not s.ref.presumption} == {"Exodus"}


def test_presumed_places_name_their_basis(tmp_path: Path) -> None:
    """No report names Baghdad's or Karbala's holder: the map presumes them (rule 10),
    and the source list says so, as it names an article behind a reported town: the
    rule, the force table's row (the seat; what the government governs) and, for a
    city, its gazetteer row with its population. Standing behind the map (a
    presumption is no document published after it), in the PDF and the offline page
    too."""
    from pypdf import PdfReader

    view = SnapshotView(day=DAY, window="day", bbox=(43.4, 32.2, 44.9, 33.6), curated=False)
    with open_store(f"sqlite:///{tmp_path / 'empty.sqlite'}") as store:
        data = collect(view, store, ImageSize(900, 600, 100))
    sources = data.sources_within(view.extent)
    lines = sources.lines()
    seat = [s for s in sources if any(c.startswith("Baghdad (") for c in s.control_of)]
    city = [s for s in sources if any(c.startswith("Karbala (") for c in s.control_of)]
    assert len(seat) == 1 and len(city) == 1 and not seat[0].later and not city[0].later
    assert "data/forces.csv row ISF: seat wof:421178393 (Baghdad)" in seat[0].line()
    assert "rule 10 (docs/control.md)" in seat[0].line()
    line = city[0].line()
    assert "data/forces.csv row ISF: governs IQ" in line and "rule 10" in line
    assert re.search(r"Karbala \(ISF; gazetteer row [\w:]+, population [\d,]+\)", line), line
    assert all("date unknown" not in text for text in lines)
    pdf = tmp_path / "baghdad.pdf"
    with open_store(f"sqlite:///{tmp_path / 'empty.sqlite'}") as store:
        write_snapshot(view, pdf, store, size=ImageSize(900, 600, 100))
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(pdf).pages)
    assert "data/forces.csv row ISF: seat wof:421178393" in text
    page = tmp_path / "baghdad.html"
    with open_store(f"sqlite:///{tmp_path / 'empty.sqlite'}") as store:
        write_snapshot(view, page, store, size=ImageSize(900, 600, 100))
    assert "Basis: rule 10 (docs/control.md); data/forces.csv row ISF: seat wof:421178393" \
        in page.read_text(encoding="utf-8")


def test_a_presumed_place_names_its_basis_in_the_control_geojson() -> None:
    """``geo control``'s GeoJSON (and the offline page's popups) carry each place's
    history; a presumption's entry has a ``basis`` as a report's has a citation."""
    from geo.control.history import history_entry
    from geo.control.seats import city_events, seat_events
    from geo.core.forces import default_forces
    from geo.geocode.gazetteer import default_gazetteer

    forces = default_forces()
    seats, _ = seat_events(forces)
    karbala = [p for p in default_gazetteer().lookup("Karbala") if p.population > 250_000]
    entries = [history_entry(e) for e in (*seats, *city_events(forces, karbala[:1]))]
    assert all(e is not None and e["basis"].startswith("rule 10 (docs/control.md); ")
               for e in entries)
    assert "data/forces.csv row ISF: seat" in entries[0]["basis"]
    assert "data/gazetteer.tsv.gz row" in entries[-1]["basis"] and \
        "population" in entries[-1]["basis"] and "governs IQ" in entries[-1]["basis"]
