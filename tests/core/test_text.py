"""Text rules: folding, Markdown made inert, French typography."""

import pytest

from reseau_map.core.text import (
    WORD_JOINER,
    compact_key,
    fold,
    md_escape,
    md_text,
    place_key,
    plural,
    strip_bidi,
    typo,
)


@pytest.mark.parametrize("text, folded", [
    ("Île-de-France", "ile de france"), ("LIEU_ASSOCIÉ", "lieu associe"), ("  Saint  Étienne ", "saint etienne"),
    ("Œuvre", "oeuvre"),
])
def test_fold(text, folded):
    assert fold(text) == folded


def test_keys():
    assert compact_key("Côte-d'Azur") == compact_key("cote d azur") == "cotedazur"
    assert place_key("ST ETIENNE") == place_key("Saint-Étienne") == "saint etienne"
    assert place_key("Havre (Le)") == "le havre"


@pytest.mark.parametrize("hostile", [
    "**[Session expirée : cliquez ici](https://evil.example/)**", "![x](http://evil.example/t.png)",
    "<img src=x onerror=alert(1)>", ":red[rouge] :material/warning:", "$x^2$", "www.evil.example",
    "contact@evil.example", "# Titre", "> citation", "`code`",
])
def test_md_escape_leaves_no_markdown(hostile):
    escaped = md_escape(hostile)
    unescaped = escaped.replace("\\", "").replace(WORD_JOINER, "")
    assert unescaped == hostile  # the reader sees exactly what was typed
    for pattern in ("](", "http:", "https:", "www.", "t@", "t\\@"):
        assert pattern not in escaped.replace(WORD_JOINER, "|")  # no link, image or autolink left


def test_bidi_controls_are_removed():
    assert strip_bidi("Cantine \u202eetonnom\u202c") == "Cantine etonnom"
    assert "\u202e" not in md_escape("a\u202eb")


def test_french_typography():
    assert typo("Bretagne : 2 lieux ; vraiment ? « Rennes » !") == \
        "Bretagne\u00a0: 2 lieux\u202f; vraiment\u202f? «\u00a0Rennes\u00a0»\u202f!"
    assert typo("https://exemple.fr") == "https://exemple.fr"


@pytest.mark.parametrize(("raw", "want"), [
    ("Ville : Paris", "Ville\u00a0: Paris"),
    ("« Bonjour »", "«\u00a0Bonjour\u00a0»"),
    ("Vraiment ? Oui !", "Vraiment\u202f? Oui\u202f!"),
    ("a ; b", "a\u202f; b"),
    ("https://x.fr", "https://x.fr"),
])
def test_typo(raw, want):
    assert typo(raw) == want


def test_md_text_types_then_escapes():
    assert md_text("Note : **x** !") == "Note\u00a0\\: \\*\\*x\\*\\*\u202f\\!"


def test_plural():
    assert plural(1, "lieu", "lieux") == "1 lieu"
    assert plural(2, "lieu sélectionné", "lieux sélectionnés") == "2 lieux sélectionnés"
    assert plural(12000, "ville") == "12\u202f000 villes"
