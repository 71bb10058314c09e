"""A messy partner list, as public ones come, loads and places every row in the right commune."""

from pathlib import Path

import pytest

from reseau_map.core.findings import DOUBTFUL, UNPLACED
from reseau_map.domain.catalogue import build_catalogue
from reseau_map.domain.summary import summarize, summary_lines

MESSY = Path(__file__).parent.parent / "fixtures" / "partner" / "messy.csv"


@pytest.fixture(scope="module")
def cat():
    return build_catalogue(MESSY.read_bytes(), filename=MESSY.name)


@pytest.mark.parametrize("name, region, lat", [
    ("La Cantine de Cesson", "Bretagne", 48.12),   # Cesson 35510 = Cesson-Sévigné, not Cesson 77
    ("Le Labo de Cesson", "Île-de-France", 48.56),
    ("Atelier de Grigny", "Auvergne-Rhône-Alpes", 45.61),
    ("Espace de Grigny", "Île-de-France", 48.66),
    ("Case numérique", "La Réunion", -21.01),      # Saint-Paul 97460 (its town), not a Saint-Paul of the mainland
    ("La Fabrique du 8e", "Île-de-France", 48.88),
    ("Lyon Cinquième", "Auvergne-Rhône-Alpes", 45.76),
    ("Le Port numérique", "Provence-Alpes-Côte d'Azur", 43.32),
    ("Campus Rennes", "Bretagne", 48.11),            # « RENNES CEDEX »
    ("Le Tiers de Bourgoin", "Auvergne-Rhône-Alpes", 45.60),
    ("La Coop de Pointe-à-Pitre", "Guadeloupe", 16.24),
    ("La Ruche d'Aquitaine", "Nouvelle-Aquitaine", 44.86),  # « Aquitaine » of 2012
])
def test_each_row_lands_in_its_commune_and_region(cat, name, region, lat):
    row = cat.places[cat.places["name"] == name].iloc[0]
    assert row["region"] == region and row["lat"] == pytest.approx(lat, abs=0.02)


def test_nothing_is_lost_and_doubts_are_said(cat):
    assert len(cat.places) == 214  # every row kept
    assert cat.places["lat"].notna().sum() == 213
    kinds = {(f.row, f.kind) for f in cat.findings}
    assert (15, UNPLACED) in kinds  # « Rennnes »
    assert (7, DOUBTFUL) in kinds  # Saint-Denis with nothing to tell the homonyms apart
    websites = cat.places.set_index("name")["website"]
    assert websites["La Cantine de Cesson"] == "https://www.cesson-lieu.fr"
    assert websites["Atelier de Grigny"] == "https://grigny-atelier.fr/accueil"
    assert "PRECISION" not in {f.column for f in cat.findings if f.row > 0}  # one note, no rejection


def test_the_summary_groups_and_counts(cat):
    lines = summary_lines(summarize(cat.places, cat.findings, cat.columns))
    assert lines[0] == "214 lignes lues, 214 lieux retenus, 213 placés sur la carte, 1 sans position."
    assert "208 placés par le code postal et la commune." in lines
    assert any("« PRECISION »" in line for line in lines)
    assert len(lines) < 20  # 200 Paris rows do not make 200 lines
