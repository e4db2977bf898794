"""Widgets of the action tracker area (table model, filter proxy, dialogs, dashboard)."""
