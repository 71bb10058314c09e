"""Accepted proposals as places of the map: the places contract's columns, a sourced sentence, no e-mail."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

import pandas as pd

from reseau_map.core.text import slug
from reseau_map.domain.view import View
from reseau_map.files.network import french_date
from reseau_map.files.places import COLUMNS
from reseau_map.files.schema import PROPOSED_ID_PREFIX
from reseau_map.geo.regions import regions_of_points

if TYPE_CHECKING:
    from reseau_map.contrib.store import Stored

ID_PREFIX = PROPOSED_ID_PREFIX
# Contract columns plus the optional ones a proposal knows.
PLACE_COLUMNS: tuple[str, ...] = COLUMNS + tuple(c for c in ("postcode", "insee") if c not in COLUMNS)


def place_id(receipt: str) -> str:
    """The map identifier of a proposal: « proposition-<receipt> »."""
    return ID_PREFIX + slug(receipt)


def known_place(view: View, ids: Iterable[str]) -> View:
    """The view with its place as the map spells it, whatever the case of the link's letters
    (a receipt typed from an e-mail: « proposition-K7M2ABCD »); unchanged when none matches."""
    if not view.place:
        return view
    known = {str(i).casefold(): str(i) for i in ids}
    found = known.get(view.place.casefold())
    return replace(view, place=found) if found and found != view.place else view


def source_sentence(item: Stored) -> str:
    """« Proposé le 29 novembre 2026, accepté le 30 novembre 2026. Source indiquée : … »."""
    text = f"Proposé le {french_date(item.created_at.date().isoformat())}"
    if item.decided_at is not None:
        text += f", accepté le {french_date(item.decided_at.date().isoformat())}"
    text += "."
    if item.proposal.source_text.strip():
        text += f" Source indiquée : {item.proposal.source_text.strip()}"
    return text


def places_frame(items: Sequence[Stored]) -> pd.DataFrame:
    """Proposals as a places DataFrame (contract columns, typed like the catalogue's)."""
    rows = []
    for item in items:
        p = item.proposal
        rows.append({
            "id": place_id(item.receipt), "name": p.name, "type": p.type, "status": p.status,
            "address": p.address, "postcode": p.postcode, "insee": p.insee, "city": p.city, "region": "",
            "lat": p.lat, "lon": p.lon, "precision": p.precision, "opened": pd.NA, "website": p.website,
            "description": p.description, "source": source_sentence(item),
        })
    df = pd.DataFrame(rows, columns=list(PLACE_COLUMNS))
    df["lat"] = pd.to_numeric(df["lat"], errors="coerce").astype(float)
    df["lon"] = pd.to_numeric(df["lon"], errors="coerce").astype(float)
    df["opened"] = df["opened"].astype("Int64")
    located = df["lat"].notna() & df["lon"].notna()
    if located.any():
        found = regions_of_points(df.loc[located, "lat"].to_numpy(), df.loc[located, "lon"].to_numpy())
        df.loc[located, "region"] = [r or "" for r in found]
    return df


def join_accepted(df: pd.DataFrame, accepted: pd.DataFrame) -> pd.DataFrame:
    """The places plus those accepted places whose id they do not already hold."""
    extra = accepted[~accepted["id"].isin(df["id"])] if "id" in df else accepted
    if extra.empty:
        return df
    return pd.concat([df, extra], ignore_index=True)
