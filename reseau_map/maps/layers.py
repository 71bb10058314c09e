"""The places layer: every place as a marker (its type's colour and shape) on one canvas, from one compact payload.

Its code is static/places.js. What travels is one JSON structure, the spec of ``L.rcPlaces``
(library.calls reads it back from a rendered script; `decode_payload` decodes it for tests and tools):

- ``key``: names the catalogue's data (the same places, the same key);
- ``src`` / ``longSrc``: addresses of the served files holding the data and its long texts
  (data scripts, library.read_data_script), or null when the data is inline;
- ``data``: the catalogue's data itself, when it is not served (see below);
- ``sel``: the rows shown, ``"*"`` for all, else a bitset over the catalogue's rows (base64,
  little-endian bits); ``selected``: the row of the selected place, or -1;
- ``label``: the source's label (escaped); ``projector``: markers grow with the screen.

The data (``Prepared.data``), one entry per catalogue row: ``lat``, ``lon`` (null when not
placed), ``t`` / ``s`` (index into the type and status lists), ``ids``, ``cols`` (escaped texts
of the popups' short fields, a column as ``{"v": [...]}`` or, when repeated, ``{"k": keys,
"i": indexes}``), ``more`` (``{"r": rows, "t": [[type index, …], …]}``: the other categories of
the places whose cell lists several), the style lists (``colors``, ``shapes``, ``typeLabels``,
``statusLabels``, ``meanings`` (what each status means: drawn full, dashed, crossed or faded),
``lines`` (the legend's lines: ``[label, colour, shape]``, one per type or group of types) and
``typeLine`` (each type's line), ``fields``, ``extra`` (the partner's public columns:
``[key, header]``, their texts in the long file)…) and, inline with few places, ``long``:
``{"cols": {...}}`` with the long fields. The legend counts the shown places of each line in the
browser (places.js; `legend_of` here for tests): a filter sends no more than its bitset.
"""

from __future__ import annotations

import base64
import html
import math

import numpy as np
import pandas as pd

from reseau_map.core.settings import STATIC_DIR
from reseau_map.core.templates import script_json
from reseau_map.domain.fields import Fields
from reseau_map.domain.hours import french_week
from reseau_map.files.places import NOT_GIVEN
from reseau_map.files.schema import CATEGORIES, PROPOSED_ID_PREFIX
from reseau_map.files.vocabulary import Vocabulary, neutral_vocabulary
from reseau_map.maps.library import Call, calls, content_key, data_json, data_script, read_data_script
from reseau_map.maps.served import Served, served

# Colours, labels and order of types and statuses come from the network's vocabulary (files/vocabulary.py).
# Markers closer than this on screen join a cluster (MarkerCluster's default is 80 px).
CLUSTER_RADIUS_PX = 40
# What the places layer writes in streamlit-folium's returned tooltip when a place is clicked.
CLICK_PREFIX = "rc-place:"
POPUP_FIELDS: tuple[tuple[str, str], ...] = (
    ("city", "Ville"), ("region", "Région"), ("opened", "Ouverture"), ("website", "Site web"),
)


# A map whose places travel inline (a standalone map, or no served folder) leaves the long fields
# (website, description, source) out of popups above this many places: the details panel under
# the map shows them. Served places always have them, in a file fetched at the first popup.
FULL_POPUP_MAX = 2_000
SHORT_FIELDS: tuple[str, ...] = ("name", "city", "region", "opened", "precision")
LONG_FIELDS: tuple[str, ...] = ("website", "description", "source")


def _text(values: pd.Series) -> list[str]:
    # Over a plain list: reading an Arrow column cell by cell was 15 % of a first load.
    return ["" if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)) else
            html.escape(str(v), quote=True) for v in values.tolist()]


LIBRARY_FILE = STATIC_DIR / "places.js"
PLACES_CALL = "L.rcPlaces"
DATA_PREFIX = "places"  # served file names: places-<hash>.js and places-long-<hash>.js


def decode_payload(script: str, files: Served | None = None) -> list[dict]:
    """The places each places layer of a rendered script shows, as one payload per layer (tests, tools)."""
    return [payload_of(spec, files) for spec in calls(script, PLACES_CALL)]


def payload_of(spec: dict, files: Served | None = None) -> dict:
    """The places one spec shows: the catalogue's data (inline, or the served file the spec names)
    cut down to the shown rows, long texts included when known."""
    data = spec.get("data") or _served_data(spec.get("src"), files)
    long = data.get("long") or _served_data(spec.get("longSrc"), files)
    return _shown_payload(data, long, spec)


def _served_data(src: str | None, files: Served | None) -> dict:
    path = (files or served()).path_of(src) if src else None
    return read_data_script(path.read_text(encoding="utf-8"))[1] if path is not None else {}


def _column(values: dict) -> list:
    return list(values["v"]) if "v" in values else [values["k"][i] for i in values["i"]]


def _shown_payload(data: dict, long: dict | None, spec: dict) -> dict:
    n = len(data["lat"])
    if spec["sel"] == "*":
        picked = [i for i in range(n) if data["lat"][i] is not None]
    else:
        bits = np.unpackbits(np.frombuffer(base64.b64decode(spec["sel"]), np.uint8), bitorder="little")[:n]
        picked = [int(i) for i in bits.nonzero()[0] if data["lat"][i] is not None]
    cols = {c: _column(v) for c, v in {**data["cols"], **((long or {}).get("cols") or {})}.items()}
    more = dict(zip(data["more"]["r"], data["more"]["t"], strict=True))
    return {"lat": [data["lat"][i] for i in picked], "lon": [data["lon"][i] for i in picked],
            "t": [data["t"][i] for i in picked], "s": [data["s"][i] for i in picked],
            "more": [more.get(i, []) for i in picked], "lines": data["lines"], "typeLine": data["typeLine"],
            "typeLabels": data["typeLabels"], "shapes": data["shapes"], "colors": data["colors"],
            "extra": data["extra"],
            "ids": [data["ids"][i] for i in picked],
            "cols": {c: {"v": [v[i] for i in picked]} for c, v in cols.items()},
            "full": bool(long), "selected": picked.index(spec["selected"]) if spec["selected"] in picked else -1,
            "projector": spec["projector"], "clickPrefix": data["clickPrefix"], "sourceLabel": spec["label"]}


def payload_column(payload: dict, column: str) -> list[str]:
    """One text column of a payload, one value per place, as the popups show it (escaped)."""
    return _column(payload["cols"][column])


def clicked_id(value: object) -> str | None:
    """The id of the place a click reported (st_folium's returned tooltip), or None."""
    text = value.get("last_object_clicked_tooltip") if isinstance(value, dict) else value
    if not isinstance(text, str) or not text.startswith(CLICK_PREFIX):
        return None
    _count, sep, place_id = text[len(CLICK_PREFIX):].partition(":")
    return place_id if sep and place_id else None


class Prepared:
    """Every place of a catalogue as the map needs it, computed once: a filter only picks rows.

    The places themselves are sent to the browser once (a served file, or inline when there is
    no served folder); a filter change sends which rows are shown, a bit per place.
    """

    def __init__(self, df: pd.DataFrame, vocab: Vocabulary | None = None, fields: Fields | None = None) -> None:
        vocab = vocab or neutral_vocabulary()
        fields = fields or Fields()
        statuses = (*vocab.status_ids, "")  # places.js draws by this index: open, project, then not given
        data = df.assign(opened=df["opened"].astype("string"))
        self.index = df.index
        self.count = len(df)
        lat, lon = df["lat"].round(5).to_numpy(float), df["lon"].round(5).to_numpy(float)
        located = ~(np.isnan(lat) | np.isnan(lon))
        self.ids = df["id"].astype(str).to_numpy(object)
        self.data = {
            "lat": [v if ok else None for v, ok in zip(lat.tolist(), located.tolist(), strict=True)],
            "lon": [v if ok else None for v, ok in zip(lon.tolist(), located.tolist(), strict=True)],
            "t": df["type"].map(vocab.type_rank).fillna(0).astype(int).tolist(),
            "s": df["status"].map({s: i for i, s in enumerate(statuses)}).fillna(len(statuses) - 1)
            .astype(int).tolist(),
            "ids": self.ids.tolist(),
            "cols": {c: _encoded(np.array(_text(data[c]), dtype=object)) for c in SHORT_FIELDS},
            "more": _more(df, vocab),
            **style(vocab),
            "extra": [[f"x{i}", html.escape(str(c))] for i, c in enumerate(fields.public)],
        }
        self.long = {"cols": {c: _encoded(np.array(_text(data[c]), dtype=object)) for c in LONG_FIELDS}
                     | {f"x{i}": _encoded(np.array(_text(_shown_cells(df, c, c in fields.hours)), dtype=object))
                        for i, c in enumerate(fields.public)}}
        body = data_json(self.data) + data_json(self.long)
        self.key = content_key(body)
        self.src: str | None = None
        self.long_src: str | None = None

    def publish(self, files: Served) -> bool:
        """Write the places (and apart, their long texts) as files the map loads once; False if it cannot."""
        long_key = f"{self.key}:long"
        src = files.put(data_script(self.key, self.data).encode("utf-8"), DATA_PREFIX, ".js")
        long_src = files.put(data_script(long_key, self.long).encode("utf-8"), f"{DATA_PREFIX}-long", ".js")
        if src is None or long_src is None:
            return False
        self.src, self.long_src = src, long_src
        files.prune(f"{DATA_PREFIX}-")
        return True

    def positions(self, shown: pd.DataFrame) -> np.ndarray | None:
        """Where the shown rows sit in the catalogue, or None if some are not from it."""
        found = self.index.get_indexer(shown.index) if self.index.is_unique else np.array([-1])
        return None if (found < 0).any() else found

    def spec(self, positions: np.ndarray, selected: str = "", source_label: str = "", projector: bool = False) -> dict:
        """What one rerun sends: which rows are shown (a bitset), the selected one, the source's label;
        the data itself too when it is not served."""
        if len(positions) == self.count:
            sel = "*"
        else:
            mask = np.zeros(self.count, dtype=bool)
            mask[positions] = True
            sel = base64.b64encode(np.packbits(mask, bitorder="little").tobytes()).decode("ascii")
        chosen = (self.ids[positions] == selected).nonzero()[0] if selected else []
        spec: dict[str, object] = {"key": self.key, "src": self.src, "longSrc": self.long_src, "sel": sel,
                                   "selected": int(positions[chosen[0]]) if len(chosen) else -1,
                                   "label": html.escape(source_label), "projector": projector,
                                   "ownSource": PROPOSED_ID_PREFIX}  # their popups cite their own source
        if self.src is None:  # not served: the data travels with the spec
            spec["data"] = {**self.data, "long": self.long} if self.count <= FULL_POPUP_MAX else self.data
        return spec


def _more(df: pd.DataFrame, vocab: Vocabulary) -> dict:
    # The places in more than one category: their other categories, by type index.
    if CATEGORIES not in df.columns:
        return {"r": [], "t": []}
    rank = vocab.type_rank
    lists = df[CATEGORIES].fillna("").astype(str).tolist()
    rows = [i for i, v in enumerate(lists) if "|" in v]
    return {"r": rows, "t": [[rank[t] for t in lists[i].split("|")[1:] if t in rank] for i in rows]}


def _shown_cells(df: pd.DataFrame, column: str, hours: bool) -> pd.Series:
    # Opening hours in OpenStreetMap's format read as a French week; other texts as written.
    cells = df[column].astype(str).replace({"nan": "", "<NA>": "", "None": ""}).str.strip()
    return cells.map(lambda v: french_week(v) or v) if hours else cells


def legend_lines(vocab: Vocabulary) -> tuple[list[list[str]], list[int]]:
    """The legend's lines ([label, colour, shape]: a type, or a group of types sharing one) and each type's line."""
    lines: list[list[str]] = []
    groups: dict[str, int] = {}
    of_type = []
    for t in vocab.types:
        if t.group and t.group in groups:
            of_type.append(groups[t.group])
            continue
        if t.group:
            groups[t.group] = len(lines)
        of_type.append(len(lines))
        lines.append([html.escape(t.group or t.label), t.colour, t.shape])
    return lines, of_type


def legend_of(payload: dict) -> list[tuple[str, int]]:
    """What the legend lists for a decoded payload: each line with shown places, and their count (as places.js)."""
    counts = [0] * len(payload["lines"])
    for t, more in zip(payload["t"], payload["more"], strict=True):
        for line in {payload["typeLine"][k] for k in (t, *more)}:
            counts[line] += 1
    return [(html.unescape(line[0]), n) for line, n in zip(payload["lines"], counts, strict=True) if n]


def _encoded(texts: np.ndarray) -> dict:
    # A column of many repeats (city, region, a shared quote) is sent as keys + indexes;
    # a column of mostly distinct strings (names) as a plain list.
    codes, keys = pd.factorize(texts)
    if len(keys) * 2 > len(texts):
        return {"v": texts.tolist()}
    return {"k": keys.tolist(), "i": codes.tolist()}


def style(vocab: Vocabulary) -> dict:
    """How places.js draws and labels the places: per type (in order) and per status (then « not given »)."""
    lines, of_type = legend_lines(vocab)
    return {
        "colors": [t.colour for t in vocab.types],
        "shapes": [t.shape for t in vocab.types],
        "typeLabels": [html.escape(t.label) for t in vocab.types],
        "typePlurals": [html.escape(t.plural) for t in vocab.types],  # a cluster's name (« 2 cantines »)
        "statusLabels": [html.escape(vocab.status_label(s)) for s in (*vocab.status_ids, "")],
        "meanings": [vocab.meaning(s) for s in (*vocab.status_ids, "")],
        "lines": lines,
        "typeLine": of_type,
        # [column, label, long]: long columns show once their file is loaded (or inline).
        "fields": [[c, html.escape(label), c in LONG_FIELDS] for c, label in POPUP_FIELDS],
        "notGiven": NOT_GIVEN,
        "clusterRadius": CLUSTER_RADIUS_PX,
        "clickPrefix": CLICK_PREFIX,
    }


def places_payload(df: pd.DataFrame, selected: str = "", source_label: str = "",
                   vocab: Vocabulary | None = None, fields: Fields | None = None) -> dict:
    """What the map shows of these places (every one), decoded: for tests and tools."""
    return payload_of(Prepared(df, vocab, fields).spec(np.arange(len(df)), selected, source_label))


class PlacesLayer(Call):
    """Every place as a circle marker on one canvas, clustered by screen density (places.js draws them)."""

    function = PLACES_CALL

    def __init__(self, df: pd.DataFrame, selected: str = "", source_label: str = "",
                 prepared: Prepared | None = None, projector: bool = False, vocab: Vocabulary | None = None,
                 fields: Fields | None = None) -> None:
        super().__init__()
        self._name = "PlacesLayer"
        self.count = len(df)
        # Not prepared, or rows from elsewhere (a test, the standalone map):
        if prepared is None or (positions := prepared.positions(df)) is None:
            prepared, positions = Prepared(df, vocab, fields), np.arange(len(df))
        self._spec = prepared.spec(positions, selected, source_label, projector)
        self._json = script_json(self._spec)  # once: streamlit-folium may render the group twice

    def spec(self) -> dict:
        return self._spec

    def spec_json(self) -> str:
        return self._json
