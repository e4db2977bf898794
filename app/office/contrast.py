"""Readable text on agency colours: WCAG 2.1 contrast ratios.

Agencies choose any colour; the chronology shows their rows in it, so the text
colour is chosen to reach at least ``AA_NORMAL_TEXT`` (4.5:1). Black or white
always reaches it: the worst background (a mid grey) still gives 4.58:1.
"""

from __future__ import annotations

import re

AA_NORMAL_TEXT = 4.5
BLACK, WHITE = "#000000", "#ffffff"
_HEX = re.compile(r"^#?([0-9a-fA-F]{6})\Z")


def _rgb(colour: str) -> tuple[float, float, float]:
    match = _HEX.match(colour.strip())
    if not match:
        raise ValueError(f"not a #rrggbb colour: {colour!r}")
    value = match.group(1)
    return int(value[0:2], 16) / 255, int(value[2:4], 16) / 255, int(value[4:6], 16) / 255


def _linear(channel: float) -> float:
    return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str) -> float:
    r, g, b = (_linear(c) for c in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: str, second: str) -> float:
    """WCAG contrast ratio, 1.0 (same) to 21.0 (black on white)."""
    a, b = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def text_colour_for(background: str) -> str:
    """Black or white, whichever contrasts more with the background (always >= 4.5:1)."""
    return BLACK if contrast_ratio(background, BLACK) >= contrast_ratio(background, WHITE) else WHITE


def meets_aa(foreground: str, background: str) -> bool:
    return contrast_ratio(foreground, background) >= AA_NORMAL_TEXT
