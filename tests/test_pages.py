"""The Events, Ingest and Places pages through AppTest, and the geo helpers behind them.

Each test builds its own small database in tmp_path (``map_database``) and points
``GEO_DATABASE_URL`` at it before the app runs; the store is then re-opened here to see
what the page wrote.
"""
from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import geopandas as gpd
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from geo.core import settings
from geo.core.codebook import ACLED_COLUMNS, GIS_LAYER
from geo.core.errors import InputError
from geo.core.forces import default_forces
from geo.core.validate import make_custom_place
from geo.display import markdown_literal
from geo.exports import gis
from geo.exports.acled import COLUMNS as ACLED_EXPORT_COLUMNS
from geo.exports.download import (
    DOWNLOAD_FORMATS,
    control_file_name,
    events_bytes,
    file_name,
)
from geo.geocode.offline import GazetteerGeocoder
from geo.imports.run import import_upload
from geo.ingest import (
    OUTCOME_COLUMNS,
    load_places_and_forces,
    pending_names,
    process_uploads,
)
from geo.review import Correction, correction_changes
from geo.store import EventFilter, open_store
from pages.common import LAST_INGEST
from tests.conftest import PROJECT_DIR, MapDatabase, run_app

APP = str(PROJECT_DIR / "app.py")
PAGES = ["pages/map.py", "pages/events.py", "pages/ingest.py", "pages/places.py"]

IMPORTS = Path(__file__).parent / "data" / "imports"

GOOD_ARTICLE = (b"Iraqi forces retook Fallujah from Islamic State militants on Sunday, "
                b"military officials said. The fighting lasted for several days and the "
                b"army said it had taken the centre of the town.\n")


_run = run_app


def _unescaped(markdown: str) -> str:
    """A message as the analyst reads it: data in it is markdown-escaped by the pages."""
    return re.sub(r"\\(.)", r"\1", markdown)


def _page(page: str, **params: str) -> AppTest:
    """The app switched to ``page`` (with URL query parameters), run, no exception."""
    at = _run(AppTest.from_file(APP, default_timeout=60))
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(page)
    return _run(at)


def _picked(at: AppTest) -> str:
    """The event chosen in the Events page's select box (its key changes after a write)."""
    boxes = [b for b in at.selectbox if b.label == "Event"]
    assert len(boxes) == 1
    return boxes[0].value


def _event_id(db: MapDatabase, location: str) -> str:
    with open_store(db.url) as store:
        frame = store.query_events(EventFilter(text=location))
    return str(frame["event_id"].iloc[0])


def _what_each_page_shows(at: AppTest, db: MapDatabase) -> dict[str, object]:
    return {
        "title": [t.value for t in at.title],
        "showing": [m.value.split(" from ")[0].split(" up to ")[0] for m in at.markdown
                    if m.value.startswith("**Showing")],
        "first table": len(at.dataframe[0].value) if len(at.dataframe) else None,
        "hints": [i.value for i in at.info] + [c.value for c in at.caption
                                                if c.value == "None yet."],
    }


#: Each page as an analyst first sees it with the small map database.
PAGE_VIEWS = {
    "pages/map.py": lambda db: {"title": [], "showing": [f"**Showing {db.n_events} events"],
                                "first table": None, "hints": []},
    "pages/events.py": lambda db: {"title": ["Events"],
                                   "showing": [f"**Showing {db.n_events} events"],
                                   "first table": db.n_events, "hints": []},
    "pages/ingest.py": lambda db: {
        "title": ["Ingest articles"], "showing": [], "first table": None,
        "hints": ["Choose one or more article files, then press Extract and store."]},
    "pages/places.py": lambda db: {"title": ["Places"], "showing": [], "first table": None,
                                   "hints": ["None yet."]},
}


@pytest.mark.parametrize("page", PAGES)
def test_every_page_shows_its_content_without_errors(app_env: MapDatabase, page: str) -> None:
    at = _page(page)
    assert not at.error and not at.warning, [e.value for e in [*at.error, *at.warning]]
    assert _what_each_page_shows(at, app_env) == PAGE_VIEWS[page](app_env)


@pytest.mark.parametrize("page,shows", [
    ("pages/events.py", lambda at, db: len(at.dataframe[0].value) == db.n_events),
    ("pages/places.py", lambda at, db: [t.value for t in at.title] == ["Places"]),
])
def test_pages_read_while_another_session_writes(app_env: MapDatabase, page: str,
                                                 shows: Callable) -> None:
    """Another analyst's long import holds the dashboard's writing store for its whole
    transaction; the pages read through their own read-only connection, so they show
    their content meanwhile instead of waiting for the import to end."""
    import threading

    from pages.common import get_store

    writer = get_store(app_env.url)               # the store every session writes through
    started, release = threading.Event(), threading.Event()

    def long_import(conn: object) -> None:
        started.set()
        release.wait(120)

    thread = threading.Thread(target=writer._write, args=("a long import", long_import))
    thread.start()
    try:
        assert started.wait(60)
        at = _page(page)                          # would time out behind the import
        assert not release.is_set() and thread.is_alive()      # still writing
        assert shows(at, app_env) and not at.error
    finally:
        release.set()
        thread.join(60)


def test_events_page_lists_and_describes(app_env: MapDatabase) -> None:
    at = _page("pages/events.py")
    shown = [m.value for m in at.markdown if m.value.startswith("**Showing")]
    assert shown and shown[0].startswith(f"**Showing {app_env.n_events} events from "
                                         f"{app_env.first} to {app_env.last}")
    assert len(at.dataframe[0].value) == app_env.n_events
    at.multiselect(key="events_forces").set_value(["IS"])
    _run(at)
    assert len(at.dataframe[0].value) == app_env.n_is


def test_events_page_follows_the_map_link(app_env: MapDatabase) -> None:
    event_id = _event_id(app_env, "Raqqa")
    at = _page("pages/events.py", event_id=event_id)
    assert _picked(at) == event_id
    # Evidence is shown as text: the hostile sentence is never rendered as markup.
    assert all("<script>" not in m.value for m in at.markdown)


def test_evidence_with_markup_is_plain_text(app_env: MapDatabase) -> None:
    at = _page("pages/events.py", event_id=_event_id(app_env, "Fallujah"))
    assert any("<script>" in c.value for c in at.code)      # st.code: shown, not run
    assert all("<script>" not in m.value for m in at.markdown)


def test_confirm_changes_status_and_audits(app_env: MapDatabase) -> None:
    event_id = _event_id(app_env, "Mosul")
    at = _page("pages/events.py", event_id=event_id)
    at.button(key="events_confirm").click()
    _run(at)
    assert not at.error, [e.value for e in at.error]
    assert any("confirmed" in s.value for s in at.success)
    with open_store(app_env.url) as store:
        assert store.get_event(event_id).review_status == "confirmed"
        trail = store.audit_trail(event_id)
    assert [(r["field"], r["before"], r["after"]) for r in trail] == [
        ("review_status", "machine", "confirmed")]


def test_the_name_typed_in_the_sidebar_signs_the_change(app_env: MapDatabase,
                                                       monkeypatch) -> None:
    """The server runs as one account for everybody: the analyst's own name, typed once
    in the sidebar (it starts as the author setting), is what the audit trail records."""
    monkeypatch.setenv("GEO_AUTHOR", "server-account")
    event_id = _event_id(app_env, "Mosul")
    at = _page("pages/events.py", event_id=event_id)
    box = at.text_input(key="audit_author_box")
    assert box.label == "Your name (audit trail)" and box.value == "server-account"
    box.input("Dana Analyst")
    _run(at)
    at.button(key="events_confirm").click()
    _run(at)
    assert at.text_input(key="audit_author_box").value == "Dana Analyst"   # kept
    with open_store(app_env.url) as store:
        [row] = store.audit_trail(event_id)
    assert row["author"] == "Dana Analyst"
    assert any("Dana Analyst" in _unescaped(b.label) for b in at.button
               if b.key and b.key.startswith("undo_"))


def test_the_event_label_follows_an_edit(app_env: MapDatabase) -> None:
    """The select box names the event as it is now, not as it was before the edit."""
    event_id = _event_id(app_env, "Tikrit")
    at = _page("pages/events.py", event_id=event_id)
    at.selectbox(key=f"edit_type_{event_id}").set_value("Battles")
    at.button(key="events_save").click()
    _run(at)
    box = next(b for b in at.selectbox if b.label == "Event")
    label = box.options[box.index]
    assert "Armed clash" in label and "[corrected]" in label and "Attack" not in label


def test_undo_button_restores_the_previous_values(app_env: MapDatabase, monkeypatch) -> None:
    """Each change in the audit trail has an undo button; the change and its undo name
    the analyst (the ``author`` setting), never a made-up "analyst"."""
    monkeypatch.setenv("GEO_AUTHOR", "maria")
    event_id = _event_id(app_env, "Palmyra")
    with open_store(app_env.url) as store:
        before = store.get_event(event_id)
        store.update_event(event_id, {"event_date": "2016-07-20"})
        [change] = {r["change_id"] for r in store.audit_trail(event_id)}
    at = _page("pages/events.py", event_id=event_id)
    at.button(key=f"undo_{event_id}_{change}").click()
    _run(at)
    assert not at.error, [e.value for e in at.error]
    assert any(f"Change {change} undone" in s.value for s in at.success)
    with open_store(app_env.url) as store:
        after = store.get_event(event_id)
        authors = {r["author"] for r in store.audit_trail(event_id)}
    assert (after.event_date, after.date_min, after.date_max, after.review_status) == (
        before.event_date, before.date_min, before.date_max, before.review_status)
    assert authors == {"maria"}


def test_correction_saves_typed_coordinates(app_env: MapDatabase) -> None:
    event_id = _event_id(app_env, "Tikrit")
    at = _page("pages/events.py", event_id=event_id)
    at.text_input(key=f"edit_lat_{event_id}").input("34.61")
    at.text_input(key=f"edit_lon_{event_id}").input("43.69")
    at.number_input(key=f"edit_fat_{event_id}").set_value(3)
    at.button(key="events_save").click()
    _run(at)
    assert not at.error, [e.value for e in at.error]
    with open_store(app_env.url) as store:
        event = store.get_event(event_id)
        fields = {r["field"] for r in store.audit_trail(event_id)}
    assert (event.latitude, event.longitude, event.fatalities) == (34.61, 43.69, 3)
    assert event.review_status == "corrected"
    assert {"latitude", "longitude", "fatalities", "review_status"} <= fields


@pytest.mark.parametrize("widget,value,field", [
    ("lat", "123", "latitude"),
    ("lat", "0", "latitude"),                          # 0,0: a missing coordinate
    ("date", date.today() + timedelta(days=3), "event_date"),
    ("date", "1900-01-01", "event_date"),              # before 1990, not confirmed
    ("date", "2015-02-30", "event_date"),              # no such day (not 2015-02-28)
])
def test_impossible_correction_is_refused(app_env: MapDatabase, widget: str, value: object,
                                          field: str) -> None:
    event_id = _event_id(app_env, "Mosul")
    with open_store(app_env.url) as store:
        before = store.get_event(event_id)
    at = _page("pages/events.py", event_id=event_id)
    if widget == "lat":
        at.text_input(key=f"edit_lat_{event_id}").input(str(value))
        at.text_input(key=f"edit_lon_{event_id}").input("40" if value != "0" else "0")
    else:
        at.text_input(key=f"edit_date_{event_id}").input(str(value))
    at.button(key="events_save").click()
    _run(at)
    assert at.error and field in _unescaped(at.error[0].value), [e.value for e in at.error]
    # The typed value is still in the form, and the page still works.
    if widget == "lat":
        assert at.text_input(key=f"edit_lat_{event_id}").value == value
    assert _picked(at) == event_id
    with open_store(app_env.url) as store:
        assert store.get_event(event_id) == before
        assert store.audit_trail(event_id) == []


def test_places_page_adds_a_custom_place(app_env: MapDatabase) -> None:
    at = _page("pages/places.py")
    at.text_input(key="places_name").input("Zakiyah crossroad")
    at.text_input(key="places_lat").input("36.41")
    at.text_input(key="places_lon").input("43.02")
    at.text_input(key="places_country").input("IQ")
    at.selectbox(key="places_type").set_value("crossroad")
    at.button(key="places_add").click()
    _run(at)
    assert not at.error, [e.value for e in at.error]
    with open_store(app_env.url) as store:
        places = store.custom_places()
    assert [(p.name, p.latitude, p.longitude, p.country, p.place_type) for p in places] == [
        ("Zakiyah crossroad", 36.41, 43.02, "IQ", "crossroad")]
    # The gazetteer look-up now finds it.
    at.text_input(key="places_lookup").input("Zakiyah crossroad")
    _run(at)
    assert "user:iq-zakiyah-crossroad" in list(at.dataframe[0].value["place_id"])


def test_places_page_lists_unsure_names_and_remembers_a_confirmation(
        app_env: MapDatabase) -> None:
    """A pasted name whose answer is flagged (homonyms close in score) is listed with its
    reason; confirming a candidate stores it, and the geocoder then answers with it."""
    at = _page("pages/places.py")
    at.text_area(key="places_review_names").input("Sukhnah\nRamadi\nXqorbantiya")
    _run(at)
    assert not at.error, [e.value for e in at.error]
    assert at.selectbox(key="places_review_pick_Sukhnah") is not None   # flagged
    markdown = " ".join(m.value for m in at.markdown)
    assert "Sukhnah" in markdown and "Xqorbantiya" in markdown and "Ramadi" not in markdown
    choices = at.selectbox(key="places_review_pick_Sukhnah").options
    at.selectbox(key="places_review_pick_Sukhnah").set_value(1)
    at.button(key="places_review_confirm_Sukhnah").click()
    _run(at)
    assert not at.error, [e.value for e in at.error]
    # The page follows at once: the name is settled, the message says so, the rest stays.
    assert any("Sukhnah = " in _unescaped(m.value) for m in at.success)
    names = [_unescaped(m.value) for m in at.markdown if m.value.startswith("**")]
    assert not any("Sukhnah" in n for n in names) and any("Xqorbantiya" in n for n in names)
    with open_store(app_env.url) as store:
        [(name, place)] = store.confirmed_names()
        assert name == "Sukhnah" and place.place_id in choices[1]
        answer = GazetteerGeocoder(store).geocode("Sukhnah")
    assert answer.place.place_id == place.place_id and not answer.review


def test_places_page_refuses_bad_coordinates(app_env: MapDatabase) -> None:
    at = _page("pages/places.py")
    at.text_input(key="places_name").input("Nowhere")
    at.text_input(key="places_lat").input("123")
    at.text_input(key="places_lon").input("43")
    at.button(key="places_add").click()
    _run(at)
    assert at.error and "latitude" in at.error[0].value
    with open_store(app_env.url) as store:
        assert store.custom_places() == []


def test_places_lookup_shows_candidates(app_env: MapDatabase) -> None:
    at = _page("pages/places.py")
    at.text_input(key="places_lookup").input("Mosul")
    _run(at)
    table = at.dataframe[0].value
    assert len(table) >= 1 and table["name"].iloc[0] == "Mosul"


# -- geo helpers ---------------------------------------------------------------------------
def test_process_uploads_keeps_going_after_bad_files(app_env: MapDatabase) -> None:
    limit = int(settings.get("max_article_bytes"))
    items = [("good.txt", GOOD_ARTICLE),
             ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200)),
             ("huge.txt", b"a" * (limit + 1))]
    seen: list[tuple[int, int, str]] = []
    with open_store(app_env.url) as store:
        places, forces = load_places_and_forces(store)
        summary = process_uploads(items, places, forces, store=store,
                                  published=date(2016, 6, 20),
                                  on_file=lambda i, n, o: seen.append((i, n, o.path)))
        n_articles = store.counts()["articles"]
    assert seen == [(1, 3, "good.txt"), (2, 3, "binary.txt"), (3, 3, "huge.txt")]
    good, binary, huge = summary.outcomes
    assert not good.error and good.extraction is not None and good.article_new
    assert "binary" in binary.error and binary.error.startswith("binary.txt")
    assert "limit" in huge.error and "max_article_bytes" in huge.error
    assert summary.articles == 1 and len(summary.errors) == 2
    assert n_articles == app_env.n_events + 1      # the fixture stores one article per event
    rows = summary.outcome_rows()                  # the Ingest page's table
    assert [tuple(r) for r in rows] == [OUTCOME_COLUMNS] * 3
    assert [r["file"] for r in rows] == ["good.txt", "binary.txt", "huge.txt"]
    assert rows[0]["events found"] == len(good.extraction.events) and not rows[0]["error"]
    assert rows[1]["error"] == binary.error and rows[1]["events found"] == 0
    # The stored events are known by id (the Ingest page links to each of them).
    with open_store(app_env.url) as store:
        assert good.event_ids and all(store.get_event(i) for i in good.event_ids)


def test_ingest_page_links_to_the_events_it_stored(app_env: MapDatabase) -> None:
    with open_store(app_env.url) as store:
        places, forces = load_places_and_forces(store)
        summary = process_uploads([("good.txt", GOOD_ARTICLE)], places, forces, store=store,
                                  published=date(2016, 6, 20))
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state[LAST_INGEST] = {"summary": summary, "unresolved": [], "ambiguous": []}
    _run(at)
    at.switch_page("pages/ingest.py")
    _run(at)
    links = [el for el in at.get("page_link")]
    event_ids = summary.outcomes[0].event_ids
    assert event_ids and len(links) == len(event_ids)
    assert all(f"event_id={i}" in str(link.proto) or i in link.proto.label
               for link, i in zip(links, event_ids))


def test_unresolved_names_outlive_the_session(app_env: MapDatabase) -> None:
    """Names the extraction could not place are kept in the store for the Places page."""
    text = (b"Clashes in Qaryat Zzyzx\n\n20 June 2016\n\nIslamic State fighters attacked "
            b"Iraqi troops in Qaryat Zzyzx on Sunday, the army said.\n")
    with open_store(app_env.url) as store:
        places, forces = load_places_and_forces(store)
        summary = process_uploads([("odd.txt", text)], places, forces, store=store)
    with open_store(app_env.url) as store:
        waiting = pending_names(store)
    assert "Qaryat Zzyzx" in summary.unresolved and "Qaryat Zzyzx" in waiting
    assert waiting["Qaryat Zzyzx"]["files"] == ["odd.txt"]


def test_markdown_literal_shows_data_as_written() -> None:
    hostile = "[x](http://e) ![i](http://e) :material/home: $x$ **b** <b>"
    escaped = markdown_literal(hostile)
    assert "](" not in escaped and "$x$" not in escaped and "**" not in escaped
    assert re.sub(r"\\(.)", r"\1", escaped) == hostile
    assert markdown_literal("Mosul 2016") == "Mosul 2016"


def test_highlighted_markdown_escapes_the_sentence_and_marks_mentions() -> None:
    from geo.core.records import Mention
    from geo.display import highlighted_markdown

    sentence = ("IS* fighters <script>alert(1)</script> shelled [x](y) Mosul\n  # on "
                "2016-06-19 $x$.")

    def at(text: str, kind: str) -> Mention:
        start = sentence.index(text)
        return Mention(kind, start, start + len(text), text)

    mentions = [at("IS*", "actor"), at("Mosul", "place"), at("2016-06-19", "date"),
                at("shelled", "trigger"),                  # not highlighted
                Mention("place", 2, 9, "overlap"), Mention("date", 5, 500, "too far"),
                Mention("actor", 7, 3, "backwards")]
    md = highlighted_markdown(sentence, mentions)
    assert md == (r"***IS\**** fighters \<script\>alert\(1\)\<\/script\> shelled "
                  r"\[x\]\(y\) **Mosul** \# on *2016\-06\-19* \$x\$\.")
    # Nothing of the article is markup: without the marks, unescaped, it is the sentence
    # (whitespace runs as one space).
    plain = re.sub(r"(?<!\\)\*+", "", md)
    assert _unescaped(plain) == re.sub(r"\s+", " ", sentence)
    for raw in ("<script>", "[x](y)", "$x$", "IS*", "\n"):
        assert raw not in md
    # Stored JSON works as well as Mention objects; bad JSON highlights nothing.
    stored = json.dumps([{"kind": "place", "start": 0, "end": 3, "text": "IS*"}])
    assert highlighted_markdown(sentence, stored).startswith("**IS\\***")
    assert "**" not in highlighted_markdown(sentence, "{broken")
    assert highlighted_markdown("A [b] c", []) == "A \\[b\\] c"


def test_events_page_highlights_the_evidence(app_env: MapDatabase) -> None:
    at = _page("pages/events.py", event_id=_event_id(app_env, "Fallujah"))
    shown = [m.value for m in at.markdown if "Fallujah" in m.value]
    assert shown and "**Fallujah**" in shown[0]
    assert "\\<script\\>" in shown[0] and "<script>" not in shown[0]
    assert any("**place**" in c.value for c in at.caption)


def test_correction_changes_only_what_changed() -> None:
    from tests.factories import make_event
    event = make_event(town="Mosul")
    forces = default_forces()
    same = Correction(event.event_date, event.actor1_force, event.actor2_force,
                      event.event_type, event.sub_event_type, event.fatalities)
    assert correction_changes(event, same, forces) == {}
    moved = Correction(event.event_date, "PESH", event.actor2_force, event.event_type,
                       event.sub_event_type, 2, latitude="36.5", longitude="43,2")
    changes = correction_changes(event, moved, forces)
    assert changes == {"actor1_force": "PESH", "actor1": forces["PESH"].acled_actor,
                       "fatalities": 2, "latitude": 36.5, "longitude": 43.2}
    with pytest.raises(InputError, match="latitude"):
        correction_changes(event, Correction(event.event_date, "ISF", "IS", event.event_type,
                                             event.sub_event_type, 0, latitude="north",
                                             longitude="43"), forces)


@pytest.mark.parametrize("args,field", [
    (("Somewhere", "", "43"), "latitude"),
    (("Somewhere", "36", "200"), "longitude"),
    (("", "36", "43"), "name"),
    (("Somewhere", "36", "43", "Iraq"), "country"),
    (("Somewhere", "0", "0", "ZZ"), "country"),          # issue #15: ZZ at 0,0 refused
    (("Somewhere", "0", "0", "IQ"), "latitude"),
    (("Somewhere", "36", "43", "ZZ"), "country"),
    (("Somewhere", "36", "inf"), "longitude"),
])
def test_make_custom_place_names_the_bad_field(args: tuple, field: str) -> None:
    with pytest.raises(InputError) as info:
        make_custom_place(*args)
    assert info.value.field == field


# -- dataset import on the Ingest page -------------------------------------------------------
def _upload(at: AppTest, dataset: str, name: str, data: bytes) -> AppTest:
    at.radio(key="import_dataset").set_value(dataset)
    at.file_uploader(key="import_file").set_value((name, data, "application/octet-stream"))
    _run(at)
    at.button(key="import_run").click()
    return _run(at)


def test_import_section_imports_and_lists_unmapped_actors(app_env: MapDatabase) -> None:
    at = _page("pages/ingest.py")
    assert any(h.value == "Import ACLED / UCDP / GIS file" for h in at.header)
    _upload(at, "acled", "acled_sample.csv", (IMPORTS / "acled_sample.csv").read_bytes())
    assert not at.error, [e.value for e in at.error]
    metrics = {m.label: m.value for m in at.metric}
    # 9 rows: 2 problems, 7 events (Tikrit placed by its name), of which Fallujah
    # duplicates the stored event.
    assert (metrics["Rows read"], metrics["Imported"], metrics["Duplicates of stored events"],
            metrics["Problems"]) == ("9", "6", "1", "2")
    problems = at.dataframe[0].value
    assert list(problems["line"]) == [6, 10]
    assert list(problems["field"]) == ["event_date", "sub_event_type"]
    unmapped = at.dataframe[1].value
    assert set(unmapped["actor name"]) == {"Unidentified Armed Group (Iraq)",
                                           "Civilians (Syria)", "Jabhat al-Shamiyya Brigade"}
    assert list(unmapped["rows"]) == [1, 1, 1]
    assert any("data/forces.csv" in w.value for w in at.warning)
    with open_store(app_env.url) as store:
        assert store.counts()["events"] == app_env.n_events + 6
    # The events table sees them at once (cache cleared after the import).
    at.switch_page("pages/events.py")
    _run(at)
    assert len(at.dataframe[0].value) == app_env.n_events + 6


def test_import_rows_outside_the_theatre_need_the_box(app_env: MapDatabase) -> None:
    """Issue #15: points outside the theatre's box are imported only when the analyst says
    they are meant."""
    lines = (IMPORTS / "acled_sample.csv").read_text(encoding="utf-8").splitlines()
    row = lines[1].replace("33.3500,43.7800", "48.8500,2.3500").replace("IRQ10001", "FRA1")
    data = "\n".join([lines[0], row]).encode() + b"\n"
    at = _page("pages/ingest.py")
    _upload(at, "acled", "paris.csv", data)
    problems = at.dataframe[0].value
    assert list(problems["field"]) == ["latitude"]
    assert "outside the iraq-syria theatre" in problems["problem"][0]
    at.checkbox(key="import_outside").check()
    at.button(key="import_run").click()
    _run(at)
    assert {m.label: m.value for m in at.metric}["Imported"] == "1"


@pytest.mark.parametrize("dataset,name,data,message", [
    ("acled", "notes.csv", b"a,b\n1,2\n", "missing column"),
    ("ucdp", "acled_sample.csv", (IMPORTS / "acled_sample.csv").read_bytes(),
     "missing column"),
    ("gis", "events.gpkg", b"this is not a geopackage", "not a GIS file GDAL can read"),
    ("acled", "events.gpkg", b"x", "should end in .csv"),
    ("acled", "[x](http:__e)![i](http:__e).csv", b"=1,2\n", "missing column"),
])
def test_import_section_refuses_bad_files(app_env: MapDatabase, dataset: str, name: str,
                                          data: bytes, message: str) -> None:
    at = _upload(_page("pages/ingest.py"), dataset, name, data)
    assert len(at.error) == 1
    shown = re.sub(r"\\(.)", r"\1", at.error[0].value)     # markdown escapes undone
    assert shown.startswith(f"Not imported: {name}")
    assert message in shown and "/tmp" not in shown
    assert "](" not in at.error[0].value      # names from the file never become links
    assert not at.metric                      # no summary of a refused file
    with open_store(app_env.url) as store:
        assert store.counts()["events"] == app_env.n_events
    # The page keeps working: a good file right after is imported.
    _upload(at, "ucdp", "ucdp_sample.csv", (IMPORTS / "ucdp_sample.csv").read_bytes())
    assert not at.error and any(m.label == "Imported" for m in at.metric)


def test_import_upload_reads_ucdp_and_our_own_gis_files(app_env: MapDatabase,
                                                        tmp_path: Path) -> None:
    forces = default_forces()
    with open_store(app_env.url) as store:
        frame = store.query_events(EventFilter())
    gpkg = tmp_path / "mine.gpkg"
    gis.write_gpkg(frame, gpkg)
    progress: list[tuple[int, int]] = []
    with open_store(str(tmp_path / "other.sqlite")) as other:
        ucdp = import_upload("ucdp", "ucdp_sample.csv",
                             (IMPORTS / "ucdp_sample.csv").read_bytes(), other, forces,
                             on_progress=lambda done, total: progress.append((done, total)))
        mine = import_upload("gis", "mine.gpkg", gpkg.read_bytes(), other, forces)
        again = import_upload("gis", "mine.gpkg", gpkg.read_bytes(), other, forces)
    assert ucdp.source == "ucdp_sample.csv" and ucdp.imported > 0
    assert progress and progress[-1][0] == progress[-1][1]
    assert (mine.source, mine.rows_read, mine.imported) == ("mine.gpkg", app_env.n_events,
                                                            app_env.n_events)
    assert (again.imported, len(again.duplicates)) == (0, app_env.n_events)
    assert ucdp.problem_rows() == [{"line": p.line, "field": p.field, "problem": p.message}
                                   for p in ucdp.problems]
    with pytest.raises(InputError) as info:
        import_upload("acled", "../../etc/x.csv", b"", None, forces)  # type: ignore[arg-type]
    assert str(info.value).startswith("../../etc/x.csv: ")


# -- downloads on the Events page --------------------------------------------------------------
class _RecordingMediaFileManager(MediaFileManager):
    """AppTest's media manager, keeping each deferred download callable by file id (the
    browser would ask for it on click)."""

    deferred: dict[str, Callable[[], object]] = {}

    def add_deferred(self, data_callable, mimetype, coordinates, file_name=None, *,
                     element_id=""):  # type: ignore[override]
        file_id = super().add_deferred(data_callable, mimetype, coordinates, file_name,
                                       element_id=element_id)
        type(self).deferred[file_id] = data_callable
        return file_id


def _check_download(key: str, data: bytes, n: int, tmp_path: Path) -> None:
    """The bytes of one format parse, with ``n`` events."""
    if key == "csv":
        rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
        assert rows[0] == list(ACLED_EXPORT_COLUMNS)
        assert rows[0][:len(ACLED_COLUMNS)] == list(ACLED_COLUMNS) and len(rows) == n + 1
    elif key == "geojson":
        doc = json.loads(data)
        assert doc["type"] == "FeatureCollection" and len(doc["features"]) == n
        assert all({"event_id_cnty", "event_date", "actor1"} <= set(f["properties"])
                   for f in doc["features"])
    elif key == "gpkg":
        path = tmp_path / "events.gpkg"
        path.write_bytes(data)
        frame = gpd.read_file(path, layer=GIS_LAYER, engine="pyogrio")
        assert len(frame) == n and frame.crs.to_epsg() == 4326
    else:
        text = data.decode("utf-8")
        assert text.startswith("<?xml") and text.count("<Placemark>") == n
        assert "<script>" not in text          # the hostile sentence is escaped


def test_events_page_offers_four_downloads_that_parse(app_env: MapDatabase, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    import streamlit.testing.v1.app_test as app_test
    _RecordingMediaFileManager.deferred = {}
    monkeypatch.setattr(app_test, "MediaFileManager", _RecordingMediaFileManager)
    at = _page("pages/events.py")
    buttons = {b.key: b for b in at.download_button}
    assert [b.label for b in at.download_button] == [f.label for f in DOWNLOAD_FORMATS]
    for fmt in DOWNLOAD_FORMATS:
        button = buttons[f"events_download_{fmt.key}"]
        assert button.proto.deferred_file_id, "built on click, not on every rerun"
        data = _RecordingMediaFileManager.deferred[button.proto.deferred_file_id]()
        assert isinstance(data, bytes)
        _check_download(fmt.key, data, app_env.n_events, tmp_path)
    # The filter applies: only IS events once the force filter says so.
    at.multiselect(key="events_forces").set_value(["IS"])
    _run(at)
    csv_button = at.download_button(key="events_download_csv")
    data = _RecordingMediaFileManager.deferred[csv_button.proto.deferred_file_id]()
    _check_download("csv", data, app_env.n_is, tmp_path)


def test_events_page_downloads_carry_the_control_layers_when_asked(
        app_env: MapDatabase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """"Add control layers": the GeoPackage, KML and GeoJSON of the Events page hold the
    control map of the chosen day beside the events (as ``geo export --control D``); with
    the curated timeline off, only the store's evidence; the CSV stays the events."""
    import xml.etree.ElementTree as ET

    import pyogrio
    import streamlit.testing.v1.app_test as app_test
    _RecordingMediaFileManager.deferred = {}
    monkeypatch.setattr(app_test, "MediaFileManager", _RecordingMediaFileManager)
    at = _page("pages/events.py")
    at.checkbox(key="events_download_control").check()
    _run(at)
    at.date_input(key="events_download_day").set_value(date(2016, 6, 1))
    _run(at)

    def download(key: str) -> bytes:
        button = at.download_button(key=f"events_download_{key}")
        data = _RecordingMediaFileManager.deferred[button.proto.deferred_file_id]()
        assert isinstance(data, bytes)
        return data

    labels = [b.label for b in at.download_button]
    assert labels == ["ACLED CSV", "GeoJSON + control", "GeoPackage + control",
                      "KML + control"]
    gpkg = tmp_path / "control.gpkg"
    gpkg.write_bytes(download("gpkg"))
    assert [name for name, _ in pyogrio.list_layers(gpkg)] == \
        [GIS_LAYER, "control_places", "control_areas", "control_fronts"]
    places = gpd.read_file(gpkg, layer="control_places")
    assert len(gpd.read_file(gpkg, layer=GIS_LAYER)) == app_env.n_events
    [mosul] = places[places["name"] == "Mosul"].to_dict("records")
    assert (mosul["force"], mosul["date"], mosul["basis"]) == ("IS", "2016-06-01", "curated")
    root = ET.fromstring(download("kml"))
    ns = {"k": "http://www.opengis.net/kml/2.2"}
    folders = {f.findtext("k:name", "", ns) for f in root.iterfind(".//k:Folder", ns)}
    assert {"Control on 2016-06-01", "Places", "Earlier states", "Areas"} <= folders
    doc = json.loads(download("geojson"))
    layers = [f["properties"].get("layer") for f in doc["features"]]
    assert layers.count(None) == app_env.n_events and "control_places" in layers
    _check_download("csv", download("csv"), app_env.n_events, tmp_path)
    # the curated timeline off: no place rests on it any more
    at.checkbox(key="events_download_curated").uncheck()
    _run(at)
    gpkg.write_bytes(download("gpkg"))
    places = gpd.read_file(gpkg, layer="control_places")
    assert len(places) and not places["sources"].str.contains("curated").any()
    assert not places["basis"].eq("curated").any()


def test_events_bytes_of_an_empty_selection(app_env: MapDatabase, tmp_path: Path) -> None:
    with open_store(app_env.url) as store:
        empty = store.query_events(EventFilter(text="no such place"))
    for fmt in DOWNLOAD_FORMATS:
        _check_download(fmt.key, events_bytes(empty, fmt.key), 0, tmp_path)
    flt = EventFilter(date_from=date(2016, 6, 1), date_to=date(2016, 7, 31))
    assert file_name("gpkg", flt) == "events_2016-06-01_2016-07-31.gpkg"
    assert file_name("csv", EventFilter()) == "events.csv"
    assert control_file_name("kml", flt, date(2016, 7, 1)) == \
        "events_2016-06-01_2016-07-31_control_2016-07-01.kml"
    with pytest.raises(InputError, match="unknown download format"):
        events_bytes(empty, "shp")


def test_an_import_that_updates_events_is_signed_by_the_sidebar_name(
        app_env: MapDatabase) -> None:
    """A newer export revises a stored row: the update in the audit trail names the
    analyst who imported it from the dashboard, not the server's account."""
    sample = (IMPORTS / "acled_sample.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(sample)))
    header = list(rows[0])
    newer = [dict(r) for r in rows]
    first = newer[1]             # IRQ10002: imported (row 1 duplicates a stored event)
    first["fatalities"] = str(int(first["fatalities"] or 0) + 3)
    first["timestamp"] = str(int(first["timestamp"]) + 86_400)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(newer)
    at = _page("pages/ingest.py")
    _upload(at, "acled", "acled_sample.csv", sample.encode())
    at.text_input(key="audit_author_box").input("Sam Importer")
    _run(at)
    _upload(at, "acled", "acled_newer.csv", out.getvalue().encode())
    assert not at.error, [e.value for e in at.error]
    with open_store(app_env.url) as store:
        trail = store.audit_trail()
    assert trail and {r["author"] for r in trail} == {"Sam Importer"}
    assert any(r["field"] == "fatalities" for r in trail)
