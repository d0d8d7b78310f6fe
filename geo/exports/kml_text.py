"""KML's text, colours and times, for every KML the exports write (events, control).

Why its own module: the events' KML (``geo.exports.gis``) and the control folders
(``geo.exports.control_gis``) escape text and write colours the same way; one definition
keeps a value that breaks one from breaking the other.
"""
from __future__ import annotations

import re
from datetime import date
from xml.sax.saxutils import escape as xml_escape

from geo.control.wording import loose_date

#: Characters XML 1.0 cannot hold at all, escaped or not: C0 controls other than tab,
#: line feed and carriage return, lone surrogates, U+FFFE and U+FFFF. Article text and
#: imported notes carry them (a form feed from a PDF, a vertical tab from a spreadsheet);
#: one of them makes the whole KML unreadable to Google Earth and QGIS.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value: object, *, quote: bool = False) -> str:
    """``value`` as XML character data (``quote``: an attribute value in double quotes):
    escaped, and characters XML cannot hold replaced by spaces."""
    return xml_escape(_NOT_XML.sub(" ", str(value)), {'"': "&quot;"} if quote else {})


def kml_colour(hex_rgb: str, alpha: str = "ff") -> str:
    """``#rrggbb`` -> KML's ``aabbggrr``."""
    rgb = hex_rgb.lstrip("#")
    return f"{alpha}{rgb[4:6]}{rgb[2:4]}{rgb[0:2]}".lower()


def kml_when(day: date, earliest: date | None = None) -> str:
    """A KML time (``xsd:date``, ``gYearMonth`` or ``gYear``) at the precision a report
    gave: a change known only within ``earliest``..``day`` that is a whole calendar month
    is "2015-12", a whole year "2015" (Google Earth reads both as the period's start;
    the one test of "whole month/year" is ``geo.control.wording.loose_date``, as the
    popups say it); anything else the day the control rules count it from (``day``,
    rule 3)."""
    if earliest is None or loose_date(earliest, day) is None:
        return day.isoformat()
    return f"{day:%Y-%m}" if earliest == day.replace(day=1) else f"{day.year:04d}"


def kml_time_span(begin: str = "", end: str = "") -> str:
    """``<TimeSpan>`` with the ends given ("" when neither is: a feature of no time shows
    whatever the time slider says)."""
    if not begin and not end:
        return ""
    return ("<TimeSpan>" + (f"<begin>{begin}</begin>" if begin else "")
            + (f"<end>{end}</end>" if end else "") + "</TimeSpan>")
