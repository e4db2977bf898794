"""The PySide6 window: pages, dialogs, table models and workers over the services in `app/`."""

from ui.none_refcount import keep_none_alive

keep_none_alive()  # before any Qt call: see ui/none_refcount.py
