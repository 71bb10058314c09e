"""The command line reads what the map shows: the version published from the moderation page, else the file."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from reseau_map import cli
from reseau_map.contrib.datasets import Datasets
from reseau_map.contrib.store import make_engine

FIXTURES = Path(__file__).parents[1] / "fixtures"
PARTNER = FIXTURES / "import" / "partenaires.csv"
PLACES = FIXTURES / "page" / "places.csv"


def names(out: bytes) -> set[str]:
    return {r["name"] for r in csv.DictReader(io.StringIO(out.decode("utf-8-sig"), newline=""))}


def test_export_reads_the_published_version_and_a_named_file_still_wins(tmp_path, monkeypatch, capsysbinary):
    url = f"sqlite:///{tmp_path / 'reseau.sqlite'}"
    monkeypatch.setenv("RESEAU_MAP_DB", url)
    monkeypatch.setenv("RESEAU_MAP_PLACES", str(PLACES))
    mapping = '[columns]\nname = "Nom usuel"\n'
    store = Datasets(make_engine(url))
    store.publish(PARTNER.read_bytes(), PARTNER.name, "csv", mapping, 3, 3, "Camille")
    store.engine.dispose()
    assert cli.main(["export"]) == 0
    shown = capsysbinary.readouterr().out
    assert names(shown) == {"La Cantine rennaise", "Le Hangar", "Le Coworking du Port"}
    assert "credit" in shown.decode("utf-8-sig").splitlines()[0]  # the export says whom to credit
    assert cli.main(["export", str(PLACES)]) == 0
    assert "Cantine d'essai de Rennes" in names(capsysbinary.readouterr().out)
