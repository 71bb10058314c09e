"""The offline atlas in a real browser (Debian's Chromium), every outside request blocked.

Draws labels and outlines at zoom 6, 9 and 12 around Rennes; hovering a choropleth region shows
its tooltip while a click on a place still opens its popup. Skips itself, saying why, where
Chromium or Playwright is missing. Screenshots: /tmp/atlas-z6.png, -z9, -z12, -tooltip.
"""


import pandas as pd
import pytest
from browsing import require_browser

from reseau_map.geo.regions import load_outlines
from reseau_map.maps import mapview

RENNES = (48.11, -1.68)
VANNES = (47.6582, -2.7608)

pytestmark = pytest.mark.browser
sync_api = require_browser()

FIND_MAP = "Object.values(window).find(v => v instanceof L.Map)"


@pytest.fixture(scope="module")
def places():
    return pd.DataFrame({
        "id": ["rennes", "brest", "paris"],
        "name": ["Cantine de Rennes", "Projet Brest", "La Cantine"],
        "type": ["cantine", "cantine", "cantine"],
        "status": ["ouvert", "en_projet", "ouvert"],
        "address": ["", "", ""], "city": ["Rennes", "Brest", "Paris"],
        "region": ["Bretagne", "Bretagne", "Île-de-France"],
        "lat": [48.1116, 48.3904, 48.8566], "lon": [-1.6819, -4.4861, 2.3522],
        "precision": ["ville"] * 3, "opened": pd.array([2010, None, 2008], dtype="Int64"),
        "website": ["", "", ""], "description": ["", "", ""], "source": ["", "", ""],
    })


@pytest.fixture(scope="module")
def page_file(places, tmp_path_factory):
    outlines = load_outlines()
    m = mapview.base_map(outlines, height=700)
    layers = mapview.choropleth(outlines, places) + mapview.route(*VANNES, "Vannes", places.iloc[[0]])
    mapview.places_group(places, overlays=layers).add_to(m)
    path = tmp_path_factory.mktemp("atlas") / "atlas.html"
    path.write_text(m.get_root().render(), encoding="utf-8")
    return path


def open_map(browser, page_file, outside):
    page = browser.new_page(viewport={"width": 1200, "height": 760})

    def block(route):
        outside.append(route.request.url)
        route.abort()

    page.route("http://**/*", block)
    page.route("https://**/*", block)
    page.goto(page_file.as_uri())
    page.wait_for_function(f"() => window.L && {FIND_MAP}", timeout=20000)
    return page


@pytest.mark.parametrize("zoom", [6, 9, 12])
def test_atlas_draws_labels_and_outlines_offline(browser, page_file, zoom):
    outside: list[str] = []
    page = open_map(browser, page_file, outside)
    page.evaluate(f"() => {FIND_MAP}.setView([{RENNES[0]}, {RENNES[1]}], {zoom}, {{animate: false}})")
    page.wait_for_timeout(600)
    counts = page.evaluate("""() => ({
        labels: [...document.querySelectorAll('.rc-lbl')].map(e => e.textContent),
        paths: document.querySelectorAll('.leaflet-rcAtlas-pane svg path').length,
        drawn: [...document.querySelectorAll('.leaflet-rcAtlas-pane svg path')]
            .filter(p => (p.getAttribute('d') || '').length > 20).length,
        base: (document.querySelector('.leaflet-control-layers-base input:checked') || {}).nextElementSibling
            ?.textContent.trim(),
        zoomIn: document.querySelector('.leaflet-control-zoom-in').title,
        scale: document.querySelector('.leaflet-control-scale').textContent,
        lang: document.querySelector('.leaflet-container').getAttribute('lang')})""")
    page.screenshot(path=f"/tmp/atlas-z{zoom}.png")
    page.close()
    assert counts["base"] == mapview.ATLAS_BASE
    assert "Rennes" in counts["labels"]
    assert len(counts["labels"]) >= {6: 10, 9: 20, 12: 15}[zoom], counts["labels"]
    # Neighbours, land (with its coast), region borders; départements from zoom 7 (none near Rennes at 12).
    assert counts["drawn"] >= {6: 3, 9: 4, 12: 1}[zoom], counts  # at 12 the land fills the view
    assert counts["zoomIn"] == "Zoom avant" and counts["lang"] == "fr"
    assert "km" in counts["scale"] and "mi" not in counts["scale"]
    assert outside == []


def test_choropleth_tooltip_and_place_popup(browser, page_file):
    outside: list[str] = []
    page = open_map(browser, page_file, outside)
    page.evaluate(f"() => {FIND_MAP}.setView([48.2, -2.8], 8, {{animate: false}})")
    page.wait_for_timeout(800)
    # A point of Bretagne away from any place: the choropleth's tooltip follows the mouse there.
    spot = page.evaluate(f"""() => {{ const m = {FIND_MAP}, p = m.latLngToContainerPoint([48.25, -3.3]),
        r = m.getContainer().getBoundingClientRect(); return {{x: r.left + p.x, y: r.top + p.y}}; }}""")
    page.mouse.move(spot["x"] - 5, spot["y"] - 5)
    page.mouse.move(spot["x"], spot["y"])
    page.wait_for_selector(".leaflet-tooltip", timeout=5000)
    tooltip = page.inner_text(".leaflet-tooltip")
    page.screenshot(path="/tmp/atlas-tooltip.png")
    assert "Bretagne" in tooltip and "lieu" in tooltip
    # The Rennes place is drawn on the same canvas, above the choropleth: a click opens its popup.
    dot = page.evaluate(f"""() => {{ const m = {FIND_MAP}, p = m.latLngToContainerPoint([48.1116, -1.6819]),
        r = m.getContainer().getBoundingClientRect(); return {{x: r.left + p.x, y: r.top + p.y}}; }}""")
    page.mouse.move(dot["x"], dot["y"])
    page.mouse.click(dot["x"], dot["y"])
    page.wait_for_selector(".leaflet-popup-content .rc-popup h2", timeout=5000)
    assert "Cantine de Rennes" in page.inner_text(".leaflet-popup-content h2")
    # The « Départ » of a « près de… » route has its tooltip too.
    page.evaluate(f"() => {FIND_MAP}.closePopup()")
    start = page.evaluate(f"""() => {{ const m = {FIND_MAP}, p = m.latLngToContainerPoint([{VANNES[0]}, {VANNES[1]}]),
        r = m.getContainer().getBoundingClientRect(); return {{x: r.left + p.x, y: r.top + p.y}}; }}""")
    page.mouse.move(start["x"] + 3, start["y"] + 3)
    page.mouse.move(start["x"], start["y"])
    page.wait_for_function("""() => [...document.querySelectorAll('.leaflet-tooltip')]
        .some(t => t.textContent.includes('Départ : Vannes'))""", timeout=5000)
    page.close()
    assert outside == []


def test_tiles_offline_fall_back_to_the_atlas_and_2012_regions_draw(browser, page_file):
    outside: list[str] = []
    page = open_map(browser, page_file, outside)
    page.wait_for_selector(".rc-lbl", timeout=10000)
    # No internet: choosing OpenStreetMap brings the atlas back by itself once tiles fail.
    page.get_by_text("OpenStreetMap", exact=True).click()
    page.wait_for_function("""() => (document.querySelector('.leaflet-control-layers-base input:checked') || {})
        .nextElementSibling?.textContent.trim() === 'Atlas hors ligne'""", timeout=15000)
    assert any("openstreetmap" in url for url in outside)  # tried, and blocked
    page.get_by_text("Régions de 2012", exact=True).click()
    page.wait_for_function("""() => [...document.querySelectorAll('.leaflet-rcAtlas-pane svg path')]
        .some(p => p.getAttribute('stroke-dasharray') === '7 5' && (p.getAttribute('d') || '').length > 100)""",
                           timeout=5000)
    page.screenshot(path="/tmp/atlas-2012.png")
    assert "atlas hors ligne" in page.inner_text(".leaflet-control-attribution")
    page.close()


def test_overseas_places_are_said_and_one_click_away(browser, places, tmp_path):
    # A national list at France zoom: « + 2 lieux outre-mer », a button to each territory; a click
    # frames it, and then France is one click away (issue 19).
    overseas = pd.concat([places, pd.DataFrame({
        "id": ["cayenne", "noumea"], "name": ["Espace de Cayenne", "Fablab de Nouméa"],
        "type": ["cantine"] * 2, "status": ["ouvert"] * 2, "address": [""] * 2, "city": ["Cayenne", "Nouméa"],
        "region": ["Guyane", "Nouvelle-Calédonie"], "lat": [4.9381, -22.2758], "lon": [-52.3346, 166.458],
        "precision": ["ville"] * 2, "opened": pd.array([None, None], dtype="Int64"), "website": [""] * 2,
        "description": [""] * 2, "source": [""] * 2})], ignore_index=True)
    m = mapview.base_map(load_outlines(), height=700)
    mapview.places_group(overseas, overlays=[mapview.overseas_notice(overseas)]).add_to(m)
    path = tmp_path / "outre-mer.html"
    path.write_text(m.get_root().render(), encoding="utf-8")
    outside: list[str] = []
    page = open_map(browser, path, outside)
    page.wait_for_selector(".rc-overseas .rc-overseas-go", timeout=10000)
    notice = page.locator(".rc-overseas")
    assert notice.inner_text().startswith("+ 2\u00a0lieux outre-mer\u00a0:")
    assert [b.inner_text() for b in notice.locator("button").all()] == ["Guyane (1)", "Nouvelle-Calédonie (1)"]
    page.screenshot(path="/tmp/overseas-france.png")
    notice.locator("button", has_text="Guyane").click()
    page.wait_for_timeout(800)
    lat, lon = page.evaluate(f"() => {{ const c = {FIND_MAP}.getCenter(); return [c.lat, c.lng]; }}")
    assert 2 < lat < 6 and -55 < lon < -51  # Guyane framed
    buttons = [b.inner_text() for b in notice.locator("button").all()]
    assert buttons == ["Nouvelle-Calédonie (1)", "France métropolitaine (3)"]
    assert notice.inner_text().startswith("+ 1\u00a0lieu outre-mer\u00a0:")
    page.screenshot(path="/tmp/overseas-guyane.png")
    assert outside == []
    page.close()
