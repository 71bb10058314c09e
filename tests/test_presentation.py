"""Presentation HTML: figures band, cards with quotes, escaped captions."""

import pandas as pd

from reseau_map.page.figures import load_network
from reseau_map.page.presentation import figure_cards, figures_band, place_caption, timeline_caption
from reseau_map.page.tour import Slide


def test_band_has_big_figures_with_short_quotes():
    band = figures_band(load_network())
    assert band.count('class="rc-fig"') == 5
    assert "30 salariés permanents" in band
    assert "1\u00a0500" in band  # never split across lines


def test_cards_carry_the_quote_on_hover():
    cards = figure_cards(load_network())
    assert 'title="« En chiffres, le réseau c’est : 30 salariés permanents' in cards
    assert cards.count('class="rc-card"') == len(load_network().figures)


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
