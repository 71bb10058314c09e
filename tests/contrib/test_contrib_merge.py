"""`merge`: accepted places written into the places file, atomically, in the file's own dialect, once."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pandas as pd

from reseau_map import cli
from reseau_map.contrib.merge import merge
from reseau_map.contrib.proposal import Proposal
from reseau_map.contrib.store import open_store
from reseau_map.files.mapping import load_mapping
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


# --- Issue 22: lost writes, the mapping, formulas -------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[2]
# Headers that say nothing: only the mapping tells what they are.
PARTNER = "C1;C2;C3;C4;C5\r\nLe Tiers;Rennes;Tiers lieu;48,11;-1,68\r\n"
MAPPING = """[columns]
name = "C1"
city = "C2"
type = "C3"
lat = "C4"
lon = "C5"
[types]
"Tiers lieu" = "lieu_associe"
"" = "autre"
[defaults]
status = "ouvert"
"""


def test_merge_reads_a_partner_file_through_its_mapping(tmp_path):
    path = tmp_path / "tiers.csv"
    path.write_bytes(PARTNER.encode("utf-8"))
    (tmp_path / "map.toml").write_text(MAPPING, encoding="utf-8")
    mapping = load_mapping(tmp_path / "map.toml")
    places = accepted(tmp_path)
    assert merge(path, places, NOW, mapping).added == 1
    header, *rows = path.read_text(encoding="utf-8").splitlines()
    # The partner's columns took the place's values: only the columns it has no home for were added.
    assert header == "C1;C2;C3;C4;C5;id;region;precision;source"
    assert rows[1].startswith("Forêt numérique;Brest;Tiers lieu;48,39;-4,486;proposition-")
    df, meta = load_places(path.read_bytes(), "tiers.csv", mapping)
    assert df["type"].tolist() == ["lieu_associe", "lieu_associe"] and df["status"].tolist() == ["ouvert"] * 2
    assert merge(path, places, NOW, mapping).added == 0  # once


def test_the_merge_command_honours_mapping_and_environment(tmp_path, monkeypatch, capsys):
    path = tmp_path / "tiers.csv"
    path.write_bytes(PARTNER.encode("utf-8"))
    (tmp_path / "map.toml").write_text(MAPPING, encoding="utf-8")
    accepted(tmp_path)
    monkeypatch.setenv("RESEAU_MAP_DB", str(tmp_path / "db.sqlite"))
    monkeypatch.setenv("RESEAU_MAP_MAPPING", str(tmp_path / "map.toml"))
    assert cli.main(["merge", str(path)]) == 0
    assert path.read_text(encoding="utf-8").splitlines()[0] == "C1;C2;C3;C4;C5;id;region;precision;source"
    monkeypatch.delenv("RESEAU_MAP_MAPPING")
    other = tmp_path / "autre.csv"
    other.write_bytes(PARTNER.encode("utf-8"))
    assert cli.main(["merge", str(other), "--mapping", str(tmp_path / "map.toml")]) == 0
    assert other.read_text(encoding="utf-8") == path.read_text(encoding="utf-8")


def test_merge_neutralises_formulas(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'db.sqlite'}")
    store.submit(Proposal(name='=HYPERLINK("http://evil.example","clic")', type="cantine", city="@Brest",
                          description="+cmd|' /C calc'!A0", source_text="-2+3", lat=48.39, lon=-4.486))
    store.accept(store.pending()[0].id, "Camille")
    path = tmp_path / "places.csv"
    path.write_text("id,name,type,city,description\n", encoding="utf-8")
    merge(path, store.accepted_places(), NOW)
    [record] = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert record["name"] == "'=HYPERLINK(\"http://evil.example\",\"clic\")"
    assert record["city"] == "'@Brest" and record["description"] == "'+cmd|' /C calc'!A0"
    assert record["lon"] == "-4.486"  # a number stays a number
    assert not any(v.startswith(("=", "+", "@")) for v in record.values())


HOLDER = """import sys, time
from pathlib import Path
from reseau_map.core.safefile import atomic_write, file_lock
path, ready = Path(sys.argv[1]), Path(sys.argv[2])
with file_lock(path):  # as geocode --write does: lock, read, work, write
    data = path.read_bytes()
    ready.touch()
    time.sleep(2)
    atomic_write(path, data + "rival,Ligne du rival,cantine,Brest\\n".encode())
"""


def test_merge_waits_for_a_writer_holding_the_lock_and_keeps_its_row(tmp_path):
    path = tmp_path / "places.csv"
    path.write_text("id,name,type,city\ncantine-paris,La Cantine,cantine,Paris\n", encoding="utf-8")
    accepted(tmp_path)
    env = dict(os.environ, RESEAU_MAP_DB=str(tmp_path / "db.sqlite"))
    ready = tmp_path / "ready"
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(path), str(ready)], cwd=ROOT, env=env)
    try:
        deadline = time.time() + 30
        while not ready.exists() and time.time() < deadline:
            time.sleep(0.05)
        assert ready.exists()
        done = subprocess.run([sys.executable, "-m", "reseau_map", "merge", str(path)], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
    finally:
        assert holder.wait(60) == 0
    text = path.read_text(encoding="utf-8")
    assert "Ligne du rival" in text and "Forêt numérique" in text


def test_merge_and_geocode_write_run_at_once_and_both_writes_stay(tmp_path):
    path = tmp_path / "places.csv"
    cities = ["Rennes", "Brest", "Nantes", "Lille", "Lyon", "Dijon"] * 5
    path.write_text("id,name,type,city,lat,lon\n" + "".join(
        f"l{i},Lieu {i},cantine,{city},,\n" for i, city in enumerate(cities)), encoding="utf-8")
    accepted(tmp_path)
    env = dict(os.environ, RESEAU_MAP_DB=str(tmp_path / "db.sqlite"))
    commands = [["geocode", "--write", str(path)], ["merge", str(path)]]
    started = [subprocess.Popen([sys.executable, "-m", "reseau_map", *c], cwd=ROOT, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE) for c in commands]
    for proc in started:
        proc.communicate(timeout=180)
        assert proc.returncode == 0
    df, _ = load_places(path.read_bytes())
    assert len(df) == 31 and "Forêt numérique" in df["name"].tolist()
    assert df["lat"].notna().sum() == 31  # the 30 geocoded coordinates and the accepted place's
