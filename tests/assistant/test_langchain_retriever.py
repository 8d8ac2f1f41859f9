from __future__ import annotations

from langchain_core.runnables import RunnableLambda

from assistant.langchain_retriever import AssistantRetriever
from assistant.service import Assistant


def test_runs_in_an_lcel_chain_with_citation_metadata(seed_assistant: Assistant) -> None:
    retriever = AssistantRetriever(retriever=seed_assistant.retriever, k=3)
    chain = retriever | RunnableLambda(lambda docs: [(d.metadata["start"], d.metadata["end"]) for d in docs])
    docs = retriever.invoke("Which senator from Tennessee did the ambassador meet?")
    assert len(docs) == 3
    top = docs[0]
    assert "Bill Hagerty" in top.page_content and top.id == top.metadata["chunk_id"]
    assert top.metadata["source"] == "data/corpus/india-us-cooperation-trade-energy-defence.txt"
    assert top.metadata["headings"] == [
        "Recent Engagements: What Were the Discussions About?", "Trade Talks & Bilateral Trade Agreement",
    ]  # fmt: skip
    assert chain.invoke("Which senator from Tennessee did the ambassador meet?")[0] == (3095, 3748)
