"""How a retrieved sentence becomes a readable quote.

A sentence lifted out of its passage can read badly on its own. Three things go wrong,
and each has a rule here:

- it asks rather than states (a FAQ title, a title line kept in the text): ``asks`` and
  ``looks_like_title`` keep it out of answers; a question still helps find the answer
  under it;
- a heading or list item pasted a label in front of it ("Energy Security: Better ..."):
  ``label_end`` finds where the statement itself starts, so the label is left out;
- it opens with a pronoun or a connective ("He also ...", "Thus, ..."): ``reference``
  tells which, and ``person_before`` finds the name a "he" or "she" stands for, so the
  quote can show it in brackets as quotations do ("[Ambassador Kwatra] also ...");
  otherwise the sentence before it is quoted too.

Every edit is marked (brackets) or is a cut at the start, so the rest of the quote is
still the document's exact text and the chat page can find and highlight it.

    >>> label_end("Energy Security: Better imports would strengthen the mix.")
    17
    >>> reference("He also engaged with Senator Bill Hagerty.")
    'person'
    >>> person_before("India’s envoy, Ambassador Kwatra, met senators. Specifically:")
    'Ambassador Kwatra'
"""

from __future__ import annotations

import re
from typing import Literal

from core.text import STOPWORDS, sentence_spans, words

from .aliases import places
from .question import WEEKDAY

Reference = Literal["person", "thing", "connective"]

# Openers that point back at something the reader of a lone sentence has not seen.
_PERSON = frozenset("he she his her him".split())
_THING = frozenset("they their them it its this these those such".split())
_CONNECTIVES = frozenset(
    """thus also additionally moreover however furthermore therefore hence consequently similarly
    meanwhile nevertheless nonetheless besides instead likewise accordingly otherwise still alternatively
    conversely""".split()
)
_MULTIWORD_CONNECTIVES = ("as a result", "in addition", "on the other hand", "by contrast", "in turn", "even so")

# A label: a few words (title-cased, or at most two words) and a colon before the statement.
_LABEL = re.compile(r"^(?P<label>[^\s:][^:]{0,70}?):\s+(?=\S)")
_FIRST_WORD = re.compile(r"[a-z]+")
_SMALL_WORDS = frozenset("a an and & of the in on for to with by at or vs".split())
# A run of capitalised words: a person's name with an optional title ("Ambassador Kwatra").
_NAME_RUN = re.compile(r"\b(?:[A-Z][a-z]+(?:-[A-Z][a-z]+)?|[A-Z]\.)(?:\s+(?:[A-Z][a-z]+(?:-[A-Z][a-z]+)?|[A-Z]\.))+")
# Whom a "she" means may be named by title and surname ("Dr. Blackwood's programme ...").
_TITLED_RUN = re.compile(rf"\b(?:Dr|Mr|Mrs|Ms|Prof)\.(?:\s+[A-Z][a-z]+(?:-[A-Z][a-z]+)?)+|{_NAME_RUN.pattern}")
# Capitalised words that open a sentence but name no one ("Rather than ...", "Recently, ...").
OPENERS = frozenset(
    """the this these those in on at for from with by and but or if when while although after before
    rather recently earlier later today yesterday specifically however thus also he she they it we you i
    last next meanwhile moreover furthermore additionally therefore hence consequently similarly
    nevertheless nonetheless besides instead likewise accordingly otherwise still
    january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday""".split()
)
_ORGANISATION_WORDS = frozenset(
    """committee department ministry agency company corporation council senate house office bank
    university institute association union party group board commission administration government
    agreement act treaty program programme project initiative state states kingdom republic energy
    networks systems technologies solutions industries partners holdings ltd inc llc plc gmbh ab sa
    co corp foundation trust fund array port harbour harbor street road city county island isle
    quay sound bay river lake mount mountain valley point north south east west centre center
    college school hospital station airport park square bridge tidal""".split()
)


# Last words of a name given to a thing, not to a person or a body.
_THING_WORDS = frozenset(
    """plan plans scheme card pass passes register policy account award prize list guide report form
    helpline line session sessions service membership ticket tickets code""".split()
)


def asks(sentence: str) -> bool:
    """A question, not a statement ("What is the latest version of Debian?", "... what is
    Linux?!"); a pointer to a section whose title asks ("See also Why must ...?.") is one."""
    text = sentence.rstrip()
    return text.endswith("?.") or text.rstrip("\"'”’)]").rstrip("!").endswith("?")


# "£1 to unlock ...", "Monday to Saturday, 8:00am to 8:00pm": a figure, or days before a
# time, opening what follows a colon is the value of the words before it ("Sunday
# collections are cancelled ..." is a sentence of its own).
_VALUE = re.compile(rf"[£$€]?\d|{WEEKDAY}(?:\s*(?:to|and|-|–|&)\s*{WEEKDAY})?\s*(?:,|\d|$)", re.I)


def keyed_value(text: str) -> bool:
    """Whether ``text`` opens with a figure or days before a time: a value its label keys."""
    return _VALUE.match(text) is not None


def label_end(sentence: str) -> int:
    """Where the statement starts after a pasted label ("The context: Five ..."), else 0."""
    match = _LABEL.match(sentence)
    if not match:
        return 0
    label = match.group("label")
    tokens = label.split()
    rest = sentence[match.end() :]
    # "Sunday: 11am to 2pm" stays whole: its day is what it answers by.
    value = keyed_value(rest) and not keyed_value(label)
    if len(words(rest)) < 4 or len(tokens) > 6 or any(ch in label for ch in '.!?;"“”'):
        return 0
    if tokens[0].lower() in _PERSON | _THING | {"i", "we", "you"}:
        return 0  # "He said: ..." is speech, not a label
    if not label[0].isupper() or re.search(r"\S\(", label):
        # "renice(1): modify the priority ...": the term a manual defines is the point.
        # "Zone A (Town Centre): ..." is a key like any other.
        return 0
    # "Energy Security: ...", "Phase 3 cost: £104 million", "Execute: dpkg-divert ...",
    # "Not to worry: the current su ...": title-cased or short. Longer lower-case lead-ins
    # ("The reason the talks stalled was simple: ...") are part of the sentence, unless a
    # value follows ("Pay as you go: £1 to unlock ...").
    return (
        match.end()
        if title_cased(tokens) or len(tokens) <= 3 or (value and len(tokens) <= 4) or _names_a_topic(tokens)
        else 0
    )


# Words that make a clause of a lead-in ("The reason the talks stalled was simple: ..."): a
# verb that says something of a subject, or someone doing it.
_CLAUSE_WORDS = frozenset(
    """is are was were be been am has have had do does did will would can could should shall may might must
    i you we they he she it said says think thinks""".split()
)


def _names_a_topic(tokens: list[str]) -> bool:
    """A lead-in of four to six words that only names its topic ("Cancelling an annual
    membership: you can cancel ..."): no word of a clause."""
    # Not "Phase 1, the demonstration stage: four 1.5 MW turbines ...", whose number and
    # apposition are what the sentence says of it.
    if any(ch.isdigit() or ch == "," for t in tokens for ch in t):
        return False
    # Nor a clause whose verb ends as a verb does ("The trade agenda covers multiple domains:",
    # "Debian ships both ...:", "There's only one catch:"); a plural noun is passed over with it.
    later = [t.lower() for t in tokens[1:]]
    if any(t.endswith(("s", "ed", "’", "'")) or "'" in t or "’" in t for t in [tokens[0].lower(), *later]):
        return False
    return len(tokens) <= 6 and not _CLAUSE_WORDS & {t.lower().strip("()") for t in tokens}


def connective_end(sentence: str) -> int:
    """Where the sentence goes on after an opening connective ("However, for some ..."), else 0."""
    match = re.match(r"^(?:" + "|".join(_CONNECTIVES | set(_MULTIWORD_CONNECTIVES)) + r"),\s+", sentence, re.I)
    return match.end() if match else 0


def title_cased(tokens: list[str]) -> bool:
    """Every word capitalised but the small ones ("Energy Security", "Coach Dan (Active
    Kids)", "Art & Craft"); a word opening with no letter does not count."""
    return all(t[0].isupper() or t.lower() in _SMALL_WORDS or not t[0].isalpha() for t in tokens)


def looks_like_title(sentence: str, line: str) -> bool:
    """A line of a few capitalised words and no closing punctuation: a title kept in the
    text ("The Debian GNU/Linux FAQ"), not a statement."""
    text = sentence.strip()
    tokens = text.split()
    return (
        text == line.strip()
        and len(tokens) <= 8
        and text[-1:] not in '.!?"”’)'
        and title_cased(tokens)
        and not _KEYED_FIGURE.search(text)
    )


# "Sunday: 11am to 2pm", "Adult: £5.20": a key and its figure, as a timetable or a price
# list sets them out, not a title.
_KEYED_FIGURE = re.compile(r"\w:\s+[£$€]?\d")


_RUN_IN = re.compile(r"(?P<heading>[A-Z][\w’'-]*(?:\s+[\w’'-]+){0,4})\.\s+(?=[A-Z\"“])")


def run_in_heading(line: str) -> str:
    """The heading a paragraph opens with on its own line ("Cable scour. Strong currents
    ..."), a few words of a name with no verb a reader would expect, else "".

    >>> run_in_heading("Cable scour. Strong currents can wash away the sand.")
    'Cable scour'
    >>> run_in_heading("It works. The rest follows.")
    ''
    """
    match = _RUN_IN.match(line.strip())
    if not match:
        return ""
    tokens = match.group("heading").split()
    rest = line.strip()[match.end() :]
    # Its words are content words joined by "and", "of", "the": "Weather and vessel
    # availability", not "It works" or "See below".
    content = [t for t in tokens if t.lower() not in _SMALL_WORDS]
    if (
        not content
        or not all(t.replace("-", "").isalpha() for t in tokens)  # "Chapter 13. ..." is a contents line
        or len(words(rest)) < 4
        or any(t.lower() in STOPWORDS for t in content)
        or any(t.lower() in _PERSON | _THING for t in tokens)
    ):
        return ""
    return match.group("heading")


def run_in_headings(text: str) -> dict[int, str]:
    """The run-in heading of each line of ``text`` that has one, by line number, when
    two or more lines have one: a series of them, not a lone "Done. Now run ...".
    """
    found = {n: heading for n, line in enumerate(text.split("\n")) if (heading := run_in_heading(line))}
    return found if len(found) >= 2 else {}


# Items an answerer names after the sentence announcing them: "... five main risks
# [Biofouling; Cable scour; ...]", at the sentence's end.
_LISTED = re.compile(r"\s\[([^\]\d][^\]]*;[^\]]*)\]")
_LISTED_AT_END = re.compile(_LISTED.pattern + r"(?=[.!?]?$)")


def with_items(sentence: str, items: list[str]) -> str:
    """``sentence`` with ``items`` named in brackets before its closing punctuation.

    >>> with_items("The board has identified two risks.", ["Biofouling", "Cable scour"])
    'The board has identified two risks [Biofouling; Cable scour].'
    """
    text = sentence.rstrip()
    end = len(text) - 1 if text[-1:] in ".!?" else len(text)
    return f"{text[:end]} [{'; '.join(items)}]{text[end:]}"


def listed_items(answer: str) -> list[str]:
    """The items an answer named in brackets with ``with_items``."""
    match = _LISTED.search(answer)
    return [item.strip() for item in match.group(1).split(";")] if match else []


# The text itself: "This report describes ...", "In this chapter, ..." refer to no sentence before.
_THE_TEXT = re.compile(
    r"(?:in\s+)?(?:this|the\s+present)\s+(report|document|section|chapter|page|article|post|paper|manual|"
    r"guide|book|faq|tutorial|note|blog|readme|howto|appendix|summary|overview)\b"
    # A policy or a handbook is the document only when it says what it does ("This policy
    # sets out ..."): "This policy covers theft ..." after "... an insurance policy with
    # Aviva." is that policy.
    r"|(?:in\s+)?this\s+(policy|handbook|leaflet|booklet|brochure|newsletter|memo)\s+(?=(?:sets?\s+out|describes|"
    r"explains|outlines|summari[sz]es|applies\s+to|tells)\b)",
    re.I,
)


# "Let's learn how the Debian package management system works internally.": a tutorial
# saying what it will do next.
_LETS = re.compile(r"let(?:['’]s|\s+us)\s+\w", re.I)
# "The table below shows how long each item can be borrowed ...", "This table lists ...":
# the rows say it.
_SHOWN_BELOW = re.compile(
    r"\W*(?:the\s+following|the|this)\s+(?:table|list|chart|figure|diagram|timetable)\s+"
    r"(?:(?:below|above|that\s+follows)\s+)?(?:shows|lists|gives|sets\s+out|explains|summari[sz]es|describes)\b"
    r"[^;]*$",
    re.I,
)


def points_at_a_table(sentence: str) -> bool:
    """Whether ``sentence`` only says where a table or list is ("The table below shows
    ..."), which is no answer however many words it shares with the question."""
    return _SHOWN_BELOW.match(sentence) is not None


def about_the_text(sentence: str, question: str = "") -> bool:
    """Whether ``sentence`` speaks of the document it is in ("This report describes ...",
    "Let's learn how ..."), and ``question`` does not ask about that document ("What is
    this FAQ?")."""
    opening = sentence.lstrip("\"“‘'([ ")
    if _LETS.match(opening):
        return True
    match = _THE_TEXT.match(opening)
    return match is not None and (match.group(1) or match.group(2)).lower() not in question.lower()


# "It is not wise to skip ...", "It is possible that ...", "It is generally a good idea not
# to ...": an "it" that stands for what follows ("It is used by apt to ..." is no such).
_EXPLETIVE_IT = re.compile(
    r"it\s+(?:is|was|would\s+be|will\s+be|may\s+be|might\s+be|can\s+be|seems|becomes)\s+(?:not\s+)?"
    r"(?:(?:\w+\s+){0,2}?|(?:\w+ly\s+)?an?\s+(?:good|bad|better|wise)\s+idea\s+(?:not\s+)?)(?:to|that|whether|if|when)\b",
    re.I,
)


def expletive_it(sentence: str) -> bool:
    """Whether ``sentence`` opens with an "it" that refers to nothing before it."""
    return _EXPLETIVE_IT.match(sentence.lstrip("\"“‘'([ ")) is not None


# "Use --verbose in the above example", "the command shown above": wherever it stands,
# the sentence points at what came before it.
_ABOVE = re.compile(
    r"\b(?:the|this|that|these|those)\s+above\b"
    r"|\babove\s+(?:examples?|commands?|scripts?|listings?|code|output|snippets?|lines?)\b"
    r"|\b(?:examples?|commands?|scripts?|listings?|code|output|snippets?)\s+(?:shown\s+|given\s+)?above\b"
    r"|\bas\s+(?:shown|described|explained|seen|given|mentioned)\s+above\b"
    r"|\b(?:the|this|that)\s+previous\s+(?:examples?|commands?|scripts?|listings?|snippets?)\b",
    re.I,
)


def reference(sentence: str) -> Reference | None:
    """What the opening word of ``sentence`` refers back to, if it does, or a phrase in it
    pointing above ("in the above example": the thing before it)."""
    if about_the_text(sentence) or expletive_it(sentence):
        return None
    lowered = sentence.lstrip("\"“‘'([ ").lower()
    if lowered.startswith(_MULTIWORD_CONNECTIVES):
        return "connective"
    first = _FIRST_WORD.match(lowered)
    word = first.group(0) if first else ""
    if word in _PERSON:
        return "person"
    if word in _THING:
        return "thing"
    if word in _CONNECTIVES:
        return "connective"
    return "thing" if points_above(sentence) else None


def points_above(sentence: str) -> bool:
    """Whether ``sentence`` names something above it ("in the above example")."""
    lowered = sentence.lower()
    return ("above" in lowered or "previous" in lowered) and _ABOVE.search(sentence) is not None


def person_before(text: str, opening: str = "") -> str | None:
    """The person a "he" or "she" after ``text`` most likely means (``opening``: the
    sentence that opens with it, if known).

    The subject of the last sentence that names someone: its first run of
    capitalised words that is not a place, an organisation or a date.
    """
    # Split as the answerer does, so "Dr." or "Ms." does not end a sentence.
    sentences = [sentence for _, _, sentence in sentence_spans(text)]
    gender = _gender(opening)
    for sentence in reversed(sentences):
        if reference(sentence) == "person":
            # "He met X. He also ...": both mean whoever came before; but in "Her first
            # hire was Tomas Lind. He ...", "he" is not she: it is the man she named.
            other = gender and _gender(sentence) not in ("", gender)
            named = [
                name for m in _TITLED_RUN.finditer(sentence) if (name := _trim_name(m.group(0))) and not places(name)
            ]
            if other and named:
                return named[0]
            continue
        first = re.match(r"[\"“‘']?([A-Z][a-z]+)\s+[a-z]", sentence)
        if first and first.group(1).lower() not in OPENERS | _SMALL_WORDS and not places(first.group(1)):
            # "Kwatra met Senator Hagerty. He ...": a one-word subject is the likeliest
            # referent and no run of names shows it; bring the sentence instead.
            return None
        found = [
            (m.start(), name)
            for m in _TITLED_RUN.finditer(sentence)
            if (name := _trim_name(m.group(0))) and not places(name)
        ]
        # "founded by Ingrid Halvard": whoever an act is "by" is a person, even after
        # an organisation's name; otherwise the first name is the likeliest subject.
        for start, name in found:
            if sentence[:start].rstrip().endswith(" by"):
                return name
        if found:
            return found[0][1]
    return None


def _gender(sentence: str) -> str:
    """ "m" or "f" for a sentence opening with "he" or "she" ("his", "her"), else ""."""
    first = _FIRST_WORD.match(sentence.lstrip("\"“‘'([ ").lower())
    word = first.group(0) if first else ""
    return "m" if word in ("he", "him", "his") else "f" if word in ("she", "her", "hers") else ""


# His and her pronouns; ``standing``: only those that stand for the person ("her" may
# be "her deputy", someone else).
_PRONOUNS = {
    False: (re.compile(r"\b(?:he|him|his|himself)\b", re.I), re.compile(r"\b(?:she|her|hers|herself)\b", re.I)),
    True: (re.compile(r"\b(?:he|him|himself)\b", re.I), re.compile(r"\b(?:she|herself)\b", re.I)),
}


def pronoun_gender(text: str, standing: bool = False) -> str:
    """ "m" when ``text`` says "he" (or "him", "his") and never "she", "f" the other way
    round, else "": whom a sentence's pronouns, or a question's, can mean. With
    ``standing``, only pronouns that stand for the person count: in "how long has her
    deputy run it?" the person asked about is not she."""
    his, hers = _PRONOUNS[standing]
    he, she = bool(his.search(text)), bool(hers.search(text))
    return "m" if he and not she else "f" if she and not he else ""


def _trim_name(run: str, opens: bool = False) -> str | None:
    """``run`` without the words before a name; ``opens``: it opens the text, whose first
    word is capitalised as any is ("Expanding U.S. exports ..." names no one; "Xiaoming Li"
    does)."""
    tokens = run.split()
    while tokens and (
        tokens[0].lower() in OPENERS
        or (opens and tokens[0].endswith("ing") and all(re.fullmatch(r"(?:[A-Z]\.)+", t) for t in tokens[1:]))
    ):
        tokens = tokens[1:]
        opens = False
    if len(tokens) < 2 or any(t.lower().rstrip(".") in _ORGANISATION_WORDS for t in tokens):
        return None
    if tokens[-1].lower().rstrip(".") in _THING_WORDS:
        return None  # "the Brookfield Care Plan" is something offered, not someone
    return " ".join(tokens)


def people(text: str) -> list[str]:
    """Runs of capitalised words in ``text`` that look like people's names ("Dr. Tobias
    Renwick", "Jeanne Shaheen"): not places, organisations or dates.

    >>> people("She grew up in Port Caddoway and met Jeanne Shaheen.")
    ['Jeanne Shaheen']
    """
    found = []
    for match in _NAME_RUN.finditer(text):
        if _quoted(text, match.start(), match.end()):
            continue  # a quoted title or slogan ("the “Atmanirbhar Bharat” goals") names no one
        name = _trim_name(match.group(0), opens=not text[: match.start()].strip(" \"“‘'("))
        if name and not places(name) and name not in found:
            found.append(name)
    return found


# Words that make a run of capitalised words a body rather than a place ("Thames Valley
# Building Society", "Marlow Town Council"; not "Higginson Park" or "Seymour Court Road").
_BODY_WORDS = (
    _ORGANISATION_WORDS
    - frozenset(
        """port harbour harbor street road city county island isle quay sound bay river lake mount mountain
        valley point north south east west centre center park square bridge station airport tidal energy
        array state states kingdom republic act agreement treaty programme program project initiative fund
        office house""".split()
    )
) | frozenset("society club firm authority service services police charity cic cooperative co-op".split())
# A body's name may hold initials and small words: "Brightline IT Services", "Department
# for Transport", "University of Westmarch", "Ferris & Cole Marine".
_BODY_RUN = re.compile(r"\b[A-Z][\w'’-]*(?:\s+(?:(?:of|for|and|&)\s+)?[A-Z][\w'’-]*)+")
# A body named in one word after what it is ("the Oxford firm Cyclelogic") or as the doer
# ("built by Cyclelogic", "hosted by Brightline").
_ONE_WORD_BODY = re.compile(
    r"\b(?:firm|company|supplier|contractor|provider|start-?up|manufacturer|developer|maker|vendor|operator|charity)"
    r"\s+(?:called\s+|named\s+)?([A-Z][\w&-]+)"
    r"|\bby\s+(?:the\s+)?([A-Z][\w&-]+)(?=\s*(?:[,.;:)]|$)|\s+(?:and|or|in|on|at|for|to|from|since|with|who|which|that)\b)"
)


# Capitalised words after "by" that name no one: a time ("by Easter"), a title ("by Dr.
# Smith" is a person's), a means ("by Phone").
_NOT_BODIES = frozenset(
    """easter christmas spring summer autumn fall winter dr mr mrs ms prof sir dame phone email post
    hand law default design""".split()
)


def organisations(text: str) -> list[str]:
    """Bodies ``text`` names: runs of capitalised words holding a word such as "Council" or
    "Society", and one-word names of a firm or of whoever did something.

    >>> organisations("Thames Valley Building Society paid, and the app was built by Cyclelogic.")
    ['Thames Valley Building Society', 'Cyclelogic']
    """
    found = []
    for match in _BODY_RUN.finditer(text):
        tokens = re.sub(r"['’]s$", "", match.group(0)).split()
        while tokens and tokens[0].lower() in OPENERS:
            tokens = tokens[1:]
        if any(t.lower().rstrip(".") in _BODY_WORDS for t in tokens):
            found.append(" ".join(tokens))
    for match in _ONE_WORD_BODY.finditer(text):
        name = match.group(1) or match.group(2)
        if (
            name.lower() not in OPENERS | _NOT_BODIES
            and not name.isupper()  # "by COVID", "by SMS"
            and not places(name)
            and name not in found
        ):
            found.append(name)
    return found


_OPENING_QUOTES = frozenset("“\"‘'")
_CLOSING_QUOTES = frozenset("”\"’'")


def _quoted(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is the whole of a quotation: a quote mark on each
    side, the closing one no possessive's ("‘Jeanne Shaheen’s office’" names her)."""
    after = text[end + 1 : end + 2]
    return text[start - 1 : start] in _OPENING_QUOTES and text[end : end + 1] in _CLOSING_QUOTES and not after.isalpha()


def bracketed(sentence: str, name: str) -> str:
    """``sentence`` with its opening pronoun replaced by ``[name]`` ("[Kwatra’s] visit ...")."""
    match = re.match(r"^(\W*)(\w+)", sentence)
    if not match:
        return sentence
    pronoun = match.group(2).lower()
    shown = f"{name}’s" if pronoun in ("his", "her") and _possessive(sentence, match.end()) else name
    return f"{match.group(1)}[{shown}]{sentence[match.end() :]}"


def _possessive(sentence: str, after: int) -> bool:
    """ "Her visit" is possessive; "met her" is not, but openers are almost always possessive."""
    following = sentence[after:].split(maxsplit=1)
    return bool(following) and following[0][:1].islower()


# Words before a surname that are not given names.
_TITLES = frozenset(
    """mr mrs ms miss dr prof professor sir dame lord lady ambassador envoy consul senator
    sen representative rep congressman congresswoman secretary minister president premier
    chancellor governor mayor councillor councilor judge justice general colonel captain
    commander admiral sergeant inspector officer chief ceo director chair chairman
    chairwoman deputy vice commissioner speaker king queen prince princess father sister
    brother reverend rabbi imam engineer""".split()
)
# Not a citation marker ("[1]"); a row's key may open with a figure ("[4–11 years, Peak]").
_INSERTION = re.compile(r"^\W*\[(?!\d+\])[^\]]+\]\s*")
# Given names added before a surname ("Ambassador [Vinay Mohan] Kwatra"): capitalised
# words in brackets followed by a capitalised word, which a document's own brackets
# ("[package]", "[1]") are not.
_GIVEN_NAMES = re.compile(r"\[[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*)*\]\s+(?=[A-Z])")


# A capital marked as an edit inside the quote's first word ("[E]diting ..." for "editing").
_MARKED_CAPITAL = re.compile(r"^\[([A-Z])\](?=[a-z])")


def opens_with_referent(sentence: str) -> bool:
    """Whether the quote's opening pronoun was replaced by a bracketed referent ("[Kwatra] also met ...")."""
    return _INSERTION.match(sentence) is not None and _MARKED_CAPITAL.match(sentence) is None


def verbatim(sentence: str) -> str:
    """The part of a quoted sentence that is the document's exact text: without the
    bracketed referent that replaced its opening pronoun, nor given names added to a name.

    >>> verbatim("[Ambassador Kwatra] also engaged with Senator Bill Hagerty")
    'also engaged with Senator Bill Hagerty'
    >>> verbatim("India's envoy, Ambassador [Vinay Mohan] Kwatra, met senators")
    "India's envoy, Ambassador Kwatra, met senators"
    >>> verbatim("[E]diting this file is rarely needed")
    'editing this file is rarely needed'
    """
    if _MARKED_CAPITAL.match(sentence):
        sentence = _MARKED_CAPITAL.sub(lambda m: m.group(1).lower(), sentence)
    else:
        sentence = _INSERTION.sub("", sentence)
    return _LISTED_AT_END.sub("", _GIVEN_NAMES.sub("", sentence))


def given_names(name: str) -> list[str]:
    """The words of a person's name before the surname, titles left out.

    >>> given_names("Ambassador Vinay Mohan Kwatra")
    ['Vinay', 'Mohan']
    """
    return [t for t in name.split()[:-1] if t.lower().rstrip(".") not in _TITLES]


def with_full_names(sentence: str, known: list[str]) -> str:
    """``sentence`` with the given names of a person it calls only by title or surname
    added in brackets, from the names in ``known`` ("Ambassador [Vinay Mohan] Kwatra").

    A surname that more than one known name ends with is left as it is.
    """
    by_surname: dict[str, set[str]] = {}
    for name in known:
        if given := given_names(name):  # "Ambassador Kwatra" names nobody new
            by_surname.setdefault(name.split()[-1], set()).add(f"{' '.join(given)} {name.split()[-1]}")
    for surname, names in by_surname.items():
        if len(names) != 1:
            continue
        match = re.search(rf"(?<![\w\[])(?:(\S+)\s+)?{re.escape(surname)}\b", sentence)
        if match is None:
            continue
        before = match.group(1) or ""
        [name] = names
        # Titles ("Dr.") and words the sentence already has before the surname stay out.
        given = [t for t in name.split()[:-1] if t != before.strip('[(“"')]
        if not given or any(re.search(rf"\b{re.escape(t)}\b", sentence) for t in given):
            continue
        at = match.end() - len(surname)
        sentence = f"{sentence[:at]}[{' '.join(given)}] {sentence[at:]}"
    return sentence
