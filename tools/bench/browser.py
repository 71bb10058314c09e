"""Browser side of the benchmark: our page and st.map in headless Chromium, and server memory.

Signals (pragmatic, documented in the report):
- our page: the Leaflet map in the component iframe holds our places, i.e. at least one
  L.CircleMarker or one MarkerCluster group icon on `window.map`. After a filter change, every
  layer present before (MarkerCluster groups included) is tagged; « redrawn » = such a marker
  or cluster icon without the tag that does not belong to a tagged cluster group.
- st.map: deck.gl draws points with instanced WebGL draw calls; an init script wraps
  drawArraysInstanced / drawElementsInstanced and records each call's instance count.
  « drawn » = an instanced draw of exactly the expected number of points (all the file's
  places, then the region's), i.e. the new data has been drawn, not the old one.
The filter is changed through the UI: a click on the « Région » multiselect, the region's name
typed to narrow the list, then the timed part: a click on the option until redrawn points.
Each app gets its own fresh server; « ouverture » is the median over `repeat` visits (the first
visitor also pays the file's first read), each in a new browser context.
Requests to any host but the app are refused (no internet, as for a launch evening).
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from reseau_map.files import places

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--enable-unsafe-swiftshader", "--use-angle=swiftshader"]
VIEWPORT = {"width": 1400, "height": 1000}
START_TIMEOUT = 120  # seconds for `streamlit run` to answer its health check
DRAW_TIMEOUT_MS = 180_000  # a 100,000-place first load includes reading and placing the file
MB = 1_000_000

LEAFLET_HAS_PLACES = """() => {
  for (const f of [document, ...[...document.querySelectorAll('iframe')].map(i => {
        try { return i.contentDocument; } catch (e) { return null; } })]) {
    const w = f && f.defaultView;
    if (!w || !w.L || !w.map || !w.map.eachLayer) continue;
    let n = 0;
    // A layer counts if it is new and does not come from an old MarkerCluster group (an old
    // group re-clustering at the new zoom makes new icons out of the old places).
    const oldGroup = l => (l._group && l._group._benchOld)
                          || (l.__parent && l.__parent._group && l.__parent._group._benchOld);
    w.map.eachLayer(l => { if (!l._benchOld && !oldGroup(l) && (l instanceof w.L.CircleMarker
                                               || (l._childCount && l.getChildCount))) n++; });
    if (n > 0) return n;
  }
  return 0;
}"""
LEAFLET_TAG = """() => { for (const i of document.querySelectorAll('iframe')) { try {
    const w = i.contentWindow; if (w.map && w.map.eachLayer) w.map.eachLayer(l => { l._benchOld = true; });
  } catch (e) {} } }"""
WEBGL_HOOK = """(() => {
  window.__benchDraws = [];
  for (const proto of [window.WebGL2RenderingContext && WebGL2RenderingContext.prototype]) {
    if (!proto) continue;
    for (const [name, at] of [['drawArraysInstanced', 3], ['drawElementsInstanced', 4]]) {
      const orig = proto[name];
      proto[name] = function (...args) { window.__benchDraws.push(args[at]); return orig.apply(this, args); };
    }
  }
})();"""
DECK_DREW = "(n) => (window.__benchDraws || []).includes(n)"


def free_port() -> int:
    """A free local TCP port."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def served(script: Path, data: Path, cwd: Path) -> Iterator[tuple[str, int]]:
    """`streamlit run script` on a free port with RESEAU_MAP_PLACES=data: (base URL, pid)."""
    port = free_port()
    env = dict(os.environ, **{places.ENV_PLACES: str(data)})
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(script), "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1",
         "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
        cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + START_TIMEOUT
        while True:
            try:
                with urllib.request.urlopen(base + "/_stcore/health", timeout=2):
                    break
            except OSError:
                if time.time() > deadline or proc.poll() is not None:
                    raise RuntimeError(f"l'application {script.name} n'a pas démarré") from None
                time.sleep(0.3)
        yield base, proc.pid
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


def rss_mb(pid: int) -> float:
    """Resident memory of a process (VmRSS), in MB."""
    status = Path(f"/proc/{pid}/status").read_text()
    return int(status.split("VmRSS:")[1].split()[0]) * 1024 / MB


def _offline_page(browser, base: str):
    context = browser.new_context(viewport=VIEWPORT)
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith((base, "data:", "blob:"))
                  else r.abort())
    context.add_init_script(WEBGL_HOOK)
    return context.new_page()


def _wait_drawn(page, kind: str, expected: int) -> None:
    if kind == "leaflet":
        page.wait_for_function(LEAFLET_HAS_PLACES, timeout=DRAW_TIMEOUT_MS, polling=25)
    else:
        page.wait_for_function(DECK_DREW, arg=expected, timeout=DRAW_TIMEOUT_MS, polling=25)


def _region_option(page, region: str):
    """Open the « Région » multiselect and narrow its list to the region: the option to click."""
    box = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').filter(has_text="Région")
    box.first.click()
    page.keyboard.type(region)  # the option list is virtualised: narrow it to the region
    option = page.locator('[role="option"]').filter(has_text=region).first
    option.wait_for()
    return option


def browser_times(script: Path, data: Path, cwd: Path, kind: str, region: str,
                  total: int, in_region: int, repeat: int = 1) -> dict:
    """Seconds from navigation to drawn points, and from the filter click to redrawn points."""
    from playwright.sync_api import sync_playwright

    loads, filters = [], []
    with served(script, data, cwd) as (base, _pid), sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for _ in range(repeat):
                page = _offline_page(browser, base)
                start = time.perf_counter()
                page.goto(base + "/", wait_until="commit")
                _wait_drawn(page, kind, total)
                loads.append(time.perf_counter() - start)
                page.evaluate(LEAFLET_TAG)
                page.wait_for_timeout(500)  # let the first draw settle before the change
                page.evaluate("() => { window.__benchDraws = []; }")
                option = _region_option(page, region)
                start = time.perf_counter()  # the change is the click on the option
                option.click()
                _wait_drawn(page, kind, in_region)
                filters.append(time.perf_counter() - start)
                page.context.close()
        finally:
            browser.close()
    return {"load_s": sorted(loads)[len(loads) // 2], "filter_s": sorted(filters)[len(filters) // 2]}


def session_memory(script: Path, data: Path, cwd: Path, kind: str, total: int,
                   sessions: int) -> dict:
    """Server RSS (MB) before any visitor, with one session drawn and with `sessions` drawn."""
    from playwright.sync_api import sync_playwright

    with served(script, data, cwd) as (base, pid), sync_playwright() as p:
        idle = rss_mb(pid)
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            pages = []
            for i in range(sessions):
                page = _offline_page(browser, base)
                page.goto(base + "/", wait_until="commit")
                _wait_drawn(page, kind, total)
                pages.append(page)
                if i == 0:
                    page.wait_for_timeout(1000)
                    one = rss_mb(pid)
            time.sleep(1.0)
            many = rss_mb(pid)
        finally:
            browser.close()
    return {"idle_mb": idle, "one_mb": one, "many_mb": many, "sessions": sessions,
            "ratio": many / one, "per_session_mb": (many - one) / max(sessions - 1, 1)}
