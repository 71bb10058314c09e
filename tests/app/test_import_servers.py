"""A list published from the moderation page reaches a server that was already running on the same database.

The server starts (and caches) the map of its file; the coordinator publishes a partner's list from
another session (AppTest, as a second server would); the running server's next visitor sees the list,
and after a restore the file again. Skips itself where Chromium or Playwright is missing.
"""

from __future__ import annotations

import html
import os
from pathlib import Path

import pandas as pd
import pytest
from browsing import map_frame, require_browser, start, stop, wait_healthy
from pages import click
from streamlit.testing.v1 import AppTest

from reseau_map.contrib import auth

ROOT = Path(__file__).resolve().parents[2]
PLACES = ROOT / "tests" / "fixtures" / "page" / "places.csv"
PARTNER = ROOT / "tests" / "fixtures" / "import" / "partenaires.csv"
PASSWORD = "mot de passe de test"
# The names of every place the map's cluster group holds (the clustered ones included); none while the
# places' data is still on its way (a predicate that throws ends the wait).
NAMES = """() => { const D = window.map && window.rcData && Object.values(window.rcData).find(d => d && d.ids);
  if (!D) return [];
  const c = D.cols.name, out = [];
  window.map.eachLayer(l => { if (l instanceof L.MarkerClusterGroup) l.getLayers().forEach(m => {
    out.push(c.v ? c.v[m.rcIndex] : c.k[c.i[m.rcIndex]]); }); });
  return out; }"""

sync_api = require_browser()
pytestmark = pytest.mark.browser


def MODERATE() -> None:  # noqa: N802 — the page, as a script AppTest runs
    from reseau_map.app.moderation import moderation_page

    moderation_page()


@pytest.fixture
def server(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'reseau.sqlite'}"
    for name, value in {"RESEAU_MAP_DB": url, "RESEAU_MAP_PLACES": str(PLACES),
                        auth.ENV_HASH: auth.hash_password(PASSWORD)}.items():
        monkeypatch.setenv(name, value)
    proc, base = start(ROOT / "dashboard.py", dict(os.environ, PYTHONPATH=str(ROOT)))
    try:
        wait_healthy(base, proc)
        yield base
    finally:
        stop(proc)


def drawn(browser, base: str) -> set[str]:
    """The names the map of a new visit draws, once it draws some."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(base + "/")
    frame = map_frame(page)
    frame.wait_for_function(f"() => ({NAMES})().length > 0", timeout=30000)
    page.wait_for_timeout(500)
    found = {html.unescape(n) for n in frame.evaluate(NAMES)}
    page.close()
    return found


def test_a_running_server_shows_the_published_list_at_its_next_load_and_the_file_after_a_restore(server, browser):
    rows = pd.read_csv(PLACES, dtype=str, keep_default_na=False)
    before = drawn(browser, server)
    assert before and before <= set(rows["name"])
    at = AppTest.from_function(MODERATE, default_timeout=90).run()
    inputs = {w.label: w for w in at.text_input}
    inputs["Votre nom (inscrit au journal des décisions)"].input("Camille")
    inputs["Mot de passe de modération"].input(PASSWORD)
    click(at, "Entrer")
    at.file_uploader(key="import_file").set_value((PARTNER.name, PARTNER.read_bytes(), "text/csv")).run()
    click(at, "Publier comme données de la carte")
    partner = pd.read_csv(PARTNER, sep=";", dtype=str)
    assert drawn(browser, server) == set(partner["Raison sociale"])
    click(at, "Restaurer")
    assert drawn(browser, server) == before
