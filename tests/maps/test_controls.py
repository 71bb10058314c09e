"""Map controls: legend, blank base layer, overlay legends, flights."""

import json

import folium

from reseau_map.maps import mapview
from reseau_map.maps.atlas import AtlasBase, Regions2012
from reseau_map.maps.controls import FrenchControls, Legend, OverlayLegend, SharedCanvas


def page(*elements):
    m = folium.Map(tiles=None)
    for element in elements:
        element.add_to(m)
    return m.get_root().render()


def test_legend_names_every_type_and_the_sources():
    html = page(Legend("Lieux : B. Martin (2012) | Régions : GeoNames (CC BY 4.0)"))
    for label in ("Cantine", "Lieu associé", "Autre lieu cité", "Ouvert", "En projet"):
        assert label in html
    assert "GeoNames (CC BY 4.0)" in html


def test_atlas_is_a_base_layer_choice_and_2012_an_overlay():
    atlas = AtlasBase()
    old = Regions2012(atlas)
    assert atlas.overlay is False and atlas.control is True and atlas.show is True
    assert old.overlay is True and old.show is False
    html = page(atlas, old, folium.LayerControl())
    assert "Atlas hors ligne" in html and json.dumps("Régions de 2012")[1:-1] in html  # as folium escapes it
    assert "dashArray: '7 5'" in html


def test_controls_speak_french_and_metric():
    html = page(FrenchControls())
    assert "Zoom avant" in html and "Zoom arrière" in html and "imperial: false" in html
    assert "setAttribute('lang', 'fr')" in html


def test_one_canvas_for_every_interactive_layer():
    html = page(SharedCanvas())
    assert "_paneRenderers" in html and "L.rcHitCanvas = hit" in html


def test_legend_falls_back_to_the_atlas_when_tiles_fail():
    atlas = AtlasBase()
    html = page(atlas, Legend("x", atlas))
    assert "tileerror" in html and f"map.addLayer({atlas.get_name()})" in html


def test_overlay_legend_escapes_its_labels():
    html = page(folium.FeatureGroup().add_child(OverlayLegend("<b>titre</b>", [("#fff", "<i>x</i>")])))
    assert "<b>titre</b>" not in html and "&lt;b&gt;titre&lt;/b&gt;" in html


def test_presentation_map_flies():
    assert "flyTo" in mapview.base_map(None, fly=True).get_root().render()
    assert "flyTo" not in mapview.base_map(None).get_root().render()


def test_legend_says_the_network_vocabulary():
    import tomllib

    from reseau_map.files.vocabulary import parse_vocabulary

    vocab = parse_vocabulary(tomllib.loads('[[types]]\nid = "fab"\nlabel = "Fablab <b>"\ncolour = "#009E73"\n'
                                           '[[statuses]]\nid = "actif"\nlabel = "Actif"\nmeaning = "open"'))
    html = page(Legend("x", vocab=vocab))
    assert "Fablab &lt;b&gt;" in html and "#009E73" in html and "Actif" in html
    assert "Cantine" not in html and "En projet" not in html
