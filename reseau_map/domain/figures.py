"""Figures computed from the places shown: counts by type, status, region and city, said in the vocabulary."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from reseau_map.core.text import list_fr
from reseau_map.files.schema import CATEGORIES
from reseau_map.files.vocabulary import Vocabulary, neutral_vocabulary
from reseau_map.geo.regions import ABROAD, regions_2012_of_points

# The figures shown in the presentation band, in this order.
PRESENTATION_KEYS: tuple[str, ...] = ("membres", "salaries", "evenements", "acteurs", "regions")


@dataclass(frozen=True)
class Computed:
    """Figures computed from the places shown on the map."""

    places: int
    by_type: dict[str, int]  # every type of the vocabulary, in its order
    by_status: dict[str, int]  # every declared status, then "" (not given)
    regions: int
    cities: int
    abroad: int


def computed(df: pd.DataFrame, vocab: Vocabulary | None = None) -> Computed:
    """Count the places shown by type and status, and the regions and cities they cover."""
    vocab = vocab or neutral_vocabulary()
    # One count per column rather than one comparison per value: this runs on every rerun.
    types, statuses = type_counts(df), _counts(df["status"])
    regions = _counts(df["region"])
    cities = _counts(df["city"])
    return Computed(
        places=len(df),
        by_type={t: types.get(t, 0) for t in vocab.type_ids},
        by_status={s: statuses.get(s, 0) for s in vocab.status_ids} | {"": statuses.get("", 0)},
        regions=len(set(regions) - {"", ABROAD}),
        cities=len(set(cities) - {""}),
        abroad=regions.get(ABROAD, 0),
    )


def type_counts(df: pd.DataFrame) -> dict[str, int]:
    """Places per type; a place whose cell lists several categories counts in each."""
    if CATEGORIES not in df.columns:
        return _counts(df["type"])
    lists = df[CATEGORIES].fillna("").astype(str)
    single = lists == ""
    counts = _counts(df.loc[single.to_numpy(bool), "type"])
    for value, n in _counts(lists[~single]).items():
        for ident in value.split("|"):
            counts[ident] = counts.get(ident, 0) + n
    return counts


def types_sentence(by_type: dict[str, int], vocab: Vocabulary) -> str:
    """« 412 fablabs, 1 118 coworkings et 3 tiers-lieux »: each type with places, in the vocabulary's order."""
    return list_fr([vocab.counted(by_type[t.id], t.id) for t in vocab.types if by_type.get(t.id)])


def _counts(values: pd.Series) -> dict[str, int]:
    # Arrow's own count is 5x pandas' value_counts on the catalogue's Arrow strings.
    counted = pc.value_counts(pa.array(values.array, from_pandas=True)).to_pylist()
    return {str(d["values"]): int(d["counts"]) for d in counted if d["values"] is not None}


def region_summary(df: pd.DataFrame, vocab: Vocabulary | None = None) -> pd.DataFrame:
    """Places per region (« lieux »), one count per declared status, and the region's sentence (« label »)."""
    vocab = vocab or neutral_vocabulary()
    ids = list(vocab.status_ids)
    if df.empty:
        return pd.DataFrame(columns=["region", "lieux", *ids, "label"])
    counts = pd.crosstab(df["region"], df["status"]).reindex(columns=ids, fill_value=0).rename_axis(columns=None)
    out = counts.assign(lieux=df.groupby("region").size()).reset_index()
    out = out[out["region"] != ""].reset_index(drop=True)
    # The choropleth's tooltip says the categories too: « Bretagne : 3 lieux (…) — 2 fablabs et 1 coworking ».
    kinds = {region: types_sentence(type_counts(part), vocab) for region, part in df.groupby("region")}
    out["label"] = [region_sentence(r["region"], int(r["lieux"]), {s: int(r[s]) for s in ids}, vocab)
                    + (f" — {kinds[r['region']]}" if kinds.get(r["region"]) else "")
                    for _, r in out.iterrows()]
    return out[["region", "lieux", *ids, "label"]]


def region_sentence(region: str, places: int, by_status: dict[str, int], vocab: Vocabulary | None = None) -> str:
    """« Bretagne : 2 lieux (1 ouvert, 1 en projet) »: each status the vocabulary declares, then the rest."""
    vocab = vocab or neutral_vocabulary()
    noun = "lieu" if places <= 1 else "lieux"
    parts = [vocab.counted(by_status[s.id], s.id, "status") for s in vocab.statuses if by_status.get(s.id)]
    other = places - sum(by_status.get(s.id, 0) for s in vocab.statuses)
    if other:
        parts.append(vocab.counted(other, "", "status"))
    detail = f" ({', '.join(parts)})" if parts else ""
    return f"{region} : {places} {noun}{detail}"


def regions_2012(df: pd.DataFrame) -> int:
    """How many of the 22 regions of 2012 hold a shown place: the map the network spoke of then."""
    located = df.dropna(subset=["lat", "lon"])
    if located.empty:
        return 0
    found = regions_2012_of_points(located["lat"].to_numpy(), located["lon"].to_numpy())
    return len({r for r in found if r and r != ABROAD})
