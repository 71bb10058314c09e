"""The map for everyone, in a real browser: axe-core on every page and in the map's frame, the
keyboard's walk (Tab to a place, Entrée, Échap, a list row), names for screen readers, the
document's language and title, and less motion when the visitor asks for it.

Skips itself, saying why, where Chromium, Playwright or axe-core is missing (axe-core: `npm ci
--prefix tests/browser`; under CI a missing axe-core fails, see tests/accessibility.py).
"""

import csv
import html
from pathlib import Path

import accessibility
import pytest
from browsing import map_frame, require_browser, serve

from reseau_map.app.browser import FRAME_TITLES, MAP_IFRAME, TITLES
from reseau_map.files.network import load_network

pytestmark = pytest.mark.browser
sync_api = require_browser()
AXE = accessibility.require_axe()

FIXTURE = Path(__file__).parent.parent / "fixtures" / "clicks"
PLACES = FIXTURE / "places.csv"
VOCAB = load_network(FIXTURE / "network.toml").vocabulary
ROWS = {r["id"]: r for r in csv.DictReader(PLACES.read_text(encoding="utf-8").splitlines())}
# The pages, their address and whether they draw the map of places.
PAGES = {"map": ("/", True), "presentation": ("/?mode=presentation", True),
         "proposer": ("/proposer", False), "moderation": ("/moderation", False)}
# What axe still finds in Streamlit's own parts, by rule, and why the app leaves it there. A new
# rule here fails the test: it must be fixed, or listed with its reason.
LEFT_TO_STREAMLIT: dict[str, str] = {}
IDLE = "() => !!document.querySelector('[data-testid=stApp][data-test-script-state=notRunning]')"
KEY = "(d => d && d.dataset ? d.dataset.rcKey || '' : '')(document.activeElement)"
# The heading of a popup of the frame's current map (streamlit-folium draws a new map beside the old
# one when the page sends new arguments, then drops the old one) has the focus: its text.
FOCUSED_HEADING = """() => { const a = document.activeElement, maps = document.querySelectorAll('.leaflet-container');
  return maps.length === 1 && a && /^H[1-6]$/.test(a.tagName) && a.closest('.leaflet-popup')
    && window.map.getContainer().contains(a) ? a.textContent.trim() : ''; }"""


@pytest.fixture(scope="module")
def app_url():
    yield from serve(PLACES)


def open_page(browser, url: str, width: int = 1366, height: int = 768, motion: str = "no-preference"):
    """The page, offline (any host but the app's refused), at this size and motion preference."""
    base = "/".join(url.split("/")[:3])
    context = browser.new_context(viewport={"width": width, "height": height}, reduced_motion=motion)
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith((base, "data:", "blob:"))
                  else r.abort())
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector('[data-testid="stMain"]', timeout=30000)
    return page


def place_name(place_id: str) -> str:
    """« Cantine d'essai de Rennes, cantine, ouvert, Rennes »: from the fixture and its vocabulary."""
    r = ROWS[place_id]

    def lower(text: str) -> str:
        return text[:1].lower() + text[1:]

    return ", ".join([r["name"], lower(VOCAB.type_label(r["type"])), lower(VOCAB.status_label(r["status"])),
                      r["city"]])


def cluster_name(ids: list[str]) -> str:
    """« 3 lieux : 2 cantines, 1 lieu associé »: how many, then how many of each type, in the vocabulary's order."""
    types = [ROWS[i]["type"] for i in ids]
    said = [VOCAB.counted(types.count(t), t) for t in VOCAB.type_ids if t in types]
    return f"{len(ids)} lieux\u00a0: " + ", ".join(said)


def tab_to_place(page, frame, presses: int = 80) -> str:
    """Tab from the top of the page until the focus is on a place of the map; its key (« p:id »)."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        key = frame.evaluate(f"() => {KEY}")
        if key.startswith("p:"):
            return key
    raise AssertionError("Tab never reached a place of the map")


@pytest.mark.parametrize("name", list(PAGES))
def test_axe_finds_nothing_the_app_causes(app_url, browser, name):
    path, has_map = PAGES[name]
    page = open_page(browser, app_url + path)
    frame = map_frame(page) if has_map else None
    page.wait_for_timeout(3000)  # the page script has named, translated and fitted everything
    found = {"page": accessibility.violations(page, AXE)}
    if frame is not None:
        found["frame"] = accessibility.violations(frame, AXE)
    page.context.close()
    for where, violations in found.items():
        app, streamlit = accessibility.split(violations)
        assert app == [], f"{name}, {where}:\n" + accessibility.describe(app)
        left = {v["id"] for v in streamlit} - set(LEFT_TO_STREAMLIT)
        assert not left, f"{name}, {where}: Streamlit's, not listed:\n" + accessibility.describe(
            [v for v in streamlit if v["id"] in left])


@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_and_frame_is_french_with_one_title(app_url, browser, name):
    path, has_map = PAGES[name]
    page = open_page(browser, app_url + path)
    if has_map:
        map_frame(page)
    want = TITLES[name]
    # Streamlit sets the title (st.set_page_config), the page script the language: both, in time.
    page.wait_for_function("(t) => document.title === t && document.documentElement.lang === 'fr'", arg=want,
                           timeout=15000)
    lang_and_titles = "() => [document.documentElement.lang, document.querySelectorAll('title').length]"
    assert page.evaluate(lang_and_titles) == ["fr", 1]
    frames = page.locator("iframe")
    titles = []
    for k in range(frames.count()):
        titles.append(frames.nth(k).get_attribute("title") or "")
    for f in page.frames[1:]:
        lang, count = f.evaluate(lang_and_titles)
        assert (lang, count) == ("fr", 1), (f.url, lang, count)
    assert all(titles) and not any("streamlit" in t.lower() for t in titles), titles
    if has_map:
        assert page.locator(MAP_IFRAME).first.get_attribute("title") == FRAME_TITLES["map"]
        assert FRAME_TITLES["map"] == "Carte des lieux du réseau"
    page.context.close()


def test_tab_reaches_a_place_enter_opens_its_card_escape_gives_focus_back(app_url, browser):
    page = open_page(browser, app_url + "/")
    frame = map_frame(page)
    page.wait_for_timeout(2500)
    key = tab_to_place(page, frame)
    place_id = key[2:]
    label = frame.evaluate("() => document.activeElement.getAttribute('aria-label')")
    assert label == place_name(place_id)
    page.keyboard.press("Enter")
    name = ROWS[place_id]["name"]
    # The map's card of the place opens, its heading has the focus, and the page's card opens too.
    frame.wait_for_function(f"(n) => ({FOCUSED_HEADING})() === n", arg=name, timeout=15000)
    page.wait_for_function("(n) => [...document.querySelectorAll('.st-key-rc_card h2')].some("
                           "h => h.textContent.trim() === n)", arg=name, timeout=20000)
    # The page's rerun redraws the map: once it is over, the focus is still on the card's heading.
    page.wait_for_function(IDLE, timeout=60000)
    frame = map_frame(page)
    frame.wait_for_function(f"(n) => ({FOCUSED_HEADING})() === n", arg=name, timeout=15000)
    page.keyboard.press("Escape")
    try:
        frame.wait_for_function(f"(k) => {KEY} === k", arg=key, timeout=10000)
    except sync_api.TimeoutError:
        where = frame.evaluate("() => (document.activeElement || {}).outerHTML || ''")[:300]
        raise AssertionError(f"the focus did not come back to {key}: {where}") from None
    frame.wait_for_function("() => !document.querySelector('.leaflet-popup')", timeout=5000)  # after its fade
    page.context.close()


def test_clusters_say_how_many_places_and_of_what(app_url, browser):
    page = open_page(browser, app_url + "/", 390, 844)  # a phone's map clusters Rennes, Nantes, Brest
    frame = map_frame(page)
    frame.evaluate("() => window.map.setView([47.5, -2.5], 5, {animate: false})")
    frame.wait_for_function("() => [...document.querySelectorAll('.rc-key')].some("
                            "b => b.dataset.rcKey.startsWith('c:'))", timeout=10000)
    said = frame.evaluate("""() => { const out = [];
      window.map.eachLayer(l => { if (l instanceof L.MarkerCluster) {
        const D = Object.values(window.rcData).find(d => d && d.ids);
        const b = [...document.querySelectorAll('.rc-key')].find(b => b.rcCluster === l);
        if (b) out.push([l.getAllChildMarkers().map(m => D.ids[m.rcIndex]), b.getAttribute('aria-label')]); } });
      return out; }""")
    page.context.close()
    assert said
    for ids, label in said:
        assert label == cluster_name(ids), (ids, label)


def test_a_list_row_opens_with_enter(app_url, browser):
    page = open_page(browser, app_url + "/")
    map_frame(page)
    page.get_by_role("tab", name="Liste des lieux").click()
    grid = page.locator('[class*="st-key-table_"] [data-testid="stDataFrameResizable"]').first
    grid.scroll_into_view_if_needed()
    canvas = grid.locator('canvas[data-testid="data-grid-canvas"]').first
    canvas.focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_selector(".st-key-rc_card h2", timeout=20000)
    name = page.locator(".st-key-rc_card h2").first.inner_text().strip()
    assert html.unescape(name) in {r["name"] for r in ROWS.values()}
    page.context.close()


def test_presentation_pause_stays_visible_while_focused(app_url, browser):
    page = open_page(browser, app_url + "/?mode=presentation")
    map_frame(page)
    pause = page.get_by_role("button", name="Pause")
    pause.wait_for(timeout=20000)
    pause.focus()
    page.mouse.move(10, 10)  # then nothing for longer than the controls' idle time
    page.wait_for_timeout(4500)
    controls = page.locator(".st-key-rc_controls")
    assert float(controls.evaluate("e => getComputedStyle(e).opacity")) > 0.9
    assert pause.is_visible()
    page.context.close()


def test_less_motion_the_tour_starts_paused_and_the_map_does_not_animate(app_url, browser):
    page = open_page(browser, app_url + "/?mode=presentation", motion="reduce")
    frame = map_frame(page)
    page.get_by_role("button", name="Lecture").wait_for(timeout=20000)
    frame = map_frame(page)
    assert frame.evaluate("() => [L.rcCalm, window.map.options.zoomAnimation, window.map.options.fadeAnimation]") \
        == [True, False, False]
    caption = frame.evaluate("() => (document.querySelector('.rc-caption .n') || {}).textContent || ''")
    page.wait_for_timeout(9000)  # longer than a slide lasts
    assert map_frame(page).evaluate("() => (document.querySelector('.rc-caption .n') || {}).textContent || ''") \
        == caption
    page.context.close()
