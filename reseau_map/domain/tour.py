"""The automatic tour of presentation mode: the timeline of the network, then place after place."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from reseau_map.files.vocabulary import MEANINGS, OPEN, Vocabulary, neutral_vocabulary

TOMORROW = "demain"


@dataclass(frozen=True)
class Slide:
    """One step of the show: a year of the timeline (places visible then) or one place."""

    kind: str  # "timeline" or "place"
    label: str  # « 2010 », « demain » or the place's name
    place_id: str = ""
    visible: tuple[str, ...] | None = None  # ids shown at this year; None = every filtered place


def tour_order(df: pd.DataFrame, vocab: Vocabulary | None = None) -> list[str]:
    """Place ids in tour order: open places by type and opening year, then projects, then the rest."""
    vocab = vocab or neutral_vocabulary()
    located = df.dropna(subset=["lat", "lon"])
    # By what a status means (open, project, closed, unknown), then by the vocabulary's order of types.
    meaning_rank = {s.id: MEANINGS.index(s.meaning) for s in vocab.statuses}
    status_rank = located["status"].map(meaning_rank).fillna(len(MEANINGS))
    type_rank = located["type"].map(vocab.type_rank).fillna(len(vocab.types))
    year = located["opened"].astype("Float64").fillna(float("inf"))
    keys = pd.DataFrame({"s": status_rank, "t": type_rank, "y": year, "n": range(len(located))},
                        index=located.index)
    order = keys.sort_values(["s", "t", "y", "n"]).index
    return located.loc[order, "id"].tolist()


def timeline(df: pd.DataFrame, launch_year: int, vocab: Vocabulary | None = None) -> list[Slide]:
    """« Le réseau en … »: each year known in the data, the launch year, then « demain »."""
    vocab = vocab or neutral_vocabulary()
    located = df.dropna(subset=["lat", "lon"])
    opened = located["opened"].astype("Float64")
    is_open = located["status"].isin(vocab.with_meaning(OPEN))
    years = sorted({int(y) for y in opened.dropna() if int(y) <= launch_year} | {launch_year})
    slides = []
    ids = located["id"].to_numpy(object)  # picked with numpy masks: .loc per year read cell by cell
    for year in years:
        # An open place with no known year was open by the launch at the latest (the source says so).
        seen = is_open & ((opened <= year).fillna(False) | (opened.isna() & (year >= launch_year)))
        slides.append(Slide("timeline", str(year), visible=tuple(ids[seen.to_numpy(dtype=bool, na_value=False)])))
    slides.append(Slide("timeline", TOMORROW, visible=tuple(ids)))
    return slides


def at_year(shown: pd.DataFrame, every: pd.DataFrame, launch_year: int, label: str,
            vocab: Vocabulary | None = None) -> pd.DataFrame:
    """The shown places that the timeline shows at one of its steps (« demain »: all of them)."""
    if label == TOMORROW:
        return shown
    step = next((s for s in timeline(every, launch_year, vocab) if s.label == label), None)
    return shown if step is None else shown[shown["id"].isin(step.visible or ())]


def slides(df: pd.DataFrame, launch_year: int, with_timeline: bool = True,
           vocab: Vocabulary | None = None) -> list[Slide]:
    """The whole show: the timeline (optional), then one slide per place in tour order."""
    names = dict(zip(df["id"], df["name"], strict=False))
    places = [Slide("place", names[pid], place_id=pid) for pid in tour_order(df, vocab)]
    return (timeline(df, launch_year, vocab) if with_timeline else []) + places
