"""Region outlines sent to the map's frame once, as a served file; overlays then name regions.

A highlighted region or the choropleth used to carry the regions' geometry in every rerun's
arguments (9 KB for one region, 230 KB for the choropleth). Published once (served.py), the
outlines stay in the browser and an overlay sends only names, colours and tooltips.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from reseau_map.maps.library import Call, calls, content_key, data_json, data_script
from reseau_map.maps.served import Served

REGIONS_CALL = "L.rcRegions"  # in static/places.js


@dataclass(frozen=True)
class OutlineSource:
    """Region outlines (GeoJSON) and, when served, the file the map's frame loads them from."""

    geojson: dict
    key: str = ""
    src: str | None = None

    @classmethod
    def publish(cls, geojson: dict, files: Served) -> OutlineSource:
        """Write the outlines as a served file once; unserved (src None) if it cannot be written."""
        key = "outlines:" + content_key(data_json(geojson))
        return cls(geojson, key, files.put(data_script(key, geojson).encode("utf-8"), "outlines", ".js"))


def decode_regions(script: str) -> list[dict]:
    """The specs of the region overlays in a rendered script (for tests and tools)."""
    return calls(script, REGIONS_CALL)


class RegionsLayer(Call):
    """Some regions of a served outline file: outlined in one style, or each with its fill and tooltip.

    Spec of ``L.rcRegions``: ``src`` and ``key`` (the outlines' file), ``regions`` (name -> its
    ``fill`` and ``label``, escaped), ``style`` (Leaflet path options), ``pane``, ``interactive``.
    """

    function = REGIONS_CALL

    def __init__(self, source: OutlineSource, regions: dict[str, dict], style: dict, pane: str,
                 interactive: bool = False) -> None:
        super().__init__()
        self._name = "RegionsLayer"
        labelled = {name: {k: html.escape(v) if k == "label" else v for k, v in props.items()}
                    for name, props in regions.items()}
        self._spec = {"src": source.src, "key": source.key, "regions": labelled, "style": style, "pane": pane,
                      "interactive": interactive}

    def spec(self) -> dict:
        return self._spec
