"""Small numbers: counts under the threshold never leave the workbench as exact figures.

Every export and pack shows a count below the threshold (default 5) as
"fewer than 5" (zero too: a zero beside "fewer than 5" would give the others
away), and a rate or percentage built on such a numerator carries a flag, as
it rests on very few children.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

SMALL_FLAG = "small numbers"
#: said, beside a withheld count, instead of a verdict that would narrow "fewer than 5" down
NOT_COMPARED = "not compared (small numbers)"


@dataclass(frozen=True)
class Shown:
    text: str
    #: the figure rests on a count below the threshold (suppressed or flagged)
    small: bool
    #: the figure itself is withheld ("fewer than 5"): nothing shown beside it may give it back
    hidden: bool = False


def format_number(value: float, unit: str) -> str:
    if unit == "percent":
        return f"{value:.1f}%"
    if unit in ("rate", "days"):
        return f"{value:.1f}"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def shown(value: float | None, numerator: float | None, unit: str, threshold: int) -> Shown:
    """The figure as every export shows it."""
    if value is None:
        return Shown("no figure", False)
    if unit in ("count",) and value < threshold:
        return Shown(f"fewer than {threshold}", True, hidden=True)
    if numerator is not None and numerator < threshold:
        return Shown(f"{format_number(value, unit)} ({SMALL_FLAG})", True)
    return Shown(format_number(value, unit), False)


def same_for_every_small_count(verdict: Callable[[float], object], value: float | None, threshold: int) -> bool:
    """Would `verdict` say the same of every count under the threshold (and of `value`)? Only such a
    verdict may stand beside a withheld count: "Meets target" against a target of 0 (lower is better)
    says the count is 0, and "above" a comparator of 3.5 says it is 4."""
    counts = [float(v) for v in range(threshold)] + ([value] if value is not None else [])
    return len({verdict(v) for v in counts}) == 1


def gap_shown(
    text: str, relative: float | None, figure: Shown, value: float | None, comparator: float, threshold: int
) -> str:
    """A comparator gap as exports show it. Beside a withheld count the gap is said in words only: its
    size ("-75%" against 12) would give the count back; and not even in words where the comparator lies
    among the counts withheld ("above" 2 says 3 or 4)."""
    if not figure.hidden or relative is None:
        return text

    def side(v: float) -> str:
        return "below" if v < comparator else ("above" if v > comparator else "level")

    return side(value) if value is not None and same_for_every_small_count(side, value, threshold) else NOT_COMPARED


def withholds_a_count(values: Iterable[float | None], unit: str, threshold: int) -> bool:
    """Does the series hold a count that exports withhold? Then its mean and process limits are not
    shown either: with the other quarters' figures they give the count back (a mean of 6.6 over 6, 8,
    7, 9 and one withheld quarter gives 3)."""
    return unit == "count" and any(v is not None and v < threshold for v in values)


def limits_withheld(threshold: int) -> str:
    return f"mean and limits not shown (the series has a count under {threshold})"
