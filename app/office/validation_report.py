"""A validation report for files people send in (returns, comparators): where, what, why.

Each issue names the file, the spreadsheet row and the column as headed in the
file, and says what is wrong in words the sender understands. Repeated issues
(the same message in hundreds of rows) are summarised, so a bad file gives a
readable report, not millions of lines.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from enum import Enum

from app.text import count_of


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    #: shown, not a problem: e.g. a value that changed since the last submission
    CHANGE = "change"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Issue:
    row: int | None
    column: str | None
    severity: Severity
    message: str

    def where(self, source_name: str) -> str:
        parts = [source_name]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column '{self.column}'")
        return ", ".join(parts)

    def describe(self, source_name: str) -> str:
        return f"{self.where(source_name)}: {self.severity}: {self.message}"


#: after this many issues with the same message, the rest are counted, not listed
REPEATS_LISTED = 5


@dataclass
class ValidationReport:
    source_name: str
    issues: list[Issue] = field(default_factory=list)
    #: what would be (or was) written: e.g. {"scores": 12, "unchanged": 3}
    counts: dict[str, int] = field(default_factory=dict)

    def error(self, row: int | None, column: str | None, message: str) -> None:
        self.issues.append(Issue(row, column, Severity.ERROR, message))

    def warning(self, row: int | None, column: str | None, message: str) -> None:
        self.issues.append(Issue(row, column, Severity.WARNING, message))

    def change(self, row: int | None, column: str | None, message: str) -> None:
        self.issues.append(Issue(row, column, Severity.CHANGE, message))

    @property
    def has_errors(self) -> bool:
        return any(i.severity is Severity.ERROR for i in self.issues)

    def of(self, severity: Severity) -> list[Issue]:
        return [i for i in self.issues if i.severity is severity]

    def lines(self) -> list[str]:
        """Every issue, errors first; repeats of one message beyond REPEATS_LISTED summarised."""
        order = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.CHANGE: 2}
        seen: Counter[tuple[Severity, str]] = Counter()
        totals = Counter((i.severity, i.message) for i in self.issues)
        out: list[str] = []
        for issue in sorted(self.issues, key=lambda i: (order[i.severity], i.row or 0)):
            key = (issue.severity, issue.message)
            seen[key] += 1
            if seen[key] <= REPEATS_LISTED:
                out.append(issue.describe(self.source_name))
            elif seen[key] == REPEATS_LISTED + 1:
                out.append(
                    f"{self.source_name}: {issue.severity}: {issue.message} "
                    f"(and {totals[key] - REPEATS_LISTED} more rows like this)"
                )
        return out

    def to_text(self) -> str:
        summary = "; ".join(f"{name}: {count}" for name, count in self.counts.items() if count)
        errors, warnings = len(self.of(Severity.ERROR)), len(self.of(Severity.WARNING))
        head = [
            f"Validation report for {self.source_name}",
            f"{count_of(errors, 'error')}, {count_of(warnings, 'warning')}" + (f"; {summary}" if summary else ""),
        ]
        return "\n".join(head + ([""] + self.lines() if self.issues else [])) + "\n"

    def first_error(self) -> str:
        """One line for a refusal: the first error and how many more."""
        errors = self.of(Severity.ERROR)
        if not errors:
            return ""
        more = f" (and {count_of(len(errors) - 1, 'more error')}; see the report)" if len(errors) > 1 else ""
        return errors[0].describe(self.source_name) + more
