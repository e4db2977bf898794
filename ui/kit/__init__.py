"""The shared UI kit: controls, file choosers, UK dates, shortcuts, table models and forms for every area."""
