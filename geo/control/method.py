"""The method paragraph shown next to every control map (dashboard, exports, GeoJSON)."""
from __future__ import annotations

#: Shown to users next to the control map (the dashboard reads it from here).
METHOD_TEXT = (
    "Who holds a town is worked out from reported captures, sieges and fighting inside "
    "towns, plus the curated timeline. Reports of the same town (same gazetteer id, or "
    "same name within 5 km) are one place. Claims are weighed, not counted: an "
    "analyst's confirmation outweighs the curated timeline, which outweighs a capture "
    "reported by several independent sources, which outweighs a single machine-read "
    "report; a later claim outweighs an earlier one of the same weight. A lone report "
    "that contradicts a better one marks the town disputed (for review) but does not "
    "change its holder. A capture counts from the last day its date allows (\"in May "
    "2015\" from 31 May). Contested means the sources report fighting inside the town. "
    "The force a town was first taken from is taken to have held it before (shown as "
    "inferred). A machine-read claim with no newer evidence for two years becomes "
    "unknown. Territory is an estimate: every locality of the gazetteer (about 31,000 in "
    "Iraq and Syria) follows the nearest town with a known state along the chain of "
    "settlements (within 100 km), except the land of a city of 250,000 people or more "
    "that no report gives a holder for, which stays blank (a city is never estimated "
    "from its neighbours), and only settled land is shaded (a few km around "
    "each locality, wider where villages are sparse, and corridors between neighbouring "
    "villages). Open desert goes to a force only where that force holds the towns on "
    "every side of it within 115 km, the nearest within 50 km, and no hostile or "
    "contested town is nearly as near; other desert stays blank. Front lines are where "
    "land of hostile forces meets. Areas are computed in a Lambert azimuthal equal-area "
    "projection."
)
