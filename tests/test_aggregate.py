"""Aggregation of many events into grid cells (geo.maps.aggregate), without a browser."""
from __future__ import annotations

import math
from datetime import date

import folium
import numpy as np
import pandas as pd
import pytest

from geo.maps.aggregate import (
    CELLS_CLASS,
    COUNT_COLOURS,
    aggregate_cells,
    cell_size_m,
    cells_feature_group,
    count_classes,
    count_colour,
    from_web_mercator,
    to_web_mercator,
    window_layer,
)
from geo.maps.events_layer import LoadedEvents

NAN = float("nan")


def _script(group: folium.FeatureGroup) -> str:
    """The page a feature group renders into (on a bare map, no tiles)."""
    fmap = folium.Map(tiles=None)
    group.add_to(fmap)
    return fmap.get_root().render()

# (case, lon, lat, forces, cell_m, expected counts per cell largest first, top forces)
CASES = [
    ("empty", [], [], [], 50_000.0, [], []),
    ("one event", [43.13], [36.34], ["IS"], 50_000.0, [1], ["IS"]),
    ("same town, one cell", [43.13, 43.131, 43.129], [36.34, 36.341, 36.339],
     ["ISF", "IS", "ISF"], 50_000.0, [3], ["ISF"]),
    ("Mosul and Raqqa apart", [43.13, 43.13, 39.01], [36.34, 36.34, 35.95],
     ["ISF", "ISF", "SDF"], 50_000.0, [2, 1], ["ISF", "SDF"]),
    ("tie goes to the first id", [43.13, 43.13], [36.34, 36.34], ["PMF", "ISF"],
     50_000.0, [2], ["ISF"]),
    ("no force", [43.13], [36.34], [""], 50_000.0, [1], [""]),
    ("missing coordinates left out", [43.13, NAN, 39.0], [36.34, 35.0, NAN],
     ["IS", "IS", "IS"], 50_000.0, [1], ["IS"]),
    ("small cells split a town", [43.10, 43.20], [36.34, 36.34], ["IS", "IS"],
     1_000.0, [1, 1], ["IS", "IS"]),
]


@pytest.mark.parametrize("case,lon,lat,forces,cell_m,counts,tops", CASES,
                         ids=[c[0] for c in CASES])
def test_counts_per_cell(case: str, lon: list, lat: list, forces: list, cell_m: float,
                         counts: list, tops: list) -> None:
    grid = aggregate_cells(lon, lat, forces, cell_m)
    features = grid.collection["features"]
    assert [f["properties"]["cell_count"] for f in features] == counts == grid.counts
    assert [f["properties"]["top_force"] for f in features] == tops
    finite = sum(1 for x, y in zip(lon, lat) if math.isfinite(x) and math.isfinite(y))
    assert grid.n_events == sum(counts) == finite        # counts add up to the input
    assert grid.n_cells == len(counts)
    for feature, count in zip(features, counts):
        ring = feature["geometry"]["coordinates"][0]
        assert feature["geometry"]["type"] == "Polygon" and ring[0] == ring[-1]
        assert feature["properties"]["label"].startswith(
            f"{count} event{'s' if count != 1 else ''}, top force ")


def test_each_event_lies_in_its_cell() -> None:
    rng = np.random.default_rng(0)
    lon, lat = rng.uniform(36, 48, 2_000), rng.uniform(30, 37.5, 2_000)
    grid = aggregate_cells(lon, lat, ["IS"] * 2_000, cell_size_m(7))
    assert grid.n_events == 2_000 == sum(grid.counts)
    inside = 0
    for feature in grid.collection["features"]:
        ring = np.array(feature["geometry"]["coordinates"][0])
        w, s = ring.min(axis=0)
        e, n = ring.max(axis=0)
        inside += int(((lon >= w) & (lon < e) & (lat >= s) & (lat < n)).sum())
    assert inside == 2_000             # (up to rounding at 5 decimals: none here)


def test_web_mercator_round_trip_and_cell_size() -> None:
    x, y = to_web_mercator(np.array([0.0, 43.13]), np.array([0.0, 36.34]))
    assert x[0] == 0 and y[0] == pytest.approx(0, abs=1e-6)
    assert x[1] == pytest.approx(4_801_192, rel=1e-5)       # EPSG:3857 easting of Mosul
    lon, lat = from_web_mercator(x, y)
    assert lon[1] == pytest.approx(43.13) and lat[1] == pytest.approx(36.34)
    assert cell_size_m(6) == pytest.approx(58_703, rel=1e-3)
    assert cell_size_m(7) == pytest.approx(cell_size_m(6) / 2)


def test_colours_follow_fixed_classes() -> None:
    assert [count_colour(n) for n in (1, 9, 10, 499, 500, 1_000, 10**6)] == [
        COUNT_COLOURS[0], COUNT_COLOURS[0], COUNT_COLOURS[1], COUNT_COLOURS[3],
        COUNT_COLOURS[4], COUNT_COLOURS[5], COUNT_COLOURS[5]]
    assert [label for _, label in count_classes()] == [
        "1-9", "10-49", "50-99", "100-499", "500-999", "1,000+"]


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError, match="same length"):
        aggregate_cells([1.0], [2.0, 3.0], ["IS"], 1_000)
    with pytest.raises(ValueError, match="positive"):
        aggregate_cells([1.0], [2.0], ["IS"], 0)


def test_empty_input_gives_an_empty_layer() -> None:
    grid = aggregate_cells([], [], [], cell_size_m(6))
    assert grid.collection == {"type": "FeatureCollection", "features": []}
    script = _script(cells_feature_group(grid))
    assert '"features":[]' in script.replace(" ", "")


def test_force_names_in_tooltips_are_escaped_json() -> None:
    grid = aggregate_cells([43.1], [36.3], ["<script>x</script>"], 50_000)
    script = _script(cells_feature_group(grid))
    assert "<script>x" not in script and "\\u003cscript\\u003ex" in script
    assert CELLS_CLASS in script and "textContent" in script


def _loaded(n: int) -> LoadedEvents:
    days = pd.to_datetime([date(2016, 6, 1)] * n)
    frame = pd.DataFrame({
        "event_id": [f"e{i}" for i in range(n)], "event_date": days, "date_min": days,
        "date_max": days, "latitude": np.linspace(33, 36, n), "longitude": np.linspace(40, 44, n),
        "actor1_force": ["IS"] * n, "event_type": ["Battles"] * n})
    return LoadedEvents.from_frame(frame)


@pytest.mark.parametrize("n,limit,aggregated", [(10, 10, False), (11, 10, True),
                                                (0, 10, False)])
def test_window_layer_switches_to_cells_above_the_limit(n: int, limit: int,
                                                        aggregated: bool) -> None:
    layer = window_layer(_loaded(n), None, date(2016, 6, 30), max_points=limit, zoom=6)
    assert layer.count == n and layer.aggregated is aggregated
    script = _script(layer.group)
    if aggregated:
        assert layer.grid is not None and layer.grid.n_events == n
        assert '"cell_count":' in script and '"event_id":' not in script
    else:
        assert script.count('"event_id":') == n
