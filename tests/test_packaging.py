"""The project installs as a package with its dependencies and a `reseau-map` command."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_pyproject_takes_its_dependencies_from_requirements_and_names_the_command():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "dependencies" in project["project"]["dynamic"]
    assert project["tool"]["setuptools"]["dynamic"]["dependencies"]["file"] == ["requirements.txt"]
    assert project["project"]["scripts"]["reseau-map"] == "reseau_map.cli:main"
