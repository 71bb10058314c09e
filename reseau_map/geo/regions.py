"""French regions: INSEE codes and names (2016 map and 2012 map), every spelling people type,
and THE way the project decides a point's region, from the official IGN outlines.

`regions_of_points` is the one source of a point's region: the geocoding chain should use it
rather than the gazetteer's nearest place (`Gazetteer.nearest_regions`), which errs near borders.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np
import shapely

from reseau_map.core.text import fold
from reseau_map.geo.outlines import (
    DEPARTEMENTS_PATH,
    LAND_PATH,
    NEIGHBOURS_PATH,
    NO_MATCH,
    REGIONS_2012_PATH,
    REGIONS_FINE_PATH,
    REGIONS_PATH,
    load_collection,
    outline_index,
)

# INSEE region codes (COG): the 13 metropolitan regions of 2016 and the 5 overseas ones.
METROPOLITAN_REGIONS: dict[str, str] = {
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
OVERSEAS_REGIONS: dict[str, str] = {
    "01": "Guadeloupe",
    "02": "Martinique",
    "03": "Guyane",
    "04": "La Réunion",
    "06": "Mayotte",
}
REGIONS: dict[str, str] = {**METROPOLITAN_REGIONS, **OVERSEAS_REGIONS}
# The overseas collectivities (COG codes): places in France with their own territory, not
# regions, and without an outline on the map; their points are told by TERRITORY_BOXES.
COLLECTIVITIES: dict[str, str] = {
    "975": "Saint-Pierre-et-Miquelon",
    "977": "Saint-Barthélemy",
    "978": "Saint-Martin",
    "986": "Wallis-et-Futuna",
    "987": "Polynésie française",
    "988": "Nouvelle-Calédonie",
}
# (south, west, north, east) of each collectivity, a margin of sea included.
TERRITORY_BOXES: dict[str, tuple[float, float, float, float]] = {
    "Saint-Pierre-et-Miquelon": (46.70, -56.50, 47.20, -56.05),
    "Saint-Barthélemy": (17.85, -62.97, 17.99, -62.77),
    "Saint-Martin": (18.04, -63.17, 18.14, -62.95),  # the French half of the island
    "Wallis-et-Futuna": (-14.45, -178.35, -13.10, -175.95),
    "Polynésie française": (-28.10, -154.90, -7.50, -134.10),
    "Nouvelle-Calédonie": (-23.10, 163.00, -19.00, 168.80),
}
ABROAD = "Hors de France"
_CODE_OF: dict[str, str] = {name: code for code, name in REGIONS.items()}
REGION_NAMES: tuple[str, ...] = tuple(sorted([*REGIONS.values(), *COLLECTIVITIES.values()])) + (ABROAD,)

# The 22 metropolitan regions in force in 2012 (old INSEE codes) and the 2016 region each joined.
REGIONS_2012: dict[str, str] = {
    "11": "Île-de-France", "21": "Champagne-Ardenne", "22": "Picardie", "23": "Haute-Normandie",
    "24": "Centre", "25": "Basse-Normandie", "26": "Bourgogne", "31": "Nord-Pas-de-Calais",
    "41": "Lorraine", "42": "Alsace", "43": "Franche-Comté", "52": "Pays de la Loire",
    "53": "Bretagne", "54": "Poitou-Charentes", "72": "Aquitaine", "73": "Midi-Pyrénées",
    "74": "Limousin", "82": "Rhône-Alpes", "83": "Auvergne", "91": "Languedoc-Roussillon",
    "93": "Provence-Alpes-Côte d'Azur", "94": "Corse",
}
MERGED_INTO: dict[str, str] = {
    "11": "11", "21": "44", "22": "32", "23": "28", "24": "24", "25": "28", "26": "27", "31": "32",
    "41": "44", "42": "44", "43": "27", "52": "52", "53": "53", "54": "75", "72": "75", "73": "76",
    "74": "75", "82": "84", "83": "84", "91": "76", "93": "93", "94": "94",
}
# The overseas regions were already regions in 2012: their names serve both maps.
REGION_2012_NAMES: tuple[str, ...] = (tuple(sorted(REGIONS_2012.values())) + tuple(sorted(OVERSEAS_REGIONS.values()))
                                      + (ABROAD,))

DEFAULT_OUTLINES: Path = REGIONS_PATH
LOOKUP_OUTLINES: Path = REGIONS_FINE_PATH
# A city centre just off the simplified coast (a port, an island town) still belongs to the
# nearest region; farther out at sea, or on a neighbour's land, a point is abroad.
COAST_KM = 10.0

# Other spellings (matched by _key: case, accents, hyphens, « et » and a leading « Région »
# ignored): ISO 3166-2 and 3166-1 codes, département codes overseas, usual short forms,
# the provisional names of 2016, a few English names.
REGION_ALIASES: dict[str, str] = {
    "ara": "Auvergne-Rhône-Alpes", "bfc": "Bourgogne-Franche-Comté", "burgundy": "Bourgogne-Franche-Comté",
    "bre": "Bretagne", "brittany": "Bretagne", "cvl": "Centre-Val de Loire",
    "cor": "Corse", "corsica": "Corse", "ges": "Grand Est", "champagne": "Grand Est",
    "alsace champagne ardenne lorraine": "Grand Est", "acal": "Grand Est",
    "hdf": "Hauts-de-France", "nord pas de calais picardie": "Hauts-de-France", "npdcp": "Hauts-de-France",
    "idf": "Île-de-France", "paris region": "Île-de-France",
    "nor": "Normandie", "normandy": "Normandie",
    "naq": "Nouvelle-Aquitaine", "aquitaine limousin poitou charentes": "Nouvelle-Aquitaine",
    "alpc": "Nouvelle-Aquitaine", "occ": "Occitanie", "languedoc roussillon midi pyrenees": "Occitanie",
    "lrmp": "Occitanie", "pdl": "Pays de la Loire", "pays de loire": "Pays de la Loire",
    "pac": "Provence-Alpes-Côte d'Azur", "paca": "Provence-Alpes-Côte d'Azur",
    "provence": "Provence-Alpes-Côte d'Azur", "cote d azur": "Provence-Alpes-Côte d'Azur",
    "sud": "Provence-Alpes-Côte d'Azur", "provence alpes cote azur": "Provence-Alpes-Côte d'Azur",
    "971": "Guadeloupe", "gp": "Guadeloupe", "gua": "Guadeloupe", "la guadeloupe": "Guadeloupe",
    "972": "Martinique", "mq": "Martinique", "la martinique": "Martinique",
    "973": "Guyane", "gf": "Guyane", "guyane francaise": "Guyane", "french guiana": "Guyane",
    "974": "La Réunion", "re": "La Réunion", "reunion": "La Réunion", "ile de la reunion": "La Réunion",
    "976": "Mayotte", "yt": "Mayotte",
    "pm": "Saint-Pierre-et-Miquelon", "spm": "Saint-Pierre-et-Miquelon", "bl": "Saint-Barthélemy",
    "saint barth": "Saint-Barthélemy", "st barth": "Saint-Barthélemy", "mf": "Saint-Martin",
    "wf": "Wallis-et-Futuna", "wallis": "Wallis-et-Futuna", "pf": "Polynésie française",
    "polynesie": "Polynésie française", "tahiti": "Polynésie française", "nc": "Nouvelle-Calédonie",
    "caledonie": "Nouvelle-Calédonie", "new caledonia": "Nouvelle-Calédonie",
    "french polynesia": "Polynésie française",
    "hors france": ABROAD, "etranger": ABROAD, "a l etranger": ABROAD, "abroad": ABROAD,
    "international": ABROAD,
}
REGION_2012_ALIASES: dict[str, str] = {
    "centre val de loire": "Centre", "cvl": "Centre", "idf": "Île-de-France", "bre": "Bretagne",
    "pdl": "Pays de la Loire", "paca": "Provence-Alpes-Côte d'Azur", "sud": "Provence-Alpes-Côte d'Azur",
    "cor": "Corse", "npdc": "Nord-Pas-de-Calais", "lr": "Languedoc-Roussillon", "mp": "Midi-Pyrénées",
}
IGNORED_WORDS = frozenset({"et"})  # « Auvergne et Rhône-Alpes » is « Auvergne-Rhône-Alpes »
PREFIXES = ("region", "fr")  # « Région Bretagne », « FR-BRE »


def _key(text: object) -> str:
    """The form every spelling is compared in: folded, glued, « et » dropped."""
    return "".join(w for w in fold(text).split() if w not in IGNORED_WORDS)


def _table(names: dict[str, str], aliases: dict[str, str]) -> dict[str, str]:
    """Every accepted spelling, keyed by _key, to its name."""
    table = {_key(code): name for code, name in names.items()}
    table.update({_key(alias): name for alias, name in aliases.items()})
    table.update({_key(name): name for name in names.values()})
    return table


_LOOKUP = _table(
    {**REGIONS, **COLLECTIVITIES},
    {**{code: REGIONS[new] for code, new in MERGED_INTO.items()},
     **{REGIONS_2012[code]: REGIONS[new] for code, new in MERGED_INTO.items()},
     **REGION_ALIASES, ABROAD: ABROAD},
)
_LOOKUP_2012 = _table({**REGIONS_2012, **OVERSEAS_REGIONS, **COLLECTIVITIES},
                      {**{k: v for k, v in REGION_ALIASES.items()
                          if v in OVERSEAS_REGIONS.values() or v in COLLECTIVITIES.values() or v == ABROAD},
                       **REGION_2012_ALIASES, ABROAD: ABROAD})


def _find(text: object, table: dict[str, str]) -> str | None:
    if not isinstance(text, str):
        return None
    key = _key(text)
    for candidate in (key, *(key.removeprefix(p) for p in PREFIXES if key.startswith(p))):
        if candidate in table:
            return table[candidate]
    return None


def canonical_region(text: object) -> str | None:
    """The REGION_NAMES entry that user text means (any spelling, code, or 2012 region), else None."""
    return _find(text, _LOOKUP)


def canonical_region_2012(text: object) -> str | None:
    """The REGION_2012_NAMES entry that user text means (2012 name or code, overseas name), else None."""
    return _find(text, _LOOKUP_2012)


def load_outlines(path: Path = DEFAULT_OUTLINES) -> dict:
    """The region outlines for display as a GeoJSON dict (a fresh copy: callers may change it)."""
    return load_collection(path)


def load_regions_2012(path: Path = REGIONS_2012_PATH) -> dict:
    """The 22 regions of 2012 for display (a fresh GeoJSON dict)."""
    return load_collection(path)


def load_departements(path: Path = DEPARTEMENTS_PATH) -> dict:
    """The 101 départements for display from zoom 7 (a fresh GeoJSON dict)."""
    return load_collection(path)


def load_land(path: Path = LAND_PATH) -> dict:
    """Metropolitan France as one outline, for the land fill and the coastline (a fresh GeoJSON dict)."""
    return load_collection(path)


def load_neighbours(path: Path = NEIGHBOURS_PATH) -> dict:
    """The neighbouring countries, to shade them (a fresh GeoJSON dict, Natural Earth)."""
    return load_collection(path)


def region_bounds(names: Iterable[str], path: Path = DEFAULT_OUTLINES) -> list[list[float]] | None:
    """[[south, west], [north, east]] around the named regions' outlines (a collectivity's box); None if none known."""
    wanted = {canonical_region(name) for name in names}
    index = outline_index(path)
    chosen = [geom for name, geom in zip(index.names, index.geoms, strict=True) if name in wanted]
    chosen += [shapely.box(w, s, e, n) for name, (s, w, n, e) in TERRITORY_BOXES.items() if name in wanted]
    if not chosen:
        return None
    west, south, east, north = (float(v) for v in shapely.total_bounds(chosen))
    return [[south, west], [north, east]]


def territory_of(lat: float, lon: float) -> str | None:
    """The overseas collectivity whose box holds a point, else None."""
    for name, (south, west, north, east) in TERRITORY_BOXES.items():
        if south <= lat <= north and west <= lon <= east:
            return name
    return None


def _coordinates(lats: Iterable[float], lons: Iterable[float]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Latitudes, longitudes as float arrays, and the positions of the finite pairs."""
    lat = np.asarray(lats, dtype=float).ravel()
    lon = np.asarray(lons, dtype=float).ravel()
    if lat.shape != lon.shape:
        raise ValueError(f"{lat.size} latitudes pour {lon.size} longitudes")
    return lat, lon, np.flatnonzero(np.isfinite(lat) & np.isfinite(lon))


def regions_of_points(lats: Iterable[float], lons: Iterable[float], path: Path = LOOKUP_OUTLINES,
                      neighbours: Path = NEIGHBOURS_PATH) -> list[str | None]:
    """Each point's region: the outline holding it, else the nearest within COAST_KM at sea, else ABROAD.

    A point on a neighbour's land is ABROAD even near the border (Geneva); None only for a
    missing coordinate.
    """
    lat, lon, ok = _coordinates(lats, lons)
    if not ok.size:
        return [None] * lat.size
    regions = outline_index(path)
    hit = regions.containing(lon[ok], lat[ok])
    outside = np.flatnonzero(hit == NO_MATCH)
    if outside.size:
        foreign = outline_index(neighbours).containing(lon[ok][outside], lat[ok][outside]) != NO_MATCH
        at_sea = outside[~foreign]
        hit[at_sea] = regions.nearest(lon[ok][at_sea], lat[ok][at_sea], COAST_KM)[0]
    names = np.asarray([*regions.names, ABROAD], dtype=object)
    names_of = np.full(lat.size, None, dtype=object)
    names_of[ok] = names[np.where(hit == NO_MATCH, len(regions.names), hit)]
    # Off every outline and every neighbour: one of the collectivities, or abroad.
    for i in ok[hit == NO_MATCH]:
        names_of[i] = territory_of(lat[i], lon[i]) or ABROAD
    return names_of.tolist()


def region_of_point(lat: float, lon: float, path: Path = LOOKUP_OUTLINES) -> str | None:
    """One point's region (see regions_of_points)."""
    return regions_of_points([lat], [lon], path)[0]


def regions_2012_of_points(lats: Iterable[float], lons: Iterable[float], path: Path = REGIONS_2012_PATH,
                           lookup: Path = LOOKUP_OUTLINES) -> list[str | None]:
    """Each point's region on the 2012 map (overseas and ABROAD as in regions_of_points)."""
    lat, lon, _ = _coordinates(lats, lons)
    now = np.asarray(regions_of_points(lat, lon, lookup), dtype=object)
    old = outline_index(path)
    old_names = np.asarray(old.names, dtype=object)
    successors = np.asarray([MERGED_INTO.get(code, "") for code in old.codes])
    codes = np.asarray([_CODE_OF.get(name, "") for name in now])
    # The 2016 region, decided on the fine outlines, says which old regions are possible: an
    # unchanged one is its own answer, and the coarser 2012 file only splits the merged ones.
    for code in set(codes) & set(METROPOLITAN_REGIONS):
        rows = np.flatnonzero(codes == code)
        candidates = np.flatnonzero(successors == code)
        hit = candidates[np.zeros(rows.size, dtype=np.int64)]
        if candidates.size > 1:
            hit = old.containing(lon[rows], lat[rows])
            astray = ~np.isin(hit, candidates)
            if astray.any():
                points = shapely.points(lon[rows][astray], lat[rows][astray])
                gaps = np.stack([shapely.distance(old.geoms[c], points) for c in candidates])
                hit[astray] = candidates[gaps.argmin(axis=0)]
        now[rows] = old_names[hit]
    return now.tolist()


def region_2012_of(lat: float, lon: float, path: Path = REGIONS_2012_PATH) -> str | None:
    """One point's region on the 2012 map (see regions_2012_of_points)."""
    return regions_2012_of_points([lat], [lon], path)[0]
