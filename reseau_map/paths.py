"""Where the project's own files are: the repository root and its data folder."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
APP = ROOT / "dashboard.py"
