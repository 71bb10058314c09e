"""The command line: French messages, exit codes, files written, every command documented."""

import json
import re
import shutil
from pathlib import Path

import pytest

from reseau_map.cli import main, parser
from reseau_map.maps.layers import decode_payload, payload_column

FIXTURES = Path(__file__).parent / "fixtures"
PAGE = FIXTURES / "page" / "places.csv"


def test_validate_reports_rows_and_fails(capsys):
    assert main(["validate", str(FIXTURES / "places_mixed.csv")]) == 1
    out = capsys.readouterr().out
    assert "Ligne 3, colonne « lat » : valeur « 200 »" in out
    assert "Ligne 4, colonne « city » : valeur « Rennnes » — commune « Rennnes » introuvable" in out and "Rennes" in out
    # The lost row is a problem; the ignored latitude (placed by its commune) is a note, counted when strict.
    assert out.rstrip().endswith("1 perdu(s), 0 douteux, 1 remarque(s) : 1 problème(s).")
    assert out.index("Rennnes") < out.index("Ligne 3, colonne « lat »")  # lost rows first
    assert main(["validate", "--strict", str(FIXTURES / "places_mixed.csv")]) == 1
    assert capsys.readouterr().out.rstrip().endswith("(comptées) : 2 problème(s).")


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
    assert "43,29" in text  # decimal comma, as the file writes numbers; La Boate now has Marseille's coordinates
    assert "47,9030" in text  # typed coordinates are left as typed
    assert "Provence-Alpes-Côte d'Azur" in text
    assert not cache.exists()  # offline answers cost nothing: only online ones are cached


def test_geocode_reports_what_it_could_not_place(tmp_path, capsys):
    assert main(["geocode", str(FIXTURES / "places_mixed.csv"), "--cache", str(tmp_path / "c.csv")]) == 1
    assert "Ligne 4, colonne « city » : valeur « Rennnes »" in capsys.readouterr().out


@pytest.mark.parametrize("region", ["Bretagne", "bretagne", "BRE", "53", "Région Bretagne"])
def test_export_by_region_understands_every_spelling(tmp_path, capsys, region):
    out = tmp_path / "b.geojson"
    assert main(["export", str(PAGE), "--format", "geojson", "--region", region, "-o", str(out)]) == 0
    features = json.loads(out.read_text(encoding="utf-8"))["features"]
    assert {f["properties"]["name"] for f in features} == {"Cantine d'essai de Rennes", "Projet d'essai à Brest"}
    assert f"{len(features)} lieux exportés" in capsys.readouterr().err  # the count is what was written


def test_export_for_spreadsheets_holds_the_filtered_rows_with_french_headers(tmp_path, capsys):
    import csv
    import io

    import openpyxl

    sheet, book = tmp_path / "lieux-excel.csv", tmp_path / "lieux.xlsx"
    assert main(["export", str(PAGE), "--format", "excel", "--region", "Bretagne", "-o", str(sheet)]) == 0
    assert main(["export", str(PAGE), "--format", "xlsx", "--region", "Bretagne", "-o", str(book)]) == 0
    data = sheet.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM French Excel needs to read UTF-8
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    header = rows[0]
    assert {"Nom", "Catégorie", "Latitude", "Commune"} <= set(header)
    names = {r[header.index("Nom")] for r in rows[1:] if len(r) == len(header)}
    assert {"Cantine d'essai de Rennes", "Projet d'essai à Brest"} <= names
    workbook = openpyxl.load_workbook(book, read_only=True)
    places = workbook.worksheets[0]
    titles = [c.value for c in next(places.iter_rows(max_row=1))]
    listed = [r[titles.index("Nom")] for r in places.iter_rows(min_row=2, values_only=True)]
    assert sorted(listed) == sorted(n for n in names if n) and len(workbook.worksheets) == 2
    assert "2 lieux exportés" in capsys.readouterr().err


def test_export_of_an_unknown_region_is_a_french_error(capsys):
    assert main(["export", str(PAGE), "--region", "Atlantide"]) == 2
    assert capsys.readouterr().err.startswith("Erreur : Région inconnue : Atlantide")


def test_export_html_works_offline(tmp_path):
    page = tmp_path / "carte.html"
    assert main(["export", str(PAGE), "--format", "html", "-o", str(page)]) == 0
    text = page.read_text(encoding="utf-8")
    assert "Cantine d&#x27;essai de Marseille" in payload_column(decode_payload(text)[0], "name")  # escaped
    assert not re.findall(r"<(?:script|link)[^>]+(?:src|href)=\"http", text)  # no asset from a server


def test_validate_prints_the_import_summary(capsys):
    assert main(["validate", str(PAGE)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "8 lignes lues, 8 lieux retenus, 7 placés sur la carte, 1 sans position."
    assert "2 placés par leurs coordonnées." in lines
    assert any(line.startswith("Ligne 9, colonne « city » : valeur « Rennnes »") for line in lines)
    assert lines[-1].endswith("7 placés sur la carte ; 1 perdu(s), 0 douteux, 0 remarque(s) : 1 problème(s).")


def test_thousands_of_identical_findings_are_grouped(tmp_path, capsys):
    path = tmp_path / "lieux.csv"
    path.write_text("nom,type,ville\n" + "".join(f"Lieu {i},cantine,Nullepartville\n" for i in range(1500)),
                    encoding="utf-8")
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    grouped = "1\u202f500 lignes (non placée, lignes 2, 3, 4, 5, 6, …) — colonne « ville » : commune « Nullepartville »"
    assert grouped in out
    assert len(out.splitlines()) < 10


def test_every_command_is_documented_in_the_readme():
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    commands = parser()._subparsers._group_actions[0].choices
    for name in commands:
        assert name in readme, name


def test_serve_runs_the_packaged_app_with_the_checkout_config_as_flags(monkeypatch):
    import tomllib

    from reseau_map import cli
    from reseau_map.core.settings import APP_SCRIPT

    ran = []
    monkeypatch.setattr(cli.subprocess, "call", lambda command: ran.append(command) or 0)
    assert main(["serve", "--server.port", "8502", "--theme.base=dark"]) == 0
    command = ran[0]
    assert command[1:5] == ["-m", "streamlit", "run", str(APP_SCRIPT)] and APP_SCRIPT.is_file()
    assert command[-3:] == ["--server.port", "8502", "--theme.base=dark"]  # the caller's own, last
    # Every option of .streamlit/config.toml, and only those, becomes a flag: the two stay in step.
    config = tomllib.loads((Path(__file__).parent.parent / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    flags = dict(zip(command[5:-3:2], command[6:-3:2], strict=True))

    def options(table: dict, prefix: str = "") -> dict[str, str]:  # [theme.light] is a table in a table
        out: dict[str, str] = {}
        for name, value in table.items():
            if isinstance(value, dict):
                out |= options(value, f"{prefix}{name}.")
            else:
                out[f"--{prefix}{name}"] = str(value).lower() if isinstance(value, bool) else str(value)
        return out

    assert flags == options(config)


def test_only_serve_passes_unknown_options_on(capsys):
    with pytest.raises(SystemExit):
        main(["validate", "x.csv", "--server.port"])
    assert "arguments non reconnus : --server.port" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [[], ["inconnu"]])
def test_bad_usage_exits(argv):
    with pytest.raises(SystemExit):
        main(argv)


def test_geocode_write_keeps_an_excel_file_and_a_row_added_during_the_run(tmp_path, monkeypatch, capsys):
    from reseau_map import cli

    work = tmp_path / "lieux.csv"
    lines = ["nom;type;statut;ville;latitude;longitude", "La Boate;Lieu associé;Ouvert;Marseille;;",
             "Le Node;Lieu associé;Ouvert;Bordeaux;44,84;-0,58"]
    work.write_bytes("\r\n".join(lines).encode("cp1252") + b"\r\n")
    added = "Café ajouté à la main;cantine;ouvert;Brest;;\r\n".encode("cp1252")

    def progress(label):
        def wrap(rows):
            # The coordinator saves a new row at the top while the slow geocoding runs.
            data = work.read_bytes()
            header_end = data.index(b"\r\n") + 2
            work.write_bytes(data[:header_end] + added + data[header_end:])
            yield from rows
        return wrap

    monkeypatch.setattr(cli, "_tqdm", progress)
    assert main(["geocode", str(work), "--write", "--cache", str(tmp_path / "cache.csv")]) == 0
    out = work.read_bytes().decode("cp1252").split("\r\n")
    assert out[0] == "nom;type;statut;ville;latitude;longitude;precision;region"
    assert out[1] == "Café ajouté à la main;cantine;ouvert;Brest;;;;"  # kept, not overwritten
    assert out[2].startswith("La Boate;Lieu associé;Ouvert;Marseille;43,29")
    assert out[2].endswith(";ville;Provence-Alpes-Côte d'Azur")
    assert out[3].startswith("Le Node;Lieu associé;Ouvert;Bordeaux;44,84;-0,58;adresse;")
    assert out[4] == ""  # the final CRLF is kept
    assert len(list(tmp_path.glob("lieux.csv.*.bak"))) == 1
