"""Where the map looks: the timeline keeps the whole network in view."""

import pandas as pd

from reseau_map.domain.camera import bounds_of
from reseau_map.domain.framing import frame
from reseau_map.domain.view import View

PLACES = pd.DataFrame({"id": ["rennes", "nice", "lille"], "lat": [48.11, 43.71, 50.63],
                       "lon": [-1.68, 7.26, 3.06]})
OPEN_IN_2010 = PLACES.iloc[:1]  # only Rennes


def no_region(_regions):
    return None


def test_a_year_of_the_timeline_frames_the_whole_network_not_the_few_places_open_then():
    view = View(types=(), statuses=(), year="2010")
    framed = frame(view, PLACES, OPEN_IN_2010, None, no_region)
    assert framed.fit == bounds_of(PLACES)
    assert framed.fit != bounds_of(OPEN_IN_2010)


def test_a_search_still_frames_what_it_found():
    view = View(types=(), statuses=(), q="rennes")
    assert frame(view, PLACES, OPEN_IN_2010, None, no_region).fit == bounds_of(OPEN_IN_2010)
