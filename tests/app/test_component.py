"""The contract test of the adaptor: what `show` sends is what st_folium sends for the same map and places.

Only this test patches streamlit-folium (to read what st_folium would send); the adaptor computes
the same arguments with streamlit-folium's helpers, and requirements.txt bounds the versions.
"""

import re
from pathlib import Path
from unittest import mock

import pandas as pd
import pytest
import streamlit_folium

from reseau_map.app.component import BaseMap, show
from reseau_map.geo.regions import load_outlines
from reseau_map.maps import mapview
from reseau_map.maps.controls import FitBounds
from reseau_map.maps.library import calls, read_data_script
from reseau_map.maps.regionlayer import OutlineSource
from reseau_map.maps.served import Served

NAMES = re.compile(r"_[0-9a-f]{32}")  # folium's per-object variable names differ between two builds


def places():
    return pd.DataFrame({
        "id": ["a", "b"], "name": ["A", "B <i>"], "type": ["cantine", "autre"], "status": ["ouvert", ""],
        "city": ["Rennes", "Brest"], "region": ["Bretagne", "Bretagne"], "lat": [48.11, 48.39],
        "lon": [-1.68, -4.49], "precision": ["ville", "ville"], "opened": pd.array([2010, None], dtype="Int64"),
        "website": ["", ""], "description": ["", ""], "source": ["", ""], "address": ["", ""]})


def captured(call) -> dict:
    found: dict = {}
    with mock.patch.object(streamlit_folium, "_component_func", lambda **kwargs: found.update(kwargs)):
        call()
    return found


def overlays(kind: str) -> list:
    if kind == "ours":  # our own layers: drawn without folium's render()
        served = OutlineSource(load_outlines(), "outlines:k", "../x/outlines-k.js")
        return [*mapview.overlays(served, places(), ("Bretagne",), True, None), FitBounds([[47, -5], [49, -1]], "k")]
    if kind == "folium":  # folium's own elements (GeoJson, CircleMarker): through st_folium's path
        return [*mapview.overlays(load_outlines(), places(), ("Bretagne",), True, None),
                *mapview.route(48.1, -1.7, "Rennes", places().head(1))]
    return []


@pytest.mark.parametrize("kind", ["places", "ours", "folium"])
def test_show_sends_what_st_folium_sends(kind):
    outlines = load_outlines()
    returned = ["last_object_clicked_tooltip", "center", "zoom"]
    theirs = captured(lambda: streamlit_folium.st_folium(
        mapview.base_map(outlines, 650, credit="x"), key="carte", height=650, width=None,
        feature_group_to_add=mapview.places_group(places(), overlays=overlays(kind)), center=(48.0, -2.0), zoom=7,
        returned_objects=returned))
    base = BaseMap(mapview.base_map(outlines, 650, credit="x"), 650)
    ours = captured(lambda: show(base, mapview.places_group(places(), overlays=overlays(kind)), key="carte",
                                 center=(48.0, -2.0), zoom=7, returned_objects=returned))
    assert set(ours) == set(theirs)
    for key in set(theirs) - {"on_change", "script", "feature_group"}:
        assert ours[key] == theirs[key], key
    assert NAMES.sub("", ours["feature_group"]) == NAMES.sub("", theirs["feature_group"])
    assert NAMES.sub("", ours["script"]) == NAMES.sub("", theirs["script"])


def test_the_base_is_rendered_once_and_each_call_sends_the_same_script():
    base = BaseMap(mapview.base_map(load_outlines(), 650), 650)
    first = captured(lambda: show(base, mapview.places_group(places()), key="k"))
    second = captured(lambda: show(base, mapview.places_group(places().head(1)), key="k"))
    assert first["script"] == second["script"] and first["key"] == second["key"]  # not redrawn
    assert first["feature_group"] != second["feature_group"]


def test_served_base_map_sends_libraries_and_atlas_as_files(tmp_path):
    files = Served(tmp_path)
    base = BaseMap(mapview.base_map(load_outlines(), 650), 650, files=files)
    links = base.args["js_links"] + base.args["css_links"]
    assert links and not [link for link in links if link.startswith("data:")]
    assert all(files.path_of(link).is_file() for link in links)
    [spec] = calls(base.args["script"], "L.rcAtlas")  # the atlas's data is the file's, not the script's
    assert "data" not in spec and len(base.args["script"]) < 12_000
    atlas = [files.path_of(link) for link in base.args["js_links"] if "/atlas-" in link]
    assert len(atlas) == 1 and read_data_script(atlas[0].read_text())[0] == spec["key"]
    assert base.args["js_links"][-1].endswith(atlas[0].name)  # after the libraries, before the script
    inline = BaseMap(mapview.base_map(load_outlines(), 650), 650)  # no folder: as st_folium sends it
    assert calls(inline.args["script"], "L.rcAtlas")[0]["data"]["arcs"]


def test_an_unwritable_folder_keeps_everything_inline(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    base = BaseMap(mapview.base_map(load_outlines(), 650), 650, files=Served(blocker / "web"))
    assert base.args == BaseMap(mapview.base_map(load_outlines(), 650), 650).args | {"id": base.args["id"]}


PRIVATE = re.compile(r"streamlit_folium\._|streamlit\.runtime|custom_component|\bmock\b")
ROOT = Path(__file__).resolve().parents[2]


def test_only_the_adaptor_touches_private_apis_and_no_production_code_mocks():
    adaptor = ROOT / "reseau_map" / "app" / "component.py"
    users = {path.relative_to(ROOT).as_posix() for path in (ROOT / "reseau_map").rglob("*.py")
             if PRIVATE.search(path.read_text(encoding="utf-8"))}
    assert users == {adaptor.relative_to(ROOT).as_posix()}
    assert "mock" not in adaptor.read_text(encoding="utf-8")
    tests = {path.name for path in (ROOT / "tests").rglob("*.py")
             if re.search(r"streamlit_folium\._|streamlit\.runtime|custom_component", path.read_text(encoding="utf-8"))}
    assert tests <= {"test_component.py"}  # the contract test, and only it
