"""What the page tests share: the page run under AppTest with its URL, a button clicked, the moderation login.

Each helper fails the test with Streamlit's own exception text when the page raised one.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from streamlit.testing.v1 import AppTest

from reseau_map.contrib import auth

ROOT = Path(__file__).resolve().parent.parent
DASHBOARD = str(ROOT / "dashboard.py")
PAGE_PLACES = ROOT / "tests" / "fixtures" / "page" / "places.csv"
NAME_LABEL = "Votre nom (inscrit au journal des décisions)"
PASSWORD_LABEL = "Mot de passe de modération"


def ok(at: AppTest) -> AppTest:
    """The page, after checking that its run raised nothing."""
    assert not at.exception, [e.value for e in at.exception]
    return at


def run_page(page: str | Callable = DASHBOARD, params: dict | None = None, tab: str = "",
             secrets: dict | None = None, timeout: float = 90) -> AppTest:
    """Run a page (a script's path or a page function) with these URL parameters, open tab and secrets."""
    at = (AppTest.from_file(page, default_timeout=timeout) if isinstance(page, str)
          else AppTest.from_function(page, default_timeout=timeout))
    for key, value in (params or {}).items():
        at.query_params[key] = value
    for key, value in (secrets or {}).items():
        at.secrets[key] = value
    if tab:  # only the open tab is drawn
        at.session_state["tab"] = tab
    return ok(at.run())


def click(at: AppTest, label: str) -> AppTest:
    """Click the button of this label and run the page again."""
    next(b for b in at.button if b.label == label).click().run()
    return ok(at)


def login(at: AppTest, password: str, name: str = "Camille") -> AppTest:
    """Enter the moderation page with this password."""
    inputs = {w.label: w for w in at.text_input}
    inputs[NAME_LABEL].input(name)
    inputs[PASSWORD_LABEL].input(password)
    return click(at, "Entrer")


def own_database(tmp_path: Path, monkeypatch, password: str | None = None, places: Path | None = None) -> str:
    """A fresh SQLite database for the pages, moderation shut (or open with this password), these places."""
    url = f"sqlite:///{tmp_path / 'reseau.sqlite'}"
    monkeypatch.setenv("RESEAU_MAP_DB", url)
    if password is None:
        monkeypatch.delenv(auth.ENV_HASH, raising=False)
    else:
        monkeypatch.setenv(auth.ENV_HASH, auth.hash_password(password))
    if places is not None:
        monkeypatch.setenv("RESEAU_MAP_PLACES", str(places))
    return url
