"""Text for matplotlib: names shown exactly as typed.

matplotlib reads text between two `$` signs as mathematics; an agency called
"Cost $A$ Ltd" (or one arriving in a bundle) would otherwise break the chart.
"""

from __future__ import annotations


def literal(text: str) -> str:
    return text.replace("$", r"\$")
