"""Where things are: the package's own data and assets, and the folders the app may write to.

The package carries its data (`data/`), its browser files (`static/`) and its HTML templates
(`templates/`) as package data, so an installed `reseau-map` finds them wherever it runs. What the
app writes (the contributions database, geocoding caches, the map's served files) goes to the
state folder: the checkout's `data/` when running from a clone (as the README describes), else
the user's data folder, or `RESEAU_MAP_STATE_DIR`.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = PACKAGE_DIR / "data"
STATIC_DIR = PACKAGE_DIR / "static"
TEMPLATES_DIR = PACKAGE_DIR / "templates"
APP_SCRIPT = PACKAGE_DIR / "app" / "main.py"  # what `streamlit run` runs (dashboard.py calls the same)
# A clone of the repository, when the package runs from one (None once installed).
CHECKOUT: Path | None = PACKAGE_DIR.parent if (PACKAGE_DIR.parent / "pyproject.toml").exists() else None

ENV_STATE_DIR = "RESEAU_MAP_STATE_DIR"
USER_CACHE_DIR = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "reseau-map"
USER_DATA_DIR = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "reseau-map"


def state_dir(env: dict[str, str] | None = None) -> Path:
    """Where the app keeps what it writes: RESEAU_MAP_STATE_DIR, the checkout's data/, or the user's folder."""
    value = (env if env is not None else os.environ).get(ENV_STATE_DIR, "").strip()
    if value:
        return Path(value)
    return DATA_DIR if CHECKOUT is not None else USER_DATA_DIR
