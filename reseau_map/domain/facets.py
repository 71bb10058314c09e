"""Facets: a partner's own columns as filters (« Filtrer aussi par… »), each value with its count.

A column can be a facet when it holds between MIN_VALUES and MAX_VALUES distinct values once
folded, not one per place (names), and short ones (not free text). A cell
holding a list (« Jeunes, Familles ») counts for each of its values, as the type column does.
The URL says `?f.<facet id>=<value>` (repeatable, or values joined by commas), values folded.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from reseau_map.core.text import fold, french_number
from reseau_map.files.categories import list_separator, split_cell
from reseau_map.files.vocabulary import category_id, tidy_label

PREFIX = "f."  # a facet's URL key: f.<id>
MIN_VALUES, MAX_VALUES = 2, 30
MAX_LENGTH = 60  # a value longer than this (on average) is free text, not a choice


@dataclass(frozen=True)
class Facet:
    """One of the partner's columns as a filter: its values (folded key, label as written, places)."""

    id: str
    column: str
    values: tuple[tuple[str, str, int], ...]
    separator: str = ""

    @property
    def key(self) -> str:
        """The facet's URL parameter: « f.departement »."""
        return PREFIX + self.id

    @property
    def labels(self) -> dict[str, str]:
        """Folded value -> its label as written, most frequent first."""
        return {k: label for k, label, _ in self.values}

    def choice(self, key: str) -> str:
        """A value as the filter offers it: « Jeunes (12) »."""
        found = next(((label, n) for k, label, n in self.values if k == key), (key, 0))
        return f"{found[0]} ({french_number(found[1])})"

    def keys_of(self, cell: object) -> frozenset[str]:
        """The folded values one cell holds (several for a list)."""
        text = "" if cell is None or (isinstance(cell, float) and cell != cell) else str(cell)
        return frozenset(fold(v) for v in split_cell(text, self.separator))

    def mask(self, column: pd.Series, chosen: Iterable[str]) -> np.ndarray:
        """Which rows hold one of the chosen values."""
        wanted = set(chosen)
        # A column repeats its values: each distinct cell is read once.
        hits = {v: bool(self.keys_of(v) & wanted) for v in column.unique()}
        return column.map(hits).fillna(False).to_numpy(bool)


def find_facets(df: pd.DataFrame, columns: Sequence[str]) -> tuple[Facet, ...]:
    """The facets among these columns of a frame, in the columns' order."""
    out: list[Facet] = []
    taken: set[str] = set()
    for column in columns:
        cells = df[column].astype(str).str.strip()
        cells = cells[(cells != "") & (cells != "nan") & (cells != "<NA>")]
        if cells.empty or cells.str.len().mean() > MAX_LENGTH:
            continue
        counts = cells.value_counts()
        separator = list_separator(counts.index)
        spellings: dict[str, Counter] = {}
        places: Counter = Counter()
        for cell, n in counts.items():
            for value in split_cell(str(cell), separator):
                spellings.setdefault(fold(value), Counter())[value] += n
                places[fold(value)] += n
        places.pop("", None)
        if not MIN_VALUES <= len(places) <= MAX_VALUES or len(places) >= len(cells):  # all different: names
            continue
        ident = category_id(column, taken)
        taken.add(ident)
        ranked = sorted(places.items(), key=lambda kv: (-kv[1], kv[0]))
        values = tuple((k, tidy_label(spellings[k]), n) for k, n in ranked)
        out.append(Facet(ident, column, values, separator))
    return tuple(out)
