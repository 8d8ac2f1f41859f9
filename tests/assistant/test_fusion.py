"""Fusion of the vector and keyword searches, on the bundled corpus's real index."""

from __future__ import annotations

from assistant.idioms import plain
from assistant.service import Assistant

QUESTION = "Which senator from Tennessee did the ambassador meet?"


def test_a_passage_gone_since_the_searches_is_replaced_by_the_next_one(seed_assistant: Assistant) -> None:
    retriever = seed_assistant.retriever
    assert retriever.keywords is not None
    vector = retriever.embedder.embed([QUESTION])[0]
    dense = retriever.store.nearest(vector, 20)
    keyword = retriever.keywords.search(plain(QUESTION), 20)
    # First in both searches, so first after fusion, but deleted before it is read.
    gone = [("deleted-since", 1.0), *dense], [("deleted-since", 9.9), *keyword]
    five = retriever._fuse(vector, *gone, k=5)
    six = retriever._fuse(vector, *gone, k=6)
    assert len(five) == 5 and "deleted-since" not in {hit.chunk.id for hit in six}
    assert [hit.chunk.id for hit in five] == [hit.chunk.id for hit in six][:5]
    # Passages the vector search found keep its score; the others are scored the same way.
    scores = dict(dense)
    for hit in six:
        assert hit.score == scores.get(hit.chunk.id, round(float(vector @ hit.vector), 4))
