"""The error family and the French sentences built in one place."""

import pytest

from reseau_map.core.errors import DataFileError, PlaceNotFound, ReseauMapError, RowError, row_message, sentence


def test_errors_are_one_family_and_inherit_the_builtin_they_resemble():
    assert issubclass(DataFileError, ReseauMapError) and issubclass(DataFileError, OSError)
    assert issubclass(RowError, ValueError) and issubclass(PlaceNotFound, LookupError)


def test_row_message_names_row_column_value_and_reason():
    assert row_message(4, "type", "bar", "valeur inconnue") == \
        "Ligne 4, colonne « type » : valeur « bar » — valeur inconnue."
    assert row_message(2, "name", "", "obligatoire").startswith("Ligne 2, colonne « name » : valeur (vide)")
    err = RowError(3, "lat", "200", "hors limites")
    assert (err.row, err.column, err.value) == (3, "lat", "200") and "Ligne 3" in str(err)


@pytest.mark.parametrize("text, expected", [
    ("Bonjour", "Bonjour."), ("Vouliez-vous dire : Rennes ?", "Vouliez-vous dire : Rennes ?"),
    ("Fini.", "Fini."), ("Fin  ", "Fin."),
])
def test_sentence_ends_once(text, expected):
    assert sentence(text) == expected


def test_place_not_found_suggests():
    err = PlaceNotFound("Vanes", ["Vannes", "Vence"])
    assert str(err) == "Lieu « Vanes » introuvable hors ligne ; vouliez-vous dire : Vannes, Vence ?"


def test_file_safety_errors_are_data_file_errors():
    from reseau_map.core.errors import FileBusyError, WriteError

    assert issubclass(WriteError, DataFileError) and issubclass(WriteError, OSError)
    assert issubclass(FileBusyError, DataFileError) and issubclass(FileBusyError, TimeoutError)
