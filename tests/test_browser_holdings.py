"""The Events page's holdings stated in passing in a real browser (Debian's Chromium via
Playwright, offline): an analyst opens the link to a disputed holding, sees its sentence
as text and the queue that disputes it, rejects it, and the store keeps the decision;
nothing leaves the machine."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from geo.core.records import Holding
from geo.store import open_store
from tests.conftest import HOSTILE_SENTENCE, build_map_database
from tests.dashboard_server import start_dashboard, stop_dashboard
from tests.factories import TOWN_BY_NAME, make_article
from tests.test_browser import CHROMIUM, CONTROL_WAIT_S, LAPTOP, _outside
from tests.test_browser import browser as browser  # the fixture

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium not installed at "
                       "/usr/bin/chromium (apt-get install chromium); never `playwright install`"),
]


def test_a_disputed_holding_is_rejected_in_the_browser(browser: object, tmp_path: Path) -> None:
    db = build_map_database(tmp_path / "events.sqlite")
    town = TOWN_BY_NAME["Fallujah"]
    # A hostile sentence: the page must show it as text, never run it.
    sentence = "Families fleeing Islamic State-held Fallujah said " + HOSTILE_SENTENCE
    with open_store(db.url) as store:
        store.ingest(make_article(text=sentence), [], [Holding(
            town.place_id, town.name, town.latitude, town.longitude, "IS",
            date(2016, 7, 1), date(2016, 7, 1), sentence, country=town.country,
            construction="held-compound", source="Test Wire")])
        [held] = store.query_holdings()
    proc, url = start_dashboard(db.url, tmp_path / "streamlit.log")
    requests: list[str] = []
    dialogs: list[str] = []
    try:
        page = browser.new_page(viewport=LAPTOP)  # type: ignore[attr-defined]
        page.on("request", lambda req: requests.append(req.url))
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(f"{url}/events?holding_id={held.holding_id}", wait_until="domcontentloaded")
        page.get_by_text("Holdings stated in passing (1; 1 disputed to review)").wait_for(
            timeout=CONTROL_WAIT_S * 1000)
        # the sentence, shown as text (its markup is not run)
        page.locator("pre", has_text="Families fleeing Islamic State-held Fallujah said"
                     ).first.wait_for(timeout=30_000)
        page.get_by_role("button", name="Reject holding").click()
        page.get_by_text("Holding rejected").wait_for(timeout=60_000)
        # the queue no longer lists it once control is worked out again
        page.get_by_text("Holdings stated in passing (1)").wait_for(
            timeout=CONTROL_WAIT_S * 1000)
    finally:
        stop_dashboard(proc)
    with open_store(db.url) as store:
        assert store.get_holding(held.holding_id).review_status == "rejected"
        assert [r["after"] for r in store.audit_trail(held.holding_id)] == \
            [{"review_status": "rejected"}]
    assert not dialogs, f"article text ran as script: {dialogs}"
    assert _outside(requests) == [], f"requests left the machine: {_outside(requests)}"
