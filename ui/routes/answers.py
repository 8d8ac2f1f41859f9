"""Answers: native ``/v1/ask``, OpenAI-compatible chat completions and models, evaluation."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter
from fastapi.responses import StreamingResponse

from assistant.answer import Answer
from assistant.app import Application
from assistant.evaluation import Evaluator, QuestionSetError, asks_in_all, parse_item
from core.errors import UnknownCollectionError

from .. import openai_compat
from ..errors import ApiError
from ..keys import Access
from ..metrics import Metrics
from ..schemas import AskRequest, AskResponse, EvalRequest
from ..wiring import Services
from .conversations import owned
from .deps import AccessDep, MetricsDep, OwnerDep, ServicesDep, readable

router = APIRouter()
NEW = "new"  # the conversation_id that starts a saved conversation


@router.post("/ask", response_model=AskResponse, response_model_exclude_unset=True, summary="Answer a question with cited passages from a collection; "
             'with conversation_id ("new" or an id), the turn is saved')  # fmt: skip
def ask(body: AskRequest, services: ServicesDep, metrics: MetricsDep, access: AccessDep,
        owner: OwnerDep) -> AskResponse:  # fmt: skip
    if body.conversation_id is None:
        assistant = readable(services, access, body.collection).assistant
        answer = assistant.ask(body.question, history=body.history, top_k=body.top_k, only=body.only())
        metrics.answer(answer)
        return AskResponse(**answer.model_dump())  # the answer as it is everywhere: no conversation_id
    if body.history:
        raise ApiError(422, "invalid_request", "Send history or conversation_id, not both: a saved conversation's "
                       "turns are its history.", param="history")  # fmt: skip
    collection, history, continued = body.collection, [], None
    if body.conversation_id != NEW:
        saved = owned(services, owner, access, body.conversation_id)
        if "collection" in body.model_fields_set and body.collection != saved.collection:
            raise ApiError(422, "invalid_request", f"The conversation {saved.id!r} answers from the collection "
                           f"{saved.collection!r}; leave collection out, or start a new conversation.",
                           param="collection")  # fmt: skip
        collection, history, continued = saved.collection, saved.history(), saved.id
    assistant = readable(services, access, collection).assistant
    answer = assistant.ask(body.question, history=history, top_k=body.top_k, only=body.only())
    metrics.answer(answer)
    # Saved only once answered: a turn that fails, or a server killed meanwhile, leaves nothing half done.
    now = services.conversations.add_turn(owner, continued, collection, body.question, answer)
    return AskResponse(**answer.model_dump(), conversation_id=now.id, turn=now.turn_count - 1)


@router.post("/chat/completions", summary="OpenAI-compatible chat completion (streaming with stream: true); "
             "the model names the collection")  # fmt: skip
def chat_completions(body: openai_compat.ChatCompletionRequest, services: ServicesDep, metrics: MetricsDep,
                     access: AccessDep) -> Any:  # fmt: skip
    assistant = _by_model(body.model, services, access).assistant
    openai_compat.check_request(body)
    question, history = openai_compat.question_and_history(body, services.settings.max_history_turns)
    only = body.only()
    if not body.stream:
        answer = assistant.ask(question, history=history, top_k=body.top_k, only=only)
        metrics.answer(answer)
        return openai_compat.completion(answer, body.model, question, body.limits())
    pieces = _observed(assistant.stream(question, history=history, top_k=body.top_k, only=only), metrics)
    # Run up to the first piece now, so errors get a proper status, not a broken stream.
    first = next(pieces)
    usage = bool(body.stream_options and body.stream_options.include_usage)
    events = openai_compat.stream_events(itertools.chain([first], pieces), body.model, question, body.limits(),
                                         include_usage=usage)  # fmt: skip
    return StreamingResponse(events, media_type="text/event-stream", headers={"Cache-Control": "no-cache"})


# Answers one /v1/eval request may take, earlier questions of conversations and parts of
# questions asking several things counted (some 30 s at 30 ms each); and earlier questions
# one line may list (`assistant eval`, on the server's own disk, takes any).
MAX_EVAL_ASKS = 1000
MAX_CONVERSATION = 20


@router.post("/eval", summary="Score the assistant on a question set; returns per-question results and a summary")
def evaluate(body: EvalRequest, services: ServicesDep, access: AccessDep) -> dict[str, Any]:
    assistant = readable(services, access, body.collection).assistant
    questions = [parse_item(item, f"questions[{i}]") for i, item in enumerate(body.questions)]
    for i, q in enumerate(questions):
        if len(q.conversation) > MAX_CONVERSATION:
            raise QuestionSetError(f'questions[{i}]: "conversation" lists {len(q.conversation)} earlier questions; '
                                   f"at most {MAX_CONVERSATION} are asked (each is answered in turn)")  # fmt: skip
    if (asked := asks_in_all(questions)) > MAX_EVAL_ASKS:
        # The run holds its worker thread to the end, whether or not the client waits.
        raise QuestionSetError(f"The set asks {asked} questions in all, earlier questions of conversations and "
                               f"parts of questions counted; /v1/eval asks at most {MAX_EVAL_ASKS} a request: send "
                               "it in parts, or run `assistant eval` on the server.")  # fmt: skip
    return Evaluator(assistant, body.top_k).run(questions).to_json()


@router.get("/models", summary="One model per collection this key may read (for OpenAI clients)")
def models(services: ServicesDep, access: AccessDep) -> dict[str, Any]:
    return openai_compat.models_list(access.readable(services.collections.names()))


@router.get("/models/{model_id:path}", summary="One model by name; 404 model_not_found for names not listed")
def model(model_id: str, services: ServicesDep, access: AccessDep) -> dict[str, Any]:
    _by_model(model_id, services, access)
    return openai_compat.model_object(model_id)


def _by_model(model: str, services: Services, access: Access) -> Application:
    """The collection a model name answers from, when the key may read it; else 404 model_not_found."""
    name = openai_compat.collection_of(model)
    if name is None or not access.can_read(name):
        raise openai_compat.model_not_found(model)
    try:
        return services.collection(name)
    except UnknownCollectionError:
        raise openai_compat.model_not_found(model) from None


def _observed(pieces: Iterator[str | Answer], metrics: Metrics) -> Iterator[str | Answer]:
    """A streamed answer's pieces, its final answer counted as it passes."""
    for piece in pieces:
        if isinstance(piece, Answer):
            metrics.answer(piece)
        yield piece
