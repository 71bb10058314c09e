"""The offline atlas basemap as one compact file: land, borders, neighbours and place labels.

Built once from the project's own outlines (data/*.geojson, IGN Admin Express COG 2018 and
Natural Earth) and communes (data/communes.csv.gz, INSEE COG 2026), plus the chef-lieux of
INSEE COG 2026 (shared/data/communes), and committed as data/basemap.json. The map embeds it
as it is, so the browser never needs the network, and the file is byte-identical on every build.

Geometry is sent as Google encoded polylines (coordinates on the 0.001° grid the outlines are
snapped to, so nothing is lost); each inner border is sent once, with the kind of border it is.
Labels carry a minimum zoom: a greedy collision test per zoom in priority order (regional
capitals, prefectures, then population) keeps labels from overlapping.
Usage: python -m tools.build.basemap [--out FILE]
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import shape

from reseau_map.core.settings import DATA_DIR
from tools.build.communes import SOURCE_CANDIDATES

OUT_FILE: Path = DATA_DIR / "basemap.json"
# ../shared next to the repository, or next to the folder of its git worktrees.
CHEFS_DIR: Path = next((p for p in SOURCE_CANDIDATES if p.is_dir()), SOURCE_CANDIDATES[0])
PRECISION = 1000  # 0.001°: the grid data/departements.geojson is snapped to
NEIGHBOUR_TOLERANCE = 0.004
NEIGHBOUR_BOX = (-8.0, 38.0, 14.0, 55.0)  # west, south, east, north: what any view of France shows
# Labels: zooms they are decided for, the population below which a commune is not sent (a
# chef-lieu always is), and the estimated box of a label on screen.
MIN_ZOOM, MAX_ZOOM = 5, 12
ZOOM_STEP = 0.5  # the map zooms by half steps (France fits at 5.5): one tier per step


def tier_zooms(first: float = MIN_ZOOM, last: float = MAX_ZOOM, step: float = ZOOM_STEP) -> list[float]:
    """The zooms labels are decided for: first, first + step, … last."""
    return [first + i * step for i in range(round((last - first) / step) + 1)]

POPULATION_CAP = 1_000
FONT_PX = (13, 12, 11)  # regional capital, prefecture, other commune
CHAR_EM = 0.56  # average glyph width of a system sans-serif, in em
LABEL_PAD_PX = 3
DOT_PX = 11  # the dot and the gap before the text (clear of a place marker)
RESERVING_RANK = 2  # ranks below this (capitals, prefectures) keep their spot until placed
# Border kinds (a bit set): 1 = between regions of 2016, 2 = between regions of 2012.
REGION_BORDER, REGION_2012_BORDER = 1, 2


@dataclass(frozen=True)
class Label:
    """A place name to draw, its point and its rank class (0 capital, 1 prefecture, 2 other)."""

    name: str
    lat: float
    lon: float
    rank: int
    population: int


def encode(points: Sequence[tuple[float, float]], precision: int = PRECISION) -> str:
    """Google's encoded polyline of (lat, lon) points."""
    out, last = io.StringIO(), (0, 0)
    for lat, lon in points:
        here = (round(lat * precision), round(lon * precision))
        for delta in (here[0] - last[0], here[1] - last[1]):
            value = ~(delta << 1) if delta < 0 else delta << 1
            while value >= 0x20:
                out.write(chr((0x20 | (value & 0x1F)) + 63))
                value >>= 5
            out.write(chr(value + 63))
        last = here
    return out.getvalue()


def decode(text: str, precision: int = PRECISION) -> list[tuple[float, float]]:
    """The (lat, lon) points of an encoded polyline (the inverse of encode)."""
    values, shift, result = [], 0, 0
    for char in text:
        byte = ord(char) - 63
        result |= (byte & 0x1F) << shift
        shift += 5
        if byte < 0x20:
            values.append(~(result >> 1) if result & 1 else result >> 1)
            shift = result = 0
    coords = np.cumsum(np.asarray(values, dtype=np.int64).reshape(-1, 2), axis=0) / precision
    return [(float(a), float(b)) for a, b in coords]


def _features(path: Path) -> list[tuple[dict, shapely.Geometry]]:
    collection = json.loads(path.read_text(encoding="utf-8"))
    return [(f["properties"], shape(f["geometry"])) for f in collection["features"]]


def _rings(geom: shapely.Geometry) -> list[str]:
    """Every ring of a (multi)polygon, encoded (exterior and holes alike: Leaflet fills even-odd)."""
    rings = []
    for poly in shapely.get_parts(geom):
        for ring in [poly.exterior, *poly.interiors]:
            rings.append(encode([(y, x) for x, y in ring.coords[:-1]]))
    return rings


def borders(departements: list[tuple[dict, shapely.Geometry]], region_of: dict[str, str],
            region_2012_of: dict[str, str]) -> tuple[list[str], str]:
    """Inner borders between départements, each once, and their kinds (one digit a border)."""
    geoms = [g for _, g in departements]
    codes = [p["code"] for p, _ in departements]
    mesh = shapely.line_merge(shapely.union_all(shapely.boundary(geoms)))
    tree = shapely.STRtree(geoms)
    arcs, kinds = [], []
    for line in sorted(shapely.get_parts(mesh), key=lambda g: g.wkb):
        probe = line.interpolate(0.5, normalized=True)
        sides = sorted({codes[i] for i in tree.query(probe, predicate="dwithin", distance=1e-7)})
        if len(sides) != 2:
            continue  # the coast: drawn as the land's own edge
        a, b = sides
        kind = (REGION_BORDER if region_of[a] != region_of[b] else 0) | (
            REGION_2012_BORDER if region_2012_of.get(a) != region_2012_of.get(b) else 0)
        arcs.append(encode([(y, x) for x, y in line.coords]))
        kinds.append(str(kind))
    order = sorted(range(len(arcs)), key=lambda i: (kinds[i], arcs[i]))
    return [arcs[i] for i in order], "".join(kinds[i] for i in order)


def neighbours(path: Path, box: tuple[float, float, float, float] = NEIGHBOUR_BOX) -> list[str]:
    """The neighbouring countries' land near France, clipped and simplified, as rings."""
    land = shapely.union_all([g for _, g in _features(path)])
    clipped = shapely.clip_by_rect(land, *box)
    simple = shapely.set_precision(shapely.simplify(clipped, NEIGHBOUR_TOLERANCE), 1 / PRECISION)
    return _rings(simple)


def _pixel(lat: float, lon: float, zoom: float) -> tuple[float, float]:
    scale = 256 * 2 ** zoom
    s = math.sin(math.radians(max(min(lat, 85.0), -85.0)))
    return (lon + 180) / 360 * scale, (0.5 - math.log((1 + s) / (1 - s)) / (4 * math.pi)) * scale


def label_box(label: Label, zoom: float) -> tuple[float, float, float, float]:
    """The screen box (x0, y0, x1, y1) a label takes at a zoom: dot, then the name to the right."""
    x, y = _pixel(label.lat, label.lon, zoom)
    font = FONT_PX[label.rank]
    width = DOT_PX + CHAR_EM * font * len(label.name)
    half = font * 0.7
    return (x - DOT_PX / 2 - LABEL_PAD_PX, y - half - LABEL_PAD_PX, x + width + LABEL_PAD_PX, y + half + LABEL_PAD_PX)


def min_zooms(labels: Sequence[Label], first: float = MIN_ZOOM, last: float = MAX_ZOOM) -> list[float | None]:
    """Each label's minimum zoom (None: never placed), greedily in the order given."""
    zooms: list[float | None] = [None] * len(labels)
    cell = 64.0
    for zoom in tier_zooms(first, last):
        grid: dict[tuple[int, int], list[tuple[float, float, float, float]]] = {}

        def hits(box: tuple[float, float, float, float], grid=grid) -> bool:
            for gx in range(int(box[0] // cell), int(box[2] // cell) + 1):
                for gy in range(int(box[1] // cell), int(box[3] // cell) + 1):
                    for o in grid.get((gx, gy), ()):
                        if box[0] < o[2] and o[0] < box[2] and box[1] < o[3] and o[1] < box[3]:
                            return True
            return False

        def put(box: tuple[float, float, float, float], grid=grid) -> None:
            for gx in range(int(box[0] // cell), int(box[2] // cell) + 1):
                for gy in range(int(box[1] // cell), int(box[3] // cell) + 1):
                    grid.setdefault((gx, gy), []).append(box)

        # Labels placed at a lower zoom stay: they go in first, then newcomers where there is room.
        for i, label in enumerate(labels):
            if zooms[i] is not None:
                put(label_box(label, zoom))
        # A capital or prefecture with no room yet keeps its place: no suburb takes it
        # (Saran before Orléans, Pia before Perpignan).
        for i, label in enumerate(labels):
            if zooms[i] is None:
                box = label_box(label, zoom)
                if not hits(box):
                    zooms[i] = zoom
                    put(box)
                elif label.rank < RESERVING_RANK:
                    put(box)
    return zooms


def read_labels(communes: Path = DATA_DIR / "communes.csv.gz", chefs: Path = CHEFS_DIR,
                cap: int = POPULATION_CAP) -> list[Label]:
    """Communes worth a label, in priority order: regional capitals, prefectures, population."""
    with gzip.open(communes, "rt", encoding="utf-8") as handle:
        df = pd.read_csv(handle, comment="#", dtype={"insee": str}, keep_default_na=False)
    df = df[df["kind"] == "commune"]
    capitals = {r["chefLieu"] for r in json.loads((chefs / "regions-2026.json").read_text(encoding="utf-8"))}
    prefectures = {r["chefLieu"] for r in json.loads((chefs / "departements-2026.json").read_text(encoding="utf-8"))}
    rank = np.where(df["insee"].isin(capitals), 0, np.where(df["insee"].isin(prefectures), 1, 2))
    df = df.assign(rank=rank, population=pd.to_numeric(df["population"], errors="coerce").fillna(0).astype(int),
                   lat=pd.to_numeric(df["lat"], errors="coerce"), lon=pd.to_numeric(df["lon"], errors="coerce"))
    df = df.dropna(subset=["lat", "lon"])
    df = df[(df["rank"] < 2) | (df["population"] >= cap)]
    df = df.sort_values(["rank", "population", "insee"], ascending=[True, False, True])
    return [Label(n, round(float(la), 3), round(float(lo), 3), int(r), int(p))
            for n, la, lo, r, p in zip(df["name"], df["lat"], df["lon"], df["rank"], df["population"], strict=True)]


def labels_payload(labels: Sequence[Label], zooms: Sequence[float | None]) -> dict:
    """Labels by tier: counts per zoom step from MIN_ZOOM, names joined by « | », points encoded."""
    placed = sorted((z, lab.rank, lab.lat, lab.lon, lab.name) for lab, z in zip(labels, zooms, strict=True)
                    if z is not None)
    counts = [sum(1 for p in placed if p[0] == z) for z in tier_zooms()]
    return {"z0": MIN_ZOOM, "step": ZOOM_STEP, "counts": counts, "names": "|".join(p[4] for p in placed),
            "ranks": "".join(str(p[1]) for p in placed), "points": encode([(p[2], p[3]) for p in placed])}


def build_basemap(data_dir: Path = DATA_DIR, chefs: Path = CHEFS_DIR, cap: int = POPULATION_CAP) -> dict:
    """The whole basemap payload (see the module's docstring)."""
    deps = _features(data_dir / "departements.geojson")
    departements_2026 = json.loads((chefs / "departements-2026.json").read_text(encoding="utf-8"))
    region_of = {d["code"]: d["region"] for d in departements_2026}
    old = _features(data_dir / "regions-2012.geojson")
    old_tree = shapely.STRtree([g for _, g in old])
    region_2012_of = {}
    for props, geom in deps:
        hit = old_tree.query(shapely.point_on_surface(geom), predicate="intersects")
        if len(hit):
            region_2012_of[props["code"]] = old[int(hit[0])][0]["code"]
    arcs, kinds = borders(deps, region_of, region_2012_of)
    land = shapely.union_all([g for _, g in deps])
    labels = read_labels(data_dir / "communes.csv.gz", chefs, cap)
    return {"land": _rings(land), "arcs": arcs, "kinds": kinds,
            "neighbours": neighbours(data_dir / "neighbours.geojson"),
            "labels": labels_payload(labels, min_zooms(labels))}


def dumps(payload: dict) -> str:
    """The file's text: compact, key order fixed, UTF-8 names."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def main(argv: Sequence[str] | None = None) -> int:
    """Build data/basemap.json and say how big each part is."""
    ap = argparse.ArgumentParser(prog="python -m tools.build.basemap",
                                 description="Regénérer le fond de carte hors ligne (atlas et noms de lieux).")
    ap.add_argument("--out", type=Path, default=OUT_FILE)
    args = ap.parse_args(argv)
    payload = build_basemap()
    text = dumps(payload)
    args.out.write_text(text, encoding="utf-8")
    for key, value in sorted(payload.items()):
        print(f"{key} : {len(dumps(value).encode()) / 1024:.0f} Ko")
    print(f"Étiquettes par zoom ({', '.join(f'{z:g}' for z in tier_zooms())}) : {payload['labels']['counts']}")
    print(f"Écrit : {args.out} ({len(text.encode()) / 1024:.0f} Ko)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
