"""The command line: French messages, exit codes, files written, every command documented."""

import json
import shutil
from pathlib import Path

import pytest

from reseau_map.cli import main, parser

FIXTURES = Path(__file__).parent / "fixtures"


def test_validate_seed_is_clean(capsys):
    assert main(["validate"]) == 0
    out = capsys.readouterr().out
    assert "0 problème(s)" in out
    assert "La Fonderie" in out  # listed, not an error: the source gives no place


def test_validate_reports_rows_and_fails(capsys):
    assert main(["validate", str(FIXTURES / "places_mixed.csv")]) == 1
    out = capsys.readouterr().out
    assert "Ligne 3, colonne « lat » : valeur « 200 »" in out
    assert "Ligne 4, colonne « city » : valeur « Rennnes »" in out and "Rennes" in out
    assert "2 problème(s)" in out


def test_validate_uses_the_environment_variable(capsys, monkeypatch):
    monkeypatch.setenv("RESEAU_MAP_PLACES", str(FIXTURES / "places_semicolon_bom.csv"))
    assert main(["validate"]) == 0
    assert "2 lieux valides, 2 placés" in capsys.readouterr().out


def test_missing_file_is_one_french_line(capsys, tmp_path):
    assert main(["validate", str(tmp_path / "absent.csv")]) == 2
    assert capsys.readouterr().err.startswith("Erreur : Fichier des lieux illisible")


def test_geocode_write_fills_coordinates_and_keeps_every_row(tmp_path, capsys):
    work = tmp_path / "lieux.csv"
    shutil.copy(FIXTURES / "places_semicolon_bom.csv", work)
    cache = tmp_path / "cache.csv"
    assert main(["geocode", str(work), "--write", "--cache", str(cache)]) == 0
    text = work.read_text(encoding="utf-8")
    assert text.splitlines()[0].count(";") > 3  # the file keeps its separator
    assert "43.29" in text  # La Boate now has Marseille's coordinates
    assert "47,9030" in text  # typed coordinates are left as typed
    assert "Provence-Alpes-Côte d'Azur" in text
    assert cache.exists()


def test_geocode_reports_what_it_could_not_place(tmp_path, capsys):
    assert main(["geocode", str(FIXTURES / "places_mixed.csv"), "--cache", str(tmp_path / "c.csv")]) == 1
    assert "Non placé — ligne 4 « Lieu introuvable »" in capsys.readouterr().out


def test_export_geojson_and_html(tmp_path):
    out = tmp_path / "b.geojson"
    assert main(["export", "--format", "geojson", "--region", "Bretagne", "-o", str(out)]) == 0
    names = {f["properties"]["name"] for f in json.loads(out.read_text(encoding="utf-8"))["features"]}
    assert names == {"Cantine numérique de Rennes", "Projet de cantine à Brest"}
    page = tmp_path / "carte.html"
    assert main(["export", "--format", "html", "-o", str(page)]) == 0
    assert "Cantine numérique de Toulouse" in page.read_text(encoding="utf-8")


def test_every_command_is_documented_in_the_readme():
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    commands = parser()._subparsers._group_actions[0].choices
    for name in commands:
        assert name in readme, name


@pytest.mark.parametrize("argv", [[], ["inconnu"]])
def test_bad_usage_exits(argv):
    with pytest.raises(SystemExit):
        main(argv)
