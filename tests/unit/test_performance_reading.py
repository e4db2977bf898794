"""What the quarter's report says of each figure reads right: the direction of travel of every figure
(not only those that went down), a chart whose plot keeps its width, and rates with their unit."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from app.agencies import add_agency
from app.performance.analysis import DIRECTION_WITHHELD, load_dataset, scorecard
from app.performance.catalogue import install_starter
from app.performance.figures import import_figures
from app.performance.periods import Period
from app.store.workspace import Workspace

TODAY = date(2026, 11, 20)
HEADER = "Agency,Code,Period,Value,Numerator,Denominator\n"
#: a figure: a count or value alone, or (numerator, denominator)
Figure = float | tuple[float, float]


@pytest.fixture
def ws(workspace: Workspace) -> Iterator[Workspace]:
    with workspace.unit_of_work() as uow:
        add_agency(uow, "Children's Social Care", "CSC")
        install_starter(uow)
    yield workspace


def _import(ws: Workspace, tmp_path: Path, code: str, figures: list[Figure]) -> None:
    """CSC's `figures` of `code`, the last one for 2026Q3."""
    end = Period.parse("2026Q3")
    lines = []
    for i, figure in enumerate(figures):
        period = end - (len(figures) - 1 - i)
        cells = f",{figure[0]:g},{figure[1]:g}" if isinstance(figure, tuple) else f"{figure:g},,"
        lines.append(f"CSC,{code},{period},{cells}\n")
    path = tmp_path / f"{code}.csv"
    path.write_text(HEADER + "".join(lines), encoding="utf-8")
    with ws.unit_of_work() as uow:
        assert not import_figures(uow, path, today=TODAY).report.has_errors


@pytest.mark.parametrize(
    ("code", "figures", "direction"),
    [
        # counts, higher is better; 5 is the small-number threshold
        ("EH-ASSESS", [20, 23], "↑ improving"),
        ("EH-ASSESS", [23, 20], "↓ worsening"),
        ("EH-ASSESS", [20, 20], "→ no change"),
        # a withheld count beside a shown one: every count under 5 is below 20, so the direction tells nothing
        ("EH-ASSESS", [3, 20], "↑ improving"),
        ("EH-ASSESS", [20, 3], "↓ worsening"),
        # two withheld counts: which way they went tells them apart
        ("EH-ASSESS", [3, 2], DIRECTION_WITHHELD),
        # a percentage, lower is better, on its numerator
        ("CPP-2YR", [(10, 80), (20, 100)], "↑ worsening"),
        ("CPP-2YR", [(20, 100), (10, 80)], "↓ improving"),
        # the earlier numerator withheld: 0 to 4 of 80 is 0% to 5%, all below 12%
        ("CPP-2YR", [(3, 80), (12, 100)], "↑ worsening"),
        # ... but 4.8% lies among them: "up" would say the withheld 3 of 80 is not 4
        ("CPP-2YR", [(3, 80), (6, 125)], DIRECTION_WITHHELD),
        ("CPP-2YR", [(20, 100), (3, 80)], "↓ improving"),
        # "down" from 4.0% says a withheld 3.75% is not 5%
        ("CPP-2YR", [(5, 125), (3, 80)], DIRECTION_WITHHELD),
        ("CPP-2YR", [(3, 80), (2, 80)], DIRECTION_WITHHELD),
        # a rate per 10,000 with no polarity
        ("CPP-RATE", [(440, 100_000), (300, 100_000)], "↓ down"),
        ("CPP-RATE", [(300, 100_000), (440, 100_000)], "↑ up"),
        # 0 to 4 of 1,000 are 0 to 40 per 10,000: 60 is above all of them, 30 is not
        ("CPP-RATE", [(2, 1_000), (60, 10_000)], "↑ up"),
        ("CPP-RATE", [(2, 1_000), (30, 10_000)], DIRECTION_WITHHELD),
        ("CPP-RATE", [(60, 10_000), (2, 1_000)], "↓ down"),
    ],
)
def test_the_direction_of_travel_is_shown_unless_it_narrows_a_withheld_figure_down(
    ws: Workspace, tmp_path: Path, code: str, figures: list[Figure], direction: str
) -> None:
    """Every figure that went up read "not shown (small numbers)", though neither quarter was withheld: the
    scorecard compared the shown figure with made-up counts 0 to 4. The direction is withheld only where a
    withheld figure's counts under the threshold would not all give the one shown."""
    _import(ws, tmp_path, code, figures)
    with ws.reading() as session:
        (row,) = [r for r in scorecard(load_dataset(session)) if r.code == code]
    assert row.direction == direction
