"""A benchmark rewrites only its generated figures in docs/benchmarks.md: the heading and the notes a person
wrote around them stay (they were lost at each run when the whole section was rewritten). The benchmarks
themselves are not run here: only the rewriting, on texts and on the document as it stands."""

from __future__ import annotations

import re

import pytest

from tests.bench.benchlib import DOC, block_markers, replace_block

DOCUMENT = """# Benchmarks

## Purge

A note written by hand before the figures.

<!-- bench:purge:start -->
| step | time |
| --- | ---: |
| purge | 2.15 s |
<!-- bench:purge:end -->

Why the purge got faster: a note written by hand after the figures.

## Actions

<!-- bench:actions:start -->
| step | time |
<!-- bench:actions:end -->
"""


def test_the_figures_are_replaced_and_the_notes_around_them_kept() -> None:
    text = replace_block(DOCUMENT, "purge", "| step | time |\n| --- | ---: |\n| purge | 1.96 s |\n", "## Purge")
    assert "| purge | 1.96 s |" in text and "2.15 s" not in text
    assert text == DOCUMENT.replace("| purge | 2.15 s |", "| purge | 1.96 s |")  # not a character else


def test_another_benchmark_s_block_is_left_alone() -> None:
    text = replace_block(DOCUMENT, "actions", "| step | time |\n| filter | 1.3 ms |")
    assert text == DOCUMENT.replace(
        "| step | time |\n<!-- bench:actions:end -->",
        "| step | time |\n| filter | 1.3 ms |\n<!-- bench:actions:end -->",
    )
    assert "| purge | 2.15 s |" in text


def test_a_missing_block_is_appended_under_its_heading() -> None:
    text = replace_block(DOCUMENT, "startup", "\n| program | best |\n\n", "## Start-up")
    start, end = block_markers("startup")
    assert text == DOCUMENT + f"\n## Start-up\n\n{start}\n| program | best |\n{end}\n"
    assert replace_block(text, "startup", "| program | median |") == text.replace("best", "median")


def test_a_missing_block_without_a_heading_is_appended_alone() -> None:
    start, end = block_markers("exchange")
    assert replace_block("# Benchmarks\n", "exchange", "figures") == f"# Benchmarks\n\n{start}\nfigures\n{end}\n"


def test_a_start_without_its_end_is_refused_rather_than_the_rest_of_the_document_replaced() -> None:
    cut = DOCUMENT.replace("<!-- bench:purge:end -->\n", "")
    with pytest.raises(ValueError, match="bench:purge:end"):
        replace_block(cut, "purge", "figures")


def test_every_block_of_the_document_is_whole_and_only_its_figures_are_rewritten() -> None:
    text = DOC.read_text(encoding="utf-8")
    keys = re.findall(r"<!-- bench:([a-z0-9-]+):start -->", text)
    assert {"actions", "exchange", "import-speed", "review-open", "startup", "purge"} <= set(keys)
    assert len(keys) == len(set(keys))
    for key in keys:
        start, end = block_markers(key)
        assert text.count(start) == text.count(end) == 1 and text.index(start) < text.index(end), key
        inside = text[text.index(start) + len(start) : text.index(end)]
        rewritten = replace_block(text, key, "new figures")
        assert rewritten == text.replace(inside, "\nnew figures\n", 1), key
    assert re.search(r"<!-- /?bench:[a-z0-9-]+ -->", text) is None  # no marker of the old form left
