"""Scales are data (resources/section11/scales.json); RAG follows from a score by one rule.

THE RAG RULE (the only place it is decided): a score's position on its scale is
p = (value - lowest) / (highest - lowest), a fraction from 0 to 1.

- Green when p >= 2/3 (the top third of the scale);
- Amber when 1/3 <= p < 2/3;
- Red   when p < 1/3 (the bottom third);
- no score: grey, "Not scored".

On both shipped scales (values 0-3): 0 / Not met is red, 1 / Partially is amber,
2 / Mostly and 3 / Fully are green. Exact fractions are used, so a boundary never
depends on floating-point rounding. RAG text always travels with its colour.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from pathlib import Path

from app.errors import InvalidInput

SCALES_FILE = Path(__file__).resolve().parents[2] / "resources" / "section11" / "scales.json"

RED, AMBER, GREEN, GREY = "red", "amber", "green", "grey"
RAG_LABELS = {RED: "Red", AMBER: "Amber", GREEN: "Green", GREY: "Not scored"}
#: light fills that keep black text readable (WCAG AA); the text says the same
RAG_COLOURS = {RED: "#f4b6b0", AMBER: "#fde2a7", GREEN: "#b9e4c5", GREY: "#e6e6e6"}
GREEN_FROM = Fraction(2, 3)
AMBER_FROM = Fraction(1, 3)


@dataclass(frozen=True)
class Level:
    value: int
    #: what fits in a heat-map cell: "2" or "Mostly"
    short: str
    #: the full label: "2 - Mostly in place" or "Mostly met"
    label: str


@dataclass(frozen=True)
class Scale:
    key: str
    name: str
    description: str
    levels: tuple[Level, ...]

    @property
    def lowest(self) -> int:
        return self.levels[0].value

    @property
    def highest(self) -> int:
        return self.levels[-1].value

    def values(self) -> list[int]:
        return [level.value for level in self.levels]

    def level(self, value: int) -> Level:
        for level in self.levels:
            if level.value == value:
                return level
        raise InvalidInput(
            f"{value!r} is not a score on the scale {self.name!r} (use {', '.join(ln.short for ln in self.levels)})."
        )

    def short(self, value: int | None) -> str:
        return "-" if value is None else self.level(value).short

    def label(self, value: int | None) -> str:
        return "Not scored" if value is None else self.level(value).label

    def parse(self, text: object) -> int | None:
        """A score from what a person typed or picked: its value, short form or label; blank is None."""
        if text is None:
            return None
        if isinstance(text, bool):
            raise InvalidInput(f"{text!r} is not a score on the scale {self.name!r}.")
        if isinstance(text, (int, float)):
            if float(text).is_integer() and int(text) in self.values():
                return int(text)
            raise InvalidInput(
                f"{text!r} is not a score on the scale {self.name!r} (use {', '.join(ln.short for ln in self.levels)})."
            )
        wanted = " ".join(str(text).split()).casefold()
        if not wanted:
            return None
        for level in self.levels:
            if wanted in (str(level.value), level.short.casefold(), level.label.casefold()):
                return level.value
        raise InvalidInput(
            f"{str(text)!r} is not a score on the scale {self.name!r} "
            f"(use {', '.join(ln.short for ln in self.levels)})."
        )

    def position(self, value: int) -> Fraction:
        self.level(value)
        if self.highest == self.lowest:
            return Fraction(1)
        return Fraction(value - self.lowest, self.highest - self.lowest)

    def rag(self, value: int | None) -> str:
        """The RAG key of a score by THE RAG RULE above."""
        if value is None:
            return GREY
        p = self.position(value)
        if p >= GREEN_FROM:
            return GREEN
        if p >= AMBER_FROM:
            return AMBER
        return RED

    def is_bottom(self, value: int | None) -> bool:
        return value is not None and value == self.lowest

    def is_not_met(self, value: int | None) -> bool:
        """Red on the RAG rule: what "not met" means for lines of enquiry."""
        return value is not None and self.rag(value) == RED


def rag_label(rag: str) -> str:
    return RAG_LABELS[rag]


def _level(raw: dict) -> Level:
    return Level(int(raw["value"]), str(raw["short"]), str(raw["label"]))


@lru_cache(maxsize=1)
def _load() -> dict[str, Scale]:
    data = json.loads(SCALES_FILE.read_text(encoding="utf-8"))
    scales = {}
    for raw in data["scales"]:
        levels = tuple(sorted((_level(ln) for ln in raw["levels"]), key=lambda ln: ln.value))
        scales[raw["key"]] = Scale(raw["key"], raw["name"], raw.get("description", ""), levels)
    return scales


def all_scales() -> list[Scale]:
    return list(_load().values())


def get_scale(key: str) -> Scale:
    scale = _load().get(key)
    if scale is None:
        raise InvalidInput(f"Unknown scale {key!r}. Use one of: {', '.join(_load())}.")
    return scale


def find_scale(text: str) -> Scale:
    """By key or name, ignoring case."""
    wanted = text.strip().casefold()
    for scale in _load().values():
        if wanted in (scale.key.casefold(), scale.name.casefold()):
            return scale
    return get_scale(text.strip())


DEFAULT_SCALE = "score-0-3"
