"""Network figures: what the network declared (with its quotes) and what the map shows (computed)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from reseau_map.errors import DataFileError
from reseau_map.files.places import STATUSES, TYPES
from reseau_map.geo.regions import ABROAD
from reseau_map.paths import DATA_DIR

DEFAULT_NETWORK = DATA_DIR / "network.toml"
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre")
# The figures shown in the presentation band, in this order.
PRESENTATION_KEYS: tuple[str, ...] = ("membres", "salaries", "evenements", "acteurs", "regions")


@dataclass(frozen=True)
class Figure:
    """A figure the network declared, with the sentence of the source that says it."""

    key: str
    label: str
    value: str
    short: str
    quote: str


@dataclass(frozen=True)
class Programme:
    """A regional programme the source names."""

    region: str
    name: str
    quote: str


@dataclass(frozen=True)
class Network:
    """Everything declared about the network in data/network.toml."""

    figures: tuple[Figure, ...]
    programmes: tuple[Programme, ...]
    launch: dict
    source: dict

    def figure(self, key: str) -> Figure | None:
        """The declared figure with this key, if any."""
        return next((f for f in self.figures if f.key == key), None)


def load_network(path: Path = DEFAULT_NETWORK) -> Network:
    """Read the declared figures; a missing or malformed file gets a French error."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        return Network(
            figures=tuple(Figure(**f) for f in data.get("figures", [])),
            programmes=tuple(Programme(**p) for p in data.get("programmes", [])),
            launch=dict(data.get("launch", {})),
            source=dict(data.get("source", {})),
        )
    except (OSError, tomllib.TOMLDecodeError, TypeError) as err:
        raise DataFileError(f"Fichier des chiffres du réseau illisible : {path} ({err}).") from err


def source_label(net: Network) -> str:
    """« Source : B. Martin, « titre », 25/12/2012 », shown under every quote."""
    src = net.source
    return f"Source : {src.get('author', '')}, « {src.get('title', '')} », {french_date(src.get('date', ''))}"


def french_date(iso: str) -> str:
    """« 25 décembre 2012 » for "2012-12-25"; the text unchanged if it is not an ISO date."""
    try:
        d = date.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


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
    regions = df.loc[(df["region"] != "") & (df["region"] != ABROAD), "region"]
    cities = df.loc[df["city"] != "", "city"]
    return Computed(
        places=len(df),
        by_type={t: int((df["type"] == t).sum()) for t in TYPES},
        by_status={s: int((df["status"] == s).sum()) for s in STATUSES}
        | {"": int((df["status"] == "").sum())},
        regions=int(regions.nunique()),
        cities=int(cities.nunique()),
        abroad=int((df["region"] == ABROAD).sum()),
    )


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
