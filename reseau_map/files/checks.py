"""Validation of a read places frame: every row checked, the good kept, each problem one Finding.

A row is dropped only when it cannot be a place (no name, repeated id, unreadable line). A bad
value in a kept row is cleared (FIELD_IGNORED); an unknown type becomes the vocabulary's fallback
type, said once per value. Types and statuses are read in the network's vocabulary.
"""

from __future__ import annotations

import re

import pandas as pd

from reseau_map.core.findings import DROPPED, FIELD_IGNORED, Finding
from reseau_map.core.text import BIDI_CLASS, BIDI_CONTROLS, fold, slug
from reseau_map.files.mapping import Mapping
from reseau_map.files.meta import PlacesMeta
from reseau_map.files.schema import COLUMNS, PRECISIONS, ROW, TYPE_SOURCE, YEAR_RANGE, vocabulary
from reseau_map.files.vocabulary import Vocabulary, neutral_vocabulary

# A web address with its scheme, or one people type without it (www.x.fr, x.fr/page).
WEB_FULL = re.compile(r"(?i)^https?://[^\s<>\"']+$")
WEB_BARE = re.compile(r"(?i)^(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}(?::\d+)?(?:[/?#][^\s<>\"']*)?$")
# A year alone, or the year of a date (2014-03-01, 01/03/2014).
YEAR_CELL = r"^(?P<a>\d{4})(?:[-/.]\d{1,2}){0,2}(?:[ T].*)?$|^\d{1,2}[-/.]\d{1,2}[-/.](?P<b>\d{4})$"
GEO_NOTE = "coordonnée ignorée, le lieu sera placé d'après sa ville"
BIDI_LEAD_BYTES = frozenset(chr(c).encode()[:1] for c in BIDI_CONTROLS)  # their first UTF-8 byte
CODE_WIDTH = 5  # postcodes and INSEE codes; a spreadsheet drops the leading 0 of 01000


class _Report:
    """Collects findings for rows of one frame, naming columns as the file spells them."""

    def __init__(self, df: pd.DataFrame, headers: dict[str, str]) -> None:
        self.df, self.headers = df, headers
        self.findings: list[Finding] = []

    def __call__(self, mask: pd.Series, column: str, reason: str, kind: str, values=None) -> None:
        values = self.df[column] if values is None else values
        label = self.headers.get(column, column)
        rows, names = self.df[ROW], self.df["name"]
        for idx in self.df.index[mask]:
            self.findings.append(Finding(int(rows[idx]), label, str(values[idx]), reason, kind, names[idx]))


def _per_value(series: pd.Series, func) -> pd.Series:
    # Vocabulary columns hold a handful of distinct values: fold each once, not once per row.
    return series.map({v: func(v) for v in series.unique()})


def _clean_text(series: pd.Series) -> pd.Series:
    # Bidi controls would let a name display reversed (« Trojan Source »): text is kept without them.
    text = series if series.dtype == "str" else series.astype(str)
    if _may_hold_bidi(text):  # one regex over the column: a Python call per cell cost 0.4 s at 10,000 rows
        text = text.str.replace(BIDI_CLASS, "", regex=True)
    return text.str.strip()


def _may_hold_bidi(text: pd.Series) -> bool:
    # An Arrow column keeps all its characters in one UTF-8 buffer, and every bidi control starts
    # with one of BIDI_LEAD_BYTES there: a column without them (most) skips the regex, for the
    # price of a byte search. The buffer may hold more than the column (a slice): then it may say
    # yes in vain, never no in vain. Other storage: yes, and the regex decides.
    if getattr(text.dtype, "storage", None) != "pyarrow":
        return True
    import pyarrow as pa  # there: pandas stores this column with it

    arrow = pa.array(text.array)
    chunks = arrow.chunks if isinstance(arrow, pa.ChunkedArray) else [arrow]
    if not all(pa.types.is_string(c.type) or pa.types.is_large_string(c.type) for c in chunks):
        return True  # another layout (string views…): the regex decides
    buffers = [bytes(chars) for c in chunks if (chars := c.buffers()[2]) is not None]
    return any(lead in data for data in buffers for lead in BIDI_LEAD_BYTES)


def _number(series: pd.Series) -> pd.Series:
    # French spreadsheets write decimals with a comma.
    return pd.to_numeric(series.str.replace(",", ".", regex=False).str.strip(), errors="coerce")


def validate(raw: pd.DataFrame, meta: PlacesMeta | None = None,
             vocab: Vocabulary | None = None) -> tuple[pd.DataFrame, list[Finding]]:
    """Check every row; return the mappable rows (typed, normalised) and the findings (the file's notes first)."""
    meta = meta or PlacesMeta()
    vocab = vocab or neutral_vocabulary()
    df = raw.copy()
    if ROW not in df.columns:
        df.insert(0, ROW, range(2, len(df) + 2))
    for col in COLUMNS:
        df[col] = _clean_text(df[col]) if col in df.columns else ""
    headers = meta.headers
    report = _Report(df, headers)
    drop = pd.Series(False, index=df.index)

    empty_name = df["name"] == ""
    report(empty_name, "name", "le nom est obligatoire ; ligne écartée", DROPPED)
    drop |= empty_name

    _types(df, report, meta.mapping, vocab)
    for column, expected in (("status", vocab.status_ids), ("precision", tuple(PRECISIONS))):
        allowed = vocabulary(column, vocab)
        norm = _per_value(df[column], lambda v, allowed=allowed: allowed.get(fold(v)) if v else "")
        report(norm.isna(), column, f"valeur inconnue, attendu : {', '.join(expected)} ; champ ignoré",
               FIELD_IGNORED)
        df[column] = norm.fillna("")

    _coordinates(df, report)
    _year(df, report)
    _website(df, report)
    for column in ("postcode", "insee"):
        short = df[column].str.fullmatch(r"\d{4}")
        df.loc[short, column] = df.loc[short, column].str.zfill(CODE_WIDTH)

    df["id"] = _ids(df)
    dup = df["id"].duplicated(keep="first") & ~drop
    report(dup, "id", "identifiant déjà utilisé par une ligne précédente ; ligne écartée", DROPPED)
    drop |= dup

    order = {headers.get(c, c): i for i, c in enumerate(COLUMNS)}
    findings = list(meta.findings) + sorted(report.findings, key=lambda p: (p.row, order.get(p.column, 99)))
    findings.sort(key=lambda f: f.row)  # stable: file notes first, then by line
    return df.loc[~drop].reset_index(drop=True), findings


def _types(df: pd.DataFrame, report: _Report, mapping: Mapping, vocab: Vocabulary) -> None:
    # The mapping's [types] first, then the vocabulary; the rest is its fallback type, said once per value.
    allowed = vocab.spellings("type")
    fallback = vocab.fallback_type
    mapped = _per_value(df["type"], lambda v: mapping.type_of(v) or allowed.get(fold(v)) if (v or "" in mapping.types)
                        else None)
    unknown = mapped.isna()
    if not unknown.any():
        df["type"] = mapped
        return
    df[TYPE_SOURCE] = df["type"].where(unknown, "")  # read_table keeps this name free of partner columns
    label = report.headers.get("type", "type")
    for value, rows in df.loc[unknown].groupby("type", sort=False):
        first = rows.index[0]
        what = f"valeur inconnue, classée « {fallback} »" if value else f"type absent, classé « {fallback} »"
        report.findings.append(Finding(
            int(df[ROW][first]), label, str(value),  # str: a type as the file spells it
            f"{what} ({len(rows)} ligne{'s' if len(rows) > 1 else ''} ; valeur d'origine gardée dans "
            f"« {TYPE_SOURCE} »)",
            FIELD_IGNORED, df["name"][first]))
    df["type"] = mapped.fillna(fallback)


def _coordinates(df: pd.DataFrame, report: _Report) -> None:
    lat, lon = _number(df["lat"]), _number(df["lon"])
    typed_lat, typed_lon = df["lat"] != "", df["lon"] != ""
    bad_lat = typed_lat & (lat.isna() | ~lat.between(-90, 90))
    bad_lon = typed_lon & (lon.isna() | ~lon.between(-180, 180))
    report(bad_lat, "lat", f"latitude invalide (nombre entre -90 et 90 attendu) ; {GEO_NOTE}", FIELD_IGNORED)
    report(bad_lon, "lon", f"longitude invalide (nombre entre -180 et 180 attendu) ; {GEO_NOTE}", FIELD_IGNORED)
    half = (typed_lat ^ typed_lon) & ~bad_lat & ~bad_lon
    report(half & ~typed_lat, "lat", f"latitude absente alors que la longitude est donnée ; {GEO_NOTE}",
           FIELD_IGNORED)
    report(half & ~typed_lon, "lon", f"longitude absente alors que la latitude est donnée ; {GEO_NOTE}",
           FIELD_IGNORED)
    unusable = bad_lat | bad_lon | half
    df["lat"] = lat.where(~unusable & typed_lat)
    df["lon"] = lon.where(~unusable & typed_lon)


def _year(df: pd.DataFrame, report: _Report) -> None:
    # A year, or the year of a date: « date d'ouverture » columns hold whole dates.
    text = df["opened"].copy()
    # Empty cells and bare years are their own text: the regex (a Python call per cell) reads the rest.
    dated = ~(text.str.fullmatch("[0-9]{4}") | (text == ""))
    if dated.any():
        parts = text[dated].str.extract(YEAR_CELL)
        text[dated] = parts["a"].fillna(parts["b"]).fillna(text[dated]).to_numpy()
    year = _number(text)
    bad = (df["opened"] != "") & (year.isna() | ~year.between(*YEAR_RANGE) | (year % 1 != 0))
    report(bad, "opened", "année d'ouverture invalide (ex. 2010) ; champ ignoré", FIELD_IGNORED)
    df["opened"] = year.where(~bad).astype("Int64")


def _website(df: pd.DataFrame, report: _Report) -> None:
    # People write « www.x.fr » or « x.fr/page »; only what cannot be a web address is refused.
    web = df["website"]
    # The patterns run in Python, cell by cell: only on the cells that hold something.
    given = web != ""
    full, bare = pd.Series(False, index=web.index), pd.Series(False, index=web.index)
    full[given] = web[given].str.match(WEB_FULL).to_numpy()
    bare[given] = (web[given].str.match(WEB_BARE) & ~web[given].str.contains(":", regex=False)).to_numpy()
    bad = (web != "") & ~full & ~bare
    report(bad, "website", "adresse web invalide (ex. https://exemple.fr ou www.exemple.fr) ; champ ignoré",
           FIELD_IGNORED)
    df["website"] = web.where(~bare | full, "https://" + web).where(~bad, "")


def _ids(df: pd.DataFrame) -> pd.Series:
    # Rows without an id get a stable one from name and city, so links to them keep working; two
    # homonyms get « -2 », « -3 »: only an id the file itself repeats costs a row.
    ids = df["id"].copy()
    missing = ids == ""
    if missing.any():  # slugs cost: only for the rows that need one
        taken = set(ids[~missing])
        made = []
        after: dict[str, int] = {}  # base -> the next suffix to try: 40,000 homonyms made 40,000²/2 tries
        for base in _per_value(df.loc[missing, "name"] + " " + df.loc[missing, "city"], slug):
            candidate = base
            if candidate in taken:
                n = after.get(base, 2)
                while (candidate := f"{base}-{n}") in taken:
                    n += 1
                after[base] = n + 1
            taken.add(candidate)
            made.append(candidate)
        ids[missing] = made
    return ids
