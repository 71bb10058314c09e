"""The nearest places to a city a visitor types, located offline, with distances in km."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from reseau_map.core.errors import PlaceNotFound
from reseau_map.geo.earth import distances_km
from reseau_map.geo.exonyms import EXONYMS, french_exonym
from reseau_map.geo.gazetteer import Gazetteer, GazetteerEntry

NEAREST_COUNT = 5
# Homonyms smaller than this share of the biggest one are still offered, but listed last.
MAX_CHOICES = 8


@dataclass(frozen=True)
class Origin:
    """Where the visitor said they are, and the other places with the same name."""

    entry: GazetteerEntry
    homonyms: tuple[GazetteerEntry, ...]

    @property
    def label(self) -> str:
        """« Vannes (Bretagne) » or « Geneva (CH) »."""
        return entry_label(self.entry)


def entry_label(entry: GazetteerEntry, population: bool = False) -> str:
    """A place name with its region (France) or country code (abroad), and its population if asked."""
    where = entry.region if entry.country == "FR" else entry.country
    if population and entry.population:
        where += ", " + f"{entry.population:,}".replace(",", "\u202f") + " hab."
    return f"{entry.name} ({where})"


@dataclass(frozen=True)
class Nearby:
    """The visitor's city, the other cities of that name, and the nearest open places."""

    origin: GazetteerEntry
    homonyms: tuple[GazetteerEntry, ...]
    places: pd.DataFrame


def nearby(gazetteer: Gazetteer, text: str, df: pd.DataFrame, types: tuple[str, ...] | None = None,
           pick: int = 0, statuses: tuple[str, ...] | None = None) -> Nearby:
    """The nearest places (of those statuses: the open ones) to a typed city (the `pick`-th homonym)."""
    found = find_origin(gazetteer, text)
    entry = found.homonyms[pick] if 0 <= pick < len(found.homonyms) else found.entry
    return Nearby(entry, found.homonyms, nearest(df, entry.lat, entry.lon, statuses=statuses, types=types))


def find_origin(gazetteer: Gazetteer, text: str) -> Origin:
    """Locate a typed city offline; homonyms are kept for choice; PlaceNotFound suggests names."""
    text = text.strip()
    if not text:
        raise PlaceNotFound(text, [])
    found = gazetteer.candidates(text)
    exonym = french_exonym(text)
    if exonym is not None:  # « Genève »: the foreign city under its French name, then French homonyms
        french, name, country = exonym
        foreign = [replace(e, name=french) for e in gazetteer.candidates(name) if e.country == country][:1]
        found = foreign + [e for e in found if all((e.lat, e.lon) != (f.lat, f.lon) for f in foreign)]
    if not found:
        raise PlaceNotFound(text, suggest(gazetteer, text))
    return Origin(found[0], tuple(found[:MAX_CHOICES]))


def suggest(gazetteer: Gazetteer, text: str, n: int = 5) -> list[str]:
    """Names close to a misspelt one: French names of foreign cities first, then the gazetteer's."""
    from rapidfuzz import fuzz, process

    from reseau_map.core.text import place_key

    near = [name for name, _, _ in process.extract(place_key(text), {k: k for k in map(place_key, EXONYMS)},
                                                   scorer=fuzz.ratio, limit=2, score_cutoff=80)]
    french = [next(f for f in EXONYMS if place_key(f) == key) for key in near]
    return list(dict.fromkeys(french + gazetteer.suggest(text, n)))[:n]


def nearest(df: pd.DataFrame, lat: float, lon: float, n: int = NEAREST_COUNT,
            statuses: tuple[str, ...] | None = None, types: tuple[str, ...] | None = None) -> pd.DataFrame:
    """The n located places (of those statuses and types; None: any) nearest to a point, with `distance_km`."""
    keep = pd.Series(True, index=df.index)
    if statuses is not None:
        keep &= df["status"].isin(statuses)
    if types:
        keep &= df["type"].isin(types)
    pool = df[keep]
    pool = pool.dropna(subset=["lat", "lon"])
    if pool.empty:
        return pool.assign(distance_km=pd.Series(dtype=float))
    dist = distances_km(lat, lon, pool["lat"].to_numpy(float), pool["lon"].to_numpy(float))
    out = pool.assign(distance_km=dist.round(1))
    return out.nsmallest(n, "distance_km")


def route_bounds(origin: GazetteerEntry, places: pd.DataFrame, pad: float = 0.35) -> list[list[float]]:
    """Bounds around the origin and the nearest place, with a margin for the map's controls."""
    lats = [origin.lat, *places["lat"].head(1)]
    lons = [origin.lon, *places["lon"].head(1)]
    dlat, dlon = (max(lats) - min(lats)) * pad + 0.05, (max(lons) - min(lons)) * pad + 0.05
    return [[min(lats) - dlat, min(lons) - dlon], [max(lats) + dlat, max(lons) + dlon]]
