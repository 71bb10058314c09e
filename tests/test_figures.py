"""Declared figures (with quotes) and figures computed from the places shown."""

from pathlib import Path

import pandas as pd
import pytest

from reseau_map.errors import DataFileError
from reseau_map.page.figures import computed, load_network, region_sentence, region_summary

SEED = Path(__file__).resolve().parent.parent.parent / "shared" / "seed" / "reseau-des-cantines-2012.txt"


def test_declared_figures_carry_their_quotes():
    net = load_network()
    keys = {f.key: f for f in net.figures}
    assert keys["salaries"].value == "30"
    assert keys["regions"].value == "10"
    assert "1 000" in keys["membres"].value
    assert net.launch["date"] == "2012-12-13"
    if SEED.exists():
        text = SEED.read_text(encoding="utf-8")
        for fig in net.figures:
            assert fig.quote in text, fig.key
        for prog in net.programmes:
            assert prog.quote in text


def test_programmes_name_their_regions():
    regions = {p.region for p in load_network().programmes}
    assert regions == {"Nouvelle-Aquitaine", "Île-de-France", "Provence-Alpes-Côte d'Azur"}


def test_bad_network_file(tmp_path):
    bad = tmp_path / "n.toml"
    bad.write_text("[[figures]]\nkey = 1\nnope = 2\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="illisible"):
        load_network(bad)


@pytest.fixture
def shown():
    return pd.DataFrame({
        "type": ["cantine", "cantine", "lieu_associe", "autre"],
        "status": ["ouvert", "en_projet", "ouvert", ""],
        "region": ["Bretagne", "Bretagne", "Île-de-France", "Hors de France"],
        "city": ["Rennes", "Brest", "Paris", "San Francisco"],
    })


def test_computed(shown):
    c = computed(shown)
    assert c.places == 4
    assert c.by_type == {"cantine": 2, "lieu_associe": 1, "autre": 1}
    assert c.by_status == {"ouvert": 2, "en_projet": 1, "": 1}
    assert c.regions == 2  # abroad is not a French region
    assert c.cities == 4
    assert c.abroad == 1


def test_region_summary_and_sentence(shown):
    s = region_summary(shown).set_index("region")
    assert s.loc["Bretagne"].tolist() == [2, 1, 1]
    assert region_sentence("Bretagne", 2, 1, 1) == "Bretagne : 2 lieux (1 ouvert, 1 en projet)"
    assert region_sentence("Corse", 1, 1, 0) == "Corse : 1 lieu (1 ouvert)"


def test_source_label_and_french_date():
    from reseau_map.page.figures import french_date, source_label

    assert french_date("2012-12-13") == "13 décembre 2012"
    assert french_date("hiver") == "hiver"
    assert source_label(load_network()).endswith("25 décembre 2012")
