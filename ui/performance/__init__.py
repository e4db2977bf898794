"""Widgets of the performance data area (ui/areas/performance.py)."""
