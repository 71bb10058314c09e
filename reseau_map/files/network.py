"""The network file: who the map is about, what it declared (with quotes), and whom to credit.

`data/network.toml` describes the Réseau des Cantines of 2012. A partner's places file comes with
its own network file (`RESEAU_MAP_NETWORK`, or `network.toml` beside the places file); without
one the page is neutral: a title from the file's name, no declared figures, the file credited,
and the neutral vocabulary (files/vocabulary.py).
"""

from __future__ import annotations

import datetime as dt
import os
import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from reseau_map.core.errors import DataFileError
from reseau_map.core.safefile import read_regular
from reseau_map.core.text import fold
from reseau_map.files.places import DEFAULT_PLACES
from reseau_map.files.vocabulary import PACKAGED_NETWORK, Vocabulary, neutral_vocabulary, parse_vocabulary

DEFAULT_NETWORK = PACKAGED_NETWORK
ENV_NETWORK = "RESEAU_MAP_NETWORK"
BESIDE_NAME = "network.toml"
MAX_BYTES = 4 << 20
# What a network file may say: section -> its keys ([vocabulary] is files/vocabulary.py's).
SECTIONS: dict[str, tuple[str, ...]] = {
    "network": ("name", "subtitle"), "launch": ("date", "place", "city", "quote"),
    "source": ("title", "author", "date", "url"), "credit": ("text",), "vocabulary": (), "figures": (),
    "programmes": ()}
FIGURE_KEYS: tuple[str, ...] = ("key", "label", "value", "short", "quote")
PROGRAMME_KEYS: tuple[str, ...] = ("region", "name", "quote")
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
    notes: tuple[str, ...] = ()  # what was wrong in the file and set aside (shown as notices)

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
    """Read a network file strictly and kindly: any TOML value read as text, or a French error naming the key."""
    data = read_regular(path, limit=MAX_BYTES, what="Fichier du réseau")
    where = f"Fichier du réseau {path}"
    try:
        doc = tomllib.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise DataFileError(f"{where} illisible ({err}).") from err
    unknown = sorted(set(doc) - set(SECTIONS))
    if unknown:
        raise DataFileError(f"{where} illisible : section [{unknown[0]}] inconnue ; sections possibles : "
                            + ", ".join(f"[{s}]" for s in SECTIONS) + ".")
    info, launch, source, credit = (_table(doc, name, where) for name in ("network", "launch", "source", "credit"))
    notes: list[str] = []
    vocabulary = neutral_vocabulary()
    if "vocabulary" in doc:
        table = doc["vocabulary"]
        if isinstance(table, dict) and "default_types" in table:
            table = dict(table, default_types=_default_types(table, where, notes))
        vocabulary = parse_vocabulary(table, str(path))
    return Network(
        name=info.get("name", "") or Path(path).stem,
        subtitle=info.get("subtitle", ""),
        figures=tuple(Figure(**_entry(f, FIGURE_KEYS, ("key", "value"), f"{where}, [[figures]] n° {i}"))
                      for i, f in enumerate(_entries(doc, "figures", where), start=1)),
        programmes=tuple(Programme(**_entry(p, PROGRAMME_KEYS, ("region", "name"), f"{where}, [[programmes]] n° {i}"))
                         for i, p in enumerate(_entries(doc, "programmes", where), start=1)),
        launch=launch, source=source, credit=credit.get("text", ""), vocabulary=vocabulary, notes=tuple(notes),
    )


def _text(value: object, key: str, where: str) -> str:
    # Whatever TOML type a person wrote where we show text: a date unquoted (2012-12-13), a number
    # (30); a list, a table or true/false is refused, naming the key. Line breaks become spaces: a
    # label, a title or a quote is one line on the page (and a blank line would end an HTML block).
    if isinstance(value, bool) or not isinstance(value, str | int | float | dt.date | dt.time):
        raise DataFileError(f"{where} illisible : « {key} » doit être un texte entre guillemets "
                            f"(lu : {_shown(value)}).")
    if isinstance(value, dt.datetime):
        text = value.date().isoformat() if value.time() == dt.time() and value.tzinfo is None else value.isoformat()
    elif isinstance(value, dt.date | dt.time):
        text = value.isoformat()
    elif isinstance(value, float):
        text = str(int(value)) if value.is_integer() else str(value)
    else:
        text = str(value)
    return " ".join(text.split())


def _shown(value: object) -> str:
    kind = {bool: "vrai/faux", list: "une liste", dict: "une table"}.get(type(value), type(value).__name__)
    return f"{kind} {str(value).lower() if isinstance(value, bool) else ''}".strip()


def _table(doc: dict, name: str, where: str) -> dict[str, str]:
    table = doc.get(name, {})
    if not isinstance(table, dict):
        raise DataFileError(f"{where} illisible : « {name} » doit être une section [{name}] "
                            f"(lu : {_shown(table)} « {table} »).")
    allowed = SECTIONS[name]
    unknown = sorted(set(table) - set(allowed))
    if unknown:
        raise DataFileError(f"{where} illisible : [{name}] clé « {unknown[0]} » inconnue ; clés possibles : "
                            + ", ".join(allowed) + ".")
    return {key: _text(value, f"{name}.{key}", where) for key, value in table.items()}


def _entries(doc: dict, name: str, where: str) -> list[dict]:
    entries = doc.get(name, [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise DataFileError(f"{where} illisible : « {name} » doit être une liste de tables [[{name}]].")
    return entries


def _entry(entry: dict, keys: tuple[str, ...], required: tuple[str, ...], where: str) -> dict[str, str]:
    unknown = sorted(set(entry) - set(keys))
    if unknown:
        raise DataFileError(f"{where} illisible : clé « {unknown[0]} » inconnue ; clés possibles : "
                            + ", ".join(keys) + ".")
    missing = [k for k in required if k not in entry]
    if missing:
        raise DataFileError(f"{where} illisible : clé « {missing[0]} » obligatoire.")
    found = {k: _text(v, k, where) for k, v in entry.items()}
    return {k: found.get(k, "") for k in keys}


def _default_types(table: dict, where: str, notes: list[str]) -> list[str]:
    # A wrong default_types showed an empty map and said nothing: the types it names that do not
    # exist are left out, with a notice; none left means every type (the vocabulary's default).
    shown = table.get("default_types")
    types = [t for t in table.get("types", []) if isinstance(t, dict) and isinstance(t.get("id"), str)]
    ids = [t["id"] for t in types]
    spelled = {fold(text): t["id"] for t in types for text in (t["id"], t.get("label", "")) if isinstance(text, str)}
    values = [shown] if isinstance(shown, str) else shown
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        notes.append(f"{where}, [vocabulary] default_types : une liste d'identifiants de types est attendue "
                     f"(lu : {_shown(shown)}) ; tous les types sont montrés.")
        return []
    kept: list[str] = []
    unknown: list[str] = []
    for value in values:
        found = value if value in ids else spelled.get(fold(value))
        (kept if found is not None else unknown).append(found if found is not None else value)
    if unknown:
        left = "les autres sont montrés d'abord" if kept else "tous les types sont montrés"
        notes.append(f"{where}, [vocabulary] default_types : type(s) inconnu(s) "
                     + ", ".join(f"« {v} »" for v in unknown) + f" (types possibles : {', '.join(ids)}) ; {left}.")
    return list(dict.fromkeys(kept))


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
