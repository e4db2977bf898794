"""Counts read as English ("1 action", "3 actions"), and "action(s)" cannot creep back into the product."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from app.text import count_of, noun_for, plural_of

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("n", "expected"),
    [(0, "0 actions"), (1, "1 action"), (2, "2 actions"), (1000, "1,000 actions"), (-1, "-1 actions")],
)
def test_a_count_agrees_with_its_noun(n: int, expected: str) -> None:
    assert count_of(n, "action") == expected


def test_irregular_and_phrase_plurals() -> None:
    assert count_of(1, "entry", "entries") == "1 entry"
    assert count_of(3, "entry", "entries") == "3 entries"
    assert count_of(2, "child", "children") == "2 children"
    assert count_of(2, "agency step") == "2 agency steps"
    assert count_of(2, "chronology entry") == "2 chronology entries"  # the default knows consonant + y
    assert count_of(2, "working day") == "2 working days"
    assert count_of(12_345, "person") == "12,345 people"


def test_the_word_alone_agrees_for_lists_and_verbs() -> None:
    assert noun_for(1, "column") == "column" and noun_for(2, "column") == "columns"
    assert noun_for(1, "was", "were") == "was" and noun_for(0, "was", "were") == "were"


@pytest.mark.parametrize(
    ("noun", "plural"),
    [("Action", "Actions"), ("Chronology entry", "Chronology entries"), ("Person", "People"), ("Survey", "Surveys")],
)
def test_plural_of_a_noun_phrase(noun: str, plural: str) -> None:
    assert plural_of(noun) == plural


def _texts(tree: ast.AST) -> list[tuple[int, str]]:
    """The string constants of a module, f-string parts included, docstrings left out (they are not shown)."""
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]


def test_no_user_facing_text_says_s_in_brackets() -> None:
    """Counts like "3 action(s)" read as a form letter: every one goes through app.text.count_of instead."""
    offenders = []
    for path in [ROOT / "main.py", *sorted((ROOT / "app").rglob("*.py")), *sorted((ROOT / "ui").rglob("*.py"))]:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        offenders += [f"{path.relative_to(ROOT)}:{line}: {text!r}" for line, text in _texts(tree) if "(s)" in text]
    assert offenders == []


def test_the_scan_sees_f_string_parts_but_not_comments_or_docstrings() -> None:
    source = '"""Some action(s)."""\nn = 2  # action(s)\nx = f"{n} action(s)"\n'
    assert [text for _, text in _texts(ast.parse(source)) if "(s)" in text] == [" action(s)"]
