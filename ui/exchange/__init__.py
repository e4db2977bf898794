"""Widgets of the Exchange area: table models and dialogs for contacts, bundles and conflicts."""
