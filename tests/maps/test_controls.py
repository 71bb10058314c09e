"""Map controls: legend, blank base layer, overlay legends, flights."""

import json

import folium

from reseau_map.core.templates import static_text
from reseau_map.maps import mapview
from reseau_map.maps.atlas import AtlasBase, Regions2012
from reseau_map.maps.controls import FrenchControls, Legend, OverlayLegend, SharedCanvas
from reseau_map.maps.library import calls


def page(*elements):
    m = folium.Map(tiles=None)
    for element in elements:
        element.add_to(m)
    return m.get_root().render()


def test_legend_names_every_type_and_the_sources():
    html = page(Legend("Lieux : B. Martin (2012) | Régions : GeoNames (CC BY 4.0)"))
    [spec] = calls(html, "L.rcLegend")
    for label in ("Cantine", "Lieu associé", "Autre lieu cité", "Ouvert", "En projet"):
        assert label in spec["html"]
    assert "GeoNames (CC BY 4.0)" in spec["attribution"]


def test_atlas_is_a_base_layer_choice_and_2012_an_overlay():
    atlas = AtlasBase()
    old = Regions2012()
    assert atlas.overlay is False and atlas.control is True and atlas.show is True
    assert old.overlay is True and old.show is False
    html = page(atlas, old, folium.LayerControl())
    assert "Atlas hors ligne" in html and json.dumps("Régions de 2012")[1:-1] in html  # as folium escapes it
    assert calls(html, "L.rcRegions2012")[0]["style"]["dashArray"] == "7 5"
    assert "L.rcRegions2012 = function" in static_text("atlas.js")


def test_controls_speak_french_and_metric():
    [spec] = calls(page(FrenchControls()), "L.rcFrenchControls")
    assert spec == {"lang": "fr", "zoomInTitle": "Zoom avant", "zoomOutTitle": "Zoom arrière", "metric": True,
                    "imperial": False}
    assert "setAttribute('lang', spec.lang)" in static_text("controls.js")


def test_one_canvas_for_every_interactive_layer():
    assert calls(page(SharedCanvas()), "L.rcSharedCanvas")[0]["pane"] == "markerPane"
    code = static_text("controls.js")
    assert "_paneRenderers" in code and "L.rcHitCanvas = hit" in code


def test_legend_falls_back_to_the_atlas_when_tiles_fail():
    html = page(AtlasBase(), Legend("x", fallback=True))
    assert calls(html, "L.rcLegend")[0]["fallback"] is True
    assert calls(page(Legend("x")), "L.rcLegend")[0]["fallback"] is False
    assert "tileerror" in static_text("controls.js") and "map.rcOffline = group" in static_text("atlas.js")


def test_overlay_legend_escapes_its_labels():
    html = page(folium.FeatureGroup().add_child(OverlayLegend("<b>titre</b>", [("#fff", "<i>x</i>")])))
    [spec] = calls(html, "L.rcOverlayLegend")
    assert "<b>titre</b>" not in spec["html"] and "&lt;b&gt;titre&lt;/b&gt;" in spec["html"]
    assert "<i>" not in spec["html"]
    [line] = [line for line in html.splitlines() if "L.rcOverlayLegend(" in line]
    assert "<" not in line  # the JSON in the page escapes < too


def test_presentation_map_flies():
    assert calls(mapview.base_map(None, fly=True).get_root().render(), "L.rcFlyTo") == [{"seconds": 2.0}]
    assert calls(mapview.base_map(None).get_root().render(), "L.rcFlyTo") == []
    assert "map.flyTo(" in static_text("controls.js")


def test_overseas_notice_counts_each_territory_and_france():
    import pandas as pd

    df = pd.DataFrame({"region": ["Bretagne", "Guyane", "Guyane", "Nouvelle-Calédonie", "Hors de France", "Guyane"],
                       "lat": [48.1, 4.9, 5.1, -22.3, 46.2, None], "lon": [-1.7, -52.3, -52.6, 166.5, 6.1, None]})
    notice = mapview.overseas_notice(df)
    assert [(t["name"], t["count"]) for t in notice.territories] == [("Guyane", 2), ("Nouvelle-Calédonie", 1)]
    (south, west), (north, east) = notice.territories[1]["bounds"]
    assert south < -22.3 < north and west < 166.5 < east
    assert notice.home["name"] == "France métropolitaine" and notice.home["count"] == 1  # not abroad, not unplaced
    group = folium.FeatureGroup(name="Lieux")
    notice.add_to(group)
    [spec] = calls(page(group), "L.rcOverseas")
    assert spec["label"] == "lieux outre-mer" and len(spec["territories"]) == 2
    assert "L.rcOverseas = function" in static_text("controls.js")
    assert mapview.overseas_notice(df[df["region"] == "Bretagne"]) is None


def test_legend_says_the_network_vocabulary():
    import tomllib

    from reseau_map.files.vocabulary import parse_vocabulary

    vocab = parse_vocabulary(tomllib.loads('[[types]]\nid = "fab"\nlabel = "Fablab <b>"\ncolour = "#009E73"\n'
                                           '[[statuses]]\nid = "actif"\nlabel = "Actif"\nmeaning = "open"'))
    [spec] = calls(page(Legend("x", vocab=vocab)), "L.rcLegend")
    assert "Fablab &lt;b&gt;" in spec["html"] and "#009E73" in spec["html"] and "Actif" in spec["html"]
    assert "Cantine" not in spec["html"] and "En projet" not in spec["html"]
