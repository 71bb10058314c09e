"""Region outlines: the committed GeoJSON, the runtime look-ups, and the generator."""

import importlib.util
import itertools
import json
import math
import os
from pathlib import Path

import numpy as np
import pytest
from shapely.geometry import shape

from reseau_map.build import outlines
from reseau_map.errors import DataFileError
from reseau_map.geo.regions import (
    ABROAD,
    DEFAULT_OUTLINES,
    REGION_NAMES,
    REGIONS,
    canonical_region,
    load_outlines,
    region_bounds,
    region_of_point,
    regions_of_points,
)

ROOT = Path(__file__).parent.parent
MIN_PART_KM2 = 10.0  # the generator drops parts under 15 km²
MAX_OVERLAP = 0.001  # share of the smaller region

CITIES = [  # (name, lat, lon, region)
    ("Paris", 48.8566, 2.3522, "Île-de-France"),
    ("Rennes", 48.1173, -1.6778, "Bretagne"),
    ("Nantes", 47.2184, -1.5536, "Pays de la Loire"),
    ("Toulouse", 43.6047, 1.4442, "Occitanie"),
    ("Toulon", 43.1242, 5.928, "Provence-Alpes-Côte d'Azur"),
    ("Marseille", 43.2965, 5.3698, "Provence-Alpes-Côte d'Azur"),
    ("Bordeaux", 44.8378, -0.5792, "Nouvelle-Aquitaine"),
    ("Strasbourg", 48.5734, 7.7521, "Grand Est"),
    ("Brest", 48.3904, -4.4861, "Bretagne"),
    ("Tours", 47.3941, 0.6848, "Centre-Val de Loire"),
    ("Orléans", 47.9030, 1.9093, "Centre-Val de Loire"),
    ("Angers", 47.4784, -0.5632, "Pays de la Loire"),
    ("Saint-Étienne", 45.4397, 4.3872, "Auvergne-Rhône-Alpes"),
    ("Lyon", 45.7640, 4.8357, "Auvergne-Rhône-Alpes"),
    ("Cherbourg", 49.6337, -1.6222, "Normandie"),
    ("Ajaccio", 41.9192, 8.7386, "Corse"),
    ("Lille", 50.6292, 3.0573, "Hauts-de-France"),
    ("Dijon", 47.322, 5.0415, "Bourgogne-Franche-Comté"),
    ("San Francisco", 37.77, -122.42, None),
    ("Golfe de Gascogne", 45.5, -3.5, None),
]


def km2(geom) -> float:
    """Rough area in km² of a lon/lat geometry (good enough within France)."""
    lat = geom.centroid.y
    return geom.area * 111.2 ** 2 * math.cos(math.radians(lat))


def parts(geom) -> list:
    return list(getattr(geom, "geoms", [geom]))


@pytest.fixture(scope="module")
def committed() -> dict:
    return json.loads(DEFAULT_OUTLINES.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def shapes(committed) -> dict:
    return {f["properties"]["code"]: shape(f["geometry"]) for f in committed["features"]}


# --- the committed file -----------------------------------------------------------------


def test_committed_file_has_one_feature_per_region(committed):
    props = [f["properties"] for f in committed["features"]]
    assert committed["type"] == "FeatureCollection"
    assert len(props) == 13
    assert sorted(p["code"] for p in props) == sorted(REGIONS)
    assert all(p["name"] == REGIONS[p["code"]] for p in props)
    assert all(p["places"] > 50 for p in props)
    assert "GeoNames" in committed["attribution"] and "CC BY 4.0" in committed["attribution"]


def test_committed_file_size_suits_a_page():
    assert 50_000 <= DEFAULT_OUTLINES.stat().st_size <= 300_000


@pytest.mark.parametrize("code", sorted(REGIONS))
def test_outline_is_valid_without_holes_or_slivers(shapes, code):
    geom = shapes[code]
    assert geom.is_valid
    assert geom.geom_type in ("Polygon", "MultiPolygon")
    assert all(len(p.interiors) == 0 for p in parts(geom))
    assert min(km2(p) for p in parts(geom)) >= MIN_PART_KM2


def test_outlines_do_not_overlap(shapes):
    for a, b in itertools.combinations(sorted(shapes), 2):
        shared = shapes[a].intersection(shapes[b]).area
        assert shared < MAX_OVERLAP * min(shapes[a].area, shapes[b].area), (a, b)


def test_corsica_stands_apart_from_the_mainland(shapes):
    corse = shapes["94"]
    for code, geom in shapes.items():
        if code != "94":
            assert not corse.touches(geom) and corse.distance(geom) > 0.5, code


def test_outlines_follow_the_coast_not_a_hull(shapes):
    # A single concave hull fills the Channel between Cotentin and Brittany: the bay of
    # Mont-Saint-Michel and the open sea west of Cotentin must stay out.
    assert region_of_point(49.0, -1.9) is None  # Golfe normand-breton
    assert region_of_point(47.8, -5.0) is None  # off Penmarc'h


# --- runtime look-ups -------------------------------------------------------------------


@pytest.mark.parametrize(("name", "lat", "lon", "region"), CITIES, ids=[c[0] for c in CITIES])
def test_region_of_point(name, lat, lon, region):
    assert region_of_point(lat, lon) == region


def test_regions_of_points_matches_one_by_one():
    lats = [c[1] for c in CITIES] + [float("nan")]
    lons = [c[2] for c in CITIES] + [2.0]
    expected = [region_of_point(lat, lon) for lat, lon in zip(lats[:-1], lons[:-1], strict=True)]
    assert regions_of_points(lats, lons) == expected + [None]
    assert regions_of_points(np.array([]), np.array([])) == []
    with pytest.raises(ValueError):
        regions_of_points([48.0, 47.0], [2.0])


def test_regions_of_points_on_ten_thousand_places():
    # Speed is measured by `python -m reseau_map bench`, never asserted in tests.
    rng = np.random.default_rng(0)
    lats, lons = rng.uniform(41.3, 51.1, 10_000), rng.uniform(-5.2, 9.6, 10_000)
    found = regions_of_points(lats, lons)
    assert set(found) <= set(REGIONS.values()) | {None}
    assert sum(f is not None for f in found) > 3_000


def test_region_bounds_of_brittany():
    (south, west), (north, east) = region_bounds(["Bretagne"])
    for lat, lon in [(48.1173, -1.6778), (48.3904, -4.4861)]:  # Rennes, Brest
        assert south <= lat <= north and west <= lon <= east
    assert -5.5 <= west and east <= -0.8


def test_region_bounds_of_two_regions_hold_both():
    (south, west), (north, east) = region_bounds(["Hauts-de-France", "paca"])
    for lat, lon in [(50.6292, 3.0573), (43.2965, 5.3698)]:  # Lille, Marseille
        assert south <= lat <= north and west <= lon <= east


@pytest.mark.parametrize("names", [[], ["Atlantide"], [ABROAD]])
def test_region_bounds_none_when_no_region_known(names):
    assert region_bounds(names) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Bretagne", "Bretagne"),
        ("bretagne", "Bretagne"),
        ("  BRETAGNE ", "Bretagne"),
        ("ile de france", "Île-de-France"),
        ("Île-de-France", "Île-de-France"),
        ("IDF", "Île-de-France"),
        ("Provence-Alpes-Cote d'Azur", "Provence-Alpes-Côte d'Azur"),
        ("provence alpes côte d’azur", "Provence-Alpes-Côte d'Azur"),
        ("PACA", "Provence-Alpes-Côte d'Azur"),
        ("Auvergne Rhone Alpes", "Auvergne-Rhône-Alpes"),
        ("Rhône-Alpes", "Auvergne-Rhône-Alpes"),
        ("Aquitaine", "Nouvelle-Aquitaine"),
        ("Poitou-Charentes", "Nouvelle-Aquitaine"),
        ("Alsace", "Grand Est"),
        ("grand-est", "Grand Est"),
        ("Midi-Pyrénées", "Occitanie"),
        ("Languedoc-Roussillon", "Occitanie"),
        ("Pays de Loire", "Pays de la Loire"),
        ("pays-de-la-loire", "Pays de la Loire"),
        ("Centre", "Centre-Val de Loire"),
        ("Nord-Pas-de-Calais", "Hauts-de-France"),
        ("Basse-Normandie", "Normandie"),
        ("Franche-Comté", "Bourgogne-Franche-Comté"),
        ("corse", "Corse"),
        ("Région Bretagne", "Bretagne"),
        ("FR-BRE", "Bretagne"),
        ("53", "Bretagne"),
        ("94", "Corse"),
        ("Hors de France", ABROAD),
        ("hors france", ABROAD),
        ("Étranger", ABROAD),
        ("France", None),
        ("Bretagne du Sud", None),
        ("99", None),
        ("", None),
        (None, None),
    ],
)
def test_canonical_region(text, expected):
    assert canonical_region(text) == expected


def test_canonical_region_knows_every_name():
    assert all(canonical_region(name) == name for name in REGION_NAMES)


# --- loading: cache and errors ----------------------------------------------------------

SQUARE = {
    "type": "FeatureCollection",
    "features": [{
        "type": "Feature",
        "properties": {"code": "53", "name": "Bretagne"},
        "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]},
    }],
}


def test_load_outlines_gives_a_fresh_copy_each_time():
    first = load_outlines()
    first["features"].clear()
    assert len(load_outlines()["features"]) == 13


def test_load_outlines_follows_file_changes(tmp_path):
    path = tmp_path / "regions.geojson"
    path.write_text(json.dumps(SQUARE), encoding="utf-8")
    assert region_of_point(0.5, 0.5, path) == "Bretagne"
    moved = json.loads(json.dumps(SQUARE))
    moved["features"][0]["properties"]["name"] = "Corse"
    path.write_text(json.dumps(moved), encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert load_outlines(path)["features"][0]["properties"]["name"] == "Corse"
    assert region_of_point(0.5, 0.5, path) == "Corse"
    assert region_of_point(2.0, 2.0, path) is None


def test_missing_outline_file_is_a_data_file_error(tmp_path):
    with pytest.raises(DataFileError, match="introuvable") as info:
        load_outlines(tmp_path / "absent.geojson")
    assert isinstance(info.value, OSError)


@pytest.mark.parametrize(
    "text",
    ["{pas du json", "[]", json.dumps({"type": "FeatureCollection", "features": []}),
     json.dumps({"type": "FeatureCollection", "features": [{"geometry": None}]})],
)
def test_corrupt_outline_file_is_a_data_file_error(tmp_path, text):
    path = tmp_path / "regions.geojson"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError, match="corrompu"):
        region_of_point(48.0, 2.0, path)


# --- the generator ----------------------------------------------------------------------


def two_fake_regions() -> list[tuple[float, float, str]]:
    """A 10 × 16 grid of places, west half Bretagne, east half Pays de la Loire."""
    grid = [(47.0 + 0.05 * i, -2.0 + 0.07 * j) for i in range(10) for j in range(16)]
    return [(lat, lon, "53" if lon < -1.47 else "52") for lat, lon in grid]


def test_build_outlines_on_a_synthetic_grid():
    places = two_fake_regions() + [(47.2, -1.5, "99")]  # unknown code: ignored
    collection = outlines.build_outlines(places)
    features = collection["features"]
    assert [f["properties"]["code"] for f in features] == ["52", "53"]
    assert [f["properties"]["places"] for f in features] == [80, 80]
    assert collection["attribution"] == outlines.ATTRIBUTION
    west, east = (shape(f["geometry"]) for f in reversed(features))
    assert west.is_valid and east.is_valid
    assert west.intersection(east).area < MAX_OVERLAP * west.area
    assert west.distance(east) == 0  # they share a border, with no gap
    assert west.contains(shape({"type": "Point", "coordinates": [-1.8, 47.2]}))


def test_build_outlines_keeps_an_offshore_place_apart():
    # An island 40 km off the grid stays an island: the land mask is not a hull.
    places = two_fake_regions() + [(47.2, -2.55, "53")]
    features = outlines.build_outlines(places)["features"]
    brittany = shape(features[1]["geometry"])
    assert brittany.geom_type == "MultiPolygon" and len(brittany.geoms) == 2
    assert not brittany.contains(shape({"type": "Point", "coordinates": [-2.3, 47.2]}))


def test_build_regions_script_writes_the_file(tmp_path, monkeypatch, capsys):
    spec = importlib.util.spec_from_file_location("build_regions",
                                                  ROOT / "scripts" / "build_regions.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    monkeypatch.setattr(outlines, "french_places", two_fake_regions)
    out = tmp_path / "sub" / "regions.geojson"
    assert script.main(["--out", str(out)]) == 0
    assert len(json.loads(out.read_text(encoding="utf-8"))["features"]) == 2
    assert str(out) in capsys.readouterr().out


def test_every_seed_place_falls_in_the_region_its_row_names():
    from reseau_map.catalogue import build_catalogue
    from reseau_map.files.places import DEFAULT_PLACES, read_bytes

    located = build_catalogue(read_bytes(DEFAULT_PLACES)).located
    french = located[located["region"] != ABROAD]
    assert len(french) == 15
    for _, place in french.iterrows():
        assert region_of_point(place["lat"], place["lon"]) == place["region"], place["name"]
    for _, place in located[located["region"] == ABROAD].iterrows():
        assert region_of_point(place["lat"], place["lon"]) is None, place["name"]
