"""Nearest places to a typed city, located offline."""

import pandas as pd
import pytest

from reseau_map.core.errors import PlaceNotFound
from reseau_map.geo.gazetteer import load_gazetteer
from reseau_map.geo.nearest import distances_km, entry_label, find_origin, nearby, nearest, route_bounds


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer()


@pytest.fixture
def places():
    return pd.DataFrame({
        "id": ["rennes", "nantes", "brest", "paris"],
        "name": ["Cantine de Rennes", "Cantine de Nantes", "Projet Brest", "La Cantine"],
        "status": ["ouvert", "ouvert", "en_projet", "ouvert"],
        "lat": [48.1111, 47.2173, 48.3903, 48.8534],
        "lon": [-1.6743, -1.5534, -4.4863, 2.3488],
    })


@pytest.mark.parametrize("typed, name, region", [
    ("Vannes", "Vannes", "Bretagne"),
    ("St-Etienne", "Saint-Étienne", "Auvergne-Rhône-Alpes"),
    ("saint etienne", "Saint-Étienne", "Auvergne-Rhône-Alpes"),
    ("Lisle-sur-la-Sorgue", "L'Isle-sur-la-Sorgue", "Provence-Alpes-Côte d'Azur"),
    ("  ORLEANS ", "Orléans", "Centre-Val de Loire"),
])
def test_find_origin_is_tolerant(gaz, typed, name, region):
    origin = find_origin(gaz, typed)
    assert origin.entry.name == name
    assert origin.entry.region == region


def test_homonyms_are_offered_biggest_first(gaz):
    origin = find_origin(gaz, "Saint-Denis")
    assert len(origin.homonyms) > 1
    pops = [e.population for e in origin.homonyms if e.country == "FR"]
    assert origin.entry.country == "FR" and origin.entry.population == max(pops)


def test_misspelled_city_gets_suggestions(gaz):
    with pytest.raises(PlaceNotFound) as err:
        find_origin(gaz, "Vanes")
    assert "Vannes" in err.value.suggestions
    assert "introuvable" in str(err.value) and "Vannes" in str(err.value)


def test_city_abroad(gaz, places):
    origin = find_origin(gaz, "Geneva")
    assert origin.entry.country == "CH"
    assert entry_label(origin.entry) == f"{origin.entry.name} (CH)"
    found = nearest(places, origin.entry.lat, origin.entry.lon)
    assert found["id"].iloc[0] == "paris"


def test_nearest_open_places_with_distances(gaz, places):
    vannes = find_origin(gaz, "Vannes").entry
    found = nearest(places, vannes.lat, vannes.lon, n=2)
    assert list(found["id"]) == ["rennes", "nantes"]  # Brest is a project, not open
    assert found["distance_km"].iloc[0] == pytest.approx(98, abs=5)
    bounds = route_bounds(vannes, found)
    assert bounds[0][0] <= vannes.lat <= bounds[1][0]


def test_haversine_paris_lyon():
    assert distances_km(48.8566, 2.3522, [45.764], [4.8357])[0] == pytest.approx(392, abs=3)


def test_nearby_picks_a_homonym(gaz, places):
    first = nearby(gaz, "Saint-Denis", places)
    assert len(first.homonyms) > 1 and first.origin == first.homonyms[0]
    other = nearby(gaz, "Saint-Denis", places, pick=1)
    assert other.origin == first.homonyms[1]
    assert list(other.places["id"])  # the open places, nearest first


def test_homonym_labels_tell_them_apart(gaz):
    labels = [entry_label(e, population=True) for e in find_origin(gaz, "Saint-Denis").homonyms]
    assert len(set(labels)) == len(labels)
    assert labels[0].startswith("Saint-Denis (Île-de-France, ") and labels[0].endswith(" hab.)")


def test_nearest_can_keep_only_some_types(places):
    places["type"] = ["cantine", "lieu_associe", "cantine", "lieu_associe"]
    found = nearest(places, 48.11, -1.67, types=("lieu_associe",))
    assert list(found["id"]) == ["nantes", "paris"]
