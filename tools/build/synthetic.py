"""Synthetic places files for the benchmark: realistic names, types, statuses and French cities."""

from __future__ import annotations

import csv
import io
import math
import random

from reseau_map.files.vocabulary import neutral_vocabulary
from reseau_map.geo.communes import Communes, load_communes
from reseau_map.geo.gazetteer import Gazetteer, load_gazetteer

# The columns written, in order (the contract's postcode and insee are optional and left out).
SYNTHETIC_COLUMNS: tuple[str, ...] = (
    "id", "name", "type", "status", "address", "city", "region", "lat", "lon", "precision", "opened",
    "website", "description", "source",
)
VOCABULARY = neutral_vocabulary()
# The vocabulary's types and statuses in its order, weighted as the network of 2012 was made.
TYPE_WEIGHTS: dict[str, int] = dict(zip(VOCABULARY.type_ids, (60, 30, 10), strict=False))
STATUS_WEIGHTS: dict[str, int] = dict(zip(VOCABULARY.status_ids, (80, 20), strict=False))
NAME_PREFIX: dict[str, str] = dict(zip(VOCABULARY.type_ids, ("Cantine numérique", "Tiers-lieu", "Lieu cité"),
                                       strict=False))
JITTER_KM = (0.3, 2.0)  # places of one city must not stack on one pixel
# A partner's list (issue 9): its own upper-case headers, no coordinates, its own type labels.
PARTNER_HEADERS: tuple[str, ...] = ("NOM_TL", "COMINIT", "CP", "TYPO", "WEB")
PARTNER_TYPES: dict[str, str] = VOCABULARY.type_labels
MISSPELT_SHARE = 0.05  # communes typed with one letter dropped or two letters swapped


def synthetic_places(n: int, seed: int = 0, gazetteer: Gazetteer | None = None) -> bytes:
    """A deterministic places CSV of n rows in French cities, weighted by population."""
    rng = random.Random(seed)
    towns = (gazetteer or load_gazetteer()).french_places()
    picked = rng.choices(towns, weights=[max(t.population, 1) for t in towns], k=n)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(SYNTHETIC_COLUMNS)
    for i, town in enumerate(picked, start=1):
        kind = rng.choices(list(TYPE_WEIGHTS), weights=list(TYPE_WEIGHTS.values()))[0]
        status = rng.choices(list(STATUS_WEIGHTS), weights=list(STATUS_WEIGHTS.values()))[0]
        km, angle = rng.uniform(*JITTER_KM), rng.uniform(0, 2 * math.pi)
        lat = town.lat + km / 111.32 * math.cos(angle)
        lon = town.lon + km / (111.32 * math.cos(math.radians(town.lat))) * math.sin(angle)
        year = str(rng.randint(2008, 2024)) if rng.random() < 0.5 else ""
        has_address = rng.random() < 0.5
        writer.writerow([
            f"synth-{i}", f"{NAME_PREFIX[kind]} n°{i} de {town.name}", kind, status,
            f"{rng.randint(1, 120)} rue de la Gare" if has_address else "", town.name,
            town.region, f"{lat:.5f}", f"{lon:.5f}", "adresse" if has_address else "ville", year,
            f"https://example.org/lieux/{i}" if rng.random() < 0.3 else "",
            f"{VOCABULARY.type_label(kind)} {VOCABULARY.status_label(status).lower()} à {town.name}.",
            f"Fiche n°{i} transmise au réseau par un partenaire de {town.name}.",
        ])
    return out.getvalue().encode("utf-8")


def misspell(name: str, rng: random.Random) -> str:
    """The name with one typing slip: a letter dropped or two neighbours swapped."""
    letters = [i for i, c in enumerate(name) if c.isalpha()]
    if len(letters) < 4:
        return name + "e"
    i = rng.choice(letters[1:-1])
    if rng.random() < 0.5:
        return name[:i] + name[i + 1:]
    return name[:i] + name[i + 1] + name[i] + name[i + 2:]


def synthetic_partner(n: int, seed: int = 0, communes: Communes | None = None,
                      headers: tuple[str, ...] = PARTNER_HEADERS) -> bytes:
    """A partner-like `;` CSV of n rows without coordinates: name, commune, postcode, type, site.

    Communes are drawn among those in force, weighted by population; about 5 % are misspelt.
    `headers` renames the five columns (the partner's by default).
    """
    rng = random.Random(seed)
    towns = [c for c in (communes or load_communes()) if c.kind == "commune"]
    picked = rng.choices(towns, weights=[max(t.population, 1) for t in towns], k=n)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(headers)
    for i, town in enumerate(picked, start=1):
        kind = rng.choices(list(TYPE_WEIGHTS), weights=list(TYPE_WEIGHTS.values()))[0]
        city = misspell(town.name, rng) if rng.random() < MISSPELT_SHARE else town.name
        writer.writerow([f"{PARTNER_TYPES[kind]} n°{i}", city.upper() if rng.random() < 0.3 else city,
                         town.postcodes[0] if town.postcodes else "", PARTNER_TYPES[kind],
                         f"www.lieu-{i}.fr" if rng.random() < 0.2 else ""])
    return out.getvalue().encode("utf-8")
