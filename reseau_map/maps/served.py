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
as before: slower reruns, the same map. The folder is the app's own (mode 0700, owned by the
user running it) and a file is served only once its bytes are checked against its name.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import os
import stat
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
FOLDER_MODE = 0o700
_LOG = logging.getLogger(__name__)


class Served:
    """A folder of content-named files that Streamlit serves to the map's frame; ours alone (mode 0700)."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.component = COMPONENT
        self._owned: bool | None = None

    def url(self, filename: str) -> str:
        """The file's address as seen from streamlit-folium's frame."""
        return f"../{self.component}/{filename}"

    def path_of(self, url: str) -> Path | None:
        """The file behind one of our addresses, or None if the address is not ours."""
        prefix = self.url("")
        name = url[len(prefix):] if url.startswith(prefix) else ""
        return self.folder / name if name and "/" not in name else None

    def put(self, content: bytes, stem: str, suffix: str) -> str | None:
        """Write content once under a name made of its hash; its address, or None if it cannot be written.

        A file already there is served only if its bytes hash to its name: one planted with the
        right name and size, or a symlink, is replaced (never followed).
        """
        digest = hashlib.sha256(content).hexdigest()
        name = f"{stem}-{digest[:HASH_CHARS]}{suffix}"
        path = self.folder / name
        try:
            if not self.owned():
                return None
            if _holds(path, digest):
                os.utime(path)  # in use: not stale
            else:
                atomic_write(path, content, follow_symlinks=False)
        except (OSError, WriteError):
            return None
        return self.url(name)

    def owned(self) -> bool:
        """Whether the folder is ours to serve from: created mode 0700, a real folder, owned by this user."""
        if self._owned is None:
            self._owned = _own(self.folder)
        return self._owned

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


def _own(folder: Path) -> bool:
    # Another local user must not be able to put a file here for us to serve: the folder is made
    # 0700; one that exists must be a folder (not a link), ours, and is closed to others if it was not.
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileExistsError):
            folder.mkdir(mode=FOLDER_MODE)
        info = folder.lstat()
        if not stat.S_ISDIR(info.st_mode) or (hasattr(os, "geteuid") and info.st_uid != os.geteuid()):
            _LOG.warning("Dossier des fichiers de la carte refusé (pas un dossier à nous) : %s", folder)
            return False
        if info.st_mode & 0o077:
            os.chmod(folder, FOLDER_MODE)
        return os.access(folder, os.W_OK)
    except OSError:
        return False


def _holds(path: Path, digest: str) -> bool:
    # The file there is a regular file (not a link) whose bytes are the content asked for.
    try:
        if not stat.S_ISREG(path.lstat().st_mode):
            return False
        return hashlib.sha256(path.read_bytes()).hexdigest() == digest
    except OSError:
        return False


def default_folder() -> Path:
    """RESEAU_MAP_WEB_DIR, else the user's cache folder, else a private folder of this process.

    Never a shared, predictable folder such as /tmp/reseau-map-web-<uid>: another user could
    create it first and fill it.
    """
    if os.environ.get(ENV_DIR):
        return Path(os.environ[ENV_DIR])
    folder = USER_CACHE_DIR / "web"
    if _own(folder):
        return folder
    return _private_folder()


@functools.cache
def _private_folder() -> Path:
    # mkdtemp makes the folder 0700 under a random name, atomically: nobody else can have made it.
    try:
        return Path(tempfile.mkdtemp(prefix="reseau-map-web-"))
    except OSError:
        return USER_CACHE_DIR / "web"  # unwritable too: every put() says None and the map inlines


def served() -> Served:
    """The served folder for this process's settings (RESEAU_MAP_WEB_DIR may change between tests)."""
    return _served(str(default_folder()))


@functools.cache
def _served(folder: str) -> Served:
    return Served(Path(folder))
