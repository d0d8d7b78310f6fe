"""Desert between towns one force holds (``geo.control.territory.desert_holders``).

Fixtures are tiny and built in code, in metres of a flat plane (the rule only measures
distances and directions, so no projection is involved): one desert square at the
origin and a handful of towns around it, each case the edge the docstring names.
"""
from __future__ import annotations

import numpy as np
import pytest
import shapely

from geo.control.territory import (
    DESERT_MARGIN_M,
    DESERT_REACH_M,
    DESERT_SURROUND_M,
    DesertGrid,
    LocalityMesh,
    desert_holders,
    desert_land,
    desert_near,
)

IS, ISF, PMF, SDF = 0, 1, 2, 3
#: IS fights everyone; ISF and PMF are allies; SDF fights IS only here.
HOSTILE = np.array([[False, True, True, True],
                    [True, False, False, False],
                    [True, False, False, False],
                    [True, False, False, False]])
CONTESTED = -1


def square_at(x: float, y: float) -> DesertGrid:
    """One 5 km desert square centred on (x, y)."""
    return DesertGrid(np.array([[x, y]]), np.array([shapely.box(x - 2500, y - 2500,
                                                                x + 2500, y + 2500)]),
                      np.array([25.0]))


def holder_of_square(towns: list[tuple[float, float, int]], at: tuple[float, float] = (0, 0)
                     ) -> int:
    """The force code the square at ``at`` goes to (-1: nobody) with ``towns`` as
    (x, y, holder code)."""
    grid = square_at(*at)
    places = np.array([(x, y) for x, y, _ in towns], dtype=float)
    holder = np.array([h for _, _, h in towns], dtype=np.int64)
    near = desert_near(grid, places)
    owners = desert_holders(near, holder, HOSTILE)
    if not len(near.cells):
        return -1
    return int(owners[0])


#: Three IS towns 40 km away, around the square (north, south-west, south-east).
AROUND = [(0.0, 40000.0, IS), (-35000.0, -20000.0, IS), (35000.0, -20000.0, IS)]


def test_desert_surrounded_by_one_forces_towns_is_its_own() -> None:
    """Steppe with IS towns on every side, nobody else near: IS holds it."""
    assert holder_of_square(AROUND) == IS


def test_desert_beside_a_line_of_towns_is_not_claimed() -> None:
    """Towns all on one side (a river valley, the desert beyond it): not surrounded, so
    the open desert past the last towns stays blank."""
    one_side = [(-60000.0, 30000.0, IS), (0.0, 30000.0, IS), (60000.0, 30000.0, IS)]
    assert holder_of_square(one_side) == -1


def test_a_lone_outpost_claims_no_desert() -> None:
    assert holder_of_square([(0.0, 20000.0, IS)]) == -1


def test_a_hostile_town_nearly_as_near_leaves_no_mans_land() -> None:
    """An ISF town only a little farther than the nearest IS town: the square lies in
    the strip between hostile forces and stays blank."""
    enemy = (0.0, -(40000.0 + DESERT_MARGIN_M / 2), ISF)
    assert holder_of_square(AROUND + [enemy]) == -1


def test_a_hostile_town_well_beyond_the_margin_does_not_matter() -> None:
    enemy = (0.0, -(40000.0 + DESERT_MARGIN_M + 10000.0), ISF)
    assert holder_of_square(AROUND + [enemy]) == IS


def test_an_allied_town_nearby_does_not_block() -> None:
    """ISF towns around and a PMF town (its ally) as near: the desert is ISF's."""
    around = [(x, y, ISF) for x, y, _ in AROUND]
    assert holder_of_square(around + [(5000.0, 40000.0, PMF)]) == ISF


def test_a_contested_town_nearby_blocks() -> None:
    """Fighting inside a town near the square: nobody is said to hold the desert."""
    assert holder_of_square(AROUND + [(0.0, -41000.0, CONTESTED)]) == -1


@pytest.mark.parametrize("scale", [1.0, 1.5])
def test_too_far_from_any_town_stays_blank(scale: float) -> None:
    """Beyond ``DESERT_REACH_M`` from the nearest town the desert is nobody's, however
    the towns are placed around it."""
    far = DESERT_REACH_M * scale + 5000.0
    towns = [(0.0, far, IS), (-far, -far / 2, IS), (far, -far / 2, IS)]
    assert holder_of_square(towns) == -1


def test_only_towns_within_the_surround_distance_count_as_around() -> None:
    """Two IS towns near on one side and a third far beyond ``DESERT_SURROUND_M`` on the
    other: the far one does not close the ring."""
    towns = [(-30000.0, 30000.0, IS), (30000.0, 30000.0, IS),
             (0.0, -(DESERT_SURROUND_M + 20000.0), IS)]
    assert holder_of_square(towns) == -1


def test_nearest_town_decides_among_two_friendly_rings() -> None:
    """SDF towns (allied with ISF here by not being hostile) ring the square, ISF's are
    farther: the square goes to the force of its nearest town."""
    sdf = [(x / 2, y / 2, SDF) for x, y, _ in AROUND]
    isf = [(x * 1.5, y * 1.5, ISF) for x, y, _ in AROUND]
    assert holder_of_square(sdf + isf) == SDF


def test_a_village_beyond_every_towns_reach_is_judged_like_the_desert_around_it() -> None:
    """A lone steppe village that no town's catchment reaches (``owner`` -1) inside a
    ring of IS towns: its settled land goes to IS with the steppe, not left a blank hole;
    a village some town's catchment does reach is not judged again."""
    village = shapely.Point(0, 0).buffer(3000.0)
    mesh = LocalityMesh(points=np.array([[0.0, 0.0], [1000.0, 38000.0]]),
                        cells=np.array([village, shapely.Point(1000, 38000).buffer(3000.0)]),
                        cell_km2=np.array([village.area / 1e6] * 2),
                        spacing_m=np.array([20000.0, 20000.0]),
                        links=np.empty((0, 2), dtype=int), link_m=np.empty(0),
                        pairs=np.empty((0, 2), dtype=int))
    grid = DesertGrid(np.empty((0, 2)), np.empty(0, dtype=object), np.empty(0))
    places = np.array([(x, y) for x, y, _ in AROUND])
    holder = np.array([h for _, _, h in AROUND], dtype=np.int64)
    near = desert_near(grid, places, mesh=mesh, owner=np.array([-1, 0]))
    assert near.cells.tolist() == [len(grid) + 0]          # the unreached village only
    assert desert_holders(near, holder, HOSTILE).tolist() == [IS]
    land, km2 = desert_land(grid, mesh, near.cells)
    assert land.equals(village) and km2 == pytest.approx(village.area / 1e6)
