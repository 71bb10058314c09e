"""The whole screen as one frozen value: it selects rows, describes itself in French, lives in the URL.

A `View` holds what the visitor chose (types, regions, statuses, search, the partner's own columns
as facets: `?f.public=jeunes`), the selected place,
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
from reseau_map.domain.facets import PREFIX as FACET_PREFIX
from reseau_map.domain.facets import Facet
from reseau_map.domain.fields import SEARCH
from reseau_map.files.schema import CATEGORIES
from reseau_map.files.vocabulary import Vocabulary
from reseau_map.geo.regions import REGION_NAMES, canonical_region

SEARCH_COLUMNS: tuple[str, ...] = ("name", "city", "description")  # when the frame has no SEARCH column
MODES: tuple[str, ...] = ("", "presentation")
PRESENTATION = "presentation"
QUERY_KEYS: tuple[str, ...] = ("type", "region", "status", "q", "place", "year", "choro", "near",
                               "center", "zoom", "mode")
MAX_TEXT = 200  # longer URL text (search, city) is cut: nobody types more
MAX_SHOWN_VALUES = 3  # a notice quotes at most this many bad values of one parameter
Query = Mapping[str, str | Sequence[str]]  # URL parameters: one value each, or all the values of a key
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
    facets: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (facet id, its chosen values, folded), by facet
    notices: tuple[str, ...] = field(default=(), compare=False)

    def with_place(self, place: str) -> View:
        """The same view with another selected place."""
        return replace(self, place=place)

    def chosen(self, facet: str) -> tuple[str, ...]:
        """The values chosen for one facet (folded), () when it does not filter."""
        return dict(self.facets).get(facet, ())

    def with_facet(self, facet: str, values: Sequence[str]) -> View:
        """The same view with these values chosen for a facet (none: the facet no longer filters)."""
        kept = [(f, v) for f, v in self.facets if f != facet]
        return replace(self, facets=tuple(sorted([*kept, (facet, tuple(values))] if values else kept)))

    @property
    def presenting(self) -> bool:
        """Whether the view is the presentation mode."""
        return self.mode == PRESENTATION


def default_view(vocab: Vocabulary) -> View:
    """The view before any choice: the vocabulary's default types, every status, all of France."""
    return View(types=vocab.default_types, statuses=default_statuses(vocab))


def default_statuses(vocab: Vocabulary) -> tuple[str, ...]:
    """The status choices before any filter: every one but the closed (shown on demand)."""
    return vocab.default_statuses


def in_types(df: pd.DataFrame, types: Sequence[str]) -> np.ndarray:
    """Which rows are in one of these types: by their type, or any of their categories (a list in one cell)."""
    hit = df["type"].isin(types).to_numpy(bool, copy=True)
    if CATEGORIES in df.columns:
        wanted = set(types)
        lists = df[CATEGORIES].fillna("").astype(str)
        hit |= lists.map({v: bool(set(v.split("|")) & wanted) for v in lists.unique()}).to_numpy(bool)
    return hit



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


def apply(df: pd.DataFrame, view: View, facets: Sequence[Facet] = (), index: SearchIndex | None = None) -> pd.DataFrame:
    """The rows that the view's filters select (the selected place does not filter).

    `facets`: the catalogue's. `index`: the catalogue's SearchIndex, when the rows are its catalogue's
    (the page's): the search then costs what a filter costs; without one, the text is read here.
    """
    # Each test only when it can exclude something: this runs on every rerun.
    mask = np.ones(len(df), dtype=bool)
    if set(df["type"].unique()) - set(view.types) or CATEGORIES in df.columns:
        mask &= in_types(df, view.types)
    statuses = {Vocabulary.data_value(s) for s in view.statuses}
    if set(df["status"].unique()) - statuses:
        mask &= df["status"].isin(statuses).to_numpy(bool)
    if view.regions:
        mask &= df["region"].isin(view.regions).to_numpy(bool)
    for facet in facets:
        if view.chosen(facet.id) and facet.column in df.columns:
            mask &= facet.mask(df[facet.column], view.chosen(facet.id))
    if view.q.strip():
        if index is not None and index.fits(df):
            mask &= index.matches(view.q)
        else:
            mask &= haystack(df).str.contains(fold(view.q), regex=False).to_numpy(bool)
    return df if mask.all() else df.loc[mask]


def haystack(df: pd.DataFrame) -> pd.Series:
    """What the search looks in, one folded text a row."""
    # The catalogue's folded texts (fields.SEARCH); rows joined later (accepted proposals) from our columns.
    hay = df[SEARCH] if SEARCH in df.columns else pd.Series(np.nan, index=df.index, dtype=object)
    missing = hay.isna()
    if missing.any():
        columns = [c for c in SEARCH_COLUMNS if c in df.columns]
        hay = hay.astype(object)
        hay[missing] = df.loc[missing, columns].astype(str).agg(" ".join, axis=1).map(fold)
    return hay.astype(str)


def describe(view: View, count: int, vocab: Vocabulary, year: str = "", facets: Sequence[Facet] = ()) -> str:
    """One French sentence saying what is shown, e.g. « 13 lieux : cantines et lieux associés… »."""
    noun = "lieu" if count <= 1 else "lieux"
    count_fr = french_number(count)
    if not view.types or not view.statuses:
        return f"{count_fr} {noun} : aucun type ou aucun statut choisi."
    types = [t.plural for t in vocab.types if t.id in view.types]
    what = "tous types" if set(vocab.type_ids) <= set(view.types) else list_fr(types)
    choices = tuple(vocab.status_choices)
    statuses = [vocab.status_plural(s) for s in choices if s in view.statuses]
    how = "tous statuts" if len(statuses) == len(choices) else list_fr(statuses, "ou")
    hidden = [s for s in choices if s not in view.statuses]
    if hidden and set(view.statuses) == set(default_statuses(vocab)):
        how = "hors lieux " + list_fr([vocab.status_plural(s) for s in hidden])  # the default: closed ones hidden
    where = "toutes régions" if not view.regions else list_fr(list(view.regions))
    text = f"{count_fr} {noun} : {what}, {how}, {where}"
    for facet in facets:
        if chosen := view.chosen(facet.id):
            labels = facet.labels
            text += f", {facet.column} : {list_fr([labels.get(v, v) for v in chosen], 'ou')}"
    if view.q.strip():
        text += f", contenant « {view.q.strip()} »"
    if year:
        text += f", en {year}"
    return text + "."


def _multi(params: Query, key: str) -> list[str]:
    value = params.get(key)
    if value is None:
        return []
    values = [value] if isinstance(value, str) else list(value)
    # Accept both repeated keys and comma-separated lists (easier to type by hand).
    return [part.strip() for v in values for part in str(v).split(",") if part.strip()]


def _single(params: Query, key: str) -> str:
    value = params.get(key)
    if value is None:
        return ""
    text = value if isinstance(value, str) else next(iter(value), "")
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


def facet_keys(params: Query) -> list[str]:
    """The URL's facet parameters (« f.public »)."""
    return [k for k in params if str(k).startswith(FACET_PREFIX)]


def _facets(params: Query, facets: Sequence[Facet], notices: _Notices) -> tuple:
    by_key = {f.key: f for f in facets}
    chosen = []
    for key in facet_keys(params):
        facet = by_key.get(key)
        if facet is None:
            notices.add(key, ",".join(_multi(params, key)), "colonne sans filtre (filtres possibles : "
                        + (", ".join(by_key) or "aucun") + ")")
            continue
        labels = facet.labels
        kept = _pick(_multi(params, key), {fold(k): k for k in labels} | {fold(v): k for k, v in labels.items()},
                     list(labels.values()), key, notices)
        if kept:
            chosen.append((facet.id, kept))
    return tuple(sorted(chosen))


def from_query(params: Query, vocab: Vocabulary, years: Sequence[str] | None = None,
               facets: Sequence[Facet] = ()) -> View:
    """The view a URL asks for; invalid values are dropped with one French notice per parameter."""
    notices = _Notices()
    chosen = _facets(params, facets, notices)
    types = _pick(_multi(params, "type"), _spellings(vocab, "type"), vocab.type_ids, "type", notices)
    statuses = _pick(_multi(params, "status"), _spellings(vocab, "status"), tuple(vocab.status_choices), "status",
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
        lat, lon = parts if len(parts) == 2 else (None, None)
        if lat is not None and lon is not None and -90 <= lat <= 90 and -180 <= lon <= 180:
            center = (round(lat, 5), round(lon, 5))
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
        facets=chosen,
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
    for facet, values in view.facets:
        out[FACET_PREFIX + facet] = list(values)
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
