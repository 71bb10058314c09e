"""Small folium elements of our own: the places layer, a blank base layer, the legend."""

from __future__ import annotations

import html
import json
import math
import re

import pandas as pd
from branca.element import CssLink, Element, JavascriptLink, MacroElement
from folium.elements import JSCSSMixin
from folium.map import Layer
from jinja2 import Template

from .assets import cluster_css, cluster_js
from .places import NOT_GIVEN, STATUSES, TYPES

# Okabe–Ito colours: distinguishable with the common colour-vision deficiencies.
TYPE_COLORS: dict[str, str] = {"cantine": "#0072B2", "lieu_associe": "#E69F00", "autre": "#CC79A7"}
STATUS_ORDER: tuple[str, ...] = (*STATUSES, "")
TYPE_ORDER: tuple[str, ...] = tuple(TYPES)
# Above this many places, markers are clustered so the France-wide view stays readable.
CLUSTER_THRESHOLD = 20_000
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


def _column(values: pd.Series) -> dict:
    # A column of many repeats (city, region, a shared quote) is sent as keys + indexes;
    # a column of mostly distinct strings (names) as a plain list.
    texts = _text(values)
    keys = list(dict.fromkeys(texts))
    if len(keys) * 2 > len(texts):
        return {"v": texts}
    where = {k: i for i, k in enumerate(keys)}
    return {"k": keys, "i": [where[t] for t in texts]}


def places_payload(df: pd.DataFrame, selected: str = "", source_label: str = "") -> dict:
    """Compact, HTML-escaped column arrays for the places layer."""
    full = len(df) <= FULL_POPUP_MAX
    data = df.assign(opened=df["opened"].astype("string"))
    chosen = (df["id"] == selected).to_numpy().nonzero()[0] if selected else []
    return {
        "lat": df["lat"].round(5).tolist(),
        "lon": df["lon"].round(5).tolist(),
        "t": df["type"].map({t: i for i, t in enumerate(TYPE_ORDER)}).fillna(0).astype(int).tolist(),
        "s": df["status"].map({s: i for i, s in enumerate(STATUS_ORDER)}).fillna(2).astype(int).tolist(),
        "cols": {c: _column(data[c]) for c in SHORT_FIELDS + (LONG_FIELDS if full else ())},
        "full": full,
        "colors": [TYPE_COLORS[t] for t in TYPE_ORDER],
        "typeLabels": [html.escape(TYPES[t]) for t in TYPE_ORDER],
        "statusLabels": [html.escape(STATUSES.get(s, "Statut " + NOT_GIVEN)) for s in STATUS_ORDER],
        "fields": [[c, html.escape(label)] for c, label in POPUP_FIELDS if full or c not in LONG_FIELDS],
        "notGiven": NOT_GIVEN,
        "sourceLabel": html.escape(source_label),
        "selected": int(chosen[0]) if len(chosen) else -1,
        "cluster": len(df) > CLUSTER_THRESHOLD,
        "radius": 7 if len(df) < 2_000 else 4,
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
  var P = {{ this.payload_json }};
  var group = {{ this._parent.get_name() }}, target = group;
  function get(col, i) { var c = P.cols[col]; return c.i ? c.k[c.i[i]] : c.v[i]; }
  if (P.cluster && L.markerClusterGroup) {
    target = L.markerClusterGroup({chunkedLoading: true, disableClusteringAtZoom: 12,
      showCoverageOnHover: false, spiderfyOnMaxZoom: false});
    group.addLayer(target);
  }
  // Markers are drawn in the marker pane so that filled region layers never cover them.
  var renderer = L.canvas({padding: 0.5, pane: 'markerPane'});
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
  var markers = [];
  for (var i = 0; i < P.lat.length; i++) {
    var t = P.t[i], st = P.s[i];
    var m = L.circleMarker([P.lat[i], P.lon[i]], {renderer: renderer, radius: P.radius,
      color: P.colors[t], weight: 2, fillColor: P.colors[t],
      fillOpacity: st === 0 ? 0.85 : (st === 1 ? 0.0 : 0.35), dashArray: st === 1 ? '3 3' : null});
    m.bindTooltip(get('name', i));
    m.bindPopup(popup.bind(null, i), {maxWidth: 360});
    markers.push(m);
  }
  var chosen = P.selected >= 0 ? markers[P.selected] : null;
  if (target.addLayers) { target.addLayers(markers); } else { markers.forEach(function (m) { target.addLayer(m); }); }
  // Places located at the same point (often a city centre) are fanned out around it, in pixels,
  // so that none hides another at any zoom.
  var stacks = {}, spread = [];
  markers.forEach(function (m, i) {
    var key = P.lat[i] + ',' + P.lon[i];
    (stacks[key] = stacks[key] || []).push(m);
  });
  Object.keys(stacks).forEach(function (k) { if (stacks[k].length > 1) { spread.push(stacks[k]); } });
  if (spread.length && !P.cluster && spread.length < 5000) {
    var fan = function () {
      var map = group._map; if (!map) { return; }
      spread.forEach(function (stack) {
        var centre = map.project(stack[0].options.home), n = stack.length;
        stack.forEach(function (m, j) {
          var r = P.radius * (n > 8 ? 2.2 + j / 4 : 1.8), a = 2 * Math.PI * j / Math.min(n, 8) + (n > 8 ? j / 3 : 0);
          m.setLatLng(map.unproject(centre.add([r * Math.cos(a), r * Math.sin(a)])));
        });
      });
    };
    spread.forEach(function (stack) { stack.forEach(function (m) { m.options.home = m.getLatLng(); }); });
    group.once('add', function () {
      var map = group._map; fan(); map.on('zoomend', fan);
      group.once('remove', function () { map.off('zoomend', fan); });
    });
  }
  if (chosen) {
    // The group is added to the map after this script runs: open the popup once it is there.
    setTimeout(function () {
      if (target.zoomToShowLayer) { target.zoomToShowLayer(chosen, function () { chosen.openPopup(); }); }
      else if (chosen._map) { chosen.openPopup(); }
    }, 300);
  }
})();
{% endmacro %}
""")

    default_js: list = []
    default_css: list = []

    def __init__(self, df: pd.DataFrame, selected: str = "", source_label: str = "") -> None:
        super().__init__()
        self._name = "PlacesLayer"
        self.count = len(df)
        self.payload_json = safe_json(places_payload(df, selected, source_label))
        if len(df) > CLUSTER_THRESHOLD:
            # Only then do we pay for the plugin's bytes.
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


class BlankBase(Layer):
    """An empty base layer: the choice « Aucun fond (hors ligne) » in the layer control."""

    _template = Template("""
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = L.layerGroup();
{% endmacro %}
""")

    def __init__(self, name: str, show: bool = False) -> None:
        super().__init__(name=name, overlay=False, control=True, show=show)
        self._name = "BlankBase"


class Legend(MacroElement):
    """Legend, attribution and popup styles, as a Leaflet control (no external CSS)."""

    _template = Template("""
{% macro header(this, kwargs) %}
<style>
.rc-legend {background: rgba(255,255,255,.92); padding: 8px 10px; border-radius: 6px;
  font: 13px/1.5 system-ui, sans-serif; box-shadow: 0 1px 4px rgba(0,0,0,.3); color: #222;}
.rc-legend b {margin-bottom: 2px;}
.rc-dot {display: inline-block; width: 12px; height: 12px; border-radius: 50%;
  border: 2px solid; margin-right: 6px; vertical-align: -2px; box-sizing: border-box;}
.rc-popup {font: 14px/1.4 system-ui, sans-serif; color: #222;}
.rc-popup h4 {margin: 0 0 4px; font-size: 16px;}
.rc-popup table {border-collapse: collapse; margin: 4px 0;}
.rc-popup th {text-align: left; font-weight: 600; padding: 1px 8px 1px 0; vertical-align: top;}
.rc-popup blockquote {margin: 6px 0; padding-left: 8px; border-left: 3px solid #bbb;
  font-style: italic; color: #444; max-height: 9em; overflow: auto;}
.rc-badge {color: #fff; border-radius: 4px; padding: 0 6px; font-size: 12px;}
.rc-note {color: #666; font-size: 12px; margin: 2px 0;}
.leaflet-container {background: #c9dcea;}
.rc-caption {background: rgba(255, 248, 230, .96); border-left: 10px solid #E69F00; border-radius: 8px;
  padding: 12px 18px; font: 22px/1.35 system-ui, sans-serif; color: #1b1b1b; max-width: 44vw;
  box-shadow: 0 2px 10px rgba(0,0,0,.35);}
.rc-caption .n {font-size: 30px; font-weight: 800;}
.rc-caption blockquote {font-style: italic; margin: 6px 0 0 0; font-size: 18px; color: #333;}
</style>
{% endmacro %}
{% macro script(this, kwargs) %}
(function () {
  var map = {{ this._parent.get_name() }};
  var legend = L.control({position: 'bottomright'});
  legend.onAdd = function () {
    var div = L.DomUtil.create('div', 'rc-legend');
    div.innerHTML = {{ this.html_json }};
    return div;
  };
  legend.addTo(map);
  map.attributionControl.setPrefix({{ this.attribution_json }});
  function landFill(blank) {
    {% if this.outline_name %}
    // Without tiles the land must stand out from the sea: fill the outlines more.
    {{ this.outline_name }}.setStyle({fillOpacity: blank ? 0.95 : 0.25});
    {% endif %}
  }
  map.on('baselayerchange', function (e) { landFill(e.name === {{ this.blank_json }}); });
  {% if this.blank_name %}
  // No internet (a launch evening with bad wifi): when tiles fail before any has loaded,
  // switch to the blank base by itself so that the map stays readable without a click.
  map.eachLayer(function (layer) {
    if (!(layer instanceof L.TileLayer)) { return; }
    var loaded = false, failed = 0;
    layer.on('tileload', function () { loaded = true; });
    layer.on('tileerror', function () {
      failed += 1;
      if (!loaded && failed >= 4 && map.hasLayer(layer)) {
        map.removeLayer(layer);
        map.addLayer({{ this.blank_name }});
        landFill(true);
        map.attributionControl.addAttribution('Fond en ligne indisponible : régions seules');
      }
    });
  });
  {% endif %}
})();
{% endmacro %}
""")

    def __init__(self, attribution: str, outline_name: str = "", blank: BlankBase | None = None) -> None:
        super().__init__()
        self._name = "Legend"
        self.outline_name = outline_name
        self.blank_name = blank.get_name() if blank else ""
        self.blank_json = json.dumps(blank.layer_name if blank else "", ensure_ascii=False)
        lines = ["<b>Légende</b>"]
        for t in TYPE_ORDER:
            color = TYPE_COLORS[t]
            lines.append(f'<span class="rc-dot" style="background:{color};border-color:{color}">'
                         f"</span>{html.escape(TYPES[t])}")
        lines.append('<span class="rc-dot" style="background:#777;border-color:#777"></span>Ouvert')
        lines.append('<span class="rc-dot" style="background:transparent;border:2px dashed #777">'
                     "</span>En projet")
        self.html_json = safe_json("<br>".join(lines))
        self.attribution_json = safe_json(attribution)


class OverlayLegend(MacroElement):
    """A small legend (or caption) control that comes and goes with the layer it belongs to."""

    _template = Template("""
{% macro script(this, kwargs) %}
(function () {
  var group = {{ this._parent.get_name() }};
  var control = L.control({position: {{ this.position_json }}});
  control.onAdd = function () {
    var div = L.DomUtil.create('div', {{ this.css_json }});
    div.innerHTML = {{ this.html_json }};
    return div;
  };
  group.on('add', function () { control.addTo(group._map); });
  group.on('remove', function () { control.remove(); });
})();
{% endmacro %}
""")

    def __init__(self, title: str, items: list[tuple[str, str]], position: str = "bottomleft",
                 css_class: str = "rc-legend", raw_html: str = "") -> None:
        super().__init__()
        self._name = "OverlayLegend"
        lines = [f"<b>{html.escape(title)}</b>"] + [
            f'<span class="rc-dot" style="background:{color};border-color:#555;border-radius:2px">'
            f"</span>{html.escape(label)}" for color, label in items]
        # raw_html is for callers that escaped their own strings (the presentation caption).
        self.html_json = safe_json(raw_html or "<br>".join(lines))
        self.position_json = json.dumps(position)
        self.css_json = json.dumps(css_class)


class FlyTo(MacroElement):
    """Turn the view changes the page sends (st_folium's setView) into smooth flights."""

    _template = Template("""
{% macro script(this, kwargs) %}
(function () {
  var map = {{ this._parent.get_name() }}, setView = map.setView;
  map.setView = function (center, zoom, options) {
    if (!map._loaded || (options && options.animate === false)) { return setView.call(map, center, zoom, options); }
    return map.flyTo(center, zoom, {duration: {{ this.seconds }}});
  };
})();
{% endmacro %}
""")

    def __init__(self, seconds: float = 2.0) -> None:
        super().__init__()
        self._name = "FlyTo"
        self.seconds = seconds
