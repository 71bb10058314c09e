"""The project installs as a package: a wheel that carries its data, a `reseau-map` command that works anywhere.

The wheel is built from a copy of the package (the checkout gets no build/ folder) and installed
with `--no-deps` into a fresh virtual environment outside the repository; the app's dependencies
come from this interpreter's site-packages through a `.pth` file, so the test needs no network.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import site
import subprocess
import sys
import sysconfig
import tomllib
import urllib.request
import venv
import zipfile
from pathlib import Path

import pytest

from reseau_map.cli import main

ROOT = Path(__file__).resolve().parent.parent
PROJECT_FILES = ("pyproject.toml", "requirements.txt", "README.md")
SHIPPED = ("data", "static", "templates")  # the package's folders of data files
# What the app writes beside its data in a checkout: planted in the copy, it must stay out of the wheel.
LEFT_BY_THE_APP = ("reseau.sqlite", "reseau.sqlite-wal", "geocache.csv", "places.csv.geocache.csv",
                   "places.csv.2026-12-01T10-00-00.bak", "places.csv.lock")
PLACED = re.compile(r" : (\d+) lieux valides, (\d+) placés sur la carte ; .* : (\d+) problème\(s\)\.$")


def test_pyproject_takes_its_dependencies_from_requirements_and_names_the_command():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "dependencies" in project["project"]["dynamic"]
    assert project["tool"]["setuptools"]["dynamic"]["dependencies"]["file"] == ["requirements.txt"]
    assert project["project"]["scripts"]["reseau-map"] == "reseau_map.cli:main"
    assert {"test", "dev", "build", "bench"} <= set(project["project"]["optional-dependencies"])


def test_every_library_the_package_imports_is_an_app_dependency():
    import ast
    import importlib.metadata

    declared = {re.split(r"[\s\[<>=!~;]", line.strip(), maxsplit=1)[0].lower().replace("_", "-")
                for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
                if line.strip() and not line.lstrip().startswith("#")}
    imported: set[str] = set()
    for path in (ROOT / "reseau_map").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                imported.add(node.module.split(".")[0])
    third_party = imported - set(sys.stdlib_module_names) - {"reseau_map", "__future__"}
    owners = importlib.metadata.packages_distributions()
    missing = {name for name in third_party
               if not {d.lower().replace("_", "-") for d in owners.get(name, [name])} & declared}
    assert not missing, f"imported by reseau_map, absent from requirements.txt: {sorted(missing)}"


def test_ci_runs_the_readme_test_command_verbatim():
    blocks = re.findall(r"```bash\n(.*?)\n```", (ROOT / "README.md").read_text(encoding="utf-8"), re.DOTALL)
    assert "pytest" in blocks[1]  # the second command at the top: install and run the tests
    assert blocks[1] in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> Path:
    """A copy of what the wheel is built from, with files the app leaves beside its data."""
    src = tmp_path_factory.mktemp("source")
    for name in PROJECT_FILES:
        shutil.copy(ROOT / name, src / name)
    shutil.copytree(ROOT / "reseau_map", src / "reseau_map",
                    ignore=shutil.ignore_patterns("__pycache__", *LEFT_BY_THE_APP, "reseau.sqlite*"))
    for name in LEFT_BY_THE_APP:
        (src / "reseau_map" / "data" / name).write_bytes(b"written by the app, never shipped\n")
    return src


@pytest.fixture(scope="module")
def wheel(source, tmp_path_factory) -> Path:
    """The wheel `pip install .` would install, built offline with this environment's setuptools."""
    out = tmp_path_factory.mktemp("dist")
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
                           "-q", "-w", str(out), str(source)], cwd=out, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    (found,) = out.glob("reseau_map-*.whl")
    return found


def test_the_wheel_ships_the_package_and_its_data_but_no_tools_tests_or_state(wheel, source):
    names = set(zipfile.ZipFile(wheel).namelist())
    package = source / "reseau_map"
    expected = {p.relative_to(source).as_posix() for folder in SHIPPED if (package / folder).is_dir()
                for p in (package / folder).rglob("*") if p.is_file() and p.name not in LEFT_BY_THE_APP}
    assert {"reseau_map/data/places.csv", "reseau_map/data/network.toml", "reseau_map/static/places.js"} <= expected
    assert expected <= names, sorted(expected - names)
    assert {p.relative_to(source).as_posix() for p in package.rglob("*.py")} <= names
    assert not [n for n in names if n.rsplit("/", 1)[-1] in LEFT_BY_THE_APP]
    test_code = re.compile(r"(^|/)(test_[^/]*|conftest)\.py$")
    assert not [n for n in names if n.startswith(("tools/", "tests/")) or test_code.search(n)]


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """A fresh virtual environment outside the repository with the wheel installed: its bin folder."""
    home = tmp_path_factory.mktemp("venv")
    venv.create(home, with_pip=False)
    python = home / "bin" / "python"
    purelib = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    # The app's dependencies (and pip) from this interpreter; reseau_map itself only from the wheel.
    ours = [p for p in {*site.getsitepackages(), sysconfig.get_paths()["purelib"]} if Path(p).is_dir()]
    Path(purelib, "dependencies.pth").write_text("\n".join(ours) + "\n", encoding="utf-8")
    done = subprocess.run([python, "-m", "pip", "install", "--no-deps", "--no-index", "-q", str(wheel)],
                          capture_output=True, text=True, cwd=home, env=_clean_env(home))
    assert done.returncode == 0, done.stdout + done.stderr
    return home / "bin"


def _clean_env(folder: Path) -> dict[str, str]:
    # Nothing points back at the checkout; what the app writes goes to a temporary folder.
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "RESEAU_MAP_PLACES", "RESEAU_MAP_MAPPING",
                                                            "RESEAU_MAP_NETWORK")}
    return dict(env, RESEAU_MAP_STATE_DIR=str(folder / "state"), RESEAU_MAP_DB=str(folder / "state" / "none.sqlite"),
                RESEAU_MAP_WEB_DIR=str(folder / "web"), XDG_CACHE_HOME=str(folder / "cache"))


def _run(installed: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([installed / "reseau-map", *args], cwd=cwd, env=_clean_env(cwd), capture_output=True,
                          text=True, timeout=300)


@pytest.fixture
def elsewhere(tmp_path_factory) -> Path:
    """A folder outside the repository to run the command from."""
    folder = tmp_path_factory.mktemp("elsewhere")
    assert ROOT not in folder.parents
    return folder


def test_the_package_imported_is_the_installed_one(installed, elsewhere):
    done = subprocess.run([installed / "python", "-c", "import reseau_map; print(reseau_map.__file__)"],
                          cwd=elsewhere, env=_clean_env(elsewhere), capture_output=True, text=True, check=True)
    assert Path(done.stdout.strip()).is_relative_to(installed.parent)


def test_installed_validate_and_export_from_another_folder(installed, elsewhere, capsys):
    # The checkout's own answer, in this process, is what the installed command must say.
    expected = main(["validate"])
    counts = PLACED.search(capsys.readouterr().out.splitlines()[-1]).groups()
    done = _run(installed, elsewhere, "validate")
    assert done.returncode == expected, done.stdout + done.stderr
    last = done.stdout.splitlines()[-1]
    assert PLACED.search(last).groups() == counts and int(counts[1]) > 0
    assert last.startswith(str(installed.parent))  # the wheel's own data/places.csv

    done = _run(installed, elsewhere, "export", "--format", "geojson", "-o", "lieux.geojson")
    assert done.returncode == 0, done.stderr
    doc = json.loads((elsewhere / "lieux.geojson").read_text(encoding="utf-8"))
    assert doc["type"] == "FeatureCollection" and len(doc["features"]) == int(counts[1])
    assert all(f["geometry"]["type"] == "Point" and f["properties"]["name"] for f in doc["features"])
    assert f"{counts[1]} lieux exportés vers lieux.geojson" in done.stderr


def test_installed_html_export_and_publish_carry_the_map_files(installed, elsewhere):
    done = _run(installed, elsewhere, "export", "--format", "html", "-o", "carte.html")
    assert done.returncode == 0, done.stderr
    assert "L.map(" in (elsewhere / "carte.html").read_text(encoding="utf-8")  # with the packaged layer's code
    done = _run(installed, elsewhere, "publish", "site")
    assert done.returncode == 0, done.stderr
    assert {"index.html", "places.csv", "places.geojson"} <= {p.name for p in (elsewhere / "site").iterdir()}


def test_the_installed_app_draws_the_map(installed, elsewhere):
    # The page the installed `serve` runs, in Streamlit's AppTest, in the fresh environment.
    code = ("from reseau_map.core.settings import APP_SCRIPT\n"
            "from streamlit.testing.v1 import AppTest\n"
            "at = AppTest.from_file(str(APP_SCRIPT), default_timeout=120).run()\n"
            "print(len(at.exception), len(at.get('component_instance')), at.title[0].value)\n")
    done = subprocess.run([installed / "python", "-c", code], cwd=elsewhere, env=_clean_env(elsewhere),
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    exceptions, maps, title = done.stdout.split(maxsplit=2)
    assert (exceptions, maps) == ("0", "1") and title.strip()


def test_installed_serve_starts_the_app_from_another_folder(installed, elsewhere):
    from browsing import free_port, stop, wait_healthy

    port = free_port()
    proc = subprocess.Popen([installed / "reseau-map", "serve", "--server.port", str(port)], cwd=elsewhere,
                            env=_clean_env(elsewhere), stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        wait_healthy(f"http://127.0.0.1:{port}", proc)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as answer:
            assert answer.status == 200 and b"<html" in answer.read().lower()
    finally:
        stop(proc)
