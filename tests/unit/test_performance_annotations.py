"""Annotations on an indicator's charts: drawn on every chart, said in words, exchanged, refused clearly."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from app.agencies import add_agency
from app.errors import InvalidInput
from app.office.vector_charts import figure_svg
from app.performance.analysis import load_dataset
from app.performance.annotations import add_annotation, find_annotation, list_annotations, remove_annotation
from app.performance.catalogue import install_starter
from app.performance.charts import chart_description, spc_figure
from app.performance.figures import import_figures
from app.performance.periods import Period
from app.store.workspace import Workspace

TODAY = date(2026, 11, 20)
VALUES = [100, 104, 98, 101, 99, 102, 100, 140]


@pytest.fixture
def ws(workspace: Workspace, tmp_path: Path) -> Iterator[Workspace]:
    with workspace.unit_of_work() as uow:
        add_agency(uow, "Police", "Police")
        install_starter(uow)
    end = Period.parse("2026Q3")
    rows = "".join(f"Police,MISS-EPIS,{end - (len(VALUES) - 1 - i)},{v},,\n" for i, v in enumerate(VALUES))
    source = tmp_path / "figures.csv"
    source.write_text("Agency,Code,Period,Value,Numerator,Denominator\n" + rows, encoding="utf-8")
    with workspace.unit_of_work() as uow:
        import_figures(uow, source, today=TODAY)
    yield workspace


def test_an_annotation_is_drawn_on_the_chart_and_said_in_words(ws: Workspace) -> None:
    with ws.unit_of_work() as uow:
        add_annotation(uow, "miss-epis", "q3 2026", "  New  recording system ")
    with ws.reading() as session:
        data = load_dataset(session)
        assert [(a.indicator_code, a.period, a.text) for a in list_annotations(session)] == [
            ("MISS-EPIS", "2026Q3", "New recording system")
        ]
    series = next(iter(data.series.values()))
    assert "New recording system" in figure_svg(spc_figure(data, series)).decode()
    assert "annotated: 2026Q3 New recording system" in chart_description(data, series)
    # before the annotated quarter the chart says nothing of it
    assert (
        "New recording system" not in figure_svg(spc_figure(data, series, upto=Period.parse("2026Q2").index)).decode()
    )
    # unlike a definition change, the limits are not restarted: all eight quarters stay in one segment
    _chart, points = series.spc(Period.parse("2026Q3").index)
    assert len(points) == len(VALUES)


def test_bad_annotations_are_refused_with_one_clear_message_and_nothing_written(ws: Workspace) -> None:
    with ws.unit_of_work() as uow:
        add_annotation(uow, "MISS-EPIS", "2026Q3", "New recording system")
    for indicator, period, text, message in (
        ("NOPE", "2026Q3", "x", "Unknown indicator 'NOPE'"),
        ("MISS-EPIS", "2026Q5", "x", "is not a quarter"),
        ("MISS-EPIS", "2026Q3", "   ", "Write the annotation's text"),
        ("MISS-EPIS", "2026Q3", "x" * 121, "at most 120"),
        ("MISS-EPIS", "2026Q3", "new recording system", "already has the annotation"),
        ("MISS-EPIS", "2026Q3", "Reads \u202ebackwards", "right-to-left override, which is not allowed"),
    ):
        with pytest.raises(InvalidInput, match=message.replace("(", r"\(")):
            with ws.unit_of_work() as uow:
                add_annotation(uow, indicator, period, text)
    with ws.reading() as session:
        assert len(list_annotations(session)) == 1


def test_annotations_travel_to_members_and_their_removal_too(ws: Workspace, tmp_path: Path) -> None:
    from app.exchange import service
    from tests.helpers.members import introduce, make_member, send

    with ws.unit_of_work() as uow:
        add_annotation(uow, "MISS-EPIS", "2026Q2", "Service redesign")
    other = make_member(tmp_path, "Bo")
    try:
        introduce(ws, other)
        service.import_bundle(other, send(ws, [other], tmp_path / "start.bundle"))
        with other.reading() as session:
            assert [a.text for a in list_annotations(session, "MISS-EPIS")] == ["Service redesign"]
            assert load_dataset(session).annotations  # on the colleague's charts too
            uuid = find_annotation(session, "MISS-EPIS", "2026Q2", "service")
        with other.unit_of_work() as uow:
            remove_annotation(uow, uuid)
        service.import_bundle(ws, send(other, [ws], tmp_path / "back.bundle", service.Scope("since_last")))
        with ws.reading() as session:
            assert list_annotations(session) == []
        with pytest.raises(InvalidInput, match="no longer there"):
            with ws.unit_of_work() as uow:
                remove_annotation(uow, uuid)
    finally:
        other.lock()
