"""Regions: names and spellings, the point-in-region rule, bounds, loading and its errors."""

import json
import os

import numpy as np
import pytest

from reseau_map.core.errors import DataFileError
from reseau_map.geo.regions import (
    ABROAD,
    COAST_KM,
    REGION_2012_NAMES,
    REGION_NAMES,
    REGIONS,
    REGIONS_2012,
    canonical_region,
    canonical_region_2012,
    load_departements,
    load_land,
    load_neighbours,
    load_outlines,
    load_regions_2012,
    region_2012_of,
    region_bounds,
    region_of_point,
    regions_2012_of_points,
    regions_of_points,
)

CAPITALS = [  # (city, lat, lon, region): every regional capital falls in its own region
    ("Paris", 48.8566, 2.3522, "Île-de-France"),
    ("Orléans", 47.9030, 1.9093, "Centre-Val de Loire"),
    ("Dijon", 47.3220, 5.0415, "Bourgogne-Franche-Comté"),
    ("Rouen", 49.4431, 1.0993, "Normandie"),
    ("Lille", 50.6292, 3.0573, "Hauts-de-France"),
    ("Strasbourg", 48.5734, 7.7521, "Grand Est"),
    ("Nantes", 47.2184, -1.5536, "Pays de la Loire"),
    ("Rennes", 48.1173, -1.6778, "Bretagne"),
    ("Bordeaux", 44.8378, -0.5792, "Nouvelle-Aquitaine"),
    ("Toulouse", 43.6047, 1.4442, "Occitanie"),
    ("Lyon", 45.7640, 4.8357, "Auvergne-Rhône-Alpes"),
    ("Marseille", 43.2965, 5.3698, "Provence-Alpes-Côte d'Azur"),
    ("Ajaccio", 41.9192, 8.7386, "Corse"),
    ("Basse-Terre", 15.9985, -61.7255, "Guadeloupe"),
    ("Fort-de-France", 14.6161, -61.0588, "Martinique"),
    ("Cayenne", 4.9372, -52.3260, "Guyane"),
    ("Saint-Denis (La Réunion)", -20.8823, 55.4504, "La Réunion"),
    ("Mamoudzou", -12.7806, 45.2278, "Mayotte"),
]

POINTS = [  # (what, lat, lon, region by the rule)
    ("Pointe-à-Pitre", 16.2411, -61.5331, "Guadeloupe"),
    ("Brest", 48.3904, -4.4861, "Bretagne"),
    ("Toulon", 43.1242, 5.9280, "Provence-Alpes-Côte d'Azur"),
    ("Cherbourg", 49.6337, -1.6222, "Normandie"),
    ("Ouessant", 48.4597, -5.0863, "Bretagne"),
    # Le Palais' harbour lies ~250 m off the outline of Belle-Île: the 10 km rule brings it home.
    ("Le Palais, Belle-Île", 47.35, -3.15, "Bretagne"),
    # The official outlines hold the Gironde estuary (both shores are Nouvelle-Aquitaine).
    ("Gironde estuary", 45.45, -0.95, "Nouvelle-Aquitaine"),
    ("Menton", 43.7747, 7.4975, "Provence-Alpes-Côte d'Azur"),
    ("Annemasse", 46.1934, 6.2342, "Auvergne-Rhône-Alpes"),
    ("Saint-Louis", 47.5905, 7.5600, "Grand Est"),
    ("Hendaye", 43.3586, -1.7744, "Nouvelle-Aquitaine"),
    ("Saint-Laurent-du-Maroni", 5.4986, -54.0286, "Guyane"),
    ("Saint-Georges-de-l'Oyapock", 3.8906, -51.8044, "Guyane"),
    ("Tourcoing", 50.7239, 3.1612, "Hauts-de-France"),
    ("Le Perthus", 42.4646, 2.8622, "Occitanie"),
    # On a neighbour's land a point is abroad, however near the border.
    ("Albina (Suriname)", 5.4976, -54.0533, ABROAD),
    ("Oiapoque (Brésil)", 3.8422, -51.8350, ABROAD),
    ("Menen (Belgique)", 50.7969, 3.1217, ABROAD),
    ("La Jonquera (Espagne)", 42.4195, 2.8747, ABROAD),
    ("Geneva", 46.2044, 6.1432, ABROAD),
    ("Basel", 47.5596, 7.5886, ABROAD),
    ("Kehl", 48.5726, 7.8156, ABROAD),
    ("Monaco", 43.7384, 7.4246, ABROAD),
    ("Irun", 43.3390, -1.7894, ABROAD),
    ("Brussels", 50.8503, 4.3517, ABROAD),
    ("Saint-Hélier, Jersey", 49.1859, -2.1071, ABROAD),
    ("San Francisco", 37.77, -122.42, ABROAD),
    # Open sea beyond COAST_KM is not France.
    ("Golfe de Gascogne", 45.5, -3.5, ABROAD),
    ("20 km off Penmarc'h", 47.8, -4.65, ABROAD),
]


@pytest.mark.parametrize(("name", "lat", "lon", "region"), CAPITALS + POINTS,
                         ids=[p[0] for p in CAPITALS + POINTS])
def test_region_of_point(name, lat, lon, region):
    assert region_of_point(lat, lon) == region


def test_every_region_has_its_capital():
    assert {c[3] for c in CAPITALS} == set(REGIONS.values())


def test_regions_of_points_matches_one_by_one():
    table = CAPITALS + POINTS
    lats = [p[1] for p in table] + [float("nan")]
    lons = [p[2] for p in table] + [2.0]
    assert regions_of_points(lats, lons) == [p[3] for p in table] + [None]
    assert regions_of_points(np.array([]), np.array([])) == []
    with pytest.raises(ValueError):
        regions_of_points([48.0, 47.0], [2.0])


def test_coast_rule_stops_at_its_distance():
    # Due west of the straight Landes coast (-1.301°E at 44.2°N): 1 km of longitude is ~0.0129°.
    near, far = -1.301 - (COAST_KM - 3) * 0.0129, -1.301 - (COAST_KM + 3) * 0.0129
    assert regions_of_points([44.2, 44.2], [near, far]) == ["Nouvelle-Aquitaine", ABROAD]


def test_regions_of_points_on_fifty_thousand_points():
    # Speed is measured by `python -m reseau_map bench`, never asserted in tests.
    rng = np.random.default_rng(0)
    lats, lons = rng.uniform(41.3, 51.1, 50_000), rng.uniform(-5.2, 9.6, 50_000)
    found = regions_of_points(lats, lons)
    assert set(found) <= set(REGION_NAMES)
    assert sum(f != ABROAD for f in found) > 20_000


@pytest.mark.parametrize(
    ("lat", "lon", "region"),
    [(48.1173, -1.6778, "Bretagne"), (44.8378, -0.5792, "Aquitaine"), (45.8336, 1.2611, "Limousin"),
     (48.5734, 7.7521, "Alsace"), (49.4431, 1.0993, "Haute-Normandie"), (49.1829, -0.3707, "Basse-Normandie"),
     (47.9030, 1.9093, "Centre"), (45.7640, 4.8357, "Rhône-Alpes"), (45.7772, 3.0870, "Auvergne"),
     (43.6108, 3.8767, "Languedoc-Roussillon"), (50.6292, 3.0573, "Nord-Pas-de-Calais"),
     (49.8941, 2.2958, "Picardie"), (14.6161, -61.0588, "Martinique"), (46.2044, 6.1432, ABROAD)],
)
def test_region_2012_of(lat, lon, region):
    assert region_2012_of(lat, lon) == region


def test_regions_2012_of_points_covers_the_old_map():
    rng = np.random.default_rng(1)
    lats, lons = rng.uniform(42.0, 51.0, 5_000), rng.uniform(-4.5, 8.0, 5_000)
    found = regions_2012_of_points(lats, lons)
    assert set(found) <= set(REGION_2012_NAMES)
    assert set(found) >= set(REGIONS_2012.values()) - {"Corse"}
    assert regions_2012_of_points([float("nan")], [1.0]) == [None]


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


# --- spellings ---------------------------------------------------------------------------

SPELLINGS = [
    ("Bretagne", "Bretagne"), ("bretagne", "Bretagne"), ("  BRETAGNE ", "Bretagne"),
    ("Région Bretagne", "Bretagne"), ("region bretagne", "Bretagne"), ("FR-BRE", "Bretagne"),
    ("53", "Bretagne"), ("ile de france", "Île-de-France"), ("Île-de-France", "Île-de-France"),
    ("IDF", "Île-de-France"), ("Provence-Alpes-Cote d'Azur", "Provence-Alpes-Côte d'Azur"),
    ("provence alpes côte d’azur", "Provence-Alpes-Côte d'Azur"), ("PACA", "Provence-Alpes-Côte d'Azur"),
    ("Région Sud", "Provence-Alpes-Côte d'Azur"), ("FR-PAC", "Provence-Alpes-Côte d'Azur"),
    ("93", "Provence-Alpes-Côte d'Azur"),
    ("Auvergne Rhone Alpes", "Auvergne-Rhône-Alpes"), ("Auvergne et Rhône-Alpes", "Auvergne-Rhône-Alpes"),
    ("Auvergne-et-Rhône-Alpes", "Auvergne-Rhône-Alpes"), ("Rhône-Alpes", "Auvergne-Rhône-Alpes"),
    ("Auvergne", "Auvergne-Rhône-Alpes"), ("84", "Auvergne-Rhône-Alpes"), ("FR-ARA", "Auvergne-Rhône-Alpes"),
    ("Bourgogne", "Bourgogne-Franche-Comté"), ("Franche-Comté", "Bourgogne-Franche-Comté"),
    ("Bourgogne et Franche-Comté", "Bourgogne-Franche-Comté"),
    ("Nouvelle Aquitaine", "Nouvelle-Aquitaine"), ("nouvelle-aquitaine", "Nouvelle-Aquitaine"),
    ("75", "Nouvelle-Aquitaine"), ("Aquitaine", "Nouvelle-Aquitaine"), ("Limousin", "Nouvelle-Aquitaine"),
    ("Poitou-Charentes", "Nouvelle-Aquitaine"), ("72", "Nouvelle-Aquitaine"), ("FR-NAQ", "Nouvelle-Aquitaine"),
    ("Alsace", "Grand Est"), ("Lorraine", "Grand Est"), ("Champagne-Ardenne", "Grand Est"),
    ("grand-est", "Grand Est"), ("Alsace-Champagne-Ardenne-Lorraine", "Grand Est"),
    ("Nord-Pas-de-Calais", "Hauts-de-France"), ("Picardie", "Hauts-de-France"),
    ("Hauts de France", "Hauts-de-France"),
    ("Haute-Normandie", "Normandie"), ("Basse Normandie", "Normandie"),
    ("Midi-Pyrénées", "Occitanie"), ("Languedoc-Roussillon", "Occitanie"),
    ("Pays de Loire", "Pays de la Loire"), ("pays-de-la-loire", "Pays de la Loire"),
    ("Centre", "Centre-Val de Loire"), ("Région Centre", "Centre-Val de Loire"),
    ("Centre Val de Loire", "Centre-Val de Loire"), ("corse", "Corse"), ("94", "Corse"),
    ("Guadeloupe", "Guadeloupe"), ("01", "Guadeloupe"), ("971", "Guadeloupe"),
    ("Martinique", "Martinique"), ("02", "Martinique"),
    ("Guyane", "Guyane"), ("Guyane française", "Guyane"), ("03", "Guyane"),
    ("La Réunion", "La Réunion"), ("Réunion", "La Réunion"), ("reunion", "La Réunion"),
    ("Île de la Réunion", "La Réunion"), ("04", "La Réunion"), ("974", "La Réunion"),
    ("Mayotte", "Mayotte"), ("06", "Mayotte"), ("976", "Mayotte"),
    ("Hors de France", ABROAD), ("hors france", ABROAD), ("Étranger", ABROAD),
    ("France", None), ("Bretagne du Sud", None), ("99", None), ("05", None), ("FRA", None),
    ("Région", None), ("et", None), ("", None), (None, None), (53, None),
]


@pytest.mark.parametrize(("text", "expected"), SPELLINGS, ids=[repr(s[0]) for s in SPELLINGS])
def test_canonical_region(text, expected):
    assert canonical_region(text) == expected


def test_canonical_region_knows_every_name_and_code():
    assert all(canonical_region(name) == name for name in REGION_NAMES)
    assert all(canonical_region(code) == name for code, name in REGIONS.items())


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Aquitaine", "Aquitaine"), ("limousin", "Limousin"), ("72", "Aquitaine"), ("Région Centre", "Centre"),
     ("Centre-Val de Loire", "Centre"), ("Nord Pas de Calais", "Nord-Pas-de-Calais"),
     ("PACA", "Provence-Alpes-Côte d'Azur"),
     ("La Réunion", "La Réunion"), ("Nouvelle-Aquitaine", None), ("Grand Est", None), ("Atlantide", None)],
)
def test_canonical_region_2012(text, expected):
    assert canonical_region_2012(text) == expected


def test_canonical_region_2012_knows_every_name():
    assert all(canonical_region_2012(name) == name for name in REGION_2012_NAMES)
    assert len(REGIONS_2012) == 22


# --- loading: cache and errors ----------------------------------------------------------

SQUARE = {
    "type": "FeatureCollection",
    "features": [{
        "type": "Feature",
        "properties": {"code": "53", "name": "Bretagne"},
        "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]},
    }],
}


@pytest.mark.parametrize(("load", "count"), [(load_outlines, 18), (load_regions_2012, 22),
                                              (load_departements, 101), (load_land, 1)])
def test_loaders_give_a_fresh_copy_each_time(load, count):
    first = load()
    first["features"].clear()
    assert len(load()["features"]) == count


def test_load_neighbours():
    names = {f["properties"]["name"] for f in load_neighbours()["features"]}
    assert {"Belgique", "Luxembourg", "Allemagne", "Suisse", "Italie", "Espagne", "Andorre", "Monaco",
            "Royaume-Uni", "Suriname", "Brésil"} <= names


def test_outlines_follow_file_changes(tmp_path):
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
    assert region_of_point(1.05, 0.5, path) == "Corse"  # ~5.6 km off the square: the coast rule
    assert region_of_point(2.0, 2.0, path) == ABROAD


def test_missing_outline_file_is_a_data_file_error(tmp_path):
    with pytest.raises(DataFileError, match="introuvable") as info:
        load_outlines(tmp_path / "absent.geojson")
    assert isinstance(info.value, OSError)
    assert "build atlas" in str(info.value)


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


@pytest.mark.parametrize(("lat", "lon", "region"), [
    (18.0679, -63.0822, "Saint-Martin"), (17.8962, -62.8498, "Saint-Barthélemy"),
    (46.7791, -56.1773, "Saint-Pierre-et-Miquelon"), (-13.2816, -176.1745, "Wallis-et-Futuna"),
    (-17.5350, -149.5696, "Polynésie française"), (-22.2758, 166.4580, "Nouvelle-Calédonie"),
    (-12.0464, -77.0428, "Hors de France"),  # Lima
])
def test_the_overseas_collectivities_are_places_in_france(lat, lon, region):
    assert region_of_point(lat, lon) == region


def test_a_collectivity_is_a_region_for_filters_and_framing():
    from reseau_map.geo.regions import REGION_NAMES, region_bounds

    assert canonical_region("Polynesie francaise") == "Polynésie française" and "Nouvelle-Calédonie" in REGION_NAMES
    (south, west), (north, east) = region_bounds(["Nouvelle-Calédonie"])
    assert south < -22.3 < north and west < 166.5 < east
