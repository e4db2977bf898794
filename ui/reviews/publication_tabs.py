"""Glossary and anonymisation scan, timeline chart, and exports of a review.

The scan runs on the anonymised text an export would contain; the user
resolves each finding (edits the entry, or adds a glossary term) or accepts
it. An acceptance is a decision stored in the workspace with who made it and
when (``app.chronology.people.decide``), covering that text of that kind
everywhere in the review; it is what lets the anonymised export contain it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from app.chronology.anonymise import (
    KINDS,
    ScanFinding,
    add_term,
    delete_term,
    list_terms,
    update_term,
)
from app.chronology.exports import FORMATS, export_chronology, export_stamp
from app.chronology.panel_pdf import PanelOptions, export_panel_pdf
from app.chronology.people import DECISIONS, decide_findings, decisions_by_key, scan_with_decisions, undo_decision
from app.chronology.rows import EntryRow
from app.chronology.timeline import build_figure, episode_bands, render
from app.records import UnitOfWork
from app.reviews.analysis import list_episodes
from app.reviews.register import get_review
from app.store.user_files import write_user_file
from app.text import count_of
from ui import messages
from ui.areas.base import AreaContext
from ui.kit.announce import announce
from ui.kit.controls import button, check, combo, item_text, line, row_of, text_label
from ui.kit.edit_guard import TableFormGuard
from ui.kit.empty import explain_when_empty
from ui.kit.files import save_file
from ui.messages import reports_errors
from ui.widgets import read_only_item

UUID = Qt.ItemDataRole.UserRole
#: the glossary term form's draft, kept on lock and given back on unlock (issue 10, 2)
TERM_DRAFT = "reviews.glossary_term"


#: (decision, decided by, decided at) of a finding, or None while undecided
Decided = tuple[str, str, str] | None


def status_text(decided: Decided) -> str:
    """What the Status column says: the decision, who made it and when, or "To resolve"."""
    if decided is None:
        return "To resolve"
    decision, who, when = decided
    label = "Accepted" if decision == "accepted" else DECISIONS.get(decision, decision)
    said = ", ".join(p for p in (who, when[:16].replace("T", " ")) if p)
    return f"{label} ({said})" if said else label


class GlossaryTab(QWidget):
    def __init__(self, context: AreaContext, review_uuid: str, edit_entry: Callable[[str], None]) -> None:
        super().__init__()
        self.context = context
        self.review_uuid = review_uuid
        self.edit_entry = edit_entry
        self.findings: list[ScanFinding] = []
        self.decided: list[Decided] = []
        self.terms = QTableWidget(0, 2)
        explain_when_empty(
            self.terms,
            "No glossary terms yet. Add each real name or identifier with what replaces "
            "it (Mother, GP1…), or run the scan to find them.",
        )
        self.terms.setAccessibleName("Glossary: real text and its replacement")
        self.terms.setHorizontalHeaderLabels(["Real name or text", "Replaced by"])
        self.terms.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.terms.verticalHeader().hide()
        self.terms.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.real_text = line("Real text", placeholder="a name or identifier as written, e.g. Dr Jane Smith")
        self.replacement = line("Replacement", placeholder="what replaces it, e.g. GP1")
        self.guard = TableFormGuard(
            self,
            self.terms,
            {"real_text": self.real_text, "replacement": self.replacement},
            title="Glossary",
            noun="glossary term",
            save=self._save_form,
            draft_key=TERM_DRAFT,
            record=self._current_term,
            choose=self._choose_term,
            show=self._show_term,
            scope=lambda: {"review": self.review_uuid},
        )
        term_row = QHBoxLayout()
        term_row.addWidget(self.real_text, 2)
        term_row.addWidget(self.replacement, 1)
        term_row.addWidget(button("A&dd term", "Add glossary term", self.add))
        term_row.addWidget(button("Sa&ve term", "Save the selected glossary term", self.save))
        term_row.addWidget(button("Delete ter&m", "Delete the selected glossary term", self.delete))

        self.scan_table = QTableWidget(0, 5)
        self.scan_table.setAccessibleName("What still looks identifying")
        explain_when_empty(
            self.scan_table, "Nothing found yet. Scan for identifying data before exporting an anonymised chronology."
        )
        self.scan_table.setHorizontalHeaderLabels(["Status", "Kind", "Found", "Field", "Context"])
        self.scan_table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.scan_table.verticalHeader().hide()
        self.scan_table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.scan_summary = text_label("Scan summary", "Run the scan before an anonymised export.")
        scan_row = QHBoxLayout()
        scan_row.addWidget(button("&Scan for identifying data", "Scan for identifying data", self.run_scan))
        scan_row.addWidget(button("Edit the entr&y", "Edit the entry of the finding", self.edit_finding))
        scan_row.addWidget(button("Add to glossary…", "Add the found text to the glossary", self.glossary_finding))
        scan_row.addWidget(
            button(
                "Acc&ept", "Accept the selected findings (recorded with your name and the time)", self.accept_selected
            )
        )
        scan_row.addWidget(button("Accept all", "Accept every undecided finding (recorded)", self.accept_all))
        scan_row.addWidget(button("Withdraw decision", "Withdraw the decision on the selected findings", self.withdraw))
        scan_row.addStretch(1)
        scan_row.addWidget(self.scan_summary)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Glossary (whole words, any case, longest first)"))
        layout.addWidget(self.terms, 1)
        layout.addLayout(term_row)
        layout.addWidget(QLabel("Identifying-data scan of the anonymised text"))
        layout.addLayout(scan_row)
        layout.addWidget(self.scan_table, 2)
        self.reload()

    def _write(self, work: Callable[[UnitOfWork], Any]) -> bool:
        return self.context.write("Glossary", work, initiator=self)

    def reload(self) -> None:
        with self.context.workspace.reading() as session:
            terms = [(t.uuid, t.real_text, t.replacement) for t in list_terms(session, self.review_uuid)]
        current = self._current_term()
        with self.guard.quietly():  # the rows refilled: nothing to ask (typing survives it, see AreaPage)
            self.terms.setRowCount(len(terms))
            for row, (uuid, real, repl) in enumerate(terms):
                self.terms.setItem(row, 0, read_only_item(real, uuid))
                self.terms.setItem(row, 1, read_only_item(repl))
            if current is not None:
                self._choose_term(current)

    def _current_term(self) -> str | None:
        item = self.terms.item(self.terms.currentRow(), 0)
        return item.data(UUID) if item is not None else None

    def _clear_term(self) -> None:
        self.real_text.clear()
        self.replacement.clear()

    def _show_term(self) -> None:
        row = self.terms.currentRow()
        if row >= 0 and self.terms.item(row, 0) is not None:
            self.real_text.setText(item_text(self.terms, row, 0))
            self.replacement.setText(item_text(self.terms, row, 1))

    def _choose_term(self, uuid: str | None) -> bool:
        rows = [item.data(UUID) for r in range(self.terms.rowCount()) if (item := self.terms.item(r, 0))]
        if uuid is None:
            self.terms.setCurrentCell(-1, -1)
            return True
        if uuid not in rows:
            return False
        self.terms.setCurrentCell(rows.index(uuid), 0)
        return True

    def _save_form(self) -> bool:
        return self.save() if self.guard.saving_over() else self.add()

    def add(self) -> bool:
        real, repl = self.real_text.text(), self.replacement.text()
        if not self._write(lambda uow: add_term(uow, self.review_uuid, real, repl)):
            return False
        self.guard.load(None, self._clear_term, creating=True)
        return True

    def save(self) -> bool:
        uuid = self.guard.saving_over()  # the term the form was filled from
        if not uuid:
            return False
        real, repl = self.real_text.text(), self.replacement.text()
        if not self._write(lambda uow: update_term(uow, uuid, real_text=real, replacement=repl)):
            return False
        self.guard.shown(uuid)
        return True

    def delete(self) -> None:
        uuid = self._current_term()
        if uuid and messages.confirm(
            self,
            "Delete glossary term",
            f"Delete the term {item_text(self.terms, self.terms.currentRow(), 0)!r}? "
            "Anonymised views and exports will no longer replace it.",
            "Delete term",
        ):
            self._write(lambda uow: delete_term(uow, uuid))

    # -- scan ----------------------------------------------------------------------

    def run_scan(self) -> None:
        workspace, review = self.context.workspace, self.review_uuid

        def work(_progress: object) -> list[tuple[ScanFinding, Decided]]:
            with workspace.reading() as session:
                return [
                    (
                        s.finding,
                        (s.decision.decision, s.decision.decided_by, s.decision.decided_at) if s.decision else None,
                    )
                    for s in scan_with_decisions(session, review)
                ]

        self.context.run("Scanning the anonymised chronology…", work, self.show_findings)

    def show_findings(self, findings: list[tuple[ScanFinding, Decided]]) -> None:
        self.findings = [f for f, _ in findings]
        self.decided = [d for _, d in findings]
        self.scan_table.setRowCount(len(findings))
        for row, (finding, decided) in enumerate(findings):
            self.scan_table.setItem(row, 0, read_only_item(status_text(decided), finding.key))
            self.scan_table.setItem(row, 1, read_only_item(KINDS.get(finding.kind, finding.kind.replace("-", " "))))
            self.scan_table.setItem(row, 2, read_only_item(finding.matched))
            self.scan_table.setItem(row, 3, read_only_item(finding.field.replace("_", " ")))
            self.scan_table.setItem(row, 4, read_only_item(finding.context))
        left = sum(1 for d in self.decided if d is None)
        announce(
            self.scan_summary,
            f"{count_of(len(findings), 'finding')}, {left} to resolve or accept"
            if findings
            else "Nothing identifying-looking found.",
        )

    def clear_scan(self) -> None:
        self.show_findings([])
        announce(self.scan_summary, "Run the scan before an anonymised export.")

    def refresh_decisions(self) -> None:
        """The stored decisions again, for the findings listed (a decision covers its text everywhere).

        Also run when decisions change elsewhere: the People & names tab, another window, a merged bundle.
        """
        if not self.findings:
            return
        with self.context.workspace.reading() as session:
            stored = {
                key: (d.decision, d.decided_by, d.decided_at)
                for key, d in decisions_by_key(session, self.review_uuid).items()
            }
        self.show_findings([(f, stored.get(f.decision_key)) for f in self.findings])

    def _selected_findings(self) -> list[ScanFinding]:
        rows = sorted(
            {i.row() for i in self.scan_table.selectedIndexes()}
            or ({self.scan_table.currentRow()} if self.scan_table.currentRow() >= 0 else set())
        )
        return [self.findings[r] for r in rows if r < len(self.findings)]

    def _accept(self, findings: list[ScanFinding]) -> None:
        if findings and self.context.write(
            "Scan finding", lambda uow: decide_findings(uow, self.review_uuid, findings, "accepted"), initiator=self
        ):
            self.refresh_decisions()

    def accept_selected(self) -> None:
        self._accept(self._selected_findings())

    def accept_all(self) -> None:
        self._accept([f for f, d in zip(self.findings, self.decided, strict=True) if d is None])

    def withdraw(self) -> None:
        chosen = {
            f.decision_key: f
            for f, d in zip(self.findings, self.decided, strict=True)
            if d is not None and f in self._selected_findings()
        }

        def work(uow: UnitOfWork) -> None:
            for finding in chosen.values():
                undo_decision(uow, self.review_uuid, finding.matched, kind=finding.kind)

        if chosen and self.context.write("Scan finding", work, initiator=self):
            self.refresh_decisions()

    def edit_finding(self) -> None:
        chosen = self._selected_findings()
        if chosen:
            self.edit_entry(chosen[0].entry_uuid)

    def glossary_finding(self) -> None:
        chosen = self._selected_findings()
        if chosen:
            self.real_text.setText(chosen[0].matched)
            self.replacement.clear()
            self.replacement.setFocus()
            self.context.show_status("Type the replacement, then Add term; scan again afterwards.")


class TimelineTab(QWidget):
    """The swim-lane chart of the rows the chronology shows (its filters apply)."""

    def __init__(self, context: AreaContext, review_uuid: str, visible_rows: Callable[[], list[EntryRow]]) -> None:
        super().__init__()
        self.context = context
        self.review_uuid = review_uuid
        self.visible_rows = visible_rows
        self.figure = Figure(figsize=(10, 4), layout="constrained")
        self.canvas = FigureCanvasQTAgg(self.figure)
        self.canvas.setAccessibleName("Timeline chart: agencies in swim lanes over time")
        self.canvas.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.legend = QLabel("Dots: events; hollow: uncertain date; stars: significant; shaded bands: episodes.")
        row = row_of(
            button("&Draw the timeline", "Draw the timeline of the shown entries", self.draw),
            button("&Save as PNG…", "Save the timeline as PNG", lambda: self.choose_save("png")),
            button("Save as S&VG…", "Save the timeline as SVG", lambda: self.choose_save("svg")),
        )
        row.addWidget(self.legend)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.canvas, 1)

    def draw(self) -> None:
        rows = self.visible_rows()
        with self.context.workspace.reading() as session:
            bands = episode_bands(list_episodes(session, self.review_uuid))
            reference = get_review(session, self.review_uuid).reference
        build_figure(rows, bands, title=f"{reference}: {len(rows)} entries", figure=self.figure)
        self.canvas.draw_idle()

    def choose_save(self, fmt: str) -> None:
        path = save_file(
            self, f"Save the timeline as {fmt.upper()}", f"timeline-{export_stamp()}.{fmt}", f"{fmt.upper()} (*.{fmt})"
        )
        if path:
            self.save_to(Path(path), fmt)

    @reports_errors("Timeline not saved")
    def save_to(self, path: Path, fmt: str) -> None:
        if not self.figure.axes:
            self.draw()
        write_user_file(path, render(self.figure, fmt), overwrite=True)  # the save dialog asked before replacing
        self.context.show_status(f"Timeline saved to {path}")

    def clear(self) -> None:
        self.figure.clear()


class ExportTab(QWidget):
    """XLSX, DOCX or CSV of the whole chronology, or the panel PDF, optionally anonymised, to a file the user picks.

    The PDF is the panel document (``app.chronology.panel_pdf``: review, key to the agency
    abbreviations, episodes, findings, the child's words, version and DRAFT/FINAL) with the columns,
    rows, version and marking chosen in the reading view (``panel_options``), so there is one PDF of
    a chronology, not an older table-only one beside it.
    """

    def __init__(
        self,
        context: AreaContext,
        review_uuid: str,
        panel_options: Callable[[], PanelOptions] | None = None,
    ) -> None:
        super().__init__()
        self.context = context
        self.review_uuid = review_uuid
        self.panel_options = panel_options or PanelOptions
        self.format = combo(
            "Export format",
            [
                ("Excel workbook (XLSX)", "xlsx"),
                ("Word table, landscape (DOCX)", "docx"),
                ("Panel PDF: columns, rows, version and DRAFT/FINAL as in the reading view", "pdf"),
                ("CSV (formulas neutralised)", "csv"),
            ],
        )
        assert {self.format.itemData(i) for i in range(self.format.count())} == set(FORMATS)
        self.anonymised = check(
            "Anony&mised (people register and glossary applied; both scans resolved first)", "Anonymised export"
        )
        self.note = QLabel(
            "Exports are the only way chronology content leaves the encrypted workspace. "
            "Keep the file safe: it is not encrypted."
        )
        self.note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.format)
        layout.addWidget(self.anonymised)
        layout.addWidget(self.note)
        layout.addWidget(button("&Export…", "Export the chronology", self.choose_export))
        layout.addStretch(1)

    def choose_export(self) -> None:
        fmt = self.format.currentData()
        with self.context.workspace.reading() as session:
            reference = get_review(session, self.review_uuid).reference
        suffix = "-anonymised" if self.anonymised.isChecked() else ""
        path = save_file(
            self,
            "Export the chronology",
            f"{reference}-chronology{suffix}-{export_stamp()}.{fmt}",
            f"{fmt.upper()} (*.{fmt})",
        )
        if path:
            self.export_to(Path(path), fmt, self.anonymised.isChecked())

    def export_to(self, path: Path, fmt: str, anonymised: bool) -> None:
        workspace, review = self.context.workspace, self.review_uuid
        panel = replace(self.panel_options(), anonymised=anonymised) if fmt == "pdf" else None

        def work(_progress: object) -> Path:
            with workspace.reading() as session:
                if panel is not None:  # the save dialog already asked before replacing a file
                    return export_panel_pdf(session, review, panel, path, overwrite=True)
                return export_chronology(  # the save dialog asked before replacing
                    session, review, fmt, path, anonymised=anonymised, overwrite=True
                )

        self.context.run(
            f"Exporting the chronology as {fmt.upper()}…",
            work,
            lambda out: self.context.show_status(f"Exported to {out}"),
        )
