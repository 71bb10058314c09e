"""A Mapping written back as the mapping file's TOML (files/mapping.py reads it): what the import form saves."""

from __future__ import annotations

import json

from reseau_map.files.mapping import Mapping
from reseau_map.files.schema import COLUMNS


def _q(text: str) -> str:
    # JSON strings are valid TOML basic strings (same escapes), accents kept as they are.
    return json.dumps(text, ensure_ascii=False)


def mapping_text(mapping: Mapping, title: str = "") -> str:
    """The TOML of a mapping, sections in the file's order; parse_mapping(mapping_text(m)) == m."""
    lines = [f"# {line}" for line in (title.splitlines() if title else ())]
    lines += ["# Correspondance entre un fichier de lieux et les colonnes de la carte (reseau_map/files/mapping.py).",
              "", "[columns]"]
    lines += [f"{ours} = {_q(header)}" for ours in COLUMNS if (header := mapping.columns.get(ours))]
    lines += ["", "[types]"] + [f"{_q(value)} = {_q(ours)}" for value, ours in mapping.types.items()]
    lines += ["", "[defaults]"] + [f"{ours} = {_q(value)}" for ours, value in mapping.defaults.items()]
    lines += ["", "[credit]", f"text = {_q(mapping.credit)}"]
    lines += ["", "[private]", "columns = [" + ", ".join(_q(c) for c in mapping.private) + "]", ""]
    return "\n".join(lines)
