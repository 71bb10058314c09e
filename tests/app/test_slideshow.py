"""Presentation mode's state machine and scenes, driven by a virtual clock."""

import pandas as pd
import pytest

from reseau_map.app.slideshow import Show, scene
from reseau_map.domain.tour import Slide


@pytest.mark.parametrize("index, count, delta, expected", [
    (0, 5, 1, 1), (4, 5, 1, 0), (0, 5, -1, 4), (2, 0, 1, 0)])
def test_step_loops(index, count, delta, expected):
    assert Show(index=index).step(count, delta, now=3.0) == Show(index=expected, moved_at=3.0)


def test_tick_moves_only_when_the_delay_has_passed_and_playing():
    show = Show(moved_at=100.0, delay=8)
    assert show.tick(5, now=105.0) is show
    assert show.tick(5, now=108.0).index == 1
    paused = show.toggle(now=100.0)
    assert not paused.playing and paused.tick(5, now=500.0).index == 0
    assert paused.toggle(now=501.0).tick(5, now=509.0).index == 1


def test_scene_of_a_place_and_of_a_year():
    shown = pd.DataFrame({"id": ["a", "b"], "name": ["A <b>", "B"], "type": ["cantine"] * 2,
                          "status": ["ouvert", "en_projet"], "city": ["Rennes", "Brest"],
                          "region": ["Bretagne", "Bretagne"], "source": ["", ""],
                          "lat": [48.11, 48.39], "lon": [-1.68, -4.49]})
    place = scene(Slide("place", "A", place_id="a"), shown, "1/2")
    assert place.center == (48.11, -1.68) and place.zoom == 9 and len(place.visible) == 2
    assert "A &lt;b&gt;" in place.caption
    year = scene(Slide("timeline", "2010", visible=("b",)), shown, "")
    assert list(year.visible["id"]) == ["b"] and year.center is None and year.bounds
