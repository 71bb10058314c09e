"""The offline atlas basemap: sea, neighbouring countries, land, borders and place names.

Everything comes from data/basemap.json (built by `python -m tools.build.basemap`),
embedded in the map's script as it is (the page serves that part as a file of its own, see
component.externalise): no request leaves the machine. Colours are chosen for WCAG 2.2 AA
(see tests/test_atlas_layer.py).
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

from folium.elements import ElementAddToElement
from folium.map import Layer
from jinja2 import Template

from reseau_map.core.settings import DATA_DIR
from reseau_map.maps.layers import RawScript, safe_json

BASEMAP_FILE: Path = DATA_DIR / "basemap.json"
ATLAS_NAME = "Atlas hors ligne"
REGIONS_2012_NAME = "Régions de 2012"
ATLAS_CREDIT = ("IGN Admin Express COG 2018 (Licence Ouverte) | Communes : INSEE COG 2026 | "
                "Natural Earth (domaine public)")
# Colours: the sea behind everything, grey neighbours, light land; dark enough borders and
# names to read on it (label text ≥ 4.5:1, region borders ≥ 3:1 against LAND).
SEA = "#c6dbe9"
NEIGHBOUR = "#e1e1dd"
NEIGHBOUR_EDGE = "#b9b9b3"
LAND = "#fbfaf5"
COAST = "#5f7f99"
REGION_EDGE = "#6e6e6e"
DEPARTEMENT_EDGE = "#8f8a80"
REGION_2012_EDGE = "#7a4f9a"
LABEL = "#2b2b2b"
LABEL_HALO = "#ffffff"
DEPARTEMENT_ZOOM = 7  # départements' borders from this zoom on
ATLAS_PANE_Z = 250  # above the tiles (200), below the overlays (400)
# Names above everything drawn (the choropleth shares the places' canvas in the marker pane,
# 600, and would veil them), below tooltips (650) and popups (700); they never take the mouse.
LABEL_PANE_Z = 620
LABEL_FONTS = ("600 13px", "600 12px", "11px")  # regional capital, prefecture, other


@functools.cache
def basemap_json(path: Path = BASEMAP_FILE) -> str:
    """The basemap payload as JSON text for a script (read once, Jinja-safe)."""
    return safe_json(json.loads(path.read_text(encoding="utf-8")))


def atlas_css() -> str:
    """Styles of the place names (a dot, the name on a white halo)."""
    fonts = "".join(f".rc-lbl{i} {{font: {font} system-ui, sans-serif;}}\n" for i, font in enumerate(LABEL_FONTS))
    return (f".rc-lbl {{white-space: nowrap; color: {LABEL}; margin: -8px 0 0 -3px; padding-left: 11px;"
            f" line-height: 16px; text-shadow: 0 0 2px {LABEL_HALO}, 0 0 2px {LABEL_HALO}, 0 0 3px {LABEL_HALO};"
            " pointer-events: none;}\n"
            f".rc-lbl::before {{content: ''; position: absolute; left: 0; top: 5px; width: 5px; height: 5px;"
            f" border-radius: 50%; background: {LABEL};}}\n" + fonts)


class AtlasBase(Layer):
    """The base layer « Atlas hors ligne »: drawn from the embedded payload, labels redrawn on move."""

    _template = Template("""
{% macro header(this, kwargs) %}
<style>{{ this.css }}</style>
{% endmacro %}
{% macro script(this, kwargs) %}
/*rc-file:atlas*/window.rcAtlas = /*rc-atlas*/{{ this.payload_json }};
window.rcAtlasLayer = function (map, S) {
  var A = window.rcAtlas;
  function dec(s) {
    var out = [], lat = 0, lon = 0, i = 0, n = s.length;
    while (i < n) {
      var v = [0, 0];
      for (var k = 0; k < 2; k++) {
        var shift = 0, result = 0, b;
        do { b = s.charCodeAt(i++) - 63; result |= (b & 31) << shift; shift += 5; } while (b >= 32);
        v[k] = (result & 1) ? ~(result >> 1) : (result >> 1);
      }
      lat += v[0]; lon += v[1];
      out.push([lat / 1000, lon / 1000]);
    }
    return out;
  }
  function pane(name, z) {
    var p = map.getPane(name) || map.createPane(name);
    p.style.zIndex = z; p.style.pointerEvents = 'none';
    return name;
  }
  var shapes = L.svg({pane: pane('rcAtlas', S.atlasZ), padding: 0.5});
  pane('rcLabels', S.labelZ);
  var base = {renderer: shapes, pane: 'rcAtlas', interactive: false};
  function polys(rings, style) {
    return L.polygon(rings.map(function (r) { return [dec(r)]; }), L.extend({}, base, style));
  }
  var arcs = A.arcs.map(dec);
  function lines(test, style) {
    return L.polyline(arcs.filter(function (_a, i) { return test(+A.kinds[i]); }), L.extend({}, base, style));
  }
  var group = L.layerGroup([
    polys(A.neighbours, {color: S.neighbourEdge, weight: 1, fillColor: S.neighbour, fillOpacity: 1}),
    polys(A.land, {color: S.coast, weight: 1.2, fillColor: S.land, fillOpacity: 1}),
    lines(function (k) { return k & 1; }, {color: S.region, weight: 1.6, fill: false})
  ]);
  var deps = lines(function (k) { return !(k & 1); }, {color: S.departement, weight: 1, fill: false});
  var L_ = A.labels, names = L_.names.split('|'), points = dec(L_.points), ends = [], total = 0;
  L_.counts.forEach(function (c) { total += c; ends.push(total); });
  var labels = L.layerGroup().addTo(group), shown = {};
  function esc(t) { return t.replace(/&/g, '&amp;').replace(/</g, '&lt;'); }
  function draw() {
    if (!map.hasLayer(group)) { return; }
    var zoom = map.getZoom();
    if (zoom >= S.depZoom) { group.addLayer(deps); } else { group.removeLayer(deps); }
    var tier = Math.min(Math.floor((zoom - L_.z0) / L_.step + 1e-6), ends.length - 1);
    var end = tier < 0 ? 0 : ends[tier], view = map.getBounds().pad(0.25), keep = {}, i;
    for (i = 0; i < end; i++) { if (view.contains(points[i])) { keep[i] = true; } }
    for (i in shown) { if (!keep[i]) { labels.removeLayer(shown[i]); delete shown[i]; } }
    for (i in keep) {
      if (!shown[i]) {
        shown[i] = L.marker(points[i], {pane: 'rcLabels', interactive: false, keyboard: false,
          icon: L.divIcon({className: 'rc-lbl rc-lbl' + L_.ranks[i], html: esc(names[i]), iconSize: null})});
        labels.addLayer(shown[i]);
      }
    }
  }
  group.on('add', function () {
    map.on('zoomend moveend', draw);
    map.getContainer().style.background = S.sea;
    draw();
  });
  group.on('remove', function () { map.off('zoomend moveend', draw); });
  group.rcArcs = {arcs: arcs, kinds: A.kinds, base: base};
  return group;
};/*rc-end*/
var {{ this.get_name() }} = window.rcAtlasLayer({{ this._parent.get_name() }}, {{ this.style_json }});
{% endmacro %}
""")

    def render(self, **kwargs) -> None:
        """As folium renders a layer, but the output (which holds 240 KB of data) is added as raw
        text: folium parses each rendered script again as a template, 0.1 s for this one."""
        if self.show:  # what folium's Layer.render adds
            self.add_child(ElementAddToElement(element_name=self.get_name(),
                                               element_parent_name=self._parent.get_name()),
                           name=self.get_name() + "_add")
        figure = self.get_root()
        module = self._template.module
        figure.header.add_child(RawScript(module.header(self, kwargs)), name=self.get_name())
        figure.script.add_child(RawScript(module.script(self, kwargs)), name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)

    def __init__(self, name: str = ATLAS_NAME, show: bool = True, path: Path = BASEMAP_FILE) -> None:
        super().__init__(name=name, overlay=False, control=True, show=show)
        self._name = "AtlasBase"
        self.payload_json = basemap_json(path)
        self.css = atlas_css()
        self.style_json = json.dumps({
            "sea": SEA, "neighbour": NEIGHBOUR, "neighbourEdge": NEIGHBOUR_EDGE, "land": LAND, "coast": COAST,
            "region": REGION_EDGE, "departement": DEPARTEMENT_EDGE, "depZoom": DEPARTEMENT_ZOOM,
            "atlasZ": ATLAS_PANE_Z, "labelZ": LABEL_PANE_Z})


class Regions2012(Layer):
    """The overlay « Régions de 2012 »: the borders of the 22 regions of 2012, dashed."""

    _template = Template("""
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = (function () {
  var R = {{ this.atlas_name }}.rcArcs;
  return L.polyline(R.arcs.filter(function (_a, i) { return +R.kinds[i] & 2; }),
    L.extend({}, R.base, {color: {{ this.color_json }}, weight: 2.2, dashArray: '7 5', fill: false}));
})();
{% endmacro %}
""")

    def __init__(self, atlas: AtlasBase, name: str = REGIONS_2012_NAME, show: bool = False) -> None:
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "Regions2012"
        self.atlas_name = atlas.get_name()
        self.color_json = json.dumps(REGION_2012_EDGE)
