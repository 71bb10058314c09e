"""Region outlines sent to the map's frame once, as a served file; overlays then name regions.

A highlighted region or the choropleth used to carry the regions' geometry in every rerun's
arguments (9 KB for one region, 230 KB for the choropleth). Published once (served.py), the
outlines stay in the browser and an overlay sends only names, colours and tooltips.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass

from branca.element import MacroElement
from jinja2 import Template

from reseau_map.maps.layers import RawScript, content_key, data_script, safe_json
from reseau_map.maps.served import Served

SPEC_MARK = "/*rc-regions*/"


@dataclass(frozen=True)
class OutlineSource:
    """Region outlines (GeoJSON) and, when served, the file the map's frame loads them from."""

    geojson: dict
    key: str = ""
    src: str | None = None

    @classmethod
    def publish(cls, geojson: dict, files: Served) -> OutlineSource:
        """Write the outlines as a served file once; unserved (src None) if it cannot be written."""
        key = "outlines:" + content_key(safe_json(geojson))
        return cls(geojson, key, files.put(data_script(key, geojson).encode("utf-8"), "outlines", ".js"))


def decode_regions(script: str) -> list[dict]:
    """The specs of the region overlays in a rendered script (for tests and tools)."""
    decoder, found = json.JSONDecoder(), []
    start = script.find(SPEC_MARK)
    while start >= 0:
        spec, end = decoder.raw_decode(script, start + len(SPEC_MARK))
        found.append(spec)
        start = script.find(SPEC_MARK, end)
    return found


class RegionsLayer(MacroElement):
    """Some regions of a served outline file: outlined in one style, or each with its fill and tooltip."""

    _template = Template("""
{% macro script(this, kwargs) %}
L.rcRegions({{ this._parent.get_name() }}, /*rc-regions*/{{ this.spec_json }});
{% endmacro %}
""")

    def __init__(self, source: OutlineSource, regions: dict[str, dict], style: dict, pane: str,
                 interactive: bool = False) -> None:
        super().__init__()
        self._name = "RegionsLayer"
        labelled = {name: {k: html.escape(v) if k == "label" else v for k, v in props.items()}
                    for name, props in regions.items()}
        self.spec_json = safe_json({"src": source.src, "key": source.key, "regions": labelled, "style": style,
                                    "pane": pane, "interactive": interactive})

    def render(self, **kwargs) -> None:
        """Added as raw text (region names are data; never parsed again as a template)."""
        self.get_root().script.add_child(RawScript(self._template.module.script(self, kwargs)), name=self.get_name())
