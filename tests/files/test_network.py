"""The network file: figures with quotes, credit, and the neutral page for a partner's file."""

from pathlib import Path

import pytest

from reseau_map.core.errors import DataFileError
from reseau_map.files.network import french_date, load_network, network_for, source_label
from reseau_map.files.vocabulary import neutral_vocabulary

PAGE = Path(__file__).parent.parent / "fixtures" / "page"


def test_declared_figures_and_programmes():
    net = load_network(PAGE / "network.toml")
    assert net.name == "Réseau d'essai"
    assert net.figure("membres").value == "1 200" and net.figure("absent") is None
    assert [p.region for p in net.programmes] == ["Bretagne"]
    assert net.launch_year == 2011 and net.credit == "réseau d'essai (2026)"
    # No [vocabulary]: the neutral one, every type shown.
    assert net.vocabulary == neutral_vocabulary() and net.vocabulary.default_types == net.vocabulary.type_ids


def test_bad_network_file(tmp_path):
    bad = tmp_path / "n.toml"
    bad.write_text("[[figures]]\nkey = 1\nnope = 2\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="illisible"):
        load_network(bad)


def test_source_label_and_french_date():
    assert french_date("2012-12-13") == "13 décembre 2012"
    assert french_date("hiver") == "hiver"
    label = source_label(load_network(PAGE / "network.toml"))
    assert label == "Source : Une autrice, « Un billet d'essai », 15 janvier 2026"


def test_which_network_a_places_file_gets(tmp_path):
    beside = network_for(PAGE / "places.csv", env={})
    assert beside.name == "Réseau d'essai"
    alone = tmp_path / "base_tiers-lieux.csv"
    alone.write_text("nom,ville\n", encoding="utf-8")
    neutral = network_for(alone, env={})
    assert neutral.name == "Base tiers lieux" and neutral.figures == () and "base_tiers-lieux.csv" in neutral.credit
    chosen = network_for(alone, env={"RESEAU_MAP_NETWORK": str(PAGE / "network.toml")})
    assert chosen.name == "Réseau d'essai"
    assert source_label(neutral) == f"Source : {neutral.credit}"
