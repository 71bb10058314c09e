"""Shared test helpers: paths to the tiny fixture files."""

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).parent.parent


@pytest.fixture
def fixture_bytes():
    """Read a fixture file's bytes by name."""
    return lambda name: (FIXTURES / name).read_bytes()


@pytest.fixture(autouse=True, scope="session")
def _private_database(tmp_path_factory):
    """Tests never touch the developer's data/reseau.sqlite: its accepted places join every export."""
    # For the whole session, so that the servers module fixtures start (tests/browsing.py) inherit it too.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("RESEAU_MAP_DB", str(tmp_path_factory.getbasetemp() / "no-contributions.sqlite"))
        # The map's served files (maps/served.py) stay out of the developer's cache folder.
        patch.setenv("RESEAU_MAP_WEB_DIR", str(tmp_path_factory.getbasetemp() / "web"))
        yield


def pytest_collection_modifyitems(config, items):
    """Every test that opens Chromium says so (`-m "not browser"` leaves them all out)."""
    unmarked = [item.nodeid for item in items if "browser" in item.fixturenames
                and item.get_closest_marker("browser") is None]
    if unmarked:
        raise pytest.UsageError("tests using the browser fixture without @pytest.mark.browser: " + ", ".join(unmarked))


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium for a browser test module (tests/browsing.py says where it comes from)."""
    from browsing import CHROMIUM, CHROMIUM_ARGS, require_browser

    with require_browser().sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()
