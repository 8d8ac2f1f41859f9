"""A word of the question misspelt ("swimmng", "deposite") read as the passages' word it
was meant for.

People type questions quickly. A misspelt word matches no sentence's words, and the
answerer takes a word that no document uses for a sign the documents are not about the
question: "whens the first day of the spring term for swimmng" was declined although the
term dates were found. A word is read as misspelt only when no dictionary (WordNet) and
no passage knows it, and exactly one word of the passages found is one typing slip from
it (a letter left out, added, changed, or two swapped, after the first). Words of fewer
than five letters, typed or meant, are left alone: one slip turns "fee" into "fed" or
"few", all of them words.

    >>> respelled("when is the spring term for swimmng", ["Swimming lessons run in term time."], lambda w: False)
    'when is the spring term for swimming'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from rapidfuzz import process
from rapidfuzz.distance import OSA

from core.text import STOPWORDS

# Shorter words are one slip from too many others to tell which was meant.
MIN_LETTERS = 5
_WORD = re.compile(r"(?<![\w'’-])[a-z]+(?![\w'’-])")
# "doesn't" is one word, not "doesn" (which would be a slip of "doesnt" away).
_PASSAGE_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*")


def respelled(
    question: str,
    texts: Sequence[str],
    known: Callable[[str], bool],
    indexed: Callable[[str], bool] = lambda word: False,
) -> str:
    """``question`` with each lower-case word that ``known`` (a dictionary) and ``texts``
    (the passages found) lack, and that is one slip from exactly one word of ``texts``,
    replaced by that word (in lower case). A word the index holds (``indexed``, which
    finds text inside words) is kept, unless the word meant starts with it: "autum" is
    in the index only as the start of "autumn"."""
    vocabulary: set[str] | None = None
    out, end = [], 0
    for match in _WORD.finditer(question):
        word = match.group(0)
        if len(word) < MIN_LETTERS or word in STOPWORDS:
            continue
        if vocabulary is None:
            vocabulary = {w.lower() for text in texts for w in _PASSAGE_WORD.findall(text)}
        if word in vocabulary or known(word):
            continue
        near = process.extract(
            word,
            # A slip rarely hits the first letter, and a letter put before a word makes
            # another ("ebooks", "rebook"): the word meant starts as the one typed.
            [w for w in vocabulary if len(w) >= MIN_LETTERS and w[0] == word[0] and w.isalpha()],
            scorer=OSA.distance,
            score_cutoff=1,
            limit=None,
        )
        if len(near) != 1:
            continue  # none, or several that one slip could have meant
        if not near[0][0].startswith(word) and indexed(word):
            continue  # a word of the index (searched last: each search reads every passage)
        out += [question[end : match.start()], near[0][0]]
        end = match.end()
    return "".join([*out, question[end:]]) if out else question
