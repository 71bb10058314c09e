"""The whole screen as one frozen value: it selects rows, describes itself in French, lives in the URL.

A `View` holds what the visitor chose (types, regions, statuses, search), the selected place,
the year of the timeline, the choropleth switch, the « près de » city, the map's centre and
zoom, and the mode. The page builds one `View` per run and writes it to the URL once. Types and
statuses are ids of the network's vocabulary, which says the defaults, the labels and the plurals.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from reseau_map.core.text import fold, french_number, list_fr
from reseau_map.files.vocabulary import Vocabulary
from reseau_map.geo.regions import REGION_NAMES, canonical_region

SEARCH_COLUMNS: tuple[str, ...] = ("name", "city", "description")
MODES: tuple[str, ...] = ("", "presentation")
PRESENTATION = "presentation"
QUERY_KEYS: tuple[str, ...] = ("type", "region", "status", "q", "place", "year", "choro", "near",
                               "center", "zoom", "mode")
MAX_TEXT = 200  # longer URL text (search, city) is cut: nobody types more
MAX_SHOWN_VALUES = 3  # a notice quotes at most this many bad values of one parameter
ZOOM_RANGE = (2.0, 18.0)


@dataclass(frozen=True)
class View:
    """What the visitor sees; empty regions mean every region, year "" the latest step."""

    types: tuple[str, ...]  # type ids of the vocabulary
    statuses: tuple[str, ...]  # status filter ids of the vocabulary (UNKNOWN_STATUS: not given)
    regions: tuple[str, ...] = ()
    q: str = ""
    place: str = ""
    year: str = ""
    choro: bool = False
    near: str = ""
    center: tuple[float, float] | None = None
    zoom: float | None = None
    mode: str = ""
    notices: tuple[str, ...] = field(default=(), compare=False)

    def with_place(self, place: str) -> View:
        """The same view with another selected place."""
        return replace(self, place=place)

    @property
    def presenting(self) -> bool:
        """Whether the view is the presentation mode."""
        return self.mode == PRESENTATION


def default_view(vocab: Vocabulary) -> View:
    """The view before any choice: the vocabulary's default types, every status, all of France."""
    return View(types=vocab.default_types, statuses=default_statuses(vocab))


def default_statuses(vocab: Vocabulary) -> tuple[str, ...]:
    """Every status filter choice (the unknown one included): what « tous statuts » means."""
    return tuple(vocab.status_choices)


class SearchIndex:
    """The search's haystack of a catalogue, folded once; each query's matches kept (a few hundred queries).

    Folding name, city and description cost 1.1 s a rerun at 10,000 places: here it is done once
    per catalogue, and a query is one vectorised substring test over the folded texts (pyarrow),
    answered from memory when the same query comes again (a filter change with the search kept).
    """

    MAX_QUERIES = 256

    def __init__(self, df: pd.DataFrame) -> None:
        self.rows, self.index = len(df), df.index
        folded = haystack(df)
        self._hay = pa.array(folded.tolist(), type=pa.large_string())
        self._found: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def fits(self, df: pd.DataFrame) -> bool:
        """Whether the index was built on these rows."""
        return len(df) == self.rows and df.index.equals(self.index)

    def matches(self, q: str) -> np.ndarray:
        """The rows whose folded text holds the folded query (a boolean array, not to be changed)."""
        needle = fold(q)
        with self._lock:
            found = self._found.get(needle)
            if found is not None:
                self._found.move_to_end(needle)
                return found
        found = np.asarray(pc.match_substring(self._hay, pattern=needle).to_numpy(zero_copy_only=False), dtype=bool)
        found.flags.writeable = False
        with self._lock:
            self._found[needle] = found
            while len(self._found) > self.MAX_QUERIES:
                self._found.popitem(last=False)
        return found


def haystack(df: pd.DataFrame) -> pd.Series:
    """What the search looks in, one folded text a row: name, city, description."""
    first, *rest = (df[c].astype(str) for c in SEARCH_COLUMNS)
    for column in rest:  # column by column: a row-wise join was most of the cost
        first = first + " " + column
    return first.map(fold)


def apply(df: pd.DataFrame, view: View, index: SearchIndex | None = None) -> pd.DataFrame:
    """The rows that the view's filters select (the selected place does not filter).

    `index`: the catalogue's SearchIndex, when the rows are its catalogue's (the page's): the search
    then costs what a filter costs; without one, the text is folded here, as before.
    """
    # Each test only when it can exclude something: this runs on every rerun.
    mask = np.ones(len(df), dtype=bool)
    if set(df["type"].unique()) - set(view.types):
        mask &= df["type"].isin(view.types).to_numpy(bool)
    statuses = {Vocabulary.data_value(s) for s in view.statuses}
    if set(df["status"].unique()) - statuses:
        mask &= df["status"].isin(statuses).to_numpy(bool)
    if view.regions:
        mask &= df["region"].isin(view.regions).to_numpy(bool)
    if view.q.strip():
        if index is not None and index.fits(df):
            mask &= index.matches(view.q)
        else:
            mask &= haystack(df).str.contains(fold(view.q), regex=False).to_numpy(bool)
    return df if mask.all() else df.loc[mask]


def describe(view: View, count: int, vocab: Vocabulary, year: str = "") -> str:
    """One French sentence saying what is shown, e.g. « 13 lieux : cantines et lieux associés… »."""
    noun = "lieu" if count <= 1 else "lieux"
    count_fr = french_number(count)
    if not view.types or not view.statuses:
        return f"{count_fr} {noun} : aucun type ou aucun statut choisi."
    types = [t.plural for t in vocab.types if t.id in view.types]
    what = "tous types" if set(vocab.type_ids) <= set(view.types) else list_fr(types)
    choices = default_statuses(vocab)
    statuses = [vocab.status_plural(s) for s in choices if s in view.statuses]
    how = "tous statuts" if len(statuses) == len(choices) else list_fr(statuses, "ou")
    where = "toutes régions" if not view.regions else list_fr(list(view.regions))
    text = f"{count_fr} {noun} : {what}, {how}, {where}"
    if view.q.strip():
        text += f", contenant « {view.q.strip()} »"
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


def _single(params: Mapping[str, object], key: str) -> str:
    value = params.get(key)
    if value is None:
        return ""
    text = value if isinstance(value, str) else next(iter(value), "")  # type: ignore[call-overload]
    return str(text).strip()[:MAX_TEXT]


class _Notices:
    """Bad URL values, grouped by parameter: 20,000 repeats make one notice, not 20,000."""

    def __init__(self) -> None:
        self.bad: dict[str, list[str]] = {}
        self.hints: dict[str, str] = {}

    def add(self, key: str, value: str, hint: str) -> None:
        self.bad.setdefault(key, []).append(value)
        self.hints[key] = hint

    def sentences(self) -> tuple[str, ...]:
        out = []
        for key, values in self.bad.items():
            distinct = list(dict.fromkeys(values))
            quoted = ", ".join(f"« {key}={v[:60]} »" for v in distinct[:MAX_SHOWN_VALUES])
            more = len(distinct) - MAX_SHOWN_VALUES
            if more > 0:
                quoted += f" et {french_number(more)} autre{'s' if more > 1 else ''}"
            word = "Paramètre" if len(distinct) == 1 else "Paramètres"
            out.append(f"{word} {quoted} ignoré{'s' if len(distinct) > 1 else ''} : {self.hints[key]}.")
        return tuple(out)


def _spellings(vocab: Vocabulary, column: str) -> dict[str, str]:
    # What a URL may say for a type or a status: its id or its label (any case, accents), or a plural.
    if column == "type":
        return vocab.spellings("type")
    unknown = vocab.unknown
    return vocab.spellings("status") | {fold(unknown.id): unknown.id, fold(unknown.label): unknown.id}


def _pick(values: list[str], by_fold: Mapping[str, str], ids: Sequence[str], key: str, notices: _Notices) -> tuple:
    kept = []
    for v in values:
        found = by_fold.get(fold(v))
        if found is None:
            notices.add(key, v, f"valeur inconnue (valeurs possibles : {', '.join(ids)})")
        elif found not in kept:
            kept.append(found)
    return tuple(kept)


def _float(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def from_query(params: Mapping[str, object], vocab: Vocabulary, years: Sequence[str] | None = None) -> View:
    """The view a URL asks for; invalid values are dropped with one French notice per parameter."""
    notices = _Notices()
    types = _pick(_multi(params, "type"), _spellings(vocab, "type"), vocab.type_ids, "type", notices)
    statuses = _pick(_multi(params, "status"), _spellings(vocab, "status"), default_statuses(vocab), "status",
                     notices)
    regions: list[str] = []
    for value in _multi(params, "region"):
        name = canonical_region(value)
        if name is None:
            notices.add("region", value, "région inconnue (valeurs possibles : " + ", ".join(REGION_NAMES) + ")")
        elif name not in regions:
            regions.append(name)
    year = _single(params, "year")
    if year and years is not None and year not in years:
        notices.add("year", year, "année absente de la frise (valeurs possibles : " + ", ".join(years) + ")")
        year = ""
    choro = _single(params, "choro")
    if choro not in ("", "0", "1"):
        notices.add("choro", choro, "valeur attendue : 1 ou 0")
    center = None
    if raw := _single(params, "center"):
        parts = [_float(p) for p in raw.split(",")]
        if len(parts) == 2 and None not in parts and -90 <= parts[0] <= 90 and -180 <= parts[1] <= 180:
            center = (round(parts[0], 5), round(parts[1], 5))
        else:
            notices.add("center", raw, "attendu « latitude,longitude », par exemple 48.11,-1.68")
    zoom = None
    if raw := _single(params, "zoom"):
        zoom = _float(raw)
        if zoom is None or not ZOOM_RANGE[0] <= zoom <= ZOOM_RANGE[1]:
            notices.add("zoom", raw, f"nombre attendu entre {ZOOM_RANGE[0]:g} et {ZOOM_RANGE[1]:g}")
            zoom = None
    mode = _single(params, "mode")
    if mode not in MODES:
        notices.add("mode", mode, "seule la valeur « presentation » existe")
        mode = ""
    place = _multi(params, "place")
    # A URL whose every value is invalid falls back to the default view rather than an empty map.
    return View(
        types=types or vocab.default_types,
        regions=tuple(regions),
        statuses=statuses or default_statuses(vocab),
        q=_single(params, "q"),
        place=place[0][:MAX_TEXT] if place else "",
        year=year,
        choro=choro == "1",
        near=_single(params, "near"),
        center=center,
        zoom=zoom,
        mode=mode,
        notices=notices.sentences(),
    )


def to_query(view: View, vocab: Vocabulary) -> dict[str, list[str]]:
    """URL query parameters for the view; defaults are left out so links stay short."""
    out: dict[str, list[str]] = {}
    if set(view.types) != set(vocab.default_types):
        out["type"] = list(view.types)
    if view.regions:
        out["region"] = list(view.regions)
    if set(view.statuses) != set(default_statuses(vocab)):
        out["status"] = list(view.statuses)
    for key in ("q", "place", "year", "near", "mode"):
        if value := getattr(view, key):
            out[key] = [value]
    if view.choro:
        out["choro"] = ["1"]
    if view.center is not None:
        out["center"] = [f"{view.center[0]:.5f},{view.center[1]:.5f}"]
    if view.zoom is not None:
        out["zoom"] = [f"{view.zoom:g}"]
    return out


def link(view: View, vocab: Vocabulary) -> str:
    """A relative link ("?region=…&place=…") that opens the page on this view."""
    query = to_query(view, vocab)
    return "?" + urlencode(query, doseq=True) if query else "?"
