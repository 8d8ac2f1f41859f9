"""Sentence spans and word forms, shared by chunking and answering.

Both sides must agree on where a sentence starts and ends: ingestion splits long
paragraphs at sentence boundaries, and the extractive answerer quotes whole
sentences. Offsets are kept so a sentence can always be traced back to its passage.

    >>> [text for _, _, text in sentence_spans("The U.S. Senate met. It agreed.")]
    ['The U.S. Senate met.', 'It agreed.']
    >>> [text for _, _, text in sentence_spans("It matters for the U.S. The talks go on.")]
    ['It matters for the U.S.', 'The talks go on.']
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator

# A boundary is ., ! or ? (optionally closed by quotes or brackets) followed by
# whitespace and then something that can open a sentence.
_BOUNDARY = re.compile(r"""[.!?]+["'”’)\]]*(?=\s+["'“‘(\[]?[A-Z0-9])""")
# A tab parts the cells of a table row (ingest lays rows out so): each cell is a line of its own.
_NEWLINE = re.compile(r"[\n\t]+")
# Words whose trailing period does not end a sentence.
_ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof sr jr st vs etc e.g i.e no nos fig figs approx dept est inc ltd
    co corp gen gov sen rep col lt sgt capt jan feb mar apr jun jul aug sep sept oct nov
    dec u.s u.k u.n e.u p.m a.m vol pp ed eds cf al""".split()
)


def ends_with_abbreviation(text: str) -> bool:
    """True when the last word of ``text`` is an abbreviation such as "U.S." or "Dr."."""
    word = text.rsplit(None, 1)[-1] if text.strip() else ""
    word = word.rstrip(".").lstrip("(\"'“‘").lower()
    if not word:
        return False
    # Initials and initialisms ("J.", "U.S.") are not sentence ends.
    if re.fullmatch(r"(?:[a-z]\.)*[a-z]", word):
        return True
    return word in _ABBREVIATIONS


# An initialism or "etc." closes a sentence as well when the next word is one that opens
# sentences and names nothing: "... significance for the U.S. The concept ..." is two.
_MAY_END = frozenset("etc inc ltd co corp".split())
_NEVER_END = frozenset(("e.g", "i.e"))
_OPENS = re.compile(
    r"\s+[\"'“‘(]?(?:The|This|That|These|Those|It|Its|In|On|At|For|But|And|However|We|He|She|They|There|"
    r"A|An|As|If|When|While|With|Such|Since|Although|Both|Many|Most|Some|Yet|Still|Meanwhile)\b"
)


_INITIALISM = re.compile(r"(?:[a-z]\.)+[a-z]")


def abbreviation_may_end(text: str) -> bool:
    """Whether ``text`` ends with an abbreviation whose stop can end a sentence too
    ("... for the U.S.", "... and so on, etc."; not "Dr." or "e.g.")."""
    if not text.rstrip().endswith("."):
        return False
    word = text.rsplit(None, 1)[-1].rstrip(".").lstrip("(\"'“‘").lower()
    return (_INITIALISM.fullmatch(word) is not None and word not in _NEVER_END) or word in _MAY_END


def _closes_anyway(text: str, cursor: int, boundary: int, after: int) -> bool:
    """Whether the abbreviation ending ``text[cursor:boundary]`` also ends its sentence."""
    return abbreviation_may_end(text[cursor:boundary]) and _OPENS.match(text, after) is not None


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int, str]]:
    """Yield ``(start, end, sentence)`` for each sentence of ``text[start:end]``.

    Line breaks always end a sentence (headings, list items and table cells, which a tab
    parts, stand alone); inside a line, a sentence ends at terminal punctuation unless it
    closes an abbreviation.
    Offsets index into ``text``; leading and trailing whitespace is excluded.
    """
    end = len(text) if end is None else end
    for line_start, line_end in _line_spans(text, start, end):
        cursor = line_start
        for match in _BOUNDARY.finditer(text, line_start, line_end):
            if ends_with_abbreviation(text[cursor : match.start() + 1]) and not _closes_anyway(
                text, cursor, match.start() + 1, match.end()
            ):
                continue
            yield from _trimmed(text, cursor, match.end())
            cursor = match.end()
        yield from _trimmed(text, cursor, line_end)


def _line_spans(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    cursor = start
    for match in _NEWLINE.finditer(text, start, end):
        yield cursor, match.start()
        cursor = match.end()
    yield cursor, end


def _trimmed(text: str, start: int, end: int) -> Iterator[tuple[int, int, str]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        yield start, end, text[start:end]


_ACCENTS = re.compile("[\u0300-\u036f]")
# Dotted initialisms ("U.S.", "e.g.") are one word, so "U.S." and "US" both read "us".
_WORD = re.compile(r"(?:[A-Za-z]\.){2,}|[A-Za-z0-9]+(?:['’][A-Za-z]+)?")

# "happen" names no event ("When did it happen?" asks when the fire broke out); chat
# typing drops apostrophes ("whats the number to ring?").
STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each
    few for from further had has have having he her here hers herself him himself his how
    i if in into is it its itself just let me more most my myself no nor not now of off on
    once only or other our ours ourselves out over own same she should so some such than
    that the their theirs them themselves then there these they this those through to too
    under until up upon very was we were what when where which while who whom whose why
    will with would you your yours yourself yourselves s t can't don't won't isn't aren't
    wasn't weren't hasn't haven't didn't doesn't tell give list name describe explain please
    according document text mention mentioned say says said kind kinds type types
    happen happens happened happening occur occurs occurred whats hows whos wheres thats""".split()
)


def words(text: str) -> list[str]:
    """Lower-cased word tokens, possessives folded ("India’s" -> "india")."""
    # Sentences are cached: the answerer asks for the words of one several times (is it
    # a statement, a label, a reference, its terms). Whole passages, as the keyword index
    # reads them, would only churn the cache.
    return list(_sentence_words(text) if len(text) <= 400 else _words(text))


@functools.lru_cache(maxsize=1 << 13)
def _sentence_words(text: str) -> tuple[str, ...]:
    return _words(text)


def _words(text: str) -> tuple[str, ...]:
    if text.isascii() and "'" not in text:
        # Most text: lower-casing first gives the same tokens (the pattern takes either
        # case) in one call instead of one per word; only initialisms keep their stops.
        found = _WORD.findall(text.lower())
        return tuple(w.replace(".", "") if "." in w else w for w in found) if "." in text else tuple(found)
    out = []
    # "cafés" is "cafes", "Zürich" "zurich": accents dropped, not the letters they sit on
    # (only combining accents: "m²" and "Teams™" keep their symbols apart).
    text = _ACCENTS.sub("", unicodedata.normalize("NFD", text))
    for word in _WORD.findall(text):
        word = word.lower()
        if "’" in word:
            word = word.replace("’", "'")
        if "." in word:
            word = word.replace(".", "")
        if word.endswith("'s"):
            word = word[:-2]
        out.append(word)
    return tuple(out)


# Cached: a corpus repeats a small vocabulary, and building the keyword index stems every
# word of every chunk: some 10M words at 100k chunks, from a far smaller vocabulary.
@functools.lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """A light suffix stripper: enough to match "negotiations" with "negotiation"."""
    for suffix in ("ations", "ation", "ings", "ing", "ies", "ied", "es", "ed", "ly", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            base = word[: -len(suffix)]
            if suffix in ("ies", "ied"):
                return base + "y"
            if suffix in ("ings", "ing", "ed") and _DOUBLED.search(base) and base not in _DOUBLED_BASES:
                # "plugged", "stopping": the consonant doubled before the ending is one
                # ("plug", "stop"); not an l, s, z or f, which words end in doubled
                # ("falling", "passed", "buzzing", "staffed").
                return base[:-1]
            return base
    return word


_DOUBLED = re.compile(r"([bdgmnprt])\1$")
# Words that end doubled themselves ("boycotted" is "boycott"), and "wedding", no "Wed".
_DOUBLED_BASES = frozenset("wedd boycott butt putt purr whirr burr matt watt mutt herr".split())


def content_terms(text: str) -> list[str]:
    """Stemmed words that carry meaning (stopwords dropped), in order."""
    return [stem(w) for w in words(text) if w not in STOPWORDS]


# A callable's signature as a reference manual sets it on a line of its own: "os.getcwd()",
# "@functools.lru_cache(maxsize=128, typed=False)", "class Fraction(numerator=0)",
# "str.split(sep=None, maxsplit=-1) -> list".
_SIGNATURE = re.compile(r"(?:@|(?:class|def|async def)\s+)?[A-Za-z_][\w.]*\([^\n]*\)(?:\s*->\s*\S[^\n]*)?")
# "dpkg(1)", "each_C_library_function_name(3)": a manual page named, not a signature.
_MANUAL_PAGE = re.compile(r"[\w.+-]+\(\d\w*\)")
MAX_SIGNATURE_CHARS = 200


def is_signature(line: str) -> bool:
    """Whether ``line`` is a callable's signature, as a reference manual heads an entry with."""
    text = line.strip()
    return (
        len(text) <= MAX_SIGNATURE_CHARS
        and _SIGNATURE.fullmatch(text) is not None
        and _MANUAL_PAGE.fullmatch(text) is None
    )
