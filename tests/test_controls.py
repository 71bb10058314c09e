"""Map controls: legend, blank base layer, overlay legends, flights."""

import folium

from reseau_map.maps import mapview
from reseau_map.maps.controls import BlankBase, Legend, OverlayLegend


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


def test_blank_base_is_a_base_layer_choice():
    blank = BlankBase("Aucun fond (hors ligne)")
    assert blank.overlay is False and blank.control is True
    assert "L.layerGroup()" in page(blank)


def test_overlay_legend_escapes_its_labels():
    html = page(folium.FeatureGroup().add_child(OverlayLegend("<b>titre</b>", [("#fff", "<i>x</i>")])))
    assert "<b>titre</b>" not in html and "&lt;b&gt;titre&lt;/b&gt;" in html


def test_presentation_map_flies():
    assert "flyTo" in mapview.base_map(None, fly=True).get_root().render()
    assert "flyTo" not in mapview.base_map(None).get_root().render()
