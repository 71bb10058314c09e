"""French tables for the page: labels, « non renseigné », off-map reasons."""

import pandas as pd

from reseau_map.core.findings import DROPPED, FIELD_IGNORED, UNPLACED, Finding
from reseau_map.domain.tables import off_map_table, place_details, places_table, region_list


def frame():
    return pd.DataFrame({
        "id": ["a"], "name": ["Cantine"], "type": ["lieu_associe"], "status": [""], "address": [""],
        "city": ["Tours"], "region": [""], "lat": [47.39], "lon": [0.70], "precision": ["ville"],
        "opened": pd.array([None], dtype="Int64"), "website": [""], "description": [""], "source": ["x"],
    })


def test_places_table_labels():
    row = places_table(frame()).iloc[0]
    assert row["Type"] == "Lieu associé"
    assert row["Statut"] == "Statut non renseigné"
    assert row["Région"] == "non renseignée" and row["Ouverture"] == "non renseignée"  # agreed
    assert row["Site web"] == "non renseigné" and row["Précision"] == "Ville"


def test_place_details():
    details = dict(place_details(frame().iloc[0]))
    assert details["Adresse"] == "non renseignée"
    assert details["Position"] == "47.3900, 0.7000 (ville)"


def test_off_map_table_merges_problems_and_unplaced_by_row():
    table = off_map_table(
        [Finding(5, "type", "bar", "valeur inconnue", DROPPED, "Bar"),
         Finding(2, "opened", "x", "année invalide", FIELD_IGNORED, "A"),
         Finding(3, "ville", "Rennnes", "ville introuvable", UNPLACED, "B")])
    assert list(table["Ligne"]) == [2, 3, 5]
    assert list(table["Sur la carte"]) == ["oui", "non", "non"]


def test_region_list_links_and_cuts():
    df = pd.DataFrame({"id": ["a", "b", "c"], "name": ["A [1]", "B", "C"], "city": ["Rennes", "", "Brest"]})
    text = region_list(df, "Bretagne", limit=2)
    assert text.splitlines() == [
        "- [A \\[1\\]](?region=Bretagne&place=a) — Rennes",
        "- [B](?region=Bretagne&place=b) — ville non renseignée",
        "- … et 1 autre\u00a0: voir l'onglet «\u00a0Liste des lieux\u00a0».",
    ]


def test_list_pages_are_counted_the_french_way():
    from reseau_map.domain.tables import page_count, page_label

    assert page_label(0, 10_000) == "1 à 200 sur 10\u202f000"
    assert page_label(49, 10_000) == "9\u202f801 à 10\u202f000 sur 10\u202f000"
    assert page_count(10_000) == 50 and page_count(0) == 1 and page_count(201) == 2
