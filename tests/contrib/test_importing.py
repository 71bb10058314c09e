"""An import's pure steps: a file refused before it is read, its columns guessed then corrected through a
mapping that saves as TOML, two lists combined into one."""

from __future__ import annotations

from pathlib import Path

import pytest

from reseau_map.contrib.importing import MAX_BYTES, check_upload, combined, form_mapping, read_upload
from reseau_map.core.errors import DataFileError, ImportRefused
from reseau_map.domain.catalogue import build_catalogue
from reseau_map.files.mapping import load_mapping, parse_mapping
from reseau_map.files.mapping_text import mapping_text
from reseau_map.files.network import load_network

FIXTURES = Path(__file__).parents[1] / "fixtures"
PARTNER = FIXTURES / "partner" / "base_tiers_lieux.csv"
VOCAB = load_network().vocabulary


@pytest.mark.parametrize("data, name, words", [
    (b"x" * (MAX_BYTES + 1), "gros.csv", "la limite est de 10 Mo"),
    (b"MZ\x90\x00", "outil.exe", "formats acceptés : CSV, XLSX, ODS ou GeoJSON"),
    (b"  \r\n", "vide.csv", "est vide"),
])
def test_a_file_is_refused_before_it_is_read_with_a_french_sentence(data, name, words):
    with pytest.raises(ImportRefused) as err:
        check_upload(data, name)
    assert words in str(err.value) and "Rien n'a changé" in str(err.value) and f"« {name} »" in str(err.value)


def test_a_file_that_only_looks_like_a_workbook_gets_the_loaders_french_message():
    with pytest.raises(DataFileError) as err:
        read_upload(b"PK\x03\x04" + b"\x00" * 64, "lieux.xlsx", VOCAB)
    assert str(err.value)[0].isupper() and "Traceback" not in str(err.value)


def test_the_guess_and_the_mapping_the_form_starts_from():
    found = read_upload(PARTNER.read_bytes(), PARTNER.name, VOCAB)
    assert found.columns.header("name") == "NOM_TL" and found.mapping.columns["name"] == "NOM_TL"
    assert dict(found.type_values)["Fablab"] >= 1
    assert found.publishable and len(found.catalogue.places) > 0


def test_the_form_says_a_mapping_that_reads_back_the_same_and_changes_the_reading():
    given = load_mapping(PARTNER.with_suffix(".toml"), VOCAB)
    guessed = read_upload(PARTNER.read_bytes(), PARTNER.name, VOCAB)
    mapping = form_mapping(dict(given.columns), {"Fablab": "cantine"}, "ouvert", given.credit, ["Note"], VOCAB)
    assert parse_mapping(mapping_text(mapping), vocab=VOCAB) == mapping
    assert mapping.defaults == {"status": "ouvert"} and mapping.private == ("Note",)
    read = read_upload(PARTNER.read_bytes(), PARTNER.name, VOCAB, mapping)
    fablabs = read.catalogue.places[read.catalogue.places["name"] == "Le Hangar numérique"]
    assert fablabs["type"].tolist() == ["cantine"]  # the corrected category, not the guess
    assert guessed.catalogue.places.loc[guessed.catalogue.places["name"] == "Le Hangar numérique",
                                        "type"].tolist() != ["cantine"]
    assert set(read.catalogue.places["status"]) == {"ouvert"}
    with pytest.raises(DataFileError) as err:
        form_mapping({"name": "NOM_TL"}, {"Fablab": "licorne"}, "", "", [], VOCAB)
    assert "« Fablab » = « licorne »" in str(err.value)


def test_two_lists_combine_into_one_with_the_places_of_both_and_their_private_columns():
    base = (FIXTURES / "page" / "places.csv").read_bytes()
    partner = PARTNER.read_bytes()
    mapping = load_mapping(PARTNER.with_suffix(".toml"), VOCAB)
    six = (FIXTURES / "vocabulary" / "six_categories.csv").read_bytes()
    data, name, merged = combined([(base, "places.csv", None), (partner, PARTNER.name, mapping),
                                   (six, "six.csv", parse_mapping('[private]\ncolumns = ["Téléphone"]'))], VOCAB)
    cat = build_catalogue(data, filename=name, mapping=merged, vocab=VOCAB)
    names = set(cat.places["name"])
    assert {"Cantine d'essai de Rennes", "La Ruche des Lices", "Le Fablab du Nord"} <= names
    assert merged.credit == mapping.credit and merged.private == ("Téléphone",)
    assert {"Téléphone", "Courriel"} <= set(cat.fields.private)
    # The partner's types went through its mapping: « Fablab » is a « lieu associé » of the network.
    assert cat.places.loc[cat.places["name"] == "Le Hangar numérique", "type"].tolist() == ["lieu_associe"]
