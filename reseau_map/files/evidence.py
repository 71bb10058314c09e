"""What a column's cells show, measured: how full, how varied, how much like names, dates, codes, coordinates.

Column choice rests on this evidence, never on a header alone: an empty or nearly empty column is
never chosen for its content (every content test passes on no values), and among several columns
a header could name, the fuller and more name-like one is the name. `columns FILE` prints it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import pandas as pd

from reseau_map.files.content import INSEE, PAIR, POSTCODE, WEB, YEAR, values

EXAMPLES = 3  # values shown for a column
MIN_FILL = 0.2  # below this share of filled cells, a column is « nearly empty »: never chosen by content
MIN_VALUES = 3  # fewer values than this prove nothing either
CLEARLY_FULLER = 0.25  # a rival this much fuller (as a share of rows) outweighs a better header
SAMPLE = 500  # values measured per column: enough for shares to a few per cent
# A name: letters first, not a bare number, a code, a date, a link or a mail; not too long.
_NUMBERISH = re.compile(r"^[\d\s.,;:/+()\-]+$")
_MAIL = re.compile(r"@\S+\.")
_DATE = re.compile(r"^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}(?:[ T].*)?$|^(?:1[89]|20)\d\d$")
NAME_MAX_LENGTH = 150


@dataclass(frozen=True)
class Evidence:
    """Measures of one column: shares of filled cells and of distinct values, examples, and the
    share of its filled cells that look like names, dates, codes (postcode or INSEE), coordinates."""

    header: str
    rows: int
    filled: float
    unique: float
    examples: tuple[str, ...]
    name_like: float
    date_like: float
    code_like: float
    coordinate_like: float

    @property
    def nearly_empty(self) -> bool:
        """Too few filled cells for its content to mean anything."""
        return self.filled < MIN_FILL or round(self.filled * self.rows) < min(MIN_VALUES, self.rows)

    @property
    def name_quality(self) -> float:
        """How good a name column this is: full, name-like, and varied (a name tells places apart)."""
        return self.filled * self.name_like * (0.5 + 0.5 * self.unique)

    def describe(self) -> str:
        """« remplie à 42 %, 98 % de valeurs distinctes, ex. « Mairie », « BP 27 », « Château » »."""
        shown = ", ".join(f"« {v} »" for v in self.examples) or "aucune valeur"
        return (f"remplie à {percent(self.filled)}, {percent(self.unique)} de valeurs distinctes, "
                f"ex. {shown}")


def percent(share: float) -> str:
    """A share as a French percentage, « 42 % » (« 100 % », « < 1 % » for a few cells)."""
    if 0 < share < 0.01:
        return "< 1\u202f%"
    return f"{round(share * 100)}\u202f%"


def _name_like(value: str) -> bool:
    return (not _NUMBERISH.match(value) and not WEB.match(value) and not _MAIL.search(value)
            and not _DATE.match(value) and len(value) <= NAME_MAX_LENGTH
            and any(c.isalpha() for c in value))


def _share(sample: list[str], test) -> float:
    if not sample:
        return 0.0
    counts = Counter(sample)
    return sum(n for v, n in counts.items() if test(v)) / len(sample)


def evidence(series: pd.Series) -> Evidence:
    """The evidence of one column (its first SAMPLE filled cells)."""
    sample = values(series)[:SAMPLE]
    rows = len(series)
    filled_count = int((series.astype(str).str.strip() != "").sum()) if rows else 0
    distinct = list(dict.fromkeys(sample))
    return Evidence(
        header=str(series.name), rows=rows, filled=filled_count / rows if rows else 0.0,
        unique=len(distinct) / len(sample) if sample else 0.0, examples=tuple(distinct[:EXAMPLES]),
        name_like=_share(sample, _name_like),
        date_like=_share(sample, lambda v: bool(_DATE.match(v) or YEAR.fullmatch(v))),
        code_like=_share(sample, lambda v: bool(POSTCODE.match(v) or INSEE.match(v))),
        coordinate_like=_share(sample, lambda v: bool(PAIR.match(v)) or _is_number(v)),
    )


def _is_number(value: str) -> bool:
    try:
        float(value.replace(",", "."))
    except ValueError:
        return False
    return True


def profile(frame: pd.DataFrame) -> dict[str, Evidence]:
    """Every column's evidence, by header."""
    return {str(h): evidence(frame[h]) for h in frame.columns}
