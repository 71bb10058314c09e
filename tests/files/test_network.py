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


# Issue 22, item 16: ordinary TOML crashed the page (and publish) with a traceback.
def write(tmp_path, text: str) -> Path:
    path = tmp_path / "network.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_any_toml_type_where_text_belongs_is_read_as_text(tmp_path):
    net = load_network(write(tmp_path, """[network]
name = "Réseau daté"
[launch]
date = 2012-12-13
city = 75
[source]
date = 2012-12-25T00:00:00
title = "Billet"
[credit]
text = 2026
[[figures]]
key = "salaries"
label = "Salariés"
value = 30
quote = \"\"\"Trente salariés,

sur deux lignes.\"\"\"
"""))
    assert net.launch == {"date": "2012-12-13", "city": "75"} and net.launch_year == 2012
    assert net.source["date"] == "2012-12-25" and french_date(net.source["date"]) == "25 décembre 2012"
    assert net.credit == "2026"
    fig = net.figure("salaries")
    assert fig.value == "30" and fig.short == "" and fig.quote == "Trente salariés, sur deux lignes."


@pytest.mark.parametrize(("text", "message"), [
    ('launch = "2012"\n', r"« launch » doit être une section \[launch\]"),
    ('[network]\nname = ["a", "b"]\n', r"« network.name » doit être un texte entre guillemets \(lu : une liste\)"),
    ("[source]\ndate = true\n", r"« source.date » doit être un texte entre guillemets \(lu : vrai/faux true\)"),
    ('[launch]\nyear = 2012\n', r"\[launch\] clé « year » inconnue ; clés possibles : date, place, city, quote"),
    ('[[figures]]\nkey = "a"\nvalue = 1\ncomment = "x"\n',
     r"\[\[figures\]\] n° 1 illisible : clé « comment » inconnue"),
    ('[[figures]]\nlabel = "a"\n', r"\[\[figures\]\] n° 1 illisible : clé « key » obligatoire"),
    ("[figure]\nkey = 1\n", r"section \[figure\] inconnue ; sections possibles : \[network\]"),
    ("figures = 3\n", r"« figures » doit être une liste de tables \[\[figures\]\]"),
])
def test_a_value_that_cannot_be_text_is_refused_naming_the_key(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(DataFileError, match=message) as err:
        load_network(path)
    assert str(path) in str(err.value)


VOCABULARY = """[vocabulary]
default_types = {shown}
[[vocabulary.types]]
id = "cantine"
label = "Cantine"
[[vocabulary.types]]
id = "fablab"
label = "Fablab"
"""


@pytest.mark.parametrize(("shown", "types", "note"), [
    ('["cantine", "inconnu"]', ("cantine",), "type(s) inconnu(s) « inconnu » (types possibles : cantine, fablab) ; "
                                            "les autres sont montrés d'abord."),
    ('["Fablab"]', ("fablab",), None),  # a label, read as its type
    ('"cantine"', ("cantine",), None),  # one type, not in a list
    ('["rien"]', ("cantine", "fablab"), "tous les types sont montrés."),
    ("3", ("cantine", "fablab"), "une liste d'identifiants de types est attendue (lu : int) ; tous les types"),
])
def test_an_invalid_default_types_is_a_notice_not_an_empty_map(tmp_path, shown, types, note):
    net = load_network(write(tmp_path, VOCABULARY.format(shown=shown)))
    assert net.vocabulary.default_types == types
    if note is None:
        assert net.notes == ()
    else:
        [said] = net.notes
        assert "default_types" in said and note in said
