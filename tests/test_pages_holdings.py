"""The Events page's holdings stated in passing, through AppTest: an analyst finds the
holding the review queue disputes, reads its sentence, rejects, confirms or corrects it,
and undoes a decision; the store (re-opened here) keeps what the page wrote."""
from __future__ import annotations

from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from geo.core.records import Holding
from geo.store import open_store
from tests.conftest import PROJECT_DIR, MapDatabase, run_app
from tests.factories import TOWN_BY_NAME, make_article

APP = str(PROJECT_DIR / "app.py")
SENTENCE = "Families fleeing Islamic State-held Fallujah reached the camps on Friday."


def _held(town: str, day: date, sentence: str) -> Holding:
    place = TOWN_BY_NAME[town]
    return Holding(place.place_id, place.name, place.latitude, place.longitude, "IS", day,
                   day, sentence, sentence_start=0, country=place.country,
                   construction="held-compound", source="Test Wire")


@pytest.fixture
def holdings_env(app_env: MapDatabase) -> tuple[MapDatabase, str, str]:
    """The small map database plus one article stating two holdings: IS-held Fallujah
    twelve days after the ISF's recapture (disputed) and IS-held Mosul (not)."""
    article = make_article(text=SENTENCE + " Others came from IS-held Mosul.")
    with open_store(app_env.url) as store:
        store.ingest(article, [], [_held("Fallujah", date(2016, 7, 1), SENTENCE),
                                   _held("Mosul", date(2016, 7, 1),
                                         "Others came from IS-held Mosul.")])
        ids = {h.location: h.holding_id for h in store.query_holdings()}
    return app_env, ids["Fallujah"], ids["Mosul"]


def _page(**params: str) -> AppTest:
    at = run_app(AppTest.from_file(APP, default_timeout=90))
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page("pages/events.py")
    return run_app(at)


def _picked(at: AppTest) -> str:
    [box] = [b for b in at.selectbox if b.label == "Holding"]
    return str(box.value)


def _stored(db: MapDatabase, holding_id: str) -> Holding:
    with open_store(db.url) as store:
        found = store.get_holding(holding_id)
    assert found is not None
    return found


def test_the_disputed_holding_comes_first_and_can_be_rejected(holdings_env) -> None:
    db, fallujah, mosul = holdings_env
    at = _page()
    [panel] = [e for e in at.expander if e.label.startswith("Holdings stated in passing")]
    assert panel.label == "Holdings stated in passing (2; 1 disputed to review)"
    assert _picked(at) == fallujah                       # the disputed one first
    queue = [d.value for d in at.dataframe if "claim_kind" in d.value.columns]
    assert queue and "stated" in set(queue[0]["claim_kind"])
    assert any(SENTENCE in c.value for c in at.code)     # the sentence, as text
    at.button(key="holding_reject").click()
    run_app(at)
    assert not at.error, [e.value for e in at.error]
    assert any("Holding rejected" in s.value for s in at.success)
    # the section the analyst worked in stays open after the page reran (no link opens it)
    [panel] = [e for e in at.expander if e.label.startswith("Holdings stated in passing")]
    assert panel.proto.expanded
    assert _stored(db, fallujah).review_status == "rejected"
    assert _stored(db, mosul).review_status == "machine"


def test_a_linked_holding_is_corrected_and_the_correction_undone(holdings_env) -> None:
    db, _fallujah, mosul = holdings_env
    at = _page(holding_id=mosul)
    assert _picked(at) == mosul
    at.selectbox(key=f"holding_force_{mosul}").set_value("ISF")
    at.text_input(key=f"holding_from_{mosul}").input("2016-06-20")
    at.button(key="holding_save").click()
    run_app(at)
    assert not at.error, [e.value for e in at.error]
    held = _stored(db, mosul)
    assert (held.review_status, held.force, held.date_min) == \
        ("corrected", "ISF", date(2016, 6, 20))
    [undo] = [b for b in at.button if b.label.startswith("Undo change")]
    undo.click()
    run_app(at)
    assert not at.error, [e.value for e in at.error]
    held = _stored(db, mosul)
    assert (held.review_status, held.force, held.date_min) == \
        ("machine", "IS", date(2016, 7, 1))


def test_an_impossible_date_is_refused_by_the_form(holdings_env) -> None:
    db, _fallujah, mosul = holdings_env
    at = _page(holding_id=mosul)
    at.text_input(key=f"holding_to_{mosul}").input("2016-02-30")
    at.button(key="holding_save").click()
    run_app(at)
    assert any("date\\_max" in e.value and "no such day" in e.value for e in at.error), \
        [e.value for e in at.error]
    assert at.text_input(key=f"holding_to_{mosul}").value == "2016-02-30"   # kept
    assert _stored(db, mosul).review_status == "machine"


def test_the_control_popups_link_opens_the_holdings_review(holdings_env) -> None:
    """A town's control history on the map lists a holding stated in passing with a link
    to review it; the link opens the app's root, which hands over to the Events page
    with the holding chosen."""
    from geo.control.claims import stated_event
    from geo.control.history import history_entry
    from geo.maps.control_layer import place_popup_html

    db, _fallujah, mosul = holdings_env
    entry = history_entry(stated_event(_stored(db, mosul)))
    assert entry is not None and entry["link"] == f"/?holding_id={mosul}"
    popup = place_popup_html({"name": "Mosul", "force": "IS", "status": "held",
                              "event_ids": [mosul], "history": [entry]})
    assert f"href='/?holding_id={mosul}'" in popup and "review this holding" in popup
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["holding_id"] = mosul
    run_app(at)
    assert _picked(at) == mosul


@pytest.mark.parametrize("flt, expected", [
    ({}, ["Fallujah", "Mosul"]),
    ({"date_from": date(2016, 7, 2)}, []),
    ({"date_to": date(2016, 6, 30)}, []),
    ({"date_from": date(2016, 6, 1), "date_to": date(2016, 7, 1)}, ["Fallujah", "Mosul"]),
    ({"forces": ("ISF",)}, []),
    ({"forces": ("IS", "SDF")}, ["Fallujah", "Mosul"]),
    ({"text": "mosul"}, ["Mosul"]),
    ({"text": "camps"}, ["Fallujah"]),                  # in the sentence
    ({"review_status": ("rejected",)}, []),
])
def test_the_page_filter_selects_holdings_as_it_selects_events(flt: dict, expected) -> None:
    from geo.review import filter_holdings
    from geo.store import EventFilter

    holdings = [_held("Fallujah", date(2016, 7, 1), SENTENCE),
                _held("Mosul", date(2016, 7, 1), "Others came from IS-held Mosul.")]
    assert [h.location for h in filter_holdings(holdings, EventFilter(**flt))] == expected


def test_a_place_review_link_opens_the_towns_holdings_only(holdings_env) -> None:
    """A control popup's "Review this holding" (``?review_place=KEY``) opens the Events
    page on that town: its holdings stated in passing only, whatever the filter, the
    section open and the first to review chosen; a key with nothing to review says so."""
    from urllib.parse import unquote

    from geo.control.history import build_series
    from geo.control.sources import control_events
    from geo.core.links import PLACE_REVIEW_DATE_PARAM, PLACE_REVIEW_PARAM, place_review_link
    from geo.display import markdown_literal

    db, fallujah, mosul = holdings_env
    with open_store(db.url) as store:
        series = build_series(control_events(None, store, curated=False))
    # the town on the control map: the holding's place merged with the curated Mosul
    [key] = [k for k in series.keys if series.histories[k].ref.has_id(
        TOWN_BY_NAME["Mosul"].place_id)]
    assert unquote(place_review_link(key).split("=", 1)[1]) == key
    at = _page(**{PLACE_REVIEW_PARAM: key})
    assert not at.error, [e.value for e in at.error]
    assert any(s.value == "Control of Mosul to review" for s in at.subheader), \
        [s.value for s in at.subheader]
    [section] = [e for e in at.expander if e.label.startswith("Holdings stated in passing")]
    assert section.label == "Holdings stated in passing about Mosul (1)"
    [box] = [b for b in at.selectbox if b.label == "Holding"]
    assert box.options and len(box.options) == 1 and _picked(at) == mosul != fallujah
    at.button(key="review_place_clear").click()          # back to every place's claims
    run_app(at)
    [section] = [e for e in at.expander if e.label.startswith("Holdings stated in passing")]
    assert section.label.startswith("Holdings stated in passing (2")
    assert PLACE_REVIEW_PARAM not in at.query_params
    at = _page(**{PLACE_REVIEW_PARAM: "no-such-place"})
    assert any("no disputed claim and no holding stated in passing" in w.value
               for w in at.warning), [w.value for w in at.warning]
    # a link's day that is not a date: named, and the town's claims all shown (no
    # traceback); a day no claim disputed the holder on: said, the same claims shown
    at = _page(**{PLACE_REVIEW_PARAM: key, PLACE_REVIEW_DATE_PARAM: "2016-02-30"})
    said = markdown_literal("'2016-02-30' is not a date (YYYY-MM-DD)")   # as displayed
    assert not at.exception and any(said in e.value for e in at.error), \
        [e.value for e in at.error]
    [section] = [e for e in at.expander if e.label.startswith("Holdings stated in passing")]
    assert section.label == "Holdings stated in passing about Mosul (1)"
    at = _page(**{PLACE_REVIEW_PARAM: key, PLACE_REVIEW_DATE_PARAM: "2015-01-01"})
    assert not at.exception and not at.error
    assert any("No claim disputed the holder of Mosul on 2015-01-01" in i.value
               for i in at.info), [i.value for i in at.info]
