"""All mapped tables. Importing this package registers every model with Base.

Each area keeps its tables in a module of its own here; they are all imported
so that migrations and the bundle code see every table without a central list.
"""

import importlib
import pkgutil

from db.models.core import Agency, AuditEntry, MemberIdentity, WorkspaceMeta

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")

__all__ = ["Agency", "AuditEntry", "MemberIdentity", "WorkspaceMeta"]
