"""Placement accuracy against town halls the app never saw: the town, not the centre of the commune.

tests/fixtures/lists/mairies.csv (written by `python -m tools.build.mairies`) holds the town halls
of 422 communes (all 22 of Guyane, 200 drawn at random, 200 in proportion to population), from
the DILA's « Annuaire de l'administration » (Licence Ouverte 2.0), a source the app does not
place with. Each is given to the loader as a partner would (« Mairie de X », the commune in
capitals, its postcode) and placed offline; the share within 5 km of the town hall is held.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pytest

from reseau_map.domain.catalogue import build_catalogue
from reseau_map.geo.earth import distances_km

FIXTURE = Path(__file__).parent.parent / "fixtures" / "lists" / "mairies.csv"
WITHIN_KM = 5.0
# Measured on this fixture (issue 19): before, with the centre of each commune's area, 92.9 % of
# all (Guyane 4 of 22); after, with the town, 97.4 % (Guyane 20 of 22). Held with a small margin.
HELD = {"all": 0.96, "guyane": 0.90, "elsewhere": 0.965}


@pytest.fixture(scope="module")
def placed() -> tuple[list[dict], np.ndarray]:
    with FIXTURE.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["nom", "commune", "code_postal"])
    for r in rows:
        writer.writerow([f"Mairie de {r['commune']}", r["commune"].upper(), r["code_postal"]])
    cat = build_catalogue(out.getvalue().encode("utf-8"), filename="mairies.csv")
    assert len(cat.located) == len(rows) == len(cat.places)  # every row placed, in file order
    km = distances_km(cat.places["lat"].to_numpy(float), cat.places["lon"].to_numpy(float),
                      np.array([float(r["lat"]) for r in rows]), np.array([float(r["lon"]) for r in rows]))
    return rows, km


def test_the_sample_is_large_and_covers_guyane(placed):
    rows, _ = placed
    assert len(rows) >= 300
    assert sum(r["departement"] == "973" for r in rows) == 22  # every commune of Guyane


@pytest.mark.parametrize("part", sorted(HELD))
def test_share_within_5_km_of_the_town_hall(placed, part):
    rows, km = placed
    guyane = np.array([r["departement"] == "973" for r in rows])
    chosen = {"all": np.ones(len(rows), bool), "guyane": guyane, "elsewhere": ~guyane}[part]
    share = float((km[chosen] <= WITHIN_KM).mean())
    assert share >= HELD[part], f"{part} : {share:.3f} à moins de {WITHIN_KM} km"
