"""Two app servers sharing one database (PostgreSQL when configured): propose on one, moderate on the other.

Browsers stick to one server (as behind nginx, hashing their address); the database is what the servers share.
Skips itself where Chromium or Playwright is missing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from browsing import free_port, start, stop, wait_healthy
from contrib_helpers import PG_ENV, database_url

from reseau_map.contrib import auth
from reseau_map.contrib.proposal import Proposal
from reseau_map.contrib.store import open_store
from tools.bench.load import NGINX, NGINX_CONF, TOO_LONG_PAGE

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PASSWORD = "mot de passe de test"
# What reseau_map/app/main.py does with st.navigation; the map page is left out to start faster.
APP = """import streamlit as st
from reseau_map.app.moderation import moderation_page
from reseau_map.app.proposer import propose_page
st.navigation([st.Page(propose_page, title="Proposer un lieu", default=True),
               st.Page(moderation_page, title="Modération", url_path="moderation")]).run()
"""

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed")]


@pytest.fixture
def servers(tmp_path):
    backend = "postgresql" if os.environ.get(PG_ENV) else "sqlite"
    with database_url(backend, tmp_path) as url:
        app = tmp_path / "app.py"
        app.write_text(APP, encoding="utf-8")
        env = dict(os.environ, RESEAU_MAP_DB=url, PYTHONPATH=str(ROOT),
                   **{auth.ENV_HASH: auth.hash_password(PASSWORD)})
        started = [start(app, env) for _ in range(2)]
        try:
            for proc, base in started:
                wait_healthy(base, proc)
            yield url, [base for _, base in started]
        finally:
            for proc, _ in started:
                stop(proc)


def propose(browser, base: str, name: str, expect: str) -> None:
    page = browser.new_page(viewport={"width": 1300, "height": 1600})
    page.goto(base + "/")  # the default page
    page.get_by_label("Nom *").wait_for(timeout=60000)
    page.get_by_label("Nom *").fill(name)
    page.get_by_label("Commune *").fill("Brest")
    page.get_by_label("Commune *").press("Tab")
    page.wait_for_timeout(4000)  # the commune is located, the page reruns
    if expect == "receipt":
        page.get_by_role("button", name="Envoyer la proposition").click()
        page.get_by_text("Proposition enregistrée sous le numéro").wait_for(timeout=30000)
    else:
        page.get_by_text(expect).wait_for(timeout=30000)
    page.close()


def moderate(browser, base: str) -> None:
    page = browser.new_page(viewport={"width": 1300, "height": 1600})
    page.goto(base + "/moderation")
    page.get_by_label("Votre nom (inscrit au journal des décisions)").wait_for(timeout=60000)
    page.get_by_label("Votre nom (inscrit au journal des décisions)").fill("Camille")
    page.get_by_label("Mot de passe de modération").fill(PASSWORD)
    page.get_by_role("button", name="Entrer").click()
    page.get_by_role("button", name="Accepter").click(timeout=60000)
    page.get_by_text("acceptée : elle est sur la carte").wait_for(timeout=30000)
    page.close()


def check_accepted(url: str, name: str) -> None:
    store = open_store(url)
    assert store.accepted_places()["name"].tolist() == [name]
    assert [e.action for e in store.audit()] == ["proposee", "acceptee"]
    store.engine.dispose()


def test_propose_on_one_server_accept_on_the_other(servers):
    url, (first, second) = servers
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        propose(browser, first, "La Forge numérique", "receipt")
        moderate(browser, second)
        # A fresh visitor on the first server: the place accepted on the second one is known there.
        propose(browser, first, "La Forge numérique", "Doublon possible")
        browser.close()
    check_accepted(url, "La Forge numérique")


@pytest.mark.skipif(not os.path.exists(NGINX), reason="nginx is not installed (apt-get install -y nginx)")
def test_behind_nginx_every_request_of_a_browser_reaches_one_server(servers, tmp_path):
    url, bases = servers
    port = free_port()
    conf = tmp_path / "nginx.conf"
    upstreams = "\n        ".join(f"server {b.removeprefix('http://')};" for b in bases)
    # The README's configuration, as the load benchmark runs it, with this test's ports and a private prefix.
    conf.write_text(NGINX_CONF.format(tmp=tmp_path, servers=upstreams, port=port, too_long=TOO_LONG_PAGE),
                    encoding="utf-8")
    if os.geteuid() == 0:  # nginx's workers run as nobody: let them write their logs
        os.chmod(tmp_path, 0o777)
    proc = subprocess.Popen([NGINX, "-c", str(conf), "-p", str(tmp_path)], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    front = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(front, proc)
        with sync_api.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            propose(browser, front, "Le Relais", "receipt")
            moderate(browser, front)
            browser.close()
    finally:
        stop(proc)
    check_accepted(url, "Le Relais")
    # Each line of the log: the client, then the server nginx chose.
    reached = {line.split()[1] for line in (tmp_path / "access.log").read_text().splitlines()}
    assert len(reached) == 1 and reached <= {b.removeprefix("http://") for b in bases}, reached


# Issue 22, item 14: a moderator's session id alone gave a logged-in page to another client.
TAKE_OVER = """(victim) => {
  const Real = window.WebSocket;
  window.WebSocket = function (url, protocols) {
    // Streamlit's third subprotocol asks to be given that session back (its reconnection).
    const asked = Array.isArray(protocols) ? protocols : [protocols];
    return new Real(url, [asked[0] || 'streamlit', asked[1] || 'x', victim]);
  };
  window.WebSocket.prototype = Real.prototype;
  Object.assign(window.WebSocket, {CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3});
}"""


def session_of(page) -> list[str]:
    """Collects the session id Streamlit gives this page's WebSocket (its new_session message)."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    found: list[str] = []

    def frames(ws) -> None:
        def read(payload) -> None:
            if isinstance(payload, bytes):
                msg = ForwardMsg()
                try:
                    msg.ParseFromString(payload)
                except Exception:  # noqa: BLE001 — a frame that is not a ForwardMsg
                    return
                if msg.HasField("new_session") and msg.new_session.initialize.session_id:
                    found.append(msg.new_session.initialize.session_id)
        ws.on("framereceived", read)

    page.on("websocket", frames)
    return found


def test_a_session_id_alone_does_not_carry_a_moderators_login(servers):
    url, (first, _) = servers
    store = open_store(url)
    store.submit(Proposal(name="Lieu confidentiel", type="cantine", city="Brest", contact_email="prive@example.org"))
    store.engine.dispose()
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        moderator = browser.new_context().new_page()
        ids = session_of(moderator)
        moderator.goto(first + "/moderation")
        moderator.get_by_label("Votre nom (inscrit au journal des décisions)").fill("Camille")
        moderator.get_by_label("Mot de passe de modération").fill(PASSWORD)
        moderator.get_by_role("button", name="Entrer").click()
        moderator.get_by_text("prive@example.org").wait_for(timeout=60000)  # logged in
        assert ids
        # Another client presents that session id, during the moderator's visit.
        other = browser.new_context().new_page()
        other.add_init_script(f"({TAKE_OVER})({ids[-1]!r})")
        other.goto(first + "/moderation")
        other.get_by_label("Mot de passe de modération").wait_for(timeout=60000)
        other.wait_for_timeout(2000)
        body = other.inner_text("body")
        assert "prive@example.org" not in body and "Lieu confidentiel" not in body
        assert "Se déconnecter" not in body
        # ... and after it: the moderator's tab is gone; the other client still gets the password form.
        moderator.context.close()
        later = browser.new_context().new_page()
        later.add_init_script(f"({TAKE_OVER})({ids[-1]!r})")
        later.goto(first + "/moderation")
        later.get_by_label("Mot de passe de modération").wait_for(timeout=60000)
        later.wait_for_timeout(2000)
        assert "prive@example.org" not in later.inner_text("body")
        browser.close()
