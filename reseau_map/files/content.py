"""What a column's values look like: postcodes, INSEE codes, coordinates in France, links, regions…

Used twice: to find our columns where headers say nothing, and to refuse a header whose values do
not mean what we mean by it (a « PRECISION » of 0–1 scores is not our adresse/ville precision).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

import numpy as np
import pandas as pd

from reseau_map.files.schema import vocabulary
from reseau_map.files.statuses import meaning_of
from reseau_map.files.vocabulary import Vocabulary
from reseau_map.geo.earth import FRANCE_BOUNDS
from reseau_map.geo.regions import canonical_region

SAMPLE = 2000  # values looked at per column: enough to judge, bounded on 50 000 rows
FIT_SHARE = 0.5  # a named column is ours when at least this share of its values fit
MIN_VALUES = 3  # fewer values prove nothing: a named column with fewer is taken at its word
GUESS_SHARE = 0.8  # an unnamed column is ours by content when this share of its values fit
MAX_PAIR_COLUMNS = 64  # numeric columns tried two by two as latitude and longitude
(_SOUTH, _WEST), (_NORTH, _EAST) = FRANCE_BOUNDS
# (south, north, west, east) of metropolitan France and the overseas départements.
FRANCE_BOXES: tuple[tuple[float, float, float, float], ...] = (
    (_SOUTH, _NORTH, _WEST, _EAST),
    (14.3, 16.6, -61.9, -60.7),  # Guadeloupe, Martinique
    (2.0, 6.0, -54.7, -51.5),  # Guyane
    (-21.5, -20.8, 55.1, 55.9),  # La Réunion
    (-13.1, -12.5, 44.9, 45.4),  # Mayotte
)
NUMBER = r"[-+]?\d+(?:[.,]\d+)?"
PAIR = re.compile(rf"^\s*[\[(]?\s*({NUMBER})\s*(?:[,;]\s*|\s+)({NUMBER})\s*[\])]?\s*$")
WEB = re.compile(r"(?i)^(?:https?://[^\s<>\"']+|(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}(?::\d+)?(?:/\S*)?)$")
POSTCODE = re.compile(r"^(?:0[1-9]|[1-8]\d|9[0-5]|97|98)\d{3}$|^[1-9]\d{3}$")  # 4 digits: a lost leading 0
INSEE = re.compile(r"^(?:\d{5}|2[AaBb]\d{3})$")
YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d|2100)(?!\d)")
# Our column -> (what its values should be, in French, for a message; test of one value).
FITS: dict[str, tuple[str, Callable[[str], bool]]] = {
    # Any number: a latitude out of range is a bad value of a latitude column, said row by row.
    "lat": ("des latitudes (nombres)", lambda v: _number(v) is not None),
    "lon": ("des longitudes (nombres)", lambda v: _number(v) is not None),
    "postcode": ("des codes postaux (5 chiffres)", lambda v: bool(POSTCODE.match(v))),
    "insee": ("des codes INSEE de commune", lambda v: bool(INSEE.match(v))),
    "website": ("des adresses web", lambda v: bool(WEB.match(v))),
    "opened": ("des années d'ouverture", lambda v: bool(YEAR.search(v))),
    "status": ("des statuts (ouvert, en projet)", lambda v: fold_in("status", v)),
    "precision": ("des précisions de position (adresse, ville)", lambda v: fold_in("precision", v)),
    "city": ("des noms de commune", lambda v: not v.replace(" ", "").isdigit()),
    "coordinates": ("des paires « latitude, longitude »", lambda v: bool(PAIR.match(v))),
}


def fold_in(column: str, value: str, vocab: Vocabulary | None = None) -> bool:
    """Whether a value is in one of our vocabularies (any case, accents, usual spellings); a status also
    when its words have a known meaning (« actif », « fermé définitivement »: files/statuses.py)."""
    from reseau_map.core.text import fold

    return fold(value) in vocabulary(column, vocab) or (column == "status" and meaning_of(value) is not None)


def fit(ours: str, vocab: Vocabulary | None = None) -> tuple[str, Callable[[str], bool]]:
    """(what our column's values should be, the test of one value); statuses in the network's vocabulary."""
    if ours == "status" and vocab is not None:
        labels = ", ".join(s.label.lower() for s in vocab.statuses)
        return f"des statuts ({labels})", lambda v: fold_in("status", v, vocab)
    return FITS[ours]


def _number(value: str) -> float | None:
    try:
        return float(value.strip().replace(",", "."))
    except ValueError:
        return None


def values(series: pd.Series) -> list[str]:
    """The non-empty values of a column, stripped, at most SAMPLE of them."""
    out = []
    # Slices as lists: iterating an Arrow-backed column cell by cell costs a microsecond a cell.
    for start in range(0, len(series), SAMPLE):
        for v in series.iloc[start:start + SAMPLE].tolist():
            text = str(v).strip()
            if text:
                out.append(text)
                if len(out) >= SAMPLE:
                    return out
    return out


def share(series: pd.Series, test) -> float:
    """The share of a column's non-empty values that pass a test (1.0 for an empty column)."""
    return _fit_share(values(series), test)


def _fit_share(sample: list[str], test) -> float:
    if not sample:
        return 1.0
    # A column repeats its values (types, statuses, cities): each distinct one is tested once.
    return sum(n for v, n in Counter(sample).items() if test(v)) / len(sample)


def misfit(ours: str, series: pd.Series, vocab: Vocabulary | None = None) -> tuple[str, str] | None:
    """(what we expected, a value that is not it) when a named column's values do not fit ours."""
    if ours not in FITS:
        return None
    expected, test = fit(ours, vocab)
    sample = values(series)
    if len(sample) < MIN_VALUES or _fit_share(sample, test) >= FIT_SHARE:
        return None
    return expected, next(v for v in sample if not test(v))


def in_france(lat: float, lon: float) -> bool:
    """Whether a point falls in metropolitan France or an overseas département."""
    return any(s <= lat <= n and w <= lon <= e for s, n, w, e in FRANCE_BOXES)


def _pairs(series: pd.Series) -> list[tuple[float, float]]:
    out = []
    for v in values(series):
        m = PAIR.match(v)
        if m:
            out.append((float(m[1].replace(",", ".")), float(m[2].replace(",", "."))))
    return out


def pair_is_lon_lat(series: pd.Series) -> bool:
    """Whether a « a, b » coordinates column is written longitude first (GeoJSON order)."""
    pairs = _pairs(series)
    straight = sum(in_france(a, b) for a, b in pairs)
    return sum(in_france(b, a) for a, b in pairs) > straight


def split_pair(series: pd.Series, swapped: bool = False) -> tuple[pd.Series, pd.Series]:
    """(latitude, longitude) text columns from a « lat, lon » column; the cell itself where unreadable."""
    parts = series.astype(str).str.extract(PAIR)
    first, second = parts[0].fillna(""), parts[1].fillna("")
    bad = (first == "") & (series.astype(str).str.strip() != "")
    # An unreadable pair is kept whole in the latitude, so validation names it.
    first = first.where(~bad, series.astype(str))
    return (second, first) if swapped else (first, second)


def guess(frame: pd.DataFrame, free: list[str], known: dict[str, str],
          vocab: Vocabulary | None = None, name_quality: Callable[[str], float] | None = None
          ) -> list[tuple[str, str]]:
    """(our column, header) for the free columns whose content says what they are (`known`: ours -> header).

    `free` holds only columns with enough values to judge; `name_quality` (header -> how good a
    name column it would be) picks the name among text columns. An opening year is never guessed
    from content: a date says nothing of what it dates (columns.py reads it from its header).
    """
    taken = set(known)
    found: list[tuple[str, str]] = []
    left = list(free)

    def take(ours: str, header: str) -> None:
        found.append((ours, header))
        taken.add(ours)
        left.remove(header)

    if not {"lat", "lon"} & taken:
        for header in [h for h in left if share(frame[h], FITS["coordinates"][1]) >= GUESS_SHARE]:
            if sum(in_france(a, b) or in_france(b, a) for a, b in _pairs(frame[header])) >= GUESS_SHARE * len(
                    values(frame[header])):
                take("coordinates", header)
                taken |= {"lat", "lon"}
                break
    if not {"lat", "lon"} & taken:
        pair = _lat_lon_pair(frame, left)
        if pair:
            take("lat", pair[0])
            take("lon", pair[1])
    for ours in ("website", "status", "precision"):
        for header in left:
            if ours not in taken and share(frame[header], fit(ours, vocab)[1]) >= GUESS_SHARE \
                    and _plain(ours, frame[header]):
                take(ours, header)
                break
    for ours, header in _codes(frame, left, taken, known.get("postcode")):
        take(ours, header)
    if "region" not in taken:
        for header in left:
            if share(frame[header], lambda v: not v.isdigit() and canonical_region(v) is not None) >= GUESS_SHARE:
                take("region", header)
                break
    _names(frame, left, taken, take, name_quality or (lambda h: 0.0))
    order = {h: i for i, h in enumerate(frame.columns)}
    return sorted(found, key=lambda f: order[f[1]])


def _plain(ours: str, series: pd.Series) -> bool:
    # Years must be the whole cell (« 2014 »), or a date, to tell them from any number.
    return ours != "opened" or share(series, lambda v: bool(re.fullmatch(r"\d{4}|[\d/.-]{8,10}", v))) >= GUESS_SHARE


def _lat_lon_pair(frame: pd.DataFrame, left: list[str]) -> tuple[str, str] | None:
    numeric = [h for h in left if share(frame[h], lambda v: _number(v) is not None) >= GUESS_SHARE
               and values(frame[h])][:MAX_PAIR_COLUMNS]  # every pair is tried: bounded, in file order
    # Each column read once as numbers (NaN where not one); then each pair is a few array operations.
    numbers = {h: np.array([_number(v) if isinstance(v, str) else None for v in frame[h].head(SAMPLE).tolist()],
                           dtype=float) for h in numeric}
    best, best_hits = None, 0
    for a in numeric:
        for b in numeric:
            if a == b:
                continue
            hits = int(_in_france(numbers[a], numbers[b]).sum())
            if hits > best_hits:
                best, best_hits = (a, b), hits
    rows = max((len(values(frame[h])) for h in numeric), default=0)
    return best if best and best_hits >= GUESS_SHARE * rows else None


def _in_france(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    # in_france() for arrays (NaN is in no box).
    inside = np.zeros(len(lat), dtype=bool)
    for s, n, w, e in FRANCE_BOXES:
        inside |= (lat >= s) & (lat <= n) & (lon >= w) & (lon <= e)
    return inside


def _codes(frame: pd.DataFrame, left: list[str], taken: set[str], postcode: str | None) -> list[tuple[str, str]]:
    # Five-digit codes: postcodes mostly end in 0 (35000, 75011), INSEE codes do not (35238), and an
    # INSEE code shares its département with the postcode of the same row (a population does not).
    def code(v: str) -> bool:
        return bool(INSEE.match(v) or POSTCODE.match(v))

    scored = []
    for h in left:
        sample = values(frame[h])
        if sample and share(frame[h], code) >= GUESS_SHARE:
            corsica = any(v[:2].upper() in ("2A", "2B") for v in sample)
            scored.append((-1.0 if corsica else sum(v.endswith("0") for v in sample) / len(sample), h))
    out: list[tuple[str, str]] = []
    for zeros, h in sorted(scored, reverse=True):
        if zeros >= 0.5:
            if "postcode" not in taken and postcode is None:
                out.append(("postcode", h))
                postcode = h
        elif "insee" not in taken and all(o != "insee" for o, _ in out) and (
                postcode is None or _same_departments(frame[postcode], frame[h]) >= GUESS_SHARE):
            out.append(("insee", h))
    return out


def _same_departments(postcodes: pd.Series, codes: pd.Series) -> float:
    pairs = [(str(p).strip().zfill(5)[:2], str(c).strip().upper()[:2].replace("2A", "20").replace("2B", "20"))
             for p, c in zip(postcodes, codes, strict=True) if str(p).strip() and str(c).strip()][:SAMPLE]
    return sum(p == c for p, c in pairs) / len(pairs) if pairs else 0.0


def _names(frame: pd.DataFrame, left: list[str], taken: set[str], take, quality: Callable[[str], float]) -> None:
    # Words: the name is the best mostly-unique text column (fullest, most name-like, the leftmost
    # of equals); the city follows the postcode.
    def text(h: str) -> bool:
        return share(frame[h], lambda v: _number(v) is None and not WEB.match(v)) >= GUESS_SHARE and bool(
            values(frame[h]))

    headers = list(frame.columns)
    if "city" not in taken:
        # Once, not once per column: 2,000 columns without a city took over 300 s.
        before = {h: headers[i - 1] for i, h in enumerate(headers) if i > 0}
        postcodes = _postcode_headers(frame, headers)
        for h in list(left):
            if h in before and before[h] in postcodes and text(h):
                take("city", h)
                break
    if "name" not in taken:
        names = [h for h in left if text(h) and len(set(values(frame[h]))) >= 0.8 * len(values(frame[h]))]
        if names:
            take("name", max(names, key=lambda h: (round(quality(h), 2), -names.index(h))) if len(names) > 1
                 else names[0])


def _postcode_headers(frame: pd.DataFrame, headers: list[str]) -> set[str]:
    def postcodes(v: str) -> bool:
        return bool(POSTCODE.match(v))

    return {h for h in headers if values(frame[h]) and share(frame[h], postcodes) >= GUESS_SHARE}
