"""The cases of issue 19, one tiny list each (tests/fixtures/lists/), as public lists come.

Each row of CASES: the file, the columns it must be read with, rows in / placed / lost /
doubtful, the exit code of `validate` (and of `validate --strict`), and a check of its own. Every
file reproduces what went wrong before (each case's comment says what).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reseau_map.cli import main
from reseau_map.core.findings import DOUBT, FILE_WARNING, LOST
from reseau_map.domain.catalogue import Catalogue, build_catalogue
from reseau_map.domain.summary import summarize, summary_lines
from reseau_map.geo.geocode import TYPED
from reseau_map.maps.mapview import overseas_notice

LISTS = Path(__file__).parent.parent / "fixtures" / "lists"


def rows_graded(cat: Catalogue, grade: str) -> int:
    """How many rows have a finding of that grade."""
    return len({f.row for f in cat.findings if f.grade == grade and f.row > 0})


def by_name(cat: Catalogue) -> dict:
    return cat.places.set_index("name").to_dict("index")


def museums(cat: Catalogue) -> None:
    # Before: « Lieu » (an address complement, half empty) was the name: 4 of 8 rows dropped, the
    # others called « Mairie », « BP 27 ».
    assert "Mairie" not in set(cat.places["name"]) and "Musée de Bretagne" in set(cat.places["name"])
    assert cat.places.set_index("name").at["Écomusée des Monts d'Arrée", "Lieu"] == "BP 27"  # kept as the partner's


def postcodes_first(cat: Catalogue) -> None:
    # Before: Saint-Martin 97150 went to Occitanie, Saint-Pierre 97500 to La Réunion, Yaté to
    # England, Païta to Peru, Percy 38930 to the Manche; Mata-Utu was lost.
    places = by_name(cat)
    expected = {
        "Espace numérique de Marigot": "Saint-Martin",
        "Point numérique de Saint-Pierre": "Saint-Pierre-et-Miquelon",
        "Maison France services de Yaté": "Nouvelle-Calédonie",
        "Médiathèque de Païta": "Nouvelle-Calédonie",
        "Bibliothèque du Percy": "Auvergne-Rhône-Alpes",
        "Relais de Foucherans": "Bourgogne-Franche-Comté",
        "Cyberbase de Gustavia": "Saint-Barthélemy",
        "Fare numérique": "Polynésie française",
        "Point d'accès de Mata-Utu": "Wallis-et-Futuna",
        "Tiers-lieu mal adressé": "Bretagne",
    }
    assert {name: places[name]["region"] for name in expected} == expected
    assert 48.3 < places["Tiers-lieu mal adressé"]["lat"] < 48.5  # Brest (29200), never Rennes (35)
    assert -22.3 < places["Maison France services de Yaté"]["lat"] < -21.9
    doubts = {f.name: f.reason for f in cat.findings if f.grade == DOUBT}
    assert "ne concordent pas" in doubts["Tiers-lieu mal adressé"]
    assert "Tarcenay-Foucherans" in doubts["Relais de Foucherans"]
    assert "Uvea" in doubts["Point d'accès de Mata-Utu"]


def empty_columns(cat: Catalogue) -> None:
    # Before: the empty « tarifs » was read as the coordinates, « mastodon » as the website,
    # « vide » as the opening year; the given points were ignored for the communes'.
    assert set(cat.places["located_by"]) == {TYPED}
    assert cat.places["website"].eq("").all() and cat.places["opened"].isna().all()
    assert cat.places.set_index("name").at["Le Hangar", "lat"] == pytest.approx(48.3904)


def update_dates(cat: Catalogue) -> None:
    # Before: « mise_a_jour » gave « Ouverture : 2021 » on every card.
    assert cat.places["opened"].isna().all() and "opened" not in cat.columns


def damaged_encoding(cat: Catalogue) -> None:
    # Before: not flagged, and one « région corrigée » per row.
    [warning] = [f for f in cat.findings if f.kind == FILE_WARNING]
    assert "encodage abîmé" in warning.reason and "3 lignes" in warning.reason
    lines = summary_lines(summarize(cat.places, cat.findings, cat.columns))
    assert sum("région inconnue" in line for line in lines) == 1  # three notes, one line
    assert lines.index(warning.message) < next(i for i, line in enumerate(lines) if "placés par" in line)


def far_coordinates(cat: Catalogue) -> None:
    # Before: a point 95 km from the commune its row names, without a remark.
    [doubt] = [f for f in cat.findings if f.grade == DOUBT]
    assert doubt.reason.startswith("coordonnées à 95 km de la commune indiquée (Vannes, 56)")
    place = cat.places.set_index("name").loc["Fablab de Vannes (point copié de Rennes)"]
    assert (place["lat"], place["lon"]) == (48.1113, -1.68)  # kept as given


def unknown_types(cat: Catalogue) -> None:
    # Before: validate exited 1 for two unknown category values alone. They are the file's own
    # categories now (its vocabulary), and the choice is a note.
    assert set(cat.places["type"]) == {"cantine", "atelier_partage", "espace_de_mediation"}


def wrong_departments(cat: Catalogue) -> None:
    # Before: each row went to the commune of its name, against its postcode; validate said 0.
    # Now each stays in its postcode's région, and is doubtful.
    regions = {"Saint-Denis": "Île-de-France", "Lyon": "Provence-Alpes-Côte d'Azur",
               "Marseille": "Auvergne-Rhône-Alpes", "Toulouse": "Nouvelle-Aquitaine", "Bordeaux": "Occitanie",
               "Nantes": "Grand Est", "Strasbourg": "Pays de la Loire", "Lille": "Occitanie",
               "Montpellier": "Hauts-de-France", "Nice": "Bretagne"}
    assert {name.removeprefix("Lieu de "): p["region"] for name, p in by_name(cat).items()} == regions
    assert 43.2 < by_name(cat)["Lieu de Lyon"]["lat"] < 43.4  # Marseille (13001), not Lyon


def overseas(cat: Catalogue) -> None:
    # Before: Papeete and Nouméa were places abroad; nothing said the overseas places were off-screen.
    notice = overseas_notice(cat.places)
    assert notice is not None
    assert {t["name"]: t["count"] for t in notice.territories} == {
        "Guadeloupe": 1, "Guyane": 1, "La Réunion": 1, "Polynésie française": 1, "Nouvelle-Calédonie": 1}
    assert notice.home["count"] == 2


CASES = [
    # file, columns (ours -> header), rows in, placed, lost, doubtful, exit, exit --strict, check
    ("musees.csv", {"name": "Nom officiel du musée", "postcode": "Code postal", "city": "Commune"},
     8, 8, 0, 0, 0, 1, museums),
    ("codes_postaux.csv", {"postcode": "code_postal", "city": "commune"}, 10, 10, 0, 3, 1, 1, postcodes_first),
    ("colonnes_vides.csv", {"lat": "p", "lon": "q", "city": "ville"}, 5, 5, 0, 0, 0, 1, empty_columns),
    ("mise_a_jour.csv", {"city": "commune"}, 3, 3, 0, 0, 0, 1, update_dates),
    ("encodage_abime.csv", {"city": "commune"}, 3, 3, 0, 0, 1, 1, damaged_encoding),
    ("coordonnees_lointaines.csv", {"lat": "latitude"}, 3, 3, 0, 1, 1, 1, far_coordinates),
    ("types_inconnus.csv", {"type": "type"}, 3, 3, 0, 0, 0, 1, unknown_types),
    ("mauvais_departement.csv", {"postcode": "code_postal"}, 10, 10, 0, 10, 1, 1, wrong_departments),
    ("outre_mer.csv", {"city": "commune"}, 7, 7, 0, 0, 0, 1, overseas),
]


@pytest.mark.parametrize(("filename", "columns", "rows", "placed", "lost", "doubtful", "exit", "strict", "check"),
                         CASES, ids=[c[0] for c in CASES])
def test_real_list_case(filename, columns, rows, placed, lost, doubtful, exit, strict, check, capsys):
    path = LISTS / filename
    cat = build_catalogue(path.read_bytes(), filename=filename)
    assert {ours: cat.columns[ours][0] for ours in columns if ours in cat.columns} == columns
    dropped = {f.row for f in cat.findings if f.dropped}
    assert (len(cat.places) + len(dropped), len(cat.located), rows_graded(cat, LOST), rows_graded(cat, DOUBT)) == (
        rows, placed, lost, doubtful)
    check(cat)
    assert main(["validate", str(path)]) == exit
    assert main(["validate", "--strict", str(path)]) == strict
    capsys.readouterr()


def test_a_file_with_losses_says_so_above_the_map_with_the_fix(tmp_path):
    # The museums file as it would be read with the wrong name column: the notice the page shows
    # above the map (the catalogue's notes) counts the rows lost and gives the mapping line.
    from reseau_map.files.mapping import Mapping

    path = LISTS / "musees.csv"
    cat = build_catalogue(path.read_bytes(), filename=path.name, mapping=Mapping(columns={"name": "Lieu"}))
    [notice] = [n for n in cat.notes if "écartées" in n]
    assert notice.startswith("4 lignes sur 8 écartées : nom vide — voir « Import et hors carte ».")
    assert notice.endswith('section [columns] : name = "Nom officiel du musée"')
    clean = build_catalogue(path.read_bytes(), filename=path.name)
    assert not [n for n in clean.notes if "écartée" in n]


def test_columns_command_prints_the_evidence(capsys):
    assert main(["columns", str(LISTS / "musees.csv")]) == 0
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if x.startswith("#   name ← "))
    assert line.startswith("#   name ← « Nom officiel du musée » : remplie à 100\u202f%")
    assert "ex. « Musée des Beaux-Arts de Rennes », « Musée de Bretagne », « Musée des Jacobins »" in line
    assert "plus remplie et ressemblant à des noms que « Lieu » (100\u202f% contre 50\u202f%)" in line
    import tomllib

    assert tomllib.loads(out)["columns"]["name"] == "Nom officiel du musée"  # the evidence is comments


@pytest.mark.parametrize(("city", "postcode", "region"), [
    ("Yaté", "98834", "Nouvelle-Calédonie"),  # never Yate, England
    ("Païta", "98890", "Nouvelle-Calédonie"),  # never Paita, Peru (98890 is not in La Poste's base)
    ("Bourg-en-Bresse", "1000", "Auvergne-Rhône-Alpes"),  # a lost leading 0
    # Four digits padded with a 0 may be a neighbour's postcode: a place of that name abroad wins
    # over the postcode's nearest name.
    ("Namur", "5000", "Hors de France"), ("Genève", "1204", "Hors de France"), ("Bruxelles", "1000", "Hors de France"),
])
def test_a_french_postcode_never_leads_abroad_but_a_neighbours_may(city, postcode, region):
    cat = build_catalogue(f"nom,commune,code_postal\nLieu,{city},{postcode}\n".encode())
    assert cat.places.at[0, "region"] == region
