"""The events version (``Store.events_version``), on both backends: what the control
series kept between runs is keyed on, so every write that changes events must move it,
and nothing else may (a needless move only costs a rebuild; a missed one shows an analyst
yesterday's front lines)."""
from __future__ import annotations

from dataclasses import replace

import pytest

from geo.core.errors import InputError, StoreError
from geo.core.records import Place
from geo.store import open_store
from tests.factories import make_article, make_event, sample_events


@pytest.fixture
def store(backend_url: str):
    with open_store(backend_url) as s:
        yield s


def test_a_new_store_starts_at_a_random_version(backend_url: str, tmp_path) -> None:
    """Two new databases do not share a version, so a database deleted and rebuilt at the
    same path cannot be mistaken for the old one by what was derived from it."""
    with open_store(backend_url) as store:
        first = store.events_version()
    with open_store(str(tmp_path / "other.sqlite")) as other:
        assert other.events_version() not in (0, first)
    assert first != 0


def test_every_write_of_events_moves_it_and_nothing_else_does(store) -> None:
    seen = [store.events_version()]

    def moved() -> bool:
        now = store.events_version()
        changed = now != seen[-1]
        seen.append(now)
        return changed

    article = make_article()
    store.ingest(article, [make_event()])
    assert moved(), "ingest"
    store.ingest(article, [make_event()])
    assert not moved(), "the same article again changes nothing"
    store.cache_put("nominatim", "Hit", {"lat": 33.6})
    store.add_custom_place(Place("own:1", "Outpost 7", 34.1, 42.3, country="IQ"))
    store.confirm_name("Outpost Seven", Place("own:1", "Outpost 7", 34.1, 42.3,
                                              country="IQ"))
    store.forget_confirmed_name("Outpost Seven")
    assert not moved(), "places, names and the cache are not events"
    imported = sample_events(5, seed=3)
    store.add_events(imported[:2])
    assert moved(), "add_events"
    store.import_events(imported[2:])
    assert moved(), "import"
    store.import_events(imported[2:])
    assert not moved(), "importing the same rows again adds nothing"
    store.import_events([replace(imported[2], notes="newer row")], versions=[7])
    assert moved(), "a newer version of a dataset row"
    [event_id] = store.query_events()["event_id"][:1]
    store.update_event(event_id, {"review_status": "rejected"})
    assert moved(), "an analyst's rejection (the control rules drop the event)"
    change_id = store.audit_trail(event_id)[-1]["change_id"]
    store.undo_change(change_id)
    assert moved(), "undo"


def test_a_refused_write_leaves_it(store) -> None:
    """An edit refused inside its transaction (no such event, an undo of a change made
    again since) is rolled back whole, the version with it."""
    store.ingest(make_article(), [make_event()])
    before = store.events_version()
    with pytest.raises(InputError, match="no event"):
        store.update_event("no-such-event", {"notes": "x"})
    [event_id] = store.query_events()["event_id"]
    store.update_event(event_id, {"notes": "first"})
    store.update_event(event_id, {"notes": "second"})
    after = store.events_version()
    assert after != before
    first_change = store.audit_trail(event_id)[-2]["change_id"]
    with pytest.raises(InputError, match="changed again since"):
        store.undo_change(first_change)
    assert store.events_version() == after


def test_another_program_sees_it_move(store, backend_url: str) -> None:
    store.ingest(make_article(), [make_event()])
    with open_store(backend_url, read_only=True) as reader:
        assert reader.events_version() == store.events_version()
        [event_id] = store.query_events()["event_id"]
        store.update_event(event_id, {"notes": "checked"})
        assert reader.events_version() == store.events_version()
        with pytest.raises(StoreError):
            reader.add_events(sample_events(1))
