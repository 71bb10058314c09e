"""Text damaged before the file reached us: « R�gion Sud », « CrÃ©teil ». One warning for the whole file.

A file converted with the wrong encoding somewhere upstream carries U+FFFD (the replacement
character) or the two-character « Ã© » patterns of UTF-8 read as Latin-1. No decoding of ours can
repair it; the rows are kept, their names shown as they are, and the file gets one warning (not
one note per row) with what to ask the publisher for.
"""

from __future__ import annotations

import codecs
import re

import pandas as pd

from reseau_map.core.findings import FILE_WARNING, Finding
from reseau_map.core.text import french_number

# U+FFFD, and UTF-8 accented letters read as Windows-1252 / Latin-1 (é è ê à â ç ô î ï ù û ’ « »).
DAMAGE = "\ufffd|Ã[©¨ª«¢§´®¯¹»‰€\xa0 ]|â€[™œ˜“”]|Â[«»°]"
EXAMPLE_WIDTH = 60
_DAMAGE = re.compile(DAMAGE)
SAMPLE_BYTES = 512 * 1024
ZIP_MAGIC = b"PK"  # XLSX and ODS are zip files: their bytes say nothing of their text
# The same damage as UTF-8 bytes: U+FFFD, « Ã » followed by a Latin-1 or cp1252 character, « â€ ».
_DAMAGE_UTF8 = re.compile(rb"\xef\xbf\xbd|\xc3\x83[\xc2\xc5\xe2]|\xc3\xa2\xe2\x82\xac|\xc3\x82[\xab\xbb\xb0]")
# In a file that is not UTF-8 (Windows-1252), « Ã© » is the bytes of a UTF-8 « é ».
_DAMAGE_OTHER = re.compile(rb"\xef\xbf\xbd|\xc3[\x80-\xbf]|\xe2\x80[\x90-\xbf]")


def damage_warning(frame: pd.DataFrame, columns: list[str] | None = None, data: bytes | None = None
                   ) -> Finding | None:
    """One FILE_WARNING when text cells show damaged accents, naming how many rows and one example.

    `data`, the file's bytes when it is text (not a workbook), lets most files be cleared by one
    search of their bytes, without reading a column.
    """
    if data is not None and not data.startswith(ZIP_MAGIC) and not _bytes_may_be_damaged(data):
        return None
    damaged = [c for c in (columns if columns is not None else list(frame.columns)) if _may_be_damaged(frame[c])]
    if not damaged:  # nearly every file: one pass of a regex over a few columns, nothing else
        return None
    hit = pd.Series(False, index=frame.index)
    example = ""
    for column in damaged:
        series = frame[column].astype(str)
        found = series.str.contains(DAMAGE, regex=True, na=False)
        hit |= found
        example = example or str(series[found].iloc[0])[:EXAMPLE_WIDTH] if found.any() else example
    count = int(hit.sum())
    if not count:
        return None
    rows = f"{french_number(count)} ligne{'s portent' if count > 1 else ' porte'}"
    return Finding(0, "", example,
                   f"encodage abîmé avant publication : {rows} « \ufffd » ou « Ã© » à la place de lettres "
                   "accentuées ; aucune relecture ne peut les réparer : demandez au producteur une copie "
                   "enregistrée en UTF-8", FILE_WARNING)


def _may_be_damaged(series: pd.Series) -> bool:
    # One pass of Arrow's regex over the column's buffer (about half a millisecond for 10,000
    # cells); other storage: one search over the column joined. Cell by cell only when damaged.
    if not (series.dtype == object or pd.api.types.is_string_dtype(series.dtype)):
        return False
    if getattr(series.dtype, "storage", None) == "pyarrow":
        import pyarrow as pa
        import pyarrow.compute as pc

        return bool(pc.any(pc.match_substring_regex(pa.array(series.array), DAMAGE)).as_py())
    return bool(_DAMAGE.search("\n".join(map(str, series.tolist()))))


def _bytes_may_be_damaged(data: bytes) -> bool:
    # A file converted wrongly upstream is damaged throughout: its first SAMPLE_BYTES tell (a
    # couple of milliseconds, where reading the columns costs several).
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16: its text is read cell by cell
        return True
    sample = data[:SAMPLE_BYTES]
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=len(sample) == len(data))
    except UnicodeDecodeError:
        return bool(_DAMAGE_OTHER.search(sample))
    return bool(_DAMAGE_UTF8.search(sample))
