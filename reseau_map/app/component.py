"""The one adaptor to the private parts of streamlit-folium and Streamlit; nothing else in the package uses them.

- **The map's arguments.** `st_folium` renders the whole folium map on every rerun (~0.1 s for our
  offline atlas) although only the feature group changes. `BaseMap` computes, once, the arguments
  st_folium sends its component for a base map, with streamlit-folium's own helpers; `show()`
  then turns the feature group alone into script and calls the same component with the same
  arguments. tests/app/test_component.py (the contract test) compares both with what
  `st_folium` itself sends for the same map and group, so a change in streamlit-folium shows as
  a failing test, not as a broken page; requirements.txt bounds the versions it was checked on.
- **Served files.** With a served folder (maps/served.py), what the base map's elements declare
  travels as files the frame fetches once: folium's `default_js` / `default_css` links (our
  data: URIs) and the data of elements that say they have some (library.ServedData). No
  script is parsed: each element says what it needs.
- **Streamlit's runtime.** `register_served` declares the served folder in Streamlit's component
  registry; `session_id` names the visitor's session; `connection_token` its browser connection
  (Streamlit's client object for the session, which a reconnect replaces); `url_values` reads a
  URL parameter that st.query_params hides (Streamlit's reserved `embed`).
"""

from __future__ import annotations

import os
import secrets
import textwrap
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterable
from urllib.parse import parse_qs

import folium
import streamlit_folium
from branca.element import Element
from folium.elements import ElementAddToElement, JSCSSMixin

from reseau_map.app import state
from reseau_map.maps.assets import data_uri_content
from reseau_map.maps.library import Call, ServedData
from reseau_map.maps.served import Served, served

# What st_folium can return, and so its component's default value (streamlit_folium.st_folium's `_defaults`).
RETURNED: tuple[str, ...] = (
    "last_clicked", "last_object_clicked", "last_object_clicked_count", "last_object_clicked_tooltip",
    "last_object_clicked_popup", "all_drawings", "last_active_drawing", "bounds", "zoom", "last_circle_radius",
    "last_circle_polygon", "selected_layers", "selected_tags", "last_geocoder_result",
)


def component_args(m: folium.Map) -> tuple[dict, dict]:
    """What st_folium sends its component for this map, without what depends on the call; and the defaults.

    The same steps as `streamlit_folium.st_folium(m)`, with its own helpers; the contract test
    checks that they still give its arguments.
    """
    m.get_root().render()
    m.render()  # st_folium renders the map a second time before reading its parts
    html = streamlit_folium._get_html(m)
    header = streamlit_folium._get_header(m)
    script = streamlit_folium._get_map_string(m)
    js: list[str] = []
    css: list[str] = []
    for element in _walk(m):
        css.extend(url for _, url in element.default_css)
        js.extend(url for _, url in element.default_js)
    args = {"script": script, "header": header, "html": html, "id": streamlit_folium.get_full_id(m),
            "return_on_hover": False, "layer_control": None, "pixelated": False,
            "css_links": list(dict.fromkeys(css)), "js_links": list(dict.fromkeys(js)), "wrap_longitude": False}
    try:
        (south, west), (north, east) = m.get_bounds()
    except AttributeError:
        south = west = north = east = None
    defaults: dict = dict.fromkeys(RETURNED)
    defaults["bounds"] = {"_southWest": {"lat": south, "lng": west}, "_northEast": {"lat": north, "lng": east}}
    defaults["zoom"] = m.options.get("zoom")
    return args, defaults


class BaseMap:
    """What st_folium sends for a base map, computed once; the map itself is never rendered again."""

    def __init__(self, m: folium.Map, height: int, files: Served | None = None) -> None:
        data = serve_data(m, files) if files is not None else []
        self.args, self.defaults = component_args(m)
        if files is not None:
            self.args = serve_links(self.args, files, data)
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
            js += [url for _, url in element.default_js if url not in js]
            css += [url for _, url in element.default_css if url not in css]
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


def serve_data(m: folium.Map, files: Served) -> list[str]:
    """Write the data of the map's elements that have some as served files; their addresses.

    Each element so served leaves its data out of its spec (library.ServedData); one that cannot
    be written keeps it inline.
    """
    urls = []
    for element in _elements(m):
        if isinstance(element, ServedData):
            stem, content = element.data_file()
            element.data_src = files.put(content, stem, ".js")
            urls += [element.data_src] if element.data_src else []
    return urls


def serve_links(args: dict, files: Served, data: list[str]) -> dict:
    """The base map's arguments with its libraries, then its data, as served files (inline if one cannot be written)."""

    def file(link: str) -> str:
        found = data_uri_content(link)
        return (files.put(found[0], "lib", found[1]) or link) if found else link

    # js_links run first, in order: the libraries, then the data, then the script.
    return {**args, "js_links": [file(link) for link in args["js_links"]] + data,
            "css_links": [file(link) for link in args["css_links"]]}


def _plain(element: Element) -> bool:
    """Whether an element and its children can be turned into script without render().

    Our library's calls can (their spec is their whole script), and the group that holds them;
    folium's GeoJson or markers cannot.
    """
    return (isinstance(element, Call) or type(element) in (folium.FeatureGroup, ElementAddToElement)) and all(
        _plain(child) for child in element._children.values())


def _elements(element: Element) -> Iterable[Element]:
    yield element
    for child in getattr(element, "_children", {}).values():
        yield from _elements(child)


def _walk(element: Element) -> Iterable[JSCSSMixin]:
    return (found for found in _elements(element) if isinstance(found, JSCSSMixin))


def show(base: BaseMap, group: folium.FeatureGroup, *, key: str, center: tuple[float, float] | None = None,
         zoom: float | None = None, returned_objects: list[str] | None = None,
         on_change: Callable[[], None] | None = None, preload: tuple[str | None, ...] = ()) -> dict | None:
    """Draw the base map with this feature group, as st_folium(width=None) would (the container's width).

    `preload`: served files the frame loads with the libraries when it opens (the places, the
    region outlines), so that a later filter draws at once instead of fetching them first; None
    (a file that could not be served) is skipped.
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


def session_id() -> str:
    """The id of the visitor's session running this script ("" outside a Streamlit run)."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    return ctx.session_id if ctx else ""


def url_values(name: str) -> list[str]:
    """Every value of a URL parameter, those st.query_params hides included (`embed`); [] outside a run."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    return parse_qs(ctx.query_string or "").get(name, []) if ctx else []


_connections: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_connections_lock = threading.Lock()


def connection_token() -> str:
    """A random token of the browser connection (WebSocket) running this script; "" outside a server.

    Streamlit gives a session back to any client that presents its id when it reconnects: a
    login kept in the session would follow the id to whoever holds it. The token is the
    connection's own, drawn when it first runs a script here and forgotten with it: a reconnect,
    by the moderator or by anyone else, is a new connection with a new token.
    """
    from streamlit.runtime import exists, get_instance
    from streamlit.runtime.session_manager import SessionClient

    ctx_id = session_id()
    if not ctx_id or not exists():
        return ""
    client = get_instance().get_client(ctx_id)
    # A real connection's class derives from SessionClient; AppTest's stand-in runtime hands out
    # a new stand-in object every run, which is no connection at all.
    if client is None or SessionClient not in type(client).__mro__:
        return ""
    with _connections_lock:
        token = _connections.get(client)
        if token is None:
            token = _connections[client] = secrets.token_hex(16)
    return token


def query_limits() -> tuple[int, int]:
    """(parameters, characters) past which Streamlit ignores a page's whole query string, without a word."""
    from streamlit.runtime.state import query_params

    return query_params.CLIENT_STATE_QUERY_STRING_MAX_FIELDS, query_params.CLIENT_STATE_QUERY_STRING_MAX_LENGTH
