"""Helpers shared by tests: area pages with a synchronous runner, exchange members, edit answers.

Tests import from here, never from another test module.
"""
