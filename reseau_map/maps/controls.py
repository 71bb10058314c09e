"""Map controls of our own: French Leaflet controls, one shared canvas, the legend, overlay legends, smooth flights."""

from __future__ import annotations

import html
import json

from branca.element import MacroElement
from folium.map import Layer
from jinja2 import Template

from reseau_map.files.vocabulary import Vocabulary, neutral_vocabulary
from reseau_map.maps.layers import safe_json

# The legend's dot for the first and the second status of the vocabulary, as places.js draws them.
STATUS_DOTS: tuple[str, ...] = ("background:#777;border-color:#777", "background:transparent;border:2px dashed #777")


class Legend(MacroElement):
    """Legend, attribution and popup styles, as a Leaflet control (no external CSS)."""

    _template = Template("""
{% macro header(this, kwargs) %}
<style>
.rc-legend {background: rgba(255,255,255,.92); padding: 6px 10px; border-radius: 6px;
  font: 13px/1.35 system-ui, sans-serif; box-shadow: 0 1px 4px rgba(0,0,0,.3); color: #222;}
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
.leaflet-container {background: #c6dbe9;}
/* Phones: the layer list folds into Leaflet's own button (tap to open), the credits shrink. */
@media (max-width: 600px) {
  .leaflet-control-layers-expanded .leaflet-control-layers-list {display: none;}
  .leaflet-control-layers-expanded .leaflet-control-layers-toggle {display: block;}
  .leaflet-control-layers:hover .leaflet-control-layers-list,
  .leaflet-control-layers:focus-within .leaflet-control-layers-list {display: block;}
  .leaflet-control-layers:hover .leaflet-control-layers-toggle {display: none;}
  .leaflet-control-attribution {font-size: 9px; line-height: 1.25;}
  .rc-legend {font-size: 11px; padding: 4px 6px;}
}
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
  // Wide maps: bottom right (fits leave room for it); phones: bottom left, the Atlantic and Spain
  // at France zoom, where no place hides under it.
  var legend = L.control({position: map.getSize().x < 600 ? 'bottomleft' : 'bottomright'});
  legend.onAdd = function () {
    var div = L.DomUtil.create('div', 'rc-legend');
    div.innerHTML = {{ this.html_json }};
    return div;
  };
  legend.addTo(map);
  map.attributionControl.setPrefix({{ this.attribution_json }});
  {% if this.fallback_name %}
  // No internet (a launch evening with bad wifi): when a tile base fails before any tile has
  // loaded, switch back to the offline atlas by itself so that the map stays readable.
  function watch(layer) {
    if (!(layer instanceof L.TileLayer) || layer.rcWatched) { return; }
    var loaded = false, failed = 0;
    layer.rcWatched = true;
    layer.on('tileload', function () { loaded = true; });
    layer.on('tileerror', function () {
      failed += 1;
      if (!loaded && failed >= 4 && map.hasLayer(layer)) {
        map.removeLayer(layer);
        map.addLayer({{ this.fallback_name }});
        map.attributionControl.addAttribution('Fond en ligne indisponible : atlas hors ligne');
      }
    });
  }
  map.eachLayer(watch);
  map.on('layeradd', function (e) { watch(e.layer); });
  {% endif %}
})();
{% endmacro %}
""")

    def __init__(self, attribution: str, fallback: Layer | None = None, vocab: Vocabulary | None = None) -> None:
        super().__init__()
        self._name = "Legend"
        self.fallback_name = fallback.get_name() if fallback else ""
        vocab = vocab or neutral_vocabulary()
        lines = ["<b>Légende</b>"]
        for kind in vocab.types:
            color = kind.colour
            lines.append(f'<span class="rc-dot" style="background:{color};border-color:{color}">'
                         f"</span>{html.escape(kind.label)}")
        # places.js draws the first status as a full disc and the second as a dashed ring.
        for dot, status in zip(STATUS_DOTS, vocab.statuses, strict=False):
            lines.append(f'<span class="rc-dot" style="{dot}"></span>{html.escape(status.label)}')
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


FIT_MARK = "/*rc-fit*/"


def decode_fit(script: str) -> list[list[float]] | None:
    """The bounds a rendered map script asks the browser to fit, or None."""
    start = script.find(FIT_MARK)
    return None if start < 0 else json.JSONDecoder().raw_decode(script, start + len(FIT_MARK))[0]


class FitBounds(MacroElement):
    """Fit the map to bounds once per key, in the browser, which knows the map's real size."""

    _template = Template("""
{% macro script(this, kwargs) %}
(function () {
  var group = {{ this._parent.get_name() }}, bounds = /*rc-fit*/{{ this.bounds_json }}, key = {{ this.key_json }};
  function fit(force) {
    var map = group._map;
    if (!map || (!force && window.__rcFitKey === key)) { return; }
    window.__rcFitKey = key;
    // Room for the legend in the bottom right corner of a wide map (controls.Legend).
    var right = map.getSize().x >= 600 ? 150 : 24;
    map.fitBounds(bounds, {maxZoom: {{ this.max_zoom }}, paddingTopLeft: [24, 24], paddingBottomRight: [right, 24]});
  }
  function settle() {
    var map = group._map, started = Date.now();
    fit(false);
    // The frame often gets its real width just after the first draw: fit again while the map
    // settles ({{ this.settle_ms }} ms), unless the visitor has moved it meanwhile.
    var moved = false, always = {{ 'true' if this.on_resize else 'false' }};
    map.once('dragstart', function () { moved = true; });
    L.DomEvent.on(map.getContainer(), 'wheel touchstart', function () { moved = true; });
    map.on('resize', function () {
      var settling = !moved && Date.now() - started < {{ this.settle_ms }} && window.__rcFitKey === key;
      if (always || settling) { fit(true); }
    });
  }
  if (group._map) { settle(); } else { group.once('add', settle); }
})();
{% endmacro %}
""")

    def __init__(self, bounds: list[list[float]], key: str, max_zoom: int = 11, on_resize: bool = False) -> None:
        super().__init__()
        self._name = "FitBounds"
        self.bounds_json = json.dumps([[round(v, 5) for v in corner] for corner in bounds])
        self.key_json = safe_json(key)
        self.max_zoom = int(max_zoom)
        self.on_resize = on_resize
        self.settle_ms = 3000


class FrenchControls(MacroElement):
    """Leaflet's own controls in French: zoom buttons, a metric scale, the container's language."""

    _template = Template("""
{% macro script(this, kwargs) %}
(function () {
  var map = {{ this._parent.get_name() }};
  map.getContainer().setAttribute('lang', 'fr');
  if (map.zoomControl) { map.removeControl(map.zoomControl); }
  map.zoomControl = L.control.zoom({zoomInTitle: 'Zoom avant', zoomOutTitle: 'Zoom arrière'}).addTo(map);
  L.control.scale({imperial: false, metric: true}).addTo(map);
})();
{% endmacro %}
""")

    def __init__(self) -> None:
        super().__init__()
        self._name = "FrenchControls"


HIT_PANE = "markerPane"
CLUSTER_PANE = "rcClusterPane"
CLUSTER_PANE_Z = 640  # above the names (atlas.LABEL_PANE_Z), below tooltips (650) and popups (700)


class SharedCanvas(MacroElement):
    """One canvas for every interactive vector layer, so that all of them get their events.

    The places layer draws its markers on a canvas in the marker pane, above every other pane:
    that canvas takes every mouse event and Leaflet forwards none to the layers below, so a
    choropleth or route tooltip under it never shows. Leaflet hit-tests all the paths of one
    canvas renderer together (the topmost path under the mouse wins), so the map creates that
    canvas first and hands it to the places layer (its L.canvas call for the marker pane) and to
    every layer whose ``pane`` is HIT_PANE (the choropleth, the route): drawn first, they stay
    under the places and still get the mouse where no place is.
    """

    _template = Template("""
{% macro script(this, kwargs) %}
(function () {
  var map = {{ this._parent.get_name() }};
  var hit = L.canvas({padding: 0.5, pane: {{ this.pane_json }}});
  map._paneRenderers = map._paneRenderers || {};
  map._paneRenderers[{{ this.pane_json }}] = hit;
  L.rcHitCanvas = hit;  // the places layer draws on it too
  // Cluster counts above the place names (which sit above the marker pane to stay readable on a
  // choropleth): a count under a town's name cannot be read.
  map.createPane({{ this.cluster_pane_json }}).style.zIndex = {{ this.cluster_z }};
  L.rcClusterPane = {{ this.cluster_pane_json }};
})();
{% endmacro %}
""")

    def __init__(self, pane: str = HIT_PANE) -> None:
        super().__init__()
        self._name = "SharedCanvas"
        self.pane_json = json.dumps(pane)
        self.cluster_pane_json = json.dumps(CLUSTER_PANE)
        self.cluster_z = CLUSTER_PANE_Z
