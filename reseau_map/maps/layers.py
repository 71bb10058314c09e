"""The places layer: every place as a circle marker on one canvas, from one compact payload."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import math
import re

import numpy as np
import pandas as pd
from branca.element import Element, MacroElement
from folium.elements import JSCSSMixin
from jinja2 import Template

from reseau_map.core.settings import STATIC_DIR
from reseau_map.files.places import NOT_GIVEN
from reseau_map.files.vocabulary import Vocabulary, neutral_vocabulary
from reseau_map.maps.assets import cluster_css, cluster_js, data_uri
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
JINJA_OPENERS = re.compile(r"\{(?=[{%#])")


def safe_json(value: object) -> str:
    """JSON for a template: ``{{``, ``{%`` and ``{#`` never reach Jinja from the data."""
    # In JSON these pairs can only occur inside strings, where "\u007b" means the same "{".
    return JINJA_OPENERS.sub(r"\\u007b", json.dumps(value, ensure_ascii=False, separators=(",", ":")))


def _text(values: pd.Series) -> list[str]:
    # Over a plain list: reading an Arrow column cell by cell was 15 % of a first load.
    return ["" if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)) else
            html.escape(str(v), quote=True) for v in values.tolist()]


SPEC_MARK = "/*rc-places*/"
DATA_MARK = "/*rc-data*/"
LIBRARY_FILE = STATIC_DIR / "places.js"
DATA_PREFIX = "places"  # served file names: places-<hash>.js and places-long-<hash>.js


def decode_payload(script: str, files: Served | None = None) -> list[dict]:
    """The places each places layer of a rendered script shows, as one payload per layer.

    The inverse of the layer's encoding, for tests and tools: the catalogue's data (inline, or
    the served file the spec names) cut down to the shown rows, long texts included when known.
    """
    decoder = json.JSONDecoder()
    inline: dict[str, dict] = {}
    start = script.find(DATA_MARK)
    while start >= 0:
        key, end = decoder.raw_decode(script, start + len(DATA_MARK))
        data, end = decoder.raw_decode(script, script.index("{", end))
        inline[key] = data
        start = script.find(DATA_MARK, end)
    found, start = [], script.find(SPEC_MARK)
    while start >= 0:
        spec, end = decoder.raw_decode(script, start + len(SPEC_MARK))
        data = inline.get(spec["key"]) or _served_data(spec.get("src"), files)
        long = data.get("long") or _served_data(spec.get("longSrc"), files)
        found.append(_shown_payload(data, long, spec))
        start = script.find(SPEC_MARK, end)
    return found


def _served_data(src: str | None, files: Served | None) -> dict:
    path = (files or served()).path_of(src) if src else None
    if path is None:
        return {}
    text = path.read_text(encoding="utf-8")
    return json.JSONDecoder().raw_decode(text, text.index("{", text.index("] =")))[0]


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
    return {"lat": [data["lat"][i] for i in picked], "lon": [data["lon"][i] for i in picked],
            "t": [data["t"][i] for i in picked], "s": [data["s"][i] for i in picked],
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


def data_script(key: str, data: dict) -> str:
    """A script that files data under a key in the frame's window.rcData (places.js reads it there)."""
    return f"window.rcData = window.rcData || {{}};\nwindow.rcData[{DATA_MARK}{safe_json(key)}] = {safe_json(data)};\n"


def content_key(text: str) -> str:
    """A short key naming some content (the same content, the same key)."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest()


class Prepared:
    """Every place of a catalogue as the map needs it, computed once: a filter only picks rows.

    The places themselves are sent to the browser once (a served file, or inline when there is
    no served folder); a filter change sends which rows are shown, a bit per place.
    """

    def __init__(self, df: pd.DataFrame, vocab: Vocabulary | None = None) -> None:
        vocab = vocab or neutral_vocabulary()
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
            **style(vocab),
        }
        self.long = {"cols": {c: _encoded(np.array(_text(data[c]), dtype=object)) for c in LONG_FIELDS}}
        body = safe_json(self.data) + safe_json(self.long)
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
        """What one rerun sends: which rows are shown (a bitset), the selected one, the source's label."""
        if len(positions) == self.count:
            sel = "*"
        else:
            mask = np.zeros(self.count, dtype=bool)
            mask[positions] = True
            sel = base64.b64encode(np.packbits(mask, bitorder="little").tobytes()).decode("ascii")
        chosen = (self.ids[positions] == selected).nonzero()[0] if selected else []
        return {"key": self.key, "src": self.src, "longSrc": self.long_src, "sel": sel,
                "selected": int(positions[chosen[0]]) if len(chosen) else -1,
                "label": html.escape(source_label), "projector": projector}

    def script(self, positions: np.ndarray, selected: str = "", source_label: str = "",
               projector: bool = False) -> str:
        """The layer's script: the data inline unless served, then the call that draws the shown rows."""
        spec = self.spec(positions, selected, source_label, projector)
        inline = ""
        if self.src is None:  # not served: the data travels with the script
            full = self.count <= FULL_POPUP_MAX
            inline = data_script(self.key, {**self.data, "long": self.long} if full else self.data)
        return f"{inline}L.rcPlaces({{{{group}}}}, {SPEC_MARK}{safe_json(spec)});"


def _encoded(texts: np.ndarray) -> dict:
    # A column of many repeats (city, region, a shared quote) is sent as keys + indexes;
    # a column of mostly distinct strings (names) as a plain list.
    codes, keys = pd.factorize(texts)
    if len(keys) * 2 > len(texts):
        return {"v": texts.tolist()}
    return {"k": keys.tolist(), "i": codes.tolist()}


def style(vocab: Vocabulary) -> dict:
    """How places.js draws and labels the places: per type (in order) and per status (then « not given »)."""
    return {
        "colors": [t.colour for t in vocab.types],
        "typeLabels": [html.escape(t.label) for t in vocab.types],
        "statusLabels": [html.escape(vocab.status_label(s)) for s in (*vocab.status_ids, "")],
        # [column, label, long]: long columns show once their file is loaded (or inline).
        "fields": [[c, html.escape(label), c in LONG_FIELDS] for c, label in POPUP_FIELDS],
        "notGiven": NOT_GIVEN,
        "clusterRadius": CLUSTER_RADIUS_PX,
        "clickPrefix": CLICK_PREFIX,
    }


def places_payload(df: pd.DataFrame, selected: str = "", source_label: str = "",
                   vocab: Vocabulary | None = None) -> dict:
    """What the map shows of these places (every one), decoded: for tests and tools."""
    prepared = Prepared(df, vocab)
    return decode_payload(prepared.script(np.arange(len(df)), selected, source_label))[0]


class RawScript(Element):
    """Script text added to a figure as it is, never parsed again as a template."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def render(self, **kwargs) -> str:
        return self.text


class PlacesLibrary(JSCSSMixin, MacroElement):
    """The places layer's code and MarkerCluster, on the base map (the page serves them as files)."""

    def __init__(self) -> None:
        super().__init__()
        self._name = "PlacesLibrary"
        self.default_js = [*cluster_js(), ("rc_places", data_uri(LIBRARY_FILE.read_bytes(), ".js"))]
        self.default_css = cluster_css()



class PlacesLayer(MacroElement):
    """Every place as a circle marker on one canvas, clustered by screen density (places.js draws them)."""

    def __init__(self, df: pd.DataFrame, selected: str = "", source_label: str = "",
                 prepared: Prepared | None = None, projector: bool = False, vocab: Vocabulary | None = None) -> None:
        super().__init__()
        self._name = "PlacesLayer"
        self.count = len(df)
        positions = prepared.positions(df) if prepared is not None else None
        if positions is None:  # rows from elsewhere (a test, the standalone map)
            prepared, positions = Prepared(df, vocab), np.arange(len(df))
        self.script = prepared.script(positions, selected, source_label, projector)

    # streamlit-folium renders a feature group's children through this macro.
    _template = Template("{% macro script(this, kwargs) %}{{ this.script_for(this._parent) }}{% endmacro %}")

    def script_for(self, parent: Element) -> str:
        """The layer's script, drawing into that parent group."""
        return self.script.replace("{{group}}", parent.get_name(), 1)

    def render(self, **kwargs) -> None:
        """The script (which may hold data) is added as raw text, never parsed as a template."""
        self.get_root().script.add_child(RawScript(self.script_for(self._parent)), name=self.get_name())
