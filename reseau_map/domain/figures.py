"""Figures computed from the places shown: counts by type, status, region and city."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from reseau_map.files.places import STATUSES, TYPES
from reseau_map.geo.regions import ABROAD, regions_2012_of_points

# The figures shown in the presentation band, in this order.
PRESENTATION_KEYS: tuple[str, ...] = ("membres", "salaries", "evenements", "acteurs", "regions")


@dataclass(frozen=True)
class Computed:
    """Figures computed from the places shown on the map."""

    places: int
    by_type: dict[str, int]
    by_status: dict[str, int]
    regions: int
    cities: int
    abroad: int


def computed(df: pd.DataFrame) -> Computed:
    """Count the places shown by type and status, and the regions and cities they cover."""
    # One count per column rather than one comparison per value: this runs on every rerun.
    types, statuses = _counts(df["type"]), _counts(df["status"])
    regions = _counts(df["region"])
    cities = _counts(df["city"])
    return Computed(
        places=len(df),
        by_type={t: types.get(t, 0) for t in TYPES},
        by_status={s: statuses.get(s, 0) for s in STATUSES} | {"": statuses.get("", 0)},
        regions=len(set(regions) - {"", ABROAD}),
        cities=len(set(cities) - {""}),
        abroad=regions.get(ABROAD, 0),
    )


def _counts(values: pd.Series) -> dict[str, int]:
    # Arrow's own count is 5x pandas' value_counts on the catalogue's Arrow strings.
    counted = pc.value_counts(pa.array(values.array, from_pandas=True)).to_pylist()
    return {str(d["values"]): int(d["counts"]) for d in counted if d["values"] is not None}


def region_summary(df: pd.DataFrame) -> pd.DataFrame:
    """Places per region with their open / project split, for the choropleth and region panels."""
    if df.empty:
        return pd.DataFrame(columns=["region", "lieux", "ouverts", "en_projet"])
    grouped = df.groupby("region", sort=True)
    out = pd.DataFrame({
        "lieux": grouped.size(),
        "ouverts": grouped["status"].agg(lambda s: int((s == "ouvert").sum())),
        "en_projet": grouped["status"].agg(lambda s: int((s == "en_projet").sum())),
    }).reset_index()
    return out[out["region"] != ""].reset_index(drop=True)


def region_sentence(region: str, places: int, opened: int, projects: int) -> str:
    """« Bretagne : 2 lieux (1 ouvert, 1 en projet) »."""
    noun = "lieu" if places <= 1 else "lieux"
    parts = []
    if opened:
        parts.append(f"{opened} ouvert" + ("s" if opened > 1 else ""))
    if projects:
        parts.append(f"{projects} en projet")
    other = places - opened - projects
    if other:
        parts.append(f"{other} au statut non renseigné")
    detail = f" ({', '.join(parts)})" if parts else ""
    return f"{region} : {places} {noun}{detail}"


def regions_2012(df: pd.DataFrame) -> int:
    """How many of the 22 regions of 2012 hold a shown place: the map the network spoke of then."""
    located = df.dropna(subset=["lat", "lon"])
    if located.empty:
        return 0
    found = regions_2012_of_points(located["lat"].to_numpy(), located["lon"].to_numpy())
    return len({r for r in found if r and r != ABROAD})
