"""Page text helpers: French typography before escaping, plurals, contrast."""

import pytest

from reseau_map.text import contrast_ratio, md_text, plural, typo


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


def test_contrast_ratio():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert contrast_ratio("#ffffff", "#E69F00") == pytest.approx(2.25, abs=0.01)  # the badge of issue 11
