"""The places ready to map: read, validate, locate, and know their region — or say why not."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from reseau_map.files.mapping import Mapping
from reseau_map.files.places import load_places
from reseau_map.findings import Finding
from reseau_map.geo.gazetteer import Gazetteer, load_gazetteer
from reseau_map.geo.geocode import GeoCache, Geocoder, Unplaced, geocode_places
from reseau_map.geo.regions import regions_of_points
from reseau_map.paths import DATA_DIR

DEFAULT_CACHE = DATA_DIR / "geocache.csv"


@dataclass(frozen=True)
class Catalogue:
    """Every valid place (located or not) and every reason a row is not on the map."""

    places: pd.DataFrame
    problems: list[Finding] = field(default_factory=list)
    unplaced: list[Unplaced] = field(default_factory=list)

    def column_label(self, column: str) -> str:
        """A column's name as the places file spells it (« ville » for city)."""
        return self.places.attrs.get("headers", {}).get(column, column)

    @property
    def located(self) -> pd.DataFrame:
        """The places that have coordinates."""
        return self.places.dropna(subset=["lat", "lon"])


def fill_regions(df: pd.DataFrame) -> pd.DataFrame:
    """Fill empty regions from the region outlines (a point outside every region is left empty)."""
    missing = (df["region"] == "") & df["lat"].notna() & df["lon"].notna()
    if missing.any():
        found = regions_of_points(df.loc[missing, "lat"].to_numpy(), df.loc[missing, "lon"].to_numpy())
        df = df.copy()
        df.loc[missing, "region"] = [r or "" for r in found]
    return df


def build_catalogue(data: bytes, gazetteer: Gazetteer | None = None, cache: GeoCache | None = None,
                    online: Geocoder | None = None,
                    progress: Callable[[Iterable], Iterable] | None = None, filename: str = "",
                    mapping: Mapping | None = None) -> Catalogue:
    """Read a places file's bytes and locate its rows: file coordinates, cache, online, gazetteer."""
    df, problems = load_places(data, filename, mapping)
    located, unplaced = geocode_places(df, gazetteer or load_gazetteer(), cache=cache, online=online,
                                       progress=progress)
    return Catalogue(fill_regions(located), problems, unplaced)


def read_cache(path: Path = DEFAULT_CACHE) -> GeoCache | None:
    """The geocoding cache if the file exists (the page only reads it; the CLI writes it)."""
    return GeoCache.load(path) if path.exists() else None
