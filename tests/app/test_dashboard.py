"""The page, run headless with AppTest on fixture files: what the map, the URL and the text show.

Expectations come from the data through the library (not from the 2012 rows), and every check
runs on two files: a small fixture with its network file, and a copy of the network's own
`data/places.csv` with one valid place added, as the README tells coordinators to do.
"""

import html
import json
import re
import shutil
from pathlib import Path

import pytest
from pages import run_page
from streamlit.testing.v1 import AppTest

from reseau_map.app import state
from reseau_map.app.slideshow import PLACE_ZOOM
from reseau_map.domain.catalogue import build_catalogue
from reseau_map.files.network import network_for
from reseau_map.maps.controls import decode_fit
from reseau_map.maps.layers import decode_payload, payload_column
from reseau_map.maps.library import calls
from reseau_map.maps.regionlayer import decode_regions
from reseau_map.maps.served import served

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "dashboard.py")
FIXTURES = Path(__file__).parent.parent / "fixtures"
TIMEOUT = 60
ADDED_ROW = ("nouveau-lieu,Nouveau lieu d'essai,lieu_associe,ouvert,,Lille,,,,,,,,"
             "Une phrase qui atteste le nouveau lieu.\n")


def unescape(text: str) -> str:
    """What a reader sees of Markdown text that the page escaped (no-break spaces read as spaces)."""
    return re.sub(r"\\(.)", r"\1", text).replace("\u00a0", " ").replace("\u202f", " ")


@pytest.fixture(params=["fixture", "seed-plus-one"])
def places(request, tmp_path, monkeypatch) -> Path:
    """A places file (with its network file beside it), pointed at by RESEAU_MAP_PLACES."""
    if request.param == "fixture":
        shutil.copytree(FIXTURES / "page", tmp_path / "page")
        path = tmp_path / "page" / "places.csv"
    else:
        path = tmp_path / "places.csv"
        path.write_bytes((ROOT / "data" / "places.csv").read_bytes() + ADDED_ROW.encode())
        shutil.copy(ROOT / "data" / "network.toml", tmp_path / "network.toml")
    monkeypatch.setenv("RESEAU_MAP_PLACES", str(path))
    return path


def catalogue_of(path: Path):
    return build_catalogue(path.read_bytes()).places


def default_types(path: Path) -> tuple[str, ...]:
    return network_for(path).vocabulary.default_types


def every_type(path: Path) -> list[str]:
    return list(network_for(path).vocabulary.type_ids)


def run(params: dict | None = None, tab: str = "") -> AppTest:
    return run_page(APP, params, tab, timeout=TIMEOUT)


def map_args(at: AppTest) -> dict:
    maps = at.get("component_instance")
    assert len(maps) == 1
    return json.loads(maps[0].proto.json_args)


def drawn(args: dict) -> set[str]:
    """Names of the places the map draws (unescaped)."""
    payloads = decode_payload(args["feature_group"])
    assert len(payloads) == 1
    return {html.unescape(n) for n in payload_column(payloads[0], "name")}


def located(df, **equal) -> set[str]:
    df = df.dropna(subset=["lat", "lon"])
    for column, values in equal.items():
        df = df[df[column].isin(values if isinstance(values, (list, tuple, set)) else [values])]
    return set(df["name"])


def texts(elements) -> str:
    return unescape(" ".join(e.value for e in elements))


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def test_default_page_draws_the_default_types(places):
    df = catalogue_of(places)
    at = run()
    args = map_args(at)
    assert drawn(args) == located(df, type=default_types(places))
    # Offline and sent once: libraries, atlas and places are files of this server, not arguments.
    links = [served().path_of(link) for link in args["js_links"] + args["css_links"]]
    assert links and all(path is not None and path.is_file() for path in links)
    assert len(args["script"]) < 30_000 and "data" not in calls(args["script"], "L.rcAtlas")[0]
    assert unescape(at.title[0].value) == network_for(places).name  # escaped: the name is text, not Markdown


def test_region_in_the_url_filters_and_frames(places):
    df = catalogue_of(places)
    kept = df.dropna(subset=["lat"])
    kept = kept[kept["type"].isin(default_types(places))]
    region = kept["region"].value_counts().index[0]
    at = run({"region": region.lower()})  # any spelling of a region is understood
    args = map_args(at)
    assert drawn(args) == located(kept, region=region)
    (south, west), (north, east) = decode_fit(args["feature_group"])  # fitted in the browser, once
    here = kept[kept["region"] == region]
    assert here["lat"].between(south, north).all() and here["lon"].between(west, east).all()
    assert args["center"] is None  # the browser fits: it knows the map's real size
    assert [list(spec["regions"]) for spec in decode_regions(args["feature_group"])] == [[region]]  # outlined


def test_status_in_the_url(places):
    df = catalogue_of(places)
    at = run({"status": "en_projet"})
    assert drawn(map_args(at)) == located(df, type=default_types(places), status="en_projet")


def test_invalid_url_values_give_one_notice_each_not_a_crash(places):
    df = catalogue_of(places)
    at = run({"region": "Atlantide", "type": ["bar"] * 50, "zoom": "99"})
    # The file's own notice (a row off the map, issue 19) comes first; then the URL's.
    warnings = [unescape(w.value) for w in at.warning if "écartée" not in unescape(w.value)]
    assert len(warnings) == 3  # 50 repeats of one bad value: one notice
    assert any("region=Atlantide" in w for w in warnings) and any("type=bar" in w for w in warnings)
    assert drawn(map_args(at)) == located(df, type=default_types(places))


def test_rows_off_the_map_are_said_above_it(places):
    # The page's fixture has a row whose commune is unknown: one notice above the map says so. The
    # seed's La Fonderie, which its source places nowhere, is left to the caption under the map
    # (when its type is shown) and to the Import tab.
    at = run()
    notices = [unescape(w.value) for w in at.warning if "écartée" in unescape(w.value)]
    if places.parent.name == "page":
        assert notices == ["1 ligne sur 8 écartée : commune introuvable — voir « Import et hors carte »."]
    else:
        assert notices == []


def test_unknown_place_in_the_url_gives_a_notice(places):
    at = run({"place": "nulle-part"})
    assert any("place=nulle-part" in unescape(w.value) for w in at.warning)
    assert map_args(at)["center"] is None


def test_place_in_the_url_centres_the_map_and_shows_its_fiche(places):
    df = catalogue_of(places).dropna(subset=["lat"])
    row = df.iloc[-1]
    at = run({"place": row["id"]})
    args = map_args(at)
    assert args["center"] == pytest.approx([row["lat"], row["lon"]], abs=1e-4)
    assert args["zoom"] >= 10
    assert row["name"] in texts(at.markdown)
    button(at, "Fermer la fiche").click().run()
    assert "place" not in at.query_params and map_args(at)["center"] is None


def test_filter_change_keeps_the_base_map(places):
    df = catalogue_of(places)
    at = run()
    before = map_args(at)
    at.sidebar.multiselect(key="f_statuses").set_value(["en_projet"]).run()
    after = map_args(at)
    assert after["script"] == before["script"]  # base map unchanged: not redrawn
    assert drawn(after) == located(df, type=default_types(places), status="en_projet")
    assert decode_fit(after["feature_group"]) != decode_fit(before["feature_group"])  # framed anew
    assert at.query_params["status"] in ("en_projet", ["en_projet"])


def test_the_link_restores_the_whole_view(places):
    df = catalogue_of(places)
    year = next(str(y) for y in sorted(df["opened"].dropna()))
    query = {"year": year, "choro": "1", "near": "Vannes", "q": "e", "type": "cantine"}
    at = run(query)
    assert at.sidebar.toggle(key="f_choro").value is True
    assert at.text_input(key="f_near").value == "Vannes"
    for key, value in query.items():
        assert at.query_params[key] in (value, [value]), key
    at = run({"center": "47.5,-2.1", "zoom": "9"})
    assert map_args(at)["center"] == [47.5, -2.1] and map_args(at)["zoom"] == 9


def test_presentation_tours_the_places(places):
    df = catalogue_of(places)
    at = run({"mode": "presentation"})
    assert len(at.sidebar.multiselect) == 0
    assert "rc-band" in " ".join(m.value for m in at.markdown)
    first = map_args(at)
    assert "Le réseau en" in first["feature_group"]  # the timeline plays first
    for _ in range(10):
        button(at, "Suivant ▶").click().run()
        args = map_args(at)
        if args["zoom"] == PLACE_ZOOM:  # past the timeline, on the first place
            break
    assert args["script"] == first["script"]  # the base map is not redrawn
    lat, lon = args["center"]
    assert ((df["lat"] - lat).abs() + (df["lon"] - lon).abs()).min() < 1e-3  # on a place
    button(at, "Suivant ▶").click().run()
    button(at, "◀ Précédent").click().run()
    assert map_args(at)["center"] == args["center"]


def test_presentation_with_nothing_to_show_says_so():
    at = run({"mode": "presentation", "type": "autre", "status": "en_projet", "region": ["bzh", "nope"]})
    assert any("Aucun lieu à présenter" in w.value for w in at.warning)
    assert any("region=nope" in unescape(w.value) for w in at.warning)  # URL notices shown here too


def test_choropleth_labels_agree_with_the_list(places):
    at = run({"type": every_type(places)}, tab="Liste des lieux")
    at.sidebar.toggle(key="f_choro").set_value(True).run()
    fg = map_args(at)["feature_group"]
    labels = [html.unescape(r["label"]) for spec in decode_regions(fg) for r in spec["regions"].values()]
    table = next(d.value for d in at.dataframe if "Région" in d.value.columns)
    for region, count in table.groupby("Région").size().items():
        if region in ("Hors de France", "non renseignée"):
            continue
        noun = "lieu" if count == 1 else "lieux"
        assert any(label.startswith(f"{region} : {count} {noun}") for label in labels), region
    assert "Lieux affichés par région" in fg


def test_region_panel_lists_places_and_programmes(places):
    net = network_for(places)
    programme = net.programmes[0]
    at = run({"region": programme.region, "type": every_type(places)})
    text = texts(at.markdown)
    assert f"{programme.region} : " in text and programme.name in text


def test_nearest_open_places_to_a_typed_city(places):
    at = run()
    assert "f_near" not in {t.key for t in at.sidebar.text_input}  # beside the map, not in the sidebar
    at.text_input(key="f_near").set_value("Vannes").run()
    results = [b for b in at.button if b.key and b.key.startswith("near_place_")]
    assert results and all(" km — " in unescape(b.label) for b in results)
    assert "Départ : Vannes" in map_args(at)["feature_group"]
    results[0].click().run()  # a result's name selects its place
    place = results[0].key.removeprefix("near_place_")
    assert at.query_params["place"] in (place, [place])
    at.text_input(key="f_near").set_value("Vanes").run()
    assert any("Vouliez-vous dire" in unescape(w.value) for w in at.warning)
    suggestion = next(b for b in at.button if b.key == "near_suggest_0")
    assert unescape(suggestion.label) == "Vannes"
    suggestion.click().run()  # clickable: the suggestion becomes the city
    assert at.text_input(key="f_near").value == "Vannes"
    assert "Départ : Vannes" in map_args(at)["feature_group"]


def test_foreign_cities_by_their_french_name(places):
    at = run({"near": "Genève"})
    assert "Départ : Genève" in map_args(at)["feature_group"]
    assert any("hors de France" in unescape(i.value) for i in at.info)


def test_a_row_of_the_list_keeps_the_list_tab_and_closing_clears_it(places):
    df = catalogue_of(places)
    at = run(tab="Liste des lieux")
    table = next(d for d in at.dataframe if "Nom" in d.value.columns)
    first = table.value.iloc[0]["Nom"]
    assert "table_0" in at.session_state
    # What a click on a row does (AppTest cannot click the table's canvas): its callback selects the place.
    screen = at.session_state[state.SCREEN]
    at.session_state[state.SCREEN] = screen.select(df[df["name"] == first]["id"].iloc[0])
    at.run()
    assert at.session_state["tab"] == "Liste des lieux"  # the list stays open
    assert any(d for d in at.dataframe if "Nom" in d.value.columns)
    button(at, "Fermer la fiche").click().run()
    assert at.session_state["tab"] == "Liste des lieux"
    assert "place" not in at.query_params
    assert "table_1" in at.session_state  # a fresh table: no row stays ticked


def test_unchanged_rerun_sends_the_same_map_message(places):
    # Streamlit sends a reference instead of a message the browser already has (same hash):
    # that needs the component's arguments to be byte-identical from one run to the next.
    at = run({"region": "Bretagne"})
    before = at.get("component_instance")[0].proto.json_args
    at.run()
    assert at.get("component_instance")[0].proto.json_args == before


def test_rows_off_the_map_are_listed_with_their_reason(places):
    at = run(tab="Import et hors carte")
    off = next(d.value for d in at.dataframe if "Raison" in d.value.columns)
    df = catalogue_of(places)
    assert set(off["Lieu"]) >= set(df[df["lat"].isna()]["name"])


def test_hostile_file_and_url_are_shown_as_text(monkeypatch):
    monkeypatch.setenv("RESEAU_MAP_PLACES", str(FIXTURES / "places_hostile.csv"))
    at = run({"place": "**[Session expirée](https://evil.example/)**", "near": "![x](http://h/t.png)"})
    names = drawn(map_args(at))
    assert "<script>alert(1)</script>Cantine" in names  # escaped in the payload, shown as text
    assert "<script>" not in map_args(at)["feature_group"]
    for element in list(at.warning) + list(at.markdown) + list(at.caption):
        assert "](" not in element.value.replace("\\](", ""), element.value  # no Markdown link survives
    assert any("Session expirée" in unescape(w.value) for w in at.warning)


def test_a_partner_file_without_network_file_gets_a_neutral_page(monkeypatch, tmp_path):
    path = tmp_path / "tiers-lieux_bretagne.csv"
    path.write_bytes((FIXTURES / "page" / "places.csv").read_bytes())
    monkeypatch.setenv("RESEAU_MAP_PLACES", str(path))
    at = run()
    assert unescape(at.title[0].value) == "Tiers lieux bretagne"
    assert not any("Chiffres déclarés" in s.value for s in [*at.header, *at.subheader])
    assert any("Calculé d'après la carte" in s.value for s in at.header)  # the figures are h2 (headings in order)
    assert drawn(map_args(at)) == located(catalogue_of(path))  # every type the file has
    assert "tiers-lieux_bretagne.csv" in map_args(at)["script"]  # the file is credited on the map


def test_unreadable_places_file_is_a_french_error_not_a_crash(monkeypatch, tmp_path):
    monkeypatch.setenv("RESEAU_MAP_PLACES", str(tmp_path / "absent.csv"))
    at = run()
    assert at.error and "Fichier des lieux illisible" in unescape(at.error[0].value)
    assert not at.get("component_instance")


def test_unknown_mode_gives_a_notice(places):
    at = run({"mode": "diaporama"})
    assert any("mode=diaporama" in unescape(w.value) for w in at.warning)
    assert len(at.sidebar.multiselect) == 3  # the normal page


def test_a_damaged_cache_is_set_aside_and_the_map_still_draws(places):
    cache = places.with_name(places.name + ".geocache.csv")  # beside the places file
    cache.write_bytes(b"Ville;lat\x00\xff\xfe cut")
    df = catalogue_of(places)
    at = run()
    assert any("cache" in unescape(w.value) for w in at.warning)
    assert drawn(map_args(at)) == located(df, type=default_types(places))
    assert not cache.exists() and list(places.parent.glob("*.damaged-*"))


PARTNER_NETWORK = """[network]
name = "Réseau des ateliers"

[vocabulary]
default_types = ["fablab"]

[[vocabulary.types]]
id = "fablab"
label = "Fablab"
plural = "fablabs"
colour = "#009E73"

[[vocabulary.types]]
id = "coworking"
label = "Coworking"
colour = "#CC79A7"

[[vocabulary.statuses]]
id = "actif"
label = "Actif"
meaning = "open"
"""


def test_a_network_file_that_declares_its_vocabulary_speaks_it(monkeypatch, tmp_path):
    (tmp_path / "network.toml").write_text(PARTNER_NETWORK, encoding="utf-8")
    path = tmp_path / "ateliers.csv"
    path.write_text("id,name,type,status,city,lat,lon\nf1,Atelier A,Fablab,actif,Rennes,48.11,-1.68\n"
                    "f2,Atelier B,fablab,actif,Brest,48.39,-4.49\nc1,Bureau C,coworking,actif,Nantes,47.22,-1.55\n",
                    encoding="utf-8")
    monkeypatch.setenv("RESEAU_MAP_PLACES", str(path))
    at = run({"type": "coworking,fablab", "status": "Actif"})
    types = at.sidebar.multiselect(key="f_types")
    assert types.options == ["Fablab", "Coworking"] and set(types.value) == {"fablab", "coworking"}
    assert at.sidebar.multiselect(key="f_statuses").value == ["actif"]
    args = map_args(at)
    assert drawn(args) == {"Atelier A", "Atelier B", "Bureau C"}
    assert "Fablab" in args["script"] and "#009E73" in args["script"]  # the legend and the markers' colour
    assert "Cantine" not in args["script"]
    assert "3 lieux : tous types, actifs, toutes régions." in texts(at.markdown)
    at = run()  # the network's default types
    assert drawn(map_args(at)) == {"Atelier A", "Atelier B"}
    assert at.sidebar.multiselect(key="f_types").value == ["fablab"]
    assert "2 lieux : fablabs, tous statuts, toutes régions." in texts(at.markdown)
    at = run(tab="Chiffres")
    assert [m.label for m in at.metric][:2] == ["Lieux affichés", "Fablabs"]
    at = run({"region": "Bretagne", "type": "fablab,coworking"})
    assert "Fablabs : 2 · Autres : 0 · Villes : 2" in texts(at.caption)  # the types not shown by default, together
