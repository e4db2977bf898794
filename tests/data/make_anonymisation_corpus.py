"""Write tests/data/anonymisation_corpus.json: fictional chronology entries with every name annotated.

Twelve invented families (names chosen to be hard: names that are ordinary
words, "O'Neill", double-barrelled surnames, nicknames, shared surnames) and
the professionals around them. Each entry is written from sentence patterns
of real chronology writing; every person is mentioned in a form drawn from
the ways agencies write people (full name, first name only, title and
surname, possessive, capitals, initials, nickname, a misspelling, a name broken
across lines, "mum Sarah"...). Because the generator places each mention,
the ground truth (field, start, end, person, form) is exact.

Families 1-6 are the development half (the finder and word lists were tuned
on them); families 7-12 are the held-out half, written with different names
and measured only. Some people and some forms are deliberately NOT in the
register, so the scan for unknown names is measured too.

Run: python tests/data/make_anonymisation_corpus.py  (deterministic, seed fixed)
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

OUT = Path(__file__).with_name("anonymisation_corpus.json")

# person: key, first, last, title, role, pseudonym, registered, other names in register, unlisted variants
FAMILIES: list[dict] = [
    {
        "half": "dev",
        "people": [
            ("child", "Rose", "Turner", "Miss", "child", "Child A", True, ["Rosie"], ["Rosy"]),
            ("mother", "Sarah", "Turner", "Ms", "mother", "Mother", True, ["Shaz", "Sarah Blake"], ["Sara"]),
            ("partner", "Liam", "O'Neill", "Mr", "partner", "Mother's partner", True, [], ["Liam Oneil"]),
            ("grandmother", "Grace", "Blake", "Mrs", "grandmother", "Maternal grandmother", True, ["Nanny Grace"], []),
            ("gp", "Anil", "Patel", "Dr", "GP", "GP1", True, [], []),
            ("sw", "Hannah", "Pryce", "Ms", "social worker", "SW1", True, [], []),
            ("neighbour", "Doreen", "Pettifer", "Mrs", "neighbour", "", False, [], []),
        ],
    },
    {
        "half": "dev",
        "people": [
            ("child", "Summer", "Smith-Jones", "Miss", "child", "Child B", True, [], []),
            ("mother", "Kayleigh", "Smith-Jones", "Ms", "mother", "Mother", True, ["Kayleigh Smith"], ["Kaylee"]),
            ("father", "Dean", "Jones", "Mr", "father", "Father", True, ["Deano"], []),
            ("sibling", "Hunter", "Smith-Jones", "Master", "brother", "Sibling 1", True, [], []),
            ("uncle", "Ricky", "Smith", "Mr", "uncle", "", False, [], []),
            ("hv", "Joanne", "Kettle", "Ms", "health visitor", "HV1", True, ["Jo Kettle"], []),
            ("pc", "Mark", "Ellery", "PC", "police officer", "Police officer 1", True, [], []),
        ],
    },
    {
        "half": "dev",
        "people": [
            ("child", "Grace", "Okafor", "Miss", "child", "Child C", True, ["Gracie"], []),
            ("mother", "Blessing", "Okafor", "Ms", "mother", "Mother", True, [], ["Blessin"]),
            ("partner", "Tyrone", "Wilks", "Mr", "partner", "Mother's partner", True, ["Ty"], []),
            ("gp", "Helen", "Marsh", "Dr", "GP", "GP2", True, [], []),
            ("teacher", "Colin", "Ashworth", "Mr", "teacher", "", False, [], []),
            ("sw", "Priya", "Desai", "Ms", "social worker", "SW2", True, [], []),
        ],
    },
    {
        "half": "dev",
        "people": [
            ("child", "Harley", "Brook", "Master", "child", "Child D", True, [], []),
            ("mother", "Dawn", "Brook", "Ms", "mother", "Mother", True, ["Dawn Brooke"], []),
            ("partner", "Gareth", "Hill", "Mr", "partner", "Mother's partner", True, ["Gaz"], ["Gary Hill"]),
            ("grandfather", "Frank", "Brook", "Mr", "grandfather", "Maternal grandfather", True, [], []),
            ("hv", "Lorraine", "Bates", "Ms", "health visitor", "HV2", True, [], []),
            ("friend", "Stacey", "Marr", "Ms", "family friend", "", False, [], []),
        ],
    },
    {
        "half": "dev",
        "people": [
            ("child", "Amelia-Rose", "Kowalczyk", "Miss", "child", "Child E", True, ["Millie"], []),
            ("mother", "Agnieszka", "Kowalczyk", "Ms", "mother", "Mother", True, ["Aga"], ["Agnieska"]),
            ("partner", "Jamie", "McAllister", "Mr", "partner", "Mother's partner", True, [], ["Jamie Mcalister"]),
            ("gp", "Oluwaseun", "Adebayo", "Dr", "GP", "GP3", True, ["Dr Seun"], []),
            ("pc", "Craig", "Dunmore", "PC", "police officer", "Police officer 2", True, [], []),
        ],
    },
    {
        "half": "dev",
        "people": [
            ("child", "Hope", "Fairweather", "Miss", "child", "Child F", True, [], []),
            ("mother", "Faith", "Fairweather", "Ms", "mother", "Mother", True, [], []),
            (
                "grandfather",
                "Bernard",
                "Fairweather",
                "Mr",
                "grandfather",
                "Maternal grandfather",
                True,
                ["Bernie"],
                [],
            ),
            ("sw", "Tom", "Baxendale", "Mr", "social worker", "SW3", True, [], []),
            ("neighbour", "Ivy", "Cartwright", "Mrs", "neighbour", "", False, [], []),
        ],
    },
    {
        "half": "held-out",
        "people": [
            ("child", "Ellis", "MacDonald-Hughes", "Master", "child", "Child G", True, [], []),
            ("mother", "Chantelle", "Hughes", "Ms", "mother", "Mother", True, ["Chantelle MacDonald"], ["Shantelle"]),
            ("father", "Connor", "MacDonald", "Mr", "father", "Father", True, ["Con"], []),
            ("gp", "Imogen", "Thwaite", "Dr", "GP", "GP4", True, [], []),
            ("teacher", "Beverley", "Sands", "Mrs", "teacher", "", False, [], []),
            ("hv", "Nadia", "Qureshi", "Ms", "health visitor", "HV3", True, [], []),
        ],
    },
    {
        "half": "held-out",
        "people": [
            ("child", "Willow", "Bright", "Miss", "child", "Child H", True, [], []),
            ("mother", "Crystal", "Bright", "Ms", "mother", "Mother", True, ["Chrissy"], ["Krystal"]),
            ("partner", "Marcus", "Stone", "Mr", "partner", "Mother's partner", True, ["Big Marc"], []),
            ("sw", "Eleanor", "Whitlock", "Ms", "social worker", "SW4", True, [], []),
            ("pc", "Darren", "Fogg", "PC", "police officer", "Police officer 3", True, [], []),
            ("uncle", "Troy", "Bright", "Mr", "uncle", "", False, [], []),
        ],
    },
    {
        "half": "held-out",
        "people": [
            ("child", "Jack", "Mason", "Master", "child", "Child J", True, ["Jacky"], []),
            ("mother", "Amber", "Mason", "Ms", "mother", "Mother", True, [], []),
            ("partner", "Lee", "Carpenter", "Mr", "partner", "Mother's partner", True, [], ["Lee Carpinter"]),
            ("gp", "Rupert", "Ainsworth", "Dr", "GP", "GP5", True, [], []),
            ("hv", "Sian", "Price", "Ms", "health visitor", "HV4", True, [], []),
            ("neighbour", "Maureen", "Dobbs", "Mrs", "neighbour", "", False, [], []),
        ],
    },
    {
        "half": "held-out",
        "people": [
            ("child", "Aisha", "Rahman", "Miss", "child", "Child K", True, [], ["Ayesha"]),
            ("mother", "Nasreen", "Rahman", "Mrs", "mother", "Mother", True, ["Naz"], []),
            ("father", "Imran", "Siddiqui", "Mr", "father", "Father", True, [], []),
            ("sw", "Gemma", "Lightfoot", "Ms", "social worker", "SW5", True, [], []),
            ("aunt", "Farah", "Siddiqui", "Ms", "aunt", "", False, [], []),
        ],
    },
    {
        "half": "held-out",
        "people": [
            ("child", "Poppy-Mae", "Gallagher", "Miss", "child", "Child L", True, ["Poppy"], []),
            ("mother", "Leanne", "Gallagher", "Ms", "mother", "Mother", True, ["Lea"], []),
            ("partner", "Ryan", "D'Souza", "Mr", "partner", "Mother's partner", True, [], ["Ryan Dsouza"]),
            ("gp", "Fiona", "Crane", "Dr", "GP", "GP6", True, [], []),
            ("pc", "Kelly", "Ashdown", "PC", "police officer", "Police officer 4", True, [], []),
        ],
    },
    {
        "half": "held-out",
        "people": [
            ("child", "Autumn", "Reed", "Miss", "child", "Child M", True, [], []),
            ("mother", "Skye", "Reed", "Ms", "mother", "Mother", True, [], []),
            ("grandmother", "Pearl", "Reed", "Mrs", "grandmother", "Maternal grandmother", True, ["Nanna Pearl"], []),
            ("partner", "Carl", "Bishop", "Mr", "partner", "Mother's partner", True, [], []),
            ("hv", "Wendy", "Pickering", "Ms", "health visitor", "HV5", True, [], []),
            ("friend", "Tasha", "Brennan", "Ms", "family friend", "", False, [], []),
        ],
    },
]

ROLE_WORDS = {
    "mother": ["mother", "mum", "Mum"],
    "partner": ["partner", "mum's partner"],
    "father": ["father", "dad"],
    "grandmother": ["grandmother", "nan"],
    "grandfather": ["grandfather", "grandad"],
    "child": ["child"],
    "sibling": ["brother"],
}

# Sentence patterns: {X} is a mention of the family member with key X (or any of a kind with X|Y).
EVENTS = [
    "Home visit by {sw}. {mother} present with {child}. Home conditions poor; no food in the fridge.",
    "{mother} attended A&E with {child} who had a bruise to the left cheek. {mother} said {child} fell at nursery.",
    "Police called to the address by {neighbour} after shouting heard. {partner} had left before officers arrived.",
    "{child} seen at Riverside Surgery by {gp} for a chest infection; {mother} reported {partner} had moved in.",
    "Telephone call from {mother} to the duty desk: {partner} had taken her phone and tension rose during the call.",
    "Strategy discussion held. {sw} to visit within 24 hours; {pc} to check the address history.",
    "Initial child protection conference. {mother} and {partner} attended. {child} made subject of a plan (neglect).",
    "School reported {child} arrived hungry and in the same clothes as yesterday; {teacher} spoke to {mother}.",
    "{hv} new birth visit. {mother} low in mood; Edinburgh scale completed. {grandmother} present and supportive.",
    "{child} missed a hospital appointment. Letter sent to {mother}; no reply. {gp} informed.",
    "Domestic abuse incident: {partner} arrested for assault on {mother}. {child} was in the flat at the time.",
    "{grandmother} phoned children's services worried about {child}; said {partner} shouts at {child}.",
    "Core group meeting. {mother} did not attend. {sw} reported {child} says she likes school.",
    "Housing visit: the flat was damp; {mother} asked for a move away from {partner}.",
    "{child}'s name added to the nursery waiting list at Larchfield Primary; {mother} did not complete the form.",
    "GP appointment: {mother} asked {gp} for sleeping tablets; said {partner} was back on the scene.",
    "{pc} attended after a report that {child} was left alone. {mother} returned after 40 minutes from Tesco.",
    "Missed HV contact; card left. {hv} noted the summer holidays had started and the family may be away.",
    "Case transferred to the long-term team; {sw} allocated. Grace period for the tenancy arrears agreed with housing.",
    "{uncle} seen at the address by {sw}; {mother} said he was only visiting for the weekend.",
    "{friend} told the school that {mother} had been drinking; {teacher} passed this to the DSL.",
    "Paediatric assessment of {child}: weight on the 2nd centile. {mother} will attend the follow-up.",
    "{father} rang to ask about contact with {child}; {sw} explained the plan and a mark on the arm was discussed.",
    "{sibling} disclosed to his teacher that {partner} hits {child}; referral made the same day.",
    "Review child protection conference: plan continued. {mother}, {grandmother} and {sw} attended.",
    "Letter from {gp} to the health visiting team about {child}'s eczema and missed appointments.",
    "Joint visit by {sw} and {pc}. {partner} refused entry; {mother} spoke through the window.",
    "{neighbour} told the police that {child} was crying for hours and no adult answered the door.",
    "Amber rating given at the MARAC; {mother} agreed to work with the IDVA. Hope to review in four weeks.",
    "Summary from {hv}: {child} meeting milestones; {mother} engaging; {partner} not seen.",
]
ANALYSES = [
    "With hindsight the agency could have asked {mother} directly about {partner}.",
    "The voice of {child} was not recorded; practitioners focused on {mother}'s needs.",
    "{sw} did not share this with the GP. Information sharing was weak.",
    "Good practice: {hv} followed up the missed contact within a week.",
    "The risk posed by {partner} was not assessed; {mother} was seen as protective.",
    "",
]
VOICES = [
    '{child} said: "I don\'t like it when {partner} shouts."',
    "{child} said she misses {grandmother}.",
    "{child} told the nurse that mummy was sad.",
    "",
]
SOURCES = [
    "{sw} case note",
    "{gp} GP record",
    "HV record ({hv})",
    "Police log ({pc})",
    "School log",
    "ED record",
    "Housing officer file",
    "{teacher} email",
]
OUTCOMES = [
    "Referral to children's services.",
    "No further action.",
    "{sw} to visit {mother} next week.",
    "Advice given to {mother}.",
    "Letter to {gp}.",
    "Strategy discussion requested.",
    "",
]


# Cases from the lead reviewer's trial of the anonymised export, written by hand after the generated
# entries (the seeded ones are unchanged): hyphenated forenames holding a registered one, a role
# written before a name, possessive relations, surname-first agency forms. {{key|text}} is a mention
# of that family member as written; each field also says how it must read once anonymised.
TRIAL_ENTRIES: list[tuple[int, dict[str, tuple[str, str]]]] = [
    (
        1,
        {
            "event": (
                "{{child|Rosie-Mae}} seen at nursery by social worker {{sw|Hannah Pryce}}; "
                "{{mother|Sarah}}'s partner {{partner|Liam}} waited outside.",
                "Child A seen at nursery by SW1; Mother's partner waited outside.",
            ),
            "source": ("Police log ({{mother|TURNER, Sarah}})", "Police log (Mother)"),
        },
    ),
    (
        1,
        {"event": ("{{mother|Turner, S.}} attended the core group.", "Mother attended the core group.")},
    ),
    (
        2,
        {
            "event": (
                "Health visitor {{hv|Jo Kettle}} saw {{child|Summer-Rose}}; {{mother|Kayleigh}}'s new partner "
                "was present.",
                "HV1 saw Child B; Mother's new partner was present.",
            ),
            "action_outcome": (
                "police officer {{pc|Mark Ellery}} to speak to {{father|JONES, Dean}}.",
                "Police officer 1 to speak to Father.",
            ),
        },
    ),
    (
        4,
        {
            "event": (
                "{{child|Harley-Jay}} and {{mother|Dawn}}'s partner {{partner|Gaz}} seen by HV {{hv|Lorraine Bates}}.",
                "Child D and Mother's partner seen by HV2.",
            )
        },
    ),
    (
        5,
        {
            "event": (
                "GP Dr {{gp|Adebayo}} reviewed {{child|Millie-Rose}}; {{mother|KOWALCZYK, Agnieszka}} attended.",
                "GP3 reviewed Child E; Mother attended.",
            )
        },
    ),
    (
        6,
        {
            "event": (
                "{{child|Hope-Louise}} told social worker Mr {{sw|Baxendale}} that {{mother|Faith}}'s new partner "
                "shouts.",
                "Child F told SW3 that Mother's new partner shouts.",
            ),
            "action_outcome": (
                "{{grandfather|Fairweather, B.}} (maternal grandfather) to collect her.",
                "Maternal grandfather to collect her.",
            ),
        },
    ),
    (
        7,
        {
            "event": (
                "{{child|Ellis-Jay}} seen by health visitor {{hv|Nadia Qureshi}}; {{mother|Chantelle}}'s partner "
                "was not present.",
                "Child G seen by HV3; Mother's partner was not present.",
            ),
            "action_outcome": (
                "{{father|MACDONALD, Connor}} arrested; {{mother|Hughes, C.}} informed.",
                "Father arrested; Mother informed.",
            ),
        },
    ),
    (
        8,
        {
            "event": (
                "police officer {{pc|Darren Fogg}} found {{child|Willow-Mae}} alone; {{mother|Crystal}}'s ex-partner "
                "{{partner|Marcus}} had left.",
                "Police officer 3 found Child H alone; Mother's ex-partner had left.",
            )
        },
    ),
    (
        9,
        {
            "event": (
                "{{partner|CARPENTER, Lee}} arrested for breach of bail; {{mother|Amber}}'s partner had been at the "
                "address. HV {{hv|Sian Price}} informed.",
                "Mother's partner arrested for breach of bail; Mother's partner had been at the address. HV4 informed.",
            )
        },
    ),
    (
        10,
        {
            "event": (
                "social worker {{sw|Gemma Lightfoot}} visited {{mother|Nasreen}}'s flat; {{father|SIDDIQUI, Imran}} "
                "was present.",
                "SW5 visited Mother's flat; Father was present.",
            )
        },
    ),
    (
        11,
        {
            "event": (
                "{{child|Poppy-May}} seen by GP Dr {{gp|Crane}}; {{mother|GALLAGHER, Leanne}} present.",
                "Child L seen by GP6; Mother present.",
            )
        },
    ),
    (
        12,
        {
            "event": (
                "{{child|Autumn-Rose}} stayed with {{grandmother|Nanna Pearl}}; {{mother|Skye}}'s new partner "
                "{{partner|Carl}} was asked to leave.",
                "Child M stayed with Maternal grandmother; Mother's new partner was asked to leave.",
            ),
            "action_outcome": ("{{mother|Reed, S.}} did not attend.", "Mother did not attend."),
        },
    ),
    # a role ending after another role's word, a spaced dash in a forename, an apposition in other words
    (
        5,
        {
            "event": (
                "police liaison officer {{pc|Dunmore}} called {{mother|Agnieszka}}.",
                "police liaison officer (Police officer 2) called Mother.",
            )
        },
    ),
    (
        4,
        {
            "event": (
                "{{child|Harley - Leigh}} seen at home; {{partner|Gareth}} (mum's boyfriend) answered the door.",
                "Child D seen at home; Mother's partner answered the door.",
            )
        },
    ),
    (
        8,
        {
            "event": (
                "{{child|Willow - Mae}} said {{partner|Marcus}}, her mum's partner, shouts.",
                "Child H said Mother's partner shouts.",
            )
        },
    ),
    (
        12,
        {
            "event": (
                "{{partner|Carl}} (mum's boyfriend) refused entry to the probation officer.",
                "Mother's partner refused entry to the probation officer.",
            )
        },
    ),
]
_TRIAL_MENTION = re.compile(r"\{\{(\w+)\|([^}]*)\}\}")


def trial_entry(number: int, family: dict, index: int, fields: dict[str, tuple[str, str]]) -> dict:
    """One hand-written entry: its fields with the marks taken out, each mention annotated, and the expected text."""
    people = {p[0]: p for p in family["people"]}
    out_fields, expected, mentions = {}, {}, []
    for name, (template, reads) in fields.items():
        text, position = "", 0
        for mark in _TRIAL_MENTION.finditer(template):
            text += template[position : mark.start()]
            person = people[mark.group(1)]
            mentions.append(
                {
                    "field": name,
                    "start": len(text),
                    "end": len(text) + len(mark.group(2)),
                    "person": person[0],
                    "registered": person[6],
                    "form": "trial",
                    "text": mark.group(2),
                }
            )
            text += mark.group(2)
            position = mark.end()
        out_fields[name] = text + template[position:]
        expected[name] = reads
    return {
        "family": number,
        "half": family["half"],
        "index": index,
        "fields": out_fields,
        "mentions": mentions,
        "expected": expected,
    }


def forms_for(person: tuple, rng: random.Random, family_people: list[tuple]) -> list[tuple[str, str, int, int]]:
    """Possible written forms: (text, form name, name start within text, name end within text)."""
    key, first, last, title, role, pseudonym, registered, others, unlisted = person
    full = f"{first} {last}"
    options: list[tuple[str, str, int, int]] = [
        (full, "full", 0, len(full)),
        (first, "first", 0, len(first)),
        (f"{title} {last}", "title+surname", len(title) + 1, len(title) + 1 + len(last)),
        (full.upper(), "capitals", 0, len(full)),
        (f"{first[0]}. {last}", "initial+surname", 0, len(last) + 3),
        (f"{first}\n{last}", "split-line", 0, len(full)),
        (f"{last.upper()}, {first}", "police-style", 0, len(last) + 2 + len(first)),
        (f"{first} {last[0]}.", "first+initial", 0, len(first) + 3),
        (first.lower(), "lower-case", 0, len(first)),
        (full.replace("'", "’"), "curly-apostrophe", 0, len(full)),
    ]
    if "-" in last:
        a, b = last.split("-", 1)
        options += [
            (f"{first} {a} {b}", "hyphen-as-space", 0, len(first) + len(last) + 1),
            (f"{first} {a}-\n{b}", "hyphen-split-line", 0, len(first) + len(last) + 2),
        ]
    if key in ROLE_WORDS:
        word = rng.choice(ROLE_WORDS[key])
        options.append((f"{word} {first}", "role+first", len(word) + 1, len(word) + 1 + len(first)))
    for other in others:
        options.append((other, "register-other-name", 0, len(other)))
    for variant in unlisted:
        options.append((variant, "unlisted-variant", 0, len(variant)))
    if key in ("gp", "pc"):
        options.append((f"{title} {first} {last}", "title+full", len(title) + 1, len(title) + 2 + len(full) - 1))
    return options


def pick_form(person: tuple, rng: random.Random, family_people: list[tuple]) -> tuple[str, str, int, int]:
    options = forms_for(person, rng, family_people)
    weights = []
    for _text, form, _s, _e in options:
        weights.append(
            {
                "full": 5,
                "first": 8,
                "title+surname": 4,
                "capitals": 1,
                "initial+surname": 1,
                "split-line": 1,
                "police-style": 1,
                "first+initial": 1,
                "lower-case": 1,
                "curly-apostrophe": 1,
                "hyphen-as-space": 2,
                "hyphen-split-line": 1,
                "role+first": 3,
                "register-other-name": 2,
                "unlisted-variant": 1,
                "title+full": 3,
            }[form]
        )
    return rng.choices(options, weights=weights)[0]


def fill(template: str, family: dict, rng: random.Random, mentions: list[dict], field_name: str) -> str:
    people = {p[0]: p for p in family["people"]}
    out = ""
    position = 0
    while True:
        start = template.find("{", position)
        if start < 0:
            out += template[position:]
            return out
        end = template.index("}", start)
        out += template[position:start]
        key = template[start + 1 : end]
        person = (
            people.get(key)
            or people.get(
                {
                    "teacher": "sw",
                    "neighbour": "friend",
                    "friend": "neighbour",
                    "uncle": "father",
                    "father": "partner",
                    "partner": "father",
                    "sibling": "child",
                    "grandmother": "grandfather",
                    "grandfather": "grandmother",
                    "hv": "sw",
                    "pc": "sw",
                    "gp": "hv",
                    "sw": "hv",
                }.get(key, "child")
            )
            or people["mother"]
        )
        text, form, name_start, name_end = pick_form(person, rng, family["people"])
        offset = len(out)
        mentions.append(
            {
                "field": field_name,
                "start": offset + name_start,
                "end": offset + name_end,
                "person": person[0],
                "registered": person[6],
                "form": form,
                "text": text[name_start:name_end],
            }
        )
        out += text
        position = end + 1


def main() -> None:
    rng = random.Random(20261202)
    families_out = []
    entries = []
    for number, family in enumerate(FAMILIES, start=1):
        register = [
            {"key": p[0], "real_name": f"{p[1]} {p[2]}", "pseudonym": p[5], "role": p[4], "other_names": p[7]}
            for p in family["people"]
            if p[6]
        ]
        families_out.append({"family": number, "half": family["half"], "register": register})
        for index in range(26):
            mentions: list[dict] = []
            fields = {
                "event": fill(rng.choice(EVENTS), family, rng, mentions, "event"),
                "source": fill(rng.choice(SOURCES), family, rng, mentions, "source"),
                "action_outcome": fill(rng.choice(OUTCOMES), family, rng, mentions, "action_outcome"),
                "agency_analysis": fill(rng.choice(ANALYSES), family, rng, mentions, "agency_analysis"),
                "child_voice_note": fill(rng.choice(VOICES), family, rng, mentions, "child_voice_note"),
            }
            entries.append(
                {"family": number, "half": family["half"], "index": index, "fields": fields, "mentions": mentions}
            )
    for count, (number, fields) in enumerate(TRIAL_ENTRIES):
        entries.append(trial_entry(number, FAMILIES[number - 1], 26 + count, fields))
    OUT.write_text(
        json.dumps({"families": families_out, "entries": entries}, indent=1, ensure_ascii=False), encoding="utf-8"
    )
    print(f"{len(entries)} entries, {sum(len(e['mentions']) for e in entries)} annotated mentions -> {OUT}")


if __name__ == "__main__":
    main()
