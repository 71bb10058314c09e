"""Given coordinates checked against the commune the row names: far off, they are kept and flagged.

A partner's point more than FAR_KM from the town of the commune its row names, or more than
NEAR_KM away and in another département, is probably wrong (a copied point, a geocoder's guess):
the row stays where the file puts it, with a doubt « coordonnées à 47 km de la commune indiquée ».
Most rows are settled in one vectorised pass over the communes of their exact name; only the far
ones are looked up in full (postcode, INSEE code, homonyms).
"""

from __future__ import annotations

import itertools
import re

import numpy as np
import pandas as pd

from reseau_map.core.findings import DOUBTFUL, Finding
from reseau_map.geo.communes import Commune, CommuneMatch, Communes
from reseau_map.geo.earth import distances_km
from reseau_map.geo.outlines import DEPARTEMENTS_PATH, NO_MATCH, outline_index

FAR_KM = 20.0  # a point this far from its commune's town is flagged
NEAR_KM = 5.0  # beyond this, a point in another département than its commune's is flagged too
MORE_THAN_A_NAME = re.compile(r"[\d(,]|cedex", re.IGNORECASE)


def far_from_commune(df: pd.DataFrame, typed: pd.Series, communes: Communes, label: str) -> list[Finding]:
    """Doubts on the rows whose given coordinates lie far from the commune they name (or outside its département).

    `df` has lat, lon, city, postcode, insee, name and _row; `typed` marks the rows whose file gave
    the coordinates; `label` names the coordinates' columns as the file spells them.
    """
    # Columns are read once per distinct value (a file holds few postcodes' areas, often no INSEE
    # code): comparing Arrow text cells one by one costs more than the whole check.
    given = (typed & df["lat"].notna() & df["lon"].notna()).to_numpy(bool)
    city_codes, city_texts = pd.factorize(df["city"].astype(str))
    texts_all = city_texts.tolist()  # iterating an Arrow-backed index cell by cell costs a microsecond a cell
    insee_all = _per_value(df["insee"], lambda v: v.strip().upper())
    named = np.asarray([t != "" for t in texts_all], dtype=bool)[city_codes] if texts_all else given
    positions = np.flatnonzero(given & (named | (insee_all != "")))
    if not len(positions):
        return []

    lats, lons = communes.points
    codes, uniques = pd.factorize(city_codes[positions])
    texts = [texts_all[c] for c in uniques.tolist()]
    homonyms = [communes.named_like(text) for text in texts]
    # Every (row, commune of that name) pair at once, built with arrays: a row is near when any
    # homonym is near.
    counts = np.array([len(k) for k in homonyms], dtype=np.int64)
    flat = np.fromiter(itertools.chain.from_iterable(homonyms), dtype=np.int64, count=int(counts.sum()))
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    per_row = counts[codes]
    row_of = np.repeat(np.arange(len(positions)), per_row)
    within = np.arange(len(row_of)) - np.repeat(np.cumsum(per_row) - per_row, per_row)
    entry_of = flat[starts[codes][row_of] + within] if len(row_of) else row_of
    # A postcode or an INSEE code says which homonym: the others are no alibi.
    postcode_area = _per_value(df["postcode"], _area)[positions]
    insee = insee_all[positions]
    areas, codes_of = communes.areas
    keep = np.ones(len(row_of), dtype=bool)
    if (postcode_area != "").any():  # comparing object arrays costs: only when some row has a code
        keep &= (postcode_area[row_of] == "") | (postcode_area[row_of] == areas[entry_of])
    if (insee != "").any():
        keep &= (insee[row_of] == "") | (insee[row_of] == codes_of[entry_of])
    row_of, entry_of = row_of[keep], entry_of[keep]
    nearest = np.full(len(positions), np.inf)
    closest = np.full(len(positions), -1)
    lat, lon = df["lat"].to_numpy(float)[positions], df["lon"].to_numpy(float)[positions]
    if len(row_of):
        # distances_km broadcasts: each row's point against each of its candidates.
        km = distances_km(lat[row_of], lon[row_of], lats[entry_of], lons[entry_of])
        order = np.lexsort((km, row_of))  # by row, nearest first: each row's first pair is its nearest
        first = order[np.r_[True, row_of[order][1:] != row_of[order][:-1]]]
        nearest[row_of[first]], closest[row_of[first]] = km[first], entry_of[first]
    # Between NEAR_KM and FAR_KM of a commune of its name, a point is doubtful only in another
    # département; beyond (or with no commune of that name), the row's own commune is looked up.
    middle = np.flatnonzero((nearest > NEAR_KM) & (nearest <= FAR_KM))
    departments = np.asarray(departments_of(lat[middle], lon[middle]), dtype=object)
    their = communes.departments[closest[middle]] if len(middle) else departments
    elsewhere = middle[(departments != None) & (departments != their)]  # noqa: E711 (elementwise)
    # No commune of that name at all: the row's own look-up can only find one when its text says
    # more than a name (a postcode, « CEDEX », « (35) », an INSEE code column).
    unnamed = np.isinf(nearest)
    says_more = (postcode_area != "") | (insee != "")
    if unnamed.any():
        telling = np.zeros(len(texts), dtype=bool)
        for c in set(codes[unnamed].tolist()):
            telling[c] = bool(MORE_THAN_A_NAME.search(texts[c]))
        says_more |= unnamed & telling[codes]
    far = np.union1d(np.flatnonzero((nearest > FAR_KM) & (~unnamed | says_more)), elsewhere).astype(np.int64)
    if not len(far):
        return []
    # A name alone: its nearest homonym is the commune it may mean. A postcode or INSEE code (or
    # more than a name) says which one: the row's own look-up, as the geocoder would read it.
    known: list[Commune | None] = [communes.entry(int(closest[k])) if not says_more[k] and closest[k] >= 0 else None
                                   for k in far]
    at = positions[far]
    column = {c: df[c].iloc[at].astype(str).tolist() for c in ("city", "postcode", "insee", "name")}
    lines = df["_row"].iloc[at].astype(int).tolist() if "_row" in df else [int(i) + 2 for i in df.index[at]]
    return _checked(lat[far], lon[far], column, lines, communes, label, known)


def _checked(lat: np.ndarray, lon: np.ndarray, column: dict[str, list[str]], lines: list[int],
             communes: Communes, label: str, known: list[Commune | None]) -> list[Finding]:
    # `known`: each row's commune when already settled (None: look it up, once per distinct key).
    keys = list(zip(column["city"], column["postcode"], column["insee"], strict=True))
    wanted = {key for key, entry in zip(keys, known, strict=True) if entry is None}
    resolved = {key: communes.resolve(*key) for key in wanted}
    matches = [resolved[key] for key, entry in zip(keys, known, strict=True) if entry is None]
    looked_up = iter(m.entry if isinstance(m, CommuneMatch) else None for m in matches)
    found: list[Commune | None] = [entry if entry is not None else next(looked_up) for entry in known]
    names = column["name"]
    here = np.array([(e.lat, e.lon) if e else (np.nan, np.nan) for e in found]).reshape(-1, 2)
    km = distances_km(lat, lon, here[:, 0], here[:, 1])
    middle = np.flatnonzero((km > NEAR_KM) & (km <= FAR_KM))
    departments = dict(zip(middle.tolist(), departments_of(lat[middle], lon[middle]), strict=True))
    findings = []
    for k, entry in enumerate(found):
        if entry is None:
            continue
        if km[k] > FAR_KM:
            reason = (f"coordonnées à {round(km[k])} km de la commune indiquée ({entry.name}, {entry.department}) "
                      "; gardées")
        elif k in departments and departments[k] not in (None, entry.department):
            reason = (f"coordonnées dans le département {departments[k]}, la commune indiquée ({entry.name}) est "
                      f"dans le {entry.department} ; gardées")
        else:
            continue
        findings.append(Finding(lines[k], label, f"{lat[k]}, {lon[k]}", reason, DOUBTFUL, names[k]))
    return findings


def _per_value(column: pd.Series, func) -> np.ndarray:
    # A column holds few distinct values (most often one: empty): each is read once.
    codes, uniques = pd.factorize(column.astype(str))
    return np.asarray([func(v) for v in uniques.tolist()], dtype=object)[codes]


def _area(postcode: str) -> str:
    """The département part of a postcode (« 35 », « 974 », « 20 » for Corsica), "" when none."""
    digits = "".join(postcode.split())
    if not (digits.isdigit() and len(digits) in (4, 5)):
        return ""
    digits = digits.zfill(5)
    return digits[:3] if digits.startswith(("97", "98")) else digits[:2]


def departments_of(lats: np.ndarray, lons: np.ndarray) -> list[str | None]:
    """The code of the département whose outline holds each point (None off them)."""
    if not len(lats):
        return []
    index = outline_index(DEPARTEMENTS_PATH)
    return [None if hit == NO_MATCH else index.codes[hit] for hit in index.containing(lons, lats)]
