"""No script or Markdown from a configuration or data file runs, in the page or in the map's frame (issue 22, 5 and 13).

Every text a network file, a mapping or a file name gives (name, subtitle, credit, source,
figures, programmes, type labels) carries a payload that records itself in `window.top.__xss`
if it ever runs as HTML, and a Markdown image that would be fetched if it were Markdown. The
page, the map frame, the standalone map and the published site are opened in Chromium.
Skips itself, saying why, where Chromium or Playwright is missing.
"""

from __future__ import annotations

import os
import shutil
from datetime import date
from pathlib import Path

import pytest
from browsing import map_frame, require_browser, start, stop, wait_healthy

from reseau_map.contrib.proposal import Proposal
from reseau_map.contrib.publish import publish
from reseau_map.contrib.store import open_store
from reseau_map.domain.catalogue import build_catalogue
from reseau_map.files.network import load_network
from reseau_map.geo.regions import load_outlines
from reseau_map.maps.mapview import standalone_html

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent.parent / "fixtures" / "page"
TRACKER = "http://127.0.0.1:9/pixel.png"  # nothing listens there; a request to it is the failure


def payload(where: str) -> str:
    # HTML that runs, HTML that closes a script, Markdown that fetches or links.
    run = f"(window.top.__xss=window.top.__xss||[]).push('{where}')"
    return (f'<img src=x onerror="{run}"> </script><script>{run}</script> '
            f"![pixel]({TRACKER}) [lien](javascript:{run}) **{where}**")


NETWORK = f"""[network]
name = '''{payload("name")}'''
subtitle = '''{payload("subtitle")}'''
[credit]
text = '''{payload("credit")}'''
[source]
title = '''{payload("source")}'''
author = "Une autrice"
date = 2026-01-15
[launch]
date = 2011-03-01
place = '''{payload("launch")}'''
city = "Rennes"
quote = '''{payload("quote")}'''
[[figures]]
key = "membres"
label = '''{payload("figure")}'''
value = 1200
quote = '''{payload("figure-quote")}'''
[[programmes]]
region = "Bretagne"
name = '''{payload("programme")}'''
quote = "Une citation."
"""

pytestmark = pytest.mark.browser
sync_api = require_browser()


def hostile_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "reseau"
    folder.mkdir()
    shutil.copy(FIXTURES / "places.csv", folder / "places.csv")
    (folder / "network.toml").write_text(NETWORK, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    """Two pages: a network file full of payloads (and an accepted place); a file whose very name is one."""
    tmp = tmp_path_factory.mktemp("hostile")
    folder = hostile_folder(tmp)
    db = tmp / "reseau.sqlite"
    store = open_store(f"sqlite:///{db}")
    store.submit(Proposal(name="La Forge proposée", type="cantine", status="ouvert", city="Brest", lat=48.39,
                          lon=-4.486, precision="ville", source_text="Je suis la responsable du lieu."))
    store.accept(store.pending()[0].id, "Camille")
    place_id = store.accepted_places()["id"].iloc[0]
    store.engine.dispose()
    named = tmp / "nom"
    named.mkdir()
    # A file name may hold anything but « / »: the page's title and credit come from it.
    hostile_name = named / '<img src=x onerror="(window.top.__xss=window.top.__xss||[]).push(1)">.csv'
    shutil.copy(FIXTURES / "places.csv", hostile_name)
    started = [start(ROOT / "dashboard.py", dict(os.environ, RESEAU_MAP_PLACES=str(path), RESEAU_MAP_DB=str(db)))
               for path in (folder / "places.csv", hostile_name)]
    try:
        for proc, base in started:
            wait_healthy(base, proc)
        yield [base for _, base in started], place_id
    finally:
        for proc, _ in started:
            stop(proc)


def open_page(browser, url: str, console: list[str] | None = None):
    context = browser.new_context(viewport={"width": 1400, "height": 1100})
    page = context.new_page()
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url))
    if console is not None:
        page.on("console", lambda m: console.append(m.text))
    page.goto(url)
    return page, fetched


def ran(page) -> list:
    """What the payloads recorded, in the page and in every frame."""
    found = []
    for frame in page.frames:
        try:
            found += frame.evaluate("() => window.__xss || []")
        except Exception:  # a frame navigated away meanwhile
            continue
    return found


def assert_inert(page, fetched: list[str]) -> None:
    assert ran(page) == []
    assert TRACKER not in fetched
    assert page.locator(f'img[src="{TRACKER}"]').count() == 0
    assert page.locator('a[href^="javascript:"]').count() == 0


def test_a_network_file_full_of_payloads_runs_none_in_the_page_or_the_map(servers, browser):
    (base, _), place_id = servers
    page, fetched = open_page(browser, base + "/?region=Bretagne")
    frame = map_frame(page)
    frame.wait_for_selector(".leaflet-control-attribution", timeout=30000)
    page.get_by_text("Programme régional", exact=False).first.wait_for(timeout=30000)
    page.wait_for_timeout(1500)  # let anything that would run, run
    credit = frame.inner_text(".leaflet-control-attribution")
    assert "Lieux : <img src=x onerror=" in credit  # the credit is shown as text
    title = page.locator("h1").first.inner_text()
    assert title.startswith("<img src=x onerror=") and "![pixel](" in title  # not HTML, not Markdown
    assert_inert(page, fetched)
    page.context.close()


def test_an_accepted_place_cites_its_own_source_not_the_network(servers, browser):
    (base, _), place_id = servers
    page, fetched = open_page(browser, base + f"/?place={place_id}")
    frame = map_frame(page)
    frame.wait_for_selector(".leaflet-popup .rc-popup blockquote", timeout=30000)
    popup = frame.inner_text(".leaflet-popup .rc-popup")
    assert "Proposé le" in popup and "Source :" not in popup
    assert_inert(page, fetched)
    page.context.close()


def test_a_file_name_that_is_html_stays_text(servers, browser):
    (_, base), _ = servers
    page, fetched = open_page(browser, base + "/")
    frame = map_frame(page)
    frame.wait_for_selector(".leaflet-control-attribution", timeout=30000)
    page.wait_for_timeout(1500)
    assert "Lieux : fichier « <img src=x" in frame.inner_text(".leaflet-control-attribution")
    assert "<img src=x" in page.locator("[data-testid='stCaptionContainer']").first.inner_text()
    assert_inert(page, fetched)
    page.context.close()


def test_the_standalone_map_and_the_published_site_run_none_and_carry_a_policy(tmp_path, browser):
    folder = hostile_folder(tmp_path)
    net = load_network(folder / "network.toml")
    places = build_catalogue((folder / "places.csv").read_bytes()).places
    standalone = tmp_path / "carte.html"
    standalone.write_text(standalone_html(places, load_outlines(), "Source : x", net.credit, vocab=net.vocabulary),
                          encoding="utf-8")
    site = publish(tmp_path / "site", places, load_outlines(), net, date(2026, 12, 1)).folder
    for path in (standalone, site / "index.html"):
        assert 'http-equiv="Content-Security-Policy"' in path.read_text(encoding="utf-8")
        console: list[str] = []
        page, fetched = open_page(browser, path.as_uri(), console)
        page.wait_for_selector(".leaflet-marker-pane canvas", state="attached", timeout=30000)
        page.wait_for_selector(".leaflet-control-attribution", timeout=30000)
        page.wait_for_timeout(1000)
        assert_inert(page, fetched)
        assert [m for m in console if "Content Security Policy" in m] == []  # our own scripts all run
        if path == standalone:  # the network's credit, as text
            assert "Lieux : <img src=x" in page.inner_text(".leaflet-control-attribution")
        # The policy itself refuses what an injection would add.
        page.evaluate("""() => { const img = document.createElement('img');
            img.setAttribute('onerror', "window.__xss = ['injected']"); img.src = 'x';
            document.body.appendChild(img); }""")
        page.wait_for_timeout(500)
        assert ran(page) == []
        page.context.close()


def test_an_address_streamlit_drops_for_its_length_is_said(servers, browser):
    # Item 21: past 1,000 parameters Streamlit ignores the whole query string, region=Bretagne too.
    (base, _), _ = servers
    page, _ = open_page(browser, base + "/?" + "type=cantine&" * 1000 + "region=Bretagne")
    map_frame(page)
    notice = page.locator("#rc-url-notice")
    notice.wait_for(timeout=30000)
    text = notice.inner_text()
    assert "trop de paramètres (1\u202f001" in text and "au plus 1\u202f000" in text
    assert notice.get_attribute("role") == "alert"
    # The map's first report soon writes a short address: the notice stays until it is closed.
    page.wait_for_function("() => location.search.length < 200", timeout=30000)
    page.wait_for_timeout(1500)
    assert notice.is_visible()
    notice.get_by_role("button", name="Fermer").click()
    notice.wait_for(state="detached", timeout=5000)
    page.context.close()


def test_an_address_within_the_limits_gets_no_such_notice(servers, browser):
    (base, _), _ = servers
    page, _ = open_page(browser, base + "/?" + "type=cantine&" * 900 + "region=Bretagne")
    map_frame(page)
    page.wait_for_timeout(2000)
    assert page.locator("#rc-url-notice").count() == 0
    page.context.close()
