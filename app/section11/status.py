"""Where an agency is in the cycle: the statuses in order, and what comes next."""

from __future__ import annotations

from app.errors import InvalidInput

NOT_SENT = "not_sent"
SENT = "sent"
RETURNED = "returned"
MODERATED = "moderated"
INTERVIEW_BOOKED = "interview_booked"
INTERVIEWED = "interviewed"
LETTER_ISSUED = "letter_issued"
ACTIONS_AGREED = "actions_agreed"
CLOSED = "closed"

STATUS_LABELS: dict[str, str] = {
    NOT_SENT: "Not sent",
    SENT: "Sent",
    RETURNED: "Returned",
    MODERATED: "Moderated",
    INTERVIEW_BOOKED: "Interview booked",
    INTERVIEWED: "Interviewed",
    LETTER_ISSUED: "Letter issued",
    ACTIONS_AGREED: "Actions agreed",
    CLOSED: "Closed",
}
STATUSES = tuple(STATUS_LABELS)

NEXT_STEP: dict[str, str] = {
    NOT_SENT: "Send the return template",
    SENT: "Wait for the return (chase if late)",
    RETURNED: "Moderate the scores at the QA panel",
    MODERATED: "Book the challenge interview",
    INTERVIEW_BOOKED: "Hold the interview",
    INTERVIEWED: "Issue the feedback letter",
    LETTER_ISSUED: "Confirm the agreed actions with the agency",  # the letter already lists them
    ACTIONS_AGREED: "Monitor the actions, then close",
    CLOSED: "Nothing: closed",
}


def rank(status: str) -> int:
    return STATUSES.index(status)


def parse_status(text: str) -> str:
    wanted = text.strip().casefold().replace("-", "_").replace(" ", "_")
    for key, label in STATUS_LABELS.items():
        if wanted in (key, label.casefold().replace(" ", "_")):
            return key
    raise InvalidInput(
        f"Unknown Section 11 status {text!r}. Use one of: {', '.join(k.replace('_', '-') for k in STATUSES)}."
    )


def label(status: str) -> str:
    return STATUS_LABELS.get(status, status)
