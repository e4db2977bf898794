"""Kept for older imports: the helpers live in tests/helpers/areas.py."""
from tests.helpers.areas import answer_save_question, immediate_context

__all__ = ["answer_save_question", "immediate_context"]
