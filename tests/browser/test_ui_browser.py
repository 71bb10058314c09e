"""The page on four screens (phone, laptop, 1080p, 4K), normal and presentation, in a real browser.

Skips itself, saying why, where Chromium or Playwright is missing. Screenshots go to
/tmp/ui-<mode>-<width>x<height>.png for the closing note.
"""

import re
import time

import pytest
from browsing import map_frame, require_browser
from test_browser import app_url  # noqa: F401 — the app fixture

from reseau_map.app.browser import MAP_IFRAME

pytestmark = pytest.mark.browser
sync_api = require_browser()

SCREENS = [(390, 844), (1366, 768), (1920, 1080), (3840, 2160)]
IFRAME = MAP_IFRAME  # by its address: page.js gives the frame a French title
# An ordinary space before « : ; ? ! » or inside « »: French typography wants a no-break space.
BAD_SPACES = re.compile(r"\w (?=[:;?!](\s|$))|« | »")


def open_page(browser, url: str, width: int, height: int):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(url)
    frame = map_frame(page)
    frame.wait_for_selector(".rc-legend", timeout=30000)
    page.wait_for_timeout(2500)  # the script sizes the map and Leaflet settles
    return page, frame


def boxes_in_map(page, frame, selector: str) -> list[dict]:
    """Page-coordinate boxes of the elements matching `selector` inside the map's frame."""
    origin = page.locator(IFRAME).first.bounding_box()
    rects = frame.evaluate("""(sel) => [...document.querySelectorAll(sel)].map(e => {
        const r = e.getBoundingClientRect(); return {x: r.left, y: r.top, w: r.width, h: r.height}; })""", selector)
    return [{"x": origin["x"] + r["x"], "y": origin["y"] + r["y"], "w": r["w"], "h": r["h"]} for r in rects]


def inside(box: dict, width: int, height: int, vertical: bool = True) -> bool:
    ok = box["x"] >= -1 and box["x"] + box["w"] <= width + 1 and box["w"] > 0
    return ok and (not vertical or (box["y"] >= -1 and box["y"] + box["h"] <= height + 1))


def page_boxes(page, selector: str) -> list[dict]:
    return page.evaluate("""(sel) => [...document.querySelectorAll(sel)].map(e => {
        const r = e.getBoundingClientRect(); return {x: r.left, y: r.top, w: r.width, h: r.height}; })""", selector)


def scroll_sizes(page) -> dict:
    return page.evaluate("""() => ({sw: document.documentElement.scrollWidth, w: window.innerWidth,
                                    sh: document.documentElement.scrollHeight, h: window.innerHeight})""")


@pytest.mark.parametrize(("width", "height"), SCREENS, ids=[f"{w}x{h}" for w, h in SCREENS])
def test_normal_page_fits_the_screen(app_url, browser, width, height):  # noqa: F811
    page, frame = open_page(browser, app_url + "/", width, height)
    page.screenshot(path=f"/tmp/ui-page-{width}x{height}.png")
    sizes = scroll_sizes(page)
    assert sizes["sw"] <= sizes["w"], sizes  # no sideways scroll
    assert page.evaluate("document.documentElement.lang") == "fr"
    # The file's own notices above the map (rows off the map, issue 19) push it down by their height.
    pushed = sum(b["h"] + 16 for b in page_boxes(page, '[data-testid="stAlert"]'))
    for box in boxes_in_map(page, frame, ".rc-legend"):
        assert inside(box, width, height + pushed), box
    map_box = page.locator(IFRAME).first.bounding_box()
    assert map_box["y"] - pushed < height * 0.35  # the map comes first, near the top
    if width < 700:  # a phone: the map takes most of the screen, the sidebar is folded
        assert map_box["height"] >= 0.6 * height
        assert not page.locator('[data-testid="stSidebar"]').first.is_visible() or \
            page.locator('[data-testid="stSidebar"]').first.bounding_box()["x"] < 0
    for box in page_boxes(page, ".rc-card"):
        assert inside(box, width, height, vertical=False), box
    text = page.evaluate("document.body.innerText")
    assert not BAD_SPACES.search(text), BAD_SPACES.search(text).group()
    page.context.close()


SHOW_SCREENS = [(1280, 720), *SCREENS]


@pytest.mark.parametrize(("width", "height"), SHOW_SCREENS, ids=[f"{w}x{h}" for w, h in SHOW_SCREENS])
def test_presentation_fits_the_screen(app_url, browser, width, height):  # noqa: F811
    page, frame = open_page(browser, app_url + "/?mode=presentation", width, height)
    frame.wait_for_selector(".rc-caption .n", timeout=20000)
    page.wait_for_timeout(1500)
    page.screenshot(path=f"/tmp/ui-show-{width}x{height}.png")
    sizes = scroll_sizes(page)
    assert sizes["sw"] <= sizes["w"] and sizes["sh"] <= sizes["h"] + 1, sizes  # nothing to scroll
    for selector in (".rc-legend", ".rc-caption"):
        for box in boxes_in_map(page, frame, selector):
            assert inside(box, width, height), (selector, box)
    text = page.evaluate("document.body.innerText")
    assert not BAD_SPACES.search(text), BAD_SPACES.search(text).group()
    figs = page_boxes(page, ".rc-fig")
    assert figs
    for box in figs:
        assert inside(box, width, height), box
    # Leaflet knows its new size: the map fills the frame the page sized from the screen.
    map_box = page.locator(IFRAME).first.bounding_box()
    assert map_box["y"] + map_box["height"] <= height + 1
    leaflet = frame.evaluate("() => window.map.getSize().y")
    assert abs(leaflet - map_box["height"]) <= 12, (leaflet, map_box)
    if width >= 1280:
        assert map_box["height"] >= 0.7 * height
        sizes_px = page.evaluate("""() => [...document.querySelectorAll('.rc-fig .q, .rc-fig .v')]
            .map(e => parseFloat(getComputedStyle(e).fontSize))""")
        caption_px = frame.evaluate("() => parseFloat(getComputedStyle(document.querySelector('.rc-caption .n'))"
                                    ".fontSize)")
        if height >= 1080:
            assert min(sizes_px) >= 24 and caption_px >= 24, (sizes_px, caption_px)
    page.context.close()


def test_presentation_controls_fade_and_keys_drive_the_show(app_url, browser):  # noqa: F811
    page, frame = open_page(browser, app_url + "/?mode=presentation", 1366, 768)
    controls = page.locator(".st-key-rc_controls")
    page.mouse.move(300, 300)
    page.mouse.move(320, 310)
    page.wait_for_timeout(900)  # the fade takes 0.6 s
    assert float(controls.evaluate("e => getComputedStyle(e).opacity")) > 0.9
    page.wait_for_function("() => document.body.classList.contains('rc-idle')", timeout=8000)
    page.wait_for_timeout(800)
    assert float(controls.evaluate("e => getComputedStyle(e).opacity")) < 0.1
    page.mouse.move(400, 400)
    assert not page.evaluate("document.body.classList.contains('rc-idle')")

    def caption() -> str:
        return map_frame(page).evaluate("() => (document.querySelector('.rc-caption .n') || {}).textContent || ''")

    page.keyboard.press("Space")  # pause, so the timer does not move the show meanwhile
    page.wait_for_function("() => [...document.querySelectorAll('button')].some(b => b.innerText.trim() === 'Lecture')",
                           timeout=20000)
    before = caption()
    page.keyboard.press("ArrowRight")
    deadline = time.time() + 20
    while time.time() < deadline and caption() == before:
        page.wait_for_timeout(500)
    assert caption() != before
    page.keyboard.press("Escape")
    page.wait_for_function("() => !document.querySelector('.rc-band')", timeout=20000)
    # The address follows once the run that left the show has finished.
    page.wait_for_function("() => !location.search.includes('mode=presentation')", timeout=20000)
    page.context.close()
