"""The network file: who the map is about, what it declared (with quotes), and whom to credit.

`data/network.toml` describes the Réseau des Cantines of 2012. A partner's places file comes with
its own network file (`RESEAU_MAP_NETWORK`, or `network.toml` beside the places file); without
one the page is neutral: a title from the file's name, no declared figures, the file credited,
and the neutral vocabulary (files/vocabulary.py).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from reseau_map.core.errors import DataFileError
from reseau_map.files.places import DEFAULT_PLACES
from reseau_map.files.vocabulary import PACKAGED_NETWORK, Vocabulary, neutral_vocabulary, parse_vocabulary

DEFAULT_NETWORK = PACKAGED_NETWORK
ENV_NETWORK = "RESEAU_MAP_NETWORK"
BESIDE_NAME = "network.toml"
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre")


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
    """Everything declared about the network: name, launch, source, figures, programmes, credit, vocabulary."""

    name: str
    figures: tuple[Figure, ...] = ()
    programmes: tuple[Programme, ...] = ()
    launch: dict = field(default_factory=dict)
    source: dict = field(default_factory=dict)
    credit: str = ""
    subtitle: str = ""
    vocabulary: Vocabulary = field(default_factory=neutral_vocabulary)

    def figure(self, key: str) -> Figure | None:
        """The declared figure with this key, if any."""
        return next((f for f in self.figures if f.key == key), None)

    @property
    def launch_year(self) -> int | None:
        """The year the network was launched, when the file says."""
        try:
            return date.fromisoformat(self.launch.get("date", "")).year
        except ValueError:
            return None


def french_date(iso: str) -> str:
    """« 25 décembre 2012 » for "2012-12-25"; the text unchanged if it is not an ISO date."""
    try:
        d = date.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def source_label(net: Network) -> str:
    """« Source : B. Martin, « titre », 25 décembre 2012 », or the data's credit line."""
    src = net.source
    if not src.get("title"):
        return f"Source : {net.credit}" if net.credit else ""
    return f"Source : {src.get('author', '')}, « {src.get('title', '')} », {french_date(src.get('date', ''))}"


def load_network(path: Path = DEFAULT_NETWORK) -> Network:
    """Read a network file; a missing or malformed file gets a French error."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        info = data.get("network", {})
        return Network(
            name=str(info.get("name", "")) or Path(path).stem,
            subtitle=str(info.get("subtitle", "")),
            figures=tuple(Figure(**f) for f in data.get("figures", [])),
            programmes=tuple(Programme(**p) for p in data.get("programmes", [])),
            launch=dict(data.get("launch", {})),
            source=dict(data.get("source", {})),
            credit=str(data.get("credit", {}).get("text", "")),
            vocabulary=parse_vocabulary(data["vocabulary"], str(path)) if "vocabulary" in data
            else neutral_vocabulary(),
        )
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, TypeError, AttributeError) as err:
        raise DataFileError(f"Fichier du réseau illisible : {path} ({err}).") from err


def neutral_network(places: Path, credit: str = "") -> Network:
    """A page for a partner's file that has no network file: its own name, nothing declared."""
    title = places.stem.replace("_", " ").replace("-", " ").strip().capitalize() or "Carte des lieux"
    return Network(name=title, credit=credit or f"fichier « {places.name} »")


def network_for(places: Path, env: dict[str, str] | None = None, credit: str = "") -> Network:
    """The network of a places file: RESEAU_MAP_NETWORK, the file beside it, ours, or neutral."""
    value = (env if env is not None else os.environ).get(ENV_NETWORK, "").strip()
    if value:
        return load_network(Path(value))
    beside = places.parent / BESIDE_NAME
    if beside.exists():
        return load_network(beside)
    if places.resolve() == DEFAULT_PLACES.resolve():
        return load_network(DEFAULT_NETWORK)
    return neutral_network(places, credit)
