"""What the map page remembers between runs, as one frozen value, and how each event changes it.

A `Screen` holds the `View` (its widget fields are the widgets' own, overlaid on every read by
app/state.py; the selected place, the centre, the zoom and the mode are the Screen's) and what
the page must remember besides: the URL's notices, the camera to come back to when a place's card
is closed, the map's last click, the « Toute la carte » fit, the list's round, the slideshow.
Each event is a pure method returning the next Screen, so tests drive them without Streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from reseau_map.app.slideshow import Show
from reseau_map.domain.view import View
from reseau_map.maps.layers import clicked_id

Camera = tuple[tuple[float, float] | None, float | None]  # (centre, zoom); (None, None): fit what is shown


@dataclass(frozen=True)
class Screen:
    """The map page's memory: the view and what no widget holds."""

    view: View
    notices: tuple[str, ...] = ()  # what the URL said wrong, shown until the visitor changes the view
    camera_before: Camera | None = None  # where « Fermer la fiche » goes back to
    last_click: str = ""  # the map's last click token: a pan later reports the same one
    reported: bool = False  # the view's centre and zoom came from the map itself: never sent back
    fit_round: int = 0  # « Toute la carte » presses: each one fits France anew
    fit_whole: bool = False  # fit all of France on the next run (then forgotten)
    table_round: int = 0  # « Fermer la fiche » starts a new list, so that no row stays ticked
    show: Show | None = None  # presentation mode's slideshow

    def select(self, place_id: str) -> Screen:
        """A place chosen (a click, a row, a link, the URL) or, with "", its card closed."""
        if place_id:
            before = self.camera_before if self.view.place else (self.view.center, self.view.zoom)
            return replace(self, view=self.view.with_place(place_id), camera_before=before)
        center, zoom = self.camera_before or (None, None)
        return replace(self, view=replace(self.view, place="", center=center, zoom=zoom), camera_before=None,
                       table_round=self.table_round + 1, reported=False)  # the map must go back there

    def map_reported(self, value: dict) -> Screen:
        """The map reported a click on a place (by its id) or the visitor's own pan and zoom."""
        token = value.get("last_object_clicked_tooltip")
        if token and token != self.last_click:
            clicked = replace(self, last_click=token)
            place_id = clicked_id(token)
            if place_id:
                return clicked.select(place_id)
            return clicked._moved(value)
        return self._moved(value)

    def _moved(self, value: dict) -> Screen:
        center, zoom = value.get("center"), value.get("zoom")
        if not center or zoom is None or self.view.place:
            return self
        # Where the map already is: for the URL only, never sent back (that would fight the map).
        return replace(self, view=replace(self.view, center=(center["lat"], center["lng"]), zoom=float(zoom)),
                       reported=True)

    def filtered(self) -> Screen:
        """A filter changed: the URL's centre, zoom and notices no longer apply."""
        return replace(self, view=replace(self.view, center=None, zoom=None), notices=(), reported=False)

    def whole(self) -> Screen:
        """« Toute la carte »: forget the camera and fit all of France once more."""
        return replace(self.filtered(), fit_round=self.fit_round + 1, fit_whole=True)

    def fitted(self) -> Screen:
        """The run has framed the map: a « Toute la carte » fit is done."""
        return replace(self, fit_whole=False)

    def with_mode(self, mode: str) -> Screen:
        """Presentation mode entered ("presentation") or left ("")."""
        return replace(self, view=replace(self.view, mode=mode))

    def with_notice(self, text: str) -> Screen:
        """One more notice about the URL."""
        return replace(self, notices=(*self.notices, text))

    def with_show(self, show: Show) -> Screen:
        """The slideshow moved on, paused, played or changed its delay."""
        return replace(self, show=show)

    @property
    def slideshow(self) -> Show:
        """The slideshow (a new one, at its first slide, before presentation mode starts it)."""
        return self.show or Show()

    @property
    def camera(self) -> View:
        """The view to frame the map by: without the centre and zoom the map itself reported."""
        return replace(self.view, center=None, zoom=None) if self.reported else self.view
