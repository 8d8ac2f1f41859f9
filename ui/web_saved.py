"""The chat page's saved conversations and feedback: every turn is saved as it is
answered; past conversations are listed, reopened with their citations, renamed and
deleted; each answer takes a thumbs up or down (the chat's own buttons) and an
optional comment; the Evaluate tab runs the answers rated up as a question set.

The page user's conversations are those of the key they signed in with (a user name
stays with the key that first used it), or the open server's when it needs no key, so
the page and ``/v1/conversations`` show the same ones.
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.answer import Answer
from assistant.collections import DEFAULT
from assistant.conversation_store import Conversation
from assistant.feedback import feedback_items
from core.errors import UnknownConversationError

from .keys import OPEN
from .web import answer_messages, escape_markdown, shown_on_page, sources_html
from .wiring import Services


def _label(conversation: Conversation) -> str:
    turns = f"{conversation.turn_count} {'turn' if conversation.turn_count == 1 else 'turns'}"
    return f"{conversation.title} · {turns} · {time.strftime('%d %b %H:%M', time.localtime(conversation.updated))}"


def chat_messages(conversation: Conversation) -> list[dict[str, Any]]:
    """The conversation as the chat shows it: each question, its answer and citations."""
    messages: list[dict[str, Any]] = []
    for turn in conversation.turns:
        messages += [{"role": "user", "content": escape_markdown(turn.question)}, *answer_messages(turn.answer,
                                                                                                   turn.question)]  # fmt: skip
    return messages


def turn_of(chat: list[dict[str, Any]], index: int) -> int:
    """The turn a chat message belongs to: one question opens each turn."""
    return sum(1 for message in chat[: index + 1] if message["role"] == "user") - 1


class SavedChats:
    """The saved conversations' part of the page; ``render`` lays it out, ``wire`` connects it."""

    def __init__(self, services: Services, collection: str = DEFAULT):
        self.services = services
        self.collection = collection

    def owner(self, request: gr.Request | None) -> str:
        if not self.services.keys.required:
            return OPEN
        owner = self.services.conversations.owner_of(getattr(request, "username", None) or "")
        if owner is None:
            raise gr.Error("Sign in again to see your saved conversations.")
        return owner

    def save(self, request: gr.Request | None, conversation: str | None, question: str, answer: Answer,
             collection: str | None = None) -> str:  # fmt: skip
        """Save an answered turn of ``collection`` (the page's picker; default: this one's);
        the conversation's id (a new one when ``conversation`` is None)."""
        store, owner, collection = self.services.conversations, self.owner(request), collection or self.collection
        try:
            return store.add_turn(owner, conversation, collection, question, answer).id
        except UnknownConversationError:  # deleted meanwhile, on another page: the turn starts a new one
            return store.add_turn(owner, None, collection, question, answer).id

    def listed(self, selected: str | None = None, collection: str | None = None,
               request: gr.Request | None = None) -> Any:  # fmt: skip
        """The picker's choices, this user's conversations of the collection (the one chosen
        on the page, else this one's), the latest first."""
        owned = self.services.conversations.owned_by(self.owner(request))
        chosen = collection or self.collection
        return gr.update(choices=[(_label(c), c.id) for c in owned if c.collection == chosen], value=selected)

    def reopen(self, conversation: str | None, request: gr.Request) -> tuple[Any, ...]:
        if not conversation:
            raise gr.Error("Choose a conversation in the list first.")
        with shown_on_page():
            saved = self.services.conversations.get(self.owner(request), conversation)
        history = [t.model_dump() for t in saved.history()]
        last = saved.turns[-1].answer if saved.turns else None
        return chat_messages(saved), history, sources_html(last), saved.id, saved.title

    def rename(self, conversation: str | None, title: str, collection: str | None, request: gr.Request) -> Any:
        if not conversation:
            raise gr.Error("Choose a conversation in the list first.")
        if not (title or "").strip():
            raise gr.Error("Type the new title first.")
        with shown_on_page():
            self.services.conversations.rename(self.owner(request), conversation, title.strip()[:200])
        return self.listed(conversation, collection, request)

    def delete(self, conversation: str | None, current: str | None, collection: str | None,
               request: gr.Request) -> tuple[Any, ...]:  # fmt: skip
        if not conversation:
            raise gr.Error("Choose a conversation in the list first.")
        with shown_on_page():
            self.services.conversations.delete(self.owner(request), conversation)
        if conversation != current:
            return self.listed(None, collection, request), gr.skip(), gr.skip(), gr.skip(), gr.skip(), ""
        return self.listed(None, collection, request), [], [], sources_html(None), None, ""

    def rate(self, chat: list[dict[str, Any]], conversation: str | None, liked: gr.LikeData,
             request: gr.Request) -> tuple[str, Any]:  # fmt: skip
        if not conversation or liked.liked not in (True, False):
            return gr.skip(), gr.skip()
        index = liked.index if isinstance(liked.index, int) else liked.index[0]
        turn, rating = turn_of(chat, index), "up" if liked.liked else "down"
        with shown_on_page():
            self.services.conversations.rate(self.owner(request), conversation, turn, rating, None)  # type: ignore[arg-type]
        shown = "👍" if rating == "up" else "👎"
        return f"{shown} saved for answer {turn + 1}. Add a comment below if you like.", [turn, rating]

    def comment(self, text: str, conversation: str | None, rated: list[Any] | None,
                request: gr.Request) -> tuple[str, str]:  # fmt: skip
        if not conversation or not rated:
            raise gr.Error("Rate an answer with 👍 or 👎 first; the comment goes with that rating.")
        if not (text or "").strip():
            raise gr.Error("Type a comment first.")
        turn, rating = rated
        with shown_on_page():
            self.services.conversations.rate(self.owner(request), conversation, turn, rating, text.strip()[:2000])
        return f"Comment saved with the {'👍' if rating == 'up' else '👎'} on answer {turn + 1}.", ""

    def liked_set(self, collection: str | None, request: gr.Request) -> str:
        """The answers this user rated up in the collection chosen on the page, written as a
        question set for the Evaluate tab."""
        collection = collection or self.collection
        items = feedback_items(self.services.conversations, collection, "up", self.owner(request))
        if not items:
            raise gr.Error("No answer is rated 👍 yet: rate answers in the Chat tab first.")
        path = Path(tempfile.mkdtemp(prefix="feedback-")) / f"liked-{collection}.jsonl"
        path.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items), encoding="utf-8")
        return str(path)

    def render(self) -> None:
        """The saved conversations and the feedback comment (inside the current column)."""
        with gr.Accordion("Saved conversations", open=False, elem_id="saved"):
            self.picker = gr.Dropdown(label="Your conversations, the latest first", choices=[], elem_id="saved-list")
            with gr.Row():
                self.reopen_button = gr.Button("Open", size="sm", elem_id="saved-open")
                self.delete_button = gr.Button("Delete", size="sm", variant="stop", elem_id="saved-delete")
            with gr.Row():
                self.title = gr.Textbox(label="Title", scale=3, elem_id="saved-title")
                self.rename_button = gr.Button("Rename", size="sm", scale=1, elem_id="saved-rename")
        with gr.Row():
            self.remark = gr.Textbox(placeholder="Optional comment on your last rating", show_label=False,
                                     scale=3, elem_id="feedback-comment")  # fmt: skip
            self.send = gr.Button("Send comment", size="sm", scale=1, elem_id="feedback-send")
        self.feedback = gr.Markdown(elem_id="feedback-status")
        self.rated = gr.State(None)

    def wire(self, demo: gr.Blocks, chat: gr.Chatbot, history: gr.State, sources: gr.HTML,
             conversation: gr.State, collection: gr.Dropdown) -> None:  # fmt: skip
        """``collection`` is the page's collection picker: the list shows its conversations."""
        # None of these is part of the page's API (api_name=False; Gradio's stubs say str).
        opened = [chat, history, sources, conversation, self.title]
        self.reopen_button.click(self.reopen, [self.picker], opened, api_name=False)  # type: ignore[arg-type]
        self.rename_button.click(self.rename, [self.picker, self.title, collection], [self.picker], api_name=False)  # type: ignore[arg-type]
        deleted = [self.picker, chat, history, sources, conversation, self.title]
        self.delete_button.click(self.delete, [self.picker, conversation, collection], deleted, api_name=False)  # type: ignore[arg-type]
        chat.like(self.rate, [chat, conversation], [self.feedback, self.rated], api_name=False)  # type: ignore[arg-type]
        commented = [self.remark, conversation, self.rated]
        self.send.click(self.comment, commented, [self.feedback, self.remark], api_name=False)  # type: ignore[arg-type]
        # Listed when the picker gets its value on load (and on each choice), by the page.
