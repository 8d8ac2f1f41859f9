"""Saved conversations of the caller's key: list, read, rename, delete, and feedback on a turn.

Another key's conversation, or one in a collection the key may no longer read, is the
same 404 ``conversation_not_found`` as one that does not exist.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query

from assistant.conversation_store import Conversation
from core.errors import UnknownConversationError

from ..keys import Access
from ..schemas import (
    ConversationDetail,
    ConversationList,
    ConversationOut,
    ConversationRename,
    FeedbackRequest,
    FeedbackSaved,
)
from ..wiring import Services
from .deps import AccessDep, OwnerDep, ServicesDep

router = APIRouter()


def owned(services: Services, owner: str, access: Access, conversation: str) -> Conversation:
    """The caller's conversation ``conversation``, when its collection is still readable."""
    found = services.conversations.get(owner, conversation)
    if not access.can_read(found.collection):
        raise UnknownConversationError(
            f"No conversation has the id {conversation!r}; GET /v1/conversations lists yours."
        )
    return found


@router.get("/conversations", response_model=ConversationList,
            summary="This key's saved conversations, the most recently used first")  # fmt: skip
def list_conversations(services: ServicesDep, owner: OwnerDep, access: AccessDep,
                       collection: str | None = Query(None, description="Only those of this collection.")) -> Any:  # fmt: skip
    found = [c for c in services.conversations.owned_by(owner) if access.can_read(c.collection)]
    return {"data": [c.summary() for c in found if collection is None or c.collection == collection]}


@router.get("/conversations/{conversation_id}", response_model=ConversationDetail,
            summary="One saved conversation with every turn: question, answer object with citations, feedback")  # fmt: skip
def get_conversation(conversation_id: str, services: ServicesDep, owner: OwnerDep, access: AccessDep) -> Any:
    return owned(services, owner, access, conversation_id).to_json()


@router.patch("/conversations/{conversation_id}", response_model=ConversationOut, summary="Rename a conversation")
def rename_conversation(conversation_id: str, body: ConversationRename, services: ServicesDep, owner: OwnerDep,
                        access: AccessDep) -> Any:  # fmt: skip
    owned(services, owner, access, conversation_id)
    return services.conversations.rename(owner, conversation_id, body.title).summary()


@router.delete("/conversations/{conversation_id}", response_model=ConversationOut,
               summary="Delete a conversation with its turns and feedback; answers what it was")  # fmt: skip
def delete_conversation(conversation_id: str, services: ServicesDep, owner: OwnerDep, access: AccessDep) -> Any:
    owned(services, owner, access, conversation_id)
    return services.conversations.delete(owner, conversation_id).summary()


@router.post("/feedback", response_model=FeedbackSaved,
             summary="Rate a saved answer up or down, with an optional comment (a new rating replaces the old)")  # fmt: skip
def feedback(body: FeedbackRequest, services: ServicesDep, owner: OwnerDep, access: AccessDep) -> FeedbackSaved:
    owned(services, owner, access, body.conversation_id)
    turn = services.conversations.rate(owner, body.conversation_id, body.turn, body.rating, body.comment)
    assert turn.feedback is not None  # just rated
    return FeedbackSaved(conversation_id=body.conversation_id, turn=turn.number, rating=turn.feedback.rating,
                         comment=turn.feedback.comment)  # fmt: skip
