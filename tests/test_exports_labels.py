"""Label placement: by priority, never overlapping, with leaders; on the rendered map.

Why: the briefing officer's first complaint was Mosul Dam, Tal Afar and Qaraqosh printed
on top of each other. The unit tests pin the placement rules on hand-built boxes; the
render test draws the dense north of Iraq (34 towns with events, control places of the
Mosul offensive) at a small size, reads every label's drawn box back from Matplotlib and
checks that no two overlap and that none covers the legend, scale bar or north arrow.
"""
from __future__ import annotations

import itertools

import pytest

from geo.exports.labels import (
    LabelRequest,
    PointDensity,
    overlaps,
    place_labels,
    segments_cross,
    segments_hit_boxes,
)
from geo.exports.layout import ImageSize
from geo.exports.view import SnapshotView

FRAME = (0.0, 0.0, 400.0, 300.0)


def _req(key: str, x: float, y: float, priority: float, w: float = 40, h: float = 10
         ) -> LabelRequest:
    return LabelRequest(key, key, x, y, w, h, priority, radius=3)


def test_lone_label_goes_upper_right() -> None:
    result = place_labels([_req("A", 100, 100, 0)], FRAME)
    (placed,) = result.placed
    assert placed.leader is None
    assert placed.box[0] > 100 and placed.box[1] > 100      # right of and above the point


def test_close_points_get_separate_boxes() -> None:
    requests = [_req(f"P{i}", 100 + 6 * i, 100 + 4 * i, i) for i in range(6)]
    result = place_labels(requests, FRAME)
    boxes = [p.box for p in result.placed]
    assert len(boxes) == 6 and not result.dropped
    assert not any(overlaps(a, b) for a, b in itertools.combinations(boxes, 2))


def test_priority_wins_when_room_runs_out() -> None:
    """Twenty names on one point in a small frame: the most important are kept, the
    rest dropped (never printed over another)."""
    frame = (0.0, 0.0, 120.0, 80.0)
    requests = [_req(f"N{i:02}", 60, 40, i) for i in range(20)]
    result = place_labels(requests, frame)
    kept = {p.request.key for p in result.placed}
    assert "N00" in kept and "N01" in kept
    assert result.dropped and max(result.dropped) == "N19"
    assert not any(overlaps(a.box, b.box) for a, b in itertools.combinations(result.placed, 2))


def test_leader_when_beside_positions_are_blocked() -> None:
    """A point boxed in by obstacles on every side gets its label further out, joined
    by a leader that crosses no obstacle-free rule (it starts at the symbol's edge)."""
    x, y = 200.0, 150.0
    walls = [(x - 60, y + 4, x + 60, y + 30), (x - 60, y - 30, x + 60, y - 4),
             (x + 4, y - 4, x + 60, y + 4), (x - 60, y - 4, x - 4, y + 4)]
    result = place_labels([_req("Boxed", x, y, 0)], FRAME, obstacles=walls)
    (placed,) = result.placed
    assert placed.leader is not None
    assert not any(overlaps(placed.box, wall) for wall in walls)
    (sx, sy), _end = placed.leader
    assert abs(((sx - x) ** 2 + (sy - y) ** 2) ** 0.5 - 3) < 0.01


def test_labels_avoid_other_symbols_and_prefer_empty_ground() -> None:
    """Upper right would cover a place symbol: the label moves. With a heap of events
    upper right, the label takes the next free position that leaves them visible."""
    symbols = [(100, 100, 3), (125, 110, 3)]
    result = place_labels([_req("A", 100, 100, 0)], FRAME, symbols=symbols)
    assert not overlaps(result.placed[0].box, (122, 107, 128, 113))
    import numpy as np

    xs, ys = np.full(30, 120.0), np.full(30, 110.0)
    density = PointDensity(xs, ys, FRAME)
    result = place_labels([_req("B", 100, 100, 0)], FRAME, events=density)
    box = result.placed[0].box
    assert not (box[0] <= 120 <= box[2] and box[1] <= 110 <= box[3])
    assert box[0] > 100                           # still on the preferred (right) side


BOX = (10.0, 10.0, 20.0, 20.0)


@pytest.mark.parametrize(("segment", "hits"), [
    ((0, 15, 30, 15), True),        # straight through
    ((0, 0, 30, 30), True),         # through the corners, diagonally
    ((12, 12, 14, 14), True),       # wholly inside
    ((0, 15, 9, 15), False),        # stops short
    ((0, 10, 30, 10), False),       # runs along the bottom edge: touches, does not enter
    ((10, 0, 10, 30), False),       # along the left edge
    ((0, 30, 10, 20), False),       # ends on the top-left corner
    ((5, 25, 25, 5), True),         # cuts the upper right corner off
    ((15, 15, 15, 15), True),       # a point inside (a leader of length zero)
    ((25, 15, 25, 15), False),      # a point outside
])
def test_leader_through_a_box(segment: tuple[float, ...], hits: bool) -> None:
    """A leader may not run through a label or symbol; grazing its edge is allowed."""
    assert bool(segments_hit_boxes([segment], [BOX])[0, 0]) is hits
    assert segments_hit_boxes([segment] * 3, [BOX, (100, 100, 110, 110), BOX]).tolist() \
        == [[hits, False, hits]] * 3


@pytest.mark.parametrize(("a", "b", "cross"), [
    ((0, 0, 10, 10), (0, 10, 10, 0), True),      # an X
    ((0, 0, 10, 10), (5, 5, 10, 0), False),      # a T: one ends on the other
    ((0, 0, 10, 0), (2, 0, 8, 0), False),        # collinear
    ((0, 0, 4, 4), (6, 0, 10, -4), False),       # apart
])
def test_leaders_crossing(a: tuple[float, ...], b: tuple[float, ...], cross: bool) -> None:
    assert bool(segments_cross([a], [b])[0, 0]) is cross
    assert bool(segments_cross([b], [a])[0, 0]) is cross


@pytest.fixture(scope="module")
def north(tmp_path_factory: pytest.TempPathFactory) -> str:
    from tests.export_store import build_north_store

    return build_north_store(tmp_path_factory.mktemp("north") / "north.sqlite")


def _label_boxes(rendered: object) -> tuple[list[tuple[str, tuple[float, ...]]], dict]:
    from geo.exports.render import LABEL_GID, LEGEND_GID

    fig = rendered.figure  # type: ignore[attr-defined]
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    labels = []
    for text in ax.texts:
        if text.get_gid() == LABEL_GID:
            b = text.get_window_extent(renderer)
            labels.append((text.get_text(), (b.x0, b.y0, b.x1, b.y1)))
    furniture = {}
    legend = ax.get_legend()
    assert legend is not None and legend.get_gid() == LEGEND_GID
    b = legend.get_window_extent(renderer)
    furniture["legend"] = (b.x0, b.y0, b.x1, b.y1)
    for artist in [*ax.texts, *ax.patches]:
        if artist.get_gid() in ("north-arrow", "scale-bar"):
            b = artist.get_window_extent(renderer)
            furniture[artist.get_gid()] = (b.x0, b.y0, b.x1, b.y1)
    b = ax.get_window_extent(renderer)
    furniture["map"] = (b.x0, b.y0, b.x1, b.y1)
    return labels, furniture


@pytest.mark.parametrize("size", [ImageSize(900, 600, 100), ImageSize(1200, 750, 100)])
def test_dense_north_iraq_has_no_overlapping_labels(north: str, size: ImageSize) -> None:
    from geo.exports.data import collect
    from geo.exports.render import render
    from geo.store import open_store
    from tests.export_store import NORTH_BBOX, NORTH_DAY

    view = SnapshotView(day=NORTH_DAY, window="days:30", bbox=NORTH_BBOX,
                        title="Mosul offensive", marking="UNCLASSIFIED")
    with open_store(north) as store:
        rendered = render(collect(view, store, size), size)
    labels, furniture = _label_boxes(rendered)
    names = [name for name, _ in labels]
    assert len(labels) >= 20, names
    pad = 0.5      # a shared edge is not an overlap; a pixel into the other box is
    for (a, box_a), (b, box_b) in itertools.combinations(labels, 2):
        assert not overlaps(box_a, box_b, -pad), f"{a!r} overlaps {b!r}"
    map_box = furniture.pop("map")
    for name, box in labels:
        assert map_box[0] <= box[0] and box[2] <= map_box[2], name
        assert map_box[1] <= box[1] and box[3] <= map_box[3], name
        for what, other in furniture.items():
            assert not overlaps(box, other, -pad), f"{name!r} covers the {what}"
    # What matters most is there: the city, the capital of the region, the places the
    # briefing officer named.
    # Erbil is Natural Earth's "Irbil": one place, one label, whichever spelling.
    for must in ("Mosul", "Erbil|Irbil", "Mosul Dam", "Tal Afar", "Qaraqosh"):
        assert any(n.split(" [")[0] in must.split("|") for n in names), (must, names)
    assert not {"Erbil", "Irbil"} <= {n.split(" [")[0] for n in names}
    # Six articles: their numbers stand beside the places they report.
    assert any(n.startswith("Mosul [") for n in names), names
    assert len(rendered.sources.standing) >= 6
