"""The offline atlas basemap: sea, neighbouring countries, land, borders and place names.

Everything comes from data/basemap.json (built by `python -m tools.build.basemap`); the code that
draws it is static/atlas.js, the names' styles static/atlas.css: no request leaves the machine.
The data travels in the layer's spec, or once as a file the page serves (library.ServedData).
Colours are chosen for WCAG 2.2 AA (see tests/maps/test_atlas_layer.py).
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

from folium.elements import ElementAddToElement
from folium.map import Layer
from jinja2 import Template

from reseau_map.core.settings import DATA_DIR
from reseau_map.core.templates import script_json
from reseau_map.maps.library import RawScript, ServedData, content_key, data_json, data_script, figure_of

BASEMAP_FILE: Path = DATA_DIR / "basemap.json"
ATLAS_NAME = "Atlas hors ligne"
REGIONS_2012_NAME = "Régions de 2012"
# The towns' points: GeoNames here; the few overseas ones from countries-states-cities (ODbL) are
# credited in the page's « Sources » tab and the README, to keep this line short.
ATLAS_CREDIT = ("IGN Admin Express COG 2018 (Licence Ouverte) | Communes : INSEE COG 2026, bourgs GeoNames "
                "(CC BY 4.0) | Natural Earth (domaine public)")
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
def basemap_data(path: Path = BASEMAP_FILE) -> tuple[str, dict]:
    """The basemap's key (named by its content) and data (read once)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return "atlas:" + content_key(data_json(data)), data


class AtlasBase(ServedData, Layer):
    """The base layer « Atlas hors ligne »: drawn by static/atlas.js, names redrawn on move.

    Spec of ``L.rcAtlas``: ``key`` (names the data), ``style`` (colours, panes, the zoom of the
    départements), ``labels`` (the names' CSS custom properties), ``data`` (the basemap, unless
    served as a file).
    """

    _template = Template("{% macro script(this, kwargs) %}"
                         "var {{ this.get_name() }} = L.rcAtlas({{ this._parent.get_name() }}, {{ this.spec_json() }});"
                         "{% endmacro %}")

    def __init__(self, name: str = ATLAS_NAME, show: bool = True, path: Path = BASEMAP_FILE) -> None:
        super().__init__(name=name, overlay=False, control=True, show=show)
        self._name = "AtlasBase"
        self.key, self.data = basemap_data(path)
        self.style = {"sea": SEA, "neighbour": NEIGHBOUR, "neighbourEdge": NEIGHBOUR_EDGE, "land": LAND,
                      "coast": COAST, "region": REGION_EDGE, "departement": DEPARTEMENT_EDGE,
                      "depZoom": DEPARTEMENT_ZOOM, "atlasZ": ATLAS_PANE_Z, "labelZ": LABEL_PANE_Z}
        self.labels = {"--rc-label": LABEL, "--rc-halo": LABEL_HALO,
                       **{f"--rc-font{i}": font for i, font in enumerate(LABEL_FONTS)}}

    def data_file(self) -> tuple[str, bytes]:
        return "atlas", data_script(self.key, self.data).encode("utf-8")

    def spec_json(self) -> str:
        """The layer's spec as JSON (with the data unless it is served)."""
        spec = {"key": self.key, "style": self.style, "labels": self.labels}
        return script_json(spec if self.data_src else {**spec, "data": self.data})

    # branca declares Element.render -> str, yet MacroElement.render (overridden here) returns None.
    def render(self, **kwargs) -> None:  # type: ignore[override]
        """As folium renders a layer, but the output (which may hold 240 KB of data) is added as raw
        text: folium parses each rendered script again as a template, 0.1 s for this one."""
        if self.show:  # what folium's Layer.render adds
            assert self._parent is not None, "a layer renders from the map it was added to"
            self.add_child(ElementAddToElement(element_name=self.get_name(),
                                               element_parent_name=self._parent.get_name()),
                           name=self.get_name() + "_add")
        figure_of(self).script.add_child(RawScript(self._template.module.script(self, kwargs)), name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)


class Regions2012(Layer):
    """The overlay « Régions de 2012 »: the atlas's borders of the 22 regions of 2012, dashed.

    Spec of ``L.rcRegions2012``: ``style`` (Leaflet path options). It draws from the map's atlas.
    """

    _template = Template("{% macro script(this, kwargs) %}"
                         "var {{ this.get_name() }} = L.rcRegions2012({{ this._parent.get_name() }}, "
                         "{{ this.spec_json() }});"
                         "{% endmacro %}")

    def __init__(self, name: str = REGIONS_2012_NAME, show: bool = False) -> None:
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "Regions2012"

    def spec_json(self) -> str:
        """The layer's spec as JSON."""
        return script_json({"style": {"color": REGION_2012_EDGE, "weight": 2.2, "dashArray": "7 5", "fill": False}})
