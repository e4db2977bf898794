"""Say a validation error or a finished operation's result aloud, not only in a label.

A message box is read by screen readers when it opens; a label or the status bar
changing its text is not. Every such text goes through `announce`, which writes it
and raises a Qt accessibility announcement (Qt 6.8+: AT-SPI, UI Automation and
VoiceOver speak it): assertive for errors (`urgent=True`, also an Alert event),
polite for results. `announcer().announced` repeats each announcement as a Qt signal
so tests can observe what a user of a screen reader would hear.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent, QAccessibleEvent
from PySide6.QtWidgets import QLabel, QStatusBar

#: how long a result stays in the status bar (the announcement has been spoken by then)
STATUS_MS = 8000


class Announcer(QObject):
    """Repeats each announcement: (source widget, text, urgent)."""

    announced = Signal(object, str, bool)


_announcer: Announcer | None = None


def announcer() -> Announcer:
    """The one application-wide announcer (made on first use, after the QApplication)."""
    global _announcer
    if _announcer is None:
        _announcer = Announcer()
    return _announcer


def speak(source: QObject, text: str, *, urgent: bool = False) -> None:
    """Raise the accessibility announcement of `text` from `source` (nothing for blank text).

    For text already shown elsewhere (a status callback, a widget that is not a label).
    """
    if not text.strip():
        return
    event = QAccessibleAnnouncementEvent(source, text)
    event.setPoliteness(
        QAccessible.AnnouncementPoliteness.Assertive if urgent else QAccessible.AnnouncementPoliteness.Polite
    )
    QAccessible.updateAccessibility(event)
    if urgent:
        QAccessible.updateAccessibility(QAccessibleEvent(source, QAccessible.Event.Alert))
    announcer().announced.emit(source, text, urgent)


def announce(target: QLabel | QStatusBar, text: str, *, urgent: bool = False, if_changed: bool = False) -> None:
    """Show `text` in a label or the status bar and announce it; blank text only clears.

    `if_changed` for checks that run at every keystroke: a label already saying `text`
    is not read out again (a refusal after pressing Save is, every time).
    """
    if if_changed and isinstance(target, QLabel) and target.text() == text:
        return
    if isinstance(target, QStatusBar):
        if text:
            target.showMessage(text, STATUS_MS)
        else:
            target.clearMessage()
    else:
        target.setText(text)
    speak(target, text, urgent=urgent)
