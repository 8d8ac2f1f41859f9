"""Answers: native ``/v1/ask``, OpenAI-compatible chat completions and models, evaluation."""

from __future__ import annotations

import asyncio
import itertools
import threading
import time
from collections.abc import AsyncIterator, Generator, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import anyio
from fastapi import APIRouter
from fastapi.responses import StreamingResponse

from assistant.answer import Answer
from assistant.app import Application
from assistant.evaluation import Evaluator, QuestionSetError, asks_in_all, parse_item
from assistant.llm import CLIENT_LEFT
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
    # Seen by the model's reply reader, which runs in this request's context from here on.
    left = threading.Event()
    CLIENT_LEFT.set(left)
    pieces = _observed(assistant.stream(question, history=history, top_k=body.top_k, only=only), metrics)
    # Run up to the first piece now, so errors get a proper status, not a broken stream.
    first = next(pieces)
    usage = bool(body.stream_options and body.stream_options.include_usage)
    events = openai_compat.stream_events(itertools.chain([first], pieces), body.model, question, body.limits(),
                                         include_usage=usage)  # fmt: skip
    return StreamingResponse(_until_left(events, pieces, left), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache"})  # fmt: skip


# How long an event stream may stay silent before a comment line is sent.
KEEP_ALIVE_S = 1.0
# The threads streamed answers are made in: one a stream, and one an abandoned stream may
# hold a little longer. Not asyncio's default pool (a handful of threads on a small machine,
# which streams waiting on a model would queue for).
_STREAM_WORKERS = ThreadPoolExecutor(max_workers=128, thread_name_prefix="stream")


async def _until_left(
    events: Iterator[str], pieces: Iterator[str | Answer], left: threading.Event
) -> AsyncIterator[str]:
    """``events``, each made in a worker thread; once they end, or the client leaves, the
    model's reply is abandoned and both generators closed, before the response (and the
    request's slot) ends. Left to Starlette, a sync generator was dropped unclosed when the
    client went: the model's reply was read on to its end, while the slot went to the next
    client."""
    loop = asyncio.get_running_loop()
    making: asyncio.Future[str | None] | None = None
    try:
        while True:
            # Abandoned when the client leaves: the worker may be waiting on the model's words.
            making = loop.run_in_executor(_STREAM_WORKERS, next, events, None)
            while not (await asyncio.wait({making}, timeout=KEEP_ALIVE_S))[0]:
                # A comment line, which clients skip: writing is how a server learns that the
                # client left, and a model can take seconds over its first sentence.
                yield ": keep-alive\n\n"
            if (event := making.result()) is None:
                return
            yield event
    finally:
        left.set()
        if making is not None:
            # An abandoned piece ends in ``ClientLeft``, which nobody awaits: read, it is not
            # logged as an exception never retrieved.
            making.add_done_callback(lambda done: done.cancelled() or done.exception())
        with anyio.CancelScope(shield=True):  # the client left: the request's task is being cancelled
            await anyio.to_thread.run_sync(_close, events, pieces)


def _close(*generators: Iterator[Any]) -> None:
    for generator in generators:
        while getattr(generator, "gi_running", False):  # an abandoned worker's piece, ending within ``_LOOK_S``
            time.sleep(0.02)
        if isinstance(generator, Generator):
            generator.close()


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


def _observed(pieces: Iterator[str | Answer], metrics: Metrics) -> Generator[str | Answer]:
    """A streamed answer's pieces, its final answer counted as it passes."""
    for piece in pieces:
        if isinstance(piece, Answer):
            metrics.answer(piece)
        yield piece
