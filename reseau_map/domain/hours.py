"""Opening hours in OpenStreetMap's `opening_hours` format, said as a French week.

« Mo-Fr 09:00-12:00,14:00-18:00; Sa 10:00-12:00 » reads « Du lundi au vendredi : 9 h – 12 h et
14 h – 18 h · Samedi : 10 h – 12 h · Dimanche : fermé ». The common part of the format is read
(days, day ranges, times, `off`, `24/7`, public holidays); anything else returns None, and the
card shows the text as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
NAMES = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
TIME = r"(?:[01]?\d|2[0-4]):[0-5]\d"
SPAN = re.compile(rf"^({TIME})\s*-\s*({TIME})\+?$")
DAY_PART = re.compile(r"^(Mo|Tu|We|Th|Fr|Sa|Su)(?:\s*-\s*(Mo|Tu|We|Th|Fr|Sa|Su))?$")
RULE = re.compile(rf"^(?P<days>(?:(?:Mo|Tu|We|Th|Fr|Sa|Su|PH)(?:\s*-\s*(?:Mo|Tu|We|Th|Fr|Sa|Su))?\s*,?\s*)+)?\s*"
                  rf"(?P<what>off|closed|(?:{TIME}\s*-\s*{TIME}\+?\s*,?\s*)+)?$")
HOURS_SHARE = 0.6  # a column is in the format when this share of its values read


def _time(text: str) -> str:
    hours, minutes = text.split(":")
    return f"{int(hours)}\u00a0h" + (f"\u00a0{minutes}" if minutes != "00" else "")


def parse(text: str) -> dict[int, list[tuple[str, str]]] | None:
    """Day (0 = Monday) -> its opening spans (start, end), from an opening_hours text; None if unread."""
    text = " ".join(str(text).split())
    if not text:
        return None
    if text == "24/7":
        return {d: [("00:00", "24:00")] for d in range(7)}
    week: dict[int, list[tuple[str, str]]] = {}
    for rule in (r.strip() for r in text.split(";")):
        if not rule:
            continue
        found = RULE.match(rule)
        if not found or not (found["days"] or found["what"]):
            return None
        days = _days(found["days"] or "Mo-Su")
        if days is None:
            return None
        what = (found["what"] or "").strip()
        spans = [] if what in ("off", "closed") else [tuple(SPAN.match(s.strip()).groups())  # type: ignore[union-attr]
                                                       for s in what.split(",") if s.strip()]
        if not spans and what not in ("off", "closed"):
            return None
        for d in days:
            week[d] = list(spans)  # a later rule replaces an earlier one for its days, as in the format
    return week


def _days(text: str) -> list[int] | None:
    days: list[int] = []
    for part in (p.strip() for p in text.split(",")):
        if not part or part == "PH":  # public holidays: not a day of the week
            continue
        found = DAY_PART.match(part)
        if not found:
            return None
        start = DAYS.index(found[1])
        end = DAYS.index(found[2]) if found[2] else start
        days += [d % 7 for d in range(start, end + 1 if end >= start else end + 8)]
    return days


def french_week(text: str) -> str | None:
    """The opening hours as French lines joined by « · », None when the text is not in the format."""
    week = parse(text)
    if week is None:
        return None
    said = [" et ".join("24 h sur 24" if (a, b) == ("00:00", "24:00") else f"{_time(a)} – {_time(b)}"
                        for a, b in week[d]) if week.get(d) else "fermé" for d in range(7)]
    if any(d not in week for d in range(7)) and not any(week.values()):
        return None
    lines, d = [], 0
    while d < 7:
        end = d
        while end + 1 < 7 and said[end + 1] == said[d]:
            end += 1
        days = "Tous les jours" if (d, end) == (0, 6) else NAMES[d].capitalize() if end == d else (
            f"{NAMES[d].capitalize()} et {NAMES[end]}" if end == d + 1 else f"Du {NAMES[d]} au {NAMES[end]}")
        lines.append(f"{days}\u00a0: {said[d]}")
        d = end + 1
    return " · ".join(lines)


def is_hours_column(values: Iterable[str]) -> bool:
    """Whether most of a column's non-empty values are in the opening_hours format."""
    given = [v for v in values if str(v).strip()]
    return bool(given) and sum(parse(v) is not None for v in given) / len(given) >= HOURS_SHARE
