"""Days as UK users type and read them (22/05/2016)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from PySide6.QtWidgets import QLineEdit

from app.dates.fuzzy import DateParseError, DatePrecision, parse_date
from app.errors import InvalidInput
from ui.kit.announce import speak


def day_from_text(text: str, what: str) -> date | None:
    """A day typed day-first ("22/05/2016"); None for blank. A month or year alone is refused."""
    if not text.strip():
        return None
    try:
        value = parse_date(text)
    except DateParseError as exc:
        raise InvalidInput(f"The {what} {text!r} cannot be read: {exc.reason}.") from None
    if value.precision is not DatePrecision.DAY:
        raise InvalidInput(f"The {what} needs a day, e.g. 22/05/2016 (not {text!r}).")
    return value.earliest()


def uk(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def uk_local_time(stamp: str, *, seconds: bool = True) -> str:
    """A stored UTC time ("2026-12-03T07:29:48...") as this computer's local time, the way UK users
    read it (03/12/2026 07:29:48); stamps are kept in UTC so members in any time zone agree."""
    if not stamp:
        return ""
    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return stamp
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone().strftime("%d/%m/%Y %H:%M:%S" if seconds else "%d/%m/%Y %H:%M")


class DateField(QLineEdit):
    """A day typed as text (dd/mm/yyyy), read whole when it is used.

    Not a QDateEdit: its section-by-section editing turned a typed 31/03/2027 into
    01/03/2027 (day 31 refused while the month was still February) and its Tab key
    moved between sections instead of leaving the box. Here Tab leaves, any form
    `parse_date` reads is accepted (22/05/2016, 22.05.16, 22-May-16), and a date
    that cannot be read is named on leaving instead of silently changed.
    """

    def __init__(self, name: str, value: date | None = None, *, required: bool = True) -> None:
        super().__init__(uk(value))
        self.name = name
        self.required = required
        self.setAccessibleName(name)
        self.setPlaceholderText("dd/mm/yyyy")
        self.setToolTip("Type the day as dd/mm/yyyy, e.g. 31/03/2027")
        self.editingFinished.connect(self._tidy)

    def _tidy(self) -> None:
        """Show a readable date in the one UK form once the user leaves the box."""
        try:
            value = day_from_text(self.text(), self.name.lower())
        except InvalidInput as exc:
            self.setToolTip(exc.message)
            speak(self, exc.message, urgent=True)  # a tooltip alone is neither seen nor heard on leaving
            return
        self.setToolTip("Type the day as dd/mm/yyyy, e.g. 31/03/2027")
        if value is not None:
            self.setText(uk(value))

    def value(self) -> date | None:
        """The day typed; InvalidInput naming the field if it cannot be read or is missing."""
        value = day_from_text(self.text(), self.name.lower())
        if value is None and self.required:
            raise InvalidInput(f"The {self.name.lower()} is missing: type it as dd/mm/yyyy, e.g. 31/03/2027.")
        return value

    def set_value(self, value: date | None) -> None:
        self.setText(uk(value))
