"""The map on the page: st_folium's component, with the base map's part built once per process.

`st_folium` renders the whole folium map on every rerun (~0.1 s for our offline atlas) although
only the feature group changes. `BaseMap` captures, once, every argument st_folium would send for
the base map; `show()` then renders the feature group alone and calls the same component with the
same arguments. A test compares them with st_folium's own for the same map and group, so a change
in streamlit-folium's internals shows as a failing test, not as a broken page.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Iterable
from unittest import mock

import folium
import streamlit as st
import streamlit_folium
from branca.element import Element
from folium.elements import JSCSSMixin

from reseau_map.maps.served import Served

# Parts of the base script that can run on their own before it (atlas data, libraries): the page
# serves them as files (see externalise).
BLOCK = re.compile(r"/\*rc-file:(\w+)\*/(.*?)/\*rc-end\*/", re.DOTALL)
DATA_URI = re.compile(r"data:text/(javascript|css);base64,(.*)", re.DOTALL)
SUFFIX = {"javascript": ".js", "css": ".css"}
# st_folium's arguments that depend on the call, not on the base map.
PER_CALL = ("feature_group", "key", "zoom", "center", "returned_objects", "default", "on_change", "height", "width")


class BaseMap:
    """What st_folium sends for a base map, computed once; the map itself is never rendered again."""

    def __init__(self, m: folium.Map, height: int, files: Served | None = None) -> None:
        captured: dict = {}
        with mock.patch.object(streamlit_folium, "_component_func", lambda **kwargs: captured.update(kwargs)):
            streamlit_folium.st_folium(m, height=height, use_container_width=True, returned_objects=[])
        self.args = {k: v for k, v in captured.items() if k not in PER_CALL}
        if files is not None:
            self.args = externalise(self.args, files)
        self.defaults = self._defaults(m)
        self.name, self.map_id = m._name, m._id
        self.height = height

    @staticmethod
    def _defaults(m: folium.Map) -> dict:
        captured: dict = {}
        with mock.patch.object(streamlit_folium, "_component_func", lambda **kwargs: captured.update(kwargs)):
            streamlit_folium.st_folium(m, height=300, returned_objects=None)
        return captured["default"]

    def group_args(self, group: folium.FeatureGroup) -> tuple[str, list[str], list[str]]:
        """The feature group's script and the JS / CSS files its elements need."""
        stand_in = folium.Map(tiles=None)  # cheap: only its name is used, as the group's parent
        stand_in._name, stand_in._id = self.name, self.map_id
        script = streamlit_folium._get_feature_group_string(group, map=stand_in, idx=0)
        js, css = list(self.args["js_links"]), list(self.args["css_links"])
        for element in _walk(group):
            js += [url for _, url in getattr(element, "default_js", []) if url not in js]
            css += [url for _, url in getattr(element, "default_css", []) if url not in css]
        return script, js, css


def externalise(args: dict, files: Served) -> dict:
    """The base map's arguments with its libraries and data blocks as served files (args if it cannot)."""
    js, css = [], []
    for links, out in ((args["js_links"], js), (args["css_links"], css)):
        for link in links:
            found = DATA_URI.fullmatch(link)
            url = files.put(base64.b64decode(found.group(2)), "lib", SUFFIX[found.group(1)]) if found else link
            if url is None:
                return args
            out.append(url)
    for name, code in BLOCK.findall(args["script"]):
        url = files.put(code.encode("utf-8"), name, ".js")
        if url is None:
            return args
        js.append(url)  # after the libraries, before the script: js_links run first, in order
    return {**args, "js_links": js, "css_links": css, "script": BLOCK.sub("", args["script"])}


def _walk(element: Element) -> Iterable[Element]:
    if isinstance(element, JSCSSMixin):
        yield element
    for child in getattr(element, "_children", {}).values():
        yield from _walk(child)


def show(base: BaseMap, group: folium.FeatureGroup, *, key: str, center: tuple[float, float] | None = None,
         zoom: float | None = None, returned_objects: list[str] | None = None,
         on_change: Callable[[], None] | None = None) -> dict | None:
    """Draw the base map with this feature group, as st_folium(use_container_width=True) would."""
    script, js, css = base.group_args(group)
    returned = returned_objects if returned_objects is not None else list(base.defaults)
    hash_key = streamlit_folium.generate_js_hash(base.args["script"], key, False)

    def changed() -> None:
        st.session_state[key] = st.session_state.get(hash_key, {})
        if on_change is not None:
            on_change()

    return streamlit_folium._component_func(
        **{**base.args, "js_links": js, "css_links": css}, key=hash_key, height=base.height, width=None,
        returned_objects=returned, default={k: v for k, v in base.defaults.items() if k in returned},
        zoom=zoom, center=center, feature_group=script, on_change=changed)
