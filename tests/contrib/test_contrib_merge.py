"""`merge`: accepted places written into the places file, atomically, in the file's own dialect, once."""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from reseau_map import cli
from reseau_map.contrib.merge import merge
from reseau_map.contrib.proposal import Proposal
from reseau_map.contrib.store import open_store
from reseau_map.files.places import load_places

NOW = datetime(2026, 11, 30, 9, 15, 0)
SECRET_EMAIL = "prive@example.org"


def accepted(tmp_path, name: str = "Forêt numérique") -> pd.DataFrame:
    store = open_store(f"sqlite:///{tmp_path / 'db.sqlite'}")
    store.submit(Proposal(name=name, type="lieu_associe", city="Brest", lat=48.39, lon=-4.486,
                          precision="ville", contact_email=SECRET_EMAIL))
    store.accept(store.pending()[0].id, "Camille")
    return store.accepted_places()


def test_merge_appends_keeps_a_backup_and_is_idempotent(tmp_path):
    path = tmp_path / "places.csv"
    original = "id,name,type,city\ncantine-paris,La Cantine,cantine,Paris\n"
    path.write_text(original, encoding="utf-8")
    places = accepted(tmp_path)
    done = merge(path, places, NOW)
    assert done.added == 1 and done.backup is not None and done.backup.name.startswith("places.csv.")
    assert done.backup.read_text(encoding="utf-8") == original
    df, meta = load_places(path.read_bytes())
    assert meta.findings == () and df["name"].tolist() == ["La Cantine", "Forêt numérique"]
    assert df["id"].iloc[1] == places["id"].iloc[0] and df["lat"].iloc[1] == 48.39
    assert SECRET_EMAIL not in path.read_text(encoding="utf-8")
    again = merge(path, places, NOW)
    assert again.added == 0 and again.backup is None
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".places")] == []  # no temp file left


def test_merge_keeps_a_french_spreadsheet_dialect(tmp_path):
    path = tmp_path / "lieux.csv"
    path.write_bytes("nom;type;ville;latitude;longitude\r\nCantine numérique;cantine;Paris;48,85;2,35\r\n"
                     .encode("cp1252"))
    merge(path, accepted(tmp_path), NOW)
    text = path.read_bytes().decode("cp1252")  # still Windows-1252, semicolons, decimal commas, CRLF
    # The file's own headers first, in its order; the contract's missing columns after them.
    assert text.startswith("nom;type;ville;latitude;longitude;id;")
    assert "\r\nForêt numérique;lieu_associe;Brest;48,39;-4,486;proposition-" in text
    assert text.count("\r\n") == 3


def test_merge_command(tmp_path, monkeypatch, capsys):
    path = tmp_path / "places.csv"
    path.write_text("id,name,type,city\n", encoding="utf-8")
    accepted(tmp_path, "La Forge")
    monkeypatch.setenv("RESEAU_MAP_DB", str(tmp_path / "db.sqlite"))
    assert cli.main(["merge", str(path)]) == 0
    assert "1 lieu(x) accepté(s) ajouté(s)" in capsys.readouterr().out
    assert "La Forge" in path.read_text(encoding="utf-8")


def test_hash_password_command(monkeypatch, capsys):
    from io import StringIO

    from reseau_map.contrib.auth import verify_password

    monkeypatch.setattr("sys.stdin", StringIO("s3cret\n"))
    assert cli.main(["hash-password", "--stdin", "--quiet"]) == 0
    assert verify_password("s3cret", capsys.readouterr().out.strip())
