"""A partner's own categories in a real browser: six categories drawn as six colour and shape pairs,
the legend listing the same six, and a card with the partner's columns.

Skips itself, saying why, where Chromium or Playwright is missing; `.ci/run` installs both.
"""

from pathlib import Path

import pytest
from browsing import map_frame, offline_page, require_browser, serve

SIX = Path(__file__).parent.parent / "fixtures" / "vocabulary" / "six_categories.csv"

sync_api = require_browser()
pytestmark = pytest.mark.browser

DRAWN = """() => {
  const pairs = {}, maps = [...new Set(Object.values(window).filter(v => v instanceof L.Map))];
  maps.forEach(m => m.eachLayer(l => { if (l.options && l.options.shape) {
    pairs[l.options.fillColor + ' ' + l.options.shape] = true; } }));
  return Object.keys(pairs).sort();
}"""
LEGEND = """() => [...document.querySelectorAll('.rc-legend-line')].map(l => ({
  pair: l.dataset.colour + ' ' + l.dataset.shape, label: l.querySelector('.rc-legend-label').textContent,
  count: l.querySelector('.rc-count').textContent}))"""


@pytest.fixture(scope="module")
def six_url():
    yield from serve(SIX)


def test_six_categories_are_six_colour_and_shape_pairs_and_the_legend_says_them(six_url, browser):
    page = offline_page(browser, six_url, 1600, 1000)
    page.goto(six_url + "/?zoom=5.5&center=46.6,2.4")
    frame = map_frame(page)
    frame.wait_for_function("() => document.querySelectorAll('.rc-legend-line').length > 0", timeout=30000)
    page.wait_for_timeout(1500)
    drawn, legend = frame.evaluate(DRAWN), frame.evaluate(LEGEND)
    page.screenshot(path="/tmp/six-categories.png")
    assert len(drawn) == 6, drawn
    assert sorted(line["pair"] for line in legend) == drawn
    assert [line["label"] for line in legend] == ["Fablab", "Coworking", "Tiers-lieu", "Atelier partagé",
                                                  "Espace public numérique", "France services"]
    assert [line["count"] for line in legend] == ["(4)", "(3)", "(2)", "(2)", "(2)", "(1)"]  # closed ones hidden


def test_a_card_shows_the_partner_columns_and_never_the_mail(six_url, browser):
    page = offline_page(browser, six_url, 1600, 1000)
    page.goto(six_url + "/?place=fab-lille")
    frame = map_frame(page)
    frame.wait_for_selector(".leaflet-popup .rc-popup th", timeout=30000)
    frame.wait_for_function("() => document.querySelector('.leaflet-popup').textContent.includes('Horaires')",
                            timeout=30000)
    text = frame.evaluate("() => document.querySelector('.leaflet-popup').innerText")
    page.screenshot(path="/tmp/six-card.png")
    assert "Fablab" in text and "Jeunes" in text and "03 20 00 00 01" in text
    assert "Du lundi au vendredi" in text and "9 h – 18 h" in text.replace("\u00a0", " ")
    assert "@" not in text and "contact@" not in page.content()
