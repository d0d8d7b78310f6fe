"""Transliteration variants in running text and in look-ups: one name, one place.

Real reports write Arabic names many ways ("Ras Al-‘Ayn" with a curly ayn mark, "Ain
Essa" for Ain Issa). The text scan (``find_mentions``, what extraction geocodes) and a
look-up (``lookup``/``resolve``, what ``geo geocode`` and ``geo control --place`` use)
must read them, and read them as the same place.
"""
from __future__ import annotations

import pytest

from geo.control.facts import gazetteer_town
from geo.geocode.gazetteer import Gazetteer

GAZ = Gazetteer.load()


@pytest.mark.parametrize("sentence,surface,country,admin1", [
    ("Turkey halted its invasion of Tal Abyad and Ras Al-‘Ayn.", "Ras Al-‘Ayn", "SY",
     "Hasakah"),
    ("Kurdish fighters captured Tal Abyad and the town of Ain Essa to the south.",
     "Ain Essa", "SY", "Raqqa"),
    ("The jihadists seized control of Zumar, another town to the northeast.", "Zumar", "IQ",
     "Nineveh"),
])
def test_a_variant_spelling_in_text_is_read_as_the_town(sentence: str, surface: str,
                                                        country: str, admin1: str) -> None:
    """An ayn mark kept on one word and dropped on another, or e for i, is still the
    town: the scan finds the whole name, not a part of it ("Al-‘Ayn")."""
    spans = {m.surface: m.place for m in GAZ.find_mentions(sentence)}
    assert surface in spans, spans
    assert (spans[surface].country, spans[surface].admin1) == (country, admin1)


@pytest.mark.parametrize("name,gazetteer_spelling", [
    ("Ras al-‘Ain", "Ras al-Ain"), ("Ras al-'Ain", "Ras al-Ain"), ("‘Ain Issa", "Ain Issa"),
    ("Tal ‘Afar", "Tal Afar"), ("Ra’s al-‘Ayn", "Ras al-Ain"),
])
def test_an_ayn_mark_the_gazetteer_spelling_lacks_is_read(name: str,
                                                          gazetteer_spelling: str) -> None:
    """A mark opening a word (or kept inside one) where the spelling has none: the same
    town, and the span's offsets are the text's (the mark that opens the name is left
    out of it)."""
    text = f"Troops moved on. {name} was shelled; fighters entered {name} at dawn."
    spans = GAZ.find_mentions(text)
    want = GAZ.find_mentions(f"Fighters entered {gazetteer_spelling} at dawn.")[0].place
    assert len(spans) == 2
    for span in spans:
        assert text[span.start:span.end] == span.surface
        assert span.surface in name and span.surface.lstrip("‘") == span.surface
        assert (span.place.country, span.place.admin1) == (want.country, want.admin1)


@pytest.mark.parametrize("name", ["Zumar", "Ras Al-‘Ayn", "Ain Essa", "Ayn Issa", "Edlib"])
def test_a_look_up_answers_the_place_the_text_scan_reads(name: str) -> None:
    """One ranking: ``geo control --place NAME`` and ``geo geocode NAME`` name the place
    an article's "NAME" is geocoded to."""
    [span] = [m for m in GAZ.find_mentions(f"Fighters entered {name} on Sunday.")
              if m.surface == name]
    assert GAZ.lookup(name)[0].place_id == span.place.place_id
    town = gazetteer_town(name)
    assert town is not None and town.place_id == span.place.place_id


def test_a_fold_keeps_the_asked_type_first() -> None:
    """Own-name ranking never overrides the type asked for: "Hawija district" is the
    district, not a village spelled Hawijah."""
    assert GAZ.lookup("Hawija district")[0].place_type == "county"


@pytest.mark.parametrize("name,meant", [
    ("Arak", "Arak"),         # now shares its key with "Irak" (Iraq): still the town
    ("Irak", "Iraq"),         # and "Irak" is still the country
    ("Banias", "Baniyas"),    # shares it with a village "Bani `Isa": still the city
    ("Izaz", "Azaz"),         # a spelling of Azaz the fold joins
])
def test_names_a_fold_joins_are_decided_by_the_ranking(name: str, meant: str) -> None:
    """A fold that gives two gazetteer places one key never outranks the spelling as
    written: the usual ranking (exact spelling, theatre, type, importance) picks."""
    assert GAZ.lookup(name)[0].name == meant
