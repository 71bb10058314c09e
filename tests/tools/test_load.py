"""Several Streamlit processes on one machine behind the README's nginx (issue 22, item 20): real processes.

Visitors are Streamlit protocol clients from their own loopback addresses; nginx hashes the
address, so each visitor sticks to one process and the visitors spread over all of them. No
time is asserted: `python -m tools load` measures (the README gives its figures).
"""

from __future__ import annotations

import os
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tools.bench import load

PLACES = Path(__file__).parent.parent / "fixtures" / "page" / "places.csv"
pytestmark = pytest.mark.skipif(not os.path.exists(load.NGINX), reason="nginx is not installed (apt-get install -y "
                                                                       "nginx-light)")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    folder = tmp_path_factory.mktemp("load")
    with load.Cluster(PLACES, 2, {"RESEAU_MAP_DB": str(folder / "db.sqlite")}) as found:
        yield found


def test_visitors_stick_to_one_process_and_spread_over_both(cluster):
    result = load.load_run(cluster, sessions=8, searches=2)
    assert result["errors"] == [] and result["reruns"] == 16
    assert result["unsticky"] == []  # every request of a visitor reached the process holding its session
    assert sum(result["sessions_per_process"].values()) == 8
    assert len(result["sessions_per_process"]) == 2  # both processes serve: both cores work
    assert all(cpu > 0 for cpu in result["cpu_s"].values())
    assert load.report_lines([result])[-1].split()[:3] == ["2", "8", "16"]


def test_a_search_through_the_proxy_reruns_the_page_with_its_result(cluster):
    session = load.Session(cluster.front, source="127.0.3.9")
    try:
        assert not session.run().exception
        found = session.run(f_q="rennes")
        assert any("contenant" in t and "rennes" in t for t in found.texts)
    finally:
        session.close()


def test_an_address_too_long_for_the_proxy_gets_a_french_page(cluster):
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(cluster.front + "/?" + "type=cantine&" * 12_000, timeout=30)
    assert caught.value.code == 414
    assert "L’adresse de la carte est trop longue" in caught.value.read().decode("utf-8")
