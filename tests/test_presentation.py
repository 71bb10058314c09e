"""Presentation HTML: figures band, cards with quotes, escaped captions."""

from pathlib import Path

import pandas as pd

from reseau_map.files.network import load_network
from reseau_map.page.cards import figure_cards
from reseau_map.page.presentation import figures_band, place_caption, timeline_caption
from reseau_map.page.tour import Slide

NETWORK = Path(__file__).parent / "fixtures" / "page" / "network.toml"


def test_band_has_big_figures_with_short_quotes():
    band = figures_band(load_network(NETWORK))
    assert band.count('class="rc-fig"') == 2
    assert '<div class="v">1\u00a0200</div><div class="q">membres</div>' in band  # unbroken, not repeated
    assert "Réseau d&#x27;essai" in band


def test_cards_carry_the_quote_on_hover():
    cards = figure_cards(load_network(NETWORK))
    assert 'title="« Le réseau compte 1 200 membres. »"' in cards
    assert cards.count('class="rc-card"') == 2


def test_caption_is_escaped_and_says_not_given():
    row = pd.Series({"name": "<b>X</b>", "city": "", "region": "", "type": "cantine",
                     "status": "", "source": 'a "quote" <script>'})
    html = place_caption(row, "3/9")
    assert "<b>X</b>" not in html and "&lt;b&gt;X&lt;/b&gt;" in html
    assert "<script>" not in html
    assert "non renseigné" in html and "Statut non renseigné" in html and "3/9" in html


def test_timeline_caption():
    text = timeline_caption(Slide("timeline", "2010", visible=("rennes",)), "")
    assert "Le réseau en 2010 : 1 lieu ouvert" in text
    assert "demain : 2 lieux" in timeline_caption(Slide("timeline", "demain", visible=("a", "b")), "")
