"""Where areas offer each other what they have, without importing each other's internals.

Each area package may hold a module `app/<area>/contributions.py` that registers,
when imported, what the area offers the rest of the application:

- `ACTION_SOURCES`: kinds of record an action can come from (a review's
  recommendation, a Section 11 interview, a meeting, a data exception...);
- `ACTION_TRACKER`: the action tracker's own service, so another area can
  create actions and list the actions made from its records;
- `PACK_REPORTS`: papers a meeting pack can generate from live data;
- `DEMO_PARTS`: the area's share of the fictional demo workspace.

Readers call `Registry.all()` or `get()`, which import every area's
contributions module once (`discover`). Contributions modules stay light: they
name heavy code with `lazy("package.module:function")`, imported on first
call, so start-up pays nothing for areas it has not used.
"""

from __future__ import annotations

import importlib
import pkgutil
import random
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from app.errors import InvalidInput

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.records import UnitOfWork

T = TypeVar("T")

_discovered = False
_discovering = threading.RLock()


def discover() -> None:
    """Import every `app.<package>.contributions` module (once; safe from any thread)."""
    global _discovered
    if _discovered:
        return
    with _discovering:
        if _discovered:
            return
        import app

        for module in sorted(pkgutil.iter_modules(app.__path__), key=lambda m: m.name):
            if module.ispkg:
                try:
                    importlib.import_module(f"app.{module.name}.contributions")
                except ModuleNotFoundError as exc:
                    if exc.name != f"app.{module.name}.contributions":
                        raise
        _discovered = True


def lazy(target: str) -> Callable[..., Any]:
    """A callable standing for "package.module:function", imported when first called."""
    module_name, _, attribute = target.partition(":")
    loaded: list[Callable[..., Any]] = []

    def call(*args: Any, **kwargs: Any) -> Any:
        if not loaded:
            loaded.append(getattr(importlib.import_module(module_name), attribute))
        return loaded[0](*args, **kwargs)

    call.__name__ = call.__qualname__ = attribute
    call.__doc__ = f"Calls {target} (imported on first use)."
    return call


class Registry(Generic[T]):
    """Named contributions of one kind, listed in their declared order."""

    def __init__(self, what: str, key: Callable[[T], str], order: Callable[[T], Any]) -> None:
        self.what = what
        self._key = key
        self._order = order
        self._items: dict[str, T] = {}

    def register(self, item: T) -> T:
        key = self._key(item)
        if key in self._items and self._items[key] is not item:
            raise ValueError(f"two {self.what} contributions are named {key!r}")
        self._items[key] = item
        return item

    def register_all(self, items: Iterable[T]) -> None:
        for item in items:
            self.register(item)

    def all(self) -> list[T]:
        discover()
        return sorted(self._items.values(), key=self._order)

    def get(self, key: str) -> T | None:
        discover()
        return self._items.get(key)

    def require(self, key: str) -> T:
        """The contribution named `key`, or one clear InvalidInput naming those that exist."""
        item = self.get(key)
        if item is None:
            known = ", ".join(self._key(i) for i in self.all())
            raise InvalidInput(f"Unknown {self.what} {key!r}. Use one of: {known}.")
        return item


class Provided(Generic[T]):
    """One service an area provides to the others (e.g. the action tracker)."""

    def __init__(self, what: str) -> None:
        self.what = what
        self._service: T | None = None

    def provide(self, service: T) -> T:
        self._service = service
        return service

    @property
    def available(self) -> bool:
        discover()
        return self._service is not None

    def __call__(self) -> T:
        discover()
        if self._service is None:
            raise InvalidInput(f"The {self.what} is not part of this build of Safeguarding Workbench.")
        return self._service


# -- where an action came from ---------------------------------------------------

NO_SOURCE = "none"


@dataclass(frozen=True)
class SourceRef:
    """An action's source as stored on the action."""

    kind: str = NO_SOURCE
    #: readable name of the source, e.g. "Ofsted ILACS 2025" or "LCSPR-2026-01 rec 3"
    label: str = ""
    #: the source record (a recommendation, an interview, a meeting item...); None if free text
    uuid: str | None = None
    #: the review a recommendation belongs to, so the tracker can filter by review
    review_uuid: str | None = None


@dataclass(frozen=True)
class SourceLocation:
    """Where an action's source record is shown: an area page and the record in it."""

    area: str
    record_uuid: str
    #: e.g. "Police, standard 3, interview of 12/05/2026"
    description: str


@dataclass(frozen=True)
class ActionSourceKind:
    """A kind of record actions come from; registered by the area that owns such records."""

    #: stored in Action.source_kind, e.g. "review_recommendation"
    kind: str
    #: shown in the tracker, e.g. "Review recommendation"
    label: str
    #: written on the command line as PREFIX:TEXT, e.g. "review" in "review:LCSPR-2026-01#3"
    prefix: str
    order: int = 50
    #: the text after "PREFIX:" to a SourceRef (raising InvalidInput); None: the text is a free label
    resolve: Callable[[Session, str], SourceRef] | None = None
    #: where the source record is shown (None if it is gone or free text)
    locate: Callable[[Session, str], SourceLocation | None] | None = None
    #: an example for help texts, e.g. "review:LCSPR-2026-01#3"
    example: str = ""
    #: (uuid, label) of the records that group this kind's sources (reviews for recommendations),
    #: stored on the action as its review_uuid: the tracker filters by them
    groups: Callable[[Session], list[tuple[str, str]]] | None = None

    @classmethod
    def of_records(
        cls, module: str, kind: str, label: str, prefix: str, *, order: int, example: str, groups: str = ""
    ) -> ActionSourceKind:
        """A kind of an area's own records: `module` (e.g. "app.reviews.action_source") defines
        `resolve` and `locate`, and the `groups` function if named; imported on first use."""
        return cls(
            kind,
            label,
            prefix,
            order=order,
            resolve=lazy(f"{module}:resolve"),
            locate=lazy(f"{module}:locate"),
            example=example,
            groups=lazy(f"{module}:{groups}") if groups else None,
        )


ACTION_SOURCES: Registry[ActionSourceKind] = Registry("action source", lambda s: s.kind, lambda s: (s.order, s.kind))


@dataclass(frozen=True)
class LinkedAction:
    """An action as the area it came from shows it."""

    uuid: str
    reference: str
    title: str
    owner_agency: str
    due: date
    status_label: str
    rag_text: str
    source_uuid: str | None


class ActionTracker(Protocol):
    """What the actions area offers: make an action from a source, list those made from sources."""

    def create(
        self,
        uow: UnitOfWork,
        *,
        title: str,
        owner_agency_uuid: str,
        due: date,
        source: SourceRef,
        lead_officer: str = "",
        success_measure: str = "",
    ) -> str:
        """Add an action; return its reference (e.g. ACT-0061)."""
        ...

    def linked(self, session: Session, source_uuids: list[str]) -> list[LinkedAction]:
        """Live actions whose source is one of these records."""
        ...


ACTION_TRACKER: Provided[ActionTracker] = Provided("action tracker")


# -- papers a meeting pack generates from live data ------------------------------


@dataclass(frozen=True)
class ReportRequest:
    """What a generated paper is asked for: the day it describes and the filters chosen for it."""

    as_of: date
    #: e.g. {"body": "...", "source": "section11", "agency": "<agency uuid>", "meeting": "<meeting uuid>"}
    filters: Mapping[str, str] = field(default_factory=dict)
    #: counts below this are shown as "fewer than N" (performance data)
    small_number_threshold: int = 5


@dataclass(frozen=True)
class ReportFilter:
    """How the coordinator sets one of a report's filters when adding the report as a paper."""

    #: e.g. "Section 11 cycle"
    label: str
    #: the (shown, stored) choices, e.g. cycles (name, id); a value given must be one of them (by id or
    #: shown name) and is stored by id. None: typed. The meetings area offers its own bodies for a filter
    #: named "body", and checks "body", "agency", "source" and "open_only" itself.
    choices: Callable[[Session], list[tuple[str, str]]] | None = None
    #: what the report does with the filter left unset, shown as the list's first entry
    unset: str = "Any"


def agencies_by_name(session: Session) -> list[tuple[str, str]]:
    """(name, id) of every agency: the choices of a report's "agency" filter."""
    from app.agencies import list_agencies

    return [(a.name, a.uuid) for a in list_agencies(session)]


def agency_filter(label: str = "Agency") -> ReportFilter:
    """A report's "agency" filter: an agency chosen by name, stored by id."""
    return ReportFilter(label, agencies_by_name)


@dataclass(frozen=True)
class PackReport:
    """A paper made from live data at pack build time. Never case-level chronology data.

    `build(session, request)` returns reportlab platypus flowables for the pack's
    portrait A4 frame (styles from `app.office.pdf_styles`); charts are vector
    flowables (`app.office.vector_charts`), never screenshots.
    """

    #: the command line's --report value, e.g. "actions"
    key: str
    #: e.g. "Action log"
    title: str
    build: Callable[[Session, ReportRequest], list[Any]]
    order: int = 50
    #: the filters this report understands (keys of ReportRequest.filters), each as it is offered
    filters: Mapping[str, ReportFilter] = field(default_factory=dict)
    description: str = ""


PACK_REPORTS: Registry[PackReport] = Registry("meeting-pack report", lambda r: r.key, lambda r: (r.order, r.key))


# -- records a bundle must not carry to some recipients ----------------------------


@dataclass(frozen=True)
class BundleWithholding:
    """Records an area keeps out of bundles for recipients not cleared to see them.

    `withheld(session, recipients)` gets the recipients' contact display names (empty
    for a passphrase bundle: anyone may hold the passphrase) and returns table name ->
    uuids to leave out (e.g. a restricted agenda item's papers).
    """

    key: str
    withheld: Callable[[Session, list[str]], dict[str, set[str]]]


BUNDLE_WITHHOLDING: Registry[BundleWithholding] = Registry("bundle withholding", lambda w: w.key, lambda w: w.key)


# -- the demo workspace ------------------------------------------------------------


@dataclass(frozen=True)
class DemoPart:
    """An area's share of the fictional demo workspace, written in one unit of work.

    `populate(uow, rng, context)`: `context` is a dict the parts share (e.g.
    agencies by short name); lower `order` runs first.
    """

    key: str
    order: int
    populate: Callable[[UnitOfWork, random.Random, dict[str, Any]], None]


def demo_part(area: str, order: int) -> DemoPart:
    """An area's demo part, `app.<area>.demo:populate` (every area's is there)."""
    return DemoPart(area, order, lazy(f"app.{area}.demo:populate"))


DEMO_PARTS: Registry[DemoPart] = Registry("demo part", lambda p: p.key, lambda p: (p.order, p.key))


# -- records as users know them (conflicts, merge) -------------------------------------


def named_or_gone(session: Session, model: type, uuid: str | None, name: Callable[[Any], str], gone: str) -> str:
    """A naming function's name for a record it refers to, or `gone` when a merge or purge removed it."""
    record = session.get(model, uuid) if uuid else None
    return name(record) if record is not None else gone


@dataclass(frozen=True)
class RecordNaming:
    """How a table's records and fields are named on screen ("ACT-0061", "Evidence of impact").

    The exchange area names conflicts with these instead of table and column names.
    `name(session, record)` returns the record's everyday name (a reference, a title);
    it may read related records (e.g. an entry's review reference).
    """

    #: the table name, e.g. "action"
    table: str
    #: e.g. "Action"
    kind: str
    name: Callable[[Session, Any], str]
    #: column -> label as the forms show it; columns not listed are shown capitalised with spaces
    fields: Mapping[str, str] = field(default_factory=dict)
    #: group lead field -> what the group is, e.g. "status" -> "Status, evidence and closure approval"
    groups: Mapping[str, str] = field(default_factory=dict)
    #: column -> stored value -> label, e.g. "status" -> {"closed_impact_evidenced": "Closed, impact evidenced"}
    values: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    #: whether record counts of this kind are shown (links between records are not)
    counted: bool = True
    #: column -> how the forms show a stored (bundle-encoded) value, e.g. a chronology date "2016-05" as "May 2016"
    formats: Mapping[str, Callable[[Any], str]] = field(default_factory=dict)
    #: columns derived from others (a sort key): never shown among a group's values
    derived: frozenset[str] = frozenset()

    def field_label(self, column: str) -> str:
        return self.fields.get(column) or column.replace("_", " ").capitalize()


def evidence_file_naming(table: str, kind: str, name: Callable[[Session, Any], str]) -> RecordNaming:
    """The naming of an area's stored evidence files: each area's have the same fields, and a file's
    name, size and content are one merge group."""
    return RecordNaming(
        table,
        kind,
        name,
        {"filename": "File name", "size": "Size", "content": "File", "added_on": "Added on", "added_by": "Added by"},
        groups={"filename": "The file (name, size and content)"},
    )


RECORD_NAMING: Registry[RecordNaming] = Registry("record naming", lambda n: n.table, lambda n: n.table)


@dataclass(frozen=True)
class MergeRule:
    """A domain rule a merged record must keep (e.g. a closed action has evidence of impact).

    `broken(session, uuid, values)` gets a record's field values (the merged ones, then the
    local ones before the merge) and returns the reason they break the rule, or None. It may
    read related records (the session sees the bundle's records already written). A merge
    that breaks a rule the local record kept is never applied silently: it is recorded as a
    conflict for a person to settle (app/exchange/merge.py).
    """

    key: str
    table: str
    broken: Callable[[Session, str, Mapping[str, Any]], str | None]
    #: related tables whose changes can break the rule -> their column naming this table's record
    related: Mapping[str, str] = field(default_factory=dict)


MERGE_RULES: Registry[MergeRule] = Registry("merge rule", lambda r: r.key, lambda r: (r.table, r.key))


# -- one area's usual offer ------------------------------------------------------------


def offer(
    area: str,
    *,
    action_source: ActionSourceKind | None = None,
    pack_report: PackReport | None = None,
    demo_order: int | None = None,
    namings: Iterable[RecordNaming] = (),
    merge_rules: Iterable[MergeRule] = (),
) -> None:
    """Register what an area's `contributions.py` usually offers, each in its registry: a kind of action
    source, a meeting-pack report, its demo part (`demo_part(area, demo_order)`), how its records are
    named and the rules a merge keeps. An area offering something else registers it itself."""
    if action_source is not None:
        ACTION_SOURCES.register(action_source)
    if pack_report is not None:
        PACK_REPORTS.register(pack_report)
    if demo_order is not None:
        DEMO_PARTS.register(demo_part(area, demo_order))
    RECORD_NAMING.register_all(namings)
    MERGE_RULES.register_all(merge_rules)
