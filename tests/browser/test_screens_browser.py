"""A presentation that shows its place, a phone's popup and legends, the region picker and the
timeline, in a real browser (Debian's Chromium through Playwright).

Skips itself, saying why, where Chromium or Playwright is missing.
"""

import html
from pathlib import Path

import pytest
from browsing import map_frame, offline_page, require_browser, serve

pytestmark = pytest.mark.browser
sync_api = require_browser()

PLACES = Path(__file__).parent.parent / "fixtures" / "clicks" / "places.csv"
FEATURED = "() => !!document.querySelector('.leaflet-tooltip.rc-featured')"


@pytest.fixture(scope="module")
def app_url():
    yield from serve(PLACES)


def open_map(browser, url: str, width: int, height: int):
    page = offline_page(browser, "/".join(url.split("/")[:3]), width, height)
    page.goto(url)
    frame = map_frame(page)
    frame.wait_for_function("() => Object.values(window.rcData || {}).some(d => d && d.ids)", timeout=30000)
    page.wait_for_timeout(2000)  # the page sizes the frame, the fit settles
    return page, frame


def to_a_place_slide(page):
    """Pause the show (Espace), then the next slide (→) until one features a place; its map frame."""
    page.get_by_role("button", name="Pause").wait_for(timeout=20000)
    page.keyboard.press("Space")
    page.get_by_role("button", name="Lecture").wait_for(timeout=20000)
    for _ in range(12):
        frame = map_frame(page)
        try:
            frame.wait_for_function(FEATURED, timeout=4000)
            return frame
        except sync_api.TimeoutError:
            page.keyboard.press("ArrowRight")
    raise AssertionError("no slide features a place")


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (3840, 2160)], ids=["1366x768", "3840x2160"])
def test_a_slide_shows_its_place_apart_named_ringed_and_the_others_dimmed(app_url, browser, width, height):
    page, _ = open_map(browser, app_url + "/?mode=presentation", width, height)
    frame = to_a_place_slide(page)
    page.wait_for_timeout(1500)
    seen = frame.evaluate("""() => { const m = window.map, D = Object.values(window.rcData).find(d => d && d.ids);
      const tip = document.querySelector('.leaflet-tooltip.rc-featured');
      let featured = null, others = [], ring = null;
      m.eachLayer(l => { if (l instanceof L.CircleMarker && l.rcIndex !== undefined) {
        if (l.getTooltip() && l.getTooltip().options.className === 'rc-featured') featured = l; else others.push(l); }
        else if (l instanceof L.CircleMarker && l.options.fill === false) ring = l; });
      const inCluster = !!featured.__parent;  // MarkerCluster's parent of a clustered marker
      const layers = document.querySelector('.leaflet-control-layers');
      const c = D.cols.name, i = featured.rcIndex;
      return {tip: tip.textContent.trim(), name: c.v ? c.v[i] : c.k[c.i[i]],
              radius: featured.getRadius(), others: others.map(o => [o.getRadius(), o.options.opacity]),
              ring: !!ring, inCluster: inCluster,
              layersShown: !!layers && getComputedStyle(layers).display !== 'none',
              caption: parseFloat(getComputedStyle(document.querySelector('.rc-caption')).fontSize),
              featuring: document.querySelector('.leaflet-container').classList.contains('rc-featuring')}; }""")
    page.screenshot(path=f"/tmp/show-place-{width}x{height}.png")
    page.context.close()
    assert seen["tip"] == html.unescape(seen["name"]), seen  # named, beside it
    assert seen["ring"] and not seen["inCluster"] and seen["featuring"], seen
    assert all(seen["radius"] > r and opacity < 1 for r, opacity in seen["others"]), seen
    assert not seen["layersShown"], seen  # nobody changes the base map during a talk
    assert seen["caption"] >= 0.025 * height, seen  # sized from the window, not the frame


def test_a_phones_popup_fits_inside_the_map_clear_of_its_controls(app_url, browser):
    page, frame = open_map(browser, app_url + "/?place=k-strasbourg", 390, 844)
    frame.wait_for_selector(".leaflet-popup", timeout=20000)
    page.wait_for_timeout(1500)  # the popup's auto-pan
    boxes = frame.evaluate("""() => { const box = (e) => { const r = e.getBoundingClientRect();
        return {l: r.left, t: r.top, r: r.right, b: r.bottom}; };
      return {map: box(document.querySelector('.leaflet-container')),
              popup: box(document.querySelector('.leaflet-popup-content-wrapper')),
              controls: [...document.querySelectorAll('.leaflet-top .leaflet-control')].map(box)}; }""")
    page.screenshot(path="/tmp/phone-popup-390x844.png")
    page.context.close()
    m, p = boxes["map"], boxes["popup"]
    assert m["l"] <= p["l"] and p["r"] <= m["r"] and m["t"] <= p["t"] and p["b"] <= m["b"], boxes
    for c in boxes["controls"]:
        apart = c["r"] <= p["l"] or p["r"] <= c["l"] or c["b"] <= p["t"] or p["b"] <= c["t"]
        assert apart, (c, p)


def test_a_phone_shows_one_legend_at_a_time(app_url, browser):
    page, frame = open_map(browser, app_url + "/?choro=1", 390, 844)
    frame.wait_for_function("() => document.querySelectorAll('details.rc-fold').length >= 2", timeout=20000)
    folds = frame.locator("details.rc-fold > summary")
    assert frame.evaluate("() => [...document.querySelectorAll('details.rc-fold')].filter(d => d.open).length") == 0
    for k in range(folds.count()):
        folds.nth(k).click()
        page.wait_for_timeout(300)
        opened = frame.evaluate("() => [...document.querySelectorAll('details.rc-fold')].map(d => d.open)")
        assert opened.count(True) == 1 and opened[k], opened
    page.context.close()


def test_typing_part_of_a_region_then_enter_adds_only_that_region(app_url, browser):
    page, _ = open_map(browser, app_url + "/", 1366, 768)
    field = page.get_by_role("combobox", name="Région")
    field.click()
    page.keyboard.type("Bret")
    page.keyboard.press("Enter")
    page.wait_for_function("() => location.search.includes('region=')", timeout=20000)
    page.wait_for_timeout(1000)  # a second region would come in the same run
    chosen = page.evaluate("() => new URLSearchParams(location.search).getAll('region').flatMap(v => v.split(','))")
    page.context.close()
    assert chosen == ["Bretagne"], chosen


def test_a_year_of_the_timeline_keeps_the_network_in_view(app_url, browser):
    page, frame = open_map(browser, app_url + "/", 1366, 768)
    whole = frame.evaluate("() => window.map.getZoom()")
    page.goto(app_url + "/?year=2010")
    frame = map_frame(page)
    page.wait_for_timeout(3000)
    seen = frame.evaluate("""() => { const m = window.map, b = m.getBounds();
      const D = Object.values(window.rcData).find(d => d && d.ids);
      return {zoom: m.getZoom(), all: D.ids.every((id, i) => b.contains([D.lat[i], D.lon[i]]))}; }""")
    page.context.close()
    assert seen["all"] and seen["zoom"] <= whole + 1, (seen, whole)


OVERLAPS = """() => {
  const parts = ['.leaflet-control-attribution', '.leaflet-control-scale', '.rc-legend', '.leaflet-control-layers',
                 '.leaflet-control-zoom'];
  const boxes = parts.map(s => [s, document.querySelector(s)]).filter(([, e]) => e && e.offsetWidth)
    .map(([s, e]) => [s, e.getBoundingClientRect()]);
  const out = [];
  boxes.forEach(([a, p], i) => boxes.slice(i + 1).forEach(([b, q]) => {
    const apart = p.right - 1 <= q.left || q.right - 1 <= p.left || p.bottom - 1 <= q.top || q.bottom - 1 <= p.top;
    if (!apart) out.push(a + ' / ' + b);
  }));
  return out; }"""


@pytest.mark.parametrize(("width", "height", "zoom"), [(1366, 768, 1), (1366, 768, 2), (390, 844, 1)],
                         ids=["1366x768", "1366x768-200pct", "390x844"])
def test_the_map_s_controls_credits_and_legend_never_overlap(app_url, browser, width, height, zoom):
    # 200 %: a 1366 px screen zoomed twice is a 683 px window at twice the pixels (WCAG 1.4.4).
    context = browser.new_context(viewport={"width": width // zoom, "height": height // zoom},
                                  device_scale_factor=zoom)
    page = context.new_page()
    page.goto(app_url + "/")
    frame = map_frame(page)
    frame.wait_for_function("() => Object.values(window.rcData || {}).some(d => d && d.ids)", timeout=30000)
    page.wait_for_timeout(2000)
    assert frame.evaluate(OVERLAPS) == []
    context.close()


def test_a_projector_shows_as_many_town_names_as_a_1080p_screen_not_more(app_url, browser):
    # Names are drawn larger on a 4K projector (from the window's height); the fit zooms one level
    # closer there, which would add a tier of names and crowd them: the atlas keeps 1080p's tier.
    counts = {}
    for width, height in ((1920, 1080), (3840, 2160)):
        context = browser.new_context(viewport={"width": width, "height": height}, reduced_motion="reduce")
        page = context.new_page()  # less motion: the tour starts paused, both screens show its first slide
        page.goto(app_url + "/?mode=presentation")
        frame = map_frame(page)
        frame.wait_for_function("() => Object.values(window.rcData || {}).some(d => d && d.ids)", timeout=30000)
        page.wait_for_timeout(2500)  # the page sizes the frame, the fit settles, the names are drawn
        counts[width] = frame.evaluate("""() => ({zoom: window.map.getZoom(),
          names: [...document.querySelectorAll('.rc-lbl')].filter(e => e.offsetWidth).length,
          button: document.querySelector('.leaflet-control-zoom-in').getBoundingClientRect().height,
          swatch: document.querySelector('.rc-legend .rc-swatch').getBoundingClientRect().height})""")
        context.close()
    assert counts[3840]["zoom"] > counts[1920]["zoom"]  # the projector's map is one level closer…
    assert counts[3840]["names"] <= 1.3 * counts[1920]["names"], counts  # …with as few names
    # The zoom buttons and the legend's swatches grow with the screen, as its text does.
    assert counts[3840]["button"] >= 0.03 * 2160 and counts[3840]["swatch"] >= 1.5 * counts[1920]["swatch"], counts


@pytest.mark.parametrize(("width", "height"), [(320, 640), (341, 192)], ids=["320px", "1366x768-400pct"])
def test_at_320px_and_400_percent_nothing_is_cut_and_the_map_keeps_a_usable_height(app_url, browser, width, height):
    # WCAG 1.4.10: 320 CSS px wide, and a 1366x768 laptop at 400 % (341x192 CSS px), scroll only up and down.
    context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=2)
    page = context.new_page()
    page.goto(app_url + "/")
    frame = map_frame(page)
    frame.wait_for_function("() => Object.values(window.rcData || {}).some(d => d && d.ids)", timeout=30000)
    page.wait_for_timeout(2500)  # the page script sizes the map's frame
    seen = page.evaluate("""(sel) => {
      const cut = [...document.querySelectorAll('h1, h2, h3, [data-testid=stCaptionContainer]')]
        .filter(e => e.offsetWidth && e.scrollWidth > e.clientWidth + 1).map(e => e.textContent.slice(0, 40));
      const frame = document.querySelector(sel);
      return {cut, sideways: document.documentElement.scrollWidth > window.innerWidth + 1,
              map: frame ? frame.getBoundingClientRect().height : 0}; }""", 'iframe[data-rc-map]')
    context.close()
    assert seen["cut"] == [] and not seen["sideways"], seen
    assert seen["map"] >= 240, seen  # a map one can still pan, even when the page around it scrolls
