"""A partner's mapping file (TOML): which of its columns are ours, its types in ours, defaults, credit.

    [columns]    our column = "the file's header"      name = "NOM_TL"
    [types]      "the file's value" = "our type"       "Tiers lieux à dominante coworking" = "<a type id>"
                 "" = "<a type id>"                    (empty cells)
    [defaults]   our column = value, for a column the file does not have     status = "<a status id>"
    [credit]     text = "who published the data, under which licence"
    [private]    columns = ["the file's header", …]: never shown, exported nor published (files/privacy.py)

Types and statuses are the network's vocabulary (files/vocabulary.py); the neutral one unless given.
"""

from __future__ import annotations

import functools
import json
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from reseau_map.core.errors import DataFileError
from reseau_map.core.safefile import read_regular
from reseau_map.core.text import fold
from reseau_map.files.columns import BY_CONTENT, BY_MAPPING, ColumnMap
from reseau_map.files.schema import COLUMNS, TERMS, normalised
from reseau_map.files.vocabulary import OPEN, Vocabulary, neutral_vocabulary

ENV_MAPPING = "RESEAU_MAP_MAPPING"
SECTIONS = ("columns", "types", "defaults", "credit", "private")
MAX_TYPES = 200  # distinct type values a generated mapping lists
MAX_BYTES = 16 << 20  # a mapping of 20,000 [types] is 1 MB: this is no mapping


@dataclass(frozen=True)
class Mapping:
    """What a partner's mapping file says; empty parts mean « guess »."""

    columns: dict[str, str] = field(default_factory=dict)
    types: dict[str, str] = field(default_factory=dict)
    defaults: dict[str, str] = field(default_factory=dict)
    credit: str = ""
    private: tuple[str, ...] = ()  # the file's columns it marks private

    def type_of(self, value: str) -> str | None:
        """Our type for a file's value as [types] says (exact spelling, else folded), None if unsaid."""
        if value in self.types:
            return self.types[value]
        return self._folded_types.get(fold(value))

    @functools.cached_property
    def _folded_types(self) -> dict[str, str]:
        # Folded once per mapping: 20,000 [types] looked up for each of 1,000 values took 113 s.
        return {fold(key): ours for key, ours in self.types.items()}


def mapping_path(env: dict[str, str] | None = None) -> Path | None:
    """The mapping file named by RESEAU_MAP_MAPPING, None when it is not set."""
    value = (env if env is not None else os.environ).get(ENV_MAPPING, "").strip()
    return Path(value) if value else None


def load_mapping(path: Path | str, vocab: Vocabulary | None = None) -> Mapping:
    """Read and check a mapping file; a French DataFileError naming the bad section or key."""
    data = read_regular(path, limit=MAX_BYTES, what="Fichier de correspondance")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise DataFileError(f"Fichier de correspondance illisible : {path} ({err}).") from err
    return parse_mapping(text, str(path), vocab)


def parse_mapping(text: str, where: str = "correspondance", vocab: Vocabulary | None = None) -> Mapping:
    """A Mapping from TOML text (see the module's docstring for the shape), in the network's vocabulary."""
    vocab = vocab or neutral_vocabulary()
    choices = {"type": vocab.type_ids, "status": vocab.status_ids}  # defaults that must be in the vocabulary
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise DataFileError(f"Fichier de correspondance {where} mal formé (TOML) : {err}.") from err
    for section in doc:
        if section not in SECTIONS:
            raise DataFileError(f"Correspondance {where} : section [{section}] inconnue ; sections possibles : "
                                + ", ".join(f"[{s}]" for s in SECTIONS) + ".")
    columns = _strings(doc, "columns", where)
    for key in columns:
        if key not in COLUMNS:
            raise DataFileError(f"Correspondance {where}, [columns] : clé « {key} » inconnue ; clés possibles : "
                                + ", ".join(COLUMNS) + ".")
    types = _strings(doc, "types", where)
    for value, ours in types.items():
        if ours not in vocab.type_ids:
            raise DataFileError(f"Correspondance {where}, [types] : « {value} » = « {ours} » ; type inconnu, "
                                "attendu : " + ", ".join(vocab.type_ids) + ".")
    defaults = _strings(doc, "defaults", where)
    for key, value in defaults.items():
        if key not in COLUMNS:
            raise DataFileError(f"Correspondance {where}, [defaults] : clé « {key} » inconnue ; clés possibles : "
                                + ", ".join(COLUMNS) + ".")
        if key in TERMS:
            term = normalised(key, value, vocab)
            if not term:
                raise DataFileError(f"Correspondance {where}, [defaults] : clé « {key} » = « {value} » ; valeur "
                                    "inconnue, attendu : " + ", ".join(choices[key]) + ".")
            defaults[key] = term  # our value (the key is there already: the dict keeps its size)
    credit = _strings(doc, "credit", where)
    unknown = set(credit) - {"text"}
    if unknown:
        raise DataFileError(f"Correspondance {where}, [credit] : clé « {sorted(unknown)[0]} » inconnue ; "
                            "seule « text » est lue.")
    private = doc.get("private", {})
    listed = private.get("columns", []) if isinstance(private, dict) else None
    if listed is None or set(private) - {"columns"} or not isinstance(listed, list) \
            or not all(isinstance(c, str) for c in listed):
        raise DataFileError(f"Correspondance {where}, [private] : seule « columns » est lue, une liste d'en-têtes "
                            "entre guillemets (ex. columns = [\"Courriel\"]).")
    return Mapping(columns, types, defaults,
                   credit.get("text", ""), tuple(listed))


def _strings(doc: dict, section: str, where: str) -> dict[str, str]:
    table = doc.get(section, {})
    if not isinstance(table, dict):
        raise DataFileError(f"Correspondance {where} : « {section} » doit être une section [{section}].")
    out = {}
    for key, value in table.items():
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise DataFileError(f"Correspondance {where}, [{section}] : clé « {key} » ; un texte entre guillemets "
                                "est attendu.")
        out[str(key)] = str(value)
    return out


def _q(text: str) -> str:
    # JSON strings are valid TOML basic strings (same escapes), accents kept as they are.
    return json.dumps(text, ensure_ascii=False)


def mapping_toml(column_map: ColumnMap, frame: pd.DataFrame, vocab: Vocabulary | None = None) -> str:
    """The mapping guessed for a file, in the mapping file's format, commented, ready to edit."""
    vocab = vocab or neutral_vocabulary()
    fallback = vocab.fallback_type
    lines = ["# Correspondance entre un fichier de lieux et les colonnes de la carte.",
             "# À gauche nos colonnes, à droite les en-têtes du fichier. Modifiez, puis :",
             f"#   {ENV_MAPPING}=ce_fichier.toml python -m reseau_map validate FICHIER", "", "[columns]"]
    for ours in COLUMNS:
        match = column_map.matches.get(ours)
        if match is None:
            lines.append(f"# {ours} = \"\"")
        else:
            how = {BY_CONTENT: "deviné d'après le contenu", BY_MAPPING: "d'après la correspondance"}.get(
                match.how, "reconnu par son nom")
            part = {0: " (latitude de la paire)", 1: " (longitude de la paire)", None: ""}.get(match.part, "")
            lines.append(f"{ours} = {_q(match.header)}  # {how}{part}")
    if column_map.extra:
        lines.append("# Colonnes du fichier gardées telles quelles : " + ", ".join(column_map.extra))
    lines += ["", "[types]", "# Valeur du fichier = notre type (" + ", ".join(vocab.type_ids)
              + ") ; \"\" = cellules vides."]
    header = column_map.header("type")
    if header is None:
        lines.append(f"# Pas de colonne de type : chaque lieu sera « {fallback} » (voir [defaults]).")
    else:
        counts = frame[header].astype(str).str.strip().value_counts()
        for value, n in counts.head(MAX_TYPES).items():
            guess = normalised("type", str(value), vocab) or fallback  # str(): the counts of a str column
            lines.append(f"{_q(str(value))} = {_q(guess)}  # {n} ligne(s)")
    lines += ["", "[defaults]", "# Valeurs pour les colonnes que le fichier n'a pas."]
    opened = (*vocab.with_meaning(OPEN), *vocab.status_ids, "")[0]  # an open status, as an example
    for ours, example in (("type", fallback), ("status", opened)):
        if column_map.header(ours) is None:
            lines.append(f"# {ours} = {_q(example)}")
    lines += ["", "[credit]", "# Qui publie ces données, et sous quelle licence.", 'text = ""', ""]
    return "\n".join(lines)
