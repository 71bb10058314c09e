"""The communes data file: its columns, version line, reader and writer (gzip CSV).

`data/communes.csv.gz` holds one row per commune, commune déléguée / associée and
arrondissement municipal; `tools.build.communes` writes it, `reseau_map.geo.communes`
reads it.
"""

from __future__ import annotations

import csv
import gc
import gzip
import io
import os
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path

from reseau_map.core.errors import DataFileError
from reseau_map.core.settings import DATA_DIR

DATA_FILE = DATA_DIR / "communes.csv.gz"
# Bump when place_key() or the columns change: the file stores each name's key.
FORMAT_VERSION = "reseau-map-communes 1"
COLUMNS = ("insee", "name", "kind", "parent", "department", "region", "postcodes",
           "population", "lat", "lon", "point", "former", "key")
(INSEE, NAME, KIND, PARENT, DEPARTMENT, REGION, POSTCODES, POPULATION, LAT, LON, POINT, FORMER,
 KEY) = range(len(COLUMNS))
# INSEE's types -> our kinds, in the order a tie is settled (a commune in force first).
KINDS = {"commune-actuelle": "commune", "arrondissement-municipal": "arrondissement",
         "commune-deleguee": "deleguee", "commune-associee": "associee"}
REBUILD_HINT = "relancez « python -m tools.build.communes »"


class PointSource(StrEnum):
    """Where a commune's point comes from, best first: the town, then the centre of its area."""

    TOWN = "chef-lieu"  # the GeoNames populated place carrying its INSEE code (its main settlement)
    TOWN_CSC = "chef-lieu-csc"  # overseas: the countries-states-cities town of its name
    OWN_2018 = "2018"  # IGN 2018 polygon of its own INSEE code
    FORMER_2018 = "2018-ancien"  # … of one of the communes merged into it
    GEONAMES = "geonames"  # a GeoNames place of that name near its parent
    PARENT = "parent"  # its parent commune's point
    POSTCODE = "code-postal"  # the main commune of its postcode (a commune re-created lately)
    DEPARTMENT = "departement"  # the middle of its département (last resort)


def read_rows(path: Path) -> list[list[str]]:
    """The rows of a communes file (COLUMNS order), or DataFileError in French."""
    try:
        lines = gzip.decompress(Path(path).read_bytes()).decode("utf-8").splitlines()
        version = lines[0].removeprefix("#").strip() if lines else ""
        if version != FORMAT_VERSION:
            raise DataFileError(f"Le fichier des communes « {path} » est au format « {version} », "
                                f"attendu « {FORMAT_VERSION} » : {REBUILD_HINT}.")
        reader = csv.reader(lines[1:])
        if tuple(next(reader, ())) != COLUMNS:
            raise DataFileError(f"Le fichier des communes « {path} » n'a pas les colonnes attendues.")
        rows = list(reader)
        if any(len(row) != len(COLUMNS) for row in rows):
            raise DataFileError(f"Le fichier des communes « {path} » a des lignes incomplètes : "
                                f"{REBUILD_HINT}.")
        return rows
    except DataFileError:
        raise
    except (OSError, EOFError, ValueError, csv.Error) as err:  # BadGzipFile is an OSError
        raise DataFileError(f"Le fichier des communes « {path} » est illisible : {err}") from err


@contextmanager
def paused_gc() -> Iterator[None]:
    """No garbage collection inside: loading creates tens of thousands of small lists, and
    collection passes over them (which find nothing to free) would double the load time."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def write_rows(rows: Iterable[Sequence[str]], out_path: Path) -> None:
    """Write the gzip CSV atomically and byte-for-byte reproducibly (no timestamp inside)."""
    text = io.StringIO(newline="")
    text.write(f"# {FORMAT_VERSION}\n")
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    data = gzip.compress(text.getvalue().encode("utf-8"), compresslevel=9, mtime=0)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out_path.parent, prefix=out_path.name, suffix=".tmp")
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.chmod(tmp, 0o644)  # mkstemp makes it private; it is a shared data file
    os.replace(tmp, out_path)
