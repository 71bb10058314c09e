"""Leaflet and MarkerCluster served from installed packages as data: URIs (no CDN).

Data URIs keep the map self-contained: it draws in Streamlit with no internet, and an
exported HTML file opens anywhere, offline, without a static file server.
"""

from __future__ import annotations

import base64
import functools
import re
from pathlib import Path

import xstatic.pkg.leaflet as xleaflet
import xstatic.pkg.leaflet_markercluster as xcluster

LEAFLET_DIR = Path(xleaflet.BASE_DIR)
CLUSTER_DIR = Path(xcluster.BASE_DIR)

MIME = {".js": "text/javascript", ".css": "text/css", ".png": "image/png"}


def data_uri(content: bytes, suffix: str) -> str:
    """A base64 data: URI for some file content."""
    return f"data:{MIME[suffix]};base64,{base64.b64encode(content).decode('ascii')}"


def _css_with_inlined_images(path: Path) -> bytes:
    # Leaflet's CSS points at images/… relative to itself; a data: URI has no "itself".
    text = path.read_text(encoding="utf-8")

    def inline(match: re.Match) -> str:
        image = path.parent / match.group(1)
        return f"url({data_uri(image.read_bytes(), image.suffix)})" if image.exists() else match.group(0)

    return re.sub(r"url\((images/[^)]+)\)", inline, text).encode("utf-8")


@functools.cache
def leaflet_js() -> list[tuple[str, str]]:
    """(name, uri) pairs for the scripts every map needs, in load order."""
    # No jQuery: folium needs it only for folium.Popup and objects_to_stay_in_front, which this
    # map does not use (popups are built by our places layer); that saves 117 KB per map.
    return [("leaflet", data_uri((LEAFLET_DIR / "leaflet.js").read_bytes(), ".js"))]


@functools.cache
def leaflet_css() -> list[tuple[str, str]]:
    """(name, uri) pairs for Leaflet's stylesheet with its images inlined."""
    return [("leaflet_css", data_uri(_css_with_inlined_images(LEAFLET_DIR / "leaflet.css"), ".css"))]


@functools.cache
def cluster_js() -> list[tuple[str, str]]:
    """(name, uri) pairs for the MarkerCluster plugin script."""
    return [("markercluster", data_uri((CLUSTER_DIR / "leaflet.markercluster.js").read_bytes(), ".js"))]


@functools.cache
def cluster_css() -> list[tuple[str, str]]:
    """(name, uri) pairs for the MarkerCluster stylesheets."""
    return [(name, data_uri((CLUSTER_DIR / name).read_bytes(), ".css"))
            for name in ("MarkerCluster.css", "MarkerCluster.Default.css")]


SUFFIX = {mime: suffix for suffix, mime in MIME.items()}


def data_uri_content(uri: str) -> tuple[bytes, str] | None:
    """The content and suffix of one of our base64 data: URIs (the inverse of data_uri), or None."""
    head, sep, body = uri.partition(";base64,")
    suffix = SUFFIX.get(head.removeprefix("data:")) if head.startswith("data:") else None
    return (base64.b64decode(body), suffix) if sep and suffix else None
