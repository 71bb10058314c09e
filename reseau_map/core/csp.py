"""A Content-Security-Policy for the pages we write as files: the standalone map and the published site.

Every text from a file is escaped before it reaches these pages; the policy is the second lock.
Only the page's own inline scripts run (each named by its SHA-256 in the policy), and the
libraries it carries as data: URIs; an inline handler (« onerror= ») or a script added later
does not. Nothing is fetched but the optional online tiles; no form posts anywhere.
"""

from __future__ import annotations

import base64
import hashlib
import re

# Optional online basemaps (maps/mapview.py): the only hosts these pages may load from.
TILE_HOSTS: tuple[str, ...] = ("https://tile.openstreetmap.org", "https://*.tile.openstreetmap.org",
                               "https://*.basemaps.cartocdn.com")
_INLINE_SCRIPT = re.compile(r"<script(?P<attrs>(?:\s[^>]*)?)>(?P<body>.*?)</script>", re.S | re.I)
_HEAD = re.compile(r"<head(?:\s[^>]*)?>", re.I)


def script_hashes(page: str) -> list[str]:
    """« 'sha256-…' » for each inline script of a page (those without a src), in order."""
    found = []
    for match in _INLINE_SCRIPT.finditer(page):
        if re.search(r"\ssrc\s*=", match["attrs"], re.I):
            continue
        digest = base64.b64encode(hashlib.sha256(match["body"].encode("utf-8")).digest()).decode("ascii")
        found.append(f"'sha256-{digest}'")
    return list(dict.fromkeys(found))


def policy(page: str) -> str:
    """The policy for a page: its own inline scripts, data: libraries, inline styles, tiles as images."""
    return "; ".join([
        "default-src 'none'",
        "script-src " + " ".join([*script_hashes(page), "data:"]),
        "style-src 'unsafe-inline' data:",
        "img-src data: blob: " + " ".join(TILE_HOSTS),
        "font-src data:",
        "connect-src 'none'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'none'",
    ])


def with_policy(page: str) -> str:
    """The page with its Content-Security-Policy as the first element of its <head>."""
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy(page)}">'
    head = _HEAD.search(page)
    if head is None:
        raise ValueError("page without <head>")
    return page[:head.end()] + "\n" + meta + page[head.end():]
