"""Figures computed from the places shown."""

import pandas as pd
import pytest

from reseau_map.domain.figures import computed, region_sentence, region_summary, regions_2012


@pytest.fixture
def shown():
    return pd.DataFrame({
        "type": ["cantine", "cantine", "lieu_associe", "autre"],
        "status": ["ouvert", "en_projet", "ouvert", ""],
        "region": ["Bretagne", "Bretagne", "Île-de-France", "Hors de France"],
        "city": ["Rennes", "Brest", "Paris", "San Francisco"],
    })


def test_computed(shown):
    c = computed(shown)
    assert c.places == 4
    assert c.by_type == {"cantine": 2, "lieu_associe": 1, "autre": 1}
    assert c.by_status == {"ouvert": 2, "en_projet": 1, "": 1}
    assert c.regions == 2  # abroad is not a French region
    assert c.cities == 4
    assert c.abroad == 1


def test_region_summary_and_sentence(shown):
    s = region_summary(shown).set_index("region")
    # The choropleth's tooltip: the statuses, then the categories of the region's places.
    assert s.loc["Bretagne"].tolist() == [2, 1, 1, "Bretagne : 2 lieux (1 ouvert, 1 en projet) — 2 cantines"]
    assert s.loc["Hors de France", "label"] == ("Hors de France : 1 lieu (1 au statut non renseigné) — "
                                                "1 autre lieu cité")
    assert region_sentence("Corse", 1, {"ouvert": 1}) == "Corse : 1 lieu (1 ouvert)"
    assert region_sentence("Corse", 5, {"ouvert": 2, "en_projet": 2}) == (
        "Corse : 5 lieux (2 ouverts, 2 en projet, 1 au statut non renseigné)")


def test_regions_on_the_map_of_2012():
    places = pd.DataFrame({"lat": [44.84, 45.83, 46.58, 48.11, None], "lon": [-0.58, 1.26, 0.34, -1.68, None]})
    # Bordeaux, Limoges, Poitiers: one region since 2016, three in 2012; plus Rennes.
    assert regions_2012(places) == 4
