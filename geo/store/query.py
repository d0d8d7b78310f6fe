"""The event filter shared by the store, the CLI and the dashboard.

A filter can describe itself in words ("12 events from 2016-05-01 to 2016-06-30, forces:
SDF, IS") so every view says what it shows.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class EventFilter:
    """Which events to show. Empty tuples and None mean "no restriction"."""

    date_from: date | None = None
    date_to: date | None = None
    forces: tuple[str, ...] = ()          # canonical force ids; matches actor1 or actor2
    event_types: tuple[str, ...] = ()     # ACLED event_type values
    sub_event_types: tuple[str, ...] = ()
    bbox: tuple[float, float, float, float] | None = None  # min lon, min lat, max lon, max lat
    review_status: tuple[str, ...] = ("machine", "confirmed", "corrected")
    text: str = ""                        # case-insensitive search in location, actors, notes
    include_undated: bool = False         # undated events have no place on a time axis
    origins: tuple[str, ...] = ()         # extracted, imported, curated, manual

    def describe(self, count: int | None = None) -> str:
        """The filter in words, e.g. "312 events from 2016-05-01 to 2016-06-30, forces: SDF, IS"."""
        head = "events" if count is None else f"{count:,} event{'s' if count != 1 else ''}"
        parts = [head]
        if self.date_from and self.date_to:
            parts[0] += (f" on {self.date_from}" if self.date_from == self.date_to
                         else f" from {self.date_from} to {self.date_to}")
        elif self.date_from:
            parts[0] += f" from {self.date_from}"
        elif self.date_to:
            parts[0] += f" up to {self.date_to}"
        else:
            parts[0] += " at any date"
        if self.forces:
            parts.append("forces: " + ", ".join(self.forces))
        if self.event_types:
            parts.append("types: " + ", ".join(self.event_types))
        if self.sub_event_types:
            parts.append("sub-types: " + ", ".join(self.sub_event_types))
        if self.bbox:
            w, s, e, n = self.bbox
            parts.append(f"within {s:.2f}..{n:.2f}°N, {w:.2f}..{e:.2f}°E")
        if tuple(self.review_status) != ("machine", "confirmed", "corrected"):
            parts.append("review: " + (", ".join(self.review_status) or "none"))
        if self.text:
            parts.append(f'matching "{self.text}"')
        if self.origins:
            parts.append("origin: " + ", ".join(self.origins))
        if self.include_undated:
            parts.append("undated included")
        return ", ".join(parts)
