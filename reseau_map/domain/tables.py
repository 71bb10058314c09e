"""Tables and detail lists the page shows, in French, with « non renseigné » for what is unknown."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from urllib.parse import urlencode

import pandas as pd

from reseau_map.core.findings import Finding
from reseau_map.core.text import french_number, md_text
from reseau_map.domain.fields import Fields
from reseau_map.domain.hours import french_week
from reseau_map.domain.view import default_view, link
from reseau_map.files.places import NOT_GIVEN, PRECISIONS
from reseau_map.files.schema import CATEGORIES
from reseau_map.files.vocabulary import Vocabulary, neutral_vocabulary

NOT_GIVEN_F = NOT_GIVEN + "e"  # « ville non renseignée »: the agreement follows the field
PAGE_ROWS = 200  # the list sends one page of rows at a time (10,000 places would be megabytes)

PLACE_COLUMNS: dict[str, str] = {
    "name": "Nom", "type": "Type", "status": "Statut", "city": "Ville", "region": "Région",
    "opened": "Ouverture", "precision": "Précision", "website": "Site web",
}


def _label(value: object, labels: dict[str, str]) -> str:
    text = "" if value is None or value is pd.NA else str(value)
    return labels.get(text, text) if text else NOT_GIVEN


def _type(value: object, vocab: Vocabulary) -> str:
    text = "" if value is None or value is pd.NA else str(value)
    return vocab.type_label(text) if text else NOT_GIVEN


def _status(value: object, vocab: Vocabulary) -> str:
    return vocab.status_label("" if value is None or value is pd.NA else str(value))


def places_table(df: pd.DataFrame, vocab: Vocabulary | None = None) -> pd.DataFrame:
    """The places shown, one row each, French headers and labels."""
    vocab = vocab or neutral_vocabulary()
    out = pd.DataFrame(index=df.index)
    out["Nom"] = df["name"]
    out["Type"] = df["type"].map(lambda v: _type(v, vocab))
    if CATEGORIES in df.columns:  # a cell that listed several: all of them
        lists = df[CATEGORIES].fillna("").astype(str)
        many = lists.str.contains("|", regex=False)
        out.loc[many, "Type"] = lists[many].map(lambda v: ", ".join(_type(k, vocab) for k in v.split("|")))
    out["Statut"] = df["status"].map(lambda v: _status(v, vocab))
    for col in ("city", "region"):
        out[PLACE_COLUMNS[col]] = df[col].map(lambda v: v or NOT_GIVEN_F)
    out["Ouverture"] = df["opened"].astype("string").fillna(NOT_GIVEN_F)
    out["Précision"] = df["precision"].map(lambda v: _label(v, PRECISIONS) if v else NOT_GIVEN_F)
    out["Site web"] = df["website"].where(df["website"] != "", NOT_GIVEN)
    return out.reset_index(drop=True)


def categories_of(row: pd.Series) -> list[str]:
    """A place's categories (ids): its type, or every one its cell listed."""
    listed = row.get(CATEGORIES) if CATEGORIES in row.index else None
    return str(listed).split("|") if isinstance(listed, str) and listed else [str(row["type"])]


def place_details(row: pd.Series, vocab: Vocabulary | None = None,
                  fields: Fields | None = None) -> list[tuple[str, str]]:
    """(label, value) pairs describing one place for the details panel; the partner's public columns under
    their own headers (opening hours as a French week), in the file's order."""
    vocab = vocab or neutral_vocabulary()
    kinds = categories_of(row)
    pairs = [
        ("Type" if len(kinds) == 1 else "Catégories", ", ".join(_type(k, vocab) for k in kinds)),
        ("Statut", _status(row["status"], vocab)),
        ("Adresse", row["address"] or NOT_GIVEN_F),
        ("Ville", row["city"] or NOT_GIVEN_F),
        ("Région", row["region"] or NOT_GIVEN_F),
        ("Ouverture", NOT_GIVEN_F if pd.isna(row["opened"]) else str(row["opened"])),
        ("Site web", row["website"] or NOT_GIVEN),
        ("Position", NOT_GIVEN_F if pd.isna(row["lat"]) else
         f"{row['lat']:.4f}, {row['lon']:.4f} ({_label(row['precision'], PRECISIONS).lower()})"),
    ]
    if row["description"]:
        pairs.append(("Description", row["description"]))
    fields = fields or Fields()
    for column in fields.public:
        value = row.get(column)
        text = "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value).strip()
        if text:
            pairs.append((str(column), (french_week(text) or text) if column in fields.hours else text))
    return pairs


def off_map_table(findings: Sequence[Finding], label: Callable[[str], str] = str) -> pd.DataFrame:
    """Every row that is not on the map, or that had a field ignored, with the reason in French.

    `label` gives a column as the user's file spells it (« Ville », not « city »).
    """
    rows = [{"Ligne": f.row, "Lieu": f.name or NOT_GIVEN, "Colonne": label(f.column), "Valeur": f.value,
             "Sur la carte": "oui" if f.on_map else "non", "Raison": f.reason} for f in findings]
    columns = ["Ligne", "Lieu", "Colonne", "Valeur", "Sur la carte", "Raison"]
    return pd.DataFrame(rows, columns=columns).sort_values("Ligne", kind="stable").reset_index(drop=True)


def region_list(df: pd.DataFrame, region: str, limit: int, vocab: Vocabulary | None = None) -> str:
    """A Markdown list of a region's places, each a link that selects it; long lists are cut."""
    vocab = vocab or neutral_vocabulary()
    head = df.head(limit)
    base = link(replace(default_view(vocab), regions=(region,)), vocab)
    sep = "&" if base != "?" else ""
    lines = [f"- [{md_text(name)}]({base}{sep}{urlencode({'place': pid})}) — "
             f"{md_text(city or 'ville non renseignée')}"
             for pid, name, city in zip(head["id"].tolist(), head["name"].tolist(), head["city"].tolist(),
                                        strict=True)]
    rest = len(df) - limit
    if rest > 0:
        lines.append(f"- … et {french_number(rest)} autre{'s' if rest > 1 else ''}\u00a0: voir l'onglet "
                     "«\u00a0Liste des lieux\u00a0».")
    # One Markdown element for the whole list: one per place cost 0.4 s per rerun at 10,000 places.
    return "\n".join(lines)


def page_label(page: int, total: int, size: int = PAGE_ROWS) -> str:
    """« 1 à 200 sur 10 000 » for a page of the list (0-based)."""
    first, last = page * size + 1, min(total, (page + 1) * size)
    return f"{french_number(first)} à {french_number(last)} sur {french_number(total)}"


def page_count(total: int, size: int = PAGE_ROWS) -> int:
    """How many pages the list has (at least one)."""
    return max(1, -(-total // size))


def page_label_of(total: int, size: int = PAGE_ROWS) -> Callable[[int], str]:
    """The page selector's labels for a list of `total` rows."""
    return lambda page: page_label(page, total, size)
