"""Our map library: the JS and CSS of `static/` that a map loads once, and how our elements call it.

Every element of ours draws through one function of the library (places.js, controls.js,
atlas.js). Its script is one line, the call with the element's parent and one JSON argument,
the element's whole spec (each element documents its own):

    L.rcPlaces(feature_group_feature_group_0, {"key": "…", "sel": "*", …});
    var atlas_base_… = L.rcAtlas(map_…, {"key": "…", "style": {…}});

JSON never holds a raw line break, so `calls(script, "L.rcPlaces")` reads every spec back from
any rendered script (a feature group, a base map, a standalone page): the accessor for tests and
tools. Data an element can send apart from its spec is a *data script* (`data_script`): one file
the map's frame loads once, read back by `read_data_script`.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from branca.element import Element, Figure, MacroElement
from folium.elements import JSCSSMixin
from jinja2 import Template

from reseau_map.core.templates import script_json, static_bytes
from reseau_map.maps.assets import cluster_css, cluster_js, data_uri

LIBRARY_JS: tuple[str, ...] = ("access.js", "controls.js", "keys.js", "places.js", "atlas.js")  # static/, in load order
LIBRARY_CSS: tuple[str, ...] = ("map.css", "atlas.css")
DATA_PRELUDE = "window.rcData = window.rcData || {};\n"
DATA_SLOT = "window.rcData["


def calls(script: str, function: str) -> list[dict]:
    """The JSON argument of every call of `function` (e.g. "L.rcPlaces") in a rendered script, in order."""
    found = []
    for line in script.splitlines():
        line = line.strip()
        if line.startswith("var "):  # a layer that folium's controls name: var <name> = L.rc…(…);
            line = line.partition(" = ")[2]
        if line.startswith(function + "(") and line.endswith(");"):
            _parent, sep, argument = line[len(function) + 1:-2].partition(", ")
            if sep:
                found.append(json.loads(argument))
    return found


def data_json(value: object) -> str:
    """Compact JSON for a data file the frame loads by address (never inside a page or a template)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def data_script(key: str, data: object) -> str:
    """A file that keeps data under a key in the frame's `window.rcData` (where the library reads it)."""
    return f"{DATA_PRELUDE}{DATA_SLOT}{data_json(key)}] = {data_json(data)};\n"


def read_data_script(text: str) -> tuple[str, Any]:
    """The key and the data of a data script (the inverse of data_script); the data as json.loads gives it."""
    body = text.removeprefix(DATA_PRELUDE).removeprefix(DATA_SLOT)
    key, end = json.JSONDecoder().raw_decode(body)
    if body[end:end + 4] != "] = " or not text.startswith(DATA_PRELUDE + DATA_SLOT):
        raise ValueError("not a data script")
    return key, json.loads(body[end + 4:].rstrip().removesuffix(";"))


def content_key(text: str) -> str:
    """A short key naming some content (the same content, the same key)."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest()


def figure_of(element: Element) -> Figure:
    """The figure an element renders into: the root of its tree (as folium's own elements require)."""
    root = element.get_root()
    assert isinstance(root, Figure), "You cannot render this Element if it is not in a Figure."
    return root


class RawScript(Element):
    """Script text added to a figure as it is, never parsed again as a template."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def render(self, **kwargs) -> str:
        return self.text


class Call(MacroElement):
    """An element whose script is one call of the library: `function(parent, spec)`."""

    function = ""
    _template = Template("{% macro script(this, kwargs) %}"
                         "{{ this.function }}({{ this._parent.get_name() }}, {{ this.spec_json() }});"
                         "{% endmacro %}")

    def spec(self) -> dict:
        """What the library's function is given (JSON)."""
        raise NotImplementedError

    def spec_json(self) -> str:
        """The spec as JSON for the script."""
        return script_json(self.spec())

    # branca declares Element.render -> str, yet MacroElement.render (overridden here) returns None.
    def render(self, **kwargs) -> None:  # type: ignore[override]
        """The call (whose spec holds data) is added as raw text, never parsed again as a template."""
        figure_of(self).script.add_child(RawScript(self._template.module.script(self, kwargs)), name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)


class ServedData:
    """An element whose data can travel as a file the map's frame loads once, instead of in its spec.

    `data_file()` is that file (a name's stem and a data script); whoever serves it (the page's
    adaptor, app/component.py) sets `data_src` to its address before the map is rendered, and
    the element's spec then leaves the data out. Unserved, the data stays in the spec.
    """

    data_src: str | None = None

    def data_file(self) -> tuple[str, bytes]:
        """(stem, content) of the file holding the element's data."""
        raise NotImplementedError


class MapLibrary(JSCSSMixin, MacroElement):
    """Our library and MarkerCluster, on the base map, as data: URIs (the page serves them as files)."""

    def __init__(self) -> None:
        super().__init__()
        self._name = "MapLibrary"
        self.default_js = [*cluster_js(), *((f"rc_{name}", data_uri(static_bytes(name), ".js")) for name in LIBRARY_JS)]
        self.default_css = [*cluster_css(),
                            *((f"rc_{name}", data_uri(static_bytes(name), ".css")) for name in LIBRARY_CSS)]
