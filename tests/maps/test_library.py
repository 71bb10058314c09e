"""Our map library: one call per element, its JSON spec read back; data scripts; files declared, not parsed."""

import folium
import pytest

from reseau_map.core.templates import static_text
from reseau_map.maps.atlas import AtlasBase
from reseau_map.maps.controls import FitBounds
from reseau_map.maps.library import LIBRARY_CSS, LIBRARY_JS, MapLibrary, calls, data_script, read_data_script


def test_calls_read_each_spec_back_from_a_rendered_map():
    m = folium.Map(tiles=None)
    group = folium.FeatureGroup().add_to(m)
    FitBounds([[47.0, -5.0], [49.0, -1.0]], "a").add_to(group)
    FitBounds([[43.0, 5.0], [44.0, 7.0]], "b\n</script>").add_to(group)
    html = m.get_root().render()
    assert [spec["key"] for spec in calls(html, "L.rcFit")] == ["a", "b\n</script>"]  # one line each, in order
    assert calls(html, "L.rcPlaces") == []


def test_a_layer_named_by_folium_is_read_too():
    m = folium.Map(tiles=None)
    AtlasBase().add_to(m)
    [spec] = calls(m.get_root().render(), "L.rcAtlas")
    assert spec["key"].startswith("atlas:") and spec["data"]["arcs"]  # unserved: the data in the spec


@pytest.mark.parametrize("data", [{"a": [1, None, "é"]}, [], "</script>"])
def test_a_data_script_reads_back(data):
    assert read_data_script(data_script("k:1", data)) == ("k:1", data)


def test_a_text_that_is_no_data_script_is_refused():
    with pytest.raises(ValueError):
        read_data_script("window.x = 1;")


def test_the_library_loads_every_static_file_it_names():
    library = MapLibrary()
    links = [url for _, url in library.default_js + library.default_css]
    assert len(links) == len(set(links)) == 1 + len(LIBRARY_JS) + 2 + len(LIBRARY_CSS)  # + MarkerCluster's
    assert all(link.startswith("data:") for link in links)
    code = "".join(static_text(name) for name in LIBRARY_JS)
    for function in ("L.rcPlaces", "L.rcRegions", "L.rcAtlas", "L.rcRegions2012", "L.rcLegend", "L.rcFit",
                     "L.rcOverlayLegend", "L.rcFlyTo", "L.rcFrenchControls", "L.rcSharedCanvas"):
        assert f"{function} = function" in code, function
