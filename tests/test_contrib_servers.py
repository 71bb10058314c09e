"""Two app servers sharing one database (PostgreSQL when configured): propose on one, moderate on the other.

Browsers stick to one server (as behind nginx's ip_hash); the database is what the servers share.
Skips itself where Chromium or Playwright is missing.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from contrib_helpers import PG_ENV, database_url

from reseau_map.contrib import auth
from reseau_map.contrib.store import open_store

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PASSWORD = "mot de passe de test"
# What dashboard.py will do with st.navigation; the map page is left out to start faster.
APP = """import streamlit as st
st.navigation([st.Page({propose!r}, title="Proposer un lieu", default=True),
               st.Page({moderate!r}, title="Modération", url_path="moderation")]).run()
"""

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed")]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(app: Path, env: dict[str, str]) -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(app), "--server.headless", "true", "--server.port",
         str(port), "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    return proc, f"http://127.0.0.1:{port}"


def wait_healthy(base: str, proc: subprocess.Popen) -> None:
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(base + "/_stcore/health", timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    proc.kill()
    pytest.fail("a server did not start: " + proc.stdout.read().decode(errors="replace")[-2000:])


@pytest.fixture
def servers(tmp_path):
    backend = "postgresql" if os.environ.get(PG_ENV) else "sqlite"
    with database_url(backend, tmp_path) as url:
        app = tmp_path / "app.py"
        app.write_text(APP.format(propose=str(ROOT / "pages" / "proposer.py"),
                                  moderate=str(ROOT / "pages" / "moderation.py")), encoding="utf-8")
        env = dict(os.environ, RESEAU_MAP_DB=url, PYTHONPATH=str(ROOT),
                   **{auth.ENV_HASH: auth.hash_password(PASSWORD)})
        started = [start(app, env) for _ in range(2)]
        try:
            for proc, base in started:
                wait_healthy(base, proc)
            yield url, [base for _, base in started]
        finally:
            for proc, _ in started:
                proc.terminate()
                proc.wait(10)


def test_propose_on_one_server_accept_on_the_other(servers):
    url, (first, second) = servers
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1300, "height": 1600})
        page.goto(first + "/")  # the default page
        page.get_by_label("Nom *").wait_for(timeout=60000)
        page.get_by_label("Nom *").fill("La Forge numérique")
        page.get_by_label("Commune *").fill("Brest")
        page.get_by_label("Commune *").press("Tab")
        page.wait_for_timeout(4000)  # the commune is located, the page reruns
        page.get_by_role("button", name="Envoyer la proposition").click()
        page.get_by_text("Proposition enregistrée sous le numéro").wait_for(timeout=30000)

        page = browser.new_page(viewport={"width": 1300, "height": 1600})
        page.goto(second + "/moderation")
        page.get_by_label("Votre nom (inscrit au journal des décisions)").wait_for(timeout=60000)
        page.get_by_label("Votre nom (inscrit au journal des décisions)").fill("Camille")
        page.get_by_label("Mot de passe de modération").fill(PASSWORD)
        page.get_by_role("button", name="Entrer").click()
        page.get_by_role("button", name="Accepter").click(timeout=60000)
        page.get_by_text("acceptée : elle est sur la carte").wait_for(timeout=30000)

        # A fresh visitor on the first server: the place accepted on the second one is known there.
        page = browser.new_page(viewport={"width": 1300, "height": 1600})
        page.goto(first + "/")  # the default page
        page.get_by_label("Nom *").wait_for(timeout=60000)
        page.get_by_label("Nom *").fill("La Forge numérique")
        page.get_by_label("Commune *").fill("Brest")
        page.get_by_label("Commune *").press("Tab")
        page.get_by_text("Doublon possible").wait_for(timeout=30000)
        browser.close()
    store = open_store(url)
    assert store.accepted_places()["name"].tolist() == ["La Forge numérique"]
    assert [e.action for e in store.audit()] == ["proposee", "acceptee"]
    store.engine.dispose()
