"""The name finder and the unknown-name scan against plain text handling, on the annotated corpus.

Reports the time to anonymise and to scan the corpus's 1,560 texts, as ratios
against a baseline measured in the same run (case-folding every text and
splitting it into words: the least any text pass costs), and what that means
for a 100,000-entry chronology (five text fields each).

Run: PYTHONPATH=. .venv/bin/python -m pytest tests/bench/bench_anonymise.py -o addopts="" -p no:cacheprovider -q -s
Writes its figures into the bench:anonymise block of docs/benchmarks.md (the notes around it are kept).
"""

from __future__ import annotations

import json
import re

from app.chronology.name_finder import NameFinder, Person, find_suspects
from tests.bench.benchlib import best_in_turns, machine_line, write_section
from tests.data.evaluate_anonymisation import CORPUS


def test_anonymise_speed() -> None:
    corpus = json.loads(CORPUS.read_text(encoding="utf-8"))
    people = [
        Person(p["key"], p["real_name"], p["pseudonym"], tuple(p["other_names"]))
        for family in corpus["families"]
        for p in family["register"]
    ]
    finder = NameFinder(people)  # all 12 families' registers at once: 63 people, a large review
    texts = [t for e in corpus["entries"] for t in e["fields"].values()]
    replaced = [finder.apply(t) for t in texts]
    words = re.compile(r"\w+")
    best = best_in_turns(
        5,
        {
            "baseline": lambda: [words.findall(t.casefold()) for t in texts],
            "finder": lambda: [finder.apply(t) for t in texts],
            "scan": lambda: [find_suspects(t, known=["Mother"]) for t in replaced],
        },
    )
    per_100k = {k: v / len(texts) * 500_000 for k, v in best.items()}
    rows = "\n".join(
        f"| {label} | {best[k] * 1000:.1f} | {best[k] / best['baseline']:.1f}x | {per_100k[k]:.0f} s |"
        for k, label in (
            ("baseline", "case-fold and split into words (baseline)"),
            ("finder", "replace every registered name (63 people)"),
            ("scan", "scan for unlisted names"),
        )
    )
    write_section(
        "anonymise",
        f"""
{len(texts):,} texts of the annotated corpus (tests/data/anonymisation_corpus.json); best of 5 rounds taking
turns. {machine_line()}

| step | time (ms) | against baseline | 100,000 entries x 5 fields |
| --- | ---: | ---: | ---: |
{rows}

Both run off the GUI thread for exports and the scan (progress shown). At each word the finder tries only the
forms that begin with that word (a small pattern per first word, titles looking at the next word): with 63 people
one pattern of every form tried at every position took about 3.1 s here, twenty times longer.
""",
        heading="## Anonymisation: name finder and scan (chronology)",
    )
    assert best["finder"] > 0 and best["scan"] > 0
