"""What reading a places file learned about it, beside its rows: spelling, format, where columns came from.

It travels next to the frame (`read_table` and `load_places` return both), never inside it: pandas
copies a frame's `attrs` at every operation, and a value of this kind has no reason to be copied.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reseau_map.core.findings import Finding
from reseau_map.files.columns import ColumnMap
from reseau_map.files.dialect import TextDialect
from reseau_map.files.mapping import Mapping
from reseau_map.files.vocabulary import Vocabulary


@dataclass(frozen=True)
class PlacesMeta:
    """A places file's headers, dialect, format, column map, lines and findings, and its mapping's credit."""

    headers: dict[str, str] = field(default_factory=dict)  # our column -> as the file spells it
    dialect: TextDialect | None = None  # None for a workbook or GeoJSON
    format: str = "csv"  # one of reader.FORMATS
    column_map: ColumnMap | None = None
    lines: tuple[int, ...] = ()  # where each record read starts (physical line, sheet row, feature)
    findings: tuple[Finding, ...] = ()  # read_table: the file's notes; load_places: every finding
    mapping: Mapping = field(default_factory=Mapping)
    credit: str = ""  # the mapping's [credit]: who published the data, under which licence
    vocabulary: Vocabulary | None = None  # load_places: the one the file was read in (its own categories too)

    def label(self, column: str) -> str:
        """One of our columns as the file spells it (« ville » for city)."""
        return self.headers.get(column, column)
