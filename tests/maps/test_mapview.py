"""The folium map: offline assets, one places layer, escaped popups, views."""

import json
import re

import pandas as pd
import pytest

from reseau_map.domain import camera
from reseau_map.maps import mapview
from reseau_map.maps.layers import (
    FULL_POPUP_MAX,
    LIBRARY_FILE,
    PlacesLayer,
    Prepared,
    clicked_id,
    decode_payload,
    payload_column,
    payload_of,
    places_payload,
)
from reseau_map.maps.library import LIBRARY_JS, MapLibrary
from reseau_map.maps.served import Served

HOSTILE = '<img src=x onerror="alert(1)">Cantine'


@pytest.fixture
def df():
    return pd.DataFrame({
        "id": ["rennes", "evil", "brest"],
        "name": ["Cantine de Rennes", HOSTILE, "Projet Brest"],
        "type": ["cantine", "lieu_associe", "cantine"],
        "status": ["ouvert", "ouvert", "en_projet"],
        "address": ["", "", ""],
        "city": ["Rennes", "Paris", "Brest"],
        "region": ["Bretagne", "Île-de-France", "Bretagne"],
        "lat": [48.1173, 48.8566, 48.3904],
        "lon": [-1.6778, 2.3522, -4.4861],
        "precision": ["ville", "adresse", "ville"],
        "opened": pd.array([2010, None, None], dtype="Int64"),
        "website": ["https://example.org/?a=1&b=2", "", ""],
        "description": ["", "", ""],
        "source": ["Depuis 2010, les cantines existent en province.", "", ""],
    })


def rendered(df, outlines=None):
    return mapview.standalone_html(df, outlines, "Source de test")


def test_no_external_script_or_stylesheet(df):
    page = rendered(df)
    links = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', page)
    assert links, "the page loads its assets"
    assert all(link.startswith("data:") for link in links), links
    assert "cdn.jsdelivr" not in page and "code.jquery.com" not in page


def test_places_are_in_the_map(df):
    page = rendered(df)
    assert "Cantine de Rennes" in page and "Projet Brest" in page
    assert "48.1173" in page


def test_hostile_name_is_escaped(df):
    page = rendered(df)
    assert HOSTILE not in page and "<img" not in page  # the JSON in the page escapes < too
    assert payload_column(decode_payload(page)[0], "name")[1] == "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;Cantine"


def value(payload, col, i):
    return payload_column(payload, col)[i]


def test_payload_shares_repeated_strings_and_codes_styles(df):
    p = places_payload(df, selected="brest")
    repeated = Prepared(pd.concat([df] * 4, ignore_index=True)).data["cols"]["region"]
    assert repeated["k"].count("Bretagne") == 1 and len(repeated["i"]) == 12  # sent once, used 8 times
    assert p["t"] == [0, 1, 0] and p["s"] == [0, 0, 1]
    assert value(p, "opened", 0) == "2010" and value(p, "opened", 1) == ""
    assert value(p, "website", 0) == "https://example.org/?a=1&amp;b=2"
    assert p["selected"] == 2 and p["full"] is True


def test_the_markers_colours_and_labels_come_from_the_vocabulary(df):
    import tomllib

    from reseau_map.files.vocabulary import parse_vocabulary

    vocab = parse_vocabulary(tomllib.loads(
        '[[types]]\nid = "lieu_associe"\nlabel = "Tiers-lieu"\ncolour = "#009E73"\n'
        '[[types]]\nid = "cantine"\nlabel = "Cantine numérique"\ncolour = "#CC79A7"\n'
        '[[statuses]]\nid = "en_projet"\nlabel = "Bientôt"\n[[statuses]]\nid = "ouvert"\nlabel = "Ouvert"'))
    data = Prepared(df, vocab).data
    assert data["colors"] == ["#009E73", "#CC79A7"] and data["typeLabels"] == ["Tiers-lieu", "Cantine numérique"]
    assert data["statusLabels"] == ["Bientôt", "Ouvert", "Statut non renseigné"]
    assert data["t"] == [1, 0, 1] and data["s"] == [1, 1, 0]  # ranks in this vocabulary's order


def test_inline_places_above_the_limit_leave_long_fields_for_the_details_panel(df):
    big = pd.concat([df] * (FULL_POPUP_MAX // 3 + 1), ignore_index=True)
    p = places_payload(big)
    assert p["full"] is False
    assert set(p["cols"]) == {"name", "city", "region", "opened", "precision"}


def test_served_places_travel_once_and_a_filter_sends_a_bit_per_place(df, tmp_path):
    big = pd.concat([df] * (FULL_POPUP_MAX // 3 + 1), ignore_index=True).assign(id=lambda d: d.index.astype(str))
    files = Served(tmp_path)
    prepared = Prepared(big)
    assert prepared.publish(files)
    shown = big[big["city"] == "Brest"]
    spec = prepared.spec(prepared.positions(shown), selected="5", source_label="Source")
    sent = json.dumps(spec)
    assert "Projet Brest" not in sent and len(sent) < 400 + len(big) // 6  # names are in the file
    payload = payload_of(spec, files)
    assert payload["ids"] == list(shown["id"]) and payload["selected"] == 1
    assert payload["full"] is True and payload_column(payload, "source")[0] == ""  # long texts: own file
    names = sorted(p.name for p in tmp_path.iterdir())  # the places, then their long texts
    assert len(names) == 2 and names[0].startswith("places-") and names[1].startswith("places-long-")
    again = Prepared(big)
    assert again.publish(files) and again.src == prepared.src  # same places, same file: cached by the browser


def test_unwritable_folder_keeps_the_places_inline(df, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    prepared = Prepared(df)
    assert not prepared.publish(Served(blocker / "web"))
    spec = prepared.spec(prepared.positions(df))
    assert prepared.src is None and "Projet Brest" in payload_column(spec["data"]["long"] | spec["data"], "name")


@pytest.mark.parametrize("name", ["Cantine {{ 7*7 }}", "{% raw %}", "{# x #}"])
def test_template_syntax_in_data_is_shown_as_text(df, name):
    # Found by the benchmark: branca re-parsed each rendered script as a Jinja template, so a
    # place named "Cantine {{ 7*7 }}" showed as "Cantine 49" and "{% x %}" crashed the page.
    df.loc[0, "name"] = name
    page = rendered(df)
    assert "Cantine 49" not in page
    assert payload_column(decode_payload(page)[0], "name")[0] == name


def test_one_layer_for_all_places(df):
    payloads = decode_payload(rendered(df))
    assert len(payloads) == 1 and payloads[0]["ids"] == ["rennes", "evil", "brest"]  # one payload, no per-place objects


def test_unlocated_places_are_left_out_of_the_layer(df):
    df.loc[1, ["lat", "lon"]] = float("nan")
    assert decode_payload(rendered(df))[0]["ids"] == ["rennes", "brest"]


def test_markers_are_clustered_by_screen_density_at_any_size(df):
    # Even three places: clustering follows what is close on screen, not a total.
    assert all(uri.startswith("data:") for _, uri in MapLibrary().default_js)  # the plugin, offline
    page = mapview.standalone_html(df, None)
    assert page.count("data:text/javascript") == 2 + len(LIBRARY_JS)  # Leaflet, MarkerCluster, our library
    assert "L.markerClusterGroup(" in LIBRARY_FILE.read_text() and '"maxZoom": 18' in page  # it needs maxZoom


def test_the_layer_reports_a_click_by_id_and_the_page_reads_it(df):
    payload = decode_payload(mapview.standalone_html(df, None))[0]
    assert payload["ids"] == ["rennes", "evil", "brest"]
    assert clicked_id({"last_object_clicked_tooltip": payload["clickPrefix"] + "7:evil"}) == "evil"
    assert clicked_id({"last_object_clicked_tooltip": "Cantine de Rennes"}) is None  # a plain tooltip
    assert clicked_id(None) is None and clicked_id({}) is None


def test_view_for_bounds_fits():
    center, zoom = camera.view_for_bounds([[47.3, -5.1], [48.9, -1.0]], 900, 600)
    assert center == pytest.approx((48.1, -3.05))
    assert zoom == 8  # 4.1° of longitude = 746 px at zoom 8, 1,492 px at zoom 9
    _, zoom_france = camera.view_for_bounds([[41.3, -5.2], [51.1, 9.6]], 900, 600)
    assert zoom_france < zoom


def test_place_view(df):
    assert camera.place_view(df, "brest") == ((48.3904, -4.4861), camera.PLACE_ZOOM)
    assert camera.place_view(df, "absent") is None


def test_base_map_has_layer_choice_and_legend():
    page = mapview.base_map(None).get_root().render()
    for name in ("OpenStreetMap", "CartoDB Positron", "Atlas hors ligne", "Régions de 2012", "Légende",
                 "IGN Admin Express", "Natural Earth (domaine public)"):
        assert json.dumps(name)[1:-1] in page or name in page, name


def test_choropleth_and_route_share_the_places_canvas(df):
    # The places' canvas takes every mouse event over the map: a tooltip under it never showed.
    from reseau_map.geo.regions import load_outlines
    from reseau_map.maps.controls import HIT_PANE

    layer, _legend = mapview.choropleth(load_outlines(), df)
    assert layer.options["pane"] == HIT_PANE
    origin_and_line = mapview.route(48.1, -1.7, "Rennes", df.iloc[[0]])
    assert all(e.options["pane"] == HIT_PANE for e in origin_and_line)
    page = mapview.standalone_html(df, None)
    assert page.index("L.rcSharedCanvas(") < page.index("L.rcPlaces(")  # the canvas exists before the places
    assert "renderer = L.rcHitCanvas ||" in LIBRARY_FILE.read_text()


def test_bounds_prefer_metropolitan_france(df):
    far = pd.concat([df, df.head(1).assign(id="reunion", lat=-21.0, lon=55.3)], ignore_index=True)
    (south, west), (north, east) = camera.bounds_of(far)
    assert south > 40 and east < 10  # La Réunion is reached through its region, not by zooming out
    (south, _), _ = camera.bounds_of(far.tail(1))
    assert south < -20  # only overseas places: then those


def test_projector_markers_grow_with_the_screen(df):
    assert places_payload(df)["projector"] is False
    group = mapview.places_group(df, projector=True)
    [layer] = [c for c in group._children.values() if isinstance(c, PlacesLayer)]
    assert layer.spec()["projector"] is True  # the browser scales markers to the screen
    assert "window.innerHeight / 540" in LIBRARY_FILE.read_text()
