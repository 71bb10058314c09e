"""The page, run headless with AppTest: no exception, and the map gets the expected places."""

import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "dashboard.py")
TIMEOUT = 60


def run(params: dict | None = None, env_file: Path | None = None, monkeypatch=None) -> AppTest:
    if env_file is not None:
        monkeypatch.setenv("RESEAU_MAP_PLACES", str(env_file))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def map_args(at: AppTest) -> dict:
    maps = at.get("component_instance")
    assert len(maps) == 1
    return json.loads(maps[0].proto.json_args)


def place_names(args: dict) -> set[str]:
    # The places layer carries a JSON payload; its "name" column holds the (escaped) names.
    script = args["feature_group"]
    start = script.index("var P = ") + len("var P = ")
    names = json.JSONDecoder().raw_decode(script[start:])[0]["cols"]["name"]
    return set(names["v"]) if "v" in names else {names["k"][i] for i in names["i"]}


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def test_default_page():
    at = run()
    args = map_args(at)
    names = place_names(args)
    assert "Cantine numérique de Rennes" in names
    assert "La Boate" in names
    assert "CitizenSpace" not in names  # `autre` places are off by default
    assert len(names) == 13
    assert any("13 lieux : cantines et lieux associés" in m.value for m in at.markdown)
    assert all(link.startswith("data:") for link in args["js_links"] + args["css_links"])
    assert at.title[0].value == "Réseau des Cantines et des lieux associés"


@pytest.mark.parametrize("params, expected", [
    ({"region": "Bretagne"}, {"Cantine numérique de Rennes", "Projet de cantine à Brest"}),
    ({"status": "en_projet"}, {"Projet de cantine à Brest", "Projet de cantine à Tours",
                               "Projet de cantine à Orléans", "Projet de cantine à Angers"}),
    ({"type": "lieu_associe"}, {"Le Labo de l'édition", "La Boate", "Le Node", "La Plage Digitale"}),
])
def test_url_filters_reach_the_map(params, expected):
    at = run(params)
    assert place_names(map_args(at)) == {n.replace("'", "&#x27;") for n in expected}


def test_invalid_url_value_gives_a_notice_not_a_crash():
    at = run({"region": "Atlantide", "type": "bar"})
    warnings = " ".join(w.value for w in at.warning)
    assert "region=Atlantide" in warnings and "type=bar" in warnings
    assert len(place_names(map_args(at))) == 13


def test_unknown_place_in_url_gives_a_notice():
    at = run({"place": "nulle-part"})
    assert any("place=nulle-part" in w.value for w in at.warning)
    assert map_args(at)["center"] is None


def test_place_in_url_centres_the_map_and_shows_details():
    at = run({"place": "cantine-toulon"})
    args = map_args(at)
    assert args["center"] == pytest.approx([43.12, 5.93], abs=0.05)
    assert args["zoom"] >= 10
    assert any("Cantine numérique de Toulon" in m.value for m in at.markdown)


def test_region_view_fits_the_region():
    at = run({"region": "Bretagne"})
    args = map_args(at)
    lat, lon = args["center"]
    assert 47.0 < lat < 49.0 and -5.0 < lon < -1.0
    assert args["zoom"] >= 7
    # The highlighted outline is Bretagne's, in the highlight colour, in the layer that changes.
    fg = args["feature_group"]
    assert '"name": "Bretagne"' in fg and "#d62728" in fg
    assert '"name": "Normandie"' not in fg


def test_filter_change_keeps_the_base_map():
    at = run()
    before = map_args(at)
    at.sidebar.multiselect(key="f_statuses").set_value(["en_projet"]).run()
    after = map_args(at)
    assert after["script"] == before["script"]  # base map unchanged: not redrawn
    assert after["feature_group"] != before["feature_group"]
    assert len(place_names(after)) == 4
    assert at.query_params["status"] in ("en_projet", ["en_projet"])


def test_other_places_file_and_bad_rows_are_listed(monkeypatch):
    fixture = Path(__file__).parent / "fixtures" / "places_mixed.csv"
    at = run(env_file=fixture, monkeypatch=monkeypatch)
    names = place_names(map_args(at))
    assert names == {"Cantine de test", "Lieu aux coordonnées fausses"}
    off = [df.value for df in at.dataframe]
    text = " ".join(d.to_string() for d in off)
    assert "Rennnes" in text and "200" in text


def test_presentation_mode_hides_the_sidebar_and_tours():
    at = run({"mode": "presentation"})
    assert len(at.sidebar.multiselect) == 0 and len(at.sidebar.text_input) == 0
    band = " ".join(m.value for m in at.markdown)
    assert "30 salariés permanents" in band and "rc-band" in band
    first = map_args(at)
    assert "Le réseau en 2010" in first["feature_group"]  # the timeline plays first
    for _ in range(3):  # 2010, 2012, demain, then the first place
        button(at, "Suivant ▶").click().run()
    args = map_args(at)
    assert "Cantine numérique de Rennes" in args["feature_group"]  # cantines by opening year: Rennes first
    assert args["center"] == pytest.approx([48.11, -1.67], abs=0.05)
    assert args["script"] == first["script"]  # the base map is not redrawn
    button(at, "Suivant ▶").click().run()
    assert map_args(at)["center"] != args["center"]
    button(at, "◀ Précédent").click().run()
    assert map_args(at)["center"] == args["center"]


def test_presentation_of_one_region():
    at = run({"mode": "presentation", "region": "Bretagne", "type": "cantine"})
    names = place_names(map_args(at))
    assert names <= {"Cantine numérique de Rennes"}  # 2010: only Rennes was open


def test_choropleth_counts_match_the_table():
    at = run({"type": ["cantine", "lieu_associe", "autre"]})
    at.sidebar.toggle(key="f_choro").set_value(True).run()
    fg = map_args(at)["feature_group"]
    # folium writes the GeoJSON with ASCII escapes: decode each tooltip label.
    labels = [json.loads(f'"{m}"') for m in re.findall(r'"label": "((?:[^"\\]|\\.)*)"', fg)]
    assert len(labels) == 13
    table = next(d.value for d in at.dataframe if "Région" in d.value.columns)
    counts = table.groupby("Région").size()
    assert counts.sum() == 19  # every place of the seed, `autre` and the unlocated one included
    for region, count in counts.items():
        if region in ("Hors de France", "non renseigné"):
            continue
        noun = "lieu" if count == 1 else "lieux"
        assert any(label.startswith(f"{region} : {count} {noun}") for label in labels), region
    assert "Bretagne : 2 lieux (1 ouvert, 1 en projet)" in labels
    assert "Lieux affichés par région" in fg


def test_region_panel_lists_places_and_programmes():
    at = run({"region": "Nouvelle-Aquitaine", "type": "lieu_associe"})
    text = " ".join(m.value for m in at.markdown)
    assert "Nouvelle-Aquitaine : 1 lieu (1 ouvert)" in text
    assert "Le Node" in text and "Consortium Tiers-Lieux" in text


def test_nearest_places_to_a_typed_city():
    at = run()
    at.sidebar.text_input(key="near_q").set_value("Vannes").run()
    text = " ".join(m.value for m in at.sidebar.markdown)
    assert "Cantine numérique de Rennes" in text and " km** — " in text
    args = map_args(at)
    assert "Départ : Vannes" in args["feature_group"]
    at.sidebar.text_input(key="near_q").set_value("Vanes").run()
    assert any("vouliez-vous dire" in w.value for w in at.sidebar.warning)


def test_hostile_names_are_shown_as_text(monkeypatch):
    at = run(env_file=Path(__file__).parent / "fixtures" / "places_hostile.csv", monkeypatch=monkeypatch)
    names = place_names(map_args(at))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;Cantine" in names
    assert "Cantine {{ 7*7 }}" in names  # not evaluated as a template
    assert "<script>" not in map_args(at)["feature_group"]


def test_unchanged_rerun_sends_the_same_map_message():
    # Streamlit sends a reference instead of a message the browser already has (same hash):
    # that needs the component's arguments to be byte-identical from one run to the next.
    at = run({"region": "Bretagne"})
    before = at.get("component_instance")[0].proto.json_args
    at.run()
    assert at.get("component_instance")[0].proto.json_args == before


def test_unreadable_places_file_is_a_french_error_not_a_crash(monkeypatch, tmp_path):
    at = run(env_file=tmp_path / "absent.csv", monkeypatch=monkeypatch)
    assert at.error and "Fichier des lieux illisible" in at.error[0].value
    assert not at.get("component_instance")


def test_unknown_mode_gives_a_notice():
    at = run({"mode": "diaporama"})
    assert any("mode=diaporama" in w.value for w in at.warning)
    assert len(at.sidebar.multiselect) == 3  # the normal page
