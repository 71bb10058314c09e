"""Between the `View` and the page's widgets: seed the widgets from a view, read a view back.

Widgets keep their values in Streamlit's session state under the keys below; these two functions
are the only translation between them and the one `View` of the screen.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from reseau_map.domain.view import View

# View field -> widget key.
WIDGETS: dict[str, str] = {"types": "f_types", "regions": "f_regions", "statuses": "f_statuses",
                           "q": "f_q", "year": "f_year", "choro": "f_choro", "near": "f_near"}
PLACE_KEY = "place"  # the selected place: set by the URL, a map click, a table row, « Fermer »
SEEDED_KEY = "view_seeded"


def widget_values(view: View, latest_year: str = "") -> dict[str, object]:
    """Session-state values that make the widgets show this view."""
    values: dict[str, object] = {
        "f_types": list(view.types), "f_regions": list(view.regions), "f_statuses": list(view.statuses),
        "f_q": view.q, "f_choro": view.choro, "f_near": view.near, PLACE_KEY: view.place,
    }
    if view.year or latest_year:
        values["f_year"] = view.year or latest_year
    return values


def view_from_widgets(state: Mapping[str, object], base: View, latest_year: str = "") -> View:
    """The view the widgets show now; `base` carries what no widget holds (centre, zoom, mode)."""
    year = str(state.get("f_year", "") or "")
    return replace(
        base,
        types=tuple(state.get("f_types", base.types)),  # type: ignore[arg-type]
        regions=tuple(state.get("f_regions", base.regions)),  # type: ignore[arg-type]
        statuses=tuple(state.get("f_statuses", base.statuses)),  # type: ignore[arg-type]
        q=str(state.get("f_q", base.q) or "").strip(),
        year="" if year == latest_year else year,
        choro=bool(state.get("f_choro", base.choro)),
        near=str(state.get("f_near", base.near) or "").strip(),
        place=str(state.get(PLACE_KEY, base.place) or ""),
        notices=(),
    )
