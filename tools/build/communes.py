"""Write data/communes.csv.gz: every French commune, commune déléguée / associée and
arrondissement municipal, with postcodes, population and one point each: its town.

Sources (read their README): INSEE COG 2026 via `@etalab/decoupage-administratif`
(communes-2026.json), Licence Ouverte. The point is the commune's main settlement where one is
known (tools.build.settlements: GeoNames cities-500, CC BY 4.0; overseas, countries-states-cities,
ODbL 1.0), else one point per 2018 commune computed from IGN Admin Express 2018
(communes-2018-centres.csv, Licence Ouverte), else GeoNames (our gazetteer) by name near the
parent. Run: `python -m tools.build.communes [src] [out]`.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import numpy as np

from reseau_map.core.errors import DataFileError
from reseau_map.core.text import ARTICLES, place_key
from reseau_map.geo.commune_file import COLUMNS, DATA_FILE, KINDS, PointSource, write_rows
from reseau_map.geo.earth import distances_km
from tools.build.settlements import SOURCE_CSC
from tools.paths import REPO, SHARED_DATA

# ../shared next to the repository, or next to the folder of its git worktrees.
SOURCE_CANDIDATES = (SHARED_DATA / "communes",
                     REPO.parent.parent / "shared" / "data" / "communes")
DEFAULT_SOURCE = next((p for p in SOURCE_CANDIDATES if p.is_dir()), SOURCE_CANDIDATES[0])
COMMUNES_FILE = "communes-2026.json"
CENTRES_FILE = "communes-2018-centres.csv"
KEPT_ZONES = frozenset({"metro", "drom"})
# The overseas collectivities with inhabitants and postcodes: Saint-Pierre-et-Miquelon,
# Saint-Barthélemy, Saint-Martin, Wallis-et-Futuna, Polynésie française, Nouvelle-Calédonie
# (not the uninhabited Terres australes, nor Clipperton).
KEPT_COLLECTIVITIES = frozenset({"975", "977", "978", "986", "987", "988"})
NEAR_PARENT_KM = 20.0  # a commune déléguée lies within its commune nouvelle (or near a neighbour)
NEAR_DEPARTMENT_KM = 120.0  # a GeoNames homonym farther than this from the département is another place
COORD_DIGITS = 5  # about a metre: more than enough for a commune's point
FRANCE = "FR"
# "Paris 08 Élysée", "Lyon 05", "Marseille 13": GeoNames names of the arrondissements.
GEONAMES_ARRONDISSEMENT = re.compile(r"^(paris|lyon|marseille) (\d\d)\b")
OFFICIAL_ARRONDISSEMENT = re.compile(r"^(paris|lyon|marseille) (\d+)(?:er|e) arrondissement$")

Point = tuple[float, float]
# name, parent point -> a GeoNames point near it, or None
GeonamesFinder = Callable[[str, Point, float], Point | None]


def read_reference(src_dir: Path) -> tuple[list[dict], dict[str, Point]]:
    """The commune records to keep and the 2018 points by INSEE code."""
    try:
        records = json.loads((src_dir / COMMUNES_FILE).read_text(encoding="utf-8"))
        with open(src_dir / CENTRES_FILE, encoding="utf-8", newline="") as handle:
            centres = {r["code_insee"]: (float(r["lat"]), float(r["lon"]))
                       for r in csv.DictReader(handle)}
    except (OSError, ValueError, KeyError) as err:
        raise DataFileError(f"Données de référence des communes illisibles dans « {src_dir} » : {err}") from err
    kept = [r for r in records if r.get("zone") in KEPT_ZONES or r.get("departement") in KEPT_COLLECTIVITIES]
    return kept, centres


def geonames_finder() -> GeonamesFinder:
    """Find a French GeoNames place by name near a point, from the packaged gazetteer."""
    from reseau_map.geo.gazetteer import load_gazetteer

    gazetteer = load_gazetteer()
    arrondissements: dict[tuple[str, int], Point] = {}
    for place in gazetteer.french_places():
        found = GEONAMES_ARRONDISSEMENT.match(place_key(place.name))
        if found:
            arrondissements.setdefault((found[1], int(found[2])), (place.lat, place.lon))

    def find(name: str, near: Point, max_km: float) -> Point | None:
        official = OFFICIAL_ARRONDISSEMENT.match(place_key(name))
        if official:
            return arrondissements.get((official[1], int(official[2])))
        # The gazetteer also answers by alternate names and dropped articles (« La Vineuse »
        # finds La Roche-Vineuse): keep only places whose own name is this name.
        wanted = _bare(place_key(name))
        places = [p for p in gazetteer.candidates(name)
                  if p.country == FRANCE and _bare(place_key(p.name)) == wanted]
        if not places:
            return None
        km = distances_km(near[0], near[1], np.array([p.lat for p in places]),
                          np.array([p.lon for p in places]))
        best = int(np.argmin(km))
        return (places[best].lat, places[best].lon) if km[best] <= max_km else None

    return find


def _bare(key: str) -> str:
    """A name key without its leading article: « le havre » and « havre » are one name."""
    first, _, rest = key.partition(" ")
    return rest if first in ARTICLES and rest else key


def _own_point(record: Mapping, centres: Mapping[str, Point], merged_before_2018: bool
               ) -> tuple[Point, PointSource] | None:
    code = record["code"]
    # A chef-lieu commune déléguée shares its code with the commune nouvelle; when they were
    # merged before 2018, that 2018 point is the whole new commune's, not the old village's.
    if code in centres and not (record.get("chefLieu") == code and merged_before_2018):
        return centres[code], PointSource.OWN_2018
    for former in record.get("anciensCodes", []):
        if former in centres:
            return centres[former], PointSource.FORMER_2018
    return None


def build_rows(records: Iterable[Mapping], centres: Mapping[str, Point],
               find_geonames: GeonamesFinder, towns: Mapping[str, tuple[Point, str]] | None = None
               ) -> list[tuple[str, ...]]:
    """One output row per record (COLUMNS order), sorted by INSEE code then kind.

    `towns`: INSEE code -> (point of its main settlement, source), which wins over the 2018 centre.
    """
    records = list(records)
    towns = towns or {}
    communes = {r["code"]: r for r in records if r["type"] == "commune-actuelle"}
    # A commune nouvelle merged before 2018 has none of its former codes on the 2018 map.
    merged_before = {code for code, r in communes.items()
                     if r.get("anciensCodes") and not any(a in centres for a in r["anciensCodes"])}
    department_centre = _department_centres(records, centres)
    postcode_point = _postcode_points(records, centres)
    points: dict[tuple[str, str], tuple[Point, PointSource]] = {}
    # Communes in force first: the others fall back on their parent's point.
    for record in sorted(records, key=lambda r: r["type"] != "commune-actuelle"):
        kind = KINDS[record["type"]]
        parent = record.get("commune") or record.get("chefLieu") or ""
        found = _town(record, towns) or _own_point(record, centres, parent in merged_before)
        if found is None:
            # Look for the name in GeoNames near a known neighbour; failing that, use it.
            neighbour = _first(postcode_point.get(p) for p in record.get("codesPostaux", []))
            if parent:
                anchor, max_km, source = points[(parent, "commune")][0], NEAR_PARENT_KM, PointSource.PARENT
            elif neighbour:
                anchor, max_km, source = neighbour, NEAR_PARENT_KM, PointSource.POSTCODE
            else:
                anchor, max_km = _department_point(record, department_centre, towns), NEAR_DEPARTMENT_KM
                source = PointSource.DEPARTMENT
            near = find_geonames(record["nom"], anchor, max_km)
            found = (near, PointSource.GEONAMES) if near is not None else (anchor, source)
        points[(record["code"], kind)] = found
    rows = []
    for record in records:
        kind = KINDS[record["type"]]
        (lat, lon), source = points[(record["code"], kind)]
        parent = record.get("commune") or record.get("chefLieu") or ""
        rows.append((
            record["code"], record["nom"], kind, parent, record["departement"], record["region"],
            "|".join(record.get("codesPostaux", [])), str(record.get("population", "")),
            f"{lat:.{COORD_DIGITS}f}", f"{lon:.{COORD_DIGITS}f}", source.value,
            "|".join(record.get("anciensCodes", [])), place_key(record["nom"]),
        ))
    order = list(KINDS.values())
    return sorted(rows, key=lambda row: (row[0], order.index(row[2])))


def _town(record: Mapping, towns: Mapping[str, tuple[Point, str]]) -> tuple[Point, PointSource] | None:
    # Arrondissements have no INSEE code of their own in GeoNames: their point stays as it was.
    if record["type"] == "arrondissement-municipal" or record["code"] not in towns:
        return None
    point, source = towns[record["code"]]
    return point, PointSource.TOWN_CSC if source == SOURCE_CSC else PointSource.TOWN


def _department_point(record: Mapping, centres: Mapping[str, Point], towns: Mapping[str, tuple[Point, str]]
                      ) -> Point:
    """Where to look for a commune that has no point: its département's centre, or (overseas
    collectivities have no 2018 points) the first town of its territory."""
    department = record["departement"]
    if department in centres:
        return centres[department]
    points = [point for code, (point, _) in towns.items() if code.startswith(department)]
    return (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))


def _department_centres(records: Iterable[Mapping], centres: Mapping[str, Point]) -> dict[str, Point]:
    """Mean 2018 point of each département's communes: where to look for a commune without one."""
    sums: dict[str, list[float]] = {}
    for record in records:
        point = centres.get(record["code"])
        if point and record["type"] == "commune-actuelle":
            acc = sums.setdefault(record["departement"], [0.0, 0.0, 0.0])
            acc[0], acc[1], acc[2] = acc[0] + point[0], acc[1] + point[1], acc[2] + 1
    return {dep: (lat / n, lon / n) for dep, (lat, lon, n) in sums.items()}


def _postcode_points(records: Iterable[Mapping], centres: Mapping[str, Point]) -> dict[str, Point]:
    """Each postcode's most populous commune's 2018 point: a re-created commune's neighbour."""
    best: dict[str, tuple[int, Point]] = {}
    for record in records:
        point = centres.get(record["code"])
        if point is None or record["type"] != "commune-actuelle":
            continue
        for postcode in record.get("codesPostaux", []):
            if record.get("population", 0) > best.get(postcode, (-1, point))[0]:
                best[postcode] = (record.get("population", 0), point)
    return {postcode: point for postcode, (_, point) in best.items()}


def _first(points: Iterable[Point | None]) -> Point | None:
    return next((p for p in points if p is not None), None)


def build_communes(src_dir: Path = DEFAULT_SOURCE, out_path: Path = DATA_FILE,
                   find_geonames: GeonamesFinder | None = None,
                   towns: Mapping[str, tuple[Point, str]] | None = None) -> Counter[str]:
    """Build the communes file from the reference folder; returns row counts by point source.

    `towns` (INSEE code -> town point, source) defaults to tools.build.settlements' points,
    from the registries' packages.
    """
    records, centres = read_reference(Path(src_dir))
    if towns is None:
        from tools.build.settlements import csc_records, geonames_lines, settlement_points

        towns = settlement_points(records, geonames_lines(), csc_records())
    rows = build_rows(records, centres, find_geonames or geonames_finder(), towns)
    write_rows(rows, Path(out_path))
    return Counter(row[COLUMNS.index("point")] for row in rows)


def main(argv: list[str] | None = None) -> int:
    """Command line: `python -m tools.build.communes [src_dir] [out_path]`."""
    args = sys.argv[1:] if argv is None else argv
    src = Path(args[0]) if args else DEFAULT_SOURCE
    out = Path(args[1]) if len(args) > 1 else DATA_FILE
    counts = build_communes(src, out)
    print(f"{out} : {sum(counts.values())} lignes, {out.stat().st_size} octets ; "
          + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
