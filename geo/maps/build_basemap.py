"""Maintainer script: build the compact offline basemap layers in ``data/boundaries/``.

Run once when the source data changes (the outputs are committed; the app never reads
the source folder, which a fresh clone does not have)::

    python -m geo.maps.build_basemap --source PATH/TO/shared/data/boundaries

Why simplify: the source polygons are several MB; the map only needs lines that look
right at zoom 5-10. Simplification happens in a metric projection (EPSG:3857, tolerance
about 500 m, plenty for display) and coordinates are rounded to 4 decimals (~10 m), which
keeps all layers together well under 2 MB.
"""
from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely.geometry import box

from geo.core.errors import InputError
from geo.core.paths import BOUNDARIES_DIR

#: The theatre and a margin around it (min lon, min lat, max lon, max lat).
VIEW_BBOX: tuple[float, float, float, float] = (33.5, 28.5, 50.0, 39.5)
SIMPLIFY_METRES = 500.0
PRECISION = 4
#: Provinces of neighbours drawn too (they are small or clipped to the view).
ADMIN1_FILES = ("wof_admin1_regions_IQ.geojson", "wof_admin1_regions_SY.geojson",
                "wof_admin1_regions_JO.geojson", "wof_admin1_regions_LB.geojson",
                "wof_admin1_regions_TR_intersecting_bbox.geojson",
                "wof_admin1_regions_IR_intersecting_bbox.geojson")
COUNTRIES_FILE = "ne_10m_admin_0_countries_iraq_syria_neighbours.geojson"
RIVERS_FILE = "ne_10m_rivers_lake_centerlines_clip_iraq_syria.geojson"
LAKES_FILE = "ne_10m_lakes_clip_iraq_syria.geojson"
TOWNS_FILE = "ne_10m_populated_places_iraq_syria_region.csv"


def _read(source: Path, name: str) -> gpd.GeoDataFrame:
    path = source / name
    if not path.is_file():
        raise InputError("source file not found", source=str(path))
    gdf = gpd.read_file(path)
    return gdf.set_crs(4326) if gdf.crs is None else gdf.to_crs(4326)


def simplify(gdf: gpd.GeoDataFrame, metres: float = SIMPLIFY_METRES) -> gpd.GeoDataFrame:
    """Mend, clip to the view, simplify in metres and drop what vanished."""
    gdf = gdf.copy()
    gdf["geometry"] = gdf.geometry.make_valid()
    gdf = gdf.clip(box(*VIEW_BBOX))
    gdf = gdf[~gdf.geometry.is_empty & gdf.geometry.notna()]
    metric = gdf.to_crs(3857)
    metric["geometry"] = metric.geometry.simplify(metres, preserve_topology=True)
    out = metric.to_crs(4326)
    return out[~out.geometry.is_empty].reset_index(drop=True)


def build_countries(source: Path) -> gpd.GeoDataFrame:
    gdf = _read(source, COUNTRIES_FILE)
    gdf = gdf.rename(columns={"NAME_EN": "name", "ISO_A2": "iso"})[["name", "iso", "geometry"]]
    return simplify(gdf)


def build_provinces(source: Path) -> gpd.GeoDataFrame:
    parts = []
    for name in ADMIN1_FILES:
        gdf = _read(source, name)
        gdf = gdf[gdf["is_current"].fillna(1).astype(int) == 1]
        gdf = gdf.assign(name=gdf["name_eng"].fillna(gdf["name"]),
                         country=name.split("_")[3].split(".")[0])
        parts.append(gdf[["wof_id", "name", "country", "geometry"]])
    return simplify(gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), crs=4326))


def build_rivers(source: Path) -> gpd.GeoDataFrame:
    gdf = _read(source, RIVERS_FILE)
    gdf = gdf.assign(name=gdf["name_en"].fillna(gdf["name"]).fillna(""),
                     rank=gdf["scalerank"].fillna(9).astype(int))
    return simplify(gdf[["name", "rank", "geometry"]], SIMPLIFY_METRES / 2)


def build_lakes(source: Path) -> gpd.GeoDataFrame:
    gdf = _read(source, LAKES_FILE)
    gdf = gdf.assign(name=gdf["name"].fillna(""))
    return simplify(gdf[["name", "geometry"]], SIMPLIFY_METRES / 2)


def build_towns(gazetteer_csv: Path) -> gpd.GeoDataFrame:
    """Natural Earth populated places as labels: capitals rank 1, the rest rank 2."""
    if not gazetteer_csv.is_file():
        raise InputError("source file not found", source=str(gazetteer_csv))
    df = pd.read_csv(gazetteer_csv)
    w, s, e, n = VIEW_BBOX
    df = df[df["lon"].between(w, e) & df["lat"].between(s, n)]
    rank = df["featurecla"].str.contains("capital", case=False).map({True: 1, False: 2})
    out = gpd.GeoDataFrame(
        {"name": df["nameascii"].fillna(df["name"]), "country": df["iso_a2"],
         "population": df["pop_max"].fillna(0).astype(int), "rank": rank},
        geometry=gpd.points_from_xy(df["lon"], df["lat"]), crs=4326)
    return out.sort_values(["rank", "population"], ascending=[True, False]).reset_index(drop=True)


def write(gdf: gpd.GeoDataFrame, path: Path) -> int:
    """Write compact GeoJSON (rounded coordinates); returns the size in bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        path.unlink()
    gdf.to_file(path, driver="GeoJSON", engine="pyogrio", RFC7946="YES",
                COORDINATE_PRECISION=PRECISION, WRITE_BBOX="NO")
    return path.stat().st_size


def build(source: Path, out_dir: Path = BOUNDARIES_DIR) -> dict[str, int]:
    """Build every layer from ``source`` (the shared boundaries folder) into ``out_dir``."""
    source = source.resolve()
    layers = {
        "countries": build_countries(source),
        "provinces": build_provinces(source),
        "rivers": build_rivers(source),
        "lakes": build_lakes(source),
        "towns": build_towns(source.parent / "gazetteer" / TOWNS_FILE),
    }
    return {name: write(gdf, out_dir / f"{name}.geojson") for name, gdf in layers.items()}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m geo.maps.build_basemap",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, required=True,
                        help="folder with the source GeoJSON (the shared data/boundaries folder)")
    parser.add_argument("--out", type=Path, default=BOUNDARIES_DIR,
                        help=f"output folder (default {BOUNDARIES_DIR})")
    args = parser.parse_args(argv)
    try:
        sizes = build(args.source, args.out)
    except InputError as exc:
        sys.stderr.write(f"build_basemap: {exc}\n")
        return 1
    total = sum(sizes.values())
    for name, size in sizes.items():
        sys.stdout.write(f"{name:10s} {size / 1024:8.1f} KiB\n")
    sys.stdout.write(f"{'total':10s} {total / 1024:8.1f} KiB\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
