"""Table models of the performance area: scorecard, exceptions, catalogue, an indicator's quarters.

Signals are words first: "Concern", "Improvement", "Misses target" are in the
cell text, and the background colour only repeats them.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.performance.analysis import ScoreRow
from app.performance.exceptions import ExceptionRow
from ui.kit.table_model import RIGHT, ColumnTableModel, TableColumn, number_column

SIGNAL_COLOURS = {
    "Concern": ("#fde2cf", "#000000"),
    "Improvement": ("#d6e6f7", "#000000"),
    "Special cause": ("#e8dcf4", "#000000"),
}
SPARK_COLUMN = 5


def _signal_colours(text: str) -> tuple[str, str] | None:
    return SIGNAL_COLOURS.get(text)


class ScorecardModel(ColumnTableModel[ScoreRow]):
    columns = (
        TableColumn("Code", lambda r: r.code),
        TableColumn("Indicator", lambda r: r.name, tooltip=lambda r: f"{r.name} ({r.theme})"),
        TableColumn("Agency", lambda r: r.agency),
        TableColumn("Quarter", lambda r: r.period),
        TableColumn("Latest", lambda r: r.latest, align=RIGHT),
        TableColumn("Direction of travel", lambda r: r.direction),
        TableColumn("Comparator gap", lambda r: r.comparator),
        TableColumn("SPC signal", lambda r: r.signal, colours=lambda r: _signal_colours(r.signal)),
        TableColumn("Target", lambda r: r.target),
    )


class ExceptionModel(ColumnTableModel[ExceptionRow]):
    columns = (
        TableColumn("Type", lambda r: r.kind_label),
        TableColumn("Indicator", lambda r: r.code or "Whole return", tooltip=lambda r: r.indicator),
        TableColumn("Agency", lambda r: r.agency),
        TableColumn("Detail", lambda r: r.detail),
        TableColumn("Status", lambda r: r.status_label),
        TableColumn("Commentary", lambda r: "Yes" if r.agency_commentary else "No"),
        TableColumn("Actions", lambda r: ", ".join(r.actions)),
    )


@dataclass(frozen=True)
class CatalogueRow:
    uuid: str
    code: str
    name: str
    theme: str
    unit: str
    polarity: str
    owner: str
    version: int
    active: bool


class CatalogueModel(ColumnTableModel[CatalogueRow]):
    columns = (
        TableColumn("Code", lambda r: r.code),
        TableColumn("Name", lambda r: r.name),
        TableColumn("Theme", lambda r: r.theme),
        TableColumn("Unit", lambda r: r.unit),
        TableColumn("Polarity", lambda r: r.polarity),
        TableColumn("Reported by", lambda r: r.owner or "Every agency"),
        number_column("Version", lambda r: r.version),
        TableColumn("Active", lambda r: "Yes" if r.active else "No"),
    )


@dataclass(frozen=True)
class QuarterRow:
    period: str
    value: str
    numerator: str
    denominator: str
    neighbours: str
    england: str
    signal: str


#: why a quarter's signal can differ from the chart's marker above it
WHEN_REPORTED = (
    "The signal as it stood when this quarter was the latest. The chart reads the whole series, "
    "so a run found later marks earlier quarters there too."
)


class QuarterModel(ColumnTableModel[QuarterRow]):
    columns = (
        TableColumn("Quarter", lambda r: r.period),
        TableColumn("Value", lambda r: r.value, align=RIGHT),
        TableColumn("Numerator", lambda r: r.numerator, align=RIGHT),
        TableColumn("Denominator", lambda r: r.denominator, align=RIGHT),
        TableColumn("Neighbours", lambda r: r.neighbours, align=RIGHT),
        TableColumn("England", lambda r: r.england, align=RIGHT),
        TableColumn(
            "SPC when reported",
            lambda r: r.signal,
            colours=lambda r: _signal_colours(r.signal),
            tooltip=lambda r: WHEN_REPORTED,
        ),
    )
