"""Records: units of work, per-field change stamps, the audit chain, references.

`from app.records import UnitOfWork, ChangeSet` is the way areas write; the
modules below are the parts (`unit_of_work`, `hlc`, `audit`, `references`).
"""

from app.records.unit_of_work import ChangeSet, UnitOfWork

__all__ = ["ChangeSet", "UnitOfWork"]
