"""The Place schema: read a places CSV, validate every row, keep the good ones, report the bad."""

from __future__ import annotations

import csv
import hashlib
import io
import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from reseau_map.errors import DataFileError, row_message
from reseau_map.paths import DATA_DIR
from reseau_map.text import fold, slug

COLUMNS: tuple[str, ...] = (
    "id", "name", "type", "status", "address", "city", "region", "lat", "lon",
    "precision", "opened", "website", "description", "source",
)
REQUIRED: tuple[str, ...] = ("name", "type")
TYPES: dict[str, str] = {"cantine": "Cantine", "lieu_associe": "Lieu associé", "autre": "Autre lieu cité"}
STATUSES: dict[str, str] = {"ouvert": "Ouvert", "en_projet": "En projet"}
PRECISIONS: dict[str, str] = {"adresse": "Adresse", "ville": "Ville"}
NOT_GIVEN = "non renseigné"

# Headers a French spreadsheet may use for our columns (compared after folding).
COLUMN_ALIASES: dict[str, str] = {
    "identifiant": "id", "nom": "name", "lieu": "name", "statut": "status", "etat": "status",
    "adresse": "address", "ville": "city", "commune": "city", "latitude": "lat",
    "longitude": "lon", "lng": "lon", "precision": "precision", "ouverture": "opened",
    "annee": "opened", "annee d ouverture": "opened", "site": "website", "site web": "website",
    "url": "website", "description": "description", "citation": "source",
}
# Values people type for our vocabularies (compared after folding).
VALUE_ALIASES: dict[str, dict[str, str]] = {
    "type": {"lieu associe": "lieu_associe", "lieux associes": "lieu_associe", "associe": "lieu_associe",
             "cantine numerique": "cantine", "cantines": "cantine", "autre lieu cite": "autre"},
    "status": {"ouverte": "ouvert", "ouverts": "ouvert", "en projet": "en_projet", "projet": "en_projet"},
    "precision": {},
}
ENV_PLACES = "RESEAU_MAP_PLACES"
DEFAULT_PLACES = DATA_DIR / "places.csv"
YEAR_RANGE = (1900, 2100)


@dataclass(frozen=True)
class RowProblem:
    """One finding about one row: the row is dropped (not mappable) or one field was cleared."""

    row: int
    column: str
    value: str
    reason: str
    name: str = ""
    dropped: bool = False

    @property
    def message(self) -> str:
        """The French sentence naming row, column, value and reason."""
        return row_message(self.row, self.column, self.value, self.reason)


def places_path(env: dict[str, str] | None = None) -> Path:
    """The places file in use: RESEAU_MAP_PLACES if set, else data/places.csv."""
    value = (env if env is not None else os.environ).get(ENV_PLACES, "").strip()
    return Path(value) if value else DEFAULT_PLACES


def read_bytes(path: Path) -> bytes:
    """The raw content of a places file, with a French error when it cannot be read."""
    try:
        return Path(path).read_bytes()
    except OSError as err:
        raise DataFileError(f"Fichier des lieux illisible : {path} ({err.strerror or err}).") from err


def file_stamp(path: Path) -> tuple[str, int, int]:
    """(path, size, mtime in ns): what tells that a file changed, without reading it."""
    try:
        info = Path(path).stat()
    except OSError as err:
        raise DataFileError(f"Fichier des lieux illisible : {path} ({err.strerror or err}).") from err
    return str(Path(path).resolve()), info.st_size, info.st_mtime_ns


def content_hash(data: bytes) -> str:
    """A short digest of a file's content, used as cache key."""
    return hashlib.sha256(data).hexdigest()[:16]


def decode(data: bytes) -> str:
    """Text of a CSV as a French spreadsheet may save it: UTF-8 (with or without BOM) or Windows-1252."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def sniff_separator(text: str) -> str:
    """`;` when the header line has more semicolons than commas (French Excel), else `,`."""
    header = text.split("\n", 1)[0]
    return ";" if header.count(";") > header.count(",") else ","


def read_table(data: bytes) -> pd.DataFrame:
    """Parse CSV bytes into a frame of strings with our column names (unknown columns kept)."""
    text = decode(data)
    if not text.strip():
        raise DataFileError("Le fichier des lieux est vide.")
    try:
        raw = pd.read_csv(io.StringIO(text), sep=sniff_separator(text), dtype=str,
                          keep_default_na=False, skipinitialspace=True, quoting=csv.QUOTE_MINIMAL)
    except (pd.errors.ParserError, ValueError) as err:
        raise DataFileError(f"Fichier des lieux mal formé (CSV) : {err}.") from err
    renamed = {}
    for col in raw.columns:
        key = fold(col)
        renamed[col] = key if key in COLUMNS else COLUMN_ALIASES.get(key, str(col).strip())
    raw = raw.rename(columns=renamed)
    # Messages name a column as the file does (« latitude », « ville »), not as we do.
    raw.attrs["headers"] = {ours: str(theirs).strip() for theirs, ours in renamed.items()}
    missing = [c for c in REQUIRED if c not in raw.columns]
    if missing:
        raise DataFileError(
            "Colonnes obligatoires absentes : " + ", ".join(missing)
            + f". Colonnes lues : {', '.join(map(str, raw.columns))}.")
    for col in COLUMNS:
        if col not in raw.columns:
            raw[col] = ""
    raw = raw.loc[:, ~raw.columns.duplicated()]
    # Line number in the file: header is line 1 (multi-line quoted cells are rare here).
    raw.insert(0, "_row", range(2, len(raw) + 2))
    return raw


def _normalise_vocab(series: pd.Series, column: str, vocab: dict[str, str]) -> pd.Series:
    folded = series.map(fold)
    allowed = {fold(k): k for k in vocab} | {fold(v): k for k, v in vocab.items()}
    allowed |= {fold(k): v for k, v in VALUE_ALIASES.get(column, {}).items()}
    return folded.map(lambda v: allowed.get(v, None if v else ""))


def _number(series: pd.Series) -> pd.Series:
    # French spreadsheets write decimals with a comma.
    return pd.to_numeric(series.str.replace(",", ".", regex=False).str.strip(), errors="coerce")


def validate(raw: pd.DataFrame) -> tuple[pd.DataFrame, list[RowProblem]]:
    """Check every row; return the mappable rows (typed, normalised) and the problems found."""
    df = raw.copy()
    for col in COLUMNS:
        df[col] = df[col].astype(str).str.strip()
    problems: list[RowProblem] = []
    drop = pd.Series(False, index=df.index)

    headers = raw.attrs.get("headers", {})

    def report(mask: pd.Series, column: str, reason: str, dropped: bool, values=None) -> None:
        values = df[column] if values is None else values
        label = headers.get(column, column)
        for idx in df.index[mask]:
            problems.append(RowProblem(int(df.at[idx, "_row"]), label, str(values[idx]), reason,
                                       df.at[idx, "name"], dropped))

    empty_name = df["name"] == ""
    report(empty_name, "name", "le nom est obligatoire ; ligne écartée", True)
    drop |= empty_name

    for column, vocab, required in (("type", TYPES, True), ("status", STATUSES, False),
                                    ("precision", PRECISIONS, False)):
        norm = _normalise_vocab(df[column], column, vocab)
        bad = norm.isna()
        choices = ", ".join(vocab)
        if required:
            missing = norm == ""
            report(missing, column, f"valeur obligatoire ({choices}) ; ligne écartée", True)
            drop |= missing
            report(bad, column, f"valeur inconnue, attendu : {choices} ; ligne écartée", True)
            drop |= bad
        else:
            report(bad, column, f"valeur inconnue, attendu : {choices} ; champ ignoré", False)
        df[column] = norm.fillna("")

    lat, lon = _number(df["lat"]), _number(df["lon"])
    typed_lat, typed_lon = df["lat"] != "", df["lon"] != ""
    bad_lat = typed_lat & (lat.isna() | ~lat.between(-90, 90))
    bad_lon = typed_lon & (lon.isna() | ~lon.between(-180, 180))
    geo_note = "coordonnée ignorée, le lieu sera placé d'après sa ville"
    report(bad_lat, "lat", f"latitude invalide (nombre entre -90 et 90 attendu) ; {geo_note}", False)
    report(bad_lon, "lon", f"longitude invalide (nombre entre -180 et 180 attendu) ; {geo_note}", False)
    half = (typed_lat ^ typed_lon) & ~bad_lat & ~bad_lon
    report(half & ~typed_lat, "lat", f"latitude absente alors que la longitude est donnée ; {geo_note}",
           False)
    report(half & ~typed_lon, "lon", f"longitude absente alors que la latitude est donnée ; {geo_note}",
           False)
    unusable = bad_lat | bad_lon | half
    df["lat"] = lat.where(~unusable & typed_lat)
    df["lon"] = lon.where(~unusable & typed_lon)

    year = _number(df["opened"])
    bad_year = (df["opened"] != "") & (year.isna() | ~year.between(*YEAR_RANGE) | (year % 1 != 0))
    report(bad_year, "opened", "année d'ouverture invalide (ex. 2010) ; champ ignoré", False)
    df["opened"] = year.where(~bad_year).astype("Int64")

    bad_web = (df["website"] != "") & ~df["website"].str.match(r"(?i)^https?://[^\s<>\"']+$")
    report(bad_web, "website", "adresse web invalide (doit commencer par http:// ou https://) ; "
           "champ ignoré", False)
    df.loc[bad_web, "website"] = ""

    df["id"] = _ids(df)
    dup = df["id"].duplicated(keep="first") & ~drop
    report(dup, "id", "identifiant déjà utilisé par une ligne précédente ; ligne écartée", True)
    drop |= dup

    order = {headers.get(c, c): i for i, c in enumerate(COLUMNS)}
    problems.sort(key=lambda p: (p.row, order.get(p.column, 99)))
    good = df.loc[~drop].reset_index(drop=True)
    return good, problems


def _ids(df: pd.DataFrame) -> pd.Series:
    # Rows without an id get a stable one from name and city, so links to them keep working.
    made = (df["name"] + " " + df["city"]).map(slug)
    return df["id"].where(df["id"] != "", made)


def load_places(data: bytes) -> tuple[pd.DataFrame, list[RowProblem]]:
    """Read and validate the bytes of a places CSV."""
    return validate(read_table(data))


def dropped_rows(problems: list[RowProblem]) -> list[RowProblem]:
    """The problems that kept a row off the map, one per row."""
    seen: dict[int, RowProblem] = {}
    for p in problems:
        if p.dropped and p.row not in seen:
            seen[p.row] = p
    return list(seen.values())
