"""Widgets of the meetings area (ui/areas/meetings.py)."""
