"""The partner's own categories: read from the file's type column when its values are not the network's types.

Each distinct value (folded) that neither the network's vocabulary nor the mapping's [types] reads
becomes a category: its label as the file writes it most often (tidied: spaces, an all-capital
word), its plural, and a colour and a marker shape of its own, given by frequency so that the same
file always gets the same ones. Beyond MAX_OWN categories the smallest share one colour, one shape
and one legend line, « Autres catégories »; each keeps its own choice in the filter. A cell holding
a list (« Coworking, Fablab », or `;` `/` `|` between values) puts the place in each category.

What the network file declares wins; a file whose network declares nothing (the neutral
vocabulary) and whose values are not all the neutral types gets a vocabulary of its own values.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace

import pandas as pd

from reseau_map.core.text import fold, french_number
from reseau_map.files.mapping import Mapping
from reseau_map.files.schema import CATEGORIES
from reseau_map.files.statuses import read_statuses
from reseau_map.files.vocabulary import (
    OTHER_COLOUR,
    PALETTE,
    SHAPES,
    PlaceType,
    Vocabulary,
    category_id,
    french_plural,
    tidy_label,
)

MAX_OWN = 10  # up to this many categories, each has its own colour, shape and legend line
OTHERS = "Autres catégories"  # the legend's line of the smallest ones beyond MAX_OWN
NO_CATEGORY = ("sans_categorie", "Sans catégorie", "sans catégorie")  # a place whose cell is empty
SEPARATORS: tuple[str, ...] = (";", "|", "/", ",")  # between the values of a list in one cell
# A separator makes lists when the parts it cuts are values the column also holds alone (at least
# this share of them), or when it is in this share of the cells and cuts them into few values.
LIST_EVIDENCE = 0.5
LIST_CELLS = 0.3
LIST_MAX_VALUES = 40
LIST_MIN_CELLS = 5  # fewer cells holding it prove nothing by their share alone


@dataclass(frozen=True)
class Categories:
    """What a file's type column says: the vocabulary that reads it, each cell's ids, what was derived."""

    vocabulary: Vocabulary
    ids: dict[str, tuple[str, ...]]  # a cell as written -> its categories' ids (the first draws the marker)
    derived: tuple[tuple[PlaceType, int], ...] = ()  # the categories read from the file, with their places
    separator: str = ""  # between a cell's values, "" when no cell holds a list

    @property
    def multiple(self) -> bool:
        """Whether some cell puts its place in more than one category."""
        return any(len(v) > 1 for v in self.ids.values())


def list_separator(cells: Iterable[str]) -> str:
    """The separator of the lists some cells hold (« Coworking, Fablab »), "" when there are none."""
    counts = Counter(c for c in cells if c)
    alone = {fold(c) for c in counts}
    total = sum(counts.values())
    for sep in SEPARATORS:
        holding = {c: n for c, n in counts.items() if sep in c}
        if not holding:
            continue
        parts = [fold(p) for c in holding for p in c.split(sep) if p.strip()]
        if not parts or len(parts) == len(holding):
            continue
        known = sum(1 for p in parts if p in alone) / len(parts)
        share = sum(holding.values()) / total
        many = sum(holding.values()) >= LIST_MIN_CELLS and share >= LIST_CELLS and len(set(parts)) <= LIST_MAX_VALUES
        if known >= LIST_EVIDENCE or many:
            return sep
    return ""


def split_cell(cell: str, separator: str) -> list[str]:
    """A cell's values: the parts of its list, else the cell itself (tidied, empty parts left out)."""
    parts = cell.split(separator) if separator else [cell]
    return list(dict.fromkeys(" ".join(p.split()) for p in parts if p.strip()))


def _styles(count: int, used: set[tuple[str, str]]) -> list[tuple[str, str]]:
    # The k-th category by frequency: the k-th colour and the k-th shape, skipping the declared pairs.
    out: list[tuple[str, str]] = []
    k, shapes = 0, SHAPES[:-1]
    while len(out) < count:
        pair = (PALETTE[k % len(PALETTE)], shapes[k % len(shapes)])
        if pair not in used:
            out.append(pair)
        k += 1
    return out


def read_categories(cells: pd.Series, vocab: Vocabulary, mapping: Mapping | None = None) -> Categories:
    """The categories of a file's type column (its cells as read), in the network's vocabulary where it has them."""
    mapping = mapping or Mapping()
    counts = cells.astype(str).str.strip().value_counts()
    separator = list_separator(counts.index)
    parts = {cell: split_cell(cell, separator) for cell in counts.index}
    values = {p for ps in parts.values() for p in ps}

    def known(value: str, read_vocabulary: bool = True) -> str | None:
        return mapping.type_of(value) or (vocab.read("type", value) if read_vocabulary else None)

    if all(known(v) for v in values):  # nothing of its own: the network's vocabulary as it is
        return Categories(vocab, _ids(parts, lambda v: known(v) or "", _empty(vocab, mapping)), (), separator)
    # The neutral vocabulary reads none of a file that has values of its own: only what the mapping says.
    base = list(vocab.types) if vocab.declared else [t for t in vocab.types if t.id in set(mapping.types.values())]
    spellings: dict[str, Counter] = {}
    places: Counter = Counter()
    for cell, n in counts.items():
        for value in parts[cell]:
            if known(value, vocab.declared) is None:
                spellings.setdefault(fold(value), Counter())[value] += n
                places[fold(value)] += n
    order = sorted(spellings, key=lambda key: (-places[key], tidy_label(spellings[key]).casefold()))
    taken = {t.id for t in base}
    own = len(order) if len(base) + len(order) <= MAX_OWN else max(0, MAX_OWN - 1 - len(base))
    styles = _styles(own, {(t.colour, t.shape) for t in base})
    others_shape = next((s for s in SHAPES[:-1] if s not in {shape for _, shape in styles}), SHAPES[0])
    start = max((t.order for t in base), default=0) + 1
    derived: list[tuple[PlaceType, int]] = []
    by_key: dict[str, str] = {}
    for k, key in enumerate(order):
        label = tidy_label(spellings[key])
        ident = category_id(label, taken)
        taken.add(ident)
        colour, shape = styles[k] if k < own else (OTHER_COLOUR, others_shape)
        aliases = tuple(sorted(spellings[key]))
        derived.append((PlaceType(ident, label, french_plural(label), colour, shape, start + k, aliases,
                                  "" if k < own else OTHERS), places[key]))
        by_key[key] = ident
    types = [*base, *(t for t, _ in derived)]
    empty = _empty(vocab, mapping) if vocab.declared or "" in mapping.types else ""
    if not empty and "" in counts.index:
        empty = category_id(NO_CATEGORY[0], taken)
        types.append(PlaceType(empty, NO_CATEGORY[1], NO_CATEGORY[2], OTHER_COLOUR, others_shape,
                               start + len(order), (), OTHERS if len(types) >= MAX_OWN else ""))
    shown = (*vocab.default_types, *(t.id for t, _ in derived)) if vocab.declared else ()
    found = replace(vocab, types=tuple(types), default_types=shown,
                    fallback_type=empty if empty else (vocab.fallback_type if vocab.declared else ""))
    read = _ids(parts, lambda v: known(v, vocab.declared) or by_key[fold(v)], empty or found.fallback_type)
    return Categories(found, read, tuple(derived), separator)


def _empty(vocab: Vocabulary, mapping: Mapping) -> str:
    # The type of an empty cell: the mapping's "" entry, else the vocabulary's fallback type.
    return mapping.types[""] if "" in mapping.types else vocab.fallback_type


def _ids(parts: dict[str, list[str]], read, empty: str) -> dict[str, tuple[str, ...]]:
    return {cell: tuple(dict.fromkeys(read(v) for v in values)) or (empty,) for cell, values in parts.items()}


def file_vocabulary(table: pd.DataFrame, vocab: Vocabulary, mapping: Mapping | None, header: str) -> tuple[
        Vocabulary, str]:
    """The vocabulary a read table speaks (its categories and statuses), its rows written in it; the summary's note."""
    found = read_categories(table["type"], vocab, mapping)
    apply_categories(table, found)
    return read_statuses(table["status"], found.vocabulary), derived_note(found, header)


def apply_categories(table: pd.DataFrame, found: Categories) -> None:
    """Write each row's categories into a read table: the first in « type », all of them in CATEGORIES."""
    if not (found.derived or found.multiple):
        return  # the vocabulary reads every cell as it is
    ids = table["type"].astype(str).str.strip().map(found.ids)
    table["type"] = ids.map(lambda v: v[0])
    if found.multiple:
        table[CATEGORIES] = ids.map("|".join)


def derived_note(found: Categories, header: str) -> str:
    """The import summary's sentence about the categories read from the file ("" when none were)."""
    if not found.derived:
        return ""
    named = [f"{t.label} ({french_number(n)})" for t, n in found.derived if not t.group]
    grouped = [t for t, _ in found.derived if t.group]
    text = f"Catégories tirées de la colonne « {header} » : " + ", ".join(named)
    if grouped:
        text += (f" ; {french_number(len(grouped))} plus petites regroupées sous « {OTHERS} » dans la légende "
                 "(chacune reste dans le filtre)")
    declared = [t.label for t in found.vocabulary.types if t.id not in {d.id for d, _ in found.derived}
                and t.id != NO_CATEGORY[0]]
    if declared and found.vocabulary.declared:
        text += f" ; déclarées par le réseau : {', '.join(declared)}"
    if found.multiple:
        text += f" ; une cellule à plusieurs valeurs (séparées par « {found.separator} ») met le lieu dans chacune"
    return text + ". Couleurs et formes : par fréquence, lisibles sans distinguer les couleurs."
