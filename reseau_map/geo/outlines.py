"""The committed outline files (regions, départements, land, neighbours): loading and indexing.

Each file is read once per version (its mtime) and kept as prepared geometries with a spatial
index, so that placing 50,000 points takes well under a second.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import shape

from reseau_map.core.errors import DataFileError
from reseau_map.core.settings import DATA_DIR
from reseau_map.geo.earth import EARTH_RADIUS_KM, distances_km

REGIONS_PATH: Path = DATA_DIR / "regions.geojson"  # display (sent to the browser)
REGIONS_FINE_PATH: Path = DATA_DIR / "regions-fine.geojson"  # point-in-region look-up only
REGIONS_2012_PATH: Path = DATA_DIR / "regions-2012.geojson"
DEPARTEMENTS_PATH: Path = DATA_DIR / "departements.geojson"
LAND_PATH: Path = DATA_DIR / "land.geojson"
NEIGHBOURS_PATH: Path = DATA_DIR / "neighbours.geojson"
REBUILD_HINT = "regénérez-le avec « python -m reseau_map build atlas »"
KM_PER_DEGREE = float(np.radians(1.0) * EARTH_RADIUS_KM)
NO_MATCH = -1
# The nearest-outline search runs on short pieces of the borders, not on whole regions of
# thousands of vertices: the tree then prunes almost everything (tens of times faster).
PIECE_VERTICES = 32


class OutlineIndex:
    """The features of one outline file as prepared shapely geometries, with their bounds."""

    def __init__(self, collection: dict) -> None:
        features = collection["features"]
        self.codes: list[str] = [str(f["properties"].get("code", "")) for f in features]
        self.names: list[str] = [f["properties"]["name"] for f in features]
        self.geoms = np.asarray([shape(f["geometry"]) for f in features], dtype=object)
        shapely.prepare(self.geoms)
        self.bounds = shapely.bounds(self.geoms)
        self._pieces: tuple[shapely.STRtree, np.ndarray] | None = None

    def pieces(self) -> tuple[shapely.STRtree, np.ndarray]:
        """The outlines' rings cut into short lines in a tree, and the feature of each piece."""
        if self._pieces is None:
            lines, owners = [], []
            for i, geom in enumerate(self.geoms):
                for ring in shapely.get_parts(shapely.boundary(shapely.get_parts(geom))):
                    for part in shapely.get_parts(ring):
                        xy = shapely.get_coordinates(part)
                        for start in range(0, len(xy) - 1, PIECE_VERTICES):
                            lines.append(shapely.LineString(xy[start:start + PIECE_VERTICES + 1]))
                            owners.append(i)
            self._pieces = shapely.STRtree(lines), np.asarray(owners, dtype=np.int64)
        return self._pieces

    def containing(self, lons: np.ndarray, lats: np.ndarray) -> np.ndarray:
        """For each point, the index of the first feature holding it (borders count), else NO_MATCH."""
        lons, lats = np.asarray(lons, dtype=float), np.asarray(lats, dtype=float)
        found = np.full(len(lons), NO_MATCH, dtype=np.int64)
        # One vectorised test a feature, on the points in its box not yet placed: the prepared
        # geometries answer without building a Point per coordinate. Going in file order, a
        # point on a shared border goes to the first of its two features.
        for i, (west, south, east, north) in enumerate(self.bounds):
            todo = np.flatnonzero((found == NO_MATCH) & (lons >= west) & (lons <= east)
                                  & (lats >= south) & (lats <= north))
            if todo.size:
                found[todo[shapely.intersects_xy(self.geoms[i], lons[todo], lats[todo])]] = i
        return found

    def nearest(self, lons: np.ndarray, lats: np.ndarray, max_km: float | None = None) -> tuple[np.ndarray, np.ndarray]:
        """For each point, the nearest feature and its distance in km (NO_MATCH, inf beyond max_km)."""
        found = np.full(len(lons), NO_MATCH, dtype=np.int64)
        km = np.full(len(lons), np.inf)
        if not len(lons):
            return found, km
        points = shapely.points(lons, lats)
        assert isinstance(points, np.ndarray)  # points of arrays are an array (a Point only for scalars)
        # The planar search runs in degrees: a longitude degree shrinks with latitude.
        widest = np.cos(np.radians(min(float(np.max(np.abs(lats))), 80.0)))
        reach = None if max_km is None else max_km / KM_PER_DEGREE / widest
        tree, owners = self.pieces()
        ipt, ipiece = tree.query_nearest(points, max_distance=reach, all_matches=False)
        if not len(ipt):
            return found, km
        igeom = owners[ipiece]
        ends = shapely.get_coordinates(shapely.shortest_line(tree.geometries[ipiece], points[ipt]))
        on_outline, at_point = ends[0::2], ends[1::2]
        # distances_km broadcasts: here it pairs each point with its own nearest spot.
        dist = distances_km(at_point[:, 1], at_point[:, 0], on_outline[:, 1], on_outline[:, 0])
        keep = dist <= (np.inf if max_km is None else max_km)
        found[ipt[keep]], km[ipt[keep]] = igeom[keep], dist[keep]
        return found, km


def load_collection(path: Path) -> dict:
    """An outline file as a GeoJSON dict (a fresh copy: callers may change it)."""
    path = Path(path)
    return json.loads(_read(str(path), _mtime(path))[0])


def outline_index(path: Path) -> OutlineIndex:
    """The spatial index of an outline file, rebuilt only when the file changes."""
    path = Path(path)
    return _read(str(path), _mtime(path))[1]


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError as err:
        raise DataFileError(f"Fichier de contours introuvable : {path} ; {REBUILD_HINT}.") from err


@lru_cache(maxsize=8)
def _read(path: str, mtime: int) -> tuple[str, OutlineIndex]:
    """The file's text and its spatial index, cached until the file changes (mtime)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
        collection = json.loads(text)
        index = OutlineIndex(collection)
    except OSError as err:
        raise DataFileError(f"Fichier de contours illisible : {path} ({err}).") from err
    except (ValueError, KeyError, TypeError, AttributeError, shapely.errors.ShapelyError) as err:
        raise DataFileError(
            f"Fichier de contours corrompu : {path} n'est pas une collection GeoJSON de contours "
            f"({type(err).__name__} : {err}) ; {REBUILD_HINT}."
        ) from err
    if collection.get("type") != "FeatureCollection" or not index.names:
        raise DataFileError(f"Fichier de contours corrompu : {path} ne contient aucun contour ; {REBUILD_HINT}.")
    return text, index
