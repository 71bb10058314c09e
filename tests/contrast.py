"""WCAG 2.2 contrast ratios between sRGB colours (relative luminance, as the standard defines it).

A test helper: the tests check the palettes of the map, the atlas and the presentation with it.
"""

from __future__ import annotations

TEXT_MIN = 4.5  # 1.4.3 Contrast (Minimum), normal text
GRAPHIC_MIN = 3.0  # 1.4.11 Non-text Contrast


def luminance(color: str) -> float:
    """Relative luminance of a ``#rrggbb`` colour (0 black, 1 white)."""
    text = color.lstrip("#")
    if len(text) != 6:
        raise ValueError(f"couleur {color!r} : attendu #rrggbb")

    def channel(i: int) -> float:
        c = int(text[i:i + 2], 16) / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4)


def ratio(first: str, second: str) -> float:
    """The contrast ratio of two colours, from 1 (same) to 21 (black on white)."""
    a, b = sorted((luminance(first), luminance(second)), reverse=True)
    return (a + 0.05) / (b + 0.05)
