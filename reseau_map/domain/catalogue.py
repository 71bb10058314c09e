"""The places ready to map: read, validate, locate, and know their region — or say why not."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from reseau_map.core.findings import DOUBTFUL, DROPPED, OFF_MAP, READ_AS, Finding
from reseau_map.core.settings import USER_CACHE_DIR, state_dir
from reseau_map.domain.fields import SEARCH, Fields, read_fields, search_text
from reseau_map.domain.summary import loss_notice
from reseau_map.files.damage import damage_warning
from reseau_map.files.mapping import Mapping
from reseau_map.files.places import DEFAULT_PLACES, load_places
from reseau_map.files.vocabulary import Vocabulary, neutral_vocabulary
from reseau_map.geo.communes import Communes, load_communes
from reseau_map.geo.crosscheck import far_from_commune
from reseau_map.geo.earth import distances_km
from reseau_map.geo.gazetteer import Gazetteer, load_gazetteer
from reseau_map.geo.geocode import GeoCache, Geocoder, geocode_places
from reseau_map.geo.regions import ABROAD, canonical_region, regions_of_points

CACHE_FILE = "geocache.csv"  # the network's own places' answers, in the state folder
CACHE_SUFFIX = ".geocache.csv"
SWAP_CHECK_KM = 50  # a swapped point is put back only if the row's commune is this close


@dataclass(frozen=True)
class Catalogue:
    """Every valid place (located or not) and every finding about the file's rows."""

    places: pd.DataFrame
    findings: list[Finding] = field(default_factory=list)
    notes: tuple[str, ...] = ()  # French sentences about the run (a damaged cache set aside)
    headers: dict[str, str] = field(default_factory=dict)  # our column -> as the file spells it
    format: str = "csv"
    credit: str = ""  # the data's [credit] from its mapping file, if any
    columns: dict[str, tuple[str, str]] = field(default_factory=dict)  # ours -> (file header, how found)
    vocabulary: Vocabulary = field(default_factory=neutral_vocabulary)  # what its types and statuses mean
    fields: Fields = field(default_factory=Fields)  # the partner's own columns: private, shown, facets

    def column_label(self, column: str) -> str:
        """A column's name as the places file spells it (« ville » for city)."""
        return self.headers.get(column, column)

    @property
    def located(self) -> pd.DataFrame:
        """The places that have coordinates."""
        return self.places.dropna(subset=["lat", "lon"])

    @property
    def off_map(self) -> list[Finding]:
        """The findings of rows that are not on the map."""
        return [f for f in self.findings if f.kind in OFF_MAP]


def point_regions(df: pd.DataFrame) -> pd.Series:
    """Each row's region by the outlines (regions_of_points), None where the row has no point."""
    located = df["lat"].notna() & df["lon"].notna()
    points = pd.Series([None] * len(df), index=df.index, dtype=object)
    if located.any():
        points[located] = regions_of_points(df.loc[located, "lat"].to_numpy(), df.loc[located, "lon"].to_numpy())
    return points


def settle_regions(df: pd.DataFrame, typed_regions: pd.Series, label: str,
                   points: pd.Series | None = None) -> tuple[pd.DataFrame, list[Finding]]:
    """Each placed point's region is the outline that holds it; a file that says otherwise is told.

    `points`, when the caller has them, are the rows' point_regions (not looked up again).
    """
    df = df.copy()
    points = point_regions(df) if points is None else points
    findings = []
    # A file holds a handful of region spellings: each is read once, not once per row.
    known = {v: canonical_region(v) for v in typed_regions.unique() if v}
    spellings = {v: known.get(v) or v if v else "" for v in typed_regions.unique()}
    typed = typed_regions.map(spellings)
    for idx in df.index[points.notna() & (typed != "") & (typed != points)]:
        value = str(typed_regions[idx])
        if known.get(value):  # another region than the point's: the point (or the file) may be wrong
            findings.append(Finding(_row(df, idx), label, value,
                                    f"le point est en {points[idx]}, pas dans la région que dit le fichier ; "
                                    "région du point retenue", DOUBTFUL, str(df.at[idx, "name"])))
        else:  # a spelling we cannot read: the point's region, said once per value in the summary
            findings.append(Finding(_row(df, idx), label, value, "région inconnue ; celle du point retenue",
                                    READ_AS, str(df.at[idx, "name"])))
    # The point decides; else the file's region (canonical); else what geocoding found.
    df["region"] = points.where(points.notna(), typed.where(typed != "", df["region"])).fillna("")
    return df, findings


def unswap(df: pd.DataFrame, typed: pd.Series, communes: Communes, label: str,
           points: pd.Series | None = None) -> list[Finding]:
    """Put back typed coordinates whose latitude and longitude were swapped; say so per row.

    `points`, when given, are the rows' point_regions: read instead of looked up, and kept
    true for the rows put back.
    """
    # Swapped, Paris (48.85, 2.35) lands in the Indian Ocean: when the swapped point falls in a
    # French region and the row's commune (if any) is there too, the swap is undone.
    candidates = df.index[typed & df["lat"].notna()]
    if not len(candidates):
        return []
    lat, lon = df.loc[candidates, "lat"].to_numpy(), df.loc[candidates, "lon"].to_numpy()
    here = regions_of_points(lat, lon) if points is None else points[candidates].tolist()
    # Only a point off French land may be a swapped one: the swapped look-up is for those alone.
    off = np.flatnonzero([a in (None, ABROAD) for a in here])
    findings = []
    for i, b in zip(off.tolist(), regions_of_points(lon[off], lat[off]), strict=True):
        if b in (None, ABROAD):
            continue
        idx, y, x = candidates[i], lat[i], lon[i]
        city = str(df.at[idx, "city"]) if "city" in df else ""
        match = communes.resolve(city) if city else None
        if match is not None and distances_km(x, y, [match.entry.lat], [match.entry.lon])[0] > SWAP_CHECK_KM:
            continue
        df.at[idx, "lat"], df.at[idx, "lon"] = x, y
        if points is not None:
            points[idx] = b
        findings.append(Finding(_row(df, idx), label, f"{y}, {x}",
                                "latitude et longitude inversées : remises dans l'ordre", DOUBTFUL,
                                str(df.at[idx, "name"])))
    return findings


def _row(df: pd.DataFrame, idx) -> int:
    return int(df["_row"][idx]) if "_row" in df else int(idx) + 2


def build_catalogue(data: bytes, gazetteer: Gazetteer | None = None, cache: GeoCache | None = None,
                    online: Geocoder | None = None,
                    progress: Callable[[Iterable], Iterable] | None = None,
                    communes: Communes | None = None, filename: str = "",
                    mapping: Mapping | None = None, vocab: Vocabulary | None = None) -> Catalogue:
    """Read a places file's bytes (in the network's vocabulary) and locate its rows: coordinates, cache, gazetteer."""
    vocab = vocab or neutral_vocabulary()
    df, meta = load_places(data, filename, mapping, vocab)
    communes = communes or load_communes()
    headers = meta.headers
    typed_regions = df["region"].copy()
    typed = pd.to_numeric(df["lat"], errors="coerce").notna() & pd.to_numeric(df["lon"], errors="coerce").notna()
    located, unplaced = geocode_places(df, gazetteer or load_gazetteer(), cache=cache, online=online,
                                       progress=progress, communes=communes)
    # One outline look-up for every point serves both steps (unswap updates the rows it puts back).
    points = point_regions(located)
    coordinates = f"{headers.get('lat', 'lat')} / {headers.get('lon', 'lon')}"
    swapped = unswap(located, typed, communes, coordinates, points)
    far = far_from_commune(located, typed, communes, coordinates)
    located, corrected = settle_regions(located, typed_regions, headers.get("region", "region"), points)
    damaged = damage_warning(df, [c for c in ("name", "city", "region") if c in df], data)  # short, telling columns
    findings = ([damaged] if damaged else []) + list(meta.findings) + swapped + far + corrected + [
        Finding(u.row, headers.get(u.column, u.column), u.value, u.reason, u.kind, u.name) for u in unplaced]
    findings.sort(key=lambda f: f.row)
    notes: tuple[str, ...] = (cache.warning,) if cache is not None and cache.warning else ()
    vocab = meta.vocabulary or vocab
    fields = read_fields(located, (*(mapping.private if mapping else ()), *vocab.private_columns))
    located[SEARCH] = search_text(located, fields, vocab.type_labels)
    cmap = meta.column_map
    # Every loss said where the user looks: one line above the map (the page shows `notes` there).
    rows = len(located) + len({f.row for f in findings if f.kind == DROPPED})
    loss = loss_notice(findings, rows, cmap.alternatives if cmap is not None else {})
    notes += (loss,) if loss else ()
    columns = {ours: (m.header, m.how) for ours, m in cmap.matches.items()} if cmap is not None else {}
    return Catalogue(located, findings, notes, dict(headers), meta.format, meta.credit, columns, vocab, fields)


def cache_path(places: Path) -> Path:
    """Where a places file's geocoding answers are kept: beside it, or a user cache folder."""
    places = Path(places)
    if places.resolve() == DEFAULT_PLACES.resolve():
        return state_dir() / CACHE_FILE
    beside = places.with_name(places.name + CACHE_SUFFIX)
    if os.access(places.parent, os.W_OK):
        return beside
    # A read-only folder (a shared drive): one cache file per places file in the user's cache.
    digest = hashlib.sha256(str(places.resolve()).encode()).hexdigest()[:12]
    return USER_CACHE_DIR / f"{places.stem}-{digest}{CACHE_SUFFIX}"


def read_cache(path: Path | None = None) -> GeoCache | None:
    """The geocoding cache if the file exists (the page only reads it; the CLI writes it)."""
    path = state_dir() / CACHE_FILE if path is None else path
    return GeoCache.load(path) if path.exists() else None
