"""The network's own data of 2012: every row and figure quotes the source, and the page shows them.

The only tests that know the 2012 rows; every other test runs on fixture files.
"""

import html
import json
from pathlib import Path

import pytest
from pages import run_page
from streamlit.testing.v1 import AppTest

from reseau_map.cli import main
from reseau_map.domain.catalogue import build_catalogue
from reseau_map.files.network import DEFAULT_NETWORK, load_network
from reseau_map.files.places import DEFAULT_PLACES, load_places, read_bytes
from reseau_map.geo.regions import ABROAD, region_of_point
from reseau_map.maps.layers import decode_payload, payload_column
from reseau_map.maps.regionlayer import decode_regions

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT.parent / "shared" / "seed" / "reseau-des-cantines-2012.txt"
APP = str(ROOT / "dashboard.py")


@pytest.fixture(scope="module")
def seed_text() -> str:
    if not SEED.exists():
        pytest.skip("the shared seed document is not beside this checkout")
    return SEED.read_text(encoding="utf-8")


def run(params: dict | None = None) -> AppTest:
    return run_page(APP, params)


def plain(text: str) -> str:
    """Page text as read: Markdown escapes and French no-break spaces made plain."""
    return text.replace("\\", "").replace("\u00a0", " ").replace("\u202f", " ").replace("\u2060", "")


def drawn(at: AppTest) -> list[str]:
    args = json.loads(at.get("component_instance")[0].proto.json_args)
    return payload_column(decode_payload(args["feature_group"])[0], "name")


def test_seed_file_is_valid_and_complete():
    df, meta = load_places(read_bytes(DEFAULT_PLACES))
    assert meta.findings == ()
    cities = set(df["city"])
    for city in ("Paris", "Rennes", "Nantes", "Toulouse", "Toulon", "Marseille", "Bordeaux",
                 "Strasbourg", "Brest", "Tours", "Orléans", "Angers", "Saint-Étienne", "Lyon",
                 "San Francisco", "Philadelphia"):
        assert city in cities, city
    assert (df["type"] == "cantine").sum() == 9
    assert (df["type"] == "lieu_associe").sum() == 4
    assert set(df.loc[df["status"] == "en_projet", "city"]) == {"Brest", "Tours", "Orléans", "Angers"}
    assert df["id"].is_unique


def test_every_seed_row_quotes_the_source(seed_text):
    df, _ = load_places(read_bytes(DEFAULT_PLACES))
    for quote in df["source"]:
        assert quote, "every row carries its sentence"
        # A row may quote several sentences joined by a space; each must be in the source.
        for sentence in quote.replace(". ", ".\n").replace("» ", "»\n").split("\n"):
            assert sentence.strip() in seed_text


def test_declared_figures_carry_their_quotes(seed_text):
    net = load_network(DEFAULT_NETWORK)
    assert net.figure("salaries").value == "30" and net.figure("regions").value == "10"
    assert "1 000" in net.figure("membres").value
    assert net.launch["date"] == "2012-12-13"
    for fig in net.figures:
        assert fig.quote in seed_text, fig.key
    for prog in net.programmes:
        assert prog.quote in seed_text
    assert {p.region for p in net.programmes} == {"Nouvelle-Aquitaine", "Île-de-France", "Provence-Alpes-Côte d'Azur"}


def test_every_seed_place_falls_in_the_region_its_row_names():
    located = build_catalogue(read_bytes(DEFAULT_PLACES)).located
    french = located[located["region"] != ABROAD]
    assert len(french) == 15
    for _, place in french.iterrows():
        assert region_of_point(place["lat"], place["lon"]) == place["region"], place["name"]


def test_validate_seed_has_one_place_off_the_map(capsys):
    # The source gives La Fonderie no place: its row is kept and listed, but not on the map, and
    # validate says so (a lost row fails it, issue 19); nothing else is found.
    assert main(["validate"]) == 1
    out = capsys.readouterr().out
    assert out.rstrip().endswith("1 perdu(s), 0 douteux, 0 remarque(s) : 1 problème(s).")
    assert "« La Fonderie », sans lieu" in out


def test_the_page_of_2012():
    at = run()
    names = drawn(at)
    assert len(names) == 13 and "La Boate" in names and "CitizenSpace" not in names  # `autre` on demand
    assert any("13 lieux : cantines et lieux associés" in plain(m.value) for m in at.markdown)
    assert at.title[0].value == "Réseau des Cantines et des lieux associés"


def test_the_2012_choropleth_and_region_panel():
    at = run({"type": ["cantine", "lieu_associe", "autre"]})
    at.sidebar.toggle(key="f_choro").set_value(True).run()
    fg = json.loads(at.get("component_instance")[0].proto.json_args)["feature_group"]
    labels = [html.unescape(r["label"]) for spec in decode_regions(fg) for r in spec["regions"].values()]
    # The tooltip says the statuses, then the types (the 2012 vocabulary's words).
    assert "Bretagne : 2 lieux (1 ouvert, 1 en projet) — 2 cantines" in labels
    at = run({"region": "Nouvelle-Aquitaine", "type": "lieu_associe"})
    text = plain(" ".join(m.value for m in at.markdown))
    assert "Nouvelle-Aquitaine : 1 lieu (1 ouvert)" in text and "Le Node" in text and "Consortium Tiers-Lieux" in text


def test_the_2012_tour_starts_with_rennes_in_2010():
    at = run({"mode": "presentation"})
    assert "Le réseau en 2010" in json.loads(at.get("component_instance")[0].proto.json_args)["feature_group"]
    band = " ".join(m.value for m in at.markdown)
    assert "salariés permanents" in band
