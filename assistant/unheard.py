"""Things a yes-or-no question asks about that the documents never mention.

"Do I have to wear a helmet on the share bikes?" over documents that never say
"helmet", in any form or other words, has no answer there: a sentence on the bikes
would only share the question's other words. ``unheard_of`` finds such things: the
question's nouns that neither the retrieved passages nor the index use, not as the word,
a form of it ("tyres", "tyre"), a WordNet synonym ("tins" for "cans") or a word near it
in the embedding model's word table ("computer" for "pc").

Only what the question asks about counts, not how it asks: the verb after its subject
("can I pause it", "does the blog think"), a verb after "to" ("is there anywhere to
park"), and a noun that only qualifies a noun the documents do use ("a normal carrier
bag", where they say "plastic bags"; not an initialism, "a dbs check") are passed over, as
are words that stand for anything ("stuff", "thing"), name the text itself ("the blog") or
only join others ("towards").
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator, Sequence

from core.text import STOPWORDS, stem, words

from .idioms import alternatives, plain
from .synonyms import Synonyms
from .word_vectors import WordVectors

# A word of the documents this near a question's noun in the word table is the same
# thing in other words ("computer" for "pc"); chosen on the odd halves of the sets.
KNOWN_NEAR = 0.5
# Only this much of a question is read: a yes-or-no question is a sentence, and each word
# of it the passages lack costs searches of the index.
MAX_QUESTION_CHARS = 300
# Words that stand for anything, or say how much or how soon: no thing to look for.
_VAGUE = frozenset(
    "anything anyone anybody anywhere something someone somebody somewhere everything everyone everywhere "
    "nothing thing things stuff lot lots bit way ways sort sorts kind kinds time times day days bit bits "
    "point case couple pair thanks please okay ok yes yeah hi hello".split()
)
# Words that join or place others, which WordNet lists as no part of speech or as a noun
# in a sense nobody asks about ("despite", "till").
_JOINING = frozenset(
    "towards toward whilst onto unless upon without beside since although via per among amongst unto whether "
    "despite till".split()
)
# The text itself and whoever wrote it ("does the blog think ...?"): what it says is asked,
# and a blog post seldom calls itself one.
_THE_TEXT = frozenset(
    "document doc file post blog article text report paper page guide handbook manual book faq author writer "
    "site website".split()
)
_NOT_THINGS = _VAGUE | _THE_TEXT | _JOINING
# Words after which a word that may be a verb is a noun ("any parking", "tins of paint",
# "is there parking"); after anything else it is the verb of a subject ("does the blog
# think ...").
_NOUN_AFTER = frozenset(
    "a an the any some no my your our their his her its this that these those there of for on in at with "
    "about from by without into like near".split()
)
# The openings of a yes-or-no question whose subject a verb follows.
_DOING = frozenset("do does did can could will would should must may might shall".split())
# What an inflected or derived form adds to a word ("tyres", "parking", "painted").
_ENDINGS = frozenset(["", "s", "es", "d", "ed", "ing", "er", "ers", "ly", "y", "al", "ment", "ments", "ion", "ions"])
# Verbs a question's subject may take that are too common to be things asked about.
_DONE = frozenset("do does did have has had get gets got".split())
# "my son", "our pitch": the asker's own, which documents need not name.
_POSSESSIVE = frozenset("my our your his her their".split())
# The openings of a yes-or-no question asking what its subject is ("is the pool heated?").
_BEING = frozenset("is are was were isn aren wasn weren".split())
# Words opening a clause of its own inside a question.
_CLAUSE = frozenset("if when because so could would should can will".split())
# Whoever a yes-or-no question asks about: the word after is its verb ("can I pause").
_SUBJECTS = frozenset("i you we they he she it one people someone anyone".split())
# Words in any script ("crèche"), with their apostrophes and hyphens but not quotes around
# them ("‘quiet zone’").
_WORD = re.compile(r"[^\W\d_](?:[\w-]|['’](?=\w))*")
# "doesn't", "can’t": the opening verb without its negation.
_NEGATION = re.compile(r"n['’]t$")


def unheard_of(
    question: str,
    texts: Sequence[str],
    mentions: Callable[[str], bool] | None,
    synonyms: Synonyms | None,
    vectors: WordVectors | None,
    near: float = KNOWN_NEAR,
) -> list[str]:
    """The nouns a yes-or-no ``question`` asks about that no form, synonym or near word of
    is in the retrieved passages' ``texts`` or anywhere in the index (``mentions``)."""
    return list(_unheard(question, texts, mentions, synonyms, vectors, near))


def any_unheard_of(
    question: str,
    texts: Sequence[str],
    mentions: Callable[[str], bool] | None,
    synonyms: Synonyms | None,
    vectors: WordVectors | None,
    near: float = KNOWN_NEAR,
) -> bool:
    """Whether ``unheard_of`` finds one: the search stops at the first, as each costs
    searches of the index."""
    return next(_unheard(question, texts, mentions, synonyms, vectors, near), None) is not None


def _unheard(
    question: str,
    texts: Sequence[str],
    mentions: Callable[[str], bool] | None,
    synonyms: Synonyms | None,
    vectors: WordVectors | None,
    near: float = KNOWN_NEAR,
) -> Iterator[str]:
    if mentions is None or synonyms is None or not synonyms.available:
        return
    asked = plain(question).lower()[:MAX_QUESTION_CHARS]
    found = list(_WORD.finditer(asked))
    tokens = [_NEGATION.sub("", m.group()) for m in found]
    # Whether only spaces part each word from the next: "gift vouchers? want" are apart.
    joined_on = [asked[m.end() : n.start()].isspace() for m, n in itertools.pairwise(found)] + [False]
    # Words an idiom puts beside a word it keeps ("discount concession", "subs
    # subscriptions"): the documents need use only one of the two.
    beside_kept = alternatives()
    lowered = [text.lower() for text in texts]
    held = {w for text in lowered for w in words(text)}
    if any(_TAKEN_OFF.search(text) for text in lowered):
        held.add("discount")  # "£4 off each ticket", "10% off": what "money off" means (``plain``)
    # "ebooks" is what the documents spell "e-books" (for spelling only: the word table
    # reads a joined word it has never seen as pieces near anything).
    joined = {w for text in lowered if "-" in text for w in words(text.replace("-", ""))} - held
    known: dict[str, bool] = {}
    # "Does/can/will ... <subject> <verb> ...?" has a verb after its subject; "Is there
    # ...?" has none ("a guest wifi network" is all one thing), unless one in -ing ("is the
    # coach stopping ...?").
    verb_due = bool(_DOING.intersection(tokens[:2]))
    heard_nouns: set[str] = set()  # the question's nouns the documents use, as the loop finds them
    being = not verb_due
    # The question's opening verb and its subject ("can i", "do you", "is there") ask; the
    # word after a pronoun subject is the verb asked about.
    for i, token in enumerate(tokens):
        if token in _DONE:
            if i >= 2:
                verb_due = False  # "does the choir do a summer tour": "do" was its verb
            continue
        if i == 0 or token in STOPWORDS or token in _NOT_THINGS or len(token) < 3 or not token.isalpha():
            continue
        before = tokens[i - 1]
        parts = synonyms.parts(token)
        if (
            before in _SUBJECTS
            or (before == "to" and "verb" in parts)
            # "the latest i can get in", "... a junior can get in": the verb after a subject
            # and its auxiliary (not "what can bikes do", whose auxiliary opens the question).
            or (
                before in _DOING
                and i >= 2
                # (Not after "do" as the verb itself: "do u do gift vouchers".)
                and not (before in _DONE and i >= 3)
                and (tokens[i - 2] in _SUBJECTS or tokens[i - 2] not in STOPWORDS)
                and "verb" in parts
            )
        ):
            verb_due = False
            continue
        if before in _POSSESSIVE:
            continue  # "is my son old enough ...": the asker's son
        if being and token.endswith("ing") and "verb" in parts and before not in _NOUN_AFTER:
            being = False
            continue  # "is the coach stopping in york?"
        # "are your vegetables certified organic?": what a question opening with "is" or
        # "are" ends on says what its subject is asked to be, a thing or not.
        # Only a short question that is that alone: "is there somewhere quiet he could go if
        # it gets too much" asks for a place.
        described = (
            tokens[0] in _BEING
            and i == len(tokens) - 1
            and i >= 2
            and "adj" in parts
            and not _CLAUSE.intersection(tokens)
        )
        if not _may_be_noun(parts) and not (verb_due and "verb" in parts) and not described:
            continue
        beside = []
        if i + 1 < len(tokens) and beside_kept.get(tokens[i + 1]) == token:
            beside.append(tokens[i + 1])  # "discount", with the "concession" put after it
        if beside_kept.get(token) == before:
            beside.append(before)  # "concession", with the "discount" it was put beside
        heard = any(_is_known(w, held, joined, mentions, synonyms, vectors, known, near) for w in [token, *beside])
        if described and not heard:
            yield token
            continue
        if heard:
            if verb_due and "verb" in parts and before not in _NOUN_AFTER:
                # "do children need an adult", "do members get money off": what may be the
                # subject's verb, though WordNet lists it as a noun too, names no thing with
                # the noun before it.
                continue
            following = tokens[i + 1] if joined_on[i] else ""
            if (
                before in heard_nouns
                and joined_on[i - 1]
                and _may_be_noun(parts)
                and not beside
                # Only the last two nouns of a run name the thing: "a gym car park" is a car
                # park, which the gym's passage need not call the gym's.
                and not (following.isalpha() and following not in STOPWORDS and _may_be_noun(synonyms.parts(following)))
                and not _together(before, token, lowered, synonyms, vectors, near)
                and _in_kinds(token, before, lowered, synonyms)
            ):
                # "ev charging points", "gift vouchers": a thing named by two nouns is only
                # spoken of where a passage uses both; the car park's charges and a score's
                # points elsewhere are not charging points.
                yield f"{before} {token}"
                continue
            if parts and _may_be_noun(parts):
                # (A word no dictionary lists, "smtp", "config", names what the documents
                # may write in other ways: "smtp/tcp".)
                heard_nouns.add(token)
            continue
        if verb_due and "verb" in parts and before not in _NOUN_AFTER:
            # "does the blog think ...": the verb of its subject, whatever the words before
            # it ("the swim test") that may be verbs too but are known.
            verb_due = False
            continue
        if not _may_be_noun(parts):
            continue
        following = tokens[i + 1] if i + 1 < len(tokens) else ""
        # "a normal carrier bag": a noun before a noun the documents use only says which one;
        # an initialism no dictionary knows names a kind of its own ("a dbs check" is no
        # check the documents speak of).
        if (
            not _initialism(token, parts)
            and following
            and following not in STOPWORDS
            and _may_be_noun(synonyms.parts(following))
            and _is_known(following, held, joined, mentions, synonyms, vectors, known, near)
        ):
            continue
        yield token


# A sum or a share taken off a price: "£4 off", "10% off".
_TAKEN_OFF = re.compile(r"(?:[£$€]\s?\d[\d.,]*|\d+(?:\.\d+)?\s?%)\s+off\b(?!-)")  # not "£12 off-peak"


def _initialism(word: str, parts: frozenset[str]) -> bool:
    """Whether ``word`` is an initialism typed in lower case ("dbs", "nhs"): a few letters
    without a vowel that WordNet does not list (not a slip such as "kidz")."""
    return not parts and len(word) <= MAX_INITIALISM and not _VOWELS.intersection(word)


# An initialism is this many letters at most.
MAX_INITIALISM = 4
_VOWELS = frozenset("aeiou")


def _may_be_noun(parts: frozenset[str]) -> bool:
    """Whether a word WordNet lists as ``parts`` of speech may be a thing: a noun and not an
    adjective or adverb ("keen", "well" in "as well"), or not listed at all ("wifi")."""
    return not parts or ("noun" in parts and not parts & {"adj", "adv"})


def _is_known(
    word: str,
    held: set[str],
    joined: set[str],
    mentions: Callable[[str], bool],
    synonyms: Synonyms,
    vectors: WordVectors | None,
    memo: dict[str, bool],
    near: float = KNOWN_NEAR,
) -> bool:
    if word in memo:
        return memo[word]
    forms = {word, stem(word), *synonyms.bases(word)}
    # Not a synonym that is a common word in another sense: WordNet's "can" for "toilet".
    others = synonyms.of(word) - forms - STOPWORDS
    found = (
        # A word of the passages that is a form with an ending: "parking" for "park", not
        # "space" for "spa".
        any(w.startswith(f) and w[len(f) :] in _ENDINGS for words_ in (held, joined) for w in words_ for f in forms)
        or bool(others & held)
        or (vectors is not None and bool(held) and vectors.closest(word, held) >= near)
        # The index is searched for the word's own forms only: each search reads every
        # passage, and a synonym the documents use is in the passages retrieved for it.
        or any(mentions(f) or mentions(f.capitalize()) or mentions(f.upper()) for f in _shortest(forms))
    )
    memo[word] = found
    return found


def _together(
    first: str, second: str, texts: Sequence[str], synonyms: Synonyms, vectors: WordVectors | None, near: float
) -> bool:
    """Whether one of ``texts`` uses both words, each as itself, a form, a synonym or a near
    word, or joined as one ("bathrobes", "baby-changing")."""
    one_word = re.compile(rf"\b{re.escape(first)}-?{re.escape(stem(second))}")
    for text in texts:
        if one_word.search(text):
            return True
        held = set(words(text))
        memo: dict[str, bool] = {}
        if all(_is_known(w, held, set(), nowhere, synonyms, vectors, memo, near) for w in (first, second)):
            return True
    return False


def _in_kinds(head: str, modifier: str, texts: Sequence[str], synonyms: Synonyms) -> bool:
    """Whether a text names a kind of ``head`` by another noun before it ("childcare vouchers",
    "flu vaccination"): only then does the question's noun before it ("gift vouchers") say
    which, and a passage speaking of the head alone ("the hall", "free parking") speaks of
    the one thing asked about ("the choir hall", "a car park")."""
    prefix = stem(head)
    prefix = prefix[:-1] if len(prefix) > 4 and prefix.endswith("e") else prefix  # "vaccin(e)", "vaccination"
    for text in texts:
        found = words(text)
        for before, word in itertools.pairwise(found):
            if (
                word.startswith(prefix)
                and before != modifier
                and before not in STOPWORDS
                and before.isalpha()
                and _may_be_noun(synonyms.parts(before))
            ):
                return True
    return False


def nowhere(word: str) -> bool:
    """The index searched for nothing: only the texts given count."""
    return False


def _shortest(forms: set[str]) -> list[str]:
    """``forms`` less those holding another ("tyres" holds "tyre"): the index is searched
    for text inside words, so the shorter finds both."""
    kept: list[str] = []
    for form in sorted(forms, key=len):
        if not any(k in form for k in kept):
            kept.append(form)
    return kept
