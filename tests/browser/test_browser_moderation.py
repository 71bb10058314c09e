"""The navigation of a fresh server whose first visitor opens « Modération »: French titles and icons.

A server just started knows its pages only once the app has run: the first page opened must still
list them as the app names them (once it read « dashboard / moderation / proposer »). Skips itself,
saying why, where Chromium or Playwright is missing.
"""

from pathlib import Path

import pytest
from browsing import require_browser, serve

from reseau_map.contrib import auth

PLACES = Path(__file__).parent.parent / "fixtures" / "page" / "places.csv"
NAV = "() => [...document.querySelectorAll('[data-testid=stSidebarNavLink]')].map(a => a.innerText.split('\\n'))"

sync_api = require_browser()
pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def app_url():
    yield from serve(PLACES)


def test_moderation_opened_first_lists_the_pages_by_their_french_titles_and_icons(app_url, browser):
    page = browser.new_page(viewport={"width": 1300, "height": 900})
    page.goto(app_url + "/moderation")
    page.get_by_text(auth.RESERVED).wait_for(timeout=60000)
    page.wait_for_function(f"() => ({NAV})().length === 3", timeout=30000)
    links = [[part for part in link if part.strip()] for link in page.evaluate(NAV)]
    assert links == [["map", "Carte"], ["add_location", "Proposer un lieu"], ["fact_check", "Modération"]]
    assert page.title() == "Modération — Carte du Réseau des Cantines"
    assert "hash-password" not in page.inner_text("body")
    page.close()
