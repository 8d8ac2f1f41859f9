"""Structure-aware chunking that never exceeds the embedding model's input limit.

A chunk never crosses a heading; inside a section, whole paragraphs and list items
are packed up to ``target_tokens``, and a reference manual's signature line opens a chunk
(with the description under it) rather than ending one. A paragraph too long for one chunk is cut at
sentence boundaries, and a sentence too long on its own at word boundaries. Every
chunk is measured with the model's own tokenizer, headings included, so no text is
silently truncated at embedding time (which would make it impossible to find).

    >>> chunks = Chunker(TokenCounter(), target_tokens=160).chunk(doc, path="/x/a.txt", source="a.txt")
    >>> all(doc.text[c.start:c.end] == c.text for c in chunks)
    True
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from core.records import Chunk, chunk_id
from core.text import is_signature, sentence_spans
from vectorstore.embeddings import TokenCounter

from .normalize import NormalisedDocument, Span

# [CLS] and [SEP]: counted once per chunk, not once per piece.
_SPECIAL_TOKENS = 2


@dataclass
class _Piece:
    start: int
    end: int
    tokens: int
    page: int | None


class Chunker:
    def __init__(
        self,
        counter: TokenCounter,
        target_tokens: int = 160,
        max_tokens: int | None = None,
        embed_headings: bool = True,
    ):
        self.counter = counter
        self.embed_headings = embed_headings
        self.max_tokens = max_tokens or counter.max_tokens
        if self.max_tokens > counter.max_tokens:
            raise ValueError(f"max_tokens {self.max_tokens} exceeds the model limit {counter.max_tokens}")
        if not 16 <= target_tokens <= self.max_tokens:
            raise ValueError(f"target_tokens must be between 16 and {self.max_tokens}, got {target_tokens}")
        self.target_tokens = target_tokens

    def chunk(self, doc: NormalisedDocument, path: str, source: str) -> list[Chunk]:
        """Cut ``doc`` into chunks whose ids derive from ``path`` and their content."""
        sections = self._sections(doc)
        raw: list[tuple[tuple[str, ...], list[_Piece]]] = []
        for headings, spans in sections:
            # Headings are capped in the embedded text, so some budget always remains.
            budget = max(self.target_tokens - self._heading_tokens(headings), 32)
            pieces = [p for span in spans for p in self._pieces(doc.text, span, budget)]
            for group in self._pack(pieces, budget, doc.text):
                raw.append((headings, group))

        chunks: list[Chunk] = []
        seen: Counter[str] = Counter()
        for headings, group in raw:
            for piece_group in self._fit(doc.text, headings, group):
                start, end = piece_group[0].start, piece_group[-1].end
                text = doc.text[start:end]
                draft = Chunk("", text, source, doc.title, headings, len(chunks), start, end, piece_group[0].page)
                embedded = draft.embedding_text(self.embed_headings)
                occurrence = seen[embedded]
                seen[embedded] += 1
                chunks.append(
                    Chunk(chunk_id(path, embedded, occurrence), text, source, doc.title, headings,
                          len(chunks), start, end, piece_group[0].page)
                )  # fmt: skip
        return chunks

    @staticmethod
    def _sections(doc: NormalisedDocument) -> list[tuple[tuple[str, ...], list[Span]]]:
        stack: list[tuple[int, str]] = []
        sections: list[tuple[tuple[str, ...], list[Span]]] = []
        current: list[Span] = []

        def flush() -> None:
            if current:
                sections.append((tuple(text for _, text in stack), list(current)))
                current.clear()

        for span in doc.spans:
            if span.kind == "heading":
                flush()
                while stack and stack[-1][0] >= span.level:
                    stack.pop()
                stack.append((span.level, doc.text[span.start : span.end]))
            else:
                current.append(span)
        flush()
        return sections

    def _heading_tokens(self, headings: tuple[str, ...]) -> int:
        if not headings or not self.embed_headings:
            return 0
        probe = Chunk("", "", "", "", headings, 0, 0, 0).embedding_text(self.embed_headings)
        return self.counter.count(probe) - _SPECIAL_TOKENS

    def _pieces(self, text: str, span: Span, budget: int) -> list[_Piece]:
        """The span whole if it fits, else its sentences, else its words."""
        tokens = self.counter.count(text[span.start : span.end]) - _SPECIAL_TOKENS
        if tokens + _SPECIAL_TOKENS <= budget:
            return [_Piece(span.start, span.end, tokens, span.page)]
        sentences = list(sentence_spans(text, span.start, span.end))
        counts = self.counter.count_many([s for _, _, s in sentences])
        pieces: list[_Piece] = []
        for (start, end, _), count in zip(sentences, counts, strict=True):
            if count <= budget:
                pieces.append(_Piece(start, end, count - _SPECIAL_TOKENS, span.page))
            else:
                pieces.extend(self._word_pieces(text, start, end, budget, span.page))
        return pieces

    def _word_pieces(self, text: str, start: int, end: int, budget: int, page: int | None) -> list[_Piece]:
        """Cut an over-long sentence at spaces into runs that fit the budget."""
        words: list[tuple[int, int]] = []
        cursor = start
        for token in text[start:end].split():
            begin = text.index(token, cursor)
            # A word piece covers at least one character, so slices this short always
            # fit: this is what keeps a 5,000-character URL or base64 blob in bounds.
            step = budget - _SPECIAL_TOKENS
            words.extend((a, min(a + step, begin + len(token))) for a in range(begin, begin + len(token), step))
            cursor = begin + len(token)
        counts = self.counter.count_many([text[a:b] for a, b in words])
        pieces: list[_Piece] = []
        run_start, run_tokens = words[0][0], 0
        run_end = words[0][1]
        for (a, b), count in zip(words, counts, strict=True):
            count -= _SPECIAL_TOKENS
            if run_tokens and run_tokens + count + _SPECIAL_TOKENS > budget:
                pieces.append(_Piece(run_start, run_end, run_tokens, page))
                run_start, run_tokens = a, 0
            run_end, run_tokens = b, run_tokens + count
        pieces.append(_Piece(run_start, run_end, run_tokens, page))
        return pieces

    @staticmethod
    def _pack(pieces: list[_Piece], budget: int, text: str) -> list[list[_Piece]]:
        groups: list[list[_Piece]] = []
        current: list[_Piece] = []
        used = _SPECIAL_TOKENS
        for piece in pieces:
            if current and used + piece.tokens > budget:
                # A chunk does not end with a reference manual's signature line, which
                # says nothing without the description under it: it opens the next chunk,
                # when the two fit together. (Lines ending in a colon moved the same way
                # changed a tenth of the Debian FAQ's chunks and cost 3 points of hit@1.)
                last = current[-1]
                carried = (
                    [current.pop()]
                    if len(current) > 1
                    and last.tokens + piece.tokens + _SPECIAL_TOKENS <= budget
                    and is_signature(text[last.start : last.end])
                    else []
                )
                groups.append(current)
                current, used = carried, _SPECIAL_TOKENS + sum(p.tokens for p in carried)
            current.append(piece)
            used += piece.tokens
        if current:
            groups.append(current)
        return groups

    def _fit(self, text: str, headings: tuple[str, ...], group: list[_Piece]) -> list[list[_Piece]]:
        """Exact check against the model limit; split a group in two until it fits.

        Packing adds up per-piece counts, which can differ by a token or two from the
        count of the joined text; this check makes the limit a guarantee.
        """
        start, end = group[0].start, group[-1].end
        probe = Chunk("", text[start:end], "", "", headings, 0, start, end).embedding_text(self.embed_headings)
        if self.counter.count(probe) <= self.max_tokens or len(group) == 1:
            return [group]
        middle = len(group) // 2
        return self._fit(text, headings, group[:middle]) + self._fit(text, headings, group[middle:])
