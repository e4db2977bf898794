"""Measure the name finder and the unknown-name scan on the annotated corpus.

For each half (development, held-out) it reports:

* replacement recall: mentions of people in the register whose every letter
  was replaced; replacement precision: replaced spans that cover a real
  mention (the rest replaced an ordinary word);
* scan recall: mentions the replacement left (people not in the register,
  unlisted spellings) whose every word the scan flagged; scan precision:
  flagged words that are part of a real name;
* overall recall: mentions either replaced or flagged for the reviewer, so
  nothing reaches an export unseen ("no name missed");
* source values: each entry's "source of information" after replacement is
  listed as a source-person finding when ``source_person_words`` finds a word
  that may name someone; source recall: values still holding a mention the
  replacement left that are listed; source precision: listed values that do
  hold one (the rest are values the reviewer dismisses once each). The same
  two figures with an empty register (the review before anyone is listed:
  every value naming someone must be listed) are ``source_*_unregistered``;
* reads as expected: of the hand-written fields from the lead reviewer's trial
  (hyphenated forenames, a role before a name, possessive relations, surname
  first), those whose anonymised text is exactly what a reader should see.

Run: PYTHONPATH=. python tests/data/evaluate_anonymisation.py
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from app.chronology.name_finder import NameFinder, Person, find_suspects, source_person_words

CORPUS = Path(__file__).with_name("anonymisation_corpus.json")


@dataclass
class Scores:
    mentions: int = 0
    registered: int = 0
    replaced: int = 0
    replaced_spans: int = 0
    replaced_true: int = 0
    left: int = 0
    flagged_left: int = 0
    flags: int = 0
    flags_true: int = 0
    caught: int = 0
    flagged_words: set[str] = field(default_factory=set)
    source_values: int = 0
    source_left: int = 0
    source_left_listed: int = 0
    source_listed: int = 0
    source_listed_true: int = 0
    source_distinct_listed: set[str] = field(default_factory=set)
    source_named: int = 0
    source_named_listed: int = 0
    source_listed_raw: int = 0
    expected: int = 0
    as_expected: int = 0
    unexpected: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)
    false_replacements: list[str] = field(default_factory=list)

    @staticmethod
    def ratio(a: int, b: int) -> float:
        return a / b if b else 1.0

    def figures(self) -> dict[str, float | int]:
        return {
            "mentions": self.mentions,
            "replacement_recall": self.ratio(self.replaced, self.registered),
            "replacement_precision": self.ratio(self.replaced_true, self.replaced_spans),
            "scan_recall": self.ratio(self.flagged_left, self.left),
            "scan_precision": self.ratio(self.flags_true, self.flags),
            "overall_recall": self.ratio(self.caught, self.mentions),
            "distinct_flagged_words": len(self.flagged_words),
            "source_values": self.source_values,
            "source_recall": self.ratio(self.source_left_listed, self.source_left),
            "source_precision": self.ratio(self.source_listed_true, self.source_listed),
            "source_listed": self.source_listed,
            "distinct_source_values_listed": len(self.source_distinct_listed),
            "source_recall_unregistered": self.ratio(self.source_named_listed, self.source_named),
            "source_precision_unregistered": self.ratio(self.source_named_listed, self.source_listed_raw),
            "reads_as_expected": self.ratio(self.as_expected, self.expected),
        }


def _letters(text: str, start: int, end: int) -> set[int]:
    return {i for i in range(start, end) if text[i].isalnum()}


def _rewrite(text: str, spans: list[tuple[int, int, str]]) -> tuple[str, list[tuple[int, int, int]]]:
    """The replaced text and its unchanged segments as (new start, old start, length)."""
    out, segments, position = [], [], 0
    new_length = 0
    for start, end, replacement in spans:
        segments.append((new_length, position, start - position))
        out.append(text[position:start])
        new_length += start - position
        out.append(replacement)
        new_length += len(replacement)
        position = end
    segments.append((new_length, position, len(text) - position))
    out.append(text[position:])
    return "".join(out), segments


def _to_old(segments: list[tuple[int, int, int]], start: int, end: int) -> tuple[int, int] | None:
    for new_start, old_start, length in segments:
        if new_start <= start and end <= new_start + length:
            return old_start + (start - new_start), old_start + (end - new_start)
    return None


def evaluate(half: str) -> Scores:
    corpus = json.loads(CORPUS.read_text(encoding="utf-8"))
    finders, known, registered = {}, {}, {}
    for family in corpus["families"]:
        people = [Person(p["key"], p["real_name"], p["pseudonym"], tuple(p["other_names"])) for p in family["register"]]
        finders[family["family"]] = NameFinder(people)
        known[family["family"]] = [p["pseudonym"] for p in family["register"]]
        registered[family["family"]] = [n for p in people for n in p.names()]
    scores = Scores()
    for entry in corpus["entries"]:
        if entry["half"] != half:
            continue
        finder = finders[entry["family"]]
        for name, text in entry["fields"].items():
            mentions = [m for m in entry["mentions"] if m["field"] == name]
            if name in entry.get("expected", {}):
                scores.expected += 1
                out = finder.apply(text)
                if out == entry["expected"][name]:
                    scores.as_expected += 1
                else:
                    scores.unexpected.append(f"{out!r} (expected {entry['expected'][name]!r})")
            spans = finder.mentions(text)
            replaced_letters = set().union(*(_letters(text, s, e) for s, e, _ in spans)) if spans else set()
            new_text, segments = _rewrite(text, spans)
            flagged_letters: set[int] = set()
            mention_letters = (
                set().union(*(_letters(text, m["start"], m["end"]) for m in mentions)) if mentions else set()
            )
            for suspect in find_suspects(
                new_text, known=known[entry["family"]], registered=registered[entry["family"]]
            ):
                old = _to_old(segments, suspect.start, suspect.end)
                scores.flags += 1
                scores.flagged_words.add(suspect.key)
                if old is not None:
                    letters = _letters(text, *old)
                    flagged_letters |= letters
                    if letters & mention_letters:
                        scores.flags_true += 1
            for start, end, _ in spans:
                scores.replaced_spans += 1
                if _letters(text, start, end) & mention_letters:
                    scores.replaced_true += 1
                else:
                    scores.false_replacements.append(text[start:end])
            if name == "source":
                scores.source_values += 1
                holds_left = any(not _letters(text, m["start"], m["end"]) <= replaced_letters for m in mentions)
                listed = bool(source_person_words(new_text, known=known[entry["family"]]))
                scores.source_left += holds_left
                scores.source_left_listed += holds_left and listed
                scores.source_listed += listed
                scores.source_listed_true += listed and holds_left
                named, listed_raw = bool(mentions), bool(source_person_words(text))
                scores.source_named += named
                scores.source_listed_raw += listed_raw
                scores.source_named_listed += named and listed_raw
                if listed:
                    scores.source_distinct_listed.add(f"{entry['family']}:{' '.join(new_text.split()).casefold()}")
            for mention in mentions:
                letters = _letters(text, mention["start"], mention["end"])
                scores.mentions += 1
                is_replaced = letters <= replaced_letters
                if mention["registered"] and mention["form"] != "unlisted-variant":
                    scores.registered += 1
                    scores.replaced += is_replaced
                if not is_replaced:
                    scores.left += 1
                    remaining = letters - replaced_letters
                    if remaining <= flagged_letters:
                        scores.flagged_left += 1
                        scores.caught += 1
                    else:
                        flat = re.sub(r"\s+", " ", text)[:90]
                        scores.misses.append(f"{mention['form']}: {mention['text']!r} in {flat!r}")
                else:
                    scores.caught += 1
    return scores


def report() -> dict[str, dict[str, float | int]]:
    return {half: evaluate(half).figures() for half in ("dev", "held-out")}


if __name__ == "__main__":
    for half in ("dev", "held-out"):
        result = evaluate(half)
        print(half, json.dumps(result.figures(), indent=1))
        for miss in result.misses[:40]:
            print("  MISS", miss)
        for unexpected in result.unexpected:
            print("  READS", unexpected)
        print("  false replacements:", sorted(set(result.false_replacements))[:30])
        print("  flagged words:", sorted(result.flagged_words)[:80])
