"""Shared helpers for benchmarks: timing and writing one's own figures into docs/benchmarks.md."""

from __future__ import annotations

import csv
import platform
import random
import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

DOC = Path(__file__).resolve().parents[2] / "docs" / "benchmarks.md"


def timed(work: Callable[[], Any]) -> tuple[float, Any]:
    """(seconds, result) of one call."""
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


def best_of(repeats: int, work: Callable[[], Any]) -> float:
    """Fastest of several runs: the least disturbed by other load on a noisy machine."""
    return min(timed(work)[0] for _ in range(repeats))


def best_in_turns(rounds: int, steps: dict[str, Callable[[], Any]]) -> dict[str, float]:
    """Fastest of `rounds` runs of each step, the steps taking turns within every round, so a slow
    spell on a shared machine hits all of them rather than whichever happened to run last.
    A step returning a float reports its own time (to leave set-up out of it)."""
    best = dict.fromkeys(steps, float("inf"))
    for _ in range(rounds):
        for name, step in steps.items():
            seconds, result = timed(step)
            best[name] = min(best[name], result if isinstance(result, float) else seconds)
    return best


def machine_line() -> str:
    return f"Machine: {platform.machine()}, {platform.system()}, Python {platform.python_version()}."


def block_markers(key: str) -> tuple[str, str]:
    """The comments around bench KEY's generated figures in docs/benchmarks.md."""
    return f"<!-- bench:{key}:start -->", f"<!-- bench:{key}:end -->"


def replace_block(text: str, key: str, body: str, heading: str = "") -> str:
    """`text` with bench KEY's generated block (between its start and end markers) holding `body`.

    Only the block is replaced: what a person wrote around it (the heading, notes before and after it)
    stays as it was. A text without the block gets it at its end, under `heading` if one is given.
    A start marker without its end is refused rather than guessed at, so no notes after it are lost."""
    start, end = block_markers(key)
    block = f"{start}\n{body.strip()}\n{end}"
    first = text.find(start)
    if first < 0:
        added = f"{heading}\n\n{block}" if heading else block
        return text.rstrip() + "\n\n" + added + "\n"
    last = text.find(end, first)
    if last < 0:
        raise ValueError(f"{start} has no {end} after it")
    return text[:first] + block + text[last + len(end) :]


def write_section(key: str, body: str, heading: str = "") -> None:
    """Put this run's figures in bench KEY's block of docs/benchmarks.md (see `replace_block`); `heading`
    is written above the block only when the document does not have the block yet."""
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Benchmarks\n"
    DOC.write_text(replace_block(text, key, body, heading), encoding="utf-8")


#: the columns of the health visiting return the import benchmarks read
RETURN_HEADER = [
    "Ref",
    "Date of contact",
    "Time",
    "Source of information",
    "Details of event",
    "Outcome / action taken",
    "Was the child seen?",
]


def return_rows(count: int, seed: int = 1) -> Iterator[list[Any]]:
    """`count` rows of home visits over 2015 to 2021 (the same rows every run for one seed)."""
    rng = random.Random(seed)
    start = date(2015, 1, 1)
    for n in range(count):
        day = start + timedelta(days=rng.randrange(2500))
        yield [
            n + 1,
            day,
            "10:30" if n % 3 else None,
            "HV record",
            f"Home visit number {n} with family",
            "Advice given",
            "Yes" if n % 2 else "No",
        ]


def make_xlsx(path: Path, count: int) -> Path:
    """The return of `count` rows as an XLSX with a "Chronology" sheet, dates as date cells."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Chronology")
    sheet.append(RETURN_HEADER)
    for row in return_rows(count):
        sheet.append(row)
    book.save(path)
    return path


def make_csv(path: Path, count: int) -> Path:
    """The return of `count` rows as a CSV, dates written dd/mm/yyyy."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(RETURN_HEADER)
        for row in return_rows(count):
            row[1] = row[1].strftime("%d/%m/%Y")
            writer.writerow(row)
    return path


def add_review_of_100000_entries(workspace: Any) -> tuple[str, list[str]]:
    """A review of 100,000 dated entries across six agencies (the same rows every run): its uuid and
    the agencies' uuids."""
    import random
    from datetime import date, timedelta

    from app.agencies import add_agency
    from app.chronology.import_service import bulk_insert_entries
    from app.chronology.service import date_key
    from app.dates.fuzzy import FuzzyDate
    from app.reviews.register import add_review

    rng = random.Random(2)
    with workspace.unit_of_work() as uow:
        agencies = [add_agency(uow, f"Agency {i}", f"A{i}", colour="#c6dafc").uuid for i in range(6)]
        review_uuid: str = add_review(
            uow, kind="lcspr", title="Bench", subject_pseudonym="Child A", subject_dob=date(2014, 6, 1)
        ).uuid
        rows = []
        for n in range(100_000):
            when = FuzzyDate.of_day(date(2015, 1, 1) + timedelta(days=rng.randrange(3000)))
            rows.append(
                {
                    "sequence": n + 1,
                    "start_date": when.to_storage(),
                    "date_key": date_key(when),
                    "agency_uuid": rng.choice(agencies),
                    "source": "record",
                    "event": f"Contact {n} {'strategy meeting' if n % 50 == 0 else 'home visit'}",
                    "significant": n % 40 == 0,
                    "child_seen": bool(n % 2),
                }
            )
        bulk_insert_entries(uow, review_uuid, rows, "bench", {})
    return review_uuid, agencies
