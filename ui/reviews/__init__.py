"""Widgets of the reviews area: register, review workspace tabs, chronology table and import."""
