"""The places layer: every place as a circle marker on one canvas, from one compact payload."""

from __future__ import annotations

import hashlib
import html
import json
import math
import re
from collections import OrderedDict

import numpy as np
import pandas as pd
from branca.element import CssLink, Element, JavascriptLink, MacroElement
from folium.elements import JSCSSMixin
from jinja2 import Template

from reseau_map.files.places import NOT_GIVEN, STATUSES, TYPES
from reseau_map.maps.assets import cluster_css, cluster_js

# Okabe–Ito colours: distinguishable with the common colour-vision deficiencies.
# Okabe–Ito blue, a darker orange and a darker purple: each ≥ 3:1 against the atlas land (WCAG 2.2
# non-text contrast) and ≥ 4.5:1 under the popup badge's white text; told apart by hue and legend.
TYPE_COLORS: dict[str, str] = {"cantine": "#0072B2", "lieu_associe": "#B35C00", "autre": "#AA4499"}
STATUS_ORDER: tuple[str, ...] = (*STATUSES, "")
TYPE_ORDER: tuple[str, ...] = tuple(TYPES)
# Markers closer than this on screen join a cluster (MarkerCluster's default is 80 px).
CLUSTER_RADIUS_PX = 40
# What the places layer writes in streamlit-folium's returned tooltip when a place is clicked.
CLICK_PREFIX = "rc-place:"
MEMO_SIZE = 16  # payloads kept per catalogue (recent filters; reruns that change nothing)
POPUP_FIELDS: tuple[tuple[str, str], ...] = (
    ("city", "Ville"), ("region", "Région"), ("opened", "Ouverture"), ("website", "Site web"),
)


# With more places than this, popups leave out the long fields (website, description, source):
# the details panel under the map shows them when a place is clicked. It keeps the bytes sent
# for 10,000 places near 1 MB.
FULL_POPUP_MAX = 2_000
SHORT_FIELDS: tuple[str, ...] = ("name", "city", "region", "opened", "precision")
LONG_FIELDS: tuple[str, ...] = ("website", "description", "source")
JINJA_OPENERS = re.compile(r"\{(?=[{%#])")


def safe_json(value: object) -> str:
    """JSON for a template: ``{{``, ``{%`` and ``{#`` never reach Jinja from the data."""
    # In JSON these pairs can only occur inside strings, where "\u007b" means the same "{".
    return JINJA_OPENERS.sub(r"\\u007b", json.dumps(value, ensure_ascii=False, separators=(",", ":")))


def _text(values: pd.Series) -> list[str]:
    return ["" if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)) else
            html.escape(str(v), quote=True) for v in values]


PAYLOAD_MARK = "/*rc-places*/"


def decode_payload(script: str) -> list[dict]:
    """The places payloads carried by a rendered map script (the inverse of the layer's encoding)."""
    decoder = json.JSONDecoder()
    found, start = [], script.find(PAYLOAD_MARK)
    while start >= 0:
        payload, end = decoder.raw_decode(script, start + len(PAYLOAD_MARK))
        found.append(payload)
        start = script.find(PAYLOAD_MARK, end)
    return found


def payload_column(payload: dict, column: str) -> list[str]:
    """One text column of a payload, one value per place, as the popups show it (escaped)."""
    values = payload["cols"][column]
    return list(values["v"]) if "v" in values else [values["k"][i] for i in values["i"]]


def clicked_id(value: object) -> str | None:
    """The id of the place a click reported (st_folium's returned tooltip), or None."""
    text = value.get("last_object_clicked_tooltip") if isinstance(value, dict) else value
    if not isinstance(text, str) or not text.startswith(CLICK_PREFIX):
        return None
    _count, sep, place_id = text[len(CLICK_PREFIX):].partition(":")
    return place_id if sep and place_id else None


class Prepared:
    """What the payload needs of every place, computed once per catalogue: a filter only picks rows.

    Escaping every name, city and quote on each rerun was a quarter of a rerun at 50,000 places.
    """

    def __init__(self, df: pd.DataFrame) -> None:
        data = df.assign(opened=df["opened"].astype("string"))
        self.index = df.index
        self.lat = df["lat"].round(5).to_numpy(float)
        self.lon = df["lon"].round(5).to_numpy(float)
        self.t = df["type"].map({t: i for i, t in enumerate(TYPE_ORDER)}).fillna(0).astype(int).to_numpy()
        self.s = df["status"].map({s: i for i, s in enumerate(STATUS_ORDER)}).fillna(2).astype(int).to_numpy()
        self.ids = df["id"].astype(str).to_numpy(object)
        self.text = {c: np.array(_text(data[c]), dtype=object) for c in SHORT_FIELDS + LONG_FIELDS}
        self._memo: OrderedDict[tuple, str] = OrderedDict()

    def positions(self, shown: pd.DataFrame) -> np.ndarray | None:
        """Where the shown rows sit in the catalogue, or None if some are not from it."""
        found = self.index.get_indexer(shown.index) if self.index.is_unique else np.array([-1])
        return None if (found < 0).any() else found

    def payload_json(self, positions: np.ndarray, selected: str, source_label: str, projector: bool = False) -> str:
        """The layer's JSON for these rows, memoised: a rerun that changes nothing rebuilds nothing."""
        key = (hashlib.blake2b(positions.tobytes(), digest_size=16).digest(), selected, source_label, projector)
        if key not in self._memo:
            self._memo[key] = safe_json(self.payload(positions, selected, source_label, projector))
            if len(self._memo) > MEMO_SIZE:
                self._memo.popitem(last=False)
        self._memo.move_to_end(key)
        return self._memo[key]

    def payload(self, positions: np.ndarray, selected: str = "", source_label: str = "",
                projector: bool = False) -> dict:
        """The payload of the places at these positions."""
        full = len(positions) <= FULL_POPUP_MAX
        ids = self.ids[positions]
        chosen = (ids == selected).nonzero()[0] if selected else []
        return _payload(self.lat[positions].tolist(), self.lon[positions].tolist(), self.t[positions].tolist(),
                        self.s[positions].tolist(),
                        {c: _encoded(self.text[c][positions]) for c in SHORT_FIELDS + (LONG_FIELDS if full else ())},
                        full, ids.tolist(), int(chosen[0]) if len(chosen) else -1, source_label, projector)


def _encoded(texts: np.ndarray) -> dict:
    # A column of many repeats (city, region, a shared quote) is sent as keys + indexes;
    # a column of mostly distinct strings (names) as a plain list.
    codes, keys = pd.factorize(texts)
    if len(keys) * 2 > len(texts):
        return {"v": texts.tolist()}
    return {"k": keys.tolist(), "i": codes.tolist()}


def places_payload(df: pd.DataFrame, selected: str = "", source_label: str = "") -> dict:
    """Compact, HTML-escaped column arrays for the places layer."""
    return Prepared(df).payload(np.arange(len(df)), selected, source_label)


def _payload(lat: list, lon: list, t: list, s: list, cols: dict, full: bool, ids: list, selected: int,
             source_label: str, projector: bool = False) -> dict:
    return {
        "lat": lat,
        "lon": lon,
        "t": t,
        "s": s,
        "cols": cols,
        "full": full,
        "colors": [TYPE_COLORS[t] for t in TYPE_ORDER],
        "typeLabels": [html.escape(TYPES[t]) for t in TYPE_ORDER],
        "statusLabels": [html.escape(STATUSES.get(s, "Statut " + NOT_GIVEN)) for s in STATUS_ORDER],
        "fields": [[c, html.escape(label)] for c, label in POPUP_FIELDS if full or c not in LONG_FIELDS],
        "notGiven": NOT_GIVEN,
        "sourceLabel": html.escape(source_label),
        "selected": selected,
        "clusterRadius": CLUSTER_RADIUS_PX,
        "ids": ids,
        "clickPrefix": CLICK_PREFIX,
        "radius": 7 if len(lat) < 2_000 else 4,
        "projector": projector,
    }


class _RawScript(Element):
    """Script text added to a figure as it is, never parsed again as a template."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def render(self, **kwargs) -> str:
        return self.text


class PlacesLayer(JSCSSMixin, MacroElement):
    """Every place as a circle marker on one canvas renderer (clustered when very many)."""

    _template = Template("""
{% macro script(this, kwargs) %}
(function () {
  var P = /*rc-places*/{{ this.payload_json }};
  var group = {{ this._parent.get_name() }}, target = group;
  function get(col, i) { var c = P.cols[col]; return c.i ? c.k[c.i[i]] : c.v[i]; }
  // Places close together on screen form a cluster with its count, whatever the total: it
  // splits as one zooms in, and places at one same point spread out (spiderfy) on click.
  target = L.markerClusterGroup({chunkedLoading: true, maxClusterRadius: P.clusterRadius,
    clusterPane: L.rcClusterPane || 'markerPane',
    showCoverageOnHover: false, spiderfyOnMaxZoom: true, spiderfyDistanceMultiplier: 1.6});
  group.addLayer(target);
  // Markers are drawn in the marker pane so that filled region layers never cover them.
  // The map's shared canvas (controls.SharedCanvas): tooltips of layers under the places still work.
  var renderer = L.rcHitCanvas || L.canvas({padding: 0.5, pane: 'markerPane'});
  function row(label, value, col) {
    if (!value) { value = '<em>' + P.notGiven + '</em>'; }
    else if (col === 'website') { value = '<a href="' + value + '" target="_blank" rel="noopener">' + value + '</a>'; }
    return '<tr><th>' + label + '</th><td>' + value + '</td></tr>';
  }
  function popup(i) {
    var t = P.t[i], h = '<div class="rc-popup"><h4>' + get('name', i) + '</h4>';
    h += '<p><span class="rc-badge" style="background:' + P.colors[t] + '">' + P.typeLabels[t] +
      '</span> ' + P.statusLabels[P.s[i]] + '</p><table>';
    P.fields.forEach(function (f) { h += row(f[1], get(f[0], i), f[0]); });
    h += '</table>';
    if (P.full && get('description', i)) { h += '<p>' + get('description', i) + '</p>'; }
    if (get('precision', i) === 'ville') { h += '<p class="rc-note">Position : centre de la ville.</p>'; }
    if (P.full && get('source', i)) {
      h += '<blockquote>' + get('source', i) + '</blockquote><p class="rc-note">' + P.sourceLabel + '</p>';
    }
    if (!P.full) { h += '<p class="rc-note">Fiche complète et source : sous la carte.</p>'; }
    return h + '</div>';
  }
  // On a projector the markers grow with the screen (≥ 14 px across at 1080p, read from the back).
  var radius = P.projector ? Math.max(P.radius, Math.round(P.radius * window.innerHeight / 540)) : P.radius;
  var markers = [];
  for (var i = 0; i < P.lat.length; i++) {
    var t = P.t[i], st = P.s[i];
    var m = L.circleMarker([P.lat[i], P.lon[i]], {renderer: renderer, radius: radius,
      color: P.colors[t], weight: 2, fillColor: P.colors[t],
      fillOpacity: st === 0 ? 0.85 : (st === 1 ? 0.0 : 0.35), dashArray: st === 1 ? '3 3' : null});
    m.bindTooltip(get('name', i));
    m.bindPopup(popup.bind(null, i), {maxWidth: 360});
    m.on('click', report.bind(null, i));
    markers.push(m);
  }
  // The page learns which place was clicked by its id, never by its coordinates (a spiderfied
  // marker is drawn away from its place). streamlit-folium sends what it keeps in
  // __GLOBAL_DATA__ once its own click handler has run: we overwrite the tooltip field after it,
  // with a counter so that clicking the same place again is still news.
  function report(i) {
    var g = window.__GLOBAL_DATA__;
    if (!g) { return; }
    window.__rcClicks = (window.__rcClicks || 0) + 1;
    var value = P.clickPrefix + window.__rcClicks + ':' + P.ids[i];
    setTimeout(function () {
      g.last_object_clicked_tooltip = value;
      if (window.map) { window.map.fire('moveend'); }
    }, 0);
  }
  var chosen = P.selected >= 0 ? markers[P.selected] : null;
  target.addLayers(markers);
  if (chosen) {
    // The group is added to the map after this script runs: open the popup once it is there.
    setTimeout(function () {
      target.zoomToShowLayer(chosen, function () { chosen.openPopup(); });
    }, 300);
  }
})();
{% endmacro %}
""")

    default_js: list = []
    default_css: list = []

    def __init__(self, df: pd.DataFrame, selected: str = "", source_label: str = "",
                 prepared: Prepared | None = None, projector: bool = False) -> None:
        super().__init__()
        self._name = "PlacesLayer"
        self.count = len(df)
        positions = prepared.positions(df) if prepared is not None else None
        if positions is None:  # rows from elsewhere (a test, the presentation's subset of a subset)
            prepared, positions = Prepared(df), np.arange(len(df))
        self.payload_json = prepared.payload_json(positions, selected, source_label, projector)
        self.default_js = cluster_js()
        self.default_css = cluster_css()

    def render(self, **kwargs) -> None:
        """As folium renders it, but the script (which holds the data) is added as raw text."""
        figure = self.get_root()
        for name, url in self.default_js:
            figure.header.add_child(JavascriptLink(url), name=name)
        for name, url in self.default_css:
            figure.header.add_child(CssLink(url), name=name)
        figure.script.add_child(_RawScript(self._template.module.script(self, kwargs)),
                                name=self.get_name())
