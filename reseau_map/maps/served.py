"""Files the map's frame fetches from our own server, once, instead of receiving them on each rerun.

Streamlit sends a component's whole arguments whenever one of them changes: with Leaflet,
MarkerCluster and the atlas inlined, every filter change resent about 0.6 MB. Here they (and
each catalogue's places) are written once to a folder, named by their content's hash, and
served by Streamlit's component route: a component declared with that folder as its path
makes Streamlit serve its files at ``component/<name>/<file>``. The map's frame lives at
``component/streamlit_folium.st_folium/index.html``, so ``../<name>/<file>`` reaches them
under any base URL path, on the same host: nothing leaves the machine, and the browser
caches them (Streamlit sends ``Cache-Control: public`` for component files).

When no folder can be written, `Served.put` says so (None) and callers inline the content
as before: slower reruns, the same map.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import tempfile
import time
from pathlib import Path

from reseau_map.core.errors import WriteError
from reseau_map.core.safefile import atomic_write
from reseau_map.core.settings import USER_CACHE_DIR

ENV_DIR = "RESEAU_MAP_WEB_DIR"
NAME = "files"
# The component Streamlit serves the folder as (app/component.py declares it): part of every file's URL.
COMPONENT = f"{__name__}.{NAME}"
STALE_DAYS = 30  # a catalogue's files untouched this long are removed (every use touches them)
HASH_CHARS = 16


class Served:
    """A folder of content-named files that Streamlit serves to the map's frame."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.component = COMPONENT

    def url(self, filename: str) -> str:
        """The file's address as seen from streamlit-folium's frame."""
        return f"../{self.component}/{filename}"

    def path_of(self, url: str) -> Path | None:
        """The file behind one of our addresses, or None if the address is not ours."""
        prefix = self.url("")
        name = url[len(prefix):] if url.startswith(prefix) else ""
        return self.folder / name if name and "/" not in name else None

    def put(self, content: bytes, stem: str, suffix: str) -> str | None:
        """Write content once under a name made of its hash; its address, or None if it cannot be written."""
        name = f"{stem}-{hashlib.sha256(content).hexdigest()[:HASH_CHARS]}{suffix}"
        path = self.folder / name
        try:
            if path.exists() and path.stat().st_size == len(content):
                os.utime(path)  # in use: not stale
            else:
                self.folder.mkdir(parents=True, exist_ok=True)
                atomic_write(path, content)
        except (OSError, WriteError):
            return None
        return self.url(name)

    def prune(self, prefix: str, days: float = STALE_DAYS, now: float | None = None) -> int:
        """Remove files starting with prefix untouched for `days`; how many were removed."""
        limit = (time.time() if now is None else now) - days * 86_400
        removed = 0
        for path in self.folder.glob(f"{prefix}*"):
            with contextlib.suppress(OSError):
                if path.stat().st_mtime < limit:
                    path.unlink()
                    removed += 1
        return removed


def default_folder() -> Path:
    """RESEAU_MAP_WEB_DIR, else the user's cache folder, else one in the temporary folder."""
    if os.environ.get(ENV_DIR):
        return Path(os.environ[ENV_DIR])
    for folder in (USER_CACHE_DIR / "web", Path(tempfile.gettempdir()) / f"reseau-map-web-{os.getuid()}"):
        with contextlib.suppress(OSError):
            folder.mkdir(parents=True, exist_ok=True)
            if os.access(folder, os.W_OK):
                return folder
    return USER_CACHE_DIR / "web"  # unwritable: every put() says None and the map inlines


def served() -> Served:
    """The served folder for this process's settings (RESEAU_MAP_WEB_DIR may change between tests)."""
    return _served(str(default_folder()))


@functools.cache
def _served(folder: str) -> Served:
    return Served(Path(folder))
