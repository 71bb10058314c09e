"""The app's session state: the only module that reads or writes `st.session_state`.

Every key the app keeps there is declared below, once. The map page keeps one `Screen`
(app/screen.py) under SCREEN, besides its widgets' own values (Streamlit keeps those under their
keys); the proposal page one `Proposing`, the moderation page one `Moderating`. A page reads its
value once per run and writes it once; callbacks read, change and write it in one step.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, cast

import streamlit as st

from reseau_map.app.screen import Screen
from reseau_map.contrib.limits import HONEYPOT_FIELD
from reseau_map.domain.view import View
from reseau_map.maps.mapview import MAP_KEY

# The map page.
SCREEN = "screen"  # its Screen
# View field -> the key of the widget that holds it.
WIDGETS: dict[str, str] = {"types": "f_types", "regions": "f_regions", "statuses": "f_statuses",
                           "q": "f_q", "year": "f_year", "choro": "f_choro", "near": "f_near"}
FACET = "f_facet_"  # a facet's multiselect, "f_facet_<facet id>"
SHOW_CLOSED = "show_closed"  # « Afficher aussi les lieux fermés »
MAP = MAP_KEY  # what the map reports (a click, the visitor's pan and zoom)
SHOW_MAP = "carte_show"  # presentation mode's map (it reports nothing)
TAB = "tab"  # the open tab (tests set it before a run: only the open tab is drawn)
TABLE = "table"  # the list, "table_<round>": a new key after « Fermer la fiche », so no row stays ticked
TABLE_PAGE = "table_page"  # the list's page
PICK = "pick"  # the keyboard's place picker, "pick_<round>_<page>"
NEAR_PICK = "near_pick"  # which of the homonyms of the typed city, "near_pick_<city>"
NEAR_SUGGEST = "near_suggest"  # a suggested city name, "near_suggest_<i>"
NEAR_PLACE = "near_place"  # a place near the typed city, "near_place_<id>"
CLOSE_PLACE = "close_place"  # « Fermer la fiche »
SHOW_DELAY = "show_delay"  # the slideshow's delay
EMBED_WIDTH = "embed_width"  # « Intégrer »: the frame's size in the snippets
EMBED_HEIGHT = "embed_height"
# The proposal page.
PROPOSING = "proposing"  # its Proposing
FORM = "contrib_"  # its fields' widgets, "contrib_<field>"
FORM_MAP = "contrib_map"
HONEYPOT = HONEYPOT_FIELD  # the field people never see
# The moderation page.
MODERATING = "moderating"  # its Moderating
REVIEW = "moderation_"  # a proposal's fields, "moderation_<id>_<field>"
REVIEW_MAP = "moderation_map"
LOGIN_FORM = "moderation_login"
# The moderation page's import (app/importer.py); a file's widgets carry its digest, so a new file starts afresh.
IMPORTING = "importing"  # its Importing
IMPORT_FILE = "import_file"  # the uploader
IMPORT_FORM = "import_form"  # the columns and categories, "import_form_<digest>"
IMPORT_COLUMN = "import_col"  # "import_col_<digest>_<our column>"
IMPORT_TYPE = "import_type"  # "import_type_<digest>_<n>": the n-th value of the type column
IMPORT_STATUS = "import_status"
IMPORT_CREDIT = "import_credit"
IMPORT_PRIVATE = "import_private"
IMPORT_MAP = "import_map"
RESTORE = "restore"  # « Restaurer », "restore_<version id>"
SOURCE_FORM = "source_form"
LOGOUT = "moderation_logout"
QUEUE_TEXT = "moderation_filter_text"  # the queue's filters, order and page (app/moderation.py)
QUEUE_SENDER = "moderation_filter_sender"
QUEUE_ORDER = "moderation_order"
QUEUE_PAGE = "moderation_queue_page"
BULK_FORM = "moderation_bulk"


@dataclass(frozen=True)
class Proposing:
    """What the proposal page remembers: the point clicked, the receipt to show, the last sending."""

    point: tuple[float, float] | None = None  # where the visitor clicked the preview map
    click_seen: object = None  # the map reports its last click on every run: a click is new once
    receipt: str = ""  # the number of the proposal just sent, said once
    reset: bool = False  # an empty form on the next run (widgets are set before they are drawn)
    last_sent: float | None = None  # when this session last sent one (one a minute)


@dataclass(frozen=True)
class Moderating:
    """What the moderation page remembers: who was let in by password, on which connection, the last decision.

    The login holds for the browser connection that typed the password (`connection`, a token of
    that connection), never for a session id presented again by another client.
    """

    reviewer: str = ""
    done: str = ""
    connection: str = ""
    since: float = 0.0  # when the password was typed (time.time())


@dataclass(frozen=True)
class Importing:
    """What the import remembers: the file read (its digest), the mapping in force (TOML, "" = the guess),
    whether its reading was logged, and the last step's sentence, said once."""

    digest: str = ""
    mapping: str = ""
    logged: bool = False
    done: str = ""


def key(prefix: str, *parts: object) -> str:
    """A widget key made of a declared prefix and parts: key(TABLE, 2) == "table_2"."""
    return "_".join([prefix.rstrip("_"), *map(str, parts)])


def widget(name: str, default: Any = None) -> Any:
    """A widget's value (what the visitor chose), or default before the widget exists."""
    return st.session_state.get(name, default)


def set_widgets(values: Mapping[str, object]) -> None:
    """Give widgets their values, before they are drawn (a seed, a reset, a clicked suggestion)."""
    st.session_state.update(values)


def mirror(source: str, target: str) -> None:
    """Keep a component's value under the key its page knows (it reports under a key of its own)."""
    st.session_state[target] = st.session_state.get(source, {})


# The map page's Screen.
def facet_widget(facet: str) -> str:
    """The key of a facet's multiselect."""
    return FACET + facet


def widget_values(view: View, latest_year: str = "", facets: Sequence[str] = ()) -> dict[str, object]:
    """The widget values that show this view (`facets`: the catalogue's facet ids)."""
    values: dict[str, object] = {
        WIDGETS["types"]: list(view.types), WIDGETS["regions"]: list(view.regions),
        WIDGETS["statuses"]: list(view.statuses), WIDGETS["q"]: view.q, WIDGETS["choro"]: view.choro,
        WIDGETS["near"]: view.near,
    }
    values |= {facet_widget(f): list(view.chosen(f)) for f in facets}
    if view.year or latest_year:
        values[WIDGETS["year"]] = view.year or latest_year
    return values


def view_from_widgets(state: Mapping[str, Any], base: View, latest_year: str = "",
                      facets: Sequence[str] = ()) -> View:
    """The view the widgets show now; `base` carries what no widget holds (place, centre, zoom, mode)."""
    # Any, as Streamlit types widget values: each one is converted to the view's type below.
    year = str(state.get(WIDGETS["year"], "") or "")
    chosen = tuple(sorted((f, tuple(v)) for f in facets
                          if (v := state.get(facet_widget(f), base.chosen(f)))))
    return replace(
        base,
        types=tuple(state.get(WIDGETS["types"], base.types)),
        regions=tuple(state.get(WIDGETS["regions"], base.regions)),
        statuses=tuple(state.get(WIDGETS["statuses"], base.statuses)),
        q=str(state.get(WIDGETS["q"], base.q) or "").strip(),
        year="" if year == latest_year else year,
        choro=bool(state.get(WIDGETS["choro"], base.choro)),
        near=str(state.get(WIDGETS["near"], base.near) or "").strip(),
        facets=chosen,
        notices=(),
    )


def screen(seed: Callable[[], View], latest_year: str = "", facets: Sequence[str] = ()) -> Screen:
    """The map page's Screen, its view as the widgets show it; on a session's first run, from `seed()` (the URL)."""
    found = st.session_state.get(SCREEN)
    if found is None:
        wanted = seed()
        set_widgets(widget_values(wanted, latest_year, facets))  # the URL decides the widgets' first values
        return Screen(view=replace(wanted, notices=()), notices=wanted.notices)
    return replace(found, view=view_from_widgets(cast(Mapping[str, object], st.session_state), found.view,
                                                 latest_year, facets))


def keep(found: Screen) -> None:
    """Write the map page's Screen (once a run, once what the run changes is known)."""
    st.session_state[SCREEN] = found


def change(event: Callable[[Screen], Screen]) -> Screen:
    """In a callback or a fragment: apply an event to the Screen (one read, one write); the new Screen."""
    found = st.session_state[SCREEN] = event(st.session_state[SCREEN])
    return found


# The contribution pages' values.
def proposing() -> Proposing:
    """The proposal page's memory."""
    return st.session_state.get(PROPOSING) or Proposing()


def keep_proposing(value: Proposing) -> None:
    """Write the proposal page's memory."""
    st.session_state[PROPOSING] = value


def moderating() -> Moderating:
    """The moderation page's memory."""
    return st.session_state.get(MODERATING) or Moderating()


def keep_moderating(value: Moderating) -> None:
    """Write the moderation page's memory."""
    st.session_state[MODERATING] = value



def importing() -> Importing:
    """The import's memory."""
    return st.session_state.get(IMPORTING) or Importing()


def keep_importing(value: Importing) -> None:
    """Write the import's memory."""
    st.session_state[IMPORTING] = value
