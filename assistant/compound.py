"""Questions that ask two things at once.

"what time does the studio open on saturday and how much is the taster membership?" is
two questions. One search and one best sentence answer at most one of them: the opening
time outscores the price, or a sentence sharing words with both wins and answers
neither. ``parts`` splits such a question where a second question starts, after "and",
"also", "plus", "but" or a question mark; the service answers each part in turn, every
later part as a follow-up to the ones before ("how long does it last" after "how much is
a party" is about the party), and joins the answers.

    >>> parts("how much is a party at little oaks and how long does it last?")
    ['how much is a party at little oaks?', 'how long does it last?']
    >>> parts("what is the difference between a hard link and a symlink?")
    ['what is the difference between a hard link and a symlink?']
"""

from __future__ import annotations

import re

from core.text import content_terms

from .answer import MARKER, Answer, Citation, check_citations, cited_ids, cited_pieces, renumbered, without_markers
from .question import expected_type, satisfies

# What a question opens with: a question word, or a verb with its subject ("do i",
# "is there", "can the kids", "are guests"). A verb alone is no opening: "how do i find and
# kill a process" asks one thing; nor is "do" or "have" before what is done ("and have a
# party there" is the party asked about).
_WH = r"(?:what|what['’]?s|whats|when|where|where['’]?s|wheres|who|who['’]?s|whos|whom|which|why|how)"
_SUBJECT = r"(?:i|we|you|u|they|it|he|she|there|the|my|our|your|their|a|an|this|that|these|those)"
# Not a negated verb: "Why is that step needed? doesn't the package ship the data ready to
# use?" says why the first was asked.
_AUX = (
    rf"(?:(?:is|are|was|were|can|could|will|would|should|must|may)\s+(?!{_SUBJECT}\b)[a-z]+(?=\s+\w)"
    rf"|(?:is|are|was|were|can|could|will|would|should|must|may)\s+{_SUBJECT}"
    r"|(?:do|does|did|has|have)\s+(?:i|we|you|u|they|it|he|she|there|the|my|our|your|their|this|that|these|those))"
)
_OPENS = rf"(?:{_WH}|{_AUX})\b"
# Greetings and lead-ins before a first question ("hi there, what time ...").
_LEAD = (
    r"^\W*(?:(?:(?:hi|hey|hello)(?:\s+there)?|thanks|thank\s+you|cheers|ok(?:ay)?|so|and|also|quick\s+question"
    r"|please)\b\W*)*"
)
_QUESTION = re.compile(rf"{_LEAD}(?:(?:can|could)\s+(?:you|u)\s+tell\s+me\s+)?{_OPENS}", re.I)
_LEADING = re.compile(_LEAD, re.I)
# Where a second question starts: after a question mark, or after a joining word with its
# comma ("..., and how long does it last").
_SECOND = re.compile(
    rf"(?:[?？]+\s*|\s*[,;]?\s+)(?:and|also|plus|but|&)\s+(?:also\s+)?(?={_OPENS})|[?？]+\s+(?={_OPENS})", re.I
)
# "the difference between X and what Y does", "both ... and": one question about two
# things, until its "and" has come.
_ONE_ABOUT_TWO = re.compile(r"\b(?:between|both|either|neither|compare[ds]?|versus|vs)\b(?!.*\band\b)", re.I)
# "How can I check that I am using Debian, and what version it is?": a clause whose verb
# closes it, not a question of its own (that would be "what version is it").
_EMBEDDED = re.compile(r"\s*\w+\b.*\b(?:is|are|was|were)\W*$", re.I)
# A title or a phrase in quotes is not cut ("the section 'Where and when do we sail'").
_QUOTED = re.compile(r"(?:^|(?<=\s))([\"“‘'])(?:(?!\1).)+?(?:\1|[”’])(?=\s|[?.!,;:]|$)")
# Statements before the first question ("i'm new. how much is ...?") are its context.
_STATED = re.compile(r"^.*[.!]\s+", re.S)
# "hi my daughter is 9, how much is junior membership for her", "i want to learn to lead -
# whats the price": a question after what the asker says of themselves.
# Not a clause about what the comma follows ("the Level 2 course, which starts in June").
_AFTER_A_COMMA = re.compile(rf"(?:[,;:]|\s[-–—])\s*(?!(?:which|who|whom|whose|when|where)\b){_OPENS}", re.I)
# A part this short ("and when?") asks nothing on its own worth a search of its own.
MIN_PART_WORDS = 3
# A sentence holding this share of a part's words (and of the kind it asks for) answers it.
ANSWERED_SHARE = 0.5
# More parts than this is no list of questions anyone asks in one breath: answered whole.
MAX_PARTS = 4


def parts(question: str) -> list[str]:
    """The questions ``question`` asks, in order, each ending with a question mark; the
    question alone when it asks one thing."""
    quoted = [m.span() for m in _QUOTED.finditer(question)]
    cuts = [m for m in _SECOND.finditer(question) if not any(a < m.start() < b for a, b in quoted)]
    # The first part is a question when it opens as one, after any statements or a comma,
    # or ends with a question mark ("if i cancel 3 weeks before, what do i get back? and ...").
    first = question[: cuts[0].start()] if cuts else question
    if not (
        _QUESTION.match(_STATED.sub("", first)) or _AFTER_A_COMMA.search(first) or (cuts and "?" in cuts[0].group())
    ):
        return [question]
    pieces, start = [], 0
    for match, following in zip(cuts, [*cuts[1:], None], strict=False):
        before = question[start : match.start()]
        after = question[match.end() : following.start() if following else len(question)]
        if "?" not in match.group() and (
            _ONE_ABOUT_TWO.search(before) or _EMBEDDED.match(after) or _parallel(before, after)
        ):
            continue
        pieces.append(before)
        start = match.end()
    pieces.append(question[start:])
    pieces = [p.strip(" ,;-–—") for p in pieces]
    if not 2 <= len(pieces) <= MAX_PARTS or any(len(re.findall(r"\w+", p)) < MIN_PART_WORDS for p in pieces):
        return [question]
    return [p.rstrip("?？") + "?" for p in pieces]


def _parallel(before: str, after: str) -> bool:
    """Whether ``after`` opens with a question word that ``before`` uses inside it: a clause
    beside another of the same question ("what should i wear when it's cold and when it's
    wet", "someone who can help and who speaks french")."""
    opening = re.match(r"\s*(\w+)", after)
    word = opening.group(1).lower() if opening else ""
    # A lead-in is no part of the question: "ok so how much is a guest pass and how many
    # times can she use one" asks two things.
    lead_in = _LEADING.match(before)  # it matches at least the empty string
    before = before[lead_in.end() if lead_in else 0 :]
    if not re.fullmatch(_WH, word) or re.search(rf"\S\s+{word}\b", before, re.I) is None:
        return False
    # "can u tell me what time it opens and what it costs": two things asked for.
    return re.search(rf"\b(?:tell\s+(?:me|us)|know|wondering|wonder)\s+{word}\b", before, re.I) is None


def seen_before(key: str, seen: set[str]) -> bool:
    """Whether ``key`` was met before; it is from now on."""
    met = key in seen
    seen.add(key)
    return met


def joined(replies: list[tuple[str, Answer]], max_passages: int) -> Answer:
    """One answer from the answers to each part of a question, in order: each part's
    answer as it would be alone, less what an earlier part quoted (a part whose best
    sentence an earlier part quoted is answered already); citations of the same passage
    made one, and no more passages cited than ``max_passages``; after them, a part nothing
    answers said so in words rather than left out, unless a sentence quoted for another
    part answers it."""
    query = " ".join(reply.query for _, reply in replies)
    if all(reply.abstained for _, reply in replies):
        return replies[0][1].model_copy(update={"query": query})
    citations: dict[tuple[str, int, int], Citation] = {}
    texts: list[str] = []
    said: set[str] = set()
    unanswered: list[str] = []
    for part, reply in replies:
        if reply.abstained:
            unanswered.append(part)
            continue
        sentences = [s.strip() for s in cited_pieces(reply.answer) if s.strip()]
        if not sentences or without_markers(sentences[0]) in said:
            continue
        by_id = {c.id: c for c in reply.citations}
        for sentence in sentences:
            if seen_before(without_markers(sentence), said):
                continue
            cited = {n: (by_id[n].chunk_id, by_id[n].start, by_id[n].end) for n in cited_ids(sentence) if n in by_id}
            if len(citations.keys() | set(cited.values())) > max_passages:
                continue
            number = {}
            for n, key in cited.items():
                if key not in citations:
                    citations[key] = by_id[n].model_copy(update={"id": len(citations) + 1})
                number[n] = citations[key].id
            texts.append(renumbered(sentence, number.get))
    for part in unanswered:
        # "what time does it start each day? and is lunch included": the sentence on lunch
        # ("Adult course days run from 09:30 to 16:30, with a break for lunch") gives the
        # time too, so the first part is not said to be unanswered under it.
        if not any(_answers(part, without_markers(text)) for text in texts):
            # The asker's own "[2]" is no citation marker.
            asked = MARKER.sub(r"(\1)", part)
            texts.append(f"I could not find the answer to “{asked}” in the indexed documents.")
    whole = Answer(answer=" ".join(texts), citations=list(citations.values()), abstained=False)
    return check_citations(whole).model_copy(update={"query": query})


def _answers(part: str, sentence: str) -> bool:
    """Whether ``sentence`` answers ``part`` as far as words tell: it gives the kind of
    answer the part asks for, if any, and holds half its words ("the cafe" is not the
    clubhouse, whose Saturday hours do not answer for it)."""
    asked = _folded(part)
    held = asked & _folded(sentence)
    kind = expected_type(part)
    if kind != "any" and not satisfies(sentence, kind):
        return False
    return bool(asked) and len(held) >= ANSWERED_SHARE * len(asked)


def _folded(text: str) -> set[str]:
    """The content words of ``text``, a plural read as its singular ("days" as "day")."""
    return {t[:-1] if t.endswith("s") and len(t) > 3 else t for t in content_terms(text)}
