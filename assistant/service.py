"""The assistant: one object that answers questions, shared by every front door.

>>> assistant = build_application(Settings()).assistant
>>> assistant.ask("Who is India's ambassador to the U.S.?").answer
'Recently, India’s Ambassador to the U.S., Vinay Mohan Kwatra, held meetings ... [1].'
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator, Sequence
from itertools import zip_longest
from pathlib import PurePath

from core.errors import InvalidQuestionError, LLMUnavailableError
from core.records import Hit
from vectorstore.embeddings import Embedder

from .answer import ABSTAIN_TEXT, Answer, check_citations, cited_pieces
from .compound import joined, parts, seen_before
from .conversation import Standalone, Turn, may_be_elliptical, only_repeats, quoted_documents, standalone
from .evidence import CONTEXT_SHARE, OPEN_CONTEXT_SHARE
from .filters import SourceFilter
from .grounding import CitationVerifier, GroundingChecker
from .idioms import plain
from .keyword import one_question
from .question import asks_for_more, asks_for_overview, asks_to_do, shifts_subject
from .retrieval import Retriever
from .seams import Answerer, Generator, Store

# "What's this document about?" is answered from each document's opening when the index
# holds at most this many (of those the question may draw on); among more, by retrieval.
MAX_OVERVIEW_DOCUMENTS = 3
OPENING_PASSAGES = 3


def _named_texts(question: str) -> set[str]:
    """The kinds of document a question names ("policy" in "What's the policy about?")."""
    return _text_kinds(question)


def _text_kinds(text: str) -> set[str]:
    """The kinds of document ``text`` names as words: "policy" in "Northgate Clinic IT
    Security Policy" or "clinic-it-policy", not in "police-liaison"."""
    return {_TEXT_KINDS[w] for w in re.findall(r"[a-z]+", text.lower()) if w in _TEXT_KINDS}


_TEXT_KINDS = {
    **{w: w for w in "report policy guide handbook manual faq blog article paper".split()},
    **{"reports": "report", "policies": "policy", "guides": "guide", "manuals": "manual", "faqs": "faq"},
    **{"blogs": "blog", "articles": "article", "papers": "paper", "handbooks": "handbook"},
}


class _Clock:
    """Milliseconds per stage of one answer."""

    def __init__(self) -> None:
        self.started = self.last = time.perf_counter()
        self.laps: dict[str, float] = {}

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = round((now - self.last) * 1000, 2)
        self.last = now

    def done(self) -> dict[str, float]:
        return {**self.laps, "total": round((time.perf_counter() - self.started) * 1000, 2)}


def _context_share(asked: Standalone) -> float:
    """Earlier words count more when the follow-up left a reference open for them to fill."""
    return CONTEXT_SHARE if asked.resolved else OPEN_CONTEXT_SHARE


def _sources(asked: Standalone, turns: list[Turn], hits: list[Hit]) -> frozenset[str]:
    """The documents the conversation's last answer quoted, unless the question says it is
    on something else: their sentences count a little more (``same_document``)."""
    return frozenset() if asked.switched else quoted_documents(turns, hits)


def _in_pieces(answer: Answer) -> Iterator[str | Answer]:
    """The extractive answer one cited sentence at a time, then the answer object.

    It exists whole already; sentence-sized pieces stream it without paying a
    server-sent event (and a thread hop) per word.
    """
    yield from cited_pieces(answer.answer)
    yield answer


class Assistant:
    def __init__(
        self,
        store: Store,
        embedder: Embedder,
        retriever: Retriever,
        answerer: Answerer,
        checker: GroundingChecker,
        llm: Generator | None = None,
        drop_unsupported: bool = False,
        max_question_chars: int = 2000,
        max_history_turns: int = 20,
        candidate_pool: int = 15,
    ):
        """``answerer`` answers without a model (and judges relevance on both paths);
        ``llm``, when given, writes the answers, and ``checker`` checks its sentences
        against the passages they cite. Built by ``assistant.app.build_application``."""
        self.store = store
        self.embedder = embedder
        self.retriever = retriever
        self.answerer = answerer
        self.llm = llm
        self.checker = checker
        self.drop_unsupported = drop_unsupported
        self.max_question_chars = max_question_chars
        self.max_history_turns = max_history_turns
        self.candidate_pool = candidate_pool

    def passages(
        self,
        question: str,
        k: int,
        history: Sequence[Turn | dict[str, str]] = (),
        top_k: int | None = None,
        only: SourceFilter | None = None,
    ) -> list[Hit]:
        """The ``k`` passages the extractive answerer reads for ``question``, best first:
        the same pool ``ask`` draws from, re-ranked by each passage's best sentence."""
        turns = self._turns(history)
        question = self._validate(question)
        if len(asked := parts(question)) > 1:
            # Each part's passages in turn, as the answer drew on them.
            ranked = [
                self.passages(part, k, before, top_k, only)
                for part, before, _ in self._each_part(asked, turns, top_k, only)
            ]
            seen: set[str] = set()
            mixed = [h for row in zip_longest(*ranked) for h in row if h and not seen_before(h.chunk.id, seen)]
            return mixed[:k]
        standing = self._standalone(question, turns)
        pool = self._pool(standing, top_k, only)
        sources = _sources(standing, turns, pool)
        return self.answerer.rerank(standing.focus, pool, standing.context, _context_share(standing), sources)[:k]

    def _each_part(
        self, asked: list[str], turns: list[Turn], top_k: int | None, only: SourceFilter | None
    ) -> list[tuple[str, list[Turn], Answer]]:
        """Each part of a question that asks several things, the conversation it is asked
        in (the turns before, then each earlier part with its answer), and its answer."""
        before, answered = list(turns), []
        for part in asked:
            # The earlier parts' answers were never shown, so a part may quote what they
            # quoted; unless it asks for more ("and what else do i get?").
            shown = None if asks_for_more(part) else len(turns)
            reply = self._extractive(part, before, top_k, _Clock(), only, shown=shown)
            if reply.abstained and reply.query != part:
                # "how high were they?" after "has the us hit indian goods with tariffs
                # before?": the tariffs counted as the conversation's words, for less than
                # the part's own, and nothing was left to match "high"; the part as it
                # stands on its own ("how high were the tariffs?") is answered. Only by
                # passages speaking of what it asks: "what is his shoe size?" stays
                # unanswered, not answered by the commodore's email.
                alone = self._extractive(reply.query, turns, top_k, _Clock(), only)
                if not alone.abstained and self.answerer.speaks_of(part, [c.text for c in alone.citations]):
                    reply = alone
            answered.append((part, before, reply))
            before = [*before, Turn(role="user", content=part), Turn(role="assistant", content=reply.answer)]
        return answered

    def _standalone(self, question: str, turns: list[Turn], elliptical: bool = False) -> Standalone:
        """``question`` as it stands on its own in the conversation ``turns``; words are
        alike by the answerer's word table, which says that "cats" take the place of "dog"."""
        vectors = getattr(self.answerer, "vectors", None)
        return standalone(question, turns, elliptical=elliptical, alike=vectors.nearest if vectors else None)

    def _turns(self, history: Sequence[Turn | dict[str, str]]) -> list[Turn]:
        turns = [t if isinstance(t, Turn) else Turn.model_validate(t) for t in history]
        return turns[-self.max_history_turns :] if self.max_history_turns else []

    def _pool(self, asked: Standalone, top_k: int | None, only: SourceFilter | None) -> list[Hit]:
        # A wider pool than top_k: the answerer picks sentences from it, and cites at most
        # top_k of its passages.
        # An idiom's own words find passages using them ("in the running" finds running
        # processes): the plain words it stands for are searched instead.
        query = plain(asked.query)
        return self.retriever.retrieve(query, max(self.candidate_pool, top_k or self.retriever.top_k), only)

    def warm_up(self) -> None:
        """Load the model and build the keyword index before the first question."""
        self.embedder.warm_up()
        self.answerer.warm_up()
        self.retriever.warm_up()

    @property
    def model_loaded(self) -> bool:
        """Whether the embedding model is in memory (questions need it)."""
        return self.embedder.loaded

    def index_changed(self) -> None:
        """Documents were added, changed or removed: the next question sees them."""
        self.retriever.index_changed()

    def retire(self) -> None:
        """The collection was deleted: a question still being answered saves nothing of it on
        disk (its keyword index's copy would make the deleted folder again)."""
        if self.retriever.keywords is not None:
            self.retriever.keywords.retire()

    def ask(
        self,
        question: str,
        history: Sequence[Turn | dict[str, str]] = (),
        top_k: int | None = None,
        only: SourceFilter | None = None,
    ) -> Answer:
        """Answer ``question``, in the conversation ``history`` (oldest turn first); with
        ``only``, from the documents that filter lets answer."""
        final = None
        for piece in self.stream(question, history, top_k, only):
            if isinstance(piece, Answer):
                final = piece
        assert final is not None  # stream() always ends with the answer
        return final

    def stream(
        self,
        question: str,
        history: Sequence[Turn | dict[str, str]] = (),
        top_k: int | None = None,
        only: SourceFilter | None = None,
    ) -> Iterator[str | Answer]:
        """Yield the answer text in pieces, then the complete, checked ``Answer``.

        The pieces always add up to ``Answer.answer``. Both answerers send a sentence
        at a time: the extractive answer as soon as it exists, a language model's as
        each sentence arrives and passes its checks.
        """
        clock = _Clock()
        question = self._validate(question)
        turns = self._turns(history)
        if self.llm is None:
            # Set and reset with no yield between: the pieces go out once the answer exists.
            with one_question():
                answer = self._extractive(question, turns, top_k, clock, only)
            yield from _in_pieces(answer)
        else:
            yield from self._generated(self.llm, question, turns, top_k, clock, only)

    def _openings(self, question: str, turns: list[Turn], only: SourceFilter | None) -> list[Hit] | None:
        """The opening passages of the documents "What's this document about?" asks about;
        None when the question asks something else, or names no document among too many."""
        if not asks_for_overview(question, follow_up=bool(turns)):
            return None
        records = [
            r for r in self.store.documents().values() if r.complete and (only is None or only.matches(r.source))
        ]
        # "What's the policy about?": the documents titled or named so, when some are.
        kinds = _named_texts(question)
        named = [r for r in records if kinds & _text_kinds(f"{r.title} {PurePath(r.path).stem}")]
        paths = [r.path for r in sorted(named or records, key=lambda r: (PurePath(r.source).name.lower(), r.path))]
        if not paths or len(paths) > MAX_OVERVIEW_DOCUMENTS:
            return None
        # A title page or a version line may fill the first passage: the overview is looked
        # for in the first few.
        return [Hit(chunk, score=1.0) for chunk in self.store.opening_chunks(paths, OPENING_PASSAGES)]

    def _extractive(
        self,
        question: str,
        turns: list[Turn],
        top_k: int | None,
        clock: _Clock,
        only: SourceFilter | None,
        warning: str | None = None,
        shown: int | None = None,
    ) -> Answer:
        """``shown``: how many of ``turns`` the asker has read (all unless said); the rest
        are earlier parts of the same question with their answers, never sent, which an
        answer may repeat."""
        if len(asked_parts := parts(question)) > 1:
            replies = [(part, reply) for part, _, reply in self._each_part(asked_parts, turns, top_k, only)]
            answer = joined(replies, top_k or self.retriever.top_k)
            # Each part's stages, summed; the total as the clock saw it.
            stages = {
                stage: round(sum(reply.timings_ms.get(stage, 0.0) for _, reply in replies), 2)
                for stage in ("retrieve", "generate")
            }
            mode = "extractive-fallback" if warning else "extractive"
            return answer.model_copy(
                update={"mode": mode, "warning": warning, "timings_ms": {**stages, "total": clock.done()["total"]}}
            )
        if (openings := self._openings(question, turns, only)) is not None:
            clock.lap("retrieve")
            answer = check_citations(self.answerer.overview(question, openings))
            clock.lap("generate")
            mode = "extractive-fallback" if warning else "extractive"
            return answer.model_copy(
                update={"query": question, "mode": mode, "warning": warning, "timings_ms": clock.done()}
            )
        asked = self._standalone(question, turns)
        hits = self._pool(asked, top_k, only)
        clock.lap("retrieve")
        answer = self._from_hits(question, asked, hits, turns, top_k, shown)
        if (
            turns
            and not asked.context
            and not asked.switched
            and may_be_elliptical(question)
            and (answer.abstained or _strays(answer, turns, hits))
        ):
            # "what do i need to connect?" after "am i allowed to work from home?": a
            # question naming nothing that the documents do not answer on its own may leave
            # out what the conversation is about; it is asked again as a follow-up. So is
            # one answered on its own from another document than the conversation's ("do
            # we get money off" after a group's visit to the theatre: a car park's discount).
            again = self._standalone(question, turns, elliptical=True)
            pool = self._pool(again, top_k, only)
            retried = self._from_hits(question, again, pool, turns, top_k, shown)
            # The conversation's subject finds passages on it, which need not speak of what
            # the question asks: "how many hours of homework a week" after the tip's
            # opening days is still declined.
            if (
                not retried.abstained
                and self.answerer.speaks_of(question, [c.text for c in retried.citations])
                and (answer.abstained or not _strays(retried, turns, [*hits, *pool]))
            ):
                asked, answer = again, retried
        clock.lap("generate")
        mode = "extractive-fallback" if warning else "extractive"
        return answer.model_copy(
            update={"query": asked.query, "mode": mode, "warning": warning, "timings_ms": clock.done()}
        )

    def _from_hits(
        self,
        question: str,
        asked: Standalone,
        hits: list[Hit],
        turns: list[Turn],
        top_k: int | None,
        shown: int | None = None,
    ) -> Answer:
        """The extractive answer to ``asked`` (``question`` as it stands on its own) from ``hits``."""
        # A reference left open ("How did India describe them?") most likely points into
        # the last answer, so its sentences are not held back as repeats.
        # "Tell me more." asks for what the answers have not said.
        # "What about from inside vim?" asks the question before of something else.
        held_back = asked.resolved or asks_for_more(question) or shifts_subject(question)
        seen = turns[:shown]
        said = [t.content for t in seen if t.role == "assistant"] if held_back else []
        cited = top_k or self.retriever.top_k
        sources = _sources(asked, turns, hits)
        answer = check_citations(
            self.answerer.answer(
                asked.focus,
                hits,
                asked.context,
                said,
                _context_share(asked),
                max_passages=cited,
                about=asked.referents,
                sources=sources,
            )
        )
        if not answer.abstained and asks_to_do(question) and only_repeats(answer.answer, seen):
            # "How do I make it ignore one particular bug?" answered by the sentences that
            # said what apt-listbugs does: the answer before tells nothing of how.
            answer = answer.model_copy(update={"answer": ABSTAIN_TEXT, "citations": [], "abstained": True})
        return answer

    def _generated(
        self,
        llm: Generator,
        question: str,
        turns: list[Turn],
        top_k: int | None,
        clock: _Clock,
        only: SourceFilter | None,
    ) -> Iterator[str | Answer]:
        openings = self._openings(question, turns, only)
        if openings is None:
            try:
                query = llm.rewrite(question, turns) if turns else question
            except LLMUnavailableError as err:
                fallback = f"{err} Answered extractively."
                yield from _in_pieces(self._extractive(question, turns, top_k, clock, only, fallback))
                return
            clock.lap("rewrite")
            hits = self.retriever.retrieve(query, top_k, only)
        else:
            # "What's this document about?": the model reads the documents' openings.
            query, hits = question, openings
        clock.lap("retrieve")
        verifier = CitationVerifier(hits, self.checker, self.drop_unsupported)
        sent, warning = "", None
        if openings or not self.answerer.off_topic(query, hits):  # nothing relevant: no need to ask the model
            try:
                for piece in llm.stream_answer(question, turns, hits):
                    if out := verifier.feed(piece):
                        sent += out
                        yield out
                if out := verifier.finish():
                    sent += out
                    yield out
            except LLMUnavailableError as err:
                if not sent:
                    fallback = f"{err} Answered extractively."
                    yield from _in_pieces(self._extractive(question, turns, top_k, clock, only, fallback))
                    return
                warning = f"{err} The answer ends where the model stopped."
        answer = check_citations(verifier.answer())
        if not sent:
            yield answer.answer  # the abstention text
        clock.lap("generate")
        yield answer.model_copy(update={"query": query, "warning": warning, "timings_ms": clock.done()})

    def _validate(self, question: str) -> str:
        question = " ".join(question.split())
        if not question:
            raise InvalidQuestionError("The question is empty: ask something about your documents.")
        if re.search("[\ud800-\udfff]", question):
            # Valid JSON can carry one ("\ud800"); it is no character and cannot be encoded.
            raise InvalidQuestionError("The question holds an invalid character (a lone surrogate): send UTF-8 text.")
        if len(question) > self.max_question_chars:
            raise InvalidQuestionError(
                f"The question is {len(question)} characters long; the limit is {self.max_question_chars}. "
                "Shorten it, or raise ASSISTANT_MAX_QUESTION_CHARS."
            )
        return question

    def close(self) -> None:
        self.store.close()


def _strays(answer: Answer, turns: list[Turn], hits: list[Hit]) -> bool:
    """Whether ``answer`` quotes only documents other than those the conversation's last
    answer quoted (as far as ``hits`` show them)."""
    talked_about = quoted_documents(turns, hits)
    return bool(talked_about and answer.citations) and talked_about.isdisjoint(c.source for c in answer.citations)
