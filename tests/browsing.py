"""What the browser tests share: Debian's Chromium, its flags, the app on a free port, the map's frame.

Tests that need a browser call `require_browser()` at import: it skips the module, saying why,
where Chromium or Playwright is missing (`.ci/run` installs both).
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def require_browser():
    """Playwright's sync API, or a skip of the calling module with the reason."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (apt-get install -y chromium)", allow_module_level=True)
    return sync_api


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(app: Path, env: dict[str, str]) -> tuple[subprocess.Popen, str]:
    """`streamlit run app` on a free local port: the process and its URL."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(app), "--server.headless", "true", "--server.port",
         str(port), "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    return proc, f"http://127.0.0.1:{port}"


def wait_healthy(base: str, proc: subprocess.Popen) -> None:
    """Wait for Streamlit's health check; fail with the server's output if it never answers."""
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(base + "/_stcore/health", timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    proc.kill()
    pytest.fail("the app did not start: " + proc.stdout.read().decode(errors="replace")[-2000:])


def stop(proc: subprocess.Popen) -> None:
    """Stop a server started by `start`, and close its output pipe."""
    proc.terminate()
    proc.wait(10)
    if proc.stdout is not None:
        proc.stdout.close()


def serve(places: Path):
    """Start the page with that places file; yield its URL; stop it."""
    proc, base = start(ROOT / "dashboard.py", dict(os.environ, RESEAU_MAP_PLACES=str(places)))
    try:
        wait_healthy(base, proc)
        yield base
    finally:
        stop(proc)


def map_frame(page):
    """The frame holding the Leaflet map, once it is drawn."""
    deadline = time.time() + 45
    while time.time() < deadline:
        for f in page.frames:
            try:
                if f.evaluate("() => typeof L !== 'undefined' && !!document.querySelector('.leaflet-container')"):
                    return f
            except Exception:
                continue
        page.wait_for_timeout(500)
    raise AssertionError("no Leaflet map was drawn")


def offline_page(browser, base: str, width: int = 1400, height: int = 1000):
    """A page whose requests to any host but the app are refused (a launch evening without wifi)."""
    context = browser.new_context(viewport={"width": width, "height": height})
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith((base, "data:", "blob:"))
                  else r.abort())
    return context.new_page()
