"""The map page's memory (a pure Screen) and the one module that keeps it in the session."""

from pathlib import Path

import pytest

from reseau_map.app.screen import Screen
from reseau_map.app.slideshow import Show
from reseau_map.domain.view import View
from reseau_map.maps.layers import CLICK_PREFIX

PACKAGE = Path(__file__).resolve().parents[2] / "reseau_map"
URL_VIEW = View(types=("a",), statuses=("s",), center=(47.5, -2.1), zoom=9.0)


@pytest.fixture
def screen():
    return Screen(view=URL_VIEW, notices=("Paramètre « zoom=99 » ignoré.",))


def test_a_place_chosen_then_closed_brings_the_camera_back(screen):
    chosen = screen.select("rennes")
    assert chosen.view.place == "rennes" and chosen.camera_before == ((47.5, -2.1), 9.0)
    other = chosen.select("brest")  # from one place to the next: the camera to come back to stays
    assert other.view.place == "brest" and other.camera_before == ((47.5, -2.1), 9.0)
    closed = other.select("")
    assert closed.view.place == "" and (closed.view.center, closed.view.zoom) == ((47.5, -2.1), 9.0)
    assert closed.camera_before is None and closed.table_round == screen.table_round + 1  # a fresh list


def test_a_place_from_the_url_closes_to_the_whole_selection(screen):
    closed = Screen(view=URL_VIEW.with_place("rennes")).select("")
    assert (closed.view.center, closed.view.zoom) == (None, None)


def test_the_map_reports_a_click_once_and_a_pan_for_the_url_only(screen):
    token = f"{CLICK_PREFIX}1:rennes"
    clicked = screen.map_reported({"last_object_clicked_tooltip": token, "center": {"lat": 1, "lng": 2}, "zoom": 5})
    assert clicked.view.place == "rennes" and clicked.last_click == token
    # The map sends its last click again with every pan: not a new click.
    closed = clicked.select("")
    again = closed.map_reported({"last_object_clicked_tooltip": token, "center": {"lat": 48.1, "lng": -1.7},
                                 "zoom": 12})
    assert again.view.place == "" and again.view.center == (48.1, -1.7) and again.view.zoom == 12.0
    assert again.reported and again.camera.center is None  # framed by the filters, never sent back
    assert clicked.map_reported({"center": {"lat": 0, "lng": 0}, "zoom": 3}) == clicked  # a card is open


def test_a_filter_forgets_the_url_camera_and_notices_and_the_whole_map_fits_once(screen):
    filtered = screen.filtered()
    assert filtered.view.center is None and filtered.notices == () and not filtered.reported
    whole = screen.whole()
    assert whole.fit_whole and whole.fit_round == 1 and whole.view.zoom is None
    assert not whole.fitted().fit_whole and whole.whole().fit_round == 2


def test_mode_notices_and_show(screen):
    assert screen.with_mode("presentation").view.presenting
    assert screen.with_notice("x").notices == (*screen.notices, "x")
    show = Show(moved_at=1.0)
    assert screen.with_show(show).show == show and screen.show is None


def test_only_the_state_module_touches_the_session_state():
    touching = sorted(str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py")
                      if "session_state" in p.read_text(encoding="utf-8"))
    assert touching == ["app/state.py"]
