"""The indicator catalogue in the app: a list and an editor; a change to what is counted starts a new version."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QFormLayout,
    QHeaderView,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.agencies import list_agencies
from app.performance.catalogue import (
    FREQUENCIES,
    POLARITIES,
    STARTER_SIZE,
    UNITS,
    IndicatorDraft,
    delete_indicator,
    indicator_draft,
    install_starter,
    list_indicators,
    owner_name,
    save_indicator,
    starter_outcome,
)
from app.performance.catalogue_io import catalogue_bytes, import_catalogue
from app.records import UnitOfWork
from app.text import count_of
from ui.kit import files
from ui.kit.controls import (
    action,
    add_labelled_rows,
    button,
    check,
    combo,
    form_with_buttons,
    line,
    row_of,
    set_combo_data,
    text_box,
    text_label,
    two_panes,
)
from ui.kit.edit_guard import TableFormGuard
from ui.kit.table_model import current_key, select_key
from ui.messages import confirm, show_info
from ui.performance.models import CatalogueModel, CatalogueRow
from ui.widgets import plain_record_table

NO_TARGET = -1.0


class CataloguePanel(QWidget):
    def __init__(self, page: Any) -> None:
        super().__init__()
        self.page = page
        self.model = CatalogueModel()
        self.table = plain_record_table(
            self.model,
            "Indicator catalogue",
            empty=(
                f"No indicators yet: add the {STARTER_SIZE} built-in starter indicators (Alt+B), "
                "add your own in the form (Ctrl+N), or import a catalogue (XLSX)."
            ),
        )
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)

        self.code = line("Indicator code", placeholder="a short code, e.g. CPP-REPEAT")
        self.name = line("Indicator name")
        self.theme = line("Theme")
        self.unit = combo("Unit", [(label, key) for key, (label, _per) in UNITS.items()])
        self.polarity = combo("Polarity", [(label, key) for key, label in POLARITIES.items()])
        self.frequency = combo("Frequency", [(f.capitalize(), f) for f in FREQUENCIES])
        self.owner = combo("Reported by")
        self.source = line("Source system")
        self.numerator = text_box("Numerator", 44)
        self.denominator = text_box("Denominator", 44)
        self.definition = text_box("Definition", 60)
        self.target = QDoubleSpinBox()
        self.target.setAccessibleName("Target (none at the lowest value)")
        self.target.setRange(NO_TARGET, 1_000_000)
        self.target.setDecimals(1)
        self.target.setSpecialValueText("No target")
        self.active = check("Acti&ve", "Indicator active")
        self.new_from = line(
            "New definition from quarter", placeholder="e.g. 2026Q3 (only when what it counts changes)"
        )
        self.change_note = line("Why the definition changed")
        self.version = text_label("Indicator version")
        self.save_button = button("Save indicator", "Save indicator", self.save)
        self.new_button = button("New indicator", "New indicator", self.new)
        self.delete_button = button("De&lete", "Delete indicator", self.delete)
        self.export_button = button("E&xport XLSX…", "Export the catalogue as XLSX", self.export)
        self.import_button = button("Import XLSX…", "Import a catalogue from XLSX", self.import_file)
        self.starter_button = button(
            "Add &built-in starter indicators",
            "Add the built-in starter indicators",
            self.add_starter,
            f"The {STARTER_SIZE} common partnership indicators that come with the workbench; "
            "those already in the catalogue are left as they are.",
        )
        action(self, "Save indicator", "Ctrl+S", self.save)
        action(self, "New indicator", "Ctrl+N", self.new)
        fields = {
            "code": self.code,
            "name": self.name,
            "theme": self.theme,
            "unit": self.unit,
            "polarity": self.polarity,
            "frequency": self.frequency,
            "owner": self.owner,
            "source": self.source,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "definition": self.definition,
            "target": self.target,
            "active": self.active,
            "new_from": self.new_from,
            "change_note": self.change_note,
        }
        self.guard = TableFormGuard(
            self,
            self.table,
            fields,
            title="Indicator",
            noun="indicator",
            save=self.save,
            draft_key="performance.indicator",
            record=lambda: current_key(self.table),
            choose=self._choose,
            show=self._show_current,
        )

        form = QFormLayout()
        add_labelled_rows(
            form,
            (
                ("&Code:", self.code),
                ("&Name:", self.name),
                ("Th&eme:", self.theme),
                ("&Unit:", self.unit),
                ("&Polarity:", self.polarity),
                ("Fre&quency:", self.frequency),
                ("&Reported by:", self.owner),
                ("&Source system:", self.source),
                ("Numerat&or:", self.numerator),
                ("Deno&minator:", self.denominator),
                ("&Definition:", self.definition),
                ("&Target:", self.target),
                ("", self.active),
                ("New defin&ition from:", self.new_from),
                ("Wh&y it changed:", self.change_note),
                ("Version:", self.version),
            ),
        )
        editor = form_with_buttons(form, (self.save_button, self.new_button, self.delete_button), stretch=True)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(editor)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        io_row = row_of(self.export_button, self.import_button, self.starter_button)
        left_layout.addLayout(io_row)
        left_layout.addWidget(self.table)
        split = two_panes(left, scroll, sizes=(720, 520))
        layout = QVBoxLayout(self)
        layout.addWidget(split)
        self._blank()  # until the page's load lists the indicators and shows the first

    # -- data --------------------------------------------------------------------

    def reload(self) -> None:
        keep = self.guard.editing
        with self.page.context.workspace.reading() as session:
            rows = [
                CatalogueRow(
                    i.uuid,
                    i.code,
                    i.name,
                    i.theme,
                    UNITS[i.unit][0],
                    POLARITIES[i.polarity],
                    owner_name(session, i),
                    i.version,
                    i.active,
                )
                for i in list_indicators(session)
            ]
            agencies = [(a.short_name or a.name, a.name) for a in list_agencies(session)]
        wanted = self.owner.currentData()
        self.owner.clear()
        self.owner.addItem("Every agency", "")
        for short, name in agencies:
            self.owner.addItem(short, name)
        set_combo_data(self.owner, wanted)
        with self.guard.quietly():
            self.model.set_rows(rows)
            kept = keep is not None and select_key(self.table, keep)
        if kept or self.guard.asked_new or self.guard.keep_if_gone(keep, kept) or self.guard.dirty():
            return  # the indicator shown, a new one being added or typing whose record went (said so): left
        if not self.guard.show_first():  # the first indicator, as every list and form opens
            self._blank()  # none yet: the form for the first one

    def _show_current(self) -> None:
        uuid = current_key(self.table)
        if uuid is not None:
            self._show(uuid)

    def _choose(self, uuid: str | None) -> bool:
        """Select the indicator `uuid` again (its stored values are the baseline a draft differs from);
        a new one when it is None or gone."""
        if uuid is None or not select_key(self.table, uuid):
            self.new(ask=False)
        else:
            self._show(uuid)  # also when the row was still current under a new indicator's form
        return True

    def _show(self, uuid: str) -> None:
        with self.page.context.workspace.reading() as session:
            found = indicator_draft(session, uuid)
        if found is None:
            return
        draft, version = found
        self._fill(draft)
        self.version.setText(f"{version}")
        self.delete_button.setEnabled(True)
        self.guard.shown(uuid)

    def _fill(self, draft: IndicatorDraft) -> None:
        self.code.setText(draft.code)
        self.name.setText(draft.name)
        self.theme.setText(draft.theme)
        set_combo_data(self.unit, draft.unit)
        set_combo_data(self.polarity, draft.polarity)
        set_combo_data(self.frequency, draft.frequency)
        index = self.owner.findText(draft.owner) if draft.owner else 0
        self.owner.setCurrentIndex(max(0, index))
        self.source.setText(draft.source_system)
        self.numerator.setPlainText(draft.numerator)
        self.denominator.setPlainText(draft.denominator)
        self.definition.setPlainText(draft.definition)
        self.target.setValue(NO_TARGET if draft.target is None else draft.target)
        self.active.setChecked(draft.active)
        self.new_from.clear()
        self.change_note.clear()

    def draft(self) -> IndicatorDraft:
        target = self.target.value()
        return IndicatorDraft(
            code=self.code.text(),
            name=self.name.text(),
            theme=self.theme.text(),
            unit=self.unit.currentData(),
            polarity=self.polarity.currentData(),
            frequency=self.frequency.currentData(),
            owner=self.owner.currentData() or "",
            source_system=self.source.text(),
            numerator=self.numerator.toPlainText(),
            denominator=self.denominator.toPlainText(),
            definition=self.definition.toPlainText(),
            target=None if target <= NO_TARGET else target,
            active=self.active.isChecked(),
            new_version_from=self.new_from.text(),
            change_note=self.change_note.text(),
        )

    # -- commands ----------------------------------------------------------------

    def new(self, ask: bool = True, focus: bool = True) -> None:
        """The empty form for a new indicator (New indicator, Ctrl+N); reloads keep it until it is saved."""
        if ask and not self.guard.may_leave():
            return
        self._blank(asked=True)
        if focus:
            self.code.setFocus()

    def _blank(self, *, asked: bool = False) -> None:
        """The empty form, no row current: the row that was is not the one Save writes, and choosing it
        again shows it. `asked`: the user asked for it (New indicator), so reloads keep it."""
        with self.guard.quietly():
            self.table.selectionModel().clear()
        self.guard.load(None, lambda: self._fill(IndicatorDraft(code="", name="")), creating=True, asked=asked)
        self.version.setText("new")
        self.delete_button.setEnabled(False)

    def save(self) -> bool:
        draft = self.draft()
        existing = self.guard.saving_over()
        saved_uuid: list[str] = []

        def work(uow: UnitOfWork) -> None:
            saved_uuid.append(save_indicator(uow, draft, existing_uuid=existing).uuid)

        with self.guard.quietly():
            ok = self.page.context.write("Save indicator", work, initiator=self.page)
        if ok:
            self.guard.shown(saved_uuid[0])  # the reload selects it again
            self.page.reload()
            self.page.context.show_status(f"Saved indicator {draft.code.strip()}")
        return ok

    def delete(self) -> None:
        uuid = self.guard.editing
        if not uuid or not confirm(self, "Delete indicator", f"Delete indicator {self.code.text()}?", "Delete"):
            return
        with self.guard.quietly():
            if self.page.context.write(
                "Delete indicator", lambda uow: delete_indicator(uow, uuid), initiator=self.page
            ):
                self._blank()  # until the reload shows the first indicator left
                self.page.reload()
                self.table.setFocus()

    def export(self) -> None:
        """The catalogue as a workbook, made and written in a worker as the other exports are. The table
        lists every indicator the workbook holds, so its rows say how many were written."""
        count = len(self.model.rows)
        self.page.context.save_generated_as(
            self,
            "Export the indicator catalogue",
            "indicators.xlsx",
            "Excel workbook (*.xlsx)",
            "Writing the indicator catalogue",
            lambda session: catalogue_bytes(session)[0],
            lambda written: show_info(
                self, "Catalogue exported", f"Wrote {count_of(count, 'indicator')} to {written}."
            ),
        )

    def add_starter(self) -> None:
        """Add the starter catalogue's indicators not yet in it; a second time adds nothing."""
        with self.guard.quietly():
            self.page.context.write(
                "Add the starter indicators", install_starter, initiator=self.page, on_done=self._starter_added
            )

    def _starter_added(self, added: int) -> None:
        self.page.reload()
        self.page.context.show_status(starter_outcome(added))

    def import_file(self) -> None:
        path = files.open_file(self, "Import an indicator catalogue", "Excel workbook (*.xlsx)")
        if not path:
            return

        def work(uow: UnitOfWork) -> Any:
            report = import_catalogue(uow, Path(path))
            if report.has_errors:
                from app.errors import InvalidInput

                raise InvalidInput(report.to_text())
            return report

        def done(report: Any) -> None:
            self.page.reload()
            show_info(self, "Catalogue imported", report.to_text())

        self.page.context.write("Import the indicator catalogue", work, initiator=self.page, on_done=done)
