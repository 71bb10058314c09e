"""Filters as one frozen value: it selects rows, describes itself in French, and lives in the URL."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

import pandas as pd

from reseau_map.files.places import STATUSES, TYPES
from reseau_map.geo.regions import REGION_NAMES, canonical_region
from reseau_map.text import fold

# Status filter values: the vocabulary plus "not given" for rows the source leaves silent.
UNKNOWN_STATUS = "non_renseigne"
STATUS_CHOICES: dict[str, str] = STATUSES | {UNKNOWN_STATUS: "Statut non renseigné"}
TYPE_CHOICES: dict[str, str] = TYPES
# `autre` places (cited, not members) are off by default.
DEFAULT_TYPES: tuple[str, ...] = ("cantine", "lieu_associe")
DEFAULT_STATUSES: tuple[str, ...] = tuple(STATUS_CHOICES)
PLURAL_TYPES: dict[str, str] = {"cantine": "cantines", "lieu_associe": "lieux associés",
                                "autre": "autres lieux cités"}
PLURAL_STATUSES: dict[str, str] = {"ouvert": "ouverts", "en_projet": "en projet",
                                   UNKNOWN_STATUS: "au statut non renseigné"}
SEARCH_COLUMNS: tuple[str, ...] = ("name", "city", "description")
QUERY_KEYS: tuple[str, ...] = ("type", "region", "status", "q", "place")


@dataclass(frozen=True)
class Filters:
    """What the visitor asked to see; empty regions mean every region."""

    types: tuple[str, ...] = DEFAULT_TYPES
    regions: tuple[str, ...] = ()
    statuses: tuple[str, ...] = DEFAULT_STATUSES
    q: str = ""
    place: str = ""
    notices: tuple[str, ...] = field(default=(), compare=False)

    def with_place(self, place: str) -> Filters:
        """The same filters with another selected place."""
        return replace(self, place=place)


def apply(df: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """The rows that the filters select (the selected place does not filter)."""
    mask = df["type"].isin(filters.types)
    status = df["status"].where(df["status"] != "", UNKNOWN_STATUS)
    mask &= status.isin(filters.statuses)
    if filters.regions:
        mask &= df["region"].isin(filters.regions)
    if filters.q.strip():
        needle = fold(filters.q)
        hay = df[list(SEARCH_COLUMNS)].astype(str).agg(" ".join, axis=1).map(fold)
        mask &= hay.str.contains(needle, regex=False)
    return df.loc[mask]


def _list_fr(words: Sequence[str], conjunction: str = "et") -> str:
    # « a, b et c » / « a, b ou c »
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + f" {conjunction} " + words[-1]


def describe(filters: Filters, count: int, year: str = "") -> str:
    """One French sentence saying what is shown, e.g. « 13 lieux : cantines et lieux associés… »."""
    noun = "lieu" if count <= 1 else "lieux"
    count_fr = f"{count:,}".replace(",", "\u202f")  # « 45 035 lieux »
    if not filters.types or not filters.statuses:
        return f"{count_fr} {noun} : aucun type ou aucun statut choisi."
    types = [PLURAL_TYPES[t] for t in TYPE_CHOICES if t in filters.types]
    what = "tous types" if len(types) == len(TYPE_CHOICES) else _list_fr(types)
    statuses = [PLURAL_STATUSES[s] for s in STATUS_CHOICES if s in filters.statuses]
    how = "tous statuts" if len(statuses) == len(STATUS_CHOICES) else _list_fr(statuses, "ou")
    where = "toutes régions" if not filters.regions else _list_fr(list(filters.regions))
    text = f"{count_fr} {noun} : {what}, {how}, {where}"
    if filters.q.strip():
        text += f", contenant « {filters.q.strip()} »"
    if year:
        text += f", en {year}"
    return text + "."


def _multi(params: Mapping[str, object], key: str) -> list[str]:
    value = params.get(key)
    if value is None:
        return []
    values = [value] if isinstance(value, str) else list(value)  # type: ignore[arg-type]
    # Accept both repeated keys and comma-separated lists (easier to type by hand).
    return [part.strip() for v in values for part in str(v).split(",") if part.strip()]


def _pick(values: list[str], choices: Mapping[str, str], label: str, notices: list[str]) -> tuple:
    by_fold = {fold(k): k for k in choices} | {fold(v): k for k, v in choices.items()}
    kept = []
    for v in values:
        key = by_fold.get(fold(v))
        if key is None:
            notices.append(f"Paramètre « {label}={v} » ignoré : valeur inconnue "
                           f"(valeurs possibles : {', '.join(choices)}).")
        elif key not in kept:
            kept.append(key)
    return tuple(kept)


def from_query(params: Mapping[str, object]) -> Filters:
    """Filters read from URL query parameters; invalid values are dropped with a French notice."""
    notices: list[str] = []
    types = _pick(_multi(params, "type"), TYPE_CHOICES, "type", notices)
    statuses = _pick(_multi(params, "status"), STATUS_CHOICES, "status", notices)
    regions: list[str] = []
    for value in _multi(params, "region"):
        name = canonical_region(value)
        if name is None:
            notices.append(f"Paramètre « region={value} » ignoré : région inconnue "
                           f"(valeurs possibles : {', '.join(REGION_NAMES)}).")
        elif name not in regions:
            regions.append(name)
    q = params.get("q")
    q = (q if isinstance(q, str) else (list(q)[0] if q else "")) or ""  # type: ignore[arg-type]
    place = _multi(params, "place")
    # A URL whose every value is invalid falls back to the default view rather than an empty map.
    return Filters(
        types=types or DEFAULT_TYPES,
        regions=tuple(regions),
        statuses=statuses or DEFAULT_STATUSES,
        q=str(q).strip(),
        place=place[0] if place else "",
        notices=tuple(notices),
    )


def link(filters: Filters) -> str:
    """A relative link ("?region=…&place=…") that opens the page on these filters."""
    query = to_query(filters)
    return "?" + urlencode(query, doseq=True) if query else "?"


def to_query(filters: Filters) -> dict[str, list[str]]:
    """URL query parameters for the filters; defaults are left out so links stay short."""
    out: dict[str, list[str]] = {}
    if set(filters.types) != set(DEFAULT_TYPES):
        out["type"] = list(filters.types)
    if filters.regions:
        out["region"] = list(filters.regions)
    if set(filters.statuses) != set(DEFAULT_STATUSES):
        out["status"] = list(filters.statuses)
    if filters.q:
        out["q"] = [filters.q]
    if filters.place:
        out["place"] = [filters.place]
    return out
