"""Other names for the same place: demonyms, capitals, short forms and initialisms.

A question says "American", "America" or "the United States" where the documents say
"U.S."; it says "New Delhi" for the Indian government. Matching words exactly misses
these, so before question and sentence are compared both are folded to one form per
country (``fold``), and a name in a question counts as present in the documents when
any of its forms is (``forms``).

Initialisms built from a question's own capitalised words ("Bilateral Trade Agreement"
-> "BTA") are matched too (``initialisms``).

    >>> fold("What does America offer Indian firms?")
    'What does U.S. offer India firms?'
    >>> sorted(forms("American"))[:3]
    ['America', 'American', 'Americans']
"""

from __future__ import annotations

import functools
import re

from core.text import STOPWORDS, stem, words

# country | other names (demonyms, capital, short forms); the first field is the form
# folded to. General knowledge, not tuned to any document.
_TABLE = """
U.S.|US|USA|U.S.A.|United States|United States of America|America|American|Americans|Washington
U.K.|UK|United Kingdom|Britain|Great Britain|British|London
India|Indian|Indians|New Delhi|Delhi
China|Chinese|Beijing|PRC
Russia|Russian|Russians|Moscow|Russian Federation
Japan|Japanese|Tokyo
Germany|German|Germans|Berlin
France|French|Paris
Italy|Italian|Italians|Rome
Spain|Spanish|Madrid
Canada|Canadian|Canadians|Ottawa
Mexico|Mexican|Mexicans|Mexico City
Brazil|Brazilian|Brazilians|Brasília|Brasilia
Australia|Australian|Australians|Canberra
Pakistan|Pakistani|Pakistanis|Islamabad
Bangladesh|Bangladeshi|Dhaka
Israel|Israeli|Israelis|Jerusalem
Iran|Iranian|Iranians|Tehran
Iraq|Iraqi|Iraqis|Baghdad
Saudi Arabia|Saudi|Saudis|Riyadh
Turkey|Turkish|Türkiye|Ankara
Egypt|Egyptian|Egyptians|Cairo
South Africa|South African|Pretoria
Nigeria|Nigerian|Abuja
Indonesia|Indonesian|Jakarta
South Korea|Korean|Koreans|Seoul|Republic of Korea
North Korea|Pyongyang|DPRK
Vietnam|Vietnamese|Hanoi
Taiwan|Taiwanese|Taipei
Ukraine|Ukrainian|Ukrainians|Kyiv|Kiev
Poland|Polish|Warsaw
Netherlands|Dutch|Holland|Amsterdam
Sweden|Swedish|Stockholm
Norway|Norwegian|Oslo
Switzerland|Swiss|Bern
Singapore|Singaporean
Sri Lanka|Sri Lankan|Colombo
Nepal|Nepalese|Nepali|Kathmandu
Afghanistan|Afghan|Kabul
European Union|EU|E.U.|Brussels
"""


@functools.cache
def _groups() -> tuple[tuple[str, tuple[str, ...]], ...]:
    rows = []
    for line in _TABLE.strip().splitlines():
        canonical, *others = (part.strip() for part in line.split("|"))
        rows.append((canonical, (canonical, *others)))
    return tuple(rows)


@functools.cache
def _fold_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    to_canonical = {}
    for canonical, names in _groups():
        for name in names:
            to_canonical[name.lower()] = canonical
    # Longest first, so "United States of America" wins over "United States".
    alternatives = sorted(to_canonical, key=len, reverse=True)
    pattern = re.compile(
        r"(?<![\w.])(" + "|".join(re.escape(a) for a in alternatives) + r")(?![\w])(?:['’]s)?", re.IGNORECASE
    )
    return pattern, to_canonical


_WORD_START = re.compile(r"\b[A-Za-z][\w.]*")
# Lower-case forms that are common words too: folded only when capitalised.
_COMMON_WORDS = frozenset("us polish turkey china french dutch swiss".split())


@functools.cache
def _openers() -> frozenset[str]:
    """The first word of every known name, as it is capitalised in text ("United", "U.S.")."""
    firsts = set()
    for _, names in _groups():
        for name in names:
            first = name.split()[0]
            firsts |= {first, first.rstrip("."), first.capitalize()}
    return frozenset(firsts)


@functools.cache
def _lower_openers() -> frozenset[str]:
    """The first word of every known name in lower case, but for common words ("us")."""
    return frozenset(
        name.split()[0].lower().rstrip(".")
        for _, names in _groups()
        for name in names
        if name.lower() not in _COMMON_WORDS
    )


def fold(text: str, lower: bool = True) -> str:
    """``text`` with every known name of a country written one way ("America" -> "U.S.").

    Names are folded as written or in lower case, as people type questions ("how does
    india help the united states?"), except lower-case forms that are also common words
    ("us" the pronoun, "french fries", "polish the turkey"). With ``lower`` false, only
    names written with a capital are folded: a lower-case "brussels sprouts" is no name a
    question asks about.
    """
    pattern, to_canonical = _fold_pattern()
    openers, lowered = _openers(), (_lower_openers() if lower else frozenset())
    # The long pattern is tried only where a known name can start, not at every position.
    starts = [
        m.start()
        for m in _WORD_START.finditer(text)
        if (w := m.group(0)) in openers or (w := w.rstrip(".")) in openers or w in lowered
    ]
    out, at = [], 0
    for start in starts:
        if start < at:
            continue  # inside a name just folded
        match = pattern.match(text, start)
        if match is None:
            continue
        found = match.group(1)
        if found.lower() == "us" and found != "US":
            continue
        out += [text[at:start], to_canonical[found.lower()]]
        at = match.end()
    return "".join([*out, text[at:]])


def forms(name: str) -> set[str]:
    """Every form of ``name`` the documents may use instead ({name} when none is known)."""
    _, to_canonical = _fold_pattern()
    canonical = to_canonical.get(name.lower())
    if canonical is None:
        return {name}
    return {n for c, names in _groups() if c == canonical for n in names} | {name}


_REGIONS = (
    "Africa",
    "Asia",
    "Europe",
    "Middle East",
    "Latin America",
    "South America",
    "North America",
    "Central Asia",
    "South Asia",
    "Southeast Asia",
    "East Asia",
    "Indo-Pacific",
    "Pacific",
    "Atlantic",
    "Arctic",
    "Antarctica",
    "Caribbean",
    "Gulf",
    "Balkans",
    "Scandinavia",
    "Oceania",
)


@functools.cache
def _place_pattern() -> re.Pattern[str]:
    names = sorted({*(n for _, group in _groups() for n in group), *_REGIONS}, key=len, reverse=True)
    return re.compile(r"(?<![\w.])(" + "|".join(re.escape(n) for n in names) + r")(?![\w-])")


def places(text: str) -> list[str]:
    """Countries, their capitals and world regions named in ``text``, as written.

    >>> places("India sources energy from Russia, Middle East, Africa.")
    ['India', 'Russia', 'Middle East', 'Africa']
    """
    return [m.group(1) for m in _place_pattern().finditer(text)]


def initialisms(text: str) -> list[tuple[str, tuple[str, ...]]]:
    """Initialisms of runs of capitalised words, with the words they stand for.

    >>> initialisms("What is the Bilateral Trade Agreement?")
    [('bta', ('bilateral', 'trade', 'agreement'))]
    """
    found = []
    for match in re.finditer(r"\b[A-Z][a-z]+(?:\s+(?:of\s+|and\s+|&\s+)?[A-Z][a-z]+)+", text):
        tokens = [t for t in re.split(r"\s+", match.group(0)) if t[0].isupper()]
        if len(tokens) >= 2:
            found.append(("".join(t[0] for t in tokens).lower(), tuple(t.lower() for t in tokens)))
    return found


_DEFINED = re.compile(r"((?:[A-Za-z][\w-]*\s+){1,8})\(([A-Za-z]{2,8})\)")
# What every match of _DEFINED ends with: found first, since trying _DEFINED's words at
# every position of a passage that has no such bracket was a fifth of answering time.
_DEFINING_BRACKET = re.compile(r"\s\([A-Za-z]{2,8}\)")


def defined_initialisms(text: str) -> list[tuple[str, tuple[str, ...]]]:
    """Initialisms a text defines in brackets after the words they stand for, whatever
    their case, with those words (connecting "of", "and" skipped, as readers do).

    >>> defined_initialisms("Debian uses a user private group (UPG) scheme.")
    [('upg', ('user', 'private', 'group'))]
    >>> defined_initialisms("the end of line (EOL) format, a Network File System (NFS) share")
    [('eol', ('end', 'of', 'line')), ('nfs', ('network', 'file', 'system'))]
    """
    found: list[tuple[str, tuple[str, ...]]] = []
    if _DEFINING_BRACKET.search(text) is None:
        return found
    for match in _DEFINED.finditer(text):
        initials = match.group(2).lower()
        before = [w.lower() for w in match.group(1).split()]
        # Back from the bracket, one word per letter, the small words between skipped.
        taken: list[str] = []
        for word in reversed(before):
            if len(taken) == len(initials):
                break
            if word[0] == initials[len(initials) - 1 - len(taken)]:
                taken.insert(0, word)
            elif word not in ("of", "and", "the", "for", "to", "&") or not taken:
                break
        if len(taken) == len(initials) and not match.group(2).islower():
            found.append((initials, tuple(taken)))
    return found


ORDINAL_WORDS = "first second third fourth fifth sixth seventh eighth ninth tenth".split()
# "the first phase", but not "the first Phase 2 turbines" (the first of phase 2's).
_ORDINAL_BEFORE = re.compile(rf"\b({'|'.join(ORDINAL_WORDS)})\s+([a-z]{{3,}})\b(?!\s+\d)", re.I)
_ORDINALS = frozenset(ORDINAL_WORDS)
_DIGIT = re.compile(r"\d")
_NUMBER_AFTER = re.compile(
    r"\b([A-Za-z]{3,})\s+(\d{1,2})\b(?![.,]\d)(?:\s*(?:-|–|to)\s*(\d{1,2})\b(?![.,:]\d|\s*(?:%|am\b|pm\b)))?"
)
# "Zone A (Town Centre)", "what are the hours in zone a?": a letter naming one of a kind,
# where nothing follows it in the phrase (not "a" before a noun, nor "I").
_LETTER_AFTER = re.compile(r"\b([A-Za-z]{3,})\s+([A-HJ-Za-hj-z])(?=\s*(?:$|[?.!,:;(]))")
# What such a letter needs around it, searched for first: few sentences have it.
_LONE_LETTER = re.compile(r"\s[A-HJ-Za-hj-z]\s*(?:$|[?.!,:;(])")
# "Years 3 to 6" numbers Year 4 too; a range of more than this many is no list of things.
MAX_RANGE = 12


def numbered(text: str) -> list[str]:
    """One term per numbered thing, however it is written; the noun is cut to seven
    letters as other terms are.

    >>> numbered("the first phase, then Phase 2 and 1.5 MW; the first Phase 3 turbines")
    ['phase#1', 'phase#2', 'phase#3']
    >>> numbered("For pupils in Years 3 to 5, lunch costs £2.60.")
    ['year#3', 'year#4', 'year#5']
    >>> numbered("Zone A (Town Centre): Monday to Saturday; what about zone b?")
    ['zone#a', 'zone#b']
    """
    # Most sentences hold neither an ordinal, a digit nor a lone letter: three cheap checks
    # spare the patterns.
    pairs = (
        [(noun, ORDINAL_WORDS.index(nth.lower()) + 1) for nth, noun in _ORDINAL_BEFORE.findall(text)]
        if not _ORDINALS.isdisjoint(words(text))
        else []
    )
    if _DIGIT.search(text):
        for noun, first, last in _NUMBER_AFTER.findall(text):
            low = int(first)
            high = int(last) if last and low < int(last) < low + MAX_RANGE else low
            pairs += [(noun, n) for n in range(low, high + 1)]
    lettered = (
        [(noun, letter.lower()) for noun, letter in _LETTER_AFTER.findall(text)] if _LONE_LETTER.search(text) else []
    )
    return [f"{stem(noun.lower())[:7]}#{n}" for noun, n in [*pairs, *lettered] if noun.lower() not in STOPWORDS]
