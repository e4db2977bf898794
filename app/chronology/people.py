"""A review's people register and the scan for names it does not know yet.

The register says who the chronology is about and what replaces each of them
in anonymised text; ``finder_for_review`` turns it (and the older glossary)
into a ``NameFinder``. ``name_suspects`` lists the capitalised, name-like
words that are still in the anonymised text; each must be decided before an
anonymised export: added to the register (a person, or another name of one)
or dismissed as not identifying. Decisions are kept per review with who made
them and when (``ScanDecision``), and travel in bundles like the register.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.chronology.fields import TEXT_FIELDS
from app.chronology.name_finder import NameFinder, Person, find_suspects, fold
from app.clock import utc_timestamp
from app.errors import InvalidInput
from app.records import UnitOfWork
from app.reviews.register import get_review
from app.text import count_of, noun_for
from db.base import live
from db.models.core import MemberIdentity
from db.models.people import ReviewPerson, ScanDecision
from db.models.reviews import ChronologyEntry, GlossaryTerm

DECISIONS = {"not-identifying": "Not identifying", "added": "Added to the register"}


def _clean(text: str) -> str:
    return " ".join((text or "").split())


def _clean_names(names: Iterable[str]) -> list[str]:
    out: list[str] = []
    for name in names:
        name = _clean(name)
        if name and fold(name) not in {fold(n) for n in out}:
            out.append(name)
    return out


# -- the register -----------------------------------------------------------------------


def list_people(session: Session, review_uuid: str) -> list[ReviewPerson]:
    return list(
        session.scalars(
            live(ReviewPerson).where(ReviewPerson.review_uuid == review_uuid).order_by(ReviewPerson.pseudonym)
        )
    )


def _check_person(
    session: Session,
    review_uuid: str,
    real_name: str,
    pseudonym: str,
    other_names: Sequence[str],
    skip_uuid: str | None = None,
) -> None:
    if len(real_name) < 2:
        raise InvalidInput("A person needs a real name (2 characters or more).")
    if not pseudonym:
        raise InvalidInput(f"{real_name!r} needs a pseudonym (for example Child A, Mother, GP1).")
    if fold(pseudonym) in {fold(n) for n in (real_name, *other_names)}:
        raise InvalidInput(f"The pseudonym of {real_name!r} cannot be one of their real names.")
    for other in list_people(session, review_uuid):
        if other.uuid == skip_uuid:
            continue
        if fold(other.pseudonym) == fold(pseudonym):
            raise InvalidInput(f"The pseudonym {pseudonym!r} is already used for another person in this review.")
        if fold(other.real_name) == fold(real_name):
            raise InvalidInput(f"{real_name!r} is already in the people register (as {other.pseudonym!r}).")


def add_person(
    uow: UnitOfWork,
    review_uuid: str,
    real_name: str,
    pseudonym: str,
    *,
    role: str = "",
    other_names: Iterable[str] = (),
    note: str = "",
) -> ReviewPerson:
    review = get_review(uow.session, review_uuid)
    real, pseudo, others = _clean(real_name), _clean(pseudonym), _clean_names(other_names)
    others = [n for n in others if fold(n) != fold(real)]
    _check_person(uow.session, review.uuid, real, pseudo, others)
    return uow.create(
        ReviewPerson,
        summary=f"Added a person to the people register of {review.reference}",
        review_uuid=review.uuid,
        real_name=real,
        pseudonym=pseudo,
        role=_clean(role),
        other_names=others,
        note=note.strip(),
    )


def get_person(session: Session, person_uuid: str) -> ReviewPerson:
    person = session.get(ReviewPerson, person_uuid)
    if person is None or person.is_deleted:
        raise InvalidInput("That person is no longer in the people register.")
    return person


def find_person(session: Session, review_uuid: str, name: str) -> ReviewPerson:
    """A person by pseudonym, real name or other name (any case)."""
    wanted = fold(name)
    people = list_people(session, review_uuid)
    for person in people:
        if wanted in {fold(person.pseudonym), fold(person.real_name), *(fold(n) for n in person.other_names)}:
            return person
    known = ", ".join(p.pseudonym for p in people) or "none yet"
    raise InvalidInput(f"No person {name!r} in the people register. People: {known}.")


def update_person(
    uow: UnitOfWork,
    person_uuid: str,
    *,
    real_name: str | None = None,
    pseudonym: str | None = None,
    role: str | None = None,
    other_names: Iterable[str] | None = None,
    note: str | None = None,
) -> bool:
    person = get_person(uow.session, person_uuid)
    real = _clean(real_name) if real_name is not None else person.real_name
    pseudo = _clean(pseudonym) if pseudonym is not None else person.pseudonym
    others = _clean_names(other_names) if other_names is not None else list(person.other_names)
    others = [n for n in others if fold(n) != fold(real)]
    _check_person(uow.session, person.review_uuid, real, pseudo, others, skip_uuid=person.uuid)
    changes: dict[str, Any] = {"real_name": real, "pseudonym": pseudo, "other_names": others}
    if role is not None:
        changes["role"] = _clean(role)
    if note is not None:
        changes["note"] = note.strip()
    return uow.update(person, summary="Edited a person in the people register", **changes)


def add_other_name(uow: UnitOfWork, person_uuid: str, name: str) -> bool:
    person = get_person(uow.session, person_uuid)
    return update_person(uow, person.uuid, other_names=[*person.other_names, name])


def delete_person(uow: UnitOfWork, person_uuid: str) -> None:
    uow.delete(get_person(uow.session, person_uuid), summary="Removed a person from the people register")


def finder_for_review(session: Session, review_uuid: str) -> NameFinder:
    """The name finder of a review: its people register, plus glossary terms (replaced as written)."""
    people = [Person(p.uuid, p.real_name, p.pseudonym, tuple(p.other_names)) for p in list_people(session, review_uuid)]
    terms = session.scalars(live(GlossaryTerm).where(GlossaryTerm.review_uuid == review_uuid))
    return NameFinder(people, [(t.real_text, t.replacement) for t in terms])


# -- decisions --------------------------------------------------------------------------


def list_decisions(session: Session, review_uuid: str) -> list[ScanDecision]:
    return list(
        session.scalars(live(ScanDecision).where(ScanDecision.review_uuid == review_uuid).order_by(ScanDecision.text))
    )


def _me(session: Session) -> str:
    identity = session.scalars(select(MemberIdentity)).first()
    return identity.display_name if identity is not None else ""


def decide(uow: UnitOfWork, review_uuid: str, text: str, decision: str = "not-identifying") -> ScanDecision:
    """Record the reviewer's decision on a name-like text (who and when included); re-deciding updates it."""
    review = get_review(uow.session, review_uuid)
    text = _clean(text)
    if not text:
        raise InvalidInput("Say which text the decision is about.")
    if decision not in DECISIONS:
        raise InvalidInput(f"Unknown decision {decision!r}; choose one of {', '.join(DECISIONS)}.")
    who, when = _me(uow.session), utc_timestamp()
    for existing in list_decisions(uow.session, review.uuid):
        if fold(existing.text) == fold(text):
            uow.update(
                existing,
                summary=f"Re-decided {DECISIONS[decision].lower()} in {review.reference}",
                decision=decision,
                decided_by=who,
                decided_at=when,
            )
            return existing
    return uow.create(
        ScanDecision,
        summary=f"Decided a scan finding of {review.reference}: {DECISIONS[decision]}",
        review_uuid=review.uuid,
        text=text,
        decision=decision,
        decided_by=who,
        decided_at=when,
    )


def undo_decision(uow: UnitOfWork, review_uuid: str, text: str) -> None:
    for existing in list_decisions(uow.session, review_uuid):
        if fold(existing.text) == fold(text):
            uow.delete(existing, summary="Withdrew a decision on a scan finding")
            return
    raise InvalidInput(f"No decision on {text!r} in this review.")


# -- the scan for unknown names ---------------------------------------------------------


@dataclass
class NameSuspect:
    """One name-like text still in the anonymised chronology, with where it occurs."""

    text: str
    reason: str
    occurrences: list[tuple[str, str, str]] = field(default_factory=list)  # (entry uuid, field, context)

    @property
    def key(self) -> str:
        return fold(self.text)

    @property
    def count(self) -> int:
        return len(self.occurrences)


def _context(text: str, start: int, end: int, width: int = 35) -> str:
    left, right = max(0, start - width), min(len(text), end + width)
    return ("…" if left else "") + text[left:right].replace("\n", " ") + ("…" if right < len(text) else "")


def name_suspects(session: Session, review_uuid: str, *, include_decided: bool = False) -> list[NameSuspect]:
    """Name-like words in the review's anonymised chronology the reviewer has not decided on, most frequent first."""
    review = get_review(session, review_uuid)
    finder = finder_for_review(session, review.uuid)
    known = [p.pseudonym for p in list_people(session, review.uuid)]
    known += [t.replacement for t in session.scalars(live(GlossaryTerm).where(GlossaryTerm.review_uuid == review.uuid))]
    known.append(review.subject_pseudonym)
    dismissed = [] if include_decided else [d.text for d in list_decisions(session, review.uuid)]
    entries = session.scalars(
        live(ChronologyEntry)
        .where(ChronologyEntry.review_uuid == review.uuid)
        .order_by(ChronologyEntry.date_key, ChronologyEntry.start_time, ChronologyEntry.sequence)
    )
    found: dict[str, NameSuspect] = {}
    texts: list[tuple[str, str, str]] = [("", "review title", review.title)]
    texts += [(entry.uuid, name, getattr(entry, name) or "") for entry in entries for name in TEXT_FIELDS]
    for entry_uuid, name, raw in texts:
        text = finder.apply(raw)
        for suspect in find_suspects(text, known=known, dismissed=dismissed):
            item = found.setdefault(suspect.key, NameSuspect(suspect.text, suspect.reason))
            item.occurrences.append((entry_uuid, name, _context(text, suspect.start, suspect.end)))
    return sorted(found.values(), key=lambda s: (-s.count, s.key))


def require_names_decided(session: Session, review_uuid: str) -> None:
    """Refuse an anonymised export while name-like words remain undecided."""
    left = name_suspects(session, review_uuid)
    if left:
        sample = ", ".join(repr(s.text) for s in left[:5])
        raise InvalidInput(
            f"The anonymised export may still name people: {count_of(len(left), 'name-like word')} "
            f"{noun_for(len(left), 'is', 'are')} undecided "
            f"(e.g. {sample}). Add each to the people register or dismiss it as not identifying "
            "(People & names tab of the review, or `chronology scan` / `chronology person` / `chronology dismiss`)."
        )
