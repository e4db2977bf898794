"""Small numbers: counts under the threshold never leave the workbench as exact figures.

Every export and pack shows a count below the threshold (default 5) as
"fewer than 5" (zero too: a zero beside "fewer than 5" would give the others
away), and withholds a rate or percentage built on such a numerator as well:
"3.8%" of the 80 plans ended in a quarter, a figure published elsewhere, is 3
plans, and a flag saying the numerator is under 5 would only narrow it down.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

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
        # with its denominator (often published elsewhere) the rate is the count again
        return Shown(f"not shown (numerator fewer than {threshold})", True, hidden=True)
    return Shown(format_number(value, unit), False)


def withheld_values(
    value: float | None, numerator: float | None, denominator: float | None, unit: str, per: float, threshold: int
) -> list[float] | None:
    """The values a figure `shown` withholds could be, one for each count under the threshold (a count
    itself; a rate's numerator over its denominator, which readers may know); None for a figure shown."""
    if value is None or not shown(value, numerator, unit, threshold).hidden:
        return None
    if unit == "count":
        return [float(count) for count in range(threshold)]
    if not denominator:
        return [value]
    return [count / denominator * per for count in range(threshold)]


def same_for_every_small_count(
    verdict: Callable[[float], object],
    value: float | None,
    threshold: int,
    candidates: Sequence[float] | None = None,
) -> bool:
    """Would `verdict` say the same of every count under the threshold (and of `value`)? Only such a
    verdict may stand beside a withheld count: "Meets target" against a target of 0 (lower is better)
    says the count is 0, and "above" a comparator of 3.5 says it is 4. A withheld rate passes the rates
    of those counts as `candidates` (`withheld_values`)."""
    counts = list(candidates) if candidates is not None else [float(v) for v in range(threshold)]
    counts += [value] if value is not None else []
    return len({verdict(v) for v in counts}) == 1


def gap_shown(
    text: str,
    relative: float | None,
    figure: Shown,
    value: float | None,
    comparator: float,
    threshold: int,
    candidates: Sequence[float] | None = None,
) -> str:
    """A comparator gap as exports show it. Beside a withheld count the gap is said in words only: its
    size ("-75%" against 12) would give the count back; and not even in words where the comparator lies
    among the counts withheld ("above" 2 says 3 or 4)."""
    if not figure.hidden or relative is None:
        return text

    def side(v: float) -> str:
        return "below" if v < comparator else ("above" if v > comparator else "level")

    told = value is not None and same_for_every_small_count(side, value, threshold, candidates)
    return side(value) if told and value is not None else NOT_COMPARED


def withholds_a_count(withheld: Iterable[Sequence[float] | None]) -> bool:
    """Does the series hold a figure that exports withhold (`withheld_values` of each point)? Then its
    mean and process limits are not shown either: with the other quarters' figures they give the count
    back (a mean of 6.6 over 6, 8, 7, 9 and one withheld quarter gives 3)."""
    return any(w is not None for w in withheld)


def limits_withheld(threshold: int) -> str:
    return f"mean and limits not shown (the series has a count under {threshold})"
