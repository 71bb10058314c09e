"""Region overlays on served outlines: names, fills and tooltips travel; shapes do not."""

import json

import folium
import pandas as pd

from reseau_map.geo.regions import load_outlines
from reseau_map.maps import mapview
from reseau_map.maps.library import read_data_script
from reseau_map.maps.regionlayer import OutlineSource, RegionsLayer, decode_regions
from reseau_map.maps.served import Served


def places() -> pd.DataFrame:
    return pd.DataFrame({"id": ["a", "b"], "name": ["A", "B"], "type": ["cantine", "autre"],
                         "status": ["ouvert", "en_projet"], "city": ["Rennes", "Nice"],
                         "region": ["Bretagne", "Provence-Alpes-Côte d'Azur"], "lat": [48.1, 43.7], "lon": [-1.7, 7.3]})


def test_outlines_are_published_once_and_overlays_name_regions(tmp_path):
    files = Served(tmp_path)
    source = OutlineSource.publish(load_outlines(), files)
    assert read_data_script(files.path_of(source.src).read_text()) == (source.key, load_outlines())
    [layer] = [mapview.highlight(source, ("Bretagne",))]
    assert isinstance(layer, RegionsLayer)
    spec = json.loads(layer.spec_json())
    assert spec["regions"] == {"Bretagne": {}} and spec["src"] == source.src
    assert len(layer.spec_json()) < 500  # no geometry


def test_choropleth_on_served_outlines_sends_escaped_labels_and_fills(tmp_path):
    source = OutlineSource.publish(load_outlines(), Served(tmp_path))
    layer, _legend = mapview.choropleth(source, places())
    layer.add_to(folium.FeatureGroup())
    script = layer._template.module.script(layer)
    [spec] = decode_regions(script)
    paca = spec["regions"]["Provence-Alpes-Côte d'Azur"]
    assert paca["label"].startswith("Provence-Alpes-Côte d&#x27;Azur : 1 lieu") and paca["fill"]
    assert spec["regions"]["Normandie"]["label"].startswith("Normandie : 0")
    assert spec["interactive"] is True and "coordinates" not in script


def test_unserved_outlines_fall_back_to_folium_geojson():
    layer = mapview.highlight(OutlineSource(load_outlines()), ("Bretagne",))
    assert not isinstance(layer, RegionsLayer) and layer.data["features"][0]["properties"]["name"] == "Bretagne"
