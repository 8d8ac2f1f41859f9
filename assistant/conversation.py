"""Conversation turns, and the standalone query of a follow-up question.

Without a language model there is no rewriting model, but a follow-up such as "Which
senators did he meet?" still has to find the passage about Kwatra, and the answer should
say what was searched. ``standalone`` turns a follow-up into a question that stands on
its own, from the earlier turns alone:

- "he", "she", "his", "her" become the person the conversation is about: the person the
  last answer named when the last question asked "who", else the one the last question
  named;
- "it", "its", "they", "them", "their", "that" become the subject the last question
  named (a run of capitalised words such as "Kestrel Lunar Outpost"), or the name the
  last answer gave to "Which college ...?" ("Westmarch College"); after a how-to, "it"
  and "in there" are the command or file the answer named ("screen", "/etc/hostname");
- "the second one", "the first", "the last" or "final one" become that item of the
  last answer's names; "Which of the two ...?" points back too, and gets the last
  question's topic;
- what is still left open (an ellipsis such as "And in 2031?", or a pronoun with no
  named subject) gets the last question's topic words in parentheses.

A question with words of its own and nothing pointing back is a new topic and stands
alone. Words carried over from earlier turns count for less than the question's own
when sentences are scored (``context``).

    >>> turns = [Turn(role="user", content="Who is India's ambassador to the U.S.?"),
    ...          Turn(role="assistant", content="India’s Ambassador to the U.S., Vinay Mohan Kwatra, held meetings [1].")]
    >>> standalone("Which senators did he meet?", turns).query
    'Which senators did Vinay Mohan Kwatra meet?'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, Field

from core.records import Hit
from core.text import STOPWORDS, content_terms, sentence_spans, stem, words

if TYPE_CHECKING:
    import numpy as np

from .aliases import ORDINAL_WORDS, forms, numbered
from .answer import MARKER
from .question import MONTHS, TURNED_TO, asks_for_more, asks_for_people, asks_for_person, asks_how, sets_a_scene
from .quoting import OPENERS, expletive_it, listed_items, organisations, people, pronoun_gender

_PERSON = {"he": "", "him": "", "she": "", "his": "’s", "her": ""}
_THING = {
    "it": "",
    "its": "’s",
    "they": "",
    "them": "",
    "their": "’s",
    "this": "",
    "that": "",
    "these": "",
    "those": "",
}
_ANAPHORA = frozenset(
    """he she they him her them his hers their theirs it its this that these those former latter""".split()
)
# Words that point back only in a short question ("And the other one?"); in "Is there a
# way to list installed packages?" they do not.
_POINTING = re.compile(
    r"\b(which|that|this|the other|another) ones?\b|\bthe (same|other|former|latter)\b"
    # "Is there one with a full-screen interface?": one of what the question before asked for.
    r"|\b(?:is|are|was|were) there (?:one|ones)\b"
    # "Which of the two should I use?": the things just compared ("Who signed the two
    # agreements?" names its own).
    r"|\b(?:of|between) (?:the|these|those) (?:two|three)\b",
    re.I,
)
# "whats the last day to order one": one of what the conversation is about, as the thing a
# verb its asker or "to" governs ends the question on (not "page one", "the minimum order
# one"); unless the question names a thing before it that it may be one of ("i don't have
# a bike, where can i hire one").
_ONE_ORDERED = re.compile(
    r"\b(?:to|i|we|you|can|could|do|should|will|would|must)\s+(?:order|book|get|buy|have|need|want|take|bring|"
    r"hire|rent|borrow|use|pick|choose|reserve|join|keep|send|try|cancel|change|return|renew|replace|collect)\s+"
    r"(?:one|ones)\s*[?.!]*\s*$",
    re.I,
)
_ONE_OF_ITS_OWN = re.compile(r"\b(?:a|an|my|your|our|their|his|her)\s+(?!ones?\b)[a-z]", re.I)
_WEAK_ANAPHORA = frozenset("there then such same other another else more one ones".split())
# "What if the machine is off at night?": the case just talked about, changed.
_OPENERS = (
    "and ", "also ", "what about", "how about", "why ", "why?", "how so", "and?", "anything else", "what else",
    "what if ",
)  # fmt: skip
_ORDINALS = {
    "first": 0,
    "second": 1,
    "third": 2,
    "fourth": 3,
    "fifth": 4,
    "last": -1,
    "final": -1,
    "latter": -1,
    "former": 0,
}
# "the second one", "the first of those", "the latter"; not "the first tranche".
_ORDINAL_PHRASE = re.compile(
    r"\b(?:the\s+)?(former|latter)\b"
    # "a second one" is one more of the kind asked about, no item of a list.
    r"|\b(?:the\s+)?(?<!\b[Aa]\s)(?<!\b[Aa]\s\s)(first|second|third|fourth|fifth|last|final)"
    r"(?:\s+(?:one|ones|person|item)\b|\s+of\s+(?:them|those|these)\b)"
    r"|\bthe\s+(first|second|third|fourth|fifth|last|final)(?=\s*[?.!,]|\s*$)",  # "the second?", not "discuss last?"
    re.I,
)
# Runs of capitalised words, allowing "of" inside ("Bank of England").
_NAME_RUN = re.compile(r"\b(?:[A-Z]\.)+|\b[A-Z][\w’'-]*(?:\s+(?:(?:of|de|for)\s+)?(?:[A-Z]\.(?=\s)|[A-Z][\w’'-]*))*")
_WH = frozenset("what which who whom whose when where why how".split())
_NOT_SUBJECTS = _WH | frozenset(
    "i am is are was were do does did can could should would will and the a an in on".split()
)
_PLURAL = frozenset("they them their these those".split())
# Words that say nothing about a question's topic; "list" or "show" do, unlike in STOPWORDS.
_FILLER = _NOT_SUBJECTS | frozenset(
    """me my we our you your he she it its they them their this that these those to of for with on in at by
    from about into some any there here be been being has have had please tell
    what's what’s who's who’s where's where’s how's how’s it's it’s that's that’s whats whos wheres hows thats""".split()
)
# A question that asks for a named thing: the answer names it ("Which company ...?").
# What "what ...?" asks for when it wants an amount or a time, not a named thing.
_UNNAMED_KINDS = frozenset(
    """hour hours time times day days date dates year years month months week weeks number numbers size
    sizes percentage price prices cost costs amount age speed level levels temperature distance""".split()
)
# What "which ...?" asks for when it wants an organisation.
_BODY_KINDS = frozenset(
    """company companies firm firms organisation organization business contractor contractors supplier suppliers
    provider providers agency charity bank""".split()
)
# "What caused the fire?" asks with a verb, not for a named thing.
_WHICH = re.compile(
    r"^\s*(which|what)\s+(?!is\b|are\b|was\b|were\b|do\b|does\b|did\b|\w+ed\b"
    r"|(?:happen|cause|make|mean|need|go|come|help|matter|count|stop)s?\b|led\b|made\b)\w+",
    re.I,
)


class Turn(BaseModel):
    role: Literal["user", "assistant"]
    content: str = Field(max_length=20_000)


@dataclass(frozen=True)
class Standalone:
    query: str  # the question as it stands on its own: what is searched and shown
    focus: str  # the words that count in full when sentences are scored: the question's own
    context: str  # earlier words that count for less when sentences are scored
    resolved: bool = True  # False when a reference or an ellipsis was left for ``context`` to fill
    referents: tuple[str, ...] = ()  # what the follow-up's pronouns and ordinals stand for
    switched: bool = False  # the asker said the question is on something else ("Different question - ...")


# "Which command shows who is logged in and what they are doing?": "who" is the subject
# there, and a later "they" or "she" means whoever it is, not someone of an earlier turn
# (unlike "Who did he meet?", where "he" is the subject).
_SUBJECT_WHO = re.compile(
    r"\bwho\s+(?!(?:do|does|did|will|would|can|could|should|has|have|had|is|was|are|were)\s+"
    r"(?:he|she|they|it)\b)(?=\w)",
    re.I,
)
# "before that", "since this": the demonstrative is a time or an event, not a thing named.
# "..., what should I use then?": in that case, the case the conversation was about
# ("If the disk fills up, what happens then?" is a time, and says its own case).
# "which one should I use then?", "can nhs patients get seen then": a closing "then" points
# back to the case or the time just talked about.
_THEN = re.compile(r"\bthen\s*[?.!]*\s*$", re.I)
_AFTER_A_TIME = re.compile(r"\b(?:before|after|since|until|till|prior to|following|by|at)\s+$", re.I)
# "all this", "any of that": the whole of what was talked about, not one thing named in it.
_WHOLE = re.compile(r"\b(?:all|any|none|some)(?:\s+of)?\s+$", re.I)
# "In which sectors specifically?", "What exactly?": narrowing down what was just said.
# "Where do I find the results afterwards?", "What should I use instead?": after or in
# place of what was just talked about.
_NARROWING = re.compile(
    r"\b(?:specifically|exactly|precisely|in particular|afterwards?|instead|as well|either)\W*$", re.I
)
_BOUND = frozenset("he him his she her they them their".split())
# "How many can one adult take in at once?": a count of what it does not name, which the
# conversation has (the children at the pool).
# Not "how many can a superior room sleep?", whose subject says what it is about.
_COUNT_UNNAMED = re.compile(
    r"^\W*how\s+many\s+(?:can|could|do|does|did|will|would|should|may|might|must|shall)\s+"
    r"(?:i|u|you|we|they|he|she|it|(?:one|each|every)\s+\w+)\b",
    re.I,
)


def _bound_from(question: str) -> int:
    """Where personal pronouns stop pointing back: after a "who" that is the subject."""
    match = _SUBJECT_WHO.search(question)
    return match.end() if match else len(question)


def _unbound(question: str) -> str:
    """``question`` without the pronouns that a subject "who" of its own binds, nor those
    whose noun it gives itself."""
    start = _bound_from(question)
    tail = re.sub(r"\b\w+\b", lambda m: "" if m.group(0).lower() in _BOUND else m.group(0), question[start:])
    question = question[:start] + tail
    for begin, end in reversed(_own_nouns(question)):
        question = question[:begin] + question[end:]
    return question


# Personal pronouns and "it": a demonstrative ("that agreement") brings its own noun.
_PRONOUN = re.compile(rf"\b(?:{'|'.join(sorted(_BOUND | {'it', 'its'}))})\b", re.I)
# "... before it fails", "... when it talks about tariffs": a clause hung on what the
# question has just named.
_SUBORDINATE = re.compile(r"\b(?:when|whenever|if|once|before|after|until|unless|because|while|since)\s+$", re.I)
_NOUN_PHRASE = re.compile(r"\b(?:the|a|an|my|your|our)\s+(?!same\b|other\b)[a-z][\w-]*", re.I)
_PLURAL_NOUN = re.compile(r"\b[a-z][a-z-]{2,}(?<![su]s)s\b", re.I)
# A plural noun after a word that marks one: "the backups", "those tariffs", "your keys".
_DETERMINED_PLURAL = re.compile(
    r"\b(?:the|these|those|my|your|our|their|its|all|any|some)\s+([a-z][a-z-]{2,}(?<![su]s)s)\b", re.I
)
# What the asker calls theirs: "my son", "our old boiler" (the noun last).
_OWNED = re.compile(r"\b(?:my|our)\s+(?:\w+\s+)?([a-z][\w-]*)", re.I)


def _own_nouns(question: str) -> list[tuple[int, int]]:
    """Spans of the pronouns whose noun the question gives itself: "how high were they"
    after "has the U.S. hit Indian goods with tariffs before?", "it" in "does the post
    flag when it talks about tariffs" or "before it fails"."""
    spans = []
    for match in _PRONOUN.finditer(question):
        before = question[: match.start()]
        plural = match.group(0).lower() in _PLURAL
        # An earlier sentence of the question: "they" needs a plural noun in it.
        ended = max(before.rfind("?"), before.rfind("!"), before.rfind(". "))
        if ended > 0:
            earlier = before[:ended]
            nouns = [w for w in _PLURAL_NOUN.findall(earlier) if w.lower() not in STOPWORDS] if plural else []
            if nouns or (not plural and _NOUN_PHRASE.search(earlier)):
                spans.append(match.span())
                continue
        clause = _SUBORDINATE.search(before)
        if clause is not None and _NOUN_PHRASE.search(before[: clause.start()]):
            spans.append(match.span())
            continue
        # "my son is 12, can he join by himself?": a clause of the asker's own before a
        # comma names whom the pronoun after it means.
        comma = before.rfind(",")
        owned = _OWNED.search(before[:comma]) if comma > 0 else None
        if owned and (not plural or _PLURAL_NOUN.fullmatch(owned.group(1))):
            spans.append(match.span())
            continue
        # "what about shampoo and shower gel, do you sell them?": the things the question
        # turns to before its comma are what the pronoun after it means.
        turned = TURNED_TO.match(question)
        if (
            turned
            and turned.end() <= match.start()
            and any(w not in STOPWORDS and len(w) > 2 for w in words(turned[1]))
        ):
            spans.append(match.span())
    return spans


# A question this short naming nothing leans on the conversation for its subject.
SHORT_QUESTION_WORDS = 4


def may_be_elliptical(question: str) -> bool:
    """ "what do i need to connect?" after "am i allowed to work from home?", "how many
    trips a year do i get" after "can i take my van to the tip": a question naming nothing
    may leave out what the conversation is about (connecting from home, vans at the tip)
    though no pronoun says so."""
    return not _names(_unacknowledged(question))


# "ok and the flexi one?", "right, what about ...": a word that only acknowledges the
# last answer opens nothing; what follows it does. A word that may also open a name
# ("Great Western", "Right to Buy") acknowledges only with a stop or comma after it.
_ACKNOWLEDGING = re.compile(
    r"^\W*(?:(?:(?:ok(?:ay)?|alright|oh|ah|thanks|thank\s+you|cheers|got\s+it)\b[\s,.!:;-]*"
    r"|(?:right|cool|great|perfect)\s*[,.!:;-]+\s*))+"
    r"(?:so\b[\s,]*)?",
    re.I,
)


def _unacknowledged(question: str) -> str:
    """``question`` without the words opening it that acknowledge the last answer."""
    return _ACKNOWLEDGING.sub("", question)


def is_follow_up(question: str) -> bool:
    question = _unacknowledged(question)
    lowered = _unbound(question).strip().lower()
    if (
        lowered.startswith(_OPENERS)
        or _ORDINAL_PHRASE.search(question)
        or _POINTING.search(question)
        or _one_ordered(question)
        or _there(question)
        # "If the disk fills up, what happens then?": the case "then" means is its own.
        or (_THEN.search(question) and not sets_a_scene(question))
        or _NARROWING.search(question)
        or _COUNT_UNNAMED.search(question)
    ):
        return True
    tokens = words(lowered)
    short = len(content_terms(question)) <= 2
    if len(tokens) <= SHORT_QUESTION_WORDS and not _names(question):
        return True  # "How much per megawatt?": too short to say what it is about
    return (
        any(
            (t in _ANAPHORA and not _relative(tokens, i))
            # "If the disk fills up, what happens then?": "then" is the question's own case.
            or (short and t in _WEAK_ANAPHORA and not (t == "then" and "if" in tokens[:i]))
            for i, t in enumerate(tokens)
        )
        or len(content_terms(question)) <= 1
    )


_DETERMINERS = frozenset("the a an any every each some my your our its their this".split())


def _one_ordered(question: str) -> bool:
    """Whether ``question`` ends on "one" that a verb governs ("to order one"), and names
    no thing before it that "one" may be one of ("... a bike, where can i hire one")."""
    end = _ONE_ORDERED.search(question)
    return end is not None and _ONE_OF_ITS_OWN.search(question, 0, end.start()) is None


def _relative(tokens: list[str], i: int) -> bool:
    """ "the name that git records": a "that" right after a determiner's noun opens a
    clause about that noun and points back to nothing ("Is that free?", "after that",
    "signed that agreement" do)."""
    return (
        tokens[i] == "that"
        and i >= 2
        and tokens[i - 2] in _DETERMINERS
        and tokens[i - 1] != "of"  # "any of that" is no noun and its clause
        and i + 1 < len(tokens)
    )


# "Different question - ...", "Unrelated, but ...", "Switching topics: ...": the asker
# says the conversation so far is not what the question is about.
_SWITCH = re.compile(
    r"^\W*(?:(?:ok(?:ay)?|so|anyway|alright|right|now|also|btw|by the way)\W+)*"
    r"(?:(?:(?:a|one|on|on\s+an?|totally|completely)\s+)?(?:different|separate|unrelated|new|other|another)\s+"
    r"(?:question|topic|subject|note|matter|thing)"
    r"|(?:totally\s+|completely\s+)?unrelated|something\s+else"
    r"|(?:switching|changing)\s+(?:the\s+)?(?:topics?|subjects?|gears)|change\s+of\s+(?:topic|subject)"
    r"|off[\s-]topic)"
    r"(?:\s*[-–—:;,.!]+\s*(?:but\s+)?|\s*,?\s*but\s+)(?=\w)",
    re.I,
)


def _said_switch(question: str) -> str | None:
    """The question after a topic-switch marker that opens it, capitalised; None without one."""
    match = _SWITCH.match(question)
    if match is None:
        return None
    rest = question[match.end() :]
    return rest[:1].upper() + rest[1:]


# "what about for cats", "and on saturdays?", "what about over christmas": the question
# before asked something of one thing (a dog's vaccination, weekdays, bank holidays), and
# this one asks the same of another, which takes its place. Its few words ask nothing of
# their own ("and how much per mile?" does).
_INSTEAD = re.compile(r"^\W*(?:and|what\s+about|how\s+about)\s+(?P<rest>[^?]*?)\W*$", re.I)
MAX_INSTEAD_WORDS = 5
_ASKING = _WH | frozenset("is are was were do does did can could will would should may might".split())
_BEFORE_MONTH = frozenset("in of during by until till from since early late mid".split())
_ADDING = frozenset("with plus including also too extra".split())
# How alike, in the embedding model's word table, a word this asks about must be to one of
# the question before's to take its place: "cats" for "dog" (0.41), "saturdays" for
# "weekdays" (0.48); not "coffee" for "drinks" (0.39), a kind of them.
COUNTERPART = 0.4
# ``alike(words, texts)``: for each text (a tuple of words) and each word, how near the
# text's nearest word is (``WordVectors.nearest``).
Alike = Callable[[Sequence[str], Sequence[tuple[str, ...]]], "np.ndarray"]


def instead_of(question: str, topic: str, alike: Alike | None) -> set[str]:
    """The words of ``topic`` (the question before's) that what ``question`` asks about
    takes the place of: "dog" for "what about for cats" after "how much is a dog
    vaccination"; none for another kind of follow-up, or without ``alike``."""
    match = _INSTEAD.match(_unacknowledged(question))
    if alike is None or match is None:
        return set()
    rest = words(match.group("rest"))
    # "and in may?" names a month, not a question asked.
    asking = {w for i, w in enumerate(rest) if w in _ASKING and not (w == "may" and i and rest[i - 1] in _BEFORE_MONTH)}
    # "and with oat milk?" adds to the coffee, and takes nothing's place.
    if not rest or len(rest) > MAX_INSTEAD_WORDS or asking or rest[0] in _ADDING:
        return set()
    old = list(dict.fromkeys(w for w in words(topic) if w not in STOPWORDS and len(w) >= 3 and w.isalpha()))
    new = [w for w in rest if w not in STOPWORDS and len(w) >= 3 and w.isalpha() and w not in (*old, "one", "ones")]
    if not old or not new:
        return set()
    near = alike(new, [(w,) for w in old])
    out = set()
    for j, word in enumerate(new):
        i = int(near[:, j].argmax())
        if near[i, j] >= COUNTERPART and not _same_word(word, old[i]):
            out.add(old[i])
    return out


def _same_word(a: str, b: str) -> bool:
    """ "packages" and "package", "firing" and "fire", "people" and "person": one word in two
    forms, not two things ("weekdays" and "weekends" are two)."""
    if frozenset((a, b)) in _IRREGULAR_PLURALS:
        return True
    shared = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    return shared >= max(3, min(len(a), len(b)) - 2)


_IRREGULAR_PLURALS = frozenset(
    frozenset(pair) for pair in (("person", "people"), ("child", "children"), ("man", "men"), ("woman", "women"))
)


def _without(text: str, gone: AbstractSet[str]) -> str:
    """``text`` without the words in ``gone`` (lower case)."""
    if not gone:
        return text
    # By its words as ``words`` reads them: "dog's" is "dog", "café" "cafe", "e-bike" holds "bike".
    kept = re.sub(r"[\w’'-]+", lambda m: "" if gone & set(words(m.group(0))) else m.group(0), text)
    return " ".join(kept.split())


def standalone(
    question: str,
    history: list[Turn],
    elliptical: bool = False,
    chained: bool = True,
    resolved_last: str | None = None,
    alike: Alike | None = None,
) -> Standalone:
    """``question`` rewritten to stand on its own, and the earlier words it leans on; with
    ``elliptical``, read as a follow-up though it names no earlier turn's subject; without
    ``chained``, the last question is read as typed, not as it was resolved (given as
    ``resolved_last``, or worked out); with ``alike`` (how near words are in meaning), a word
    of the question before that this one asks about something else in place of is dropped
    ("dog" for "what about for cats")."""
    if (switched := _said_switch(question)) is not None:
        return Standalone(switched, switched, "", switched=True)
    if not history or not (elliptical or is_follow_up(question)):
        return Standalone(question, question, "")
    # "ok and on sundays?" asks what "and on sundays?" asks: the acknowledgement is neither
    # searched for nor read for the kind of answer.
    question = _unacknowledged(question) or question
    users = [t.content for t in history if t.role == "user"]
    last_user = users[-1] if users else ""
    if asks_for_more(question) and last_user:
        # "Tell me more." after "Tell me more.": both are about what the question before asked ...
        last_user = next((u for u in reversed(users) if not asks_for_more(u)), last_user)
        # ... as it was resolved: "How do I open a new window inside it?" was about screen.
        at = max(i for i, t in enumerate(history) if t.role == "user" and t.content == last_user)
        last_user = standalone(last_user, history[:at]).query
    raw_answer = next((t.content for t in reversed(history) if t.role == "assistant"), "")
    # A bracketed name in an answer ("[Kwatra] also met ...") is a referent the answerer
    # supplied, not what the answer is about.
    unbracketed = re.sub(r"\[[^\]]*\]", " ", raw_answer)
    supplied = {
        n for inner in re.findall(r"\[([^\]\d][^\]]*)\]", raw_answer) for n in _names(inner) if n not in unbracketed
    }
    # "[O]ne e-bike battery caught fire": the capital is the quote's, and "One" no name.
    supplied |= {capital + rest for capital, rest in re.findall(r"\[([A-Z])\]([a-z]\w*)", raw_answer)}
    last_answer = _plain(raw_answer)
    walking = _ORDINAL_PHRASE.search(last_user) is not None
    listed, listing_question = _listing(history, walking)
    # "And the last one?" after "When was the first one commissioned?": the sentences
    # the answer before that quoted are the items walked, not the one the last answer gave.
    before = _answer_before(history) if walking and not listed else ""
    items_answer = before if len(_sentences(before)) >= 2 else raw_answer
    same = _same_tool(question, last_answer)
    meant = _meant_again(question, history, last_user)
    # "my daughter is 13 can she do the 10k", "what about the fun run then", "does she need me
    # with her?": "she" is the asker's daughter, whom no document names, not a name the
    # answers gave ("Fun Run"); unless a question asked who someone is.
    kin = (
        meant is None
        and _KIN.search(" ".join(users[-_KIN_TURNS:])) is not None
        and not any(asks_for_person(u) or full_names(u) for u in users[-_KIN_TURNS:])
    )
    query, referents = _resolve(question, last_user, last_answer, supplied, listed, items_answer, same, meant, kin)
    if resolved_last is None:
        resolved_last = _as_resolved(last_user, history) if chained else last_user
    # "ok different thing, where does the choir rehearse" was about where the choir
    # rehearses: the words saying that the topic changed are not what it was about.
    resolved_last = _said_switch(resolved_last) or resolved_last
    topic = _topic(resolved_last)
    if resolved_last != last_user:
        # Each word once: "why not? (not ...)" after "why not?" would grow a "not" a turn.
        topic = " ".join(dict.fromkeys(topic.split()))
    if replaced := instead_of(question, topic, alike):
        # Neither searched for nor read as the conversation's: rows and sentences on the
        # dog would otherwise win over the cats'.
        topic, resolved_last = _without(topic, replaced), _without(resolved_last, replaced)
    if numbered(question):
        # "What about the second phase?" after the first: the old number is not carried over.
        topic = " ".join(w for w in topic.split() if w.lower() not in ORDINAL_WORDS and not w.isdigit())
    if not referents and topic and not _mentions_all(query, topic):
        query = f"{query.rstrip()} ({topic})"
    # What a pronoun stood for finds the passage, but the sentence that answers is picked
    # by the question's own words: an earlier answer naming the referent in full would
    # otherwise win again.
    # "Can the same tool show ...?" asks what that command does: its name is as much the
    # follow-up's own word as "show" (with "SMTP" alone, the earlier answer about the
    # tool's other use wins again).
    focus = _with_tool(question, same) if same else question
    if (firm := _THAT_FIRM.search(focus)) and (named := _company_in(query, referents)):
        # "Who runs that company?": the company's name is what it asks about, as "the same
        # tool" is the command's.
        focus = focus[: firm.start()] + named + focus[firm.end() :]
    if listed and referents and referents[0] in listed:
        # "the second one" of a list an answer named is that item ("Cable scour"): its
        # words are what the follow-up asks about, and "second" is none of them. The
        # question that asked for the list says where to look ("Supply chain" of the
        # tidal array, not of another document).
        focus = query
        topic = _topic(listing_question)
        if topic and not _mentions_all(query, topic):
            query = f"{query.rstrip()} ({topic})"
    elif (
        (ordinal := _ORDINAL_PHRASE.search(question))
        and referents
        and ordinal.group(0) not in query
        and full_names(referents[0])
    ):
        # "where's the second one from" after two senators named: "Senator Bill Hagerty"
        # stands in the question for "the second one", and his name is what it asks about.
        focus = query
    return Standalone(
        query, focus, " ".join([*referents, resolved_last]), resolved=bool(referents), referents=tuple(referents)
    )


# Someone of the asker's own, whom "he" or "she" may mean ("my daughter is 13 ...").
_KIN = re.compile(
    r"\b(?:my|our)\s+(?:\d+\s*(?:yr|year)s?[\s-]*old\s+)?(?:daughter|son|kid|child|boy|girl|wife|husband|partner|"
    r"friend|mum|mom|dad|mother|father|brother|sister|grandson|granddaughter|nephew|niece)s?\b",
    re.I,
)
# The user turns read for it: the conversation's latest few.
_KIN_TURNS = 3
# A chain of "he" questions is followed back this many turns at most, however long the
# conversation (each step resolves the question before it).
_MEANT_TURNS = 20


def _meant_again(question: str, history: list[Turn], last_user: str) -> str | None:
    """Whom "he" means when the last question said "he" too: the same person ("Who did he
    meet ...?", then "Which senator did he talk to?"), not whom its answer named."""
    gender = pronoun_gender(question)
    if not gender or pronoun_gender(last_user) != gender:
        return None
    at = max((i for i, t in enumerate(history) if t.role == "user" and t.content == last_user), default=None)
    if at is None:
        return None
    # Whom it meant does not depend on the topic words a chain of questions carries.
    earlier = standalone(last_user, history[max(0, at - _MEANT_TURNS) : at], chained=False)
    return next((r for r in earlier.referents if full_names(r) == [r]), None)


# "it" that stands for something: not "is it possible to ...", "is it ok to ...", "how long
# does it take to ...", whose "it" stands for nothing said before.
_IT = re.compile(
    r"\bits\b|\bit\b(?!\s+(?:possible|ok|okay|worth|allowed|safe|necessary|true|better|fine|easy|hard|raining|too)\b"
    r"|\s+(?:takes?|took|costs?)\s+to\b)",
    re.I,
)


def _as_resolved(last_user: str, history: list[Turn]) -> str:
    """The last question as it was resolved, when it was a follow-up of two words or fewer
    of its own, or one saying "it": "why not?" after "can i extend that?" after "how long can
    i keep board games?" is about board games, which only the question before the last one
    names."""
    at = max((i for i, t in enumerate(history) if t.role == "user" and t.content == last_user), default=None)
    if (
        at is None
        or (len(content_terms(_topic(last_user))) > 2 and not _IT.search(last_user))
        or not is_follow_up(last_user)
    ):
        # Words enough of its own to say what it was about; not when "it" left that to the
        # question before ("what time does it close for 10k ppl" after "where is bag drop").
        return last_user
    before = history[max(0, at - _MEANT_TURNS) : at]
    # The question before it as resolved in turn, each step once: "and is that fair?" after
    # "why not?" after "can i extend that?" is still about board games.
    earlier = next((t.content for t in reversed(before) if t.role == "user"), None)
    given = _as_resolved(earlier, before) if earlier is not None else None
    return standalone(last_user, before, chained=False, resolved_last=given).query


def _listing(history: list[Turn], walking: bool) -> tuple[list[str], str]:
    """The items the last answer listed in brackets, and the question it answered; when
    ``walking`` a list ("And the third?" after "... the second one?"), an earlier answer's."""
    for at in range(len(history) - 1, -1, -1):
        if history[at].role != "assistant":
            continue
        if found := listed_items(history[at].content):
            return found, next((t.content for t in reversed(history[:at]) if t.role == "user"), "")
        if not walking:
            break
    return [], ""


def _answer_before(history: list[Turn]) -> str:
    """The answer before the last question's: "" when there is none."""
    users = [at for at, t in enumerate(history) if t.role == "user"]
    if len(users) < 2:
        return ""
    return next((t.content for t in reversed(history[: users[-1]]) if t.role == "assistant"), "")


def _resolve(
    question: str,
    last_user: str,
    last_answer: str,
    supplied: set[str],
    items: Sequence[str] = (),
    items_answer: str | None = None,
    same: tuple[re.Match[str], str] | None = None,
    meant: str | None = None,
    kin: bool = False,
) -> tuple[str, list[str]]:
    """Pronouns and ordinals of ``question`` replaced by what they stand for, and those
    names; ``items`` are what an answer listed in brackets ("[Biofouling; Cable scour]"),
    ``items_answer`` the answer whose sentences an ordinal counts (the last one's by default),
    ``same`` where the question says "the same tool" and the command it means, ``meant``
    whom "he" or "she" meant in the last question; with ``kin`` ("my son" was spoken of), "he"
    and "she" are not the words the asker just typed, capitalised by an answer."""
    referents: list[str] = []
    ordinal = _ORDINAL_PHRASE.search(question)
    # Short initialisms ("CEO") are roles, not names the question supplies.
    own_names = [n for n in _names(" ".join(question.split()[1:])) if not re.fullmatch(r"[A-Z]{2,4}", n)]
    if ordinal:
        asked = set(words(last_user))
        position = _ORDINALS[(ordinal.group(1) or ordinal.group(2) or ordinal.group(3)).lower()]
        people = [n for n in full_names(last_answer) if not set(words(n)) & asked and n not in supplied]
        sentences = _sentences(last_answer if items_answer is None else items_answer)
        if asks_for_person(last_user) and (position < len(people) or (position == -1 and people)):
            question = question[: ordinal.start()] + people[position] + question[ordinal.end() :]
            referents.append(people[position])
        elif (listed := list(items) or [n for n in _listed(last_answer) if not set(words(n)) & asked]) and (
            position < len(listed) or position == -1
        ):
            question = question[: ordinal.start()] + listed[position] + question[ordinal.end() :]
            referents.append(listed[position])
        elif len(sentences) >= 2 and (position < len(sentences) or position == -1):
            # "The second one" after an answer listing benefits: the second quoted item,
            # named by its words in brackets, since a whole sentence cannot replace "one".
            item = _topic(sentences[position])
            question = f"{question.rstrip()} ({item})"
            referents.append(item)
    # "How did India react to questions about its imports?": a name of the question's own
    # is what its pronouns mean.
    person = None if full_names(" ".join(own_names)) else meant or _person_of(last_user, last_answer, supplied)
    if kin and person and set(words(person)) <= set(words(last_user)):
        # The thing the asker just asked about ("what about the fun run then": "Fun Run"),
        # no one "she" could be; someone an answer named doing something still is.
        person = None
    how_to = asks_how(last_user)
    # After a how-to, "it" is what the answer told the asker to use: "How do I open a new
    # window inside it?" after "screen(1) ... allows remote shell process to survive".
    subject = None if own_names else _subject_of(last_user, last_answer, supplied)
    used = _used(last_answer) if how_to and not own_names and not subject else None
    # "How are they handling the first one?": "the first one" is one of the things the last
    # question asked about, so "they" is not those things but whoever acts on them.
    plural = None if referents else _plural_of(last_user, last_answer)
    # "What's their contract worth?" after "Who supplies the turbines?": whoever the
    # answer named (a company is "they"), not the turbines.
    named = _named_for_who(last_user, last_answer, supplied)
    if (place := subject or used) and (there := _there(question)):
        # "Should I put the full domain name in there?": in the file just named.
        referents.append(place)
        question = question[: there[0]] + place + question[there[1] :]

    if (firm := _THAT_FIRM.search(question)) and (organisation := named or subject):
        # "Who runs that company?" after "Who makes the turbines?": the company the answer
        # named ("Norrland Turbinverk AB"), not the turbines.
        referents.append(organisation)
        question = question[: firm.start()] + organisation + question[firm.end() :]

    bound_from = _bound_from(question)

    # "the first of those" left in place (its item named in brackets) is one phrase:
    # "those" in it is not a pronoun of its own.
    left = _ORDINAL_PHRASE.search(question)

    # "What's in it for the US?": an idiom, whose "it" stands for nothing.
    idiomatic = {m.start(1) for m in _IN_IT_FOR.finditer(question)}

    own = {start for start, _ in _own_nouns(question)}

    def replace(match: re.Match[str]) -> str:
        word = match.group(0)
        lower = word.lower()
        if match.start() in idiomatic or match.start() in own:
            return word
        if lower in _BOUND and match.start() >= bound_from:
            return word
        if left and left.start() <= match.start() < left.end():
            return word
        if lower in _PERSON and person:
            if person in referents:
                return word  # named once; "Where did Ingrid Halvard get her doctorate?"
            referents.append(person)
            possessive = _PERSON[lower] or (lower == "her" and _noun_follows(question, match.end()))
            return person + ("’s" if possessive else "")
        if lower in ("they", "them", "their") and named and not _demonstrative_before_noun(question, match):
            if named in referents:
                return word
            referents.append(named)
            return named + _THING[lower]
        if lower in _PLURAL and subject and len(subject.split()) < 2:
            return word  # "them" after a question about the U.S. is rarely the U.S.
        if lower in ("this", "that") and (
            _AFTER_A_TIME.search(question[: match.start()]) or _WHOLE.search(question[: match.start()]) or how_to
        ):
            # "before that" is a time; "for that" after "How do I ...?" is what was done,
            # not the thing it was done to: the last question's words stand in for it.
            return word
        if lower in ("it", "its") and used:
            rest = question[match.start() :]
            if used in referents or expletive_it(rest) or _ASKED_IT.match(rest):
                return word  # named once ("Should I put it in there?"); "Is it possible to ...?"
            referents.append(used)
            return used + _THING[lower]
        if lower in _THING and subject and not _demonstrative_before_noun(question, match):
            if subject in referents:
                return word
            referents.append(subject)
            return subject + _THING[lower]
        if lower in ("they", "them", "these", "those") and plural and not _demonstrative_before_noun(question, match):
            before = question[: match.start()]
            if (_CONTACTED.search(before) and not _PEOPLE.search(plural)) or (
                _SENT.search(before) and not _SENDABLE.search(plural)
            ):
                # "can i ring them on a sunday?" after "whats the number to call if i have
                # questions?": whoever is rung, not the questions ("can i ring them?" after
                # a question on the coaches is still the coaches).
                return word
            referents.append(plural)
            return f"the {plural}"
        return word

    if same:
        referents.append(same[1])
        question = _with_tool(question, same)

    pronouns = "|".join(sorted({*_PERSON, *_THING}, key=len, reverse=True))
    # Lower case, or capitalised at the start: "IT" in "What IT system does it run?" is no pronoun.
    rewritten = re.sub(rf"\b(?:{pronouns}|{pronouns.title()})\b", replace, question)
    return rewritten, list(dict.fromkeys(referents))


def _plural_of(last_user: str, last_answer: str) -> str | None:
    """What "them" means: a plural in the last answer of a noun the last question asked
    about ("tariffs" after "What tariff did the U.S. impose?")."""
    # The noun itself, singular or plural: "meetings" is no noun of "Did he meet anyone?",
    # nor "interests" of "Why is the US interested ...?".
    asked = {w for w in words(last_user) if w not in STOPWORDS}
    # A plural the last question named as a noun ("when do the backups run?") that the
    # answer spoke of ("[A] full backup runs every Sunday"), over a verb of the question
    # the answer wrote with an "s" ("runs").
    for match in _DETERMINED_PLURAL.finditer(last_user):
        noun = match.group(1).lower()
        if noun not in STOPWORDS and re.search(rf"\b{re.escape(noun[:-1])}", last_answer, re.I):
            return noun
    for word in re.findall(r"[a-z][a-z-]+s\b", last_answer):
        if word not in STOPWORDS and (word in asked or re.sub(r"e?s$", "", word) in asked or word[:-1] in asked):
            # "the kernel modules" keeps the word the question put before it.
            before = re.search(rf"\b([a-z][\w-]*)\s+{re.escape(stem(word))}\w*", last_user, re.I)
            if before and before.group(1).lower() not in STOPWORDS | _QUANTIFIERS:
                return f"{before.group(1).lower()} {word}"
            return word
    return None


_ROLES = frozenset("ceo cfo cto coo cio vp pm mp md".split())
# A pronoun after a verb of getting in touch stands for someone to reach, not a thing. Not
# after one of sending, whose "them" may be what is sent ("can i email them instead?" after
# a question on copies of certificates).
_CONTACTED = re.compile(r"\b(?:ring|call|phone|contact|reach|(?:speak|talk|write|chat)\s+(?:to|with))\s*$", re.I)
# After a verb of sending, "them" is what is sent only when the plural can be: "can i email
# them instead?" is the certificates after copies of certificates, and whoever deals with
# them after missed collections.
_SENT = re.compile(r"\b(?:email|e-mail|text|message|send|post|fax)\s*$", re.I)
_SENDABLE = re.compile(
    r"\b(?:certificates|photos|photographs|pictures|images|forms|documents|docs|files|receipts|copies|letters|scans"
    r"|invoices|statements|details|results|reports|videos|tickets|payslips|references|applications|cvs)$",
    re.I,
)
# Plurals of people, whom a "them" after such a verb does stand for.
_PEOPLE = re.compile(
    r"\b(?:people|staff|team|teams|police|children|kids|men|women|\w+(?:ists|ians)|organi[sz]ers|volunteers|teachers"
    r"|trainers|instructors|coordinators|supervisors|leaders|managers|workers|drivers|owners|members|players"
    r"|officers|councillors|advis[eo]rs|trustees|coaches|nurses|doctors|gps|vets|stewards|marshals|wardens"
    r"|lifeguards|tutors|carers|parents|neighbours|landlords|tenants|residents|agents|engineers|plumbers|builders"
    r"|contractors|suppliers|providers|senators|officials|companies|firms|councils|partners)$",
    re.I,
)
# "how many bikes": "many" says how many, not which bikes.
_QUANTIFIERS = frozenset("many much several numerous various".split())
_SAME_TOOL = re.compile(r"\b(?:the\s+same|that|this)\s+(?:tool|command|program|utility)\b", re.I)
_THAT_FIRM = re.compile(
    r"\b(?:the\s+same|that|this)\s+(?:company|firm|manufacturer|supplier|maker|vendor|contractor|business)\b", re.I
)


# "Is it possible to ...?": the question form of an "it" that stands for what follows.
_IN_IT_FOR = re.compile(r"\bwhat(?:['’]s|\s+is)\s+in\s+(it)\s+for\b", re.I)
_ASKED_IT = re.compile(r"it\s+(?:possible|necessary|safe|okay|ok|wise|better|best|worth|a\s+good\s+idea)\b", re.I)
_MAN_PAGE = re.compile(r"\b([a-z][\w.+-]*)\([1-8]\)")
# A command as a manual names it: "fuser(1)", or the first word of a quoted command line.
_COMMAND_NAMED = re.compile(rf"{_MAN_PAGE.pattern}|[\"“]([a-z][\w.+-]*)\s[^\"”]*[\"”]")
# A file as a manual names it, in quotes: "/etc/hostname".
_PATH_NAMED = re.compile(r"[\"“](/[\w.+-]+(?:/[\w.+-]+)*/?)[\"”]")
# "in there", "from there": the place or file just named ("Where ...?" asks it too).
# "in there", "through there"; or closing the question ("how does the U.S. see India's role
# there?"), unless after a verb of being ("Which tools are there?").
_THERE = re.compile(
    r"\b(?:in|into|inside|from|under|on|through|over|out)\s+(there)\b"
    r"|(?<!\bis\s)(?<!\bare\s)(?<!\bwas\s)(?<!\bwere\s)(?<!\bbe\s)(?<!\bbeen\s)\b(there)(?=\W*$)",
    re.I,
)


def _there(question: str) -> tuple[int, int] | None:
    """Where "there" stands for a place or thing just talked about, if it does."""
    match = _THERE.search(question)
    if match is None:
        return None
    return match.span(1) if match.group(1) else match.span(2)


def _used(answer: str) -> str | None:
    """The first command or file ``answer`` names as a manual does ("screen(1)",
    "/etc/hostname"); a quoted phrase ("very near") is none."""
    found = [(m.start(), m.group(1)) for m in _MAN_PAGE.finditer(answer)]
    found += [(m.start(), m.group(1)) for m in _PATH_NAMED.finditer(answer)]
    return min(found)[1] if found else None


def _same_tool(question: str, last_answer: str) -> tuple[re.Match[str], str] | None:
    """ "Can the same tool show ...?": where the question says it, and the command the
    last answer named."""
    tool = _SAME_TOOL.search(question)
    named = _COMMAND_NAMED.search(last_answer) if tool else None
    return (tool, next(g for g in named.groups() if g)) if tool and named else None


def _company_in(query: str, referents: Sequence[str]) -> str | None:
    """The referent that stands in ``query`` for "that company"."""
    return next((r for r in referents if r in query), None)


def _with_tool(question: str, same: tuple[re.Match[str], str]) -> str:
    tool, command = same
    return question[: tool.start()] + command + question[tool.end() :]


def _is_place(name: str) -> bool:
    """A country or its capital ("U.S", "India", "New Delhi"), in any of its forms, or two
    of them joined ("India-US": the two countries' relations, no more an "it" than one)."""
    if "-" in name.strip("-") and all(_is_place(part) for part in name.split("-") if part):
        return True
    return forms(name) != {name} or forms(f"{name}.") != {f"{name}."}


def _listed(text: str) -> list[str]:
    """Names enumerated in one breath: "Russia, Iraq and Nigeria" gives all three."""
    name = r"[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*)*"
    text = text[:2000]  # the pattern backtracks; an enumeration worth resolving is near the start
    match = re.search(rf"{name}(?:,\s+{name})*,?\s+(?:and|or)\s+{name}|{name}(?:,\s+{name}){{2,}}", text)
    if not match:
        return []
    return [n.strip(" .") for n in re.split(r",\s+|\s+(?:and|or)\s+", match.group(0)) if n.strip(" .")]


# A quote's citation markers with a quote after them that opens in lower case, which
# only the markers show to be a sentence of its own ("... filesystem [1]. fsck.ext4(8) ...").
_LOWER_QUOTE_NEXT = re.compile(r"(?:\[\d{1,3}\])+[.!?]?\s+(?=[a-z])")
# The list of sources under a model's answer.
_SOURCES = re.compile(r"\n+\**sources\**:?\s*\n", re.IGNORECASE)


def _sentences(answer: str) -> list[str]:
    """The sentences of an answer, as plain text. Split as the answerer quotes: "U.S.
    Deputy Secretary" does not end a sentence, and a quote ends at its markers though the
    next opens in lower case ("... ext4 filesystem [1]. fsck.ext4(8) to check ...")."""
    quotes = _LOWER_QUOTE_NEXT.split(_SOURCES.split(answer)[0])
    return [s.strip() for quote in quotes for _, _, s in sentence_spans(_plain(quote)) if len(s.split()) >= 3]


def _noun_follows(question: str, end: int) -> bool:
    """ "her doctorate": possessive; "met her yesterday", "asked her to": not."""
    following = re.match(r"\s+([a-z]+)", question[end:])
    return following is not None and following.group(1) not in STOPWORDS and not following.group(1).endswith("ly")


def _demonstrative_before_noun(question: str, match: re.Match[str]) -> bool:
    """ "that change", "this tool": a demonstrative with its own noun keeps it."""
    if match.group(0).lower() not in ("this", "that", "these", "those"):
        return False
    following = question[match.end() :].split(maxsplit=1)
    return bool(following) and following[0][:1].isalpha() and following[0].lower() not in STOPWORDS


# "who's priya okonkwo-lisle?": a question naming the person it asks about, and nothing else.
_WHO_IS = re.compile(r"^\W*(?:(?:and|so|ok|okay)\W+)?who(?:['’]s|\s+is|\s+was)\s+(?P<rest>.+?)[\s?.!]*$", re.I)
_TITLES = frozenset("dr mr mrs ms miss prof professor sir dame".split())


def _person_of(last_user: str, last_answer: str, supplied: set[str]) -> str | None:
    """Whom "he" or "she" means: who the last answer named if asked "who", else who was asked about."""
    asked = set(words(last_user))
    # A name typed in lower case ("who's priya okonkwo-lisle?") is found as the answer spells it.
    people = full_names(last_user) or [n for n in full_names(last_answer) if set(words(n)) <= asked]
    who_is = _WHO_IS.match(last_user)
    if who_is and people and set(words(who_is.group("rest"))) - _TITLES <= set(words(people[0])):
        return people[0]  # "Who is X?" asks about X, whoever else the answer names
    if asks_for_person(last_user):
        for name in full_names(last_answer):
            if not set(words(name)) <= asked and name not in supplied:
                return name
    if people:
        return people[0]
    return next((p for p in full_names(last_answer) if p not in supplied), None)


def _named_for_who(last_user: str, last_answer: str, supplied: set[str]) -> str | None:
    """The one name a "who" question's answer gave that the question did not hold: what
    a later "they" means ("Norrland Turbinverk AB" after "Who supplies the turbines?")."""
    if not asks_for_person(last_user) or asks_for_people(last_user):
        return None
    asked = set(words(last_user))
    named = [
        n
        for n in _names(last_answer)
        if not set(words(n)) & asked
        and n not in supplied
        and n.split()[0].lower() not in MONTHS | _ROLES
        and not _is_place(n)
        and not re.search(r"[’']s\s", n)  # "India’s Ambassador" describes someone
    ]
    # "Ambassador Kwatra" and "Vinay Mohan Kwatra" in one answer are one person.
    people = {n.split()[-1].lower() for n in named}
    return named[0] if len(people) == 1 else None


def _subject_of(last_user: str, last_answer: str, supplied: AbstractSet[str] = frozenset()) -> str | None:
    """The named thing "it" means: what the last answer named when the last question asked
    "which company", else what the last question named (its longest run of capitalised words)."""
    asked = set(words(last_user))
    # After "who", the answer names a person, and "it" is not a person.
    which = _WHICH.search(last_user)
    kind = which.group(0).split()[-1].lower() if which else ""
    # "What hours is it manned?" is answered by times, not by a name ("Outside office hours
    # ..." opens a sentence).
    if which and kind not in _UNNAMED_KINDS and not asks_for_person(last_user):
        # "Which college ...?" is answered by "Westmarch College", whoever else the answer names.
        named = [
            n
            for n in _names(last_answer)
            if n.lower() not in MONTHS | _ROLES and not _is_place(n) and n not in supplied
        ]
        # "Which company ...?": a body's name ("Northgate Property Services") before a
        # person's title ("Head of Property").
        bodies = set(organisations(last_answer)) if kind in _BODY_KINDS else set()

        # "Which turbine ...?": the name the answer gives it ("on turbine T3"), not a
        # capitalised word opening another sentence ("Power from each turbine ...").
        def called(name: str) -> bool:
            return re.search(rf"\b{re.escape(kind)}s?\s+{re.escape(name)}\b", last_answer, re.I) is not None

        for name in sorted(named, key=lambda n: (n.split()[-1].lower() != kind and not called(n), n not in bodies)):
            # "NHS" in "[Dr Tomasz Nowak] sees both NHS and private patients" does not
            # answer "which dentist ...?": an initialism answers only as what was asked.
            if name.isupper() and not called(name) and name not in bodies:
                continue
            if not set(words(name)) & (asked - {kind}):
                return name
    # A country is seldom "it": "What kinds of imports does it mention?" means the post.
    names = [n for n in _names(last_user) if n.split()[0].lower() not in MONTHS and not _is_place(n)]
    return max(names, key=lambda n: len(n.split())) if names else None


def typed_lower(question: str, texts: Sequence[str]) -> list[str]:
    """Names of two words or more that ``texts`` write capitalised and ``question`` types in
    lower case: "Rhyme Time" for "when is rhyme time on?"."""
    asked = f" {' '.join(words(question))} "
    return [
        name
        for name in dict.fromkeys(n for text in texts for n in _names(text))
        if len(name.split()) >= 2
        and not name.isupper()
        and f" {' '.join(words(name))} " in asked
        and name not in question
    ]


def _names(text: str) -> list[str]:
    found = []
    for match in _NAME_RUN.finditer(text):
        tokens = match.group(0).split()
        while tokens and (tokens[0].lower() in _NOT_SUBJECTS | OPENERS or tokens[0].lower() in STOPWORDS):
            tokens = tokens[1:]  # a capitalised sentence opener ("While ...", "Rather ...") is no name
        name = " ".join(tokens).rstrip(".,’'")
        name = re.sub(r"[’']s$", "", name)
        if name and name not in found and name.lower() not in STOPWORDS:
            found.append(name)
    return found


def _only_after_the(name: str, text: str) -> bool:
    """Whether every mention of ``name`` follows "the" ("the Ranking Member of ...")."""
    starts = [m.start() for m in re.finditer(re.escape(name), text)]
    return bool(starts) and all(text[max(0, at - 4) : at].lower() == "the " for at in starts)


def full_names(text: str) -> list[str]:
    """Names that look like people's: two or more capitalised words ("Mayor Duncan Ferrie";
    not "Which Tennessee" or "Port Caddoway")."""
    found = []
    for name in _names(text):
        if " of " in name or _only_after_the(name, text):
            continue  # "Mayor of Port Caddoway", "the Ranking Member": an office, not a name
        tokens = [t for t in name.split() if t[:1].isupper()]
        shaped = len(tokens) >= 2 and all(re.fullmatch(r"[A-Z][a-z]+(?:-[A-Z][a-z]+)?|[A-Z]\.", t) for t in tokens)
        if shaped and people(" ".join(tokens)):  # not a place or an organisation ("Port Caddoway")
            found.append(" ".join(tokens))
    return found


def _topic(question: str) -> str:
    """The words of a question that say what it is about ("list installed packages")."""
    kept = [w for w in re.findall(r"[\w’'./-]+", question) if w.lower() not in _FILLER]
    return " ".join(kept).strip(" ?.")


def _mentions_all(query: str, topic: str) -> bool:
    return set(content_terms(topic)) <= set(content_terms(query))


# An earlier answer's sentence is found in a passage by its words, when it has at least
# this many: a fragment ("[2]") ties no passage to the conversation.
QUOTE_WORDS = 4


def quoted_documents(history: Sequence[Turn], hits: Sequence[Hit]) -> frozenset[str]:
    """The documents of ``hits`` whose passages hold a sentence the last answer quoted."""
    last = next((t.content for t in reversed(history) if t.role == "assistant"), "")
    sentences = [text for _, _, text in sentence_spans(_plain(last))]
    quotes = [" ".join(words(text)) for text in sentences]
    quotes = [q for q in quotes if len(q.split()) >= QUOTE_WORDS]
    # "Before you leave: return your gate key(s) ...": an item of a list quoted with the
    # line announcing it, which the passage holds apart, other items between.
    announced = [
        (" ".join(words(lead)), " ".join(words(item)))
        for lead, colon, item in (text.partition(": ") for text in sentences)
        if colon and words(lead) and len(item.split()) >= QUOTE_WORDS
    ]
    # "[Coding Club] Mr Osei": a table cell shown with its row's first cell (and column),
    # which the passage holds in one row but not side by side.
    keyed = [(" ".join(words(m[1].split(",")[0])), " ".join(words(m[2]))) for m in _keyed_quotes(last)]
    keyed = [(key, value) for key, value in keyed if key and value]
    found: set[str] = set()
    for hit in hits:
        if (quotes or keyed) and hit.chunk.source not in found:
            spoken = " ".join(words(hit.chunk.text))  # once per passage, not per quote
            if (
                any(quote in spoken for quote in quotes)
                or (keyed and any(_in_one_line(key, value, hit.chunk.text) for key, value in keyed))
                or any(lead in spoken and item in spoken[spoken.find(lead) :] for lead, item in announced)
            ):
                found.add(hit.chunk.source)
    return frozenset(found)


_KEYED = re.compile(r"^\[([^\]]+)\]\s+(.+?)[.!?]?$")


def _keyed_quotes(answer: str) -> list[re.Match[str]]:
    """The sentences of ``answer`` shown with a key in brackets before them."""
    text = MARKER.sub("", _SOURCES.split(answer)[0])
    text = re.sub(r"\s+([.,;:!?])", r"\1", " ".join(text.split()))
    return [m for _, _, sentence in sentence_spans(text) if (m := _KEYED.match(sentence.strip()))]


def _in_one_line(key: str, value: str, text: str) -> bool:
    """Whether a table row of ``text`` (cells parted by tabs) has ``key`` as its first cell
    and ``value`` as a later one, as words: not prose that happens to hold both."""
    for line in text.split("\n"):
        if "\t" not in line:
            continue
        first, *later = (" ".join(words(cell)) for cell in line.split("\t"))
        if first == key and value in later:
            return True
    return False


def only_repeats(answer: str, history: Sequence[Turn]) -> bool:
    """Whether every sentence ``answer`` quotes is one the conversation's last answer quoted."""
    last = next((t.content for t in reversed(history) if t.role == "assistant"), "")
    if not last:
        return False
    said = f" {' '.join(words(_plain(last)))} "
    quotes = [" ".join(words(text)) for _, _, text in sentence_spans(_plain(answer))]
    return bool(quotes) and all(f" {quote} " in said for quote in quotes)


def _plain(answer: str) -> str:
    """An earlier answer without markers, a "Sources:" list or bracketed edits' brackets."""
    text = _SOURCES.split(answer)[0]
    text = MARKER.sub("", text).replace("[", "").replace("]", "")
    return re.sub(r"\s+([.,;:!?])", r"\1", " ".join(text.split()))
