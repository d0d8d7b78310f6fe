"""The control rules of ``docs/control.md``, one test (or more) per rule.

Fixtures are tiny and built in code: real towns of Anbar and the Syrian Euphrates,
reports shaped as the store and the curated loader produce them. Each test's docstring
names the rule it pins.
"""
from __future__ import annotations

from datetime import date, timedelta

from geo.control.claims import (
    ANALYST,
    CORROBORATED,
    CURATED,
    PRESUMED,
    SINGLE,
    claim_of,
    claims_from_events,
)
from geo.control.seats import seat_event
from geo.control.timeline import CONTEST_DAYS, DISPUTE_DAYS, RECORD_START, control_on
from geo.core.forces import Force
from geo.core.records import Event, Place, TimePrecision, ongoing_tag

TOWNS = {
    "Ramadi": (33.4258, 43.2992, "IQ"), "Fallujah": (33.3500, 43.7800, "IQ"),
    "Hit": (33.6417, 42.8250, "IQ"), "Haditha": (34.1390, 42.3780, "IQ"),
    "Raqqa": (35.9500, 39.0100, "SY"), "Tabqa": (35.8370, 38.5480, "SY"),
    "Sinjar": (36.3209, 41.8764, "IQ"), "Zummar": (36.6414, 42.5558, "IQ"),
    "Makhmur": (35.7752, 43.5797, "IQ"),
}


def report(town: str, force: str, day: date, *, old: str = "IS", until: date | None = None,
           origin: str = "extracted", status: str = "machine", sources: tuple[str, ...] = (),
           notes: str = "", event_id: str = "", **overrides: object) -> Event:
    """A capture of ``town`` by ``force`` as the store returns it."""
    lat, lon, country = TOWNS[town]
    values: dict[str, object] = dict(
        event_date=day, event_type="Battles", sub_event_type="Government regains territory",
        location=town, latitude=lat, longitude=lon, country=country, place_id=f"t:{town}",
        actor1_force=force, actor2_force=old, control_to=force, date_min=day,
        date_max=until or day, notes=notes, review_status=status, origin=origin,
        source="Test Wire", article_ids=list(sources),
        event_id=event_id or f"{town}-{force}-{day}-{origin}-{status}")
    values.update(overrides)
    return Event(**values)  # type: ignore[arg-type]


def curated(town: str, force: str, day: date, old: str = "IS", **kw: object) -> Event:
    return report(town, force, day, old=old, origin="curated", status="confirmed",
                  notes=f"Cited title (Wire, {day}); status: captured", **kw)


def state(events: list[Event], town: str, day: date) -> tuple[str, str]:
    place = control_on(events, day)[0][f"t:{town}"]
    return place.status, place.force


# --- rule 2: claims and their weights ---------------------------------------------------

def test_tiers_analyst_curated_imported_single() -> None:
    """Rule 2: confirmed/corrected/manual = analyst (4), curated (3), imported (2),
    machine (1); a holding stated in passing (0) is rule 9's."""
    day = date(2016, 1, 1)
    tiers = [claim_of(e)[0].tier for e in (
        report("Hit", "ISF", day, status="confirmed"),
        report("Hit", "ISF", day, status="corrected"),
        report("Hit", "ISF", day, origin="manual"),
        curated("Hit", "ISF", day),
        report("Hit", "ISF", day, origin="imported"),
        report("Hit", "ISF", day))]
    assert tiers == [ANALYST, ANALYST, ANALYST, CURATED, CORROBORATED, SINGLE]


def test_two_independent_articles_corroborate_a_machine_claim() -> None:
    """Rule 2: the same capture reported by two articles within two weeks is corroborated;
    one article reported twice is not."""
    a = report("Hit", "ISF", date(2016, 4, 14), sources=("art-1",), event_id="a")
    b = report("Hit", "ISF", date(2016, 4, 20), sources=("art-2",), event_id="b")
    same = report("Hit", "ISF", date(2016, 4, 20), sources=("art-1",), event_id="c")
    from geo.control.claims import corroborate
    assert {c.tier for c in corroborate([claim_of(a)[0], claim_of(b)[0]])} == {CORROBORATED}
    assert {c.tier for c in corroborate([claim_of(a)[0], claim_of(same)[0]])} == {SINGLE}
    merged = report("Hit", "ISF", date(2016, 4, 14), sources=("art-1", "art-3"))
    assert corroborate([claim_of(merged)[0]])[0].tier == CORROBORATED


def test_rejected_and_nearby_captures_make_no_claim() -> None:
    """Rule 2: a rejected report and a capture located only near the town (geo_precision
    2: "villages east of Ramadi") make no claim on the town."""
    assert claim_of(report("Ramadi", "ISF", date(2016, 1, 1), status="rejected")) == (None, None)
    assert claim_of(report("Ramadi", "ISF", date(2016, 1, 1), geo_precision=2)) == (None, None)


def test_bad_claims_are_skipped_with_a_message_naming_the_event() -> None:
    """Rule 2 (validation): an unknown force, a date outside the theatre's range or a point
    outside its box is skipped with a message naming the event and what is wrong; the
    other claims still count."""
    bad = [report("Hit", "XYZ", date(2016, 4, 14), event_id="bad-force"),
           report("Hit", "ISF", date(1999, 4, 14), event_id="bad-date"),
           report("Hit", "ISF", date(2016, 4, 14), latitude=51.5, longitude=-0.1,
                  event_id="bad-point"),
           report("Hit", "ISF", date(2016, 4, 14), control_to="", event_id="no-taker")]
    good = report("Ramadi", "ISF", date(2015, 12, 28))
    pairs, problems = claims_from_events(bad + [good])
    assert [e.event_id for e, _ in pairs] == [good.event_id]
    text = "\n".join(problems)
    assert len(problems) == 4
    assert "bad-force" in text and "unknown force 'XYZ'" in text
    assert "bad-date" in text and "outside" in text
    assert "bad-point" in text and "outside the theatre" in text
    assert "no-taker" in text and "control_to" in text
    places, _ = control_on(bad + [good], date(2016, 5, 1))
    assert list(places) == ["t:Ramadi"]


# --- rule 3: dates ----------------------------------------------------------------------

def test_coarse_date_takes_effect_at_its_end_and_changes_nothing_before() -> None:
    """Rule 3: "in May 2015" counts from 31 May; during May the holder stays."""
    events = [curated("Ramadi", "ISF", date(2014, 1, 1), old="IS"),
              report("Ramadi", "IS", date(2015, 5, 1), until=date(2015, 5, 31), old="ISF",
                     time_precision=TimePrecision.MONTH, origin="curated", status="confirmed",
                     notes="t (w); status: captured")]
    assert state(events, "Ramadi", date(2015, 5, 10)) == ("held", "ISF")
    place = control_on(events, date(2015, 5, 31))[0]["t:Ramadi"]
    assert (place.force, place.status, place.since) == ("IS", "held", date(2015, 5, 31))


# --- rule 4: later over earlier, better over worse ---------------------------------------

def test_later_capture_replaces_earlier() -> None:
    """Rule 4: a later capture of the same weight replaces the holder."""
    events = [report("Ramadi", "IS", date(2015, 5, 17), old="ISF"),
              report("Ramadi", "ISF", date(2015, 12, 28))]
    assert state(events, "Ramadi", date(2015, 6, 1)) == ("held", "IS")
    assert state(events, "Ramadi", date(2016, 1, 15)) == ("held", "ISF")


def test_lone_machine_claim_disputes_a_curated_holder_without_repainting() -> None:
    """Rule 4: a single machine report that ISF took Fallujah in 2015 (a misread) against
    the curated IS capture: IS still holds it, the place is disputed by that report, and
    the dispute lapses after DISPUTE_DAYS."""
    misread = report("Fallujah", "ISF", date(2015, 3, 1), event_id="misread")
    events = [curated("Fallujah", "IS", date(2014, 1, 4), old="ISF"), misread]
    place = control_on(events, date(2015, 3, 2))[0]["t:Fallujah"]
    assert (place.status, place.force) == ("held", "IS")
    assert place.disputed == ("misread",)
    later = control_on(events, date(2015, 3, 1).replace(month=7))[0]["t:Fallujah"]
    assert DISPUTE_DAYS < 122 and later.disputed == () and later.force == "IS"


def test_corroborated_machine_claim_clearly_later_replaces_a_curated_holder() -> None:
    """Rule 4: two independent articles reporting ISF took Fallujah, months after the
    curated IS capture, change the holder (later over earlier)."""
    events = [curated("Fallujah", "IS", date(2014, 1, 4), old="ISF"),
              report("Fallujah", "ISF", date(2016, 6, 26), sources=("a1",), event_id="r1"),
              report("Fallujah", "ISF", date(2016, 6, 27), sources=("a2",), event_id="r2")]
    assert state(events, "Fallujah", date(2016, 7, 1)) == ("held", "ISF")


def test_analyst_outweighs_curated_at_the_same_moment_and_conflict_is_reported() -> None:
    """Rule 4: an analyst's corrected capture and a curated row of overlapping dates by
    different forces: the analyst's wins; both are checked, so the problems list names
    them for someone to fix."""
    events = [curated("Hit", "PMF", date(2016, 4, 13), until=date(2016, 4, 14),
                      event_id="cur"),
              report("Hit", "ISF", date(2016, 4, 10), until=date(2016, 4, 16),
                     status="corrected", event_id="fix")]
    places, problems = control_on(events, date(2016, 5, 1))
    assert (places["t:Hit"].status, places["t:Hit"].force) == ("held", "ISF")
    assert len(problems) == 1 and "cur" in problems[0] and "fix" in problems[0]


def test_a_lone_report_months_after_a_corroborated_machine_capture_replaces_it() -> None:
    """Rule 4: two articles report IS took Sinjar in August 2014; one article reports the
    Peshmerga retook it in November 2015. Fifteen months later, against machine evidence
    only, that is news of a change (later over earlier), not a contradiction; within
    DISPUTE_DAYS of the corroborated capture it only disputes."""
    fall = [report("Sinjar", "IS", date(2014, 8, 3), old="PESH", sources=("a1",)),
            report("Sinjar", "IS", date(2014, 8, 4), old="PESH", sources=("a2",))]
    retaken = report("Sinjar", "PESH", date(2015, 11, 13), old="IS", event_id="late")
    assert state(fall + [retaken], "Sinjar", date(2016, 1, 1)) == ("held", "PESH")
    early = report("Sinjar", "PESH", date(2014, 9, 1), old="IS", event_id="early")
    place = control_on(fall + [early], date(2014, 9, 5))[0]["t:Sinjar"]
    assert (place.force, place.disputed) == ("IS", ("early",))


def test_two_lone_reports_the_later_wins_and_the_earlier_disputes() -> None:
    """Rule 4: single reports of equal weight: the later one holds; when both describe the
    same moment, the earlier is listed as disputing it."""
    events = [report("Hit", "PMF", date(2016, 4, 13), event_id="pmf"),
              report("Hit", "IS", date(2016, 4, 14), event_id="is")]
    place = control_on(events, date(2016, 4, 20))[0]["t:Hit"]
    assert (place.status, place.force, place.disputed) == ("held", "IS", ("pmf",))


def test_a_loosely_dated_retrospective_capture_does_not_undo_a_later_report() -> None:
    """Rule 4: "IS seized Ramadi in 2015", told in passing by a 2016 article, replays on
    31 December 2015 (rule 3); the report of ISF retaking it on 28 December lies inside
    that year past its middle, so it is the likelier later one: Ramadi stays ISF's, not
    disputed. The same holds when an earlier article's report of the fall corroborates
    the loose one (two sources do not date it better). A recapture in March, before the
    year's middle, leaves the loose report the likelier later one (as before)."""
    loose = report("Ramadi", "IS", date(2015, 1, 1), old="ISF", until=date(2015, 12, 31),
                   sources=("told-2016",), event_id="loose")
    retake = report("Ramadi", "ISF", date(2015, 12, 28), sources=("wire-dec",), event_id="dec")
    fall = report("Ramadi", "IS", date(2015, 5, 17), old="ISF", sources=("wire-may",),
                  event_id="may")
    for events in ([loose, retake], [fall, loose, retake]):
        place = control_on(events, date(2016, 3, 1))[0]["t:Ramadi"]
        assert (place.status, place.force, place.disputed) == ("held", "ISF", ())
    early = report("Ramadi", "ISF", date(2015, 3, 1), sources=("wire-mar",), event_id="mar")
    assert state([loose, early], "Ramadi", date(2016, 3, 1)) == ("held", "IS")
    # a precise capture after the loose interval still replaces the holder
    later = report("Ramadi", "IS", date(2016, 2, 1), old="ISF", sources=("wire-feb",))
    assert state([loose, retake, later], "Ramadi", date(2016, 3, 1)) == ("held", "IS")


# --- rule 5: contested only for fighting inside ------------------------------------------

def test_partial_capture_is_contested_and_a_capture_ends_it() -> None:
    """Rule 5: a "[partial]" (or "[inside]") report makes the town contested between
    holder and attacker; a later capture makes it held again."""
    base = curated("Raqqa", "IS", date(2014, 1, 13), old="FSA")
    part = report("Raqqa", "SDF", date(2017, 7, 1), notes="[partial] old city taken",
                  sources=("a", "b"))
    assert state([base, part], "Raqqa", date(2017, 7, 2)) == ("contested", "")
    place = control_on([base, part], date(2017, 7, 2))[0]["t:Raqqa"]
    assert set(place.forces) == {"IS", "SDF"}
    done = curated("Raqqa", "SDF", date(2017, 10, 17))
    assert state([base, part, done], "Raqqa", date(2017, 10, 18)) == ("held", "SDF")


def test_a_machine_contest_with_no_capture_after_it_ends_and_the_holder_held_on() -> None:
    """Rule 5: "IS fighters seized a district of Hasakah" (machine reports only) makes
    the city contested; with no capture reported after it, the contest ends CONTEST_DAYS
    later and the holder before it (SYR, named as the loser) is taken to have held on.
    A curated partial (a checked contest) does not expire."""
    part = report("Raqqa", "IS", date(2015, 6, 25), old="SYR", notes="[partial] a district")
    assert state([part], "Raqqa", date(2015, 7, 1)) == ("contested", "")
    assert state([part], "Raqqa", date(2015, 6, 25) + timedelta(days=CONTEST_DAYS + 1)) == \
        ("held", "SYR")
    checked = report("Raqqa", "IS", date(2015, 6, 25), old="SYR", origin="curated",
                     status="confirmed", notes="Cited (Wire, 2015-06-25); status: partial")
    assert state([checked], "Raqqa", date(2016, 6, 1)) == ("contested", "")


def test_lone_machine_partial_does_not_contest_a_curated_holder() -> None:
    """Rules 4-5: one misread "[inside]" report does not make a curated town contested."""
    events = [curated("Raqqa", "IS", date(2014, 1, 13), old="FSA"),
              report("Raqqa", "SDF", date(2015, 7, 1), notes="[inside]", event_id="one")]
    place = control_on(events, date(2015, 7, 2))[0]["t:Raqqa"]
    assert (place.status, place.force, place.disputed) == ("held", "IS", ("one",))


# --- rule 6: siege ----------------------------------------------------------------------

def test_siege_keeps_the_holder_and_a_capture_by_the_holder_lifts_it() -> None:
    """Rule 6: besieged with the holder unchanged; the holder's capture lifts the siege."""
    base = curated("Raqqa", "IS", date(2014, 1, 13), old="FSA")
    siege = report("Raqqa", "SDF", date(2017, 6, 10), sub_event_type="Armed clash",
                   control_to="", notes="SDF encircled the city", sources=("a", "b"))
    place = control_on([base, siege], date(2017, 6, 20))[0]["t:Raqqa"]
    assert (place.status, place.force, place.forces) == ("besieged", "IS", ("IS", "SDF"))
    lifted = curated("Raqqa", "IS", date(2017, 6, 25), old="SDF")
    assert state([base, siege, lifted], "Raqqa", date(2017, 6, 26)) == ("held", "IS")


def test_a_siege_its_report_says_still_goes_on_lasts_to_the_report_day() -> None:
    """Rule 6: "besieged since 2013" in a 2018 report (extraction dates it 2013 and tags
    it ongoing to the report's day): besieged throughout, not stale in 2016, and since
    2013, not since the report; without the tag the 2013 report goes stale after two
    years as any lone machine claim does."""
    def siege(notes: str) -> Event:
        return report("Raqqa", "SDF", date(2013, 7, 2), old="IS", until=date(2013, 12, 31),
                      sub_event_type="Armed clash", control_to="", notes=notes,
                      date_min=date(2013, 1, 1))
    told = "It has been besieged by Kurdish fighters since 2013."
    ongoing = siege(ongoing_tag(date(2018, 3, 11)) + told)
    place = control_on([ongoing], date(2016, 6, 1))[0]["t:Raqqa"]
    assert (place.status, place.force, place.since) == ("besieged", "IS", date(2013, 12, 31))
    assert state([ongoing], "Raqqa", date(2018, 3, 12)) == ("besieged", "IS")
    assert state([siege(told)], "Raqqa", date(2016, 6, 1)) == ("unknown", "")


def test_the_siege_of_a_town_by_a_force_leaves_the_town_to_the_besieged() -> None:
    """Rule 6: "broke the three-year siege of the city by IS" (extraction: IS's siege
    dated three years back, then the army's capture) is a siege, not IS's holding: the
    town is the army's, besieged by IS, throughout; the break lifts the siege. Rule 7:
    a machine siege says nothing of the year before it (the besieger may have held the
    land around), so the town is not known then. A siege merely recalled ("which
    resisted a siege last year") is no siege claim."""
    told = ("The campaign began when government forces managed to break the three-year "
            "siege of the eastern Syrian city by ISIL.")
    siege = report("Raqqa", "IS", date(2014, 10, 23), old="SYR", control_to="",
                   sub_event_type="Armed clash", notes=told, event_id="siege")
    broken = report("Raqqa", "SYR", date(2017, 9, 10), old="IS", notes=told,
                    event_id="break")
    middle = control_on([siege, broken], date(2016, 1, 1))[0]["t:Raqqa"]
    assert (middle.status, middle.force, middle.forces) == ("besieged", "SYR", ("SYR", "IS"))
    assert state([siege, broken], "Raqqa", date(2017, 10, 1)) == ("held", "SYR")
    assert "t:Raqqa" not in control_on([siege, broken], date(2014, 6, 1))[0]
    recalled = report("Raqqa", "IS", date(2015, 2, 5), old="SDF", control_to="",
                      sub_event_type="Armed clash", notes="In the town, which resisted a "
                      "long siege last year, ten people died in fighting on Thursday.")
    assert claim_of(recalled)[0] is None


# --- rule 7: the holder before the first capture -----------------------------------------

def test_force_taken_from_held_the_place_before_the_first_capture() -> None:
    """Rule 7: the curated capture of Mosul from ISF on 10 June 2014 says ISF held it
    before (from RECORD_START), shown as inferred; a machine claim's loser is assumed
    for PRIOR_DAYS only."""
    events = [curated("Ramadi", "IS", date(2015, 5, 17), old="ISF")]
    before = control_on(events, date(2013, 6, 1))[0]["t:Ramadi"]
    assert (before.status, before.force, before.inferred) == ("held", "ISF", True)
    assert before.since == RECORD_START
    machine = [report("Hit", "IS", date(2015, 5, 17), old="ISF")]
    assert "t:Hit" not in control_on(machine, date(2013, 6, 1))[0]
    assert state(machine, "Hit", date(2015, 1, 1)) == ("held", "ISF")


def test_machine_claims_loser_held_it_since_it_first_held_anything() -> None:
    """Rule 7: "ISF retook Hit from IS on 11 April 2016" says IS held Hit before; the
    record shows IS holding towns since it took Fallujah and Ramadi in January 2014 (the
    second of them dates it), so IS is inferred to hold Hit since then, not only for the
    year before (PRIOR_DAYS). One report of one town cannot reach back alone."""
    hit = report("Hit", "ISF", date(2016, 4, 11), old="IS")
    events = [report("Fallujah", "IS", date(2014, 1, 4), old="ISF"),
              report("Ramadi", "IS", date(2014, 1, 10), old="ISF"), hit]
    place = control_on(events, date(2014, 6, 1))[0]["t:Hit"]
    assert (place.status, place.force, place.inferred) == ("held", "IS", True)
    assert place.holder_since == date(2014, 1, 10)
    assert "t:Hit" not in control_on(events, date(2014, 1, 5))[0]
    # Only one other town in the record: the year before only.
    alone = [events[0], hit]
    assert "t:Hit" not in control_on(alone, date(2014, 6, 1))[0]
    assert state(alone, "Hit", date(2015, 6, 1)) == ("held", "IS")


def test_a_loosely_dated_first_capture_leaves_the_place_unknown_until_it_counts() -> None:
    """Rule 7: "Haditha fell to IS a year ago" (a 365-day interval): ISF is inferred to
    hold it before the interval, nobody is known to during it, IS after its end. A
    month-wide date ("in May 2015") keeps the inferred holder to its end (rule 3)."""
    loose = [report("Haditha", "IS", date(2014, 4, 17), old="ISF", until=date(2015, 4, 16))]
    assert state(loose, "Haditha", date(2014, 3, 1)) == ("held", "ISF")
    assert "t:Haditha" not in control_on(loose, date(2014, 10, 1))[0]
    assert state(loose, "Haditha", date(2015, 5, 1)) == ("held", "IS")
    month = [report("Haditha", "IS", date(2015, 5, 1), old="ISF", until=date(2015, 5, 31))]
    assert state(month, "Haditha", date(2015, 5, 15)) == ("held", "ISF")


# --- rule 8: stale -----------------------------------------------------------------------

def test_machine_claim_goes_stale_curated_does_not() -> None:
    """Rule 8: a machine claim with nothing newer for two years becomes unknown; a curated
    row stands until a newer claim."""
    machine = [report("Haditha", "ISF", date(2014, 1, 1), old="")]
    assert state(machine, "Haditha", date(2015, 12, 31)) == ("held", "ISF")
    assert state(machine, "Haditha", date(2016, 1, 2)) == ("unknown", "")
    kept = [curated("Haditha", "ISF", date(2014, 1, 1), old="IS")]
    assert state(kept, "Haditha", date(2019, 1, 1)) == ("held", "ISF")
    short = control_on(machine, date(2014, 3, 1), stale_after_days=30)[0]["t:Haditha"]
    assert short.status == "unknown"


def test_a_stale_place_keeps_its_last_holder_and_the_day_it_was_last_reported() -> None:
    """Rule 8: a stale place is unknown (the map shades no land from it), but it keeps
    the holder last reported and the last day the evidence spoke for it, for the answer
    and the marker (a faded ring of that force's colour); last reported besieged, it
    keeps its besiegers too."""
    machine = [report("Haditha", "ISF", date(2014, 1, 1), old="IS")]
    place = control_on(machine, date(2016, 6, 1))[0]["t:Haditha"]
    assert (place.status, place.force, place.forces) == ("unknown", "", ())
    assert (place.last_force, place.last_reported) == ("ISF", date(2014, 1, 1))
    fresh = control_on(machine, date(2015, 6, 1))[0]["t:Haditha"]
    assert (fresh.last_force, fresh.last_reported) == ("", None)
    siege = [report("Haditha", "ISF", date(2015, 10, 16), old="IS", sub_event_type="Armed clash",
                    notes="Iraqi forces besieged the town")]
    place = control_on(siege, date(2018, 1, 1))[0]["t:Haditha"]
    assert (place.status, place.last_force, place.forces) == ("unknown", "IS", ("IS", "ISF"))


def test_a_later_capture_from_the_holder_keeps_an_old_report_from_going_stale() -> None:
    """Rule 8: IS's capture of Fallujah reported in January 2014 and ISF's recapture
    from IS in June 2016 (machine reports): IS held Fallujah until the recapture, so it
    does not become unknown in between, although the newest report is over two years
    old in early 2016. Without the recapture it goes stale."""
    fall = report("Fallujah", "IS", date(2014, 1, 4), old="ISF")
    back = report("Fallujah", "ISF", date(2016, 6, 22), old="IS", until=date(2016, 6, 26))
    assert state([fall, back], "Fallujah", date(2016, 3, 1)) == ("held", "IS")
    assert state([fall, back], "Fallujah", date(2016, 7, 1)) == ("held", "ISF")
    assert state([fall], "Fallujah", date(2016, 3, 1)) == ("unknown", "")


def test_a_held_report_anchors_the_holder_from_the_start_of_the_record() -> None:
    """Rule 7 for a held report (curated status held: a town that never fell): the force
    it names holds the town from the start of the record, inferred, and keeps it after;
    a later capture by another force still changes it."""
    held = report("Haditha", "ISF", date(2014, 7, 1), old="", origin="curated",
                  status="confirmed", notes="Cited (Wire, 2014-07-01); status: held")
    place = control_on([held], date(2013, 5, 1))[0]["t:Haditha"]
    assert (place.status, place.force, place.inferred) == ("held", "ISF", True)
    assert state([held], "Haditha", date(2019, 1, 1)) == ("held", "ISF")
    taken = curated("Haditha", "IS", date(2016, 1, 1), old="ISF")
    assert state([held, taken], "Haditha", date(2016, 2, 1)) == ("held", "IS")


def test_the_force_a_capture_took_a_place_from_held_places_then() -> None:
    """Rule 7: "IS seized Sinjar from the Peshmerga on 3 August 2014" and "IS took
    Zummar from the Peshmerga on 2 August 2014" show the Peshmerga holding two towns in
    August 2014 (a capture's loser held the place until it, so on its first day). A later
    machine report "ISF took Makhmur from the Peshmerga in October 2017" then infers the
    Peshmerga held Makhmur since August 2014, not only the year before the report."""
    events = [report("Zummar", "IS", date(2014, 8, 2), old="PESH"),
              report("Sinjar", "IS", date(2014, 8, 3), old="PESH"),
              report("Makhmur", "ISF", date(2017, 10, 16), old="PESH")]
    place = control_on(events, date(2016, 1, 1))[0]["t:Makhmur"]
    assert (place.status, place.force, place.inferred) == ("held", "PESH", True)
    assert place.holder_since == date(2014, 8, 3)
    # One town lost in the record: the year before only.
    alone = [events[1], events[2]]
    assert "t:Makhmur" not in control_on(alone, date(2016, 1, 1))[0]


# --- rule 9: holdings stated in passing -------------------------------------------------

def stated(town: str, force: str, day: date, *, until: date | None = None,
           article: str = "a1") -> Event:
    """A holding an article states in passing ("fleeing IS-held Hit"), as the control
    rules read it from the store."""
    from geo.control.claims import stated_event
    from geo.core.records import Holding

    lat, lon, country = TOWNS[town]
    return stated_event(Holding(
        place_id=f"t:{town}", location=town, latitude=lat, longitude=lon, force=force,
        date_min=day, date_max=until or day, country=country, article_id=article,
        sentence=f"Families fleeing {force}-held {town} waited at a checkpoint.",
        construction="held-compound", source="Test Wire"))


def test_a_stated_holding_is_the_weakest_claim_and_names_the_holder() -> None:
    """Rule 9: a town known only from a stated holding is held by its force from the
    statement's day (tier "stated in passing", below a single report)."""
    from geo.control.claims import STATED

    day = date(2016, 3, 20)
    event = stated("Hit", "IS", day)
    claim = claim_of(event)[0]
    assert claim is not None and claim.kind == "held" and claim.tier == STATED < SINGLE
    assert state([event], "Hit", day) == ("held", "IS")
    assert control_on([event], day)[0]["t:Hit"].tier == STATED


def test_a_report_outweighs_a_stated_holding_and_is_not_disputed_by_it() -> None:
    """Rule 9: a single machine report of a capture stands against a passing statement
    of the same weeks naming another holder, and the statement marks nothing disputed
    (the report is the better evidence; the review queue is for reports)."""
    taken = date(2016, 4, 11)
    events = [report("Hit", "ISF", taken), stated("Hit", "IS", taken + timedelta(days=20))]
    place = control_on(events, taken + timedelta(days=30))[0]["t:Hit"]
    assert (place.status, place.force, place.disputed) == ("held", "ISF", ())
    # and the same day: the report is replayed after the statement
    events = [report("Hit", "ISF", taken), stated("Hit", "IS", taken)]
    assert state(events, "Hit", taken) == ("held", "ISF")


def test_a_stated_holding_months_after_a_lone_report_is_news_of_a_change() -> None:
    """Rule 9 with rule 4: more than DISPUTE_DAYS after the holder's last machine report,
    a statement naming another holder replaces it (later over earlier); a statement of
    the same holder keeps the report from going stale (rule 8)."""
    fell = date(2014, 10, 16)
    later = fell + timedelta(days=DISPUTE_DAYS + 200)
    events = [report("Haditha", "IS", fell, old="ISF"), stated("Haditha", "ISF", later)]
    assert state(events, "Haditha", later) == ("held", "ISF")
    kept = [report("Haditha", "IS", fell, old="ISF"), stated("Haditha", "IS", date(2016, 6, 1))]
    assert state(kept, "Haditha", date(2017, 1, 1)) == ("held", "IS")
    assert state(kept[:1], "Haditha", date(2017, 1, 1))[0] == "unknown"


def test_a_stated_holding_dated_by_a_range_asserts_control_from_its_end() -> None:
    """Rules 9 and 3: a statement whose date is a range ("held it since last year")
    says the force held the place at the range's end; before it nothing is asserted
    (the place is unknown inside the range: rule 7 for a loosely dated first claim)."""
    start, end = date(2015, 1, 1), date(2015, 12, 31)
    events = [stated("Tabqa", "IS", start, until=end)]
    assert "t:Tabqa" not in control_on(events, date(2015, 6, 1))[0]
    assert state(events, "Tabqa", end) == ("held", "IS")


# --- rule 10: presumptions ---------------------------------------------------------------

def seat(town: str, force: str) -> Event:
    """The presumption that ``force`` holds ``town`` as its government's seat (the force
    table gives the seat; here an invented one)."""
    lat, lon, country = TOWNS[town]
    return seat_event(Force(force, force, force, "#000000", force, "", (force,), "state",
                            seat=f"t:{town}", seat_of=f"the government of {force}"),
                      Place(f"t:{town}", town, lat, lon, country))


def test_a_seat_is_presumed_held_until_a_report_says_otherwise() -> None:
    """Rule 10: with no report, the seat is its government's from the start of the record
    to the end, tier presumed, and silence never ages it (rule 8 does not apply); a
    single machine report of its capture outweighs it, a siege by another force shows
    as a siege of the government's town, and a report of the government holding it
    stands behind the holder instead of the presumption."""
    presumption = seat("Ramadi", "ISF")
    assert claim_of(presumption)[0].tier == PRESUMED
    for day in (RECORD_START, date(2015, 1, 1), date(2019, 12, 31)):
        place = control_on([presumption], day)[0]["t:Ramadi"]
        assert (place.status, place.force, place.tier) == ("held", "ISF", PRESUMED)
    fall = report("Ramadi", "IS", date(2015, 5, 17), old="", sources=("a-1",))
    assert state([presumption, fall], "Ramadi", date(2015, 6, 1)) == ("held", "IS")
    assert state([presumption, fall], "Ramadi", date(2015, 5, 1)) == ("held", "ISF")
    siege = report("Ramadi", "IS", date(2015, 10, 16), old="", sub_event_type="Armed clash",
                   notes="IS fighters besieged the town")
    assert state([presumption, siege], "Ramadi", date(2015, 11, 1)) == ("besieged", "ISF")
    held = report("Ramadi", "ISF", date(2016, 2, 9), old="")
    place = control_on([presumption, held], date(2016, 3, 1))[0]["t:Ramadi"]
    assert (place.force, place.tier, place.event_ids) == ("ISF", SINGLE, (held.event_id,))


def test_a_siege_of_a_presumed_seat_lapses_back_to_the_presumption() -> None:
    """Rules 6, 8 and 10: a siege reported at a presumed seat leaves the government
    holding it (besieged, the holder's tier the presumption's); two years after the
    last report the siege has gone stale but the presumption has not: held by the
    government again, presumed, not unknown."""
    presumption = seat("Ramadi", "ISF")
    siege = report("Ramadi", "IS", date(2015, 10, 16), old="", sub_event_type="Armed clash",
                   notes="IS fighters besieged the town")
    place = control_on([presumption, siege], date(2016, 1, 1))[0]["t:Ramadi"]
    assert (place.status, place.force, place.forces, place.tier) == \
        ("besieged", "ISF", ("ISF", "IS"), PRESUMED)
    place = control_on([presumption, siege], date(2018, 1, 1))[0]["t:Ramadi"]
    assert (place.status, place.force, place.tier, place.event_ids) == \
        ("held", "ISF", PRESUMED, (presumption.event_id,))


def test_a_siege_report_naming_the_besieged_outweighs_the_presumption() -> None:
    """Rules 6 and 10: "the SDF besieged IS-held C" is a report of IS holding C: it
    outweighs the presumption that the government holds it (as a report of capture
    would), so C is IS's, besieged by the SDF, and goes stale like any report."""
    presumption = seat("Ramadi", "ISF")
    siege = report("Ramadi", "SDF", date(2015, 10, 16), old="IS", sub_event_type="Armed clash",
                   notes="SDF fighters besieged the town")
    place = control_on([presumption, siege], date(2016, 1, 1))[0]["t:Ramadi"]
    assert (place.status, place.force, place.forces, place.tier) == \
        ("besieged", "IS", ("IS", "SDF"), SINGLE)
    place = control_on([presumption, siege], date(2018, 1, 1))[0]["t:Ramadi"]
    assert (place.status, place.last_force) == ("unknown", "IS")


def test_a_presumption_is_not_a_holding_for_rule_7() -> None:
    """Rules 10 and 7: a seat presumed the Peshmerga's since the start of the record is
    not a town the record shows them holding. With one reported loss (Zummar, August
    2014), "ISF took Makhmur from the Peshmerga in October 2017" infers their holding of
    Makhmur for the year before the report only, as without the seat (it would reach
    back to August 2014 if the seat counted as their second town)."""
    events = [report("Zummar", "IS", date(2014, 8, 2), old="PESH"),
              report("Makhmur", "ISF", date(2017, 10, 16), old="PESH")]
    alone = control_on(events, date(2017, 1, 1))[0]["t:Makhmur"]
    with_seat = control_on(events + [seat("Haditha", "PESH")], date(2017, 1, 1))[0]
    assert with_seat["t:Makhmur"] == alone
    assert alone.holder_since == date(2016, 10, 16)
