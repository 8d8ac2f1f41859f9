"""Feedback on saved answers, turned into a question set that ``assistant eval`` runs.

An answer rated up becomes a regression question in the format ``evaluation.parse_item``
reads: the ``question``, the earlier turns as ``history`` when it was a follow-up, the
answer (without its ``[n]`` markers) as the reference ``answer``, each cited sentence
as it stands in its passage as ``evidence``, and the cited files as ``sources``; an
answer that declined and was rated up becomes an ``unanswerable`` question. So what
users liked keeps being answered that way, or the eval says it no longer is.

An answer rated down is written for review: the question, the answer it got
(``given_answer``, ``given_sources``) and the comment, with no reference. It is still
a question ``assistant eval`` can run; write the right ``answer`` into it to make it a
test.

    >>> items = feedback_items(store, "default", "up")
    >>> sorted(items[0])
    ['answer', 'collection', 'comment', 'conversation_id', 'evidence', 'id', 'question', 'sources', 'turn']
"""

from __future__ import annotations

from typing import Any

from .answer import Answer, marked_sentences, without_markers
from .conversation_store import ConversationStore, RatedTurn, Rating
from .quoting import verbatim


def reference(answer: Answer) -> str:
    """The answer as ``assistant eval`` compares it: its text without the markers."""
    return without_markers(answer.answer)


def evidence(answer: Answer) -> list[str]:
    """Each cited sentence as it stands in a passage it cites, in order, once."""
    by_id = {c.id: c for c in answer.citations}
    found: list[str] = []
    for sentence, numbers in marked_sentences(answer.answer):
        quote = verbatim(sentence).strip()
        if quote and quote not in found and any(quote in by_id[n].text for n in numbers if n in by_id):
            found.append(quote)
    return found


def _item(rated: RatedTurn) -> dict[str, Any]:
    turn = rated.turn
    assert turn.feedback is not None  # only rated turns are exported
    item: dict[str, Any] = {"id": f"{rated.conversation}-{turn.number}", "question": turn.question}
    if rated.earlier:
        item["history"] = [
            {"role": role, "content": content}
            for earlier in rated.earlier
            for role, content in (("user", earlier.question), ("assistant", earlier.answer.answer))
        ]
    sources = list(dict.fromkeys(c.source for c in turn.answer.citations))
    if turn.feedback.rating == "up":
        if turn.answer.abstained:
            item["unanswerable"] = True
        else:
            item.update(answer=reference(turn.answer), evidence=evidence(turn.answer), sources=sources)
    else:
        item.update(rating="down", given_answer=turn.answer.answer, given_sources=sources)
    item.update(comment=turn.feedback.comment, collection=rated.collection, conversation_id=rated.conversation,
                turn=turn.number)  # fmt: skip
    return item


def feedback_items(
    store: ConversationStore, collection: str, rating: Rating = "up", owner: str | None = None
) -> list[dict[str, Any]]:
    """The collection's answers rated ``rating`` (by ``owner`` alone, when named), as
    question-set entries, oldest first."""
    return [_item(rated) for rated in store.rated(collection, rating, owner)]
