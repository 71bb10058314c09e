"""The partner's own columns: which are private, which are shown on cards, exported and searched, which are
opening hours, and which can filter (facets)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from reseau_map.core.text import fold
from reseau_map.domain.facets import Facet, find_facets
from reseau_map.domain.hours import is_hours_column
from reseau_map.files.privacy import private_columns
from reseau_map.files.schema import CATEGORIES, COLUMNS, ROW, TYPE_SOURCE

SEARCH = "_search"  # every public text of a place, folded, joined: what the text search reads
# The loader's columns, and our export's own columns (files/export.TYPE_ID, CREDIT) when an export is read again.
INTERNAL = frozenset({ROW, TYPE_SOURCE, CATEGORIES, SEARCH, "located_by", "distance_km", "type_id",
                      "credit"})
# Our columns the text search reads, besides the partner's public ones.
SEARCHED = ("name", "address", "city", "region", "description", "source", "website")


@dataclass(frozen=True)
class Fields:
    """A catalogue's partner columns, in the file's order."""

    public: tuple[str, ...] = ()  # shown on cards, exported, published, searched
    private: tuple[str, ...] = ()  # never shown, exported nor published
    hours: tuple[str, ...] = ()  # public columns in OpenStreetMap's opening_hours format
    facets: tuple[Facet, ...] = ()

    def facet(self, ident: str) -> Facet | None:
        """The facet with this id, None if there is none."""
        return next((f for f in self.facets if f.id == ident), None)

# What a missing cell reads as once turned into text.
EMPTY_TEXTS = frozenset({"nan", "<NA>", "None"})


def partner_columns(df: pd.DataFrame) -> list[str]:
    """The partner's own columns of a catalogue's frame (not ours, not the loader's)."""
    return [c for c in df.columns if c not in COLUMNS and c not in INTERNAL and not str(c).startswith("_")]


def read_fields(df: pd.DataFrame, marked: Iterable[str] = ()) -> Fields:
    """What each partner column is: private (by name, by e-mail values, or marked), hours, facet."""
    columns = partner_columns(df)
    private = private_columns(df, columns, marked)
    public = tuple(c for c in columns if c not in private)
    hours = tuple(c for c in public if is_hours_column(df[c].astype(str).tolist()))
    facets = find_facets(df, [c for c in public if c not in hours])
    return Fields(public, private, hours, facets)


def search_text(df: pd.DataFrame, fields: Fields, type_labels: dict[str, str] | None = None) -> pd.Series:
    """Each place's public texts, folded, in one string: what the text search looks in."""
    columns = [df[c].tolist() for c in (*SEARCHED, *fields.public) if c in df.columns]
    if type_labels:
        columns.append(df["type"].map(type_labels).tolist())
    # Once per catalogue (not per search), and each distinct value folded once: a column of
    # cities or categories repeats. Folding the parts and joining them with spaces gives the
    # fold of the joined text (fold itself separates words with single spaces).
    folded = [_folded(values) for values in columns]
    return pd.Series([" ".join(p for p in row if p) for row in zip(*folded, strict=True)] if folded
                     else [""] * len(df), index=df.index, dtype=object)


def _folded(values: list) -> list[str]:
    seen: dict[object, str] = {}
    out = []
    for v in values:
        if v not in seen:
            text = "" if v is None or (isinstance(v, float) and v != v) else str(v)
            seen[v] = "" if text in EMPTY_TEXTS else fold(text)
        out.append(seen[v])
    return out
