"""Action statuses and the owner's "on track" flag, with the words the UI shows."""

from __future__ import annotations

from app.errors import InvalidInput

NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"
AWAITING_EVIDENCE = "completed_awaiting_evidence"
CLOSED_EVIDENCED = "closed_impact_evidenced"
CLOSED_NOT_ACHIEVED = "closed_not_achieved"

STATUS_LABELS: dict[str, str] = {
    NOT_STARTED: "Not started",
    IN_PROGRESS: "In progress",
    AWAITING_EVIDENCE: "Completed, awaiting evidence",
    CLOSED_EVIDENCED: "Closed, impact evidenced",
    CLOSED_NOT_ACHIEVED: "Closed, not achieved or superseded",
}
STATUSES = tuple(STATUS_LABELS)
OPEN_STATUSES = (NOT_STARTED, IN_PROGRESS)
CLOSED_STATUSES = (CLOSED_EVIDENCED, CLOSED_NOT_ACHIEVED)

#: short names accepted on the command line besides the keys themselves
STATUS_ALIASES: dict[str, str] = {
    "not-started": NOT_STARTED,
    "in-progress": IN_PROGRESS,
    "awaiting-evidence": AWAITING_EVIDENCE,
    "completed": AWAITING_EVIDENCE,
    "closed-evidenced": CLOSED_EVIDENCED,
    "closed-impact-evidenced": CLOSED_EVIDENCED,
    "closed-not-achieved": CLOSED_NOT_ACHIEVED,
    "superseded": CLOSED_NOT_ACHIEVED,
}

ON_TRACK = "on_track"
AT_RISK = "at_risk"
OFF_TRACK = "off_track"
TRACK_LABELS: dict[str, str] = {ON_TRACK: "On track", AT_RISK: "At risk", OFF_TRACK: "Off track"}


def parse_status(text: str) -> str:
    """A status key from a key, an alias or a label (any case, hyphens or underscores)."""
    wanted = text.strip().casefold()
    for key, label in STATUS_LABELS.items():
        if wanted in (key, key.replace("_", "-"), label.casefold()):
            return key
    if wanted in STATUS_ALIASES:
        return STATUS_ALIASES[wanted]
    choices = ", ".join(k.replace("_", "-") for k in STATUSES)
    raise InvalidInput(f"Unknown action status {text!r}. Use one of: {choices}.")


def parse_track(text: str) -> str:
    wanted = text.strip().casefold().replace("-", "_").replace(" ", "_")
    if wanted in TRACK_LABELS:
        return wanted
    raise InvalidInput(f"Unknown progress flag {text!r}. Use on-track, at-risk or off-track.")
