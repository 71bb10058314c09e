"""The data's source URL: fetched by hand or on a schedule, then published as a new version of the map's data.

Only when the server has internet, and only when the coordinator set a URL: the map never needs it
(it draws from the database, or the server's file). http and https only, a size limit, a timeout;
each failure is a French sentence in the log and on the moderation page, and changes nothing.
"""

from __future__ import annotations

import email.message
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import unquote, urlparse

from reseau_map.contrib.datasets import REFRESH_FAILED, REFRESHED, Datasets, Version
from reseau_map.contrib.importing import MAX_BYTES, MAX_SIZE, read_upload
from reseau_map.core.errors import ImportRefused, ReseauMapError, SourceError
from reseau_map.files.mapping import parse_mapping
from reseau_map.files.vocabulary import Vocabulary
from reseau_map.geo.gazetteer import Gazetteer

TIMEOUT_S = 30
USER_AGENT = "reseau-map (Carte du Réseau des Cantines; actualisation de la source des lieux)"
DEFAULT_NAME = "source.csv"
SCHEDULED = "actualisation programmée"  # the log's actor of a scheduled refresh

Opener = Callable[..., Any]  # urllib.request.urlopen, or a test's stand-in


def check_url(url: str) -> str:
    """The URL, stripped, if it is http or https with a host; else a French SourceError."""
    url = url.strip()
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise SourceError(f"Adresse de la source refusée « {url[:200]} » : attendu http:// ou https://…")
    return url


def _filename(url: str, disposition: str) -> str:
    found = ""
    if disposition:
        header = email.message.Message()
        header["content-disposition"] = disposition
        found = header.get_filename() or ""
    found = found or unquote(PurePosixPath(urlparse(url).path).name)
    return PurePosixPath(found).name if "." in found else DEFAULT_NAME


def fetch(url: str, timeout: float = TIMEOUT_S, opener: Opener = urllib.request.urlopen) -> tuple[bytes, str]:
    """The source's bytes and a file name for them (from the server's header or the URL)."""
    url = check_url(url)
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with opener(request, timeout=timeout) as response:
            data = response.read(MAX_BYTES + 1)
            name = _filename(response.geturl() or url, response.headers.get("Content-Disposition", ""))
    except urllib.error.HTTPError as err:
        err.close()  # it holds the response's socket
        raise SourceError(f"La source {url} répond {err.code} ({err.reason}) : rien n'a changé.") from err
    except (urllib.error.URLError, OSError, ValueError) as err:
        reason = getattr(err, "reason", err)
        raise SourceError(f"La source {url} ne répond pas ({reason}) : rien n'a changé.") from err
    if len(data) > MAX_BYTES:
        raise SourceError(f"La source {url} dépasse {MAX_SIZE} : rien n'a changé.")
    return data, name


def refresh(datasets: Datasets, vocab: Vocabulary, actor: str, gazetteer: Gazetteer | None = None,
            opener: Opener = urllib.request.urlopen) -> Version:
    """Fetch the source, read it with its mapping and publish it as a new version; a failure is logged and raised."""
    src = datasets.source()
    try:
        data, name = fetch(src.url, opener=opener)
        mapping = parse_mapping(src.mapping, "de la source", vocab) if src.mapping else None
        reading = read_upload(data, name, vocab, mapping, gazetteer)
        if not reading.publishable:
            raise ImportRefused(f"La source {src.url} ne contient aucun lieu valide : rien n'a changé.")
    except ReseauMapError as err:
        datasets.log(REFRESH_FAILED, actor, {"url": src.url, "raison": str(err)})
        datasets.refreshed(str(err))
        raise
    cat = reading.catalogue
    version = datasets.publish(data, name, reading.format, src.mapping, len(cat.places), len(cat.located), actor,
                               REFRESHED, {"url": src.url})
    datasets.refreshed(f"Version n° {version.id} : {version.rows} lieux.")
    return version
