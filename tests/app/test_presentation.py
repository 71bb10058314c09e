"""Presentation HTML: figures band, cards with quotes, escaped captions."""

import json
from pathlib import Path

import pandas as pd
from contrast import ratio as contrast_ratio

from reseau_map.app.cards import figure_cards
from reseau_map.app.presentation import (
    BAND_BG,
    BAND_FG,
    TITLE_BG,
    TITLE_FG,
    band_parts,
    figures_band,
    place_caption,
    timeline_caption,
)
from reseau_map.domain.tour import Slide
from reseau_map.files.network import load_network

NETWORK = Path(__file__).parent.parent / "fixtures" / "page" / "network.toml"


def test_band_has_big_figures_with_short_quotes():
    band = figures_band(load_network(NETWORK))
    assert band.count('class="rc-fig"') == 2
    assert '<div class="v">1\u00a0200</div><div class="q">membres</div>' in band  # unbroken, not repeated
    assert "Réseau d&#39;essai" in band  # escaped


def test_cards_open_their_quote_by_click_tap_or_keyboard():
    cards = figure_cards(load_network(NETWORK))
    # <details>/<summary>: focusable, opens with Entrée or a tap, not only on hover.
    assert cards.count('<details class="rc-card">') == 2 and cards.count("<summary") == 2
    assert "<blockquote>«\u00a0Le réseau compte 1\u00a0200 membres.\u00a0»</blockquote>" in cards


def test_band_splits_a_figure_from_its_words():
    assert band_parts("9 aujourd’hui, 1 000 demain", "9 membres aujourd’hui, 1 000 demain") == (
        "9", "membres aujourd’hui, 1 000 demain")
    assert band_parts("30", "30 salariés permanents") == ("30", "salariés permanents")
    assert band_parts("plusieurs centaines", "de bénévoles") == ("plusieurs centaines", "de bénévoles")


def test_band_colours_are_readable():
    for fg, bg in ((BAND_FG, BAND_BG), (TITLE_FG, TITLE_BG)):
        assert contrast_ratio(fg, bg) >= 4.5, (fg, bg)
    assert contrast_ratio("#ffffff", "#E69F00") < 4.5  # why the title is dark on orange


def test_caption_is_escaped_and_says_not_given():
    row = pd.Series({"name": "<b>X</b>", "city": "", "region": "", "type": "cantine",
                     "status": "", "source": 'a "quote" <script>'})
    html = place_caption(row, "3/9")
    assert "<b>X</b>" not in html and "&lt;b&gt;X&lt;/b&gt;" in html
    assert "<script>" not in html
    assert "non renseigné" in html and "Statut non renseigné" in html and "3/9" in html


def test_timeline_caption():
    text = timeline_caption(Slide("timeline", "2010", visible=("rennes",)), "")
    assert "Le réseau en 2010\u00a0: 1 lieu ouvert" in text
    assert "demain\u00a0: 2 lieux" in timeline_caption(Slide("timeline", "demain", visible=("a", "b")), "")
    fitted = timeline_caption(Slide("timeline", "2010", visible=()), "", [[41.0, -5.0], [51.0, 9.5]])
    assert 'data-rc-fit="[[41.0, -5.0], [51.0, 9.5]]"' in fitted  # the browser fits the whole network


def test_styles_and_script_are_static_files_that_read_the_constants():
    from reseau_map.app import browser, presentation
    from reseau_map.core.templates import static_text

    assert f".st-key-{presentation.CONTROLS_KEY} " in static_text("presentation.css")
    assert f"--rc-band-bg: {BAND_BG};" in presentation.CSS and "var(--rc-band-bg)" in presentation.CSS
    for css in ("page.css", "caption.css", "presentation.css"):  # a media query cannot read a property
        assert f"@media (max-width: {browser.PHONE_MAX_PX}px)" in static_text(css), css
    page = browser.script("presentation")
    config = json.loads(page.split("window.rcPageConfig = ", 1)[1].split(";\n", 1)[0])
    assert config["mode"] == "presentation" and config["keys"] == browser.KEYS
    assert config["captionCss"] == browser.CAPTION_CSS and static_text("page.js") in page
