"""The map-only embed (`?embed=true&embed=1`), run headless with AppTest: the map of the URL's view, alone."""

import html
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from pages import DASHBOARD, run_page
from streamlit.testing.v1 import AppTest

from reseau_map.app.embedded import FULL_MAP, embed_link, snippet
from reseau_map.domain.view import View
from reseau_map.files.network import load_network
from reseau_map.maps.layers import decode_payload, payload_column

ROOT = Path(__file__).resolve().parents[2]
PLACES = ROOT / "tests" / "fixtures" / "page" / "places.csv"


@pytest.fixture(autouse=True)
def page_places(monkeypatch):
    monkeypatch.setenv("RESEAU_MAP_PLACES", str(PLACES))


def run(params: dict) -> AppTest:
    return run_page(DASHBOARD, params)


def drawn(at: AppTest) -> list[str]:
    [found] = decode_payload(json.loads(at.get("component_instance")[0].proto.json_args)["feature_group"])
    return sorted(html.unescape(n) for n in payload_column(found, "name"))


def test_the_embed_shows_the_map_of_the_url_alone_with_a_link_to_the_full_map():
    rows = pd.read_csv(PLACES, dtype=str, keep_default_na=False)
    at = run({"type": "lieu_associe", "embed": ["true", "1"]})
    assert len(at.get("component_instance")) == 1
    assert drawn(at) == sorted(rows.loc[rows["type"] == "lieu_associe", "name"])
    # Nothing else of the app: no filters, no tabs, no title, no buttons.
    assert len(at.sidebar) == 0 and len(at.tabs) == 0 and len(at.title) == 0 and len(at.button) == 0
    [link] = [m.value for m in at.markdown if FULL_MAP in m.value]
    assert re.search(r'href="\?type=lieu_associe" target="_blank"', link)
    assert at.query_params["type"] == "lieu_associe"
    assert sorted(at.query_params["embed"]) == ["1", "true"]  # the page kept both embed values in the URL


def test_without_embed_1_the_page_is_the_whole_app():
    at = run({"type": "lieu_associe", "embed": "true"})  # Streamlit's embed mode of the whole app
    assert len(at.tabs) > 0 and not [m for m in at.markdown if FULL_MAP in m.value]


def test_the_snippet_escapes_its_texts_and_carries_both_embed_values():
    vocab = load_network().vocabulary
    view = View(types=("cantine",), statuses=vocab.default_statuses, q='a"<b>')
    code = snippet("https://carte.example.org/", view, vocab, 'Carte : "x" <y>', 900, 600)
    assert code.startswith('<iframe src="https://carte.example.org/?type=cantine&amp;q=a%22%3Cb%3E&amp;embed=true'
                           '&amp;embed=1" title="Carte : &quot;x&quot; &lt;y&gt;" width="900" height="600"')
    assert embed_link(View(types=vocab.default_types, statuses=vocab.default_statuses), vocab) \
        == "?embed=true&embed=1"
