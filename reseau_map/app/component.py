"""The map on the page: st_folium's component, with the base map's part built once per process.

`st_folium` renders the whole folium map on every rerun (~0.1 s for our offline atlas) although
only the feature group changes. `BaseMap` captures, once, every argument st_folium would send for
the base map; `show()` then renders the feature group alone and calls the same component with the
same arguments. A test compares them with st_folium's own for the same map and group, so a change
in streamlit-folium's internals shows as a failing test, not as a broken page.
"""

from __future__ import annotations

import base64
import os
import re
import textwrap
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from unittest import mock

import folium
import streamlit_folium
from branca.element import Element
from folium.elements import ElementAddToElement, JSCSSMixin

from reseau_map.app import state
from reseau_map.maps.controls import FitBounds, OverlayLegend
from reseau_map.maps.layers import PlacesLayer
from reseau_map.maps.regionlayer import RegionsLayer
from reseau_map.maps.served import Served, served

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
        # One render: with every returned object asked, the call also gives their defaults; what
        # depends on the call (height, key, returned objects, defaults) is left out of args.
        with mock.patch.object(streamlit_folium, "_component_func", lambda **kwargs: captured.update(kwargs)):
            streamlit_folium.st_folium(m, height=height, width=None, returned_objects=None)  # the container's width
        self.args = {k: v for k, v in captured.items() if k not in PER_CALL}
        if files is not None:
            self.args = externalise(self.args, files)
        self.defaults = captured["default"]
        self.name, self.map_id = m._name, m._id
        self.height = height

    def _group_string(self, group: folium.FeatureGroup) -> str:
        stand_in = _stand_in()  # only its name is used, as the group's parent
        stand_in._name, stand_in._id = self.name, self.map_id
        if not _plain(group):
            return streamlit_folium._get_feature_group_string(group, map=stand_in, idx=0)
        # As st_folium does, without render(): folium's render() compiles each element's output
        # as a Jinja template (3 ms a rerun) and only adds what our layers never need.
        group._id = "feature_group_0"
        group._parent = stand_in
        if group.show:  # what Layer.render() adds
            group.add_child(ElementAddToElement(element_name=group.get_name(), element_parent_name=stand_in.get_name()),
                            name=group.get_name() + "_add")
        text = streamlit_folium.generate_leaflet_string(group, base_id="feature_group_0")
        text = textwrap.dedent(text.replace(streamlit_folium.get_full_id(stand_in), "map_div"))
        return text + textwrap.dedent("""
        map_div.addLayer(feature_group_feature_group_0);
        window.feature_group = window.feature_group || [];
        window.feature_group.push(feature_group_feature_group_0);
        """)

    def group_args(self, group: folium.FeatureGroup) -> tuple[str, list[str], list[str]]:
        """The feature group's script and the JS / CSS files its elements need."""
        script = self._group_string(group)
        js, css = list(self.args["js_links"]), list(self.args["css_links"])
        for element in _walk(group):
            js += [url for _, url in getattr(element, "default_js", []) if url not in js]
            css += [url for _, url in getattr(element, "default_css", []) if url not in css]
        return script, js, css


_local = threading.local()


def _stand_in() -> folium.Map:
    """This thread's parent map for feature groups, emptied of what the last group left in it.

    A new folium.Map per rerun compiled four Jinja templates (3 ms); one per thread (sessions
    run in their own threads) is reused, its figure's parts reset to how they were built.
    """
    if getattr(_local, "map", None) is None:
        _local.map = folium.Map(tiles=None)
        root = _local.map.get_root()
        _local.parts = {part: dict(getattr(root, part)._children) for part in ("header", "html", "script")}
        _local.children = dict(_local.map._children)
    root = _local.map.get_root()
    for part, children in _local.parts.items():
        getattr(root, part)._children = OrderedDict(children)
    _local.map._children = OrderedDict(_local.children)
    return _local.map


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


# Elements whose script needs no render() first (our own layers; not folium's GeoJson or markers).
PLAIN = (folium.FeatureGroup, PlacesLayer, RegionsLayer, FitBounds, OverlayLegend, ElementAddToElement)


def _plain(element: Element) -> bool:
    """Whether an element and its children can be turned into script without render()."""
    return type(element) in PLAIN and all(_plain(child) for child in element._children.values())


def _walk(element: Element) -> Iterable[Element]:
    if isinstance(element, JSCSSMixin):
        yield element
    for child in getattr(element, "_children", {}).values():
        yield from _walk(child)


def show(base: BaseMap, group: folium.FeatureGroup, *, key: str, center: tuple[float, float] | None = None,
         zoom: float | None = None, returned_objects: list[str] | None = None,
         on_change: Callable[[], None] | None = None, preload: tuple[str, ...] = ()) -> dict | None:
    """Draw the base map with this feature group, as st_folium(width=None) would (the container's width).

    `preload`: served files the frame loads with the libraries when it opens (the places, the
    region outlines), so that a later filter draws at once instead of fetching them first.
    """
    script, js, css = base.group_args(group)
    js += [url for url in preload if url and url not in js]
    returned = returned_objects if returned_objects is not None else list(base.defaults)
    hash_key = streamlit_folium.generate_js_hash(base.args["script"], key, False)

    def changed() -> None:
        state.mirror(hash_key, key)
        if on_change is not None:
            on_change()

    return streamlit_folium._component_func(
        **{**base.args, "js_links": js, "css_links": css}, key=hash_key, height=base.height, width=None,
        returned_objects=returned, default={k: v for k, v in base.defaults.items() if k in returned},
        zoom=zoom, center=center, feature_group=script, on_change=changed)


def register_served(files: Served | None = None) -> None:
    """Declare the served folder to Streamlit (in a script run), so that the map's frame can fetch its files."""
    from streamlit.components.v1.custom_component import CustomComponent
    from streamlit.runtime import get_instance

    files = files or served()
    # What declare_component does, without inspecting the caller's frames on every rerun; and
    # nothing when this runtime already serves the folder.
    registry = get_instance().component_registry
    if registry.get_component_path(files.component) != os.path.abspath(files.folder):
        registry.register_component(CustomComponent(name=files.component, path=str(files.folder), url=None,
                                                     module_name=files.component.rsplit(".", 1)[0]))
