"""One finding about one row of a places file: what, where, and whether the row reached the map.

The loader, the geocoding chain, the page and the CLI all speak in `Finding`s; their kind is data
(one of `KINDS`), never parsed back from the French text. Each kind has a grade (`GRADES`): LOST
(the row is not on the map), DOUBT (placed, but maybe wrong) or NOTE (an interpretation). The
summary says the lost and the doubtful first; `validate` fails on them, on notes only when strict.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from reseau_map.core.errors import file_message, row_message

DROPPED = "dropped"  # the row is not kept (no name, unknown type, duplicate id, broken quoting)
FIELD_IGNORED = "field_ignored"  # the row is kept, one of its values is not
UNPLACED = "unplaced"  # kept, but no position could be found
SILENT = "silent"  # kept, but the file says nothing of where it is (listed, not an error)
DOUBTFUL = "doubtful"  # placed, but maybe wrong (homonym, postcode and commune disagree, far coordinates)
READ_AS = "read_as"  # placed; a value was read in a way worth saying (an old commune's name, a region spelling)
FILE_NOTE = "file_note"  # about the file as a whole (row 0): no header line, a column guessed
FILE_WARNING = "file_warning"  # about the file as a whole, and it may be wrong: damaged encoding, a weak column
KINDS: tuple[str, ...] = (DROPPED, FIELD_IGNORED, UNPLACED, SILENT, DOUBTFUL, READ_AS, FILE_NOTE, FILE_WARNING)
# Kinds that keep a row off the map.
OFF_MAP: frozenset[str] = frozenset({DROPPED, UNPLACED, SILENT})
LOST, DOUBT, NOTE = "perdu", "douteux", "remarque"
GRADE_ORDER: tuple[str, ...] = (LOST, DOUBT, NOTE)
GRADES: dict[str, str] = {DROPPED: LOST, UNPLACED: LOST, SILENT: LOST, DOUBTFUL: DOUBT, FILE_WARNING: DOUBT,
                          FIELD_IGNORED: NOTE, READ_AS: NOTE, FILE_NOTE: NOTE}
# Kinds that make `validate` exit 1 (with --strict, notes too).
PROBLEMS: frozenset[str] = frozenset(k for k, g in GRADES.items() if g != NOTE)


@dataclass(frozen=True)
class Finding:
    """Row (physical line, 0 for the whole file), column as the file spells it, value, reason, kind."""

    row: int
    column: str
    value: str
    reason: str
    kind: str = FIELD_IGNORED
    name: str = ""

    @property
    def dropped(self) -> bool:
        """Whether the row itself was left out of the places."""
        return self.kind == DROPPED

    @property
    def grade(self) -> str:
        """LOST, DOUBT or NOTE: what this finding means for the row (or the file)."""
        return GRADES.get(self.kind, NOTE)

    @property
    def on_map(self) -> bool:
        """Whether the row is on the map despite this finding."""
        return self.kind not in OFF_MAP

    @property
    def message(self) -> str:
        """The French sentence naming row, column, value and reason (no row for the whole file)."""
        if self.row == 0:
            return file_message(self.column, self.value, self.reason)
        return row_message(self.row, self.column, self.value, self.reason)


def dropped_rows(findings: Iterable[Finding]) -> list[Finding]:
    """The findings that kept a row out of the places, one per row."""
    seen: dict[int, Finding] = {}
    for f in findings:
        if f.dropped and f.row not in seen:
            seen[f.row] = f
    return list(seen.values())


def failing(findings: Iterable[Finding], strict: bool = False) -> list[Finding]:
    """The findings that make `validate` fail: lost and doubtful, and notes too when strict."""
    return [f for f in findings if strict or f.grade != NOTE]


def grouped(findings: Iterable[Finding]) -> list[tuple[str, str, int]]:
    """(kind, reason, count) for findings sharing a reason, most frequent first."""
    counts = Counter((f.kind, f.reason) for f in findings)
    return [(kind, reason, n) for (kind, reason), n in counts.most_common()]
