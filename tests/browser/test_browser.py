"""The page in a real browser (Debian's Chromium through Playwright): the map draws offline.

Skips itself, saying why, where Chromium or Playwright is missing; `.ci/run` installs both.
"""

import html
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest
from browsing import map_frame, offline_page, require_browser, serve

ROOT = Path(__file__).resolve().parents[2]
PLACES = Path(__file__).parent.parent / "fixtures" / "page" / "places.csv"  # two places share Paris's point
# Tiles are an online extra; everything else must come from the app itself.
TILE_HOSTS = ("tile.openstreetmap.org", "basemaps.cartocdn.com")

pytestmark = pytest.mark.browser
sync_api = require_browser()


@pytest.fixture(scope="module")
def app_url():
    yield from serve(PLACES)


# The page has taken a place from the map and its run is over (Streamlit marks its state on stApp).
IDLE_WITH_PLACE = ("() => location.search.includes('place=') && !!document.querySelector("
                   "'[data-testid=stApp][data-test-script-state=notRunning]')")
POPUP_TITLE = ("(name) => [...document.querySelectorAll('.leaflet-popup .rc-popup h2')]"
               ".some(h => h.textContent.includes(name))")


def test_a_click_on_one_of_two_stacked_places_opens_its_fiche(app_url, browser):
    # Two places share one point: they form a cluster; a click spreads them (spiderfy), and a
    # click on one of them selects it by its id (not by coordinates, which the spread moved).
    page = offline_page(browser, app_url)
    page.goto(app_url + "/?type=lieu_associe&region=Île-de-France")
    frame = map_frame(page)
    frame.wait_for_selector(".marker-cluster", timeout=20000)
    assert frame.locator(".marker-cluster").first.inner_text().strip() == "2"
    frame.locator(".marker-cluster").first.click()
    frame.wait_for_function("() => { let n = 0; window.map.eachLayer(l => { if (l instanceof L.CircleMarker"
                            " && l._spiderLeg) n++; }); return n === 2; }", timeout=10000)
    point = frame.evaluate("""() => { let found = null;
        window.map.eachLayer(l => { if (!found && l instanceof L.CircleMarker && l._spiderLeg) found = l; });
        const p = window.map.latLngToContainerPoint(found.getLatLng());
        const D = Object.values(window.rcData).find(d => d && d.ids), c = D.cols.name;
        return {x: p.x, y: p.y, name: c.v ? c.v[found.rcIndex] : c.k[c.i[found.rcIndex]]}; }""")
    name = html.unescape(point["name"])
    # Hovering shows the place's name (tooltips are bound at the first hover).
    frame.locator(".leaflet-container").hover(position={"x": point["x"], "y": point["y"]})
    frame.wait_for_function("(name) => [...document.querySelectorAll('.leaflet-tooltip')].some("
                            "t => t.textContent.includes(name))", arg=name, timeout=10000)
    frame.locator(".leaflet-container").click(position={"x": point["x"], "y": point["y"]})
    # The click landed (its popup opens at once, in the frame), then the page's run took the place and
    # ended: under load a run takes long, so wait for what it does, not for a fixed time.
    frame.wait_for_function(POPUP_TITLE, arg=name, timeout=20000)
    page.wait_for_function(IDLE_WITH_PLACE, timeout=90000)
    assert any(name in h for h in page.locator(".st-key-rc_card h2").all_inner_texts())
    assert "place=" in page.url
    # The chosen place's popup is open on the map after the page has moved to it (in the frame drawn now).
    map_frame(page).wait_for_function(POPUP_TITLE, arg=name, timeout=60000)
    page.context.close()


def test_a_place_in_the_link_opens_with_its_popup(app_url, browser):
    # A lone place drawn on the canvas: Leaflet.markercluster's zoomToShowLayer waits for a DOM
    # icon that canvas markers never get, so the popup of a shared place never opened.
    page = offline_page(browser, app_url)
    page.goto(app_url + "/?place=c-rennes")
    map_frame(page).wait_for_function(POPUP_TITLE, arg="Cantine d'essai de Rennes", timeout=30000)
    page.context.close()


def test_map_draws_places_offline(app_url, browser):
    requests: list[str] = []
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.on("request", lambda r: requests.append(r.url))
    page.goto(app_url + "/?region=Bretagne&type=cantine")
    frame = map_frame(page)
    # Places are drawn on one canvas in the marker pane (not one DOM element each).
    frame.wait_for_function("() => document.querySelectorAll('.leaflet-marker-pane canvas').length > 0",
                            timeout=20000)
    # The offline atlas is the default base: its place names come with no request.
    frame.wait_for_function("() => document.querySelectorAll('.rc-lbl').length > 0", timeout=30000)
    counts = frame.evaluate("""() => {
        const m = window.map; let circles = 0, tiles = 0, outlines = 0, names = 0;
        m.eachLayer(l => {
            if (l instanceof L.CircleMarker) circles += 1;
            if (l instanceof L.TileLayer) tiles += 1;
            if (l instanceof L.Polygon) outlines += 1;
        });
        const checked = document.querySelector('.leaflet-control-layers-base input:checked');
        names = document.querySelectorAll('.rc-lbl').length;
        return {circles, tiles, outlines, names, legend: !!document.querySelector('.rc-legend'),
                loaded: document.querySelectorAll('img.leaflet-tile-loaded').length,
                base: checked ? checked.nextElementSibling.textContent.trim() : null,
                control: document.querySelectorAll('.leaflet-control-layers-base label').length};
    }""")
    assert counts["circles"] == 2  # the Rennes cantine and the Brest project
    assert counts["legend"]
    assert counts["control"] == 3
    assert counts["outlines"] >= 2 and counts["names"] > 0  # the atlas: neighbours, land, place names
    assert counts["base"] == "Atlas hors ligne" and counts["tiles"] == 0  # online tiles are an option
    outside = [u for u in requests if urlparse(u).scheme in ("http", "https")
               and urlparse(u).hostname not in ("127.0.0.1", "localhost")
               and not any(h in u for h in TILE_HOSTS)]
    assert outside == []


def test_presentation_tour_runs_by_itself(app_url, browser):
    # Nothing in presentation mode waits for a click: the caption changes on its own.
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    page.goto(app_url + "/?mode=presentation")
    captions: list[str] = []
    deadline = time.time() + 40
    while time.time() < deadline and len(set(captions)) < 2:
        for f in page.frames:
            try:
                text = f.evaluate("() => (document.querySelector('.rc-caption .n') || {}).textContent")
            except Exception:
                continue
            if text:
                captions.append(text)
        page.wait_for_timeout(1000)
    sidebar = page.locator('[data-testid="stSidebar"]')
    hidden = sidebar.count() == 0 or not sidebar.first.is_visible()
    map_height = page.locator("iframe").first.bounding_box()["height"]
    assert captions and captions[0].startswith("Le réseau en")
    assert len(set(captions)) >= 2, captions
    assert hidden
    assert map_height >= 0.75 * 1080


HOSTILE_QUERY = ("/?place=**%5BSession%20expir%C3%A9e%5D(https://evil.example/)**&zoom=!%5Bx%5D(http://evil.example/q.png)"
                 "&near=!%5B%5D(http://evil.example/n.png)&mode=%3Cscript%3E&type=autre,cantine,lieu_associe")


@pytest.fixture(scope="module")
def hostile_url():
    yield from serve(Path(__file__).parent.parent / "fixtures" / "hostile" / "places.csv")


def test_a_hostile_file_and_url_stay_text(hostile_url, browser):
    # Markdown links, images, HTML and template syntax in the file and in the URL: none becomes a
    # link, an image or a request; the page says what it ignored, as text.
    requests: list[str] = []
    page = offline_page(browser, hostile_url)
    page.on("request", lambda r: requests.append(r.url))
    page.goto(hostile_url + HOSTILE_QUERY)
    frame = map_frame(page)
    frame.wait_for_selector(".leaflet-marker-pane canvas, .marker-cluster", timeout=20000)
    page.wait_for_function("() => document.body.innerText.includes('ignoré')", timeout=30000)
    found = page.evaluate("""() => ({
        title: document.title,
        links: [...document.querySelectorAll('a[href*="evil"]')].map(a => a.outerHTML),
        images: [...document.querySelectorAll('img')].map(i => i.src).filter(s => !s.startsWith('data:')
                 && !s.startsWith(location.origin)),
        text: document.body.innerText})""")
    inner = frame.evaluate("() => [...document.querySelectorAll('a[href*=\"evil\"], img[src*=\"evil\"]')].length")
    assert found["title"] == "Carte du Réseau des Cantines"
    assert found["links"] == [] and found["images"] == [] and inner == 0
    assert "**[Session expirée]" in found["text"]  # shown as typed
    outside = [u for u in requests if urlparse(u).scheme in ("http", "https")
               and urlparse(u).hostname not in ("127.0.0.1", "localhost") and not any(h in u for h in TILE_HOSTS)]
    assert outside == []  # tiles are the one online extra (refused here); nothing from the data


@pytest.fixture(scope="module")
def messy_url():
    yield from serve(Path(__file__).parent.parent / "fixtures" / "partner" / "messy.csv")


def test_two_hundred_places_in_paris_read_as_one_count_at_france_zoom(messy_url, browser):
    # Places at (nearly) one point are never drawn far from it: a cluster with its count.
    page = offline_page(browser, messy_url)
    page.goto(messy_url + "/?zoom=5.5&center=46.6,2.4")
    frame = map_frame(page)
    frame.wait_for_selector(".marker-cluster", timeout=30000)
    page.wait_for_timeout(1500)
    counts = frame.evaluate("""() => [...document.querySelectorAll('.marker-cluster')].map(c => {
        const r = c.getBoundingClientRect(), p = window.map.containerPointToLatLng([r.x + r.width / 2,
                  r.y + r.height / 2]);
        return {n: parseInt(c.innerText), lat: p.lat, lng: p.lng}; })""")
    page.screenshot(path="/tmp/paris-200.png")
    paris = [c for c in counts if abs(c["lat"] - 48.85) < 0.6 and abs(c["lng"] - 2.35) < 0.8]
    assert paris and max(c["n"] for c in paris) >= 200, counts
