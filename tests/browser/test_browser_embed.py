"""The map-only embed in a partner's page: a 900×600 frame of `?…&embed=true&embed=1` is mostly map.

A page of « a partner's site » on another local port frames the app, as the « Intégrer » snippet
says. Skips itself, saying why, where Chromium or Playwright is missing.
"""

import functools
import http.server
import threading
from pathlib import Path

import pandas as pd
import pytest
from browsing import map_frame, require_browser, serve

from reseau_map.app.embedded import FULL_MAP

PLACES = Path(__file__).parent.parent / "fixtures" / "page" / "places.csv"
FRAME = (900, 600)
HOST = """<!DOCTYPE html><html lang="fr"><head><title>Site d'un partenaire</title></head>
<body style="margin:20px;font-family:sans-serif"><h1>Nos lieux</h1>
<iframe id="carte" src="{src}" title="Carte : Réseau d'essai" width="{w}" height="{h}" style="border:0"></iframe>
</body></html>"""
# Every place of the map's cluster group, the clustered ones included.
DRAWN = """() => { let n = 0;
  window.map.eachLayer(l => { if (l instanceof L.MarkerClusterGroup) n += l.getLayers().length; }); return n; }"""

INSIDE = """() => { const b = window.map.getBounds(); let all = true;
  window.map.eachLayer(l => { if (l instanceof L.MarkerClusterGroup) l.getLayers().forEach(m => {
    if (!b.contains(m.getLatLng())) all = false; }); });
  return all; }"""

sync_api = require_browser()
pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def app_url():
    yield from serve(PLACES)


@pytest.fixture(params=[FRAME, (420, 320)], ids=["900x600", "420x320"])
def partner_site(request, tmp_path, app_url):
    """A partner's page that frames the live map alone, served from another port of this machine; the frame's size."""
    src = app_url + "/?type=lieu_associe&embed=true&embed=1"
    width, height = request.param
    (tmp_path / "index.html").write_text(HOST.format(src=src, w=width, h=height), encoding="utf-8")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/index.html", (width, height)
    finally:
        server.shutdown()
        server.server_close()


def test_the_embed_in_a_partner_frame_is_a_map_with_the_filters_of_its_url(partner_site, browser):
    site, size = partner_site
    rows = pd.read_csv(PLACES, dtype=str, keep_default_na=False)
    page = browser.new_page(viewport={"width": 1200, "height": 800})
    page.goto(site)
    frame = map_frame(page)
    frame.wait_for_function(DRAWN.replace("return n;", "return n > 0;"), timeout=30000)
    outer = page.locator("#carte").bounding_box()
    # The map grows to its frame once the page's script has measured it (it looks every 0.7 s).
    box = None
    for _ in range(20):
        box = frame.locator(".leaflet-container").bounding_box()
        if box and box["height"] * box["width"] >= 0.8 * size[0] * size[1]:
            break
        page.wait_for_timeout(500)
    page.screenshot(path=f"/tmp/embed-{size[0]}x{size[1]}.png")
    assert (outer["width"], outer["height"]) == size
    assert box is not None and box["width"] * box["height"] >= 0.8 * size[0] * size[1], box
    # Inside the frame: the map's box stays within the partner's frame (nothing scrolls out of it).
    assert box["y"] + box["height"] <= outer["y"] + outer["height"] + 1
    assert frame.evaluate(DRAWN) == int((rows["type"] == "lieu_associe").sum())
    # Fitted at the frame's own size: every place of the filter is in sight.
    frame.wait_for_function(INSIDE, timeout=10000)
    assert frame.evaluate("() => !!document.querySelector('.rc-legend')")
    app = next(f for f in page.frames if "embed=1" in f.url)  # the app's own frame
    link = app.get_by_text(FULL_MAP)
    assert link.is_visible() and link.get_attribute("href") == "?type=lieu_associe"
    assert app.evaluate("() => document.querySelectorAll('[data-testid=stSidebar], h1').length") == 0
    page.close()
