"""Presentation mode's state machine and scenes: which slide, playing or paused, what the map shows.

The page keeps one `Show` in its session and replaces it on every button or timer tick; each
transition is a pure function of the old value and the clock, so tests drive it without waiting.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from reseau_map.app.presentation import place_caption, timeline_caption
from reseau_map.domain.tour import Slide
from reseau_map.files.vocabulary import Vocabulary
from reseau_map.geo.earth import FRANCE_BOUNDS

DELAYS: tuple[int, ...] = (5, 8, 12, 20)
DEFAULT_DELAY_S = 8
PLACE_ZOOM = 9
SLACK_S = 0.25  # the timer that wakes the page is not exact


@dataclass(frozen=True)
class Show:
    """Where the show is: slide index, playing or paused, when it last moved, the delay."""

    index: int = 0
    playing: bool = True
    moved_at: float = 0.0
    delay: int = DEFAULT_DELAY_S

    def step(self, count: int, delta: int, now: float) -> Show:
        """The show moved by delta slides (looping), restarting the delay."""
        return replace(self, index=(self.index + delta) % count if count else 0, moved_at=now)

    def toggle(self, now: float) -> Show:
        """Play if paused, pause if playing."""
        return replace(self, playing=not self.playing, moved_at=now)

    def tick(self, count: int, now: float) -> Show:
        """What the timer does: move on once the delay has passed while playing."""
        if self.playing and now - self.moved_at >= self.delay - SLACK_S:
            return self.step(count, +1, now)
        return self


@dataclass(frozen=True)
class Scene:
    """What one slide puts on screen: the places drawn, the caption card, the map's view."""

    visible: pd.DataFrame
    caption: str
    center: tuple[float, float] | None
    zoom: float | None
    bounds: list[list[float]] | None = None


def scene(slide: Slide, shown: pd.DataFrame, position: str, launch_note: str = "",
          vocab: Vocabulary | None = None) -> Scene:
    """The scene of one slide: a timeline year over all of France, or one place close up."""
    if slide.kind == "timeline":
        visible = shown[shown["id"].isin(slide.visible or ())]
        return Scene(visible, timeline_caption(slide, launch_note, FRANCE_BOUNDS), None, None, FRANCE_BOUNDS)
    row = shown[shown["id"] == slide.place_id].iloc[0]
    return Scene(shown, place_caption(row, position, vocab), (float(row["lat"]), float(row["lon"])), PLACE_ZOOM)
