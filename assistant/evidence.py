"""Which retrieved sentence holds the answer: the signals, and how they are weighed.

Every quotable sentence of the retrieved passages is a ``Candidate``. ``rank`` gives each
one these signals, all between 0 and 1, and sorts them by their weighted sum:

- ``lexical``: the share of the question's words it contains, each word weighted by how
  rare it is among the candidates (so "Tennessee" counts for more than "India"); words
  from earlier turns count half; country names are folded across their forms and
  initialisms match the words they stand for ("BTA" and "Bilateral Trade Agreement");
  a question word the sentence lacks counts for its cosine to the sentence's nearest
  word in the model's word table ("information" for "details"), from 0.3 up;
- ``dense``: its passage's embedding similarity to the question, relative to the best;
- ``retrieval``: how high the retriever ranked its passage: its place after fusion, or
  its place in the one search (dense or keyword) that ranked it best, if higher;
- ``heading``: how much of the question one heading above it asks, or a question the
  passage asks just before it (a FAQ title over its answer), squared;
- ``opening``: it is the first sentence under its own section title, and that title asks
  the question and no more ("7.1. What is a Debian package?"): a FAQ or a manual answers
  first and then goes on to details, which may share more of the question's words. Not a
  passage that goes on a section begun in an earlier passage (retrieved too; or, for the
  lead, found so in the store: ``without_opening``), nor a sentence that leans on one
  before it; it decides which sentence leads, not how many others join it;
- ``kind``: it holds the kind of answer asked for and the question lacks: a name for
  "who", a number for "how many", a date for "when", a place for "where", a command,
  option, path or package for a how-to;
- ``repeated``: an earlier answer of the conversation already quoted it (a tie-breaker,
  so that a follow-up that asks for it again still gets it);
- ``aside``: the whole sentence is in parentheses, a remark in passing (a tie-breaker);
- ``tells_how``: for a how-to question, it says how ("You can ... by using the
  systemd-cat(1) command", "Run ...", "... can be checked by ..."), not only what happens;
- ``about_the_text``: it speaks of the document itself ("This report describes the
  history, the budget and the risks"), an overview rather than an answer, unless the
  question asks about that document ("What is this FAQ?");
- ``defers``: it leaves its point to later text ("..., as described below"), a pointer
  rather than an answer;
- ``counterpart``: its section's title differs from another retrieved section's only in
  the country it is for, and the question names the other's ("Benefits for the U.S."
  beside "Benefits for India", for "What benefits does India get?");
- ``someone_else``: it opens with "he" or "she" meaning a person other than the one the
  question asks about, and does not name that one either ("[Tobias Renwick] previously spent ..." for "What did Ingrid
  Halvard do before that?").

The weights are in ``WEIGHTS``, chosen on the odd-numbered halves of the question sets
and checked on the even ones; docs/RETRIEVAL.md has what each signal is worth
(`eval/answer_signals.py` leaves one out at a time) and what was tried and dropped.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from core.records import Hit
from core.text import STOPWORDS, content_terms, stem, words

from .aliases import ORDINAL_WORDS, defined_initialisms, fold, initialisms, numbered, places
from .answer import MARKER
from .conversation import full_names
from .idioms import plain
from .question import (
    PATH,
    WEEKDAY,
    WORK_WORDS,
    asked_as,
    asks_for_a_weekday,
    asks_for_path,
    asks_for_people,
    asks_for_person,
    asks_for_work,
    asks_how,
    asks_where,
    asks_who_did,
    expected_type,
    gives_an_age,
    names_a_weekday,
    names_work,
    other_roles,
    satisfies,
    sets_an_age,
)
from .quoting import Reference, about_the_text, given_names, keyed_value, organisations, people, reference
from .synonyms import Synonyms
from .word_vectors import WordVectors

WEIGHTS = {
    "lexical": 0.6,
    "dense": 0.4,
    "heading": 0.6,
    "retrieval": 0.5,
    "kind": 0.08,
    "repeated": -0.05,
    "aside": -0.05,
    "someone_else": -0.3,
    # Under "Benefits for the U.S." when "Benefits for India" is there too and the question
    # asks about India: the same thing, for someone else.
    "counterpart": -0.15,
    "about_the_text": -0.1,
    "tells_how": 0.1,
    "defers": -0.05,
    # From a document the conversation's last answer quoted: "what are the main
    # challenges?" after a question on the tidal array's financing asks about the array,
    # though another document says "challenge" too. Less than a question word's share,
    # so a follow-up's own words still take it elsewhere.
    "same_document": 0.2,
    # The first sentence under a section titled as the question ("7.1. What is a Debian
    # package?"): a FAQ or manual answers there, and goes on to details that may share
    # more of the question's words.
    "opening": 0.4,
}
# Words carried over from earlier turns count for this much of a question word, and
# all of them together for at most this share of the question's own words; a follow-up
# whose reference could not be resolved leans on them more.
CONTEXT_WEIGHT = 0.5
CONTEXT_SHARE = 0.5
OPEN_CONTEXT_SHARE = 1.0
# A runner-up joins the answer when it scores at least this share of the best and
# covers at least this share of the question words the best covers.
RUNNER_UP_SHARE = 0.85
# What a table's cell gives as a figure, answering a question that names its row.
_FIGURES = frozenset({"clock", "hours", "date", "money", "count"})
RUNNER_UP_COVERAGE = 0.8
# A question word a sentence lacks counts for its cosine to the sentence's nearest word
# when that reaches this ("concerns" for "worried" is 0.5, unrelated words below 0.2).
NEAR_WORD = 0.3
# What a question word's WordNet synonym in a sentence counts for (as a cosine would).
SYNONYM = 0.4


@dataclass(frozen=True)
class Candidate:
    rank: int  # of its passage among the hits
    hit: Hit
    index: int  # of the sentence in its passage
    start: int  # of the quote (after any label) in the passage
    end: int
    text: str  # the quote
    label: str  # what was cut from its front ("Energy Security: ")
    asked: str  # the last question the passage asked before it
    refers: Reference | None
    referent: str  # whom an opening "he" or "she" means, when the passage says
    # A label names the sentence's topic ("Energy Security: ..."): it is left out of the
    # quote, not out of what the sentence is about; nor is the person an opening "he" means.
    terms: frozenset[str] = field(compare=False)
    # The last sentence the quote takes in: its own index, or the command line it leads into.
    last: int = field(default=-1, compare=False)
    # The signature a reference manual describes it under ("os.getcwd()" over "Return a
    # string ..."), shown in brackets before the quote; "" for most sentences.
    head: str = field(default="", compare=False)
    # Words of the sentence before that an opening "This work ..." stands for, or the label
    # before that an opening "It" stands for ("Belay competency check: ... It takes about 15
    # minutes"): counted when the question asks for a kind of thing (a date, a person), which
    # such a sentence often holds ("This work is due to be completed in June 2026.").
    leaned: frozenset[str] = field(default=frozenset(), compare=False)
    # The sections a line closing its passage announces ("Several factors are converging
    # ...:" over "1. Global Geopolitics ...", "2. Trade ..."), named after its quote.
    items: tuple[str, ...] = field(default=(), compare=False)
    # What a table says a cell is, beyond its own words and label: its row's first cell and
    # its column's last word ("Kestley and Brindham", "charge" for "£1.50" under "Delivery
    # charge"), and the header over the rows' first cells ("Membership type"); counted
    # whatever the question asks (``leaned``, counted for a kind asked, holds the row's
    # other cells too).
    keyed: frozenset[str] = field(default=frozenset(), compare=False)
    # The terms of a table cell's own words and of the header over its column: ``keyed``
    # counts only for a question whose words meet one of these ("where is coding club
    # held?" is not answered by "[Coding Club] Wednesday" for holding the row's name).
    meets: frozenset[str] = field(default=frozenset(), compare=False)


def as_read(candidate: Candidate) -> str:
    """The quote with the label it is shown with: "May 2023" answers "when"."""
    label = shown_label(candidate)
    return f"{label}: {candidate.text}" if label else candidate.text


def row_start(candidate: Candidate) -> int:
    """Where the line holding ``candidate`` starts in its passage."""
    return candidate.hit.chunk.text.rfind("\n", 0, candidate.start) + 1


def row_line(candidate: Candidate) -> str:
    """The line holding ``candidate``: a table row, its cells parted by tabs."""
    return candidate.hit.chunk.text[row_start(candidate) :].split("\n", 1)[0]


def shown_label(candidate: Candidate) -> str:
    """The label cut from the front of ``candidate`` that its quote is read with: a date or
    number ("May 2023: visitor centre opened ...", whose date answers "when"), or a term
    keying words that are no sentence without it ("Extra: packages that ..."); else "".
    A heading pasted before a sentence ("Energy Security: India ...") or a phrase of
    discourse ("In short: the partnership ...") is left out."""
    label = candidate.label
    before = candidate.start - len(label)
    if not label or before < 0 or not candidate.hit.chunk.text.startswith(label, before):
        return ""  # none, or a run-in heading's, which is not in the sentence
    key = label.strip().rstrip(":").strip()
    # "Moreover, " is a connective cut from the sentence, never a label to show.
    if not key or "[" in key or "]" in key or key.endswith(","):
        return ""
    # "Monday: 9.30am to 5pm", "Zone A: Monday to Saturday": a figure or a day is the value
    # of its key, which says what it is for.
    dated = any(ch.isdigit() for ch in key) or keyed_value(candidate.text)
    term = (
        candidate.text[:1].islower()
        and (all(t[:1].isupper() for t in key.split()) or names_a_thing(key) or _asks_for(key))
        and reference(key) != "connective"
    )
    # "Lettings Officer: Dev Chauhan — lettings@...": a way to reach someone under a title
    # (a few words: "Opening Times And Contact Details" is a heading) says whose only with it.
    reached = (
        len(key.split()) <= MAX_TITLE_WORDS
        and all(t[:1].isupper() for t in key.split())
        and reference(key) != "connective"
        and (satisfies(candidate.text, "email") or satisfies(candidate.text, "phone"))
    )
    return key if dated or term or reached else ""


# A label of more words than this is no name of a thing; a title (a role) is shorter still.
MAX_LABEL_WORDS = 5
MAX_TITLE_WORDS = 3


def _asks_for(key: str) -> bool:
    """Whether a label asks what the words after it give ("Who can apply: young people aged
    8 to 15", "What to bring: ..."): those words answer it, and read as no sentence alone."""
    tokens = key.split()
    return bool(tokens) and tokens[0].lower() in _ASKING_WORDS and len(tokens) <= MAX_LABEL_WORDS


_ASKING_WORDS = frozenset("who what when where which how why".split())


def names_a_thing(key: str) -> bool:
    """Whether a label names what the words after it describe ("Belay competency check:
    needed to top-rope with a partner"), rather than leading into them as a phrase of
    discourse does ("In short: the partnership ...", "However: ...")."""
    first = key.split()[0] if key.split() else ""
    return (
        first[:1].isupper()
        and len(key.split()) <= MAX_LABEL_WORDS
        and first.lower() not in STOPWORDS
        and reference(key) != "connective"
    )


@dataclass(frozen=True)
class Scored:
    candidate: Candidate
    coverage: float  # the question's words in the sentence or the headings over it
    score: float
    repeated: bool = False
    signals: dict[str, float] = field(default_factory=dict, compare=False)
    own: float = 0.0  # share of the question's own words it or its headings hold (a near word by its cosine)
    # ``coverage`` with a word the sentence holds a synonym of, or a word as near, counted as
    # held ("kept" for "hold").
    loose: float = 0.0


def continued(hits: Sequence[Hit]) -> set[str]:
    """Passages that go on a section another of ``hits`` begins before them (the same
    document and headings, an earlier chunk): their first sentence opens nothing."""
    first: dict[tuple[str, tuple[str, ...]], int] = {}
    for h in hits:
        key = (h.chunk.source, h.chunk.headings)
        first[key] = min(first.get(key, h.chunk.index), h.chunk.index)
    return {h.chunk.id for h in hits if h.chunk.index > first[(h.chunk.source, h.chunk.headings)]}


def without_opening(scored: list[Scored], chunk_id: str) -> list[Scored]:
    """``scored`` with the sentences of passage ``chunk_id`` scored as opening nothing (it
    goes on a section begun before it), best first again."""
    out = [
        dataclasses.replace(s, score=unopened(s), signals={**s.signals, "opening": 0.0})
        if s.candidate.hit.chunk.id == chunk_id and s.signals.get("opening")
        else s
        for s in scored
    ]
    out.sort(key=_best_first)
    return out


def _best_first(scored: Scored) -> tuple[float, int, int]:
    """The order candidates are ranked in: score, then their passage's rank and place."""
    return (-scored.score, scored.candidate.rank, scored.candidate.start)


def unopened(scored: Scored) -> float:
    """``scored``'s score without what it gains for opening its section."""
    return scored.score - WEIGHTS["opening"] * scored.signals.get("opening", 0.0)


def runner_up_floor(lead: Scored) -> float:
    """The score a runner-up needs to join ``lead``: a share of the lead's, leaving out
    what the lead gains for opening its section, which decides which sentence leads,
    not how many others are worth quoting beside it (a runner-up is measured without
    its own, ``unopened``)."""
    return RUNNER_UP_SHARE * unopened(lead)


def terms_of(text: str) -> list[str]:
    """Content terms with country names folded and initialisms of capitalised runs added.

    Terms are cut to their first seven letters, a crude stemmer that the light one in
    ``content_terms`` lacks: "economically" meets "economic", "purchases" "purchase".
    """
    folded = fold(text)
    if "us" in folded:
        folded = _US_THE_PRONOUN.sub(r"\1 we", folded)
    if any(ch.isdigit() for ch in folded):
        folded = _CLOCK_TIME.sub(_clock_term, _CLOCK_RANGE.sub(_range_half, folded))
    elif "noon" in folded or "midday" in folded or "midnight" in folded:
        folded = _CLOCK_TIME.sub(_clock_term, folded)
    return (
        [term_of(w) for w in words(folded) if w not in STOPWORDS]
        + [initials for initials, _ in initialisms(folded)]
        + numbered(folded)
        + (["#before"] if _EARLIER.search(folded) else [])
        + _days_in_other_words(folded)
    )


# "Monday to Friday" are the weekdays and "Saturday and Sunday" the weekend: "what time does
# the gym open on weekdays?" asks the row a table keys "Monday to Friday".
_WEEKDAYS = re.compile(r"\bmon(?:day)?s?\.?\s*(?:-|–|—|to|until|till|through|thru)\s*fri(?:day)?s?\b")
_WEEKEND = re.compile(r"\bsat(?:urday)?s?\.?\s*(?:-|–|—|/|to|and|&|or|,|until|till|through|thru)\s*sun(?:day)?s?\b")


def _days_in_other_words(folded: str) -> list[str]:
    """The terms "weekday" and "weekend" for the days a range or pair of days covers."""
    lowered = folded.lower()
    if "fri" not in lowered and "sun" not in lowered:
        return []
    return (["weekday"] if _WEEKDAYS.search(lowered) else []) + (["weekend"] if _WEEKEND.search(lowered) else [])


PREFIX = 7
# A time of day however it is written is one term: "by 1pm" meets "by 1:00pm", "13:00" and
# "at 13.00", which read as "1" and "00pm", or "13" and "00", share no word with it. Not inside
# a sum ("£10 pm", "£1.30"), an elapsed time ("2:15:00") or a longer number, nor "am" the verb
# ("12 am i ok to ...").
_NOT_AFTER = r"(?<![£$€\d.,:])"
_CLOCK_TIME = re.compile(
    rf"\b(?:{_NOT_AFTER}(?P<h12>\d{{1,2}})(?:[:.](?P<m12>[0-5]\d))?\s*(?P<half>am(?!\s+i\b)|pm|a\.m\.|p\.m\.)(?!\w)"
    rf"|{_NOT_AFTER}(?P<h24>[01]?\d|2[0-3]):(?P<m24>[0-5]\d)(?![\d:.%]|,\d)"
    # With a point only where it reads as a time: after a word that places it in the day
    # ("at 10.30", "until 16.00") or opening a range of times ("10.00 until 16.00"); "for
    # 12.50" and "is 4.50" may be prices, and "Section 3.10" a number.
    rf"|(?P<at>(?:at|by|from|until|till|before|after|between|opens?|closes?)\s+){_NOT_AFTER}(?P<hd>[01]?\d|2[0-3])"
    r"\.(?P<md>[0-5]\d)(?![\d:.%]|,\d)"
    rf"|{_NOT_AFTER}(?P<hr>[01]?\d|2[0-3])\.(?P<mr>[0-5]\d)(?=\s*(?:-|–|—|to|until|till)\s*\d{{1,2}}[.:][0-5]\d)"
    r"|(?:12\s*)?(?P<noon>noon|midday)\b|(?:12\s*)?(?P<midnight>midnight)\b)",
    re.I,
)
# "6:30-8pm": the start of a range takes the half of the day its end has, when it comes
# before the end in that half ("9-5pm" runs from the morning).
_CLOCK_RANGE = re.compile(
    rf"\b{_NOT_AFTER}(?P<start>(?P<hour>\d{{1,2}})(?:[:.][0-5]\d)?)(?P<to>\s*(?:-|–|—|to|until|till)\s*)"
    r"(?P<end>(?P<last>\d{1,2})(?:[:.][0-5]\d)?\s*(?P<half>am|pm)\b)",
    re.I,
)


_CLOCK_TERM = re.compile(r"t[0-2]\d[0-5]\d")
# "may i park there at 1pm?", "can i march in the parade?": a month only where the question
# places something in it ("in May", "1st of March", "March 3").
_AS_A_MONTH = re.compile(
    r"\b(?:in|of|during|early|late|mid|since|until|till|from|before|after|by|through|this|next|last)[\s-]+(may|march)\b"
    r"|\b\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?(may|march)\b|\b(may|march)\s+\d",
    re.I,
)
_MONTHS = "january february march april may june july august september october november december".split()
_MONTH_NUMBER = {month[:3]: n for n, month in enumerate(_MONTHS)}
_MONTH_TERMS = {term[:PREFIX]: n for n, month in enumerate(_MONTHS) for term in content_terms(month)[:1]}
# As people shorten them in a question ("open in sept?"); not "mar", nor "may" and "march",
# which are words too (``_AS_A_MONTH``).
_MONTH_TERMS |= {short: _MONTH_NUMBER[short[:3]] for short in "jan feb apr jun jul aug sep sept oct nov dec".split()}
_MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b"
_MONTH_WORD = rf"({_MONTH})\.?"
_DAY_OF_MONTH = r"(?:\d{1,2}(?:st|nd|rd|th)?\s+)?"
# "between 11am and 4pm", "9am – 12 noon", "10:00-12:00": "and" joins two times into a range
# only after "between" ("at 9am and 5pm" names two).
_TIME_SPAN = re.compile(
    r"(\bbetween\s+)?\bt([0-2]\d[0-5]\d)\s*(?:-|–|—|to|until|till|through|(and))\s*"
    # The end as ``_CLOCK_TIME`` wrote it, or as "16.00" after a start it read ("10.00-16.00").
    r"(?:t([0-2]\d[0-5]\d)\b|(?<![£$€\d])([01]?\d|2[0-3])[.:]([0-5]\d)(?![\d.%]|,\d))"
)
# "from 1 April to 31 October", "November to February", "between 1 November and 31 March".
_MONTH_SPAN = re.compile(
    rf"(\bbetween\s+)?\b{_DAY_OF_MONTH}{_MONTH_WORD}\s*(?:-|–|—|to|until|till|through|(and))\s*{_DAY_OF_MONTH}{_MONTH_WORD}(?!\w)",
    re.I,
)


def held_in_ranges(asked: set[str], text: str) -> set[str]:
    """Which of ``asked`` (times of day as ``terms_of`` writes them, and months) a range in
    ``text`` holds: "between 11am and 4pm" holds "t1300", "November to February" December."""
    held: set[str] = set()
    clocks = {int(t[1:]) for t in asked if _CLOCK_TERM.fullmatch(t)}
    if clocks and any(ch.isdigit() for ch in text):
        timed = _CLOCK_TIME.sub(_clock_term, _CLOCK_RANGE.sub(_range_half, text))
        for m in _TIME_SPAN.finditer(timed):
            if m.group(3) and not m.group(1):
                continue
            start = int(m.group(2))
            end = int(m.group(4)) if m.group(4) else int(m.group(5)) * 100 + int(m.group(6))
            held |= {f"t{c:04d}" for c in clocks if _within(c, start, end)}
    months = [(n, t) for t, n in _MONTH_TERMS.items() if t in asked]
    if months:
        for m in _MONTH_SPAN.finditer(text):
            if m.group(3) and not m.group(1):
                continue
            first, last = (_MONTH_NUMBER[m.group(i).lower()[:3]] for i in (2, 4))
            held |= {t for n, t in months if _within(n, first, last)}
    return held


def _within(value: int, first: int, last: int) -> bool:
    """Whether ``value`` lies from ``first`` to ``last``, a range that may wrap round midnight
    ("22:00-02:00") or the new year ("November to February")."""
    return first <= value <= last if first <= last else value >= first or value <= last


def _range_half(match: re.Match[str]) -> str:
    start, last = int(match.group("hour")), int(match.group("last"))
    if not 1 <= start <= 12 or not 1 <= last <= 12:
        return match.group(0)
    half = match.group("half").lower()
    # "11-1pm" and "10-12pm" start in the morning; "12-2pm" at noon.
    same = last != 12 and (start < last or start == 12)
    other = "am" if half == "pm" else "pm"
    return f"{match.group('start')}{half if same else other}{match.group('to')}{match.group('end')}"


def _clock_term(match: re.Match[str]) -> str:
    """The time ``match`` writes as one word, by the 24-hour clock: "t1300" for "1pm"."""
    if match.group("noon"):
        return " t1200 "
    if match.group("midnight"):
        return " t0000 "
    if match.group("hd") is not None:
        return f"{match.group('at')} t{int(match.group('hd')):02d}{match.group('md')} "
    if match.group("hr") is not None:
        return f" t{int(match.group('hr')):02d}{match.group('mr')} "
    if match.group("h24") is not None:
        hour, minute = int(match.group("h24")), int(match.group("m24"))
    else:
        if not 1 <= int(match.group("h12")) <= 12:
            return match.group(0)  # "13pm", "0pm" are no times
        hour, minute = int(match.group("h12")) % 12, int(match.group("m12") or 0)
        hour += 12 if match.group("half").lower().startswith("p") else 0
    return f" t{hour:02d}{minute:02d} "


# "What does that tell us?": a lower-case "us" after a verb or preposition is the pronoun,
# not the country ("the us", "US tariffs").
_US_THE_PRONOUN = re.compile(
    r"\b((?i:tell|tells|told|telling|give|gives|gave|giving|show|shows|showed|let|lets|help|helps|helped|"
    r"for|to|with|about|among|of|join|joins|contact|call|email|ask|asks|asked))\s+us\b"
)
# What an abbreviation stands for, so that "Which grouping does it give as an example?"
# finds "(e.g., Quad, ...)".
_ABBREVIATED = {"eg": "example", "phd": "doctorate", "dphil": "doctorate"}


def term_of(word: str) -> str:
    """The term a word stands for: its stem's first ``PREFIX`` letters, an abbreviation as
    what it stands for. A verb form in "-ated" or "-ating" of nine letters or more loses
    that ending, as the stemmer cuts "-ation" off its noun: "cultivated" and "vaccinating"
    meet "cultivation" and "vaccination" ("cultiv", "vaccin"). Not a word in "-ate" itself,
    which may be a noun of its own ("doctorate", "candidate", "template"), nor a short one
    ("created", "located")."""
    if len(word) >= 9:
        for ending in _VERB_ENDINGS:
            if word.endswith(ending):
                return word[: -len(ending)][:PREFIX]
    stemmed = stem(word)
    return _ABBREVIATED.get(stemmed, stemmed)[:PREFIX]


_VERB_ENDINGS = ("ated", "ating")


# "What was he doing before he joined?" is answered by "He previously spent nine years
# ...": one term for the time before (a stopword on its own, "before" says when).
_EARLIER = re.compile(r"\b(?:before|previously|earlier|formerly|prior to)\b", re.I)


# Words that ask for a figure ("what time do u shut", "how much does it cost this year"),
# and no thing it is the figure of.
_ASKING = frozenset(
    terms_of(
        "time times open opens opening close closes closing shut shuts start starts begin begins finish finishes "
        "end ends cost costs price prices charge charges fee fees date dates day days hour hours year years yr month "
        "months week weeks today tonight tomorrow"
    )
)


# Headings, FAQ questions and labels recur question after question: their terms are
# worked out once, not for every candidate of every question.
@functools.lru_cache(maxsize=1 << 12)
def title_terms(text: str) -> frozenset[str]:
    return frozenset(terms_of(text))


# Words a section title may hold besides the ones it shares with its counterpart.
COUNTERPART_WORDS = 2
_SECTION_NUMBER = re.compile(r"^\s*(?:(?:chapter|section|part|appendix)\s+)?\d+(?:\.\d+)*\.?\s+", re.I)


def _place_terms(text: str) -> frozenset[str]:
    return frozenset(terms_of(" ".join(places(text))))


def _counterparts(titles: Sequence[str], asked: set[str]) -> frozenset[str]:
    """Section titles that a title the question matches better stands beside, differing
    only in the country they are for, which the question does not name where it names
    the other's: "Benefits for the U.S." beside "Benefits for India" when India is asked
    about."""
    found = set()
    # "12.1.1. POSIX shell compatibility": the section's number is no word of its title.
    terms = {title: section_terms(title) for title in titles}
    for one, other in itertools.permutations(terms, 2):
        mine, theirs = terms[one], terms[other]
        only_mine, only_theirs = mine - theirs, theirs - mine
        if (
            len(mine & theirs) >= max(len(only_mine), len(only_theirs))  # mostly the same title
            and 0 < len(only_mine) <= COUNTERPART_WORDS
            and 0 < len(only_theirs) <= COUNTERPART_WORDS
            and only_mine <= asked
            and not only_theirs & asked
            # Differing in the country it is for: "Shell loops" beside "Shell conditionals"
            # may hold an answer on loops all the same.
            and only_mine <= _place_terms(one)
            and only_theirs <= _place_terms(other)
        ):
            found.add(other)
    return frozenset(found)


def spoken(text: str) -> str:
    """Words only, so an earlier answer's markers and spacing do not hide a repeat."""
    return " ".join(words(MARKER.sub("", text).replace("[", "").replace("]", "")))


def rank(
    question: str,
    candidates: list[Candidate],
    hits: list[Hit],
    context: str = "",
    said: Sequence[str] = (),
    context_share: float | None = None,
    vectors: WordVectors | None = None,
    sources: frozenset[str] = frozenset(),
    synonyms: Synonyms | None = None,
) -> list[Scored]:
    """Every candidate with its signals and score, best first; ``sources`` are the
    documents the conversation's last answer quoted.

    With ``vectors``, a question word a sentence lacks is matched by meaning to the
    sentence's nearest word (``word_vectors``) and counts for that cosine, or for
    ``SYNONYM`` where the sentence holds a synonym of it (``synonyms``).

    ``context_share`` caps what the context's words count for together, as a share of
    the question's own (``CONTEXT_SHARE`` by default).
    """
    share = CONTEXT_SHARE if context_share is None else context_share
    if not candidates:
        return []
    # The verb as asked: "Who is in charge of ...?" reads "Who leads ...?", whose "leads"
    # no sentence saying "in charge of" holds.
    typed_act = act_asked(question)
    question = plain(question)  # "bring to the table" asks what it offers
    # "besides the US" names what the answer is not: a sentence is not closer for saying it.
    excluded = {t for m in _EXCLUDED.finditer(question) for t in terms_of(m.group(1))}
    if _ONE_OF.search(question):
        excluded.add("one")  # "one of them": which item, not a word the answer holds
    # "Which of the two should I use?": of the things just compared, not the word "two".
    excluded |= {t for m in _THE_TWO.finditer(question) for t in terms_of(m.group(1))}
    # "How can I see which process ...?" asks which process: "see" is how the question
    # is put, and a sentence saying "You see that ..." is no closer for it.
    excluded |= {t for m in _LIGHT_VERB.finditer(question) for t in terms_of(m.group(1))}
    # "how long does it take" after a question on the bouldering induction asks how long the
    # induction is: "It takes about 15 minutes" of the belay check is no closer for "takes".
    excluded |= {t for m in _IT_TAKES.finditer(question) for t in terms_of(f"{m.group(1) or ''} {m.group(2)}")}
    # "What did they focus on in particular?": the adverb says how the question is put,
    # and a sentence saying "particularly" is no closer for it.
    excluded |= {t for m in _MANNER.finditer(question) for t in terms_of(m.group(0))}
    kinds = {t for m in _KIND_NOUN.finditer(question) for t in terms_of(m.group(1))}
    if set(terms_of(question)) - excluded - kinds:
        excluded |= kinds  # "what day's that on?" has no other word to look for
    work = asks_for_work(question)
    if work:
        # "What did she work as?" asks for a line of work: "work" is what the answer is,
        # as "who" is a name, not a word it holds.
        excluded |= {t for m in WORK_WORDS.finditer(question) for t in terms_of(m.group(0))}
    # "Bilateral Trade Agreement" is found where a passage only says "BTA"; the
    # initialism is another form of those words, not one more word that a sentence
    # spelling them out would be credited for twice.
    spelled_out = {initials: tokens for initials, tokens in initialisms(fold(question))}
    derived = set(spelled_out) | {initials for initials, _ in initialisms(fold(context))}
    weights = {term: 1.0 for term in terms_of(question) if term not in excluded and term not in derived}
    # "before he joined" says when, not what: the answer is about the time before it.
    # Only in the question itself: "Garbage appeared after I ran cat. How do I ...?"
    # describes the problem the answer is about.
    *told, asking = re.split(r"(?<=[.!])\s+", question.strip())
    # Not in "how long can i leave them after firing before they get moved?": the span asked
    # for runs from one to the other, which the answer names ("... not collected within 3
    # weeks of firing is moved ...").
    spans = _HOW_LONG.search(asking) is not None
    when = {t for m in _TIME_CLAUSE.finditer(asking) for t in terms_of(m.group(1))} if not spans else set()
    outside = set(terms_of(" ".join([*told, _TIME_CLAUSE.sub(" ", asking)])))
    weights.update({t: CONTEXT_WEIGHT for t in when - outside if t in weights})
    # "What about the second phase?" after a question on the first: the new number
    # replaces the old one rather than joining it.
    renumbered = {term.split("#")[0] for term in weights if "#" in term}
    for term in terms_of(context):
        if term in derived or (renumbered and (term.split("#")[0] in renumbered or term in ORDINAL_WORDS)):
            continue
        weights.setdefault(term, CONTEXT_WEIGHT)
    df = Counter(term for c in candidates for term in c.terms)
    n = len(candidates)
    idf = {term: math.log(1 + n / (df[term] or 0.5)) for term in weights}
    own = sum(idf[t] for t, w in weights.items() if w == 1.0)
    carried = sum(idf[t] * w for t, w in weights.items() if w < 1.0)
    if own and carried > share * own:
        # However long the conversation, a follow-up's own words decide.
        scale = share * own / carried
        weights = {t: (w if w == 1.0 else w * scale) for t, w in weights.items()}
    total = sum(weights[t] * idf[t] for t in weights) or 1.0
    # Headings are matched against the question's own words: the conversation's would
    # make every section on its old topic look like the answer.
    own_terms = [t for t, w in weights.items() if w == 1.0]
    own_total = sum(idf[t] for t in own_terms) or 1.0
    # Hits come in fused order, not by similarity: the best similarity is the scale.
    top = max((h.score for h in hits), default=0.0)
    heading_terms = {id(h): [title_terms(x) for x in h.chunk.headings] for h in hits}
    # "What benefits does the US get from India?": India is where they come from, not
    # whom they are for ("Benefits for India" is the counterpart here).
    partners = {t for m in _PARTNER.finditer(question) for t in terms_of(m.group(1))}
    beneficiaries = set(own_terms) - partners if set(own_terms) - partners else set(own_terms)
    others = _counterparts([h.chunk.headings[-1] for h in hits if h.chunk.headings], beneficiaries)
    form = asked_as(question, context)  # "What about from inside vim?" asks how, as before
    answer_type = expected_type(form)
    wants_person = asks_for_person(form)
    # "... handed to Gareth at rehearsal": someone the passages name in full elsewhere
    # ("Gareth Price, Membership Secretary") is a person by the first name alone.
    first_names = frozenset().union(*(_first_names(h.chunk.text) for h in hits)) if wants_person else frozenset()
    kind_asked = answer_type != "any" or wants_person
    # Kinds a table's cell gives as a figure: a row named holds one of them (below).
    figure_asked = answer_type in _FIGURES
    bodies = asks_who_did(form)
    how_to = asks_how(form)
    where = asks_where(form)
    path = asks_for_path(form)
    folded_lower = fold(f"{question} {context}").lower()
    # A name the conversation already gave is not a new answer to "who".
    question_words = set(re.findall(r"\w+", f"{question} {context}".lower()))
    known_titles = other_roles(question)
    earlier = [spoken(text) for text in said if text.strip()]
    about = {w for name in full_names(question) + full_names(context) for w in words(name)}
    asked = _asked_words(question, weights) if vectors is not None else []
    written = [_plain_words(c.text) for c in candidates] if asked else []
    near = vectors.nearest([w for _, w in asked], written) if vectors is not None and asked else None
    if near is not None and synonyms is not None:
        # A synonym WordNet lists ("phone" for "ring") is as near as a word the model's
        # table puts close, however far apart the table puts them.
        near = np.where(synonyms.meets([w for _, w in asked], written), np.maximum(near, SYNONYM), near)
    # "user private group (UPG)": an initialism a retrieved passage defines stands for
    # its words wherever it appears, and those words for it.
    defined = {initials: tokens for h in hits for initials, tokens in _defined(h.chunk.text) if initials not in derived}
    defined_terms = {
        initials: {term_of(w) for w in words(" ".join(tokens)) if w not in STOPWORDS}
        for initials, tokens in defined.items()
    }
    # "how long is it valid for" is answered by a cell under "Validity", "what does it cost" by
    # one under "Price": a question word's synonym or derived form in a column's header names
    # that column as the word itself would.
    # Not a number's word ("ones" is "1" to WordNet), which a cell's figures would meet.
    headed = (
        {t: _forms_of(synonyms.related(w)) for t, w in _asked_words(question, weights) if not _numeral(w, synonyms)}
        if synonyms is not None and synonyms.available and any(c.meets for c in candidates)
        else {}
    )
    compounds = _compounds(question, weights)
    ordinals = {t: f"#{ORDINAL_WORDS.index(t) + 1}" for t in weights if t in ORDINAL_WORDS}
    quoting = {t for t in weights if t in _QUOTE_TERMS}
    limits = {t for t in weights if t in _LIMIT_TERMS}
    limit_set = bool(limits) and any(sets_a_limit(c.text) for c in candidates)
    # "what day is that?" after the members' discount: "... on Wednesdays" names the day.
    weekday = asks_for_a_weekday(question)
    days = {t for t in weights if t in _DAY_TERMS} if weekday else set()
    # "how long does it take?": "long" is the kind asked for, which a sentence giving a span
    # of time ("a free 20-minute talk") holds. Only where the question has no word of its
    # own besides: "how long is it valid for" is answered by the validity, not by any span.
    lengths = {"long"} if set(own_terms) == {"long"} and _HOW_LONG.search(question) else set()
    # "can i take the van if im 23": a limit of age ("... members aged 25 or over") says
    # whether, when the question asks nothing else (a time, a price).
    of_age = answer_type == "any" and not wants_person and gives_an_age(question)
    numbered_asked = {t for t in weights if "#" in t}
    # "what about 1pm?", "is it open in december?": times of day and months that a sentence's
    # range may hold without writing them.
    in_ranges = {t for t in weights if _CLOCK_TERM.fullmatch(t) or t in _MONTH_TERMS}
    if in_ranges & {"may", "march"}:
        in_ranges -= {"may", "march"} - {w.lower() for m in _AS_A_MONTH.finditer(question) for w in m.groups() if w}
    # A sentence's words run together hold the letters of a word it writes as two: most
    # sentences fail that one search, and only the rest are split.
    # Whole words only: " hardlink " or " hardlinks ", not " toget" inside "together".
    as_one = [
        (f" {form} ", term) for spelling, term, one_word in compounds if one_word for form in (spelling, f"{spelling}s")
    ]
    as_two = [(spelling, term) for spelling, term, one_word in compounds if one_word is False]
    hyphened = [(spelling, term) for spelling, term, one_word in compounds if one_word is None]
    # "v6" is IPv6 written short: a version (letters and a number) the sentence's word ends with.
    short = [t for t in weights if _SHORT_VERSION.fullmatch(t)]
    # "do u run any pottery classes for kids": a class "(ages 7–15 with an adult)" is for kids.
    # Not the asker's own ("my kid is 6 can she do the mini dash?" asks about the dash).
    young = {t for t in weights if t in _YOUNG} if _asks_for_kids(f"{question} {context}") else set()
    # "what about for cats": "Cat vaccination booster" is about cats. The stemmer leaves a
    # word of four letters whole ("bus", "gas" and "plus" are no plurals), so a short word and
    # its plural are met here, where only a table's cells are read.
    folded = {t: t[:-1] for t in weights if len(t) == 4 and t.isalpha() and t[-1] == "s" and t[-2] not in "su"}
    folded |= {t: f"{t}s" for t in weights if len(t) == 3 and t.isalpha()}
    scored = []
    first_of: dict[int, int] = {}
    for c in candidates:
        first_of[id(c.hit)] = min(first_of.get(id(c.hit), c.index), c.index)
    going_on = continued(hits)
    # "Who founded the company ...?": the sentence naming someone for the act asked about
    # ("... was founded in 2016 by Ingrid Halvard") holds the kind of answer asked for; one
    # naming her for something else ("She later completed a doctorate ...") does not.
    action = typed_act if wants_person and bodies and typed_act == act_asked(form) else frozenset()
    # Tables with a column the question or conversation names ("the concession rate" after
    # "for the whole year": "Full year"): a row named there is read in that column only. Not
    # by the row's own words: "level 2" names the row "RYA Basic Skills (Level 2)", though
    # a column is headed "Level".
    columned = (
        {
            id(c.hit)
            for c in candidates
            if c.keyed
            and (header := c.meets - c.terms - c.keyed)
            and (weights.keys() & header or any(not f.isdisjoint(header) for f in headed.values()))
        }
        if figure_asked
        else set()
    )
    for i, c in enumerate(candidates):
        present = set(c.terms) | (c.leaned if kind_asked else frozenset())
        row_title: frozenset[str] = frozenset()
        # The question's words a cell's own words or its column's header meet, the header in
        # another form or a synonym too ("shut" under "Close").
        exact = weights.keys() & c.meets
        synonymous = {t for t, forms in headed.items() if not forms.isdisjoint(c.meets)}
        # A header of several words is named by a synonym of one of them only in part, as by
        # a near word: "open" is "outdoors" to WordNet, and "Outdoor pool" is not the column
        # "when does the indoor pool open" asks for. A header of one word ("Close",
        # "Validity") is named by it.
        in_part = bool(synonymous) and len(c.meets - frozenset(terms_of(c.text))) > 1
        in_full = set() if in_part else synonymous
        # The words met in part, where the header is counted: a figure's label, a named row.
        headed_near: set[str] = set()
        if c.label:
            # A figure's label holds its column's header ("[Friday, Close] 17:00"), whose
            # words count as the figure's own: in another form too.
            present |= in_full
            headed_near = synonymous if in_part else set()
        if c.keyed and (exact or synonymous):
            present |= c.keyed
            # Named by its key, not by the column's last word that ``keyed`` holds too
            # ("Halden" in "Last bus back from Halden"), and by the conversation's words as
            # well ("and the first one?" after "... on a sunday?").
            if not (c.keyed - c.meets).isdisjoint(weights.keys()):
                # A cell of a row the question names, in a row with words in it ("Saturday |
                # 8:15am | 10:40pm | Every hour"), holds its column's header too, as a cell of
                # a row of figures does in its label ("[Monday to Friday, Last bus back from
                # Halden]"). Of a row not named, its column's last word is enough: "what
                # meeting rooms are there" is not answered by "4 credits" under "Meeting room
                # credits".
                present |= exact | in_full
                headed_near = synonymous if in_part else set()
                column = c.meets - c.terms
                if not c.label and len(column.intersection(own_terms)) >= 2:
                    # Its row and its column named by the question's own words ("last bus
                    # back ... on a sunday") are its heading, as such a label is for the first row.
                    row_title = c.keyed | column
        elif (
            figure_asked
            and c.keyed
            and id(c.hit) not in columned
            and not (c.keyed - c.meets).isdisjoint(weights.keys())
            and not {
                t for t in weights.keys() - c.keyed - c.meets - _ASKING.union(*heading_terms[id(c.hit)]) if len(t) > 2
            }
            and _kind(as_read(c), answer_type, wants_person, question_words, how_to, where, folded_lower)
        ):
            # "what time do u shut on a sunday": the row named ("Sunday | 09:00–18:00 | ...")
            # holds the figure asked for under a column the question names in no word of it
            # ("Opening hours"). Only for a question asking that alone, whatever else it says
            # being its passage's headings or a chat word ("u"): "what time does the cafe shut
            # on sunday" asks of something else. Only a cell of the kind asked: "where is coding club held?" is
            # not answered by "[Coding Club] Wednesday" for holding the row's name.
            present |= c.keyed - c.meets
        if short:
            present |= {t for t in short if any(_spelled_short(t, term) for term in c.terms)}
        if young and _for_the_young(c.terms | c.keyed):
            present |= young
        if folded and c.meets:
            # Only in a table, whose rows name things in the singular ("Cat vaccination
            # booster"): a sentence's "your bin" is no closer to "what time have the bins got
            # to be out" than it was.
            present |= {t for t, form in folded.items() if form in present}
        for initials, tokens in spelled_out.items():
            if initials in c.terms:
                present |= {term_of(w) for token in tokens for w in words(token) if w not in STOPWORDS}
        for initials, terms in defined_terms.items():
            if initials in c.terms:
                present |= terms
            elif initials in weights and terms <= c.terms:
                present.add(initials)
        # "What's the second one going to cost?": "a second export cable" is a second of
        # something else, no closer for the word, nor for its nearest word (itself).
        other_nth = (
            {
                word
                for word, n in ordinals.items()
                if any(t.endswith(n) and t not in numbered_asked for t in c.terms if "#" in t)
            }
            if ordinals and not c.terms & numbered_asked
            else set()
        )
        present -= other_nth
        if quoting and _QUOTATION.search(c.text):
            # "Who's the guy quoted there?": the sentence quoting someone's words.
            present |= quoting
        # "what day is that?": a sentence naming a day of the week holds "day" and the kind asked.
        day_named = weekday and names_a_weekday(c.text)
        if day_named:
            present |= days
        # Only as the follow-up's own word (``own``): as a word of the coverage it would
        # bring in every other span of the passage as a runner-up.
        spanned = lengths if lengths and satisfies(as_read(c), "span") else frozenset()
        if in_ranges:
            # A table's cell is read in its row: "Sunday" in "November to February | Sunday |
            # 10am – 11.30am" is open in December, at 11am.
            row = row_line(c) if c.keyed else ""
            # Its own and its row's first cell's: "£10 (Apr–Sep)" beside "£8 (Oct–Mar)" is
            # no December price.
            key = row.split("\t", 1)[0]
            present |= held_in_ranges(in_ranges, f"{key}\t{c.text}" if "\t" in row else f"{c.label} {c.text}")
        if limits and sets_a_limit(c.text):
            # "whats the deadline for that?": "... through the online portal until 31 August."
            present |= limits
        elif limits and limit_set and not _STATES_THE_LIMIT.search(c.text):
            # "Changes received after the Sunday deadline will apply from the following week"
            # speaks of the deadline without setting it: no closer for the word, nor for it
            # as its own nearest word, where another sentence sets one. "The deadline for
            # applications is 31 August" states it.
            present -= limits
            other_nth = other_nth | limits
        if compounds:
            # "passphrase" asked, "pass phrase" written (or the other way round).
            # A list item's label too: "Auto-belay induction: a free 15-minute session".
            labelled = f"{c.label} {c.text}" if c.label else c.text
            spaced, squashed = _spaced(labelled)
            present |= {term for padded, term in as_one if padded in spaced}
            present |= {term for spelling, term in as_two if spelling in squashed and _split(spelling, spaced)}
            if hyphened:
                lowered = labelled.lower()
                present |= {
                    term
                    for spelling, term in hyphened
                    if any(f"{spelling[:i]}-{spelling[i:]}" in lowered for i in range(1, len(spelling)))
                }
        lexical = sum(weights[t] * idf[t] for t in weights if t in present) / total
        # Question words the sentence lacks but holds a near word for, and how near.
        nearby = (
            {
                t: float(near[i, j])
                for j, (t, _) in enumerate(asked)
                if t not in present and t not in other_nth and near[i, j] >= NEAR_WORD
            }
            if near is not None
            else {}
        )
        for t in headed_near - present:
            nearby[t] = max(nearby.get(t, 0.0), SYNONYM)
        lexical += sum(value * weights[t] * idf[t] for t, value in nearby.items()) / total
        # A label pasted in front of the sentence ("Chief turbine engineer: ...") is its
        # own small heading, as a FAQ title is for the text under it.
        titles = heading_terms[id(c.hit)] + [title_terms(x) for x in (c.asked, c.label) if x]
        if row_title:
            titles.append(row_title)
        heads = frozenset().union(*titles)
        coverage = sum(weights[t] * idf[t] for t in weights if t in present or t in heads) / total
        signals = {
            "lexical": lexical,
            "dense": c.hit.score / top if top > 0 else 0.0,
            "retrieval": 1.0 - min(c.rank, c.hit.best if c.hit.best is not None else c.rank) / len(hits),
            # Each heading on its own: "Benefits for India" under "What's in it for the U.S.?"
            # does not ask "What are the benefits for the U.S.?".
            "heading": max((_heading(own_terms, t, idf, own_total) for t in titles), default=0.0),
            "kind": float(names_work(c.text))
            if work
            else float(PATH.search(c.text) is not None)
            if path
            else _kind(
                as_read(c),
                answer_type,
                wants_person,
                question_words,
                how_to,
                where,
                folded_lower,
                known_titles,
                bodies,
                first_names,
            ),
            "repeated": float(bool(earlier) and spoken(c.text) in " ".join(earlier)),
            # "(If you want to avoid ..., consider ...)": a remark in passing, not the point.
            "aside": float(_ASIDE.fullmatch(c.text) is not None),
            # "This report describes the history, the budget and the risks": what the
            # document is about, not what it says about any of it.
            "about_the_text": float(about_the_text(c.text, question)),
            # "You can log data ... by using the systemd-cat(1) command" tells how; "Under
            # systemd, messages are logged by journald" only explains.
            "tells_how": float(how_to and tells_how(c.text)),
            "defers": float(_DEFERS.search(c.text) is not None),
            "same_document": float(c.hit.chunk.source in sources),
            "counterpart": float(bool(c.hit.chunk.headings) and c.hit.chunk.headings[-1] in others),
            "someone_else": float(
                bool(about and c.referent) and not about & (set(words(c.referent)) | set(words(c.text)))
            ),
        }
        if action and not action & (present | set(nearby)):
            signals["kind"] = 0.0
        if day_named or (of_age and sets_an_age(c.text)):
            signals["kind"] = 1.0
        signals["opening"] = (
            _asks_alike(own_terms, c.hit.chunk.headings[-1], idf, own_total)
            if c.hit.chunk.headings
            and c.index == first_of[id(c.hit)]
            and c.hit.chunk.id not in going_on
            and c.refers is None
            and not listed(c.hit.chunk.text, c.start)
            else 0.0
        )
        score = sum(WEIGHTS[name] * value for name, value in signals.items())
        own = (
            sum(idf[t] for t in own_terms if t in present or t in heads or t in spanned)
            + sum(nearby[t] * idf[t] for t in own_terms if t in nearby and t not in heads)
        ) / own_total
        loose = (
            sum(weights[t] * idf[t] for t in weights if t in present or t in heads or nearby.get(t, 0.0) >= SYNONYM)
            / total
        )
        scored.append(Scored(c, coverage, score, bool(signals["repeated"]), signals, own, loose))
    scored.sort(key=_best_first)
    return scored


# "..., as described below": the sentence points at its answer instead of giving it.
# A bare "later" is a time ("... merge the chunks back later"), not a pointer.
_DEFERS = re.compile(
    r"(?:\bbelow|\b(?:described|explained|shown|discussed|given|listed)\s+(?:later|in the next section))\W*$", re.I
)

_ASIDE = re.compile(r"\([^()]*\)[.!?]?")


_TIME_CLAUSE = re.compile(r"\b(?:before|after|until|since|prior to)\s+([^,;?]+)", re.I)
_HOW_LONG = re.compile(r"\bhow\s+(?:long|soon|many\s+(?:days|weeks|months|hours|minutes|years))\b", re.I)
_ONE_OF = re.compile(r"\bone\s+of\b", re.I)
_PARTNER = re.compile(r"\b(?:from|with)\s+((?:the\s+)?[\w.-]+(?:\s+[A-Z][\w.-]*)?)")
# "quoted", "quote", "quotation": met by a sentence holding someone's words in quotation
# marks (five words or more, not a scare-quoted term or phrase).
_QUOTE_TERMS = frozenset({"quot", "quote"})
# "deadline" (or "cutoff"): met by a sentence that says by when ("until 31 August", "no
# later than 7 September", "by 1:00pm"). A date starts what follows the word: "grew by 40
# members in 2024" and "open until 5pm" set no limit.
_LIMIT_TERMS = frozenset(terms_of("deadline cutoff"))
# "The deadline for applications is 31 August", "Cutoff: 2pm": a sentence saying what it is.
_STATES_THE_LIMIT = re.compile(r"\b(?:deadlines?|cut-?offs?)\b[^.;]*?(?:\b(?:is|are|was|will\s+be)\b|:)\s", re.I)
_DAY_TERMS = frozenset(terms_of("day days night nights evening evenings morning mornings afternoon afternoons"))
_BY_WHEN = re.compile(
    rf"\b(?:until|till|by|before|no\s+later\s+than)\s+(?:the\s+)?(?:(?:{WEEKDAY}\b,?\s+)?(?:\d{{1,2}}(?:st|nd|rd|th)?\s+"
    rf"(?:of\s+)?{_MONTH}|{_MONTH}\s+\d{{1,2}}\b)|{WEEKDAY}\b)"
    r"|\b(?:by|no\s+later\s+than)\s+\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm)\b",
    re.I,
)
_QUOTATION = re.compile(r"[“\"][^”\"\s]+(?:\s+[^”\"\s]+){4,}[”\"]")
_THE_TWO = re.compile(r"\bof\s+(?:the|these|those)\s+(two|three)\b", re.I)
_LIGHT_VERB = re.compile(
    r"\bhow\s+(?:can|do|could|should|would|might|may)\s+(?:i|you|one|we)\s+(see|tell|know|find\s+out)\s+"
    r"(?=which|what|whether|if|how|who|where|when)",
    re.I,
)


def says_what_it_takes(question: str, sentence: str | None = None) -> bool:
    """Whether ``question`` asks how long something takes and (given) ``sentence`` gives a
    span that "takes" or "lasts" governs ("It's free, takes about 45 minutes")."""
    return bool(_IT_TAKES.search(question)) and (sentence is None or bool(_TAKES_SPAN.search(sentence)))


_TAKES_SPAN = re.compile(
    r"\b(?:take|takes|took|taking|last|lasts|lasted|lasting)\b[^.;:]{0,25}?\b(?:\d+(?:\.\d+)?|an?|one|two|three|four|"
    r"five|six|seven|eight|nine|ten|twelve|fifteen|twenty|thirty|forty|fifty|sixty|ninety|half|a\s+few|several)"
    r"[\s-]*(?:minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?)\b",
    re.I,
)
# A time taken by what the conversation spoke of, the question naming nothing of its own.
_IT_TAKES = re.compile(
    r"\bhow\s+long\s+(?:does|do|did|will|would|should|can|could|might|is)\s+(?:it|that|this|they|those|these)\s+"
    r"(?:(usually|normally|typically|roughly|generally)\s+)?(take)\s*(?:[?.!]|$)",
    re.I,
)
# "What time do the gates open?": "time" is the kind of answer asked for ("8:40am"), as
# "who" is a name; a sentence saying "at any time" is no closer for it. Not "what time
# of year" or "what time zone" (no verb follows); nor when the question has no other word
# ("what day's that on?").
_KIND_NOUN = re.compile(
    r"\b(?:what|which)\s+(times?|dates?|days?)(?:['’]s\b|\s+(?:do|does|did|is|are|was|were|will|would|should|can|could|"
    r"must|shall|has|have|had)\b)",
    re.I,
)
_MANNER = re.compile(
    r"\b(?:particular|particularly|especially|specifically|exactly|precisely|actually|really|basically)\b", re.I
)
_EXCLUDED = re.compile(
    r"\b(?:besides|other than|apart from|aside from|except(?: for)?|excluding)\s+((?:the\s+)?[\w.-]+(?:\s+[\w.-]+)?)",
    re.I,
)


_SHORT_VERSION = re.compile(r"[a-z]{1,2}\d{1,2}")


def _spelled_short(short: str, term: str) -> bool:
    """Whether ``short`` ("v6") is ``term`` ("ipv6") without the letters before it."""
    return len(term) > len(short) and term.endswith(short) and term[: -len(short)].isalpha()


# Words for the young, and the oldest age a range of ages for them runs to.
_YOUNG = frozenset(terms_of("kid kids child children junior juniors youngster youngsters"))
YOUNGEST_ADULT = 18
_KIDS = re.compile(r"\b(?:kids?|child(?:ren)?|juniors?|youngsters?)\b", re.I)
_OWNING = frozenset("my our his her their".split())


def _asks_for_kids(text: str) -> bool:
    """Whether ``text`` speaks of kids in general ("classes for kids"), not of the asker's
    own ("my kid is 6", "my reception age kid")."""
    return any(_OWNING.isdisjoint(words(text[: m.start()])[-3:]) for m in _KIDS.finditer(text))


def _for_the_young(terms: frozenset[str]) -> bool:
    """Whether ``terms`` hold a range of ages, all under 18 ("ages 7–15": "ages#7" ...
    "ages#15")."""
    ages = [int(n) for t in terms if t.startswith(("age#", "ages#", "aged#")) and (n := t.split("#")[1]).isdigit()]
    return bool(ages) and max(ages) < YOUNGEST_ADULT


def _numeral(word: str, synonyms: Synonyms) -> bool:
    """Whether WordNet reads ``word`` as a number ("ones" as "1")."""
    return any(any(ch.isdigit() for ch in lemma) for lemma in synonyms.related(word))


def _forms_of(lemmas: Iterable[str]) -> frozenset[str]:
    """The terms of ``lemmas`` as a header may inflect them: "Closes" and "Closed" for "close"."""
    return frozenset(term_of(f) for x in lemmas for f in (x, f"{x}s", f"{x}es", f"{x}d", f"{x}ed"))


def _asked_words(question: str, weights: dict[str, float]) -> list[tuple[str, str]]:
    """The question's own words with the term each stands for, one word per term."""
    asked: dict[str, str] = {}
    for word in words(fold(question)):
        term = term_of(word)
        if word not in STOPWORDS and len(word) >= 3 and term in weights:
            asked.setdefault(term, word)
    return list(asked.items())


@functools.lru_cache(maxsize=1024)
def _defined(text: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple(defined_initialisms(text))


def _compounds(question: str, weights: dict[str, float]) -> list[tuple[str, str, bool | None]]:
    """Other spellings of the question's words, with the term each stands for and whether
    a sentence writes it as one word: a long word as two ("passphrase" met by "pass
    phrase", False) and two words as one ("user name" met by "username", True); None for one
    met only as two joined by a hyphen."""
    tokens = [w for w in words(fold(question)) if w.isalpha()]
    out: list[tuple[str, str, bool | None]] = [
        (w, term, False) for w in tokens if len(w) >= 6 and (term := term_of(w)) in weights
    ]
    # "autobelays" is met by "auto-belay": the plural's stem, where it is the word less its
    # ending, written with a hyphen only ("lessons" is no "less on").
    out += [(s, term, None) for w, term, _ in list(out) if (s := stem(w)) != w and w.startswith(s) and len(s) >= 6]
    for first, second in itertools.pairwise(tokens):
        # "hard links" is met by "hardlink" and "hardlinks": the pair's second word by its stem.
        joined = first + (stem(second) if second.startswith(stem(second)) else second)
        out += [(joined, term_of(w), True) for w in (first, second) if term_of(w) in weights]
    return out


# Two strings per sentence: sets of its word pairs took several times the memory, for a
# cache that large corpora rarely hit.
@functools.lru_cache(maxsize=1 << 13)
def _spaced(text: str) -> tuple[str, str]:
    """The sentence's words, one space between and around them (" pass phrase "), and
    run together ("passphrase")."""
    found = [w for w in words(text) if w.isalpha()]
    return " " + " ".join(found) + " ", "".join(found)


def _split(word: str, spaced: str) -> bool:
    """Whether ``spaced`` (" pass phrase ") writes ``word`` as two words in a row."""
    return any(f" {word[:i]} {word[i:]} " in spaced for i in range(1, len(word)))


@functools.lru_cache(maxsize=1 << 13)
def listed(text: str, start: int) -> bool:
    """Whether the line at ``start`` is one of a list or a table (its neighbours are one line
    break away, not a paragraph's two): the first of a timetable's days ("Monday: 9.30am to
    5pm" under "Opening hours") is one entry, not the answer a section gives first."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    before = line_start >= 2 and text[line_start - 2] != "\n"
    after = line_end >= 0 and text[line_end + 1 : line_end + 2] not in ("\n", "")
    return before or after


def _plain_words(text: str) -> tuple[str, ...]:
    return tuple(sorted({w for w in words(fold(text)) if w not in STOPWORDS and len(w) >= 3}))


def section_terms(title: str) -> frozenset[str]:
    """A section title's terms without its number ("7.1. What is a Debian package?")."""
    return title_terms(_SECTION_NUMBER.sub("", title))


def _asks_alike(own: list[str], title: str, idf: dict[str, float], total: float) -> float:
    """How nearly a section's own title asks the question and no more: ``_heading``'s
    share of the question, times the share of the title's words the question holds
    ("2.5. Debian package management internals" asks more than "What is a Debian
    package?"; "7.1. What is a Debian package?" asks just that)."""
    heads = section_terms(title)
    if not heads:
        return 0.0
    return _heading(own, heads, idf, total) * len(heads & set(own)) / len(heads)


def _heading(own: list[str], heads: frozenset[str], idf: dict[str, float], total: float) -> float:
    """How much of the question a heading asks, squared: a heading that asks the whole
    question counts (a FAQ title); one sharing a word or two with it ("Benefits for
    India") hardly does, and one sharing a single word not at all."""
    shared = [t for t in own if t in heads]
    return (sum(idf[t] for t in shared) / total) ** 2 if len(shared) >= 2 else 0.0


# What a manual's answer looks like: a prompt, an option, a path, a man page, code in quotes.
_CODE = re.compile(
    r"\b[a-z][\w.+]*-[\w.+-]+(?:\s+\w+)?\s+packages?\b|(?:^|\s)[$#] \S|(?:^|\s)--?[a-zA-Z]|(?:^|[\s\"“])/[\w.-]+/|\b[\w.+-]+\([1-8]\)|[\"“`][^\"”`\s]+[ \w./=-]*[\"”`]"
)


def code_like(text: str) -> bool:
    """Whether ``text`` holds a command, an option, a path or a manual page."""
    return bool(_CODE.search(text))


# How a manual tells how: "You can ...", "... can be checked by ...", "by using ...",
# "... is used to ...", or an instruction ("Run ...", "Check the output of ...").
_TELLS_HOW = re.compile(
    r"\byou\s+(?:can|may|should|need\s+to|must)\b|\bcan\s+be\s+\w+ed\s+(?:by|with|using|via)\b"
    r"|\b(?:is|are)\s+used\s+to\b|\bby\s+(?:running|using|typing|executing|installing|setting|editing|adding|"
    r"invoking|specifying|calling|changing)\b|(?:^\W*|,\s+)(?:please\s+)?(?:use|run|type|install|set|add|edit|execute|enter|invoke|check|"
    r"try)\b",
    re.I,
)


def tells_how(text: str) -> bool:
    """Whether ``text`` says how to do something, not only what happens."""
    return _TELLS_HOW.search(text) is not None


def names_someone_new(text: str, question: str, context: str = "", bodies: bool | None = None) -> bool:
    """Whether ``text`` names a person neither the question nor the conversation does (or
    a body, when ``bodies``; by default for a question whose answer may be one:
    ``asks_who_did``)."""
    question_words = set(re.findall(r"\w+", f"{question} {context}".lower()))
    if bodies is None:
        bodies = asks_who_did(question)
    return _kind(text, "any", True, question_words, titles=other_roles(question), bodies=bodies) == 1.0


_CAPITALISED = re.compile(r"\b[A-Z][a-z]+\b")


@functools.lru_cache(maxsize=1024)
def _first_names(text: str) -> frozenset[str]:
    """The first names of the people ``text`` names in full ("Gareth" of "Gareth Price")."""
    return frozenset(name.split()[0] for name in people(text) if len(name.split()) >= 2)


def first_named(text: str, hits: Sequence[Hit], question: str) -> bool:
    """Whether ``text`` names by first name alone someone ``hits`` name in full ("... handed
    to Gareth at rehearsal", "Gareth Price" elsewhere), whom ``question`` does not name,
    and names nobody in full."""
    if people(text):
        return False
    known = frozenset().union(*(_first_names(h.chunk.text) for h in hits))
    asked = set(re.findall(r"\w+", question.lower()))
    return any(word in known and word.lower() not in asked for word in _CAPITALISED.findall(text))


def _someone_new(name: str, question_words: set[str], titles: frozenset[str]) -> bool:
    """Whether ``name`` is someone the question's words do not already name: not by all its
    words, nor by the surname under a title alone ("Ambassador Kwatra" after "Who is Vinay
    Mohan Kwatra?"; "Ingrid Halvard" is new after "Who started Halvard Tidal Energy?"), nor
    by a title the question calls someone by ("the ambassador")."""
    parts = re.findall(r"\w+", name.lower())
    by_surname = not given_names(name) and parts[-1] in question_words
    return not set(parts) <= question_words and not by_surname and parts[0] not in titles


_WHO_ACTS = re.compile(r"\s*who\s+([a-z]+)\b", re.I)
_NO_ACT = frozenset(
    """is are was were s has have had do does did will would can could should may might must else
    exactly actually really""".split()
)


def act_asked(question: str) -> frozenset[str]:
    """The terms of the verb a "who ...?" question asks the doer of ("founded" in "Who
    founded the company?"); empty for "who is ...?" and the like."""
    match = _WHO_ACTS.match(question)
    if match is None or match.group(1).lower() in _NO_ACT:
        return frozenset()
    return frozenset(terms_of(match.group(1)))


def _kind(
    text: str,
    answer_type: str,
    wants_person: bool,
    question_words: set[str],
    how_to: bool = False,
    where: bool = False,
    folded_question: str = "",
    titles: frozenset[str] = frozenset(),
    bodies: bool = False,
    first_names: frozenset[str] = frozenset(),
) -> float:
    """1 when ``text`` holds the kind of answer the question asks for and lacks: a name
    for "who", a date for "when", a number for "how many", a place for "where", a
    command, option, path or package for a how-to. ``titles``: roles the question
    already calls someone by ("the ambassador"), whose holders ("Ambassador Kwatra")
    are not new. With ``bodies``, an organisation the question lacks counts as a name."""
    if wants_person:
        named = people(text) + organisations(text) if bodies else people(text)
        named += [word for word in _CAPITALISED.findall(text) if word in first_names]
        return float(any(_someone_new(name, question_words, titles) for name in named))
    if answer_type != "any":
        return float(satisfies(text, answer_type))  # type: ignore[arg-type]
    if where:
        # "Where ... from?" wants a place the question does not name.
        return float(any(fold(p).lower().strip(".") not in folded_question for p in places(text)))
    if how_to:
        return float(code_like(text))
    return 0.0


_NUMBERISH = re.compile(
    r"\d[\d,.]*|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|hundred|thousand|million|billion)\b", re.I
)


# Kinds of answer a runner-up must itself be of to answer: a sum, a number to ring, an
# address, a time of day, opening hours (a count or a date may be said in other words).
_OF_ITS_KIND = frozenset({"money", "phone", "email", "contact", "clock", "hours"})


def sets_a_limit(sentence: str) -> bool:
    """Whether ``sentence`` says by when something must be done: a day after "until",
    "by", "before" or "no later than", or a time of day after "by" or "no later than"."""
    return _BY_WHEN.search(sentence) is not None


def adds_an_answer(text: str, chosen: list[str], question: str, given: Sequence[str] = ()) -> bool:
    """Whether a runner-up answers something the chosen sentences do not: a person
    they do not name for "who", a place for "where", a number or date they lack for
    "how many" or "when";
    for other questions, words of its own (it is not a rewording of one of them).
    ``given`` are people the conversation or the chosen sentences' pronouns already mean
    ("he" in "which US senators did he meet?" is Ambassador Kwatra, no answer to it)."""
    if asks_for_person(question):
        named = [set(re.findall(r"\w+", name.lower())) for t in chosen for name in people(t)]
        asked = set(re.findall(r"\w+", question.lower()))
        persons = [set(re.findall(r"\w+", name.lower())) for name in people(text)]
        if asks_for_people(question):
            # "Which senators ...?": someone not named yet ("Vinay Mohan Kwatra" after
            # "[Ambassador Kwatra]" is the same person again).
            meant = [set(re.findall(r"\w+", name.lower())) for t in given for name in people(t)]
            known = set().union(asked, *named, *meant)
            return any(not person & known for person in persons)
        # "Who is ...?": only the same person's fuller name ("Vinay Mohan Kwatra" after
        # "Ambassador Kwatra").
        return any(person - asked > name - asked and name & person for person in persons for name in named)
    if asks_for_work(plain(question)):
        # "What did she do for a living?": another line of work, not more of her life.
        return names_work(text) and not any(names_work(t) for t in chosen)
    if asks_where(question):
        named_places = {fold(p).lower() for t in [question, *chosen] for p in places(t)}
        return any(fold(p).lower() not in named_places for p in places(text))
    if asks_how(question) and code_like(text) and not any(code_like(t) for t in chosen):
        return True  # the command or package the explanation before it did not name
    if (kind := expected_type(question)) != "any":
        if kind == "quantity" and chosen and satisfies(chosen[0], "money"):
            kind = "money"  # "how much is the deposit", answered with a sum
        if kind in _OF_ITS_KIND and not satisfies(text, kind):
            # "how much is the deposit": "We hold around 420 tools ..." holds a number, no sum.
            return False
        have = {m.group(0).lower() for t in chosen for m in _NUMBERISH.finditer(t)}
        return any(m.group(0).lower() not in have for m in _NUMBERISH.finditer(text))
    mine = set(terms_of(text))
    return all(len(mine - set(terms_of(t))) >= 3 for t in chosen)
