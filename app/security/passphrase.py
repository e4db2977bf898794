"""Passphrase rules and the strength shown while typing."""

from __future__ import annotations

from dataclasses import dataclass

from app.errors import WeakPassphrase

MIN_LENGTH = 12
_LABELS = ("Very weak", "Weak", "Fair", "Strong", "Very strong")


@dataclass(frozen=True)
class Strength:
    score: int  # 0..4, zxcvbn's scale
    label: str
    hint: str
    acceptable: bool


def assess(passphrase: str) -> Strength:
    """Rate a passphrase. Length is the hard rule; the score guides the user."""
    if len(passphrase) < MIN_LENGTH:
        return Strength(
            0, "Too short", f"Use at least {MIN_LENGTH} characters; a few unrelated words work well.", False
        )
    from zxcvbn import zxcvbn  # its word lists take 0.1 s to load: not needed to show the window

    result = zxcvbn(passphrase[:100])  # zxcvbn is slow on very long input
    score = int(result["score"])
    feedback = result.get("feedback") or {}
    hint = str(feedback.get("warning") or "") or " ".join(feedback.get("suggestions") or [])
    return Strength(score, _LABELS[score], hint, True)


def require_acceptable(passphrase: str) -> None:
    strength = assess(passphrase)
    if not strength.acceptable:
        raise WeakPassphrase(f"The passphrase is too short: {strength.hint}")
