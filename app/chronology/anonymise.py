"""Anonymisation of a chronology: the glossary, the anonymised view, the pre-export scan.

Publication turns real names into roles or pseudonyms ("Dr Jane Smith" to
"GP1") through a per-review glossary. Replacement happens on the text before
it is rendered, never by covering text up. Before an anonymised export,
``scan`` lists what still looks identifying, and every value of the "source of
information" column that may name a person; ``app.chronology.people`` refuses
the export until every finding is either fixed (it no longer appears) or
decided by the reviewer, a decision stored with who and when and keyed by the
finding's kind and normalised text (``ScanFinding.decision_key``): the same
text found again is decided, a changed text is asked about afresh.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from app.chronology.fields import TEXT_FIELDS
from app.errors import InvalidInput
from app.records import UnitOfWork
from app.records.live import live_children, live_record
from app.reviews.analysis import list_episodes, list_findings
from app.reviews.register import get_review
from app.store.forgetting import forget_at_lock
from db.base import live
from db.models.reviews import ChronologyEntry, GlossaryTerm

if TYPE_CHECKING:
    from app.chronology.name_finder import NameFinder


# -- glossary ------------------------------------------------------------------------


def add_term(uow: UnitOfWork, review_uuid: str, real_text: str, replacement: str) -> GlossaryTerm:
    review = get_review(uow.session, review_uuid)
    real, repl = " ".join(real_text.split()), " ".join(replacement.split())
    if len(real) < 2 or not repl:
        raise InvalidInput("A glossary term needs the real text (2 characters or more) and its replacement.")
    for term in list_terms(uow.session, review.uuid):
        if term.real_text.casefold() == real.casefold():
            raise InvalidInput(f"{real!r} is already in the glossary (as {term.replacement!r}).")
    return uow.create(
        GlossaryTerm,
        summary=f"Added a glossary term to {review.reference}",
        review_uuid=review.uuid,
        real_text=real,
        replacement=repl,
    )


def update_term(
    uow: UnitOfWork, term_uuid: str, *, real_text: str | None = None, replacement: str | None = None
) -> bool:
    term = live_record(uow.session, GlossaryTerm, term_uuid, "That glossary term no longer exists.")
    changes: dict[str, Any] = {}
    if real_text is not None:
        changes["real_text"] = " ".join(real_text.split())
    if replacement is not None:
        changes["replacement"] = " ".join(replacement.split())
    if any(not v for v in changes.values()):
        raise InvalidInput("A glossary term's text and replacement cannot be empty.")
    return uow.update(term, summary="Edited a glossary term", **changes)


def delete_term(uow: UnitOfWork, term_uuid: str) -> None:
    term = live_record(uow.session, GlossaryTerm, term_uuid, "That glossary term no longer exists.")
    uow.delete(term, summary="Deleted a glossary term")


def list_terms(session: Session, review_uuid: str) -> list[GlossaryTerm]:
    return live_children(session, GlossaryTerm, GlossaryTerm.review_uuid, review_uuid, GlossaryTerm.real_text)


# -- replacement -----------------------------------------------------------------------


def _term_pattern(text: str) -> str:
    """Whole words, any case, any run of spaces between words; possessive "'s" kept."""
    words = [re.escape(w) for w in text.split()]
    body = r"\s+".join(words)
    start = r"(?<!\w)" if text[:1].isalnum() else ""
    end = r"(?!\w)" if text[-1:].isalnum() else ""
    return start + body + end


class Anonymiser:
    """Replaces every glossary term in a text, longest first ("Jane Smith" before "Jane")."""

    def __init__(self, terms: Iterable[tuple[str, str]]) -> None:
        pairs = sorted({(real, repl) for real, repl in terms if real.strip()}, key=lambda p: -len(p[0]))
        self._lookup = {" ".join(real.casefold().split()): repl for real, repl in pairs}
        self._pattern = re.compile("|".join(_term_pattern(real) for real, _ in pairs), re.IGNORECASE) if pairs else None

    @classmethod
    def for_review(cls, session: Session, review_uuid: str) -> NameFinder:
        """The review's name finder: its people register (every way each person is written) and glossary."""
        from app.chronology.people import finder_for_review

        return finder_for_review(session, review_uuid)

    def __bool__(self) -> bool:
        return self._pattern is not None

    def apply(self, text: str | None) -> str:
        if not text or self._pattern is None:
            return text or ""
        return self._pattern.sub(lambda m: self._lookup.get(" ".join(m.group(0).casefold().split()), m.group(0)), text)


# -- the identifying-data scan ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ScanFinding:
    """Something in the (already anonymised) text that still looks identifying."""

    entry_uuid: str
    field: str
    kind: str  # glossary-name, date-of-birth, nhs-number, phone, postcode, email, street-address, source-person
    matched: str
    context: str

    @property
    def key(self) -> str:
        """This text of this kind in this field of this entry (one row of the scan's list)."""
        return f"{self.entry_uuid}:{self.field}:{self.kind}:{self.matched}"

    @property
    def decision_key(self) -> tuple[str, str]:
        """What a decision is about: this kind of finding with this text, wherever it occurs in the review."""
        return self.kind, normalise_finding(self.kind, self.matched)


#: The kind of finding every value of the source-of-information column may be (``source_findings``).
SOURCE_KIND = "source-person"
KINDS = {
    "possible-name": "possible name",
    SOURCE_KIND: "source/present person",
    "glossary-name": "glossary name left",
    "date-of-birth": "date of birth",
    "nhs-number": "NHS number",
    "phone": "phone number",
    "postcode": "postcode",
    "email": "email address",
    "street-address": "street address",
}


def normalise_finding(kind: str, text: str) -> str:
    """The form a decision matches: digits of numbers, postcodes without spaces, other text folded."""
    from app.chronology.name_finder import fold

    if kind in ("phone", "nhs-number"):
        digits = re.sub(r"\D", "", text)
        return "0" + digits[2:] if kind == "phone" and digits.startswith("44") else digits
    if kind == "postcode":
        return re.sub(r"\s+", "", text).upper()
    return fold(text)


_NHS = re.compile(r"(?<!\d)(\d{3})[ -]?(\d{3})[ -]?(\d{4})(?!\d)")
_PHONE = re.compile(r"(?<![\w+])(?:\+44\s?\(?0?\)?\s?|0)(?:\d[\s-]?){9,10}(?!\d)")
_POSTCODE = re.compile(r"\b(?:[A-Z]{1,2}\d[A-Z\d]?|GIR)\s*\d[A-Z]{2}\b", re.IGNORECASE)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_STREET = re.compile(
    r"\b\d{1,4}[a-z]?,?\s+(?:[A-Z][a-z']+\s+){1,3}"
    r"(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Close|Drive|Dr|Way|Crescent|Court|Ct|Gardens|Grove|Place|"
    r"Terrace|Square|Hill|Walk|Row|Mews|Parade)\b\.?"
)
_DOB_CONTEXT = re.compile(r"\b(?:dob|d\.o\.b\.?|date of birth|born(?: on)?)\b[:\s]*", re.IGNORECASE)
_DATE_NEAR = re.compile(r"\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}|\d{1,2}(?:st|nd|rd|th)?\s+[A-Z][a-z]+\s+\d{4}")


def nhs_number_valid(digits: str) -> bool:
    """The NHS number modulus-11 check digit."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=False))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def _dob_forms(dob: date) -> list[str]:
    return [
        dob.strftime("%d/%m/%Y"),
        f"{dob.day}/{dob.month}/{dob.year}",
        dob.strftime("%d/%m/%y"),
        dob.strftime("%d.%m.%Y"),
        dob.isoformat(),
        f"{dob.day} {dob:%B} {dob.year}",
        f"{dob.day} {dob:%b} {dob.year}",
    ]


@lru_cache(maxsize=16)
def _glossary_patterns(names: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    """Each glossary name's pattern, compiled once per glossary rather than once per scanned text."""
    return tuple(re.compile(_term_pattern(name), re.IGNORECASE) for name in names)


@lru_cache(maxsize=16)
def _dob_patterns(dates_of_birth: tuple[date, ...]) -> tuple[re.Pattern[str], ...]:
    """Each written form of each date of birth, compiled once per review's dates rather than once per text."""
    return tuple(re.compile(re.escape(form), re.IGNORECASE) for dob in dates_of_birth for form in _dob_forms(dob))


@forget_at_lock
def _forget_workspace_text() -> None:
    """The compiled glossary names and dates of birth of the reviews last scanned."""
    _glossary_patterns.cache_clear()
    _dob_patterns.cache_clear()


def scan_text(
    text: str, *, glossary_names: Sequence[str] = (), dates_of_birth: Sequence[date] = ()
) -> list[tuple[str, str, int]]:
    """(kind, matched text, position) of everything identifying-looking in one text."""
    found: list[tuple[str, str, int]] = []
    if not text:
        return found
    for pattern in _glossary_patterns(tuple(glossary_names)):
        for m in pattern.finditer(text):
            found.append(("glossary-name", m.group(0), m.start()))
    for m in _NHS.finditer(text):
        if nhs_number_valid("".join(m.groups())):
            found.append(("nhs-number", m.group(0), m.start()))
    nhs_spans = {(p, p + len(t)) for k, t, p in found if k == "nhs-number"}
    for m in _PHONE.finditer(text):
        if not any(a <= m.start() < b for a, b in nhs_spans):
            found.append(("phone", m.group(0).strip(), m.start()))
    for m in _POSTCODE.finditer(text):
        found.append(("postcode", m.group(0), m.start()))
    for m in _EMAIL.finditer(text):
        found.append(("email", m.group(0), m.start()))
    for m in _STREET.finditer(text):
        found.append(("street-address", m.group(0), m.start()))
    for pattern in _dob_patterns(tuple(dates_of_birth)):
        for m in pattern.finditer(text):
            found.append(("date-of-birth", m.group(0), m.start()))
    for m in _DOB_CONTEXT.finditer(text):
        near = _DATE_NEAR.match(text, m.end())
        if near:
            found.append(("date-of-birth", near.group(0), near.start()))
    unique = {(k, t, p): None for k, t, p in found}
    return sorted(unique, key=lambda f: (f[2], f[0]))


def _context(text: str, position: int, length: int, width: int = 30) -> str:
    start, end = max(0, position - width), min(len(text), position + length + width)
    return ("…" if start else "") + text[start:end].replace("\n", " ") + ("…" if end < len(text) else "")


def scan_entries(
    entries: Iterable[ChronologyEntry],
    anonymiser: Anonymiser | NameFinder,
    *,
    glossary_names: Sequence[str],
    dates_of_birth: Sequence[date] = (),
) -> list[ScanFinding]:
    """Scan the anonymised text of entries (what the export would contain)."""
    findings: list[ScanFinding] = []
    for entry in entries:
        for name in TEXT_FIELDS:
            text = anonymiser.apply(getattr(entry, name))
            for kind, matched, position in scan_text(
                text, glossary_names=glossary_names, dates_of_birth=dates_of_birth
            ):
                findings.append(ScanFinding(entry.uuid, name, kind, matched, _context(text, position, len(matched))))
    return findings


def source_findings(
    entries: Iterable[ChronologyEntry], anonymiser: Anonymiser | NameFinder, *, known: Sequence[str]
) -> list[ScanFinding]:
    """Each entry whose anonymised source of information may still name someone (``source_person_words``).

    The agency returns' "source" column (and "who was present", which the
    importer maps to it or into the event) says who recorded or gave the
    information: a value is a finding unless the people register and glossary
    cover it or it is made only of role, agency and record words ("HV", "GP1",
    "Police log").
    """
    from app.chronology.name_finder import source_person_words

    findings: list[ScanFinding] = []
    for entry in entries:
        text = " ".join(anonymiser.apply(entry.source).split())
        if text and source_person_words(text, known=known):
            findings.append(ScanFinding(entry.uuid, "source", SOURCE_KIND, text, text))
    return findings


def review_texts(session: Session, review_uuid: str) -> list[tuple[str, str]]:
    """The review's own text an anonymised export may print beside the entries, as (where, text).

    The panel document prints the review title, each key practice episode's title and summary and each
    finding's title and text (``app.chronology.panel_pdf.collect_panel``); the scans read them like the
    entries' fields, so a name or number nobody listed there stops the export too.
    """
    review = get_review(session, review_uuid)
    texts: list[tuple[str, str]] = [("review title", review.title)]
    for episode in list_episodes(session, review.uuid):
        texts += [
            (f"KPE {episode.number} title", episode.title),
            (f"KPE {episode.number} summary", episode.description),
        ]
    for finding in list_findings(session, review.uuid):
        texts += [(f"finding {finding.number} title", finding.title), (f"finding {finding.number} text", finding.text)]
    return [(where, text or "") for where, text in texts]


def scan(session: Session, review_uuid: str, *, extra_dates_of_birth: Sequence[date] = ()) -> list[ScanFinding]:
    """What still looks identifying in a review's chronology after glossary replacement.

    Glossary names still present are reported too: the glossary matches whole
    words, so "Smiths" or a misspelling would otherwise slip through. So is every
    source-of-information value that may name a person (``source_findings``).
    """
    from app.chronology.people import known_pseudonyms

    review = get_review(session, review_uuid)
    anonymiser = Anonymiser.for_review(session, review.uuid)
    names = [t.real_text for t in list_terms(session, review.uuid)]
    dobs = [*([review.subject_dob] if review.subject_dob else []), *extra_dates_of_birth]
    entries = list(
        session.scalars(
            live(ChronologyEntry)
            .where(ChronologyEntry.review_uuid == review.uuid)
            .order_by(ChronologyEntry.date_key, ChronologyEntry.start_time, ChronologyEntry.sequence)
        )
    )
    findings = scan_entries(entries, anonymiser, glossary_names=names, dates_of_birth=dobs)
    for where, raw in review_texts(session, review.uuid):
        text = anonymiser.apply(raw)
        for kind, matched, position in scan_text(text, glossary_names=names, dates_of_birth=dobs):
            findings.append(ScanFinding("", where, kind, matched, _context(text, position, len(matched))))
    findings += source_findings(entries, anonymiser, known=known_pseudonyms(session, review.uuid))
    return findings
