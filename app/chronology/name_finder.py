"""Find and replace every mention of the people in a review's register.

Agencies write the same person many ways: "Sarah Turner", "Sarah", "Ms
Turner", "S. Turner", "Sarah's", "SARAH", "mum Sarah", "Smith-Jones" or
"Smith Jones", a name broken across two lines, a nickname ("Shaz") or a
misspelling the reviewer listed as a variant. ``NameFinder`` builds one
pattern per way of writing each person and replaces each mention with the
pseudonym, keeping possessives ("Mother's") and absorbing a title or role
word already in front of the name ("mother Sarah Turner" becomes "Mother",
not "mother Mother"; "Dr Patel" becomes "GP1").

Rules that keep the replacement safe:

* longest form first, so "Sarah Turner" wins over "Sarah";
* a name part shared by two people (a family surname) is replaced by a neutral
  "[name]" rather than one person's pseudonym: never attribute an event to the
  wrong person, never leave the name;
* a hyphenated name holding a registered one ("Lily-Mae", "Kayden-Jay") is that
  person's, whole, when the part is one person's; when the part is shared or
  another part is someone else's ("Lily-Kayden") it is left for the scan to flag;
* "Lily - Mae", a spaced dash before a word on the names list, is the hyphenated form; another
  word there ("Lily - Rose", "Tesco - Lily") stays, for the scan to flag;
* a role the writer gave that is not the label's ("police officer Smith" for "Housing officer 1",
  "her ex-partner" for "Mother's new partner") stays, the label after it in brackets;
* initials ("S.T.", "S Turner") only when they point to one person;
* names that are also ordinary words ("Rose", "Grace", "Summer", "Hunter")
  match only capitalised, so "tension rose" stays as written.

Pure text in, text out: no database, no Qt. ``app.chronology.anonymise``
builds a finder for a review from its register and glossary.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from app.store.forgetting import forget_at_lock

RESOURCES = Path(__file__).resolve().parents[2] / "resources" / "anonymise"

#: Titles and ranks written before a name; absorbed into the replacement.
TITLES: tuple[str, ...] = (
    "Mr",
    "Mrs",
    "Ms",
    "Miss",
    "Mx",
    "Master",
    "Dr",
    "Prof",
    "PC",
    "PCSO",
    "DC",
    "DS",
    "DI",
    "DCI",
    "Sgt",
    "Insp",
    "Cllr",
    "Rev",
    "Nurse",
    "Sister",
    "Judge",
    "HHJ",
    "DJ",
)
TITLE_PATTERN = r"(?:(?:" + "|".join(TITLES) + r")\.?\s+)"

#: Role words that may stand before a name and are already said by the pseudonym.
ROLE_SYNONYMS: dict[str, tuple[str, ...]] = {
    "mother": ("mother", "mum", "mom", "mummy", "birth mother", "mother's", "maternal"),
    "father": ("father", "dad", "daddy", "birth father", "stepfather", "step-father"),
    "partner": ("partner", "boyfriend", "girlfriend", "mother's partner", "mum's partner", "father's partner"),
    "grandmother": ("grandmother", "nan", "nana", "gran", "granny", "maternal grandmother", "paternal grandmother"),
    "grandfather": ("grandfather", "grandad", "granddad", "grandpa"),
    "child": ("child", "the child", "baby", "infant", "subject child"),
    "sibling": ("sibling", "brother", "sister", "half-brother", "half-sister"),
    "brother": ("brother", "half-brother", "stepbrother", "sibling"),
    "sister": ("sister", "half-sister", "stepsister", "sibling"),
    "aunt": ("aunt", "auntie", "aunty", "maternal aunt", "paternal aunt"),
    "uncle": ("uncle", "maternal uncle", "paternal uncle"),
    # professionals' labels are usually abbreviations ("SW1"); their role is written out before the name
    "sw": ("sw", "social worker", "allocated social worker"),
    "hv": ("hv", "health visitor"),
    "gp": ("gp", "family doctor"),
}

AMBIGUOUS = "[name]"
_TITLE_WORDS = frozenset(t.casefold() for t in TITLES)
_ABBREVIATED_TITLES = frozenset(t.casefold() for t in TITLES if t.isupper())
_WORD_START = re.compile(r"(?<![^\W\d_])[^\W\d_]+")
_APOSTROPHES = "'’‘`"
_HYPHENS = "-‐‑–"
_POSSESSIVE = r"(?P<poss>[" + _APOSTROPHES + r"]s(?!\w)|[" + _APOSTROPHES + r"](?=\s|$|[.,;:!?)]))?"


def _is_title(token: str) -> bool:
    """Whether a register name's first word is a title ("Dr", "HHJ"), not a given name ("Hhj").

    Abbreviations such as HHJ or PC are titles only as capitals (or typed in
    lower case); written like a name they are the person's name.
    """
    bare = token.rstrip(".")
    folded = bare.casefold()
    if folded not in _TITLE_WORDS:
        return False
    return folded not in _ABBREVIATED_TITLES or bare.isupper() or bare.islower()


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """Lower-case English words (and place words) that are not names by themselves."""
    return _word_file("common_words.txt")


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    """Given names and surnames common in England, folded, for the scan of unknown names."""
    return _word_file("names.txt")


@lru_cache(maxsize=1)
def domain_terms() -> frozenset[str]:
    """Capitalised words of safeguarding practice that are not names (agencies, teams, places)."""
    return _word_file("domain_terms.txt")


def _word_file(name: str) -> frozenset[str]:
    path = RESOURCES / name
    words = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            words.add(line.casefold())
    return frozenset(words)


_STRAIGHT_APOSTROPHES = str.maketrans(dict.fromkeys(_APOSTROPHES[1:], "'"))


@lru_cache(maxsize=16384)
def fold(text: str) -> str:
    """Case- and apostrophe-insensitive key of a name ("O’Neill" and "o'neill" agree).

    Cached: the scan folds every word of every field, and the words of a chronology repeat.
    """
    return " ".join(text.translate(_STRAIGHT_APOSTROPHES).casefold().split())


@dataclass(frozen=True)
class Person:
    """What the finder needs of one register entry."""

    key: str
    real_name: str
    pseudonym: str
    other_names: tuple[str, ...] = ()

    def names(self) -> list[str]:
        return [n for n in (self.real_name, *self.other_names) if n.strip()]


def _tokens(name: str) -> list[str]:
    return [t for t in re.split(r"\s+", name.strip()) if t]


def _form_key(name: str) -> str:
    """The folded form of a whole registered name; a title's dot does not count ("Ms. Dawson" is "ms dawson")."""
    tokens = _tokens(name)
    if len(tokens) > 1 and _is_title(tokens[0]):
        tokens[0] = tokens[0].rstrip(".")
    return fold(" ".join(tokens))


def _token_pattern(token: str) -> str:
    """One name word: hyphen parts may be split by a hyphen, dash, space or a line break; apostrophes optional."""
    parts = re.split("[" + _HYPHENS + "]", token)
    out = []
    for part in parts:
        pieces = re.split("[" + _APOSTROPHES + "]", part)
        out.append(("[" + _APOSTROPHES + r"]?\s?").join(re.escape(p) for p in pieces if p))
    return (r"(?:\s*[" + _HYPHENS + r"]\s*|\s+)").join(out)


def _is_common_word(token: str) -> bool:
    return token.casefold().strip(_APOSTROPHES) in common_words()


#: A further hyphenated part of a forename ("-Mae" in "Lily-Mae Dawson" when "Lily Dawson" is registered).
_FORENAME_EXTENSION = r"(?:[" + _HYPHENS + r"]\n?[^\W\d_][\w" + _APOSTROPHES + r"]*)?"


def _variant_pattern(tokens: Sequence[str], *, hyphenated_first: bool = False) -> str:
    """A sequence of name words; a name that is also a common word must be capitalised (or in capitals).

    A title the name is registered with may be written with or without its dot ("Ms Dawson", "Ms. Dawson").
    With ``hyphenated_first`` the forename of a name of two words or more may carry a further hyphenated
    part ("Lily-Mae Dawson"); ``NameFinder.mentions`` leaves it when that part names someone else.
    """
    words = [_token_pattern(t) for t in tokens]
    first = 0
    if len(tokens) > 1 and _is_title(tokens[0]):
        words[0] = re.escape(tokens[0].rstrip(".")) + r"\.?"
        first = 1
    if hyphenated_first and len(tokens) - first >= 2:
        words[first] += _FORENAME_EXTENSION
    body = r"\s+".join(words)
    if len(tokens) == 1 and _is_common_word(tokens[0].replace("-", "")):
        word = tokens[0]
        capital = _token_pattern(word[:1].upper() + word[1:].lower())
        upper = _token_pattern(word.upper())
        return f"(?-i:{capital}|{upper})"
    return body


def _initials(tokens: Sequence[str]) -> list[str]:
    letters = [t[0].upper() for t in tokens if t[:1].isalpha()]
    if len(letters) < 2:
        return []
    return [r"(?-i:" + r"\.\s?".join(letters) + r"\.?)"]


def _surname_first(first: str, last: str) -> list[tuple[str, str, int]]:
    """The agency-record forms "DAWSON, Kerry", "DAWSON Kerry" and "Dawson, K." as (form key, pattern, length).

    With the forename written out, the surname must be in capitals: "Ms Dawson, Kerry and Lily" is a
    list of people, not one. The initial needs its dot ("Dawson, K."): "Smith, I think" is no one.
    """
    capitals = r"(?-i:" + _token_pattern(last.upper()) + ")"
    initial = first[0].upper()
    return [
        (
            f"{fold(last)} , {fold(first)}",
            capitals + r"\s*,?\s+" + _variant_pattern([first]),
            len(last) + len(first) + 2,
        ),
        (f"{fold(last)} , {initial}.", _variant_pattern([last]) + r"\s*,\s*(?-i:" + initial + r")\.", len(last) + 4),
    ]


@lru_cache(maxsize=4096)
def _name_runs(text: str) -> frozenset[str]:
    """The folded letter runs of a name of two letters or more ("O'Neill-Price" gives "neill", "price")."""
    return frozenset(fold(run) for run in re.findall(r"[^\W\d_]+", text) if len(run) >= 2)


@dataclass
class _Variant:
    pattern: str
    replacement: str
    length: int
    role_words: tuple[str, ...] = field(default=())
    #: folded words a mention of this form starts with
    triggers: frozenset[str] = field(default=frozenset())
    #: the form's own name words, folded ("lily", "dawson"): any other registered name word in a mention is not its
    words: frozenset[str] = field(default=frozenset())


def _role_words(pseudonym: str) -> tuple[str, ...]:
    """The words before a name that the pseudonym already says ("housing officer Smith" is "Housing officer 1")."""
    words = pseudonym.casefold().split()
    found: list[str] = [pseudonym.casefold()]
    for word in words:
        word = word.strip(_APOSTROPHES + "s") if word.endswith(("'s", "’s")) else word
        found.extend(ROLE_SYNONYMS.get(word, ()))
    for phrase in _role_phrases(words):
        found.extend((phrase, *ROLE_SYNONYMS.get(phrase, ())))
    return tuple(sorted(set(found), key=len, reverse=True))


def _role_phrases(words: list[str]) -> list[str]:
    """The role a label names without its number or letter, and each shorter ending of it.

    "housing officer 1" gives "housing officer" and "officer"; "gp1" gives "gp"; "mother's new partner"
    gives "new partner" and "partner". An ending is still the role's noun, never an adjective alone.
    """
    role = list(words)
    while role and (role[-1].strip("()").isdigit() or (len(role[-1]) == 1 and role[-1].isalpha())):
        role.pop()  # "1", "(2)", "A"
    if role:
        role[-1] = role[-1].rstrip("0123456789")
    return [" ".join(role[i:]) for i in range(len(role)) if len(" ".join(role[i:])) >= 2]


class NameFinder:
    """Replaces every mention of the register's people with their pseudonyms."""

    def __init__(self, people: Iterable[Person], extra_terms: Iterable[tuple[str, str]] = ()) -> None:
        self.people = [p for p in people if p.names() and p.pseudonym.strip()]
        variants: dict[str, dict[str, str]] = {}  # folded form -> {pattern: replacement}; collisions -> ambiguous
        owners: dict[str, set[str]] = {}
        patterns: dict[str, tuple[str, int]] = {}
        role_words: dict[str, tuple[str, ...]] = {}

        form_triggers: dict[str, set[str]] = {}

        def offer(form_key: str, pattern: str, length: int, person: Person) -> None:
            first_word = form_key.removeprefix("initials:").split(" ")[0]
            if form_key.startswith("initials:"):
                first_word = first_word[:1].casefold()
            triggers = form_triggers.setdefault(form_key, set())
            for piece in (
                first_word,
                re.split("[" + re.escape(_APOSTROPHES + _HYPHENS) + "]", first_word)[0],
                re.sub("[" + _APOSTROPHES + "]", "", first_word),
            ):
                triggers.add(fold(piece).rstrip("."))
            owners.setdefault(form_key, set()).add(person.key)
            patterns.setdefault(form_key, (pattern, length))
            variants.setdefault(form_key, {})[person.key] = person.pseudonym
            role_words[person.key] = _role_words(person.pseudonym)

        for person in self.people:
            for name in person.names():
                tokens = _tokens(name)
                offer(_form_key(name), _variant_pattern(tokens, hyphenated_first=True), len(name), person)
                while len(tokens) > 1 and _is_title(tokens[0]):
                    tokens = tokens[1:]  # "Dr Seun": the parts are "Seun", never "Dr"
                if len(tokens) == 1:
                    offer(fold(tokens[0]), _variant_pattern(tokens), len(tokens[0]), person)
                if len(tokens) >= 2:
                    first, last = tokens[0], tokens[-1]
                    offer(
                        fold(f"{first} {last}"),
                        _variant_pattern([first, last], hyphenated_first=True),
                        len(first) + len(last) + 1,
                        person,
                    )
                    offer(fold(first), _variant_pattern([first]), len(first), person)
                    offer(fold(last), _variant_pattern([last]), len(last), person)
                    for middle in tokens[1:-1]:
                        if len(middle) > 2:
                            offer(fold(middle), _variant_pattern([middle]), len(middle), person)
                    initial = first[0].upper()
                    # a name part that is also a word must be capitalised here too: "A young person" is not A. Young
                    offer(
                        f"{initial}. {fold(last)}",
                        r"(?-i:" + initial + r")\.?\s?" + _variant_pattern([last]),
                        len(last) + 2,
                        person,
                    )
                    offer(
                        f"{fold(first)} {last[0].upper()}.",
                        _variant_pattern([first]) + r"\s+(?-i:" + last[0].upper() + r")\.",
                        len(first) + 3,
                        person,
                    )
                    for pattern in _initials(tokens):
                        offer("initials:" + "".join(t[0].upper() for t in tokens), pattern, len(tokens), person)
                    for form_key, pattern, length in _surname_first(first, last):
                        offer(form_key, pattern, length, person)
                for token in tokens:
                    parts = [p for p in re.split("[" + _HYPHENS + "]", token) if len(p) >= 3]
                    if len(parts) >= 2:  # double-barrelled: each part alone too
                        for part in parts:
                            offer(fold(part), _variant_pattern([part]), len(part), person)
        for term, replacement in extra_terms:
            if term.strip() and replacement.strip():
                pseudo = Person("glossary:" + fold(term), term, replacement)
                offer(fold(term), _variant_pattern(_tokens(term)), len(term), pseudo)

        self._variants: list[_Variant] = []
        for form_key, (pattern, length) in patterns.items():
            who = owners[form_key]
            replacements = set(variants[form_key].values())
            if form_key.startswith("initials:") and len(who) > 1:
                continue  # initials only where they point to one person
            if len(replacements) == 1:
                key = next(iter(who))
                self._variants.append(
                    _Variant(
                        pattern,
                        replacements.pop(),
                        length,
                        role_words.get(key, ()),
                        frozenset(form_triggers[form_key]),
                        _name_runs(form_key.removeprefix("initials:")),
                    )
                )
            else:
                self._variants.append(
                    _Variant(pattern, AMBIGUOUS, length, (), frozenset(form_triggers[form_key]), _name_runs(form_key))
                )
        self._variants.sort(key=lambda v: -v.length)
        self._by_trigger: dict[str, list[int]] = {}
        for index, variant in enumerate(self._variants):
            for trigger in variant.triggers:
                self._by_trigger.setdefault(trigger, []).append(index)
        self._compiled: dict[tuple[str, bool], re.Pattern[str]] = {}
        self._regex = self._compile() if self._variants else None
        #: folded name words of the register (without titles), each hyphen part on its own
        self._name_words = frozenset(
            fold(part)
            for person in self.people
            for name in person.names()
            for token in _tokens(name)
            if not _is_title(token)
            for part in re.split("[" + _HYPHENS + "]", token.strip(_APOSTROPHES))
            if len(part) >= 2
        )
        #: the labels of the people each folded name run belongs to ("lily" -> {"Child A"})
        self._word_labels: dict[str, set[str]] = {}
        for person in self.people:
            for name in person.names():
                for token in _tokens(name):
                    if not _is_title(token):
                        for run in _name_runs(token):
                            self._word_labels.setdefault(run, set()).add(person.pseudonym)
        self._lower = self._compile_lower()

    def _compile_lower(self) -> re.Pattern[str] | None:
        """Names that are ordinary words, written in lower case ("asked dawn", "rose's school")."""
        words: dict[str, str] = {}
        for variant, person in self._common_word_names():
            words.setdefault(variant, person)
        if not words:
            return None
        self._lower_lookup = words
        alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
        return re.compile(r"(?<![\w" + _APOSTROPHES + r"])(?-i:(" + alternatives + r"))" + _POSSESSIVE + r"(?!\w)")

    def _common_word_names(self) -> Iterable[tuple[str, str]]:
        owners: dict[str, set[str]] = {}
        for person in self.people:
            for name in person.names():
                for token in _tokens(name):
                    parts = [p for p in re.split("[" + _HYPHENS + "]", token) if len(p) >= 3]
                    # each part of a double-barrelled name too, as the capitalised forms offer it
                    for word in [token, *parts] if len(parts) >= 2 else [token]:
                        if _is_common_word(word) and word[:1].isupper():
                            owners.setdefault(word.lower(), set()).add(person.pseudonym)
        for word, pseudonyms in owners.items():
            yield word, (next(iter(pseudonyms)) if len(pseudonyms) == 1 else AMBIGUOUS)

    def _compile(self, indices: Iterable[int] | None = None, *, titled: bool = True) -> re.Pattern[str]:
        chosen = list(range(len(self._variants)) if indices is None else indices)
        # the optional title sits inside each alternative: "Dr Patel" is one mention of the form "Patel"
        title = f"{TITLE_PATTERN}?" if titled else ""
        alternatives = "|".join(f"(?P<v{i}>{title}(?:{self._variants[i].pattern}))" for i in chosen)
        return re.compile(
            r"(?<![\w" + _APOSTROPHES + r"])(?:" + alternatives + r")" + _POSSESSIVE + r"(?!\w)",
            re.IGNORECASE,
        )

    def __bool__(self) -> bool:
        return self._regex is not None

    def mentions(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, replacement) of every mention, role words before it included, in order."""
        if not text or self._regex is None:
            return []
        found: list[tuple[int, int, str]] = []
        for match in self._matches(text):
            variant = (
                self._variants[int(match.lastgroup[1:])]
                if match.lastgroup and match.lastgroup != "poss"
                else self._variant_of(match)
            )
            replacement = variant.replacement
            if match.group("poss"):
                replacement += "'s"
            start, own_role = self._absorb_role_word(text, match.start(), variant.role_words, variant.replacement)
            if own_role and start < match.start():
                start, replacement, own_role = _relation_before(text, start, replacement)
            if not own_role:  # "police officer Smith", "her ex-partner Wayne": the writer's words and the label
                start = match.start()
                if not _COMMA_BEFORE.search(text[:start]):  # "the police officer, Mr Smith," needs no brackets
                    replacement = f"({variant.replacement})" + replacement[len(variant.replacement) :]
            start, end = _whole_compound(text, before := start, match.end())
            if (start, end) == (before, match.end()) and _ONE_WORD.fullmatch(match.group(0)):
                start, end = self._spaced_forename(text, start, end)
            widened = (start, end) != (before, match.end())
            if self._names_someone_else(text[start:end], variant.replacement, variant.words, widened=widened):
                continue  # "Lily-Kayden": left as written, for the scan to flag ("holds a registered name")
            end = _close_apposition(text, start, match.start(), end)
            if end > match.end() and _ENDS_POSSESSIVE.search(text[start:end]):
                replacement = replacement.removesuffix("'s") + "'s"
            if found and start < found[-1][1]:  # the compound reaches back into the mention before
                start = found[-1][0]
                found.pop()
            found.append((start, end, replacement))
        if self._lower is not None:
            taken = [(a, b) for a, b, _ in found]
            for match in self._lower.finditer(text):
                if any(a < match.end() and match.start() < b for a, b in taken):
                    continue
                start, end = _whole_compound(text, match.start(), match.end())
                if (start, end) != (match.start(), match.end()):
                    named = self._names_compound(text[start:end], match.group(1))  # "Kayden-jay", not "blue-jay"
                else:
                    named = bool(match.group("poss")) or _names_a_person(text, match.start(), match.end(1))
                label = self._lower_lookup[match.group(1)]
                if named and self._names_someone_else(
                    text[start:end], label, _name_runs(match.group(1)), widened=(start, end) != match.span()
                ):
                    continue
                if named:
                    replacement = label + ("'s" if match.group("poss") else "")
                    if any(a < end and start < b for a, b in taken):
                        continue  # part of a compound already replaced
                    found.append((start, end, replacement))
            found.sort()
        return _drop_repeated_apposition(text, _merge_possessive_roles(text, found))

    def _names_someone_else(self, mention: str, label: str, own: frozenset[str], *, widened: bool) -> bool:
        """Whether a mention widened beyond its registered form may be someone else than ``label`` says.

        The rule for a hyphenated name holding a registered one ("Lily-Mae", "Kayden-Jay"): it is the
        person whose name part it holds when that part is one person's; when the part is shared
        ("Lily" is two people's forename) or another part is someone else's ("Lily-Kayden"), it is
        left as written and the scan flags it, so the reviewer decides instead of an export silently
        printing "[name]" or the wrong person's label.
        """
        if widened and label == AMBIGUOUS:
            return True
        for run in _name_runs(mention) - own:
            if self._word_labels.get(run, {label}) - {label}:
                return True
        return False

    def _spaced_forename(self, text: str, start: int, end: int) -> tuple[int, int]:
        """Widen a one-word mention over a spaced dash to a name word beside it ("Lily - Mae" is "Lily-Mae").

        Only a capitalised word on the names list that is no English word, practice term or registered
        name: "Lily - Kayden" is two people, "Lily - Tuesday" a note, "Tesco - Lily" a shop and a child;
        "Lily - Rose" or "Lily - Jax" (no listed name) are left for the scan to flag ("Rose", "Jax").
        """
        after = _SPACED_NAME_AFTER.match(text, end)
        if (
            after
            and " " in after.group(0)
            and self._name_like(after.group("w"))
            and not _ENDS_POSSESSIVE.search(text[start:end])
        ):
            end = after.end()
        # the search runs over all the text before: only where that text ends with a dash
        dash_before = text[:start].rstrip().endswith(_DASHES)
        before = _SPACED_NAME_BEFORE.search(text[:start]) if dash_before else None
        if before and " " in text[before.end("w") : start] and self._name_like(before.group("w")):
            start = before.start()
        return start, end

    def _name_like(self, word: str) -> bool:
        folded = fold(word)
        return (
            folded in given_names()
            and folded not in self._name_words
            and folded not in domain_terms()
            and not _is_english(folded, common_words())
        )

    def _names_compound(self, compound: str, word: str) -> bool:
        """Whether a hyphenated word holding a registered name part written in lower case ("jay") is a name.

        It is when another of its parts is a name: a registered name word ("Smith-jay"), a known name that
        is no English word ("kayden-jay"), or a capitalised word that is a known name or no English word
        ("Kayden-jay", "Kaydn-jay"). "blue-jay", "young-ish", "young-carers" and "dawn-raid" are words.
        """
        parts = [_core(p.strip()) for p in re.split("[" + _HYPHENS + "]", compound)]
        commons, names = common_words(), given_names()
        for part in (p for p in parts if p and p != word):
            folded = fold(part).strip(_APOSTROPHES)
            english = _is_english(folded, commons)
            if folded in self._name_words or (folded in names and not english):
                return True
            if part[:1].isupper() and (folded in names or (len(folded) >= 3 and not english)):
                return True
        return False

    def _pattern_for(self, trigger: str, *, titled: bool = True) -> re.Pattern[str] | None:
        """The forms that start with `trigger`, compiled once (a small pattern per first word).

        Without ``titled`` the optional title before each form is left out: for a word that cannot be
        one, trying the titles in every form only costs time (about two thirds of the time spent matching).
        """
        if trigger not in self._by_trigger:
            return None
        if (trigger, titled) not in self._compiled:
            self._compiled[trigger, titled] = self._compile(self._by_trigger[trigger], titled=titled)
        return self._compiled[trigger, titled]

    def _matches(self, text: str) -> Iterable[re.Match[str]]:
        """Try, at each word, only the forms that begin with that word (or with the word after a title).

        At a title both are tried and the longer mention wins; of two as long, the form registered with
        its title ("Ms Dawson" -> Mother) wins over the title plus a shorter, shared form ("Dawson" -> [name]).
        """
        resume = 0
        words = list(_WORD_START.finditer(text))
        for position, word in enumerate(words):
            if word.start() < resume:
                continue
            folded = word.group(0).casefold()
            if folded not in self._by_trigger and folded not in _TITLE_WORDS:
                continue  # most words start no form: nothing to try
            # a title matches a whole word, so a word in plain letters that is none cannot start with one
            titled = folded in _TITLE_WORDS or not word.group(0).isascii()
            candidates = [self._pattern_for(folded, titled=titled)]
            if folded in _TITLE_WORDS and position + 1 < len(words):  # "Dr Patel": the title goes with the name
                candidates.append(self._pattern_for(words[position + 1].group(0).casefold()))
            found = [m for p in candidates if p is not None for m in [p.match(text, word.start())] if m]
            match = max(found, key=lambda m: m.end()) if found else None  # max keeps the first of equals
            if match:
                resume = match.end()
                yield match

    def _variant_of(self, match: re.Match[str]) -> _Variant:
        for name, value in match.groupdict().items():
            if value is not None and name.startswith("v"):
                return self._variants[int(name[1:])]
        raise AssertionError("a name match without its variant")

    @staticmethod
    def _absorb_role_word(text: str, start: int, role_words: Sequence[str], label: str) -> tuple[int, bool]:
        """Move the start back over "mother " or "mum, " when the pseudonym already says it.

        Also says whether the role written is the label's own: an ending of the label's role ("officer" of
        "Housing officer 1") after a word of another role ("police officer Smith") is not, and stays.
        """
        if not role_words:
            return start, True
        before = text[max(0, start - 40) : start]
        any_word, each_word, longest = _role_word_patterns(role_words)
        # a role word ends where the spaces and the one comma before the name begin: look no further back
        stem = before.rstrip()
        stem = stem[:-1].rstrip() if stem.endswith(",") else stem
        if not any_word.search(before, max(0, len(stem) - longest)):
            return start, True  # no role word before the name (most mentions)
        endings = _role_phrases(label.casefold().split())[1:]
        for word, pattern in zip(role_words, each_word, strict=True):
            m = pattern.search(before)
            if m:
                absorbed = start - (len(before) - m.start())
                if word in endings and _qualifies_role(text[max(0, absorbed - 30) : absorbed]):
                    return start, False
                return absorbed, True
        return start, True

    def apply(self, text: str | None) -> str:
        """The text with every mention replaced."""
        if not text:
            return text or ""
        out: list[str] = []
        position = 0
        for start, end, replacement in self.mentions(text):
            out.append(text[position:start])
            if replacement[:1].islower() and _STARTS_SENTENCE.search(text, 0, start):
                replacement = replacement[:1].upper() + replacement[1:]  # a label typed "mother's partner"
            out.append(_match_case(text[start:end], replacement))
            position = end
        out.append(text[position:])
        return "".join(out)


#: A dash written between two words with a space on one side at least ("Lily - Mae", "Lily -- Mae", "Lily– Mae").
_SPACED_DASH = r"\s*(?:--|[" + _HYPHENS + r"—])\s*"
_DASHES = tuple(_HYPHENS + "—")
_ENDS_POSSESSIVE = re.compile("[" + _APOSTROPHES + "]s$")
_SPACED_NAME_AFTER = re.compile(_SPACED_DASH + r"(?P<w>[A-Z][^\W\d_]+)(?:[" + _APOSTROPHES + r"]s)?(?!\w)")
_SPACED_NAME_BEFORE = re.compile(r"(?<![\w" + _APOSTROPHES + r"])(?P<w>[A-Z][^\W\d_]+)" + _SPACED_DASH + "$")
_COMMA_BEFORE = re.compile(r",\s*$")
_ONE_WORD = re.compile(r"[^\W\d_][\w" + _APOSTROPHES + "]*")
_STARTS_SENTENCE = re.compile(r"(?:^|[.!?]\s+|\n\s*)$")
_COMPOUND_BEFORE = re.compile(r"(?:[^\W\d_][\w" + _APOSTROPHES + r"]*[" + _HYPHENS + r"])+$")
_COMPOUND_AFTER = re.compile(r"(?:[" + _HYPHENS + r"]\n?[^\W\d_][\w" + _APOSTROPHES + r"]*)+")


@lru_cache(maxsize=256)
def _role_word_patterns(
    role_words: tuple[str, ...],
) -> tuple[re.Pattern[str], tuple[re.Pattern[str], ...], int]:
    """For ``NameFinder._absorb_role_word``, compiled once per label: any of the role words just before a name
    (a quick test), each one (tried in the given order, longest first), and the longest one's length."""
    each = [r"(?<!\w)" + re.escape(word) + r"\s*,?\s+$" for word in role_words]
    compiled = tuple(re.compile(p, re.IGNORECASE) for p in each)
    return re.compile("|".join(each), re.IGNORECASE), compiled, max(map(len, role_words))


def _whole_compound(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a mention to the whole hyphenated word it is part of ("Kayden-Jay" when only "Jay" is listed).

    A part of a registered name must never survive beside its pseudonym ("Kayden-Child A"): the
    other half of a double-barrelled name is as identifying as the half the register knows.
    """
    # only a hyphen just before the name (or before a line break there, which "$" allows) makes a compound
    hyphen_before = start > 0 and text[start - 1] in _HYPHENS + "\n"
    before = _COMPOUND_BEFORE.search(text, max(0, start - 60), start) if hyphen_before else None
    if before and (
        before.start() == 0 or not (text[before.start() - 1].isalnum() or text[before.start() - 1] in _APOSTROPHES)
    ):
        start = before.start()
    after = _COMPOUND_AFTER.match(text, end)
    if after:
        end = after.end()
    return start, end


#: Adjectives of a relation ("new partner", "ex-partner"), each followed by a space or a hyphen.
_RELATION_WORDS = "new ex former current latest previous estranged old".split()
_RELATION_ADJECTIVES = re.compile(
    r"(?:(?:" + "|".join(_RELATION_WORDS) + r")(?:\s+|[" + _HYPHENS + r"]))*", re.IGNORECASE
)
#: Before a role a label says whose ("her new partner Wayne", "ex-partner Marcus"): the adjectives go in the label.
_RELATION_BEFORE = re.compile(
    r"(?<![\w" + _APOSTROPHES + r"])(?:(?:the|her|his|their)\s+)?(" + _RELATION_ADJECTIVES.pattern + ")$",
    re.IGNORECASE,
)
_WHOSE = re.compile(r"[^\s" + _APOSTROPHES + r"]+[" + _APOSTROPHES + r"]s\s+")


def _relation_before(text: str, start: int, replacement: str) -> tuple[int, str, bool]:
    """ "her ex-partner Marcus" is "Mother's ex-partner" when the label is "Mother's partner".

    Only for a label that says whose ("Mother's ..."): its "her" or "the" goes, and an adjective of the
    relation ("new", "ex-", "former") is kept inside the label, never lost ("ex-partner" is not "partner").
    A label with adjectives of its own says them: "her new partner" is "Mother's new partner", but
    "her ex-partner" against "Mother's new partner" is not the label's relation (the last value is False),
    and the writer's words stay beside it rather than reading "Mother's ex-new partner".
    """
    whose = _WHOSE.match(replacement)
    found = _RELATION_BEFORE.search(text, max(0, start - 40), start) if whose else None
    if whose is None or found is None or not found.group(0):
        return start, replacement, True
    adjectives = found.group(1).lower()
    own = _RELATION_ADJECTIVES.match(replacement, whose.end())
    if own and own.group(0):
        written = set(re.findall(r"[^\W\d_]+", adjectives))
        return found.start(), replacement, written <= set(re.findall(r"[^\W\d_]+", own.group(0).lower()))
    return found.start(), replacement[: whose.end()] + adjectives + replacement[whose.end() :], True


#: Words before a role that are not part of it ("seen by officer Smith", "the officer", "Kerry's partner").
_NOT_A_QUALIFIER = frozenset(
    "the a an her his their its our your this that by to with from and or but for of at on in as then was is "
    "were are be been when where who which while after before via per".split()
).union(_RELATION_WORDS)


def _qualifies_role(before: str) -> bool:
    """Whether the word just before a role ending makes it another role ("police" in "police officer").

    Not when there is none, or it ends a clause, or it is a function word, a possessive, a relation
    adjective or a verb ("by", "the", "Kerry's", "new", "asked"): then the ending is the label's role.
    """
    word = re.search(r"([^\W\d_]+(?:[" + _APOSTROPHES + r"]s)?)\s*$", before)
    if word is None or re.search(r"[^\w" + _APOSTROPHES + r"\s]\s*$", before):
        return False
    folded = fold(word.group(1))
    if folded in _NOT_A_QUALIFIER or folded in _PERSON_BEFORE or folded.endswith(("'s", "ed")):
        return False
    return True


_DETERMINERS = frozenset("the a an her his their its our your".split())


def _close_apposition(text: str, start: int, name_start: int, end: int) -> int:
    """ "the housing officer, Mr Smith, said" is "the Housing officer 1 said": the closing comma goes too.

    Only after a determiner: in "mum, Sarah, Liam and Rose" the commas may part a list, and stay.
    """
    if "," not in text[start:name_start] or text[end : end + 1] != ",":
        return end
    before = re.findall(r"[^\W\d_]+", text[max(0, start - 12) : start])[-1:]
    absorbed = re.findall(r"[^\W\d_]+", text[start:name_start])[:1]  # "the child, Lily,"
    # "Kerry's partner, Wayne,": a possessive before the role is a determiner too
    possessive = re.search("[" + _APOSTROPHES + r"]s\s+$", text[max(0, start - 12) : start])
    return end + 1 if possessive or any(w.casefold() in _DETERMINERS for w in before + absorbed) else end


_APPOSITION_OPEN = re.compile(r"\s*([,(])\s*")


def _drop_repeated_apposition(text: str, found: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """ "Wayne, Kerry's new partner, attended" is "Mother's new partner attended", not the label twice.

    After a mention, an apposition (after a comma or in brackets, and closed) that reads, once replaced, as
    the mention's own label ("Kerry's new partner", "(mother)") is dropped with its closing comma or bracket.
    """
    out: list[tuple[int, int, str]] = []
    index = 0
    while index < len(found):
        start, end, replacement = found[index]
        index += 1
        out.append((start, end, replacement))
        opening = _APPOSITION_OPEN.match(text, end)
        if not opening or fold(replacement).endswith("'s"):
            continue
        following = found[index] if index < len(found) and found[index][0] == opening.end() else None
        if following is not None and len(following[2]) > len(replacement):
            continue
        # the text after the opening as it will read, and where its characters are in ``text``
        rendered = following[2] + text[following[1] :] if following else text[opening.end() :]
        base = following[1] - len(following[2]) if following else opening.end()
        size = len(replacement)
        if fold(rendered[:size]) != fold(replacement) or re.match(r"[\w" + _APOSTROPHES + "]", rendered[size:]):
            size = _says_the_label(rendered, replacement, ")" if opening.group(1) == "(" else ",")
            if not size or (
                index + (following is not None) < len(found) and found[index + (following is not None)][0] < base + size
            ):
                continue
        new_end = base + size
        close = ")" if opening.group(1) == "(" else ","
        if text[new_end : new_end + 1] == close:
            new_end += 1
        elif close == ")" or not re.match(r"\s*(?:[.;:!?]|$)", text[new_end:]):
            continue  # not a closed apposition ("Jones, Smith Jones and Jones" is a list): leave it
        out[-1] = (start, new_end, replacement)
        index += following is not None
    return out


_APPOSITION_ROLE = re.compile(
    r"(?:(?P<det>the|her|his|their)\s+)?(?:(?P<whose>[^\W\d_]+)[" + _APOSTROPHES + r"]s\s+)?"
    r"(?P<adjectives>" + _RELATION_ADJECTIVES.pattern + r")(?P<role>[^\W\d_]+(?:\s+[^\W\d_]+)?)\s*",
    re.IGNORECASE,
)


def _says_the_label(rendered: str, label: str, close: str) -> int:
    """The length of an apposition that says the label's role in other words, or 0.

    "Wayne (mum's partner)" is "Mother's new partner", not "Mother's new partner (mum's partner)": whose
    (a synonym, "her" or none), the relation's adjectives (none or the label's own) and the role (a synonym)
    all agree with the label. "(mum's ex-partner)" or "(dad's partner)" says something else and stays.
    """
    found = _APPOSITION_ROLE.match(rendered)
    if found is None or rendered[found.end() : found.end() + 1] != close:
        return 0
    role = fold(found.group("role"))
    adjectives = set(re.findall(r"[^\W\d_]+", found.group("adjectives").lower()))
    whose = _WHOSE.match(label)
    if whose is None:
        phrases = _role_phrases(fold(label).split())
        said = (
            found.group("whose") is None and not adjectives and phrases and role in (*phrases, *_synonyms(phrases[0]))
        )
        return found.end() if said else 0
    label_whose = fold(label[: whose.end()]).split("'")[0]
    rest = label[whose.end() :]
    own = _RELATION_ADJECTIVES.match(rest)
    label_adjectives = set(re.findall(r"[^\W\d_]+", own.group(0).lower())) if own else set()
    label_role = fold(rest[own.end() if own else 0 :])
    written_whose = fold(found.group("whose") or "")
    if written_whose and written_whose not in (label_whose, *_synonyms(label_whose)):
        return 0
    if not adjectives <= label_adjectives or role not in (label_role, *_synonyms(label_role)):
        return 0
    return found.end()


def _synonyms(role: str) -> tuple[str, ...]:
    return ROLE_SYNONYMS.get(role, ())


def _merge_possessive_roles(text: str, found: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """ "Sarah's partner Liam" is "Mother's partner", not "Mother's Mother's partner"."""
    merged: list[tuple[int, int, str]] = []
    for start, end, replacement in found:
        if merged:
            p_start, p_end, p_replacement = merged[-1]
            possessive = fold(p_replacement).endswith("'s")
            if possessive and fold(replacement).startswith(fold(p_replacement)) and not text[p_end:start].strip():
                rest = replacement[len(p_replacement) :].strip()
                merged[-1] = (p_start, end, f"{p_replacement} {rest}" if rest else p_replacement)
                continue
        merged.append((start, end, replacement))
    return merged


#: Words before a lower-case name that make it a person ("asked dawn", "with rose").
_PERSON_BEFORE = frozenset(
    "to with by from about asked told visited visit saw seen misses missed contacted phoned "
    "called informed advised and for spoke met between supporting support".split()
)
#: Words after a lower-case name that make it a person ("dawn said", "rose was").
_PERSON_AFTER = frozenset(
    "said says told was is has had attended asked spoke reported disclosed returned present "
    "did agreed refused missed made meeting engaging low seen and stated explained wants "
    "wanted arrived left called phoned rang denied confirmed appeared".split()
)
#: Words before an ordinary word that make it not a name ("the summer", "an amber rating").
_ORDINARY_BEFORE = frozenset("the a an this that last next of during in early late very every each".split())


def _names_a_person(text: str, start: int, end: int) -> bool:
    """Whether a lower-case ordinary word that is also a name is used as the name here."""
    before = re.findall(r"[\w']+|[(\n]", text[max(0, start - 30) : start])
    after = re.findall(r"[\w']+", text[end : end + 30])
    previous = before[-1].lower() if before else ""
    if previous in _ORDINARY_BEFORE:
        return False
    if not before or previous in ("(", "\n") or previous in _PERSON_BEFORE:
        return True
    return bool(after) and after[0].lower() in _PERSON_AFTER


def _match_case(original: str, replacement: str) -> str:
    """Keep a pseudonym as written, except a name written in capitals stays in capitals."""
    if not original.isupper():
        return replacement  # some letter is not a capital (or none is cased): the common case, told at once
    letters = [c for c in original if c.isalpha()]
    if len(letters) > 3 and all(c.isupper() for c in letters):
        return replacement.upper()
    return replacement


# -- names nobody listed ----------------------------------------------------------------

_WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ][A-Za-zÀ-ÖØ-öø-ÿ" + re.escape(_APOSTROPHES + _HYPHENS) + r"]*")
_SENTENCE_END = re.compile(r"(?:[.!?:;•\-–(\"“]|\n|^)\s*$")


@dataclass(frozen=True)
class Suspect:
    """A capitalised word (or words) that looks like a name the register does not know."""

    text: str
    start: int
    end: int
    reason: str  # "after a title", "known name", "not an English word", "capitalised mid-sentence"

    @property
    def key(self) -> str:
        return fold(re.sub(r"^[A-Z]\.\s?|\s[A-Z]\.$", "", self.text))


def _core(word: str) -> str:
    """The word without trailing apostrophes or hyphens, nor its possessive "'s"."""
    word = word.rstrip(_APOSTROPHES + _HYPHENS)
    if word[-1:] in ("s", "S") and word[-2:-1] and word[-2] in _APOSTROPHES:
        return word[:-2]
    return word


_HYPHEN_SPLIT = re.compile("[" + _HYPHENS + "]")
_APOSTROPHE_MARKS = re.compile("[" + _APOSTROPHES + "]")


@lru_cache(maxsize=16384)
def _folded_parts(word: str) -> tuple[str, ...]:
    """The folded hyphen parts of a word without apostrophes ("O'Neill-Price" gives "oneill", "price")."""
    return tuple(fold(_APOSTROPHE_MARKS.sub("", p)) for p in _HYPHEN_SPLIT.split(word) if p)


@lru_cache(maxsize=64)
def _folded_names(names: tuple[str, ...]) -> frozenset[str]:
    """The folded names (the reviewer's dismissed words), once per list rather than once per field."""
    return frozenset(fold(name) for name in names)


@lru_cache(maxsize=64)
def _folded_words(names: tuple[str, ...]) -> frozenset[str]:
    """The folded words of some names (known pseudonyms), once per list rather than once per field."""
    return frozenset(fold(w) for k in names for w in k.split() if w)


#: Abbreviations of note-taking that are never someone's initials here ("NB: mother informed").
NOTE_ABBREVIATIONS = frozenset("nb ps am pm ok tbc tba nfa na aka asap fyi eta".split())


@lru_cache(maxsize=64)
def _registered_forms(registered: tuple[str, ...]) -> tuple[frozenset[str], frozenset[str]]:
    """The folded name words of the register's people and their initials without dots ("KM", "KJM", "LMM")."""
    words: set[str] = set()
    initials: set[str] = set()
    for name in registered:
        tokens = _tokens(name)
        while len(tokens) > 1 and _is_title(tokens[0]):
            tokens = tokens[1:]
        parts = [p for t in tokens for p in re.split("[" + _HYPHENS + "]", t) if p]
        words.update(fold(re.sub("[" + _APOSTROPHES + "]", "", p)) for p in parts if len(p) >= 2)
        for group in (tokens, tokens[:1] + tokens[-1:], parts):
            letters = "".join(t[0] for t in group if t[:1].isalpha()).upper()
            if 2 <= len(letters) <= 4:
                initials.add(letters)
    return frozenset(words), frozenset(initials)


def find_suspects(
    text: str, *, known: Iterable[str] = (), dismissed: Iterable[str] = (), registered: Iterable[str] = ()
) -> list[Suspect]:
    """Name-like words in ``text`` (already anonymised) that are neither known pseudonyms nor dismissed.

    Over-flags on purpose: a reviewer dismisses "Tesco" once for the whole
    review, while a missed name is published. ``registered`` are the register's
    real names and other names: a form of them the finder does not replace is
    flagged even where it reads as English or an acronym ("Deans car", "the
    Prices", initials without dots "KM").
    """
    if not text:
        return []
    known_words = _folded_words(tuple(known))
    registered_words, registered_initials = _registered_forms(tuple(registered))
    skip = _folded_names(tuple(dismissed))
    commons, names, domain = common_words(), given_names(), domain_terms()
    titles = _TITLE_WORDS
    suspects: list[Suspect] = []
    words = list(_WORD.finditer(text))
    previous_title = False
    for index, match in enumerate(words):
        raw = match.group(0)
        if not raw[0].isupper() and not _HYPHEN_SPLIT.search(raw):
            previous_title = False  # most words: in lower case and no compound, so neither a name nor a title
            continue
        word = _core(raw)
        folded = fold(word)
        is_title = folded.rstrip(".") in titles and word[:1].isupper()
        parts = _folded_parts(word)
        # "Lily-Rose" where two people are Lily, "lily-kayden": the finder leaves it for the reviewer to decide
        holds_registered = len(parts) > 1 and any(p in registered_words for p in parts)
        if (
            not word
            or len(word) < 2
            or not (word[0].isupper() or (holds_registered and not _is_english(folded, commons)))
        ):
            previous_title = is_title
            continue
        if folded in known_words or folded in skip or folded.replace("’", "'") in skip:
            previous_title = is_title
            continue
        if is_title:
            previous_title = True
            continue
        sentence_start = bool(_SENTENCE_END.search(text[: match.start()]))
        upper_acronym = word.isupper() and len(word) <= 5
        # "SEEN", "NOT", "VISITED": a word written in capitals for emphasis, never a name nor initials
        emphasis = (
            word.isupper()
            and len(word) >= 3
            and _ordinary_word(folded, commons, names)
            and folded not in registered_words
            and not _beside_a_name(words, index, commons, names)
        )
        reason = ""
        if previous_title:
            reason = "after a title"
        elif holds_registered:
            reason = "holds a registered name"
        elif (
            word.isupper()
            and not emphasis
            and word in registered_initials
            and not (folded in CAPITALS_FUNCTION_WORDS and _in_capitals_run(words, index))
            and folded not in domain
            and folded not in ROLE_ACRONYMS
            and folded not in NOTE_ABBREVIATIONS
            and folded not in titles
        ):
            reason = "initials of someone in the register"
        elif folded.endswith("s") and fold(word.replace("'", ""))[:-1] in registered_words:
            reason = "a registered name without its apostrophe"
        elif emphasis or (folded in CAPITALS_FUNCTION_WORDS and _in_capitals_run(words, index)):
            reason = ""  # "SEEN IN CLINIC": the words, not Ian Norris's initials nor a name beside a name
        elif word.isupper() and len(word) <= 3:  # an acronym (ED, NB, GP) unless a name beside a name ("IVY COLE")
            reason = (
                "in capitals beside another name"
                if folded in names and folded not in domain and _next_to_capitals(words, index)
                else ""
            )
        elif folded in names and folded not in domain:
            reason = "known name"
        elif (
            upper_acronym
            and len(word) >= 3
            and folded not in domain
            and _is_english(folded, commons)
            and _next_to_capitals(words, index)
        ):
            reason = "in capitals beside another name"
        elif upper_acronym:
            reason = ""
        elif folded in domain:
            reason = ""
        elif not _is_english(folded, commons):
            reason = "not an English word"
        elif not sentence_start:
            reason = "capitalised mid-sentence"
        previous_title = False
        if reason:
            start = match.start()
            initial = re.search(r"(?<![\w.])[A-Z]\.\s?$", text[max(0, start - 3) : start])
            if initial:  # "M. Dobbs": the initial goes with the name
                start -= len(initial.group(0))
            end = match.start() + len(word)
            after = re.match(r"\s[A-Z]\.", text[end : end + 3])
            if after:  # "Tasha B."
                end += len(after.group(0))
            suspects.append(Suspect(text[start:end], start, end, reason))
    for match in _DOTTED_INITIALS.finditer(text):  # "K.M.", "K. M.": the word loop skips single letters
        letters = re.sub(r"[^A-Z]", "", match.group(0))
        taken = any(s.start <= match.start() < s.end for s in suspects)
        if (
            letters in registered_initials
            and not taken
            and fold(letters) not in skip
            and fold(match.group(0)) not in skip
        ):
            suspects.append(Suspect(match.group(0), match.start(), match.end(), "initials of someone in the register"))
    suspects.sort(key=lambda s: s.start)
    return suspects


#: Short English words that, in a line written in capitals, are the word ("SEEN IN CLINIC"), never initials.
CAPITALS_FUNCTION_WORDS = frozenset(
    "a an and are as at be but by do for go he her him his if in is it me my no of on or our out so "
    "the to up us was we who".split()
)
_DOTTED_INITIALS = re.compile(r"(?<![\w.])(?-i:[A-Z]\.\s?){1,3}(?-i:[A-Z])\.?(?!\w)")


def _in_capitals_run(words: list[re.Match[str]], index: int) -> bool:
    """Whether a word stands in a run of three or more words in capitals (a line written in capitals).

    There an English word that happens to be someone's initials ("IN" for Ian Norris in "SEEN IN
    CLINIC") is the word, not the initials; initials that are not a word ("KM") are still flagged.
    """

    def upper(i: int) -> bool:
        return 0 <= i < len(words) and len(words[i].group(0)) >= 2 and words[i].group(0).isupper()

    return any(upper(a) and upper(a + 1) and upper(a + 2) for a in range(index - 2, index + 1))


def _neighbours(words: list[re.Match[str]], index: int) -> list[str]:
    """The words either side of `words[index]`, as written (one at the start or end of the text)."""
    return [words[other].group(0) for other in (index - 1, index + 1) if 0 <= other < len(words)]


def _next_to_capitals(words: list[re.Match[str]], index: int) -> bool:
    """A short word in capitals beside another capitalised word of more than 5 letters ("BEVERLEY SANDS")."""
    return any(word.isupper() and len(word) > 5 for word in _neighbours(words, index))


def _beside_a_name(words: list[re.Match[str]], index: int, commons: frozenset[str], names: frozenset[str]) -> bool:
    """Next to a word that is a name and nothing else ("JOANNE KETTLE", "KETTLE, JOANNE"): then a capitalised
    dictionary word is likely a surname, not emphasis."""
    return any(fold(word) in names and fold(word) not in commons for word in _neighbours(words, index))


def _ordinary_word(folded: str, commons: frozenset[str], names: frozenset[str]) -> bool:
    """An English word as the dictionary spells it ("seen", "visited") that is no name, nor a name's plural
    or patronymic form ("sands" for Sand, "brooks"), which a surname often is."""
    if folded not in commons or folded in names:
        return False
    return not any(folded.endswith(end) and folded[: -len(end)] in names for end in ("s", "es"))


def _is_english(folded: str, commons: frozenset[str]) -> bool:
    if folded in commons:
        return True
    parts = re.split("[" + _HYPHENS + "]", folded)
    if len(parts) > 1:
        return all(p in commons for p in parts if p)
    for suffix in ("s", "es", "ed", "ing", "ly"):
        if folded.endswith(suffix) and folded[: -len(suffix)] in commons:
            return True
    return False


# -- the "source of information" column ---------------------------------------------------

#: Words that name a kind of record or a way of recording, not a person ("case note", "ED record").
RECORD_WORDS = frozenset(
    "case note notes record records log logs file files email emails letter letters report reports entry "
    "entries system call calls visit visits minutes form forms summary statement statements chronology "
    "database screening triage message messages text texts phone telephone fax memo handover ed ae "
    # case-record systems agencies name as the source
    "mosaic systmone emis rio sims cpoms liquidlogic eclipse niche storm athena cafcass".split()
)
#: Words of roles and posts that are also names somewhere ("Head", "Foster", "carer", "Holder"), never a person here.
ROLE_WORDS = frozenset(
    "head deputy teacher foster carer carers holder keyworker worker staff crew caller member public neighbour "
    "year class form tutor lead manager officer nurse sister matron porter cook warden guard driver clerk "
    "reception receptionist admin volunteer mentor coach chaplain bishop dean provost sheriff judge leader "
    "childminder playgroup church job centre".split()
)
#: Acronyms of services and roles seen in agency returns, beside those in ``domain_terms`` ("CSC", "FSW").
ROLE_ACRONYMS = frozenset(
    "csc cs cp cpp cin lac cic dv dva sgo yot yos cpn fsw sw hv gp dsl pcso pc dc ds iro lado cse cce cme "
    "cmht amhp ehm ehh eha tac pru sen snr ypp ehcp ane ae mw cmw sn ldn lsw ssw psw".split()
)


_ROLE_SYNONYM_WORDS = frozenset(w for synonyms in ROLE_SYNONYMS.values() for s in synonyms for w in s.split())


def source_person_words(text: str, *, known: Iterable[str] = ()) -> list[str]:
    """The words of an (anonymised) source-of-information value that may name a person.

    The source column says who recorded or gave the information, so every value
    is treated as possibly naming someone unless each of its words is a known
    pseudonym (``known``), a title, or a word of role, agency or record ("HV",
    "Social worker", "Police log", "GP1"). A word on the names list counts as a
    name in any case ("Tom", "dawn email": the column names people, so "dawn"
    there is not the time of day) unless it is a record word ("Case note"); so
    does any capitalised word after a title or an initial ("Ms Kettle",
    "D. Brook"). Two capitals ("JS") count as someone's initials unless they
    are a known acronym ("HV", "SW") or an English word ("ED"); three to five
    capitals ("PPU", "CSC") are taken for a service's acronym unless they spell
    a name ("ANN"), so three-letter initials are left to the reviewer.
    """
    if not text:
        return []
    known_words = _folded_words(tuple(known))
    commons, names, domain = common_words(), given_names(), domain_terms()
    titles, roles = _TITLE_WORDS, _ROLE_SYNONYM_WORDS
    found: list[str] = []
    after_title = False  # "Ms Kettle", "D. Brook": what follows a title or an initial is a name
    for match in _WORD.finditer(text):
        word = _core(match.group(0)).strip(_HYPHENS)
        folded = fold(word)
        named = after_title
        after_title = folded.rstrip(".") in titles or (
            len(word) == 1 and word.isupper() and text[match.end() : match.end() + 1] == "."
        )
        if len(word) < 2 or folded in known_words or after_title:
            continue
        if named and word[:1].isupper():
            found.append(word)
            continue
        if folded in domain or folded in RECORD_WORDS or folded in ROLE_WORDS or folded in roles:
            continue
        if word.isupper() and len(word) <= 5:  # an acronym ("PPU"), or someone's initials ("JS") or name ("ANN")
            if folded in ROLE_ACRONYMS or (folded in commons and folded not in names):
                continue
            if len(word) >= 3 and folded not in names:
                continue
        elif folded not in names and _is_english(folded, commons):
            continue
        found.append(word)
    return found


@forget_at_lock
def _forget_workspace_text() -> None:
    """The caches that hold words and names of the workspace's texts (the word lists are the app's own)."""
    for cached in (
        fold,
        _name_runs,
        _role_word_patterns,
        _folded_parts,
        _folded_names,
        _folded_words,
        _registered_forms,
    ):
        cached.cache_clear()
