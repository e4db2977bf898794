"""A review's people register and the scan for names it does not know yet.

The register says who the chronology is about and what replaces each of them
in anonymised text; ``finder_for_review`` turns it (and the older glossary)
into a ``NameFinder``. ``name_suspects`` lists the capitalised, name-like
words that are still in the anonymised text; each must be decided before an
anonymised export: added to the register (a person, or another name of one)
or dismissed as not identifying. The identifying-data scan's findings
(``anonymise.scan``: phones, postcodes, addresses, dates of birth, source
values that may name someone) are decided here too. Every decision, of any
kind, is kept per review with who made it and when (``ScanDecision``, keyed by
kind and normalised text), audited, and travels in bundles like the register;
the export gates (``require_anonymisable``) read only these stored decisions.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.chronology.anonymise import KINDS, ScanFinding, normalise_finding, review_texts, scan
from app.chronology.fields import TEXT_FIELDS
from app.chronology.name_finder import NameFinder, Person, find_suspects, fold
from app.clock import utc_timestamp
from app.errors import InvalidInput
from app.records import UnitOfWork
from app.records.live import live_children, live_record
from app.reviews.register import get_review
from app.text import count_of, noun_for
from db.base import live
from db.models.core import MemberIdentity
from db.models.people import ReviewPerson, ScanDecision
from db.models.reviews import ChronologyEntry, GlossaryTerm

DECISIONS = {
    "not-identifying": "Not identifying",
    "added": "Added to the register",
    "accepted": "Accepted in the export",
}
#: The kind of finding of the name scan (``name_suspects``); decisions made before kinds existed are these.
NAME_KIND = "possible-name"


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
    return live_children(session, ReviewPerson, ReviewPerson.review_uuid, review_uuid, ReviewPerson.pseudonym)


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
    return live_record(session, ReviewPerson, person_uuid, "That person is no longer in the people register.")


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


def list_decisions(session: Session, review_uuid: str, kind: str | None = None) -> list[ScanDecision]:
    """The review's decisions, of one kind of finding or (``kind`` None) of every kind."""
    query = live(ScanDecision).where(ScanDecision.review_uuid == review_uuid)
    if kind is not None:
        query = query.where(ScanDecision.kind == kind)
    return list(session.scalars(query.order_by(ScanDecision.kind, ScanDecision.text)))


def decisions_by_key(session: Session, review_uuid: str) -> dict[tuple[str, str], ScanDecision]:
    """Each decision under the key the scan's findings have (``ScanFinding.decision_key``)."""
    return {(d.kind, normalise_finding(d.kind, d.text)): d for d in list_decisions(session, review_uuid)}


def _me(session: Session) -> str:
    identity = session.scalars(select(MemberIdentity)).first()
    return identity.display_name if identity is not None else ""


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise InvalidInput(f"Unknown kind of finding {kind!r}; choose one of {', '.join(KINDS)}.")


def decide(
    uow: UnitOfWork, review_uuid: str, text: str, decision: str = "not-identifying", *, kind: str = NAME_KIND
) -> ScanDecision:
    """Record the reviewer's decision on a text of one kind of finding (who and when included); re-deciding updates it.

    A decision covers that text of that kind wherever it occurs in the review
    (matched by ``normalise_finding``: "01632 960000" and "01632960000" are one
    phone number); a text that changes is a new finding, undecided.
    """
    review = get_review(uow.session, review_uuid)
    text = _clean(text)
    if not text:
        raise InvalidInput("Say which text the decision is about.")
    if decision not in DECISIONS:
        raise InvalidInput(f"Unknown decision {decision!r}; choose one of {', '.join(DECISIONS)}.")
    _check_kind(kind)
    who, when = _me(uow.session), utc_timestamp()
    wanted = normalise_finding(kind, text)
    for existing in list_decisions(uow.session, review.uuid, kind):
        if normalise_finding(kind, existing.text) == wanted:
            uow.update(
                existing,
                summary=f"Re-decided a {KINDS[kind]} finding of {review.reference}: {DECISIONS[decision]}",
                decision=decision,
                decided_by=who,
                decided_at=when,
            )
            return existing
    return uow.create(
        ScanDecision,
        summary=f"Decided a {KINDS[kind]} finding of {review.reference}: {DECISIONS[decision]}",
        review_uuid=review.uuid,
        kind=kind,
        text=text,
        decision=decision,
        decided_by=who,
        decided_at=when,
    )


def undo_decision(uow: UnitOfWork, review_uuid: str, text: str, *, kind: str = NAME_KIND) -> None:
    _check_kind(kind)
    wanted = normalise_finding(kind, text)
    for existing in list_decisions(uow.session, review_uuid, kind):
        if normalise_finding(kind, existing.text) == wanted:
            uow.delete(existing, summary=f"Withdrew a decision on a {KINDS[kind]} finding")
            return
    raise InvalidInput(f"No decision on {text!r} ({KINDS[kind]}) in this review.")


def decide_findings(
    uow: UnitOfWork, review_uuid: str, findings: Iterable[ScanFinding], decision: str = "accepted"
) -> int:
    """Record one decision for each distinct (kind, text) among ``findings``; how many were recorded."""
    done: set[tuple[str, str]] = set()
    for finding in findings:
        if finding.decision_key not in done:
            decide(uow, review_uuid, finding.matched, decision, kind=finding.kind)
            done.add(finding.decision_key)
    return len(done)


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


def known_pseudonyms(session: Session, review_uuid: str) -> list[str]:
    """What the anonymised text may say instead of a name: pseudonyms, glossary replacements, the subject's."""
    review = get_review(session, review_uuid)
    known = [p.pseudonym for p in list_people(session, review.uuid)]
    known += [t.replacement for t in session.scalars(live(GlossaryTerm).where(GlossaryTerm.review_uuid == review.uuid))]
    known.append(review.subject_pseudonym)
    return known


def name_suspects(session: Session, review_uuid: str, *, include_decided: bool = False) -> list[NameSuspect]:
    """Name-like words in the review's anonymised chronology the reviewer has not decided on, most frequent first."""
    review = get_review(session, review_uuid)
    finder = finder_for_review(session, review.uuid)
    known = known_pseudonyms(session, review.uuid)
    registered = [name for person in finder.people for name in person.names()]
    dismissed = [] if include_decided else [d.text for d in list_decisions(session, review.uuid, NAME_KIND)]
    entries = session.scalars(
        live(ChronologyEntry)
        .where(ChronologyEntry.review_uuid == review.uuid)
        .order_by(ChronologyEntry.date_key, ChronologyEntry.start_time, ChronologyEntry.sequence)
    )
    found: dict[str, NameSuspect] = {}
    texts: list[tuple[str, str, str]] = [("", where, text) for where, text in review_texts(session, review.uuid)]
    texts += [(entry.uuid, name, getattr(entry, name) or "") for entry in entries for name in TEXT_FIELDS]
    for entry_uuid, name, raw in texts:
        text = finder.apply(raw)
        for suspect in find_suspects(text, known=known, dismissed=dismissed, registered=registered):
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


# -- the identifying-data scan's findings -----------------------------------------------


@dataclass(frozen=True)
class FindingStatus:
    """A finding of the identifying-data scan with the reviewer's decision on it, if any."""

    finding: ScanFinding
    decision: ScanDecision | None

    @property
    def status(self) -> str:
        return self.decision.decision if self.decision is not None else "undecided"


def scan_with_decisions(session: Session, review_uuid: str) -> list[FindingStatus]:
    """Every finding of ``anonymise.scan`` (identifiers and source values) with its stored decision."""
    decided = decisions_by_key(session, review_uuid)
    return [FindingStatus(f, decided.get(f.decision_key)) for f in scan(session, review_uuid)]


def undecided_findings(session: Session, review_uuid: str) -> list[ScanFinding]:
    return [s.finding for s in scan_with_decisions(session, review_uuid) if s.decision is None]


def require_findings_decided(session: Session, review_uuid: str) -> None:
    """Refuse an anonymised export while any identifier or source-of-information finding is undecided."""
    left = undecided_findings(session, review_uuid)
    if left:
        first = left[0]
        raise InvalidInput(
            f"The anonymised export still contains {count_of(len(left), 'undecided finding')} of the "
            f"identifying-data scan, e.g. {KINDS.get(first.kind, first.kind)} {first.matched!r} in "
            f"{first.field.replace('_', ' ')}. Resolve each (edit the entry, add a glossary term or a person) or "
            "accept it (Glossary & anonymisation tab of the review, or `chronology accept`); each decision is recorded "
            "with your name and the time."
        )


def require_anonymisable(session: Session, review_uuid: str) -> None:
    """Both gates of an export that calls itself anonymised: names decided, then every other finding."""
    require_names_decided(session, review_uuid)
    require_findings_decided(session, review_uuid)
