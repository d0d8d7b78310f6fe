"""Label placement for briefing maps: by priority, without overlaps, with leaders.

Why hand-written: a briefing map is judged by whether the names that matter can be read.
The north of Iraq puts Mosul, Mosul Dam, Tal Afar, Bartella, Qaraqosh and Bashiqa within
a few pixels of each other at theatre scale; printing every name beside its point makes
them unreadable. The rule is the cartographer's (Imhof; Christensen, Marks & Shieber's
greedy point-feature placement):

1. labels are taken in priority order (capitals, towns with events, control places,
   other towns); a label that cannot be placed is left out, never printed on another;
2. each label first tries the eight positions beside its point, upper right first,
   avoiding other labels, leader lines, other places' symbols and the map furniture
   (legend, scale bar, north arrow); among the free positions the one covering the
   fewest event symbols wins;
3. if none is free, it is pushed further out in rings of increasing distance and joined
   to its point by a leader line that crosses no placed label.

Everything here is in display pixels (x to the right, y up, as Matplotlib's display
coordinates), so the module knows nothing of Matplotlib or map projections and can be
tested with hand-built boxes. Callers measure text and convert coordinates.
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

#: A box in display pixels: x0, y0, x1, y1 with x0 < x1 and y0 < y1.
Box = tuple[float, float, float, float]

#: Beside positions as unit directions (dx, dy) of the box relative to its point, in
#: order of preference: upper right first (Imhof), then the other diagonals and sides.
BESIDE: tuple[tuple[float, float], ...] = (
    (1, 1), (1, 0), (1, -1), (-1, 1), (-1, 0), (-1, -1), (0, 1), (0, -1))
#: Directions tried for labels on a leader (every 22.5 degrees, upper right first).
LEADER_DIRECTIONS: tuple[float, ...] = tuple(
    math.radians(a) for a in (45, 22.5, 67.5, 0, 90, 135, 112.5, 157.5, 180, -45, -22.5,
                              -67.5, -90, -135, -112.5, -157.5))
#: Leader lengths tried, in text heights beyond the beside clearance.
LEADER_STEPS: tuple[float, ...] = (1.5, 2.5, 3.5, 5.0, 6.5)
#: Cost of covering one event symbol, in "positions down the preference list".
EVENT_COVER_COST = 1.5


@dataclass(frozen=True)
class LabelRequest:
    """One name to place: its point (pixels), the size of its text box (pixels, halo
    included), its priority (lower is placed first) and the radius of its symbol."""

    key: str
    text: str
    x: float
    y: float
    width: float
    height: float
    priority: float
    radius: float = 3.0


@dataclass(frozen=True)
class Placement:
    """Where a label went: its box and, for a displaced label, the leader's two ends."""

    request: LabelRequest
    box: Box
    leader: tuple[tuple[float, float], tuple[float, float]] | None = None

    @property
    def centre(self) -> tuple[float, float]:
        return ((self.box[0] + self.box[2]) / 2, (self.box[1] + self.box[3]) / 2)


@dataclass
class PlacementResult:
    """Placed labels in placement order, and the keys of labels left out for lack of room."""

    placed: list[Placement] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)


class PointDensity:
    """Counts of points (event symbols) in any box in O(1): a summed-area table over a
    grid of ``cell`` pixels. Soft obstacles: a label may cover events, but fewer is better."""

    def __init__(self, xs: np.ndarray, ys: np.ndarray, frame: Box, cell: float = 4.0) -> None:
        self.frame, self.cell = frame, cell
        nx = max(int(math.ceil((frame[2] - frame[0]) / cell)), 1)
        ny = max(int(math.ceil((frame[3] - frame[1]) / cell)), 1)
        grid = np.zeros((ny + 1, nx + 1), dtype=np.int64)
        if len(xs):
            ix = np.clip(((np.asarray(xs) - frame[0]) / cell).astype(int), 0, nx - 1)
            iy = np.clip(((np.asarray(ys) - frame[1]) / cell).astype(int), 0, ny - 1)
            np.add.at(grid, (iy + 1, ix + 1), 1)
        self.table = grid.cumsum(axis=0).cumsum(axis=1)
        self.nx, self.ny = nx, ny

    def count(self, box: Box) -> int:
        """Points whose grid cell touches ``box``."""
        x0 = int(np.clip((box[0] - self.frame[0]) / self.cell, 0, self.nx))
        x1 = int(np.clip(math.ceil((box[2] - self.frame[0]) / self.cell), 0, self.nx))
        y0 = int(np.clip((box[1] - self.frame[1]) / self.cell, 0, self.ny))
        y1 = int(np.clip(math.ceil((box[3] - self.frame[1]) / self.cell), 0, self.ny))
        t = self.table
        return int(t[y1, x1] - t[y0, x1] - t[y1, x0] + t[y0, x0])


def overlaps(a: Box, b: Box, pad: float = 0.0) -> bool:
    """Whether two boxes overlap (touching edges do not count; ``pad`` widens ``a``)."""
    return (a[0] - pad < b[2] and b[0] < a[2] + pad and a[1] - pad < b[3]
            and b[1] < a[3] + pad)


def _beside(req: LabelRequest, gap: float) -> list[Box]:
    """The eight boxes touching the symbol's clearance circle, in preference order."""
    boxes = []
    r = req.radius + gap
    for dx, dy in BESIDE:
        diag = 0.7071 if dx and dy else 1.0
        cx = req.x + dx * (r * diag + req.width / 2)
        cy = req.y + dy * (r * diag + req.height / 2)
        boxes.append((cx - req.width / 2, cy - req.height / 2,
                      cx + req.width / 2, cy + req.height / 2))
    return boxes


def _nearest_on_box(box: Box, x: float, y: float) -> tuple[float, float]:
    return (min(max(x, box[0]), box[2]), min(max(y, box[1]), box[3]))


def _leader_candidates(req: LabelRequest, gap: float
                       ) -> list[tuple[Box, tuple[tuple[float, float], tuple[float, float]]]]:
    """Boxes further out on rays from the point, each with its leader (symbol edge to the
    nearest point of the box), nearest ring first."""
    out = []
    for step in LEADER_STEPS:
        distance = req.radius + gap + step * req.height
        for angle in LEADER_DIRECTIONS:
            ux, uy = math.cos(angle), math.sin(angle)
            # Put the box's nearest corner/edge at ``distance`` along the ray.
            cx = req.x + ux * (distance + abs(ux) * req.width / 2)
            cy = req.y + uy * (distance + abs(uy) * req.height / 2)
            box = (cx - req.width / 2, cy - req.height / 2, cx + req.width / 2,
                   cy + req.height / 2)
            end = _nearest_on_box(box, req.x, req.y)
            length = math.hypot(end[0] - req.x, end[1] - req.y) or 1.0
            start = (req.x + (end[0] - req.x) * req.radius / length,
                     req.y + (end[1] - req.y) * req.radius / length)
            out.append((box, (start, end)))
    return out


def _segment_hits_box(p: tuple[float, float], q: tuple[float, float], box: Box) -> bool:
    """Whether the segment p-q passes through the inside of ``box`` (Liang-Barsky)."""
    t0, t1 = 0.0, 1.0
    dx, dy = q[0] - p[0], q[1] - p[1]
    for edge_p, edge_q in ((-dx, p[0] - box[0]), (dx, box[2] - p[0]),
                           (-dy, p[1] - box[1]), (dy, box[3] - p[1])):
        if edge_p == 0:
            if edge_q <= 0:
                return False
            continue
        t = edge_q / edge_p
        if edge_p < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 >= t1:
            return False
    return True


def _segments_cross(a: tuple[tuple[float, float], tuple[float, float]],
                    b: tuple[tuple[float, float], tuple[float, float]]) -> bool:
    def orient(p: tuple[float, float], q: tuple[float, float], r: tuple[float, float]
               ) -> float:
        return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])

    (p1, p2), (p3, p4) = a, b
    d1, d2 = orient(p3, p4, p1), orient(p3, p4, p2)
    d3, d4 = orient(p1, p2, p3), orient(p1, p2, p4)
    return d1 * d2 < 0 and d3 * d4 < 0


def place_labels(requests: Iterable[LabelRequest], frame: Box, *,
                 obstacles: Sequence[Box] = (),
                 symbols: Sequence[tuple[float, float, float]] = (),
                 events: PointDensity | None = None, gap: float = 1.5,
                 pad: float = 1.0) -> PlacementResult:
    """Place ``requests`` inside ``frame`` (the map's pixel box), highest priority first.

    ``obstacles``: boxes no label may touch (legend, scale bar, north arrow, banners).
    ``symbols``: (x, y, radius) of place symbols; a label may not cover another place's
    symbol (the requests' own points count as symbols). ``events``: soft obstacles,
    counted. ``pad``: pixels kept between labels.
    A request whose point lies outside ``frame`` or under an obstacle is dropped."""
    result = PlacementResult()
    placed_boxes: list[Box] = []
    placed = np.zeros((0, 4), dtype=float)      # placed_boxes as an array, kept in step
    leaders: list[tuple[tuple[float, float], tuple[float, float]]] = []
    order = sorted(requests, key=lambda r: (r.priority, r.key))
    # Every labelled point is a symbol too: no label may cover another one's point.
    points = {(round(x, 1), round(y, 1)): (x, y, r) for x, y, r in symbols}
    for req in order:
        points.setdefault((round(req.x, 1), round(req.y, 1)), (req.x, req.y, req.radius))
    symbol_arr = np.array([(x - r, y - r, x + r, y + r) for x, y, r in points.values()],
                          dtype=float).reshape(-1, 4)
    hard = np.array(list(obstacles), dtype=float).reshape(-1, 4)

    def free(box: Box, req: LabelRequest) -> bool:
        """Whether ``box`` may hold ``req``'s label (called for every candidate box of
        every request: thousands of times per map, so arrays are built once)."""
        if box[0] < frame[0] + 1 or box[1] < frame[1] + 1 or box[2] > frame[2] - 1 \
                or box[3] > frame[3] - 1:
            return False
        b = np.array(box)
        if len(hard) and _any_overlap(b, hard, 0.0):
            return False
        if len(placed) and _any_overlap(b, placed, pad):
            return False
        if len(symbol_arr):
            hits = _overlap_mask(b, symbol_arr, 0.0)
            if hits.any():
                # Only its own symbol may touch (it cannot: candidates keep clear of it).
                own = (np.abs(symbol_arr[:, 0] + symbol_arr[:, 2] - 2 * req.x) < 0.5) & \
                      (np.abs(symbol_arr[:, 1] + symbol_arr[:, 3] - 2 * req.y) < 0.5)
                if (hits & ~own).any():
                    return False
        return not any(_segment_hits_box(p, q, box) for p, q in leaders)

    for req in order:
        if not (frame[0] <= req.x <= frame[2] and frame[1] <= req.y <= frame[3]) or (
                len(hard) and bool(((hard[:, 0] <= req.x) & (req.x <= hard[:, 2])
                                    & (hard[:, 1] <= req.y) & (req.y <= hard[:, 3])).any())):
            result.dropped.append(req.key)      # outside the map, or under the legend
            continue
        best: Placement | None = None
        best_cost = math.inf
        for rank, box in enumerate(_beside(req, gap)):
            if not free(box, req):
                continue
            cost = rank + (EVENT_COVER_COST * events.count(box) if events else 0.0)
            if cost < best_cost:
                best, best_cost = Placement(req, box), cost
        if best is None:
            for box, leader in _leader_candidates(req, gap):
                if not free(box, req):
                    continue
                if any(_segment_hits_box(leader[0], leader[1], other)
                       for other in placed_boxes) or any(
                        _segments_cross(leader, other) for other in leaders):
                    continue
                if len(symbol_arr) and _leader_hits_symbol(leader, symbol_arr, req):
                    continue
                best = Placement(req, box, leader)
                break
        if best is None:
            result.dropped.append(req.key)
            continue
        result.placed.append(best)
        placed_boxes.append(best.box)
        placed = np.vstack([placed, np.asarray(best.box, dtype=float)])
        if best.leader is not None:
            leaders.append(best.leader)
    return result


def _overlap_mask(box: np.ndarray, boxes: np.ndarray, pad: float) -> np.ndarray:
    mask: np.ndarray = ((box[0] - pad < boxes[:, 2]) & (boxes[:, 0] < box[2] + pad)
            & (box[1] - pad < boxes[:, 3]) & (boxes[:, 1] < box[3] + pad))
    return mask


def _any_overlap(box: np.ndarray, boxes: np.ndarray, pad: float) -> bool:
    return bool(_overlap_mask(box, boxes, pad).any())


def _leader_hits_symbol(leader: tuple[tuple[float, float], tuple[float, float]],
                        symbols: np.ndarray, req: LabelRequest) -> bool:
    """Whether a leader passes over another place's symbol (its own is where it starts)."""
    for s in symbols:
        if abs((s[0] + s[2]) / 2 - req.x) < 0.5 and abs((s[1] + s[3]) / 2 - req.y) < 0.5:
            continue
        if _segment_hits_box(leader[0], leader[1], (s[0], s[1], s[2], s[3])):
            return True
    return False
