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

from .answer import Answer, Citation, check_citations, renumbered, without_markers

# What a question opens with: a question word, or a verb with its subject ("do i",
# "is there", "can the kids"). A verb alone is no opening: "how do i find and kill a
# process" asks one thing.
_WH = r"(?:what|what['’]?s|whats|when|where|where['’]?s|wheres|who|who['’]?s|whos|whom|which|why|how)"
# Not a negated verb: "Why is that step needed? doesn't the package ship the data ready to
# use?" says why the first was asked.
_AUX = (
    r"(?:is|are|was|were|do|does|did|can|could|will|would|should|must|may|has|have)\s+"
    r"(?:i|we|you|they|it|he|she|there|the|my|our|your|their|a|an|this|that|these|those)"
)
_OPENS = rf"(?:{_WH}|{_AUX})\b"
# Greetings and lead-ins before a first question ("hi, what time ...").
_LEAD = r"^\W*(?:(?:hi|hey|hello|ok(?:ay)?|so|and|also|quick question|please)\b\W*)*"
_QUESTION = re.compile(rf"{_LEAD}(?:(?:can|could)\s+(?:you|u)\s+tell\s+me\s+)?{_OPENS}", re.I)
# Where a second question starts: after a question mark, or after a joining word with its
# comma ("..., and how long does it last").
_SECOND = re.compile(
    rf"(?:\?+\s*|\s*[,;]?\s+)(?:and|also|plus|but|&)\s+(?:also\s+)?(?={_OPENS})|\?+\s+(?={_OPENS})", re.I
)
# "the difference between X and what Y does", "both ... and": one question about two things.
_ONE_ABOUT_TWO = re.compile(r"\b(?:between|both|either|neither|compare[ds]?|versus|vs)\b", re.I)
# "How can I check that I am using Debian, and what version it is?": a clause whose verb
# closes it, not a question of its own (that would be "what version is it").
_EMBEDDED = re.compile(r"\s*\w+\b.*\b(?:is|are|was|were)\W*$", re.I)
# A part this short ("and when?") asks nothing on its own worth a search of its own.
MIN_PART_WORDS = 3
# Sentences quoted for each part at most: the answer to two questions reads about as
# long as the answer to one (up to three sentences).
PART_SENTENCES = 2


def parts(question: str) -> list[str]:
    """The questions ``question`` asks, in order, each ending with a question mark; the
    question alone when it asks one thing."""
    cuts = list(_SECOND.finditer(question))
    # The first part is a question when it opens as one, or ends with a question mark
    # ("if i cancel 3 weeks before, what do i get back? and ...").
    if not (_QUESTION.match(question) or (cuts and "?" in cuts[0].group())):
        return [question]
    pieces, start = [], 0
    for match, following in zip(cuts, [*cuts[1:], None], strict=False):
        before = question[start : match.start()]
        after = question[match.end() : following.start() if following else len(question)]
        if "?" not in match.group() and (_ONE_ABOUT_TWO.search(before) or _EMBEDDED.match(after)):
            continue
        pieces.append(before)
        start = match.end()
    pieces.append(question[start:])
    pieces = [p.strip(" ,;") for p in pieces]
    if len(pieces) < 2 or any(len(re.findall(r"\w+", p)) < MIN_PART_WORDS for p in pieces):
        return [question]
    return [p.rstrip("?") + "?" for p in pieces]


def seen_before(key: str, seen: set[str]) -> bool:
    """Whether ``key`` was met before; it is from now on."""
    met = key in seen
    seen.add(key)
    return met


def joined(replies: list[tuple[str, Answer]]) -> Answer:
    """One answer from the answers to each part of a question, in order: each part's best
    sentence and its first runner-up at most, a sentence an earlier part quoted not
    quoted again, citations of the same passage made one, and a part nothing answers said
    so in words rather than left out."""
    query = " ".join(reply.query for _, reply in replies)
    if all(reply.abstained for _, reply in replies):
        return replies[0][1].model_copy(update={"query": query})
    citations: dict[tuple[str, int, int], Citation] = {}
    texts: list[str] = []
    said: set[str] = set()
    for part, reply in replies:
        if reply.abstained:
            texts.append(f"I could not find the answer to “{part}” in the indexed documents.")
            continue
        number: dict[int, int] = {}
        for c in reply.citations:
            key = (c.chunk_id, c.start, c.end)
            if key not in citations:
                citations[key] = c.model_copy(update={"id": len(citations) + 1})
            number[c.id] = citations[key].id
        sentences = re.findall(r".+?(?:\[\d+\](?:\[\d+\])*[.!?]?(?=\s|$)|$)", reply.answer, flags=re.S)
        for sentence in [s for s in sentences if s.strip()][:PART_SENTENCES]:
            if not seen_before(without_markers(sentence), said):
                texts.append(renumbered(sentence.strip(), number.get))
    whole = Answer(answer=" ".join(texts), citations=list(citations.values()), abstained=False)
    return check_citations(whole).model_copy(update={"query": query})
