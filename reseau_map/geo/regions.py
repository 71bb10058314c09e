"""French regions (2016 map): INSEE codes, names, and their outlines for the basemap."""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import shape

from reseau_map.errors import DataFileError
from reseau_map.paths import DATA_DIR
from reseau_map.text import compact_key

# INSEE region codes as GeoNames' admin1code carries them for France.
REGIONS: dict[str, str] = {
    "11": "Île-de-France",
    "24": "Centre-Val de Loire",
    "27": "Bourgogne-Franche-Comté",
    "28": "Normandie",
    "32": "Hauts-de-France",
    "44": "Grand Est",
    "52": "Pays de la Loire",
    "53": "Bretagne",
    "75": "Nouvelle-Aquitaine",
    "76": "Occitanie",
    "84": "Auvergne-Rhône-Alpes",
    "93": "Provence-Alpes-Côte d'Azur",
    "94": "Corse",
}
ABROAD = "Hors de France"
REGION_NAMES: tuple[str, ...] = tuple(sorted(REGIONS.values())) + (ABROAD,)

DEFAULT_OUTLINES: Path = DATA_DIR / "regions.geojson"
REBUILD_HINT = "regénérez-le avec « python -m reseau_map regions »"

# Other spellings people type (compact_key() normalises them): ISO 3166-2 codes, usual short forms,
# the regions merged in 2016 and the provisional names of that year, a few English names.
REGION_ALIASES: dict[str, str] = {
    **REGIONS,
    "ara": "Auvergne-Rhône-Alpes", "auvergne": "Auvergne-Rhône-Alpes",
    "rhone alpes": "Auvergne-Rhône-Alpes",
    "bfc": "Bourgogne-Franche-Comté", "bourgogne": "Bourgogne-Franche-Comté",
    "franche comte": "Bourgogne-Franche-Comté", "burgundy": "Bourgogne-Franche-Comté",
    "bre": "Bretagne", "brittany": "Bretagne",
    "cvl": "Centre-Val de Loire", "centre": "Centre-Val de Loire",
    "region centre": "Centre-Val de Loire",
    "cor": "Corse", "corsica": "Corse",
    "ges": "Grand Est", "alsace": "Grand Est", "lorraine": "Grand Est",
    "champagne ardenne": "Grand Est", "champagne": "Grand Est",
    "alsace champagne ardenne lorraine": "Grand Est", "acal": "Grand Est",
    "hdf": "Hauts-de-France", "nord pas de calais": "Hauts-de-France",
    "picardie": "Hauts-de-France", "nord pas de calais picardie": "Hauts-de-France",
    "idf": "Île-de-France",
    "nor": "Normandie", "normandy": "Normandie", "haute normandie": "Normandie",
    "basse normandie": "Normandie",
    "naq": "Nouvelle-Aquitaine", "aquitaine": "Nouvelle-Aquitaine",
    "limousin": "Nouvelle-Aquitaine", "poitou charentes": "Nouvelle-Aquitaine",
    "aquitaine limousin poitou charentes": "Nouvelle-Aquitaine", "alpc": "Nouvelle-Aquitaine",
    "occ": "Occitanie", "midi pyrenees": "Occitanie", "languedoc roussillon": "Occitanie",
    "languedoc roussillon midi pyrenees": "Occitanie", "lrmp": "Occitanie",
    "pdl": "Pays de la Loire", "pays de loire": "Pays de la Loire",
    "pac": "Provence-Alpes-Côte d'Azur", "paca": "Provence-Alpes-Côte d'Azur",
    "provence": "Provence-Alpes-Côte d'Azur", "cote d azur": "Provence-Alpes-Côte d'Azur",
    "region sud": "Provence-Alpes-Côte d'Azur",
    "hors france": ABROAD, "etranger": ABROAD, "a l etranger": ABROAD, "abroad": ABROAD,
    "international": ABROAD,
}


def _lookup_table() -> dict[str, str]:
    """Every accepted spelling, keyed by _key, to its REGION_NAMES entry."""
    table = {compact_key(alias): name for alias, name in REGION_ALIASES.items()}
    table.update({compact_key(name): name for name in REGION_NAMES})
    return table


_LOOKUP = _lookup_table()


def canonical_region(text: str) -> str | None:
    """The REGION_NAMES entry that user text means (any case, accents, code), else None."""
    if not isinstance(text, str):
        return None
    key = compact_key(text)
    # Also accept the ISO 3166-2 form ("FR-BRE") and a leading "Région" ("Région Bretagne").
    for candidate in (key, key.removeprefix("fr"), key.removeprefix("region")):
        if candidate in _LOOKUP:
            return _LOOKUP[candidate]
    return None


def load_outlines(path: Path = DEFAULT_OUTLINES) -> dict:
    """The region outlines as a GeoJSON dict (a fresh copy: callers may change it)."""
    path = Path(path)
    return json.loads(_read(str(path), _mtime(path))[0])


def region_bounds(names: Iterable[str], path: Path = DEFAULT_OUTLINES) -> list[list[float]] | None:
    """[[south, west], [north, east]] around the named regions' outlines; None if none known."""
    wanted = {canonical_region(name) for name in names}
    index = _index(Path(path))
    chosen = [geom for name, geom in zip(index.names, index.geoms, strict=True) if name in wanted]
    if not chosen:
        return None
    west, south, east, north = (float(v) for v in shapely.total_bounds(chosen))
    return [[south, west], [north, east]]


def region_of_point(lat: float, lon: float, path: Path = DEFAULT_OUTLINES) -> str | None:
    """Name of the region whose outline holds the point; None at sea or abroad."""
    return regions_of_points([lat], [lon], path)[0]


def regions_of_points(
    lats: Iterable[float], lons: Iterable[float], path: Path = DEFAULT_OUTLINES
) -> list[str | None]:
    """region_of_point for many points at once (one spatial-index query)."""
    lat = np.asarray(lats, dtype=float).ravel()
    lon = np.asarray(lons, dtype=float).ravel()
    if lat.shape != lon.shape:
        raise ValueError(f"{lat.size} latitudes pour {lon.size} longitudes")
    index = _index(Path(path))
    found: list[str | None] = [None] * lat.size
    ok = np.flatnonzero(np.isfinite(lat) & np.isfinite(lon))
    if ok.size:
        points, geoms = index.tree.query(shapely.points(lon[ok], lat[ok]), predicate="intersects")
        # A point on a shared border matches two regions: the first in file order wins,
        # being written last.
        for i in np.argsort(-geoms, kind="stable"):
            found[ok[points[i]]] = index.names[geoms[i]]
    return found


class _Index:
    """The outlines as shapely geometries in a spatial index, built once per file version."""

    def __init__(self, collection: dict) -> None:
        features = collection["features"]
        self.names: list[str] = [f["properties"]["name"] for f in features]
        self.geoms = [shape(f["geometry"]) for f in features]
        self.tree = shapely.STRtree(self.geoms)


def _index(path: Path) -> _Index:
    return _read(str(path), _mtime(path))[1]


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError as err:
        raise DataFileError(
            f"Fichier des contours de régions introuvable : {path} ; {REBUILD_HINT}."
        ) from err


@lru_cache(maxsize=4)
def _read(path: str, mtime: int) -> tuple[str, _Index]:
    """The file's text and its spatial index, cached until the file changes (mtime)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
        collection = json.loads(text)
        index = _Index(collection)
    except OSError as err:
        raise DataFileError(f"Fichier des contours de régions illisible : {path} ({err}).") from err
    except (ValueError, KeyError, TypeError, AttributeError, shapely.errors.ShapelyError) as err:
        raise DataFileError(
            f"Fichier des contours de régions corrompu : {path} n'est pas une collection GeoJSON "
            f"de régions ({type(err).__name__} : {err}) ; {REBUILD_HINT}."
        ) from err
    if collection.get("type") != "FeatureCollection" or not index.names:
        raise DataFileError(
            f"Fichier des contours de régions corrompu : {path} ne contient aucune région ; "
            f"{REBUILD_HINT}."
        )
    return text, index
