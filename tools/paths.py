"""Where the builders and the benchmark find the repository, its app and the shared reference data."""

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
APP = REPO / "dashboard.py"
SHARED_DATA = REPO.parent / "shared" / "data"
