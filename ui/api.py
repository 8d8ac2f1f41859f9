"""The HTTP API: native ``/v1/ask``, OpenAI-compatible ``/v1/chat/completions``,
document management, and health probes.

Routes are thin: parse, one call into the core, render. Every error is JSON in
OpenAI's ``{"error": {"message", "type", "code", "param"}}`` shape with a status that
fits and a message that says what to do; a traceback never leaves the server.

    >>> app = create_app(open_services(Settings()))
    >>> # uvicorn ui.server:app  (see `assistant serve`)
"""

from __future__ import annotations

import hmac
import itertools
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI, File, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, PlainTextResponse, Response, StreamingResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from assistant.answer import Answer
from assistant.conversation import Turn
from assistant.evaluation import Evaluator, parse_item
from core.errors import AssistantError

from . import openai_compat
from .errors import ApiError, assistant_error_response, error_response
from .jobs import IngestJob
from .limits import Admission, BodySizeLimit
from .metrics import CONTENT_TYPE, Metrics
from .remote import LOCAL_HEADER
from .text_input import UnicodeChecked
from .wiring import Services

log = logging.getLogger("assistant.api")


class AskRequest(UnicodeChecked):
    question: str = Field(description="What to ask about the indexed documents.")
    history: list[Turn] = Field([], description="Earlier turns of the conversation, oldest first.")
    top_k: int | None = Field(None, ge=1, le=50, description="Passages an answer cites at most.")


class EvalRequest(UnicodeChecked):
    questions: list[dict[str, Any]] = Field(
        min_length=1, max_length=500, description="Question objects, as in a JSONL set (id, question, answer, ...)."
    )
    top_k: int | None = Field(None, ge=1, le=50)


class IngestPathsRequest(UnicodeChecked):
    paths: list[str] = Field(min_length=1, max_length=100, description="Files or folders on the server's own disk.")


class DocumentOut(BaseModel):
    id: str
    source: str
    title: str
    chunks: int


class DocumentList(BaseModel):
    documents: list[DocumentOut]
    chunks: int


class IngestSummary(BaseModel):
    added: list[str]
    updated: list[str]
    unchanged: list[str]
    removed: list[str]
    failed: list[dict[str, str]]
    chunks: int


class JobProgress(BaseModel):
    files_done: int = Field(description="Files stored so far.")
    files_total: int
    chunks: int = Field(description="Passages the stored files hold.")


class JobError(BaseModel):
    code: str = Field(description="The error code the API uses for it, e.g. invalid_upload.")
    message: str


class JobOut(BaseModel):
    id: str
    object: str = "ingest.job"
    status: str = Field(description="queued, running, done or failed.")
    created: float = Field(description="Unix time the upload was accepted.")
    started: float | None
    finished: float | None
    progress: JobProgress
    result: IngestSummary | None = Field(description="When done: what the upload changed.")
    error: JobError | None = Field(description="When failed: why; nothing of the upload was stored.")


class JobList(BaseModel):
    jobs: list[JobOut]


_WAIT_S = 600  # `?wait=true` answers within this; past it, the job's state (202) as without


def create_app(services: Services) -> FastAPI:
    settings = services.settings
    app = FastAPI(
        title="Grounded Assistant API",
        description="Answers from your documents, every sentence cited. OpenAI-compatible chat completions.",
        version="0.1.0",
    )
    app.state.services = services
    metrics = app.state.metrics = Metrics(services)

    v1 = APIRouter(prefix="/v1")  # keys are checked by `Admission`, before the body is read

    @v1.post("/ask", response_model=Answer, summary="Answer a question with cited passages")
    def ask(body: AskRequest) -> Answer:
        answer = services.assistant.ask(body.question, history=body.history, top_k=body.top_k)
        metrics.answer(answer)
        return answer

    @v1.post("/chat/completions", summary="OpenAI-compatible chat completion (streaming with stream: true)")
    def chat_completions(body: openai_compat.ChatCompletionRequest) -> Any:
        openai_compat.check_request(body)
        question, history = openai_compat.question_and_history(body, settings.max_history_turns)
        if not body.stream:
            answer = services.assistant.ask(question, history=history, top_k=body.top_k)
            metrics.answer(answer)
            return openai_compat.completion(answer, body.model, question, body.limits())
        pieces = _observed(services.assistant.stream(question, history=history, top_k=body.top_k), metrics)
        # Run up to the first piece now, so errors get a proper status, not a broken stream.
        first = next(pieces)
        usage = bool(body.stream_options and body.stream_options.include_usage)
        events = openai_compat.stream_events(itertools.chain([first], pieces), body.model, question, body.limits(),
                                             include_usage=usage)  # fmt: skip
        return StreamingResponse(events, media_type="text/event-stream", headers={"Cache-Control": "no-cache"})

    @v1.post("/eval", summary="Score the assistant on a question set; returns per-question results and a summary")
    def evaluate(body: EvalRequest) -> dict[str, Any]:
        questions = [parse_item(item, f"questions[{i}]") for i, item in enumerate(body.questions)]
        return Evaluator(services.assistant, body.top_k).run(questions).to_json()

    @v1.post("/ingest", response_model=IngestSummary, include_in_schema=False)
    def ingest_paths(body: IngestPathsRequest, request: Request) -> Any:
        """`assistant ingest` beside the server: paths on the server's own disk, for a
        client holding the token the server left in the data folder (so it could read
        the index anyway); anyone else uploads files with POST /v1/documents."""
        if not hmac.compare_digest(request.headers.get(LOCAL_HEADER, ""), services.local_token):
            raise ApiError(403, "local_only", "Ingesting paths on the server's disk is for `assistant ingest` on "
                           "the same machine; upload files with POST /v1/documents instead.")  # fmt: skip
        return services.documents.ingest([Path(p) for p in body.paths]).to_json()

    @v1.get("/models", summary="The one model this server offers (for OpenAI clients)")
    def models() -> dict[str, Any]:
        return openai_compat.models_list()

    @v1.get("/models/{model_id:path}", summary="One model by name; 404 model_not_found for names not listed")
    def model(model_id: str) -> dict[str, Any]:
        return openai_compat.model_object(model_id)

    @v1.get("/documents", response_model=DocumentList, summary="What is indexed, with chunk counts")
    def list_documents() -> DocumentList:
        records = services.documents.indexed()
        return DocumentList(
            documents=[DocumentOut(id=r.id, source=r.source, title=r.title, chunks=r.chunks) for r in records],
            chunks=services.assistant.store.count(),
        )

    @v1.post("/documents", response_model=JobOut, status_code=202,
             responses={200: {"model": IngestSummary, "description": "With `?wait=true`: what the upload changed"}},
             summary="Upload files; they are ingested by a job (202, poll GET /v1/jobs/{id})")  # fmt: skip
    def upload_documents(files: list[UploadFile] = File(...), wait: bool = False) -> Any:  # noqa: B008
        job = services.jobs.submit([(f.filename or "", f.file.read()) for f in files])
        if wait:
            job = services.jobs.wait(job.id, _WAIT_S)
            if job.status == "done":
                return JSONResponse(IngestSummary(**job.result).model_dump())  # type: ignore[arg-type]
            if job.error_code == "internal_error":
                raise ApiError(500, "internal_error", str(job.error))
            if job.error is not None:
                raise job.error
        return _job_response(job, 202)

    @v1.get("/jobs", response_model=JobList, summary="The latest upload jobs, newest first")
    def list_jobs() -> JobList:
        return JobList(jobs=[JobOut(**job.to_json()) for job in services.jobs.recent()])

    @v1.get("/jobs/{job_id}", response_model=JobOut, summary="An upload job: status, progress, result or error")
    def get_job(job_id: str) -> JSONResponse:
        job = services.jobs.get(job_id)
        if job is None:
            raise ApiError(404, "job_not_found", f"No upload job has the id {job_id!r}. Jobs are kept in memory for "
                           "the latest uploads until the server restarts; list them with GET /v1/jobs, and the "
                           "documents with GET /v1/documents.")  # fmt: skip
        return _job_response(job, 200)

    @v1.delete("/documents/{document_id}", response_model=DocumentOut, summary="Remove a document from the index")
    def delete_document(document_id: str) -> DocumentOut:
        record = services.documents.delete(document_id)
        return DocumentOut(id=record.id, source=record.source, title=record.title, chunks=record.chunks)

    # The chat page is mounted at "/", so without this an unknown /v1 path, or a known
    # one with another method, would go to the page (an HTML 404, and its CORS rules).
    @v1.api_route(_CATCH_ALL.removeprefix("/v1"), methods=_ANY_METHOD, include_in_schema=False)
    def unknown(request: Request, path: str) -> None:
        allowed = _allowed_methods(v1, request.url.path)
        if allowed:
            raise ApiError(405, "method_not_allowed", f"{request.method} is not allowed on {request.url.path}; use "
                           f"{', '.join(allowed)}.", {"Allow": ", ".join(allowed)})  # fmt: skip
        raise ApiError(404, "http_error", f"No route /v1/{path}; see /docs for the API.")

    app.include_router(v1)

    @app.get("/metrics", summary="Prometheus metrics: requests, answers by mode and stage, index size, upload jobs",
             response_class=PlainTextResponse)  # fmt: skip
    def prometheus() -> Response:
        return Response(metrics.exposition(), media_type=CONTENT_TYPE)

    @app.get("/healthz", summary="The process is alive")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz", summary="Store reachable, index not empty, model loaded (and the LLM's state)")
    def readyz() -> JSONResponse:
        checks: dict[str, Any] = {"model_loaded": services.assistant.model_loaded}
        # Reported, never required: without the LLM, answers fall back to extractive.
        llm = services.assistant.llm
        checks["llm"] = llm.ping() if llm else "not configured"
        try:
            checks["chunks"] = services.assistant.store.count()
            checks["store"] = "ok"
        except Exception as err:  # the store is a dependency; its failure is reported, not raised
            checks["store"], checks["chunks"] = f"unreachable ({type(err).__name__})", 0
        ready = checks["store"] == "ok" and checks["chunks"] > 0 and checks["model_loaded"]
        message = "ready" if ready else "not ready: " + _not_ready_reason(checks)
        return JSONResponse({"status": message, "checks": checks}, status_code=200 if ready else 503)

    _install_error_handlers(app)
    app.add_middleware(Admission, keys=settings.api_keys, limit=settings.max_concurrent_requests,
                       max_mb=settings.max_upload_mb, read_timeout_s=settings.body_read_timeout_s)  # fmt: skip
    app.add_middleware(BodySizeLimit, max_mb=settings.max_upload_mb, skip_prefix="/v1/")
    # Always installed, even with no origins: then it refuses every cross-origin request,
    # and the chat page's own CORS rules (which let any localhost origin in) stand down.
    app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["*"],
                       allow_headers=["Authorization", "Content-Type"])  # fmt: skip
    return app


def _job_response(job: IngestJob, status: int) -> JSONResponse:
    body = JobOut(**job.to_json()).model_dump()
    return JSONResponse(body, status_code=status, headers={"Location": f"/v1/jobs/{job.id}"})


_CATCH_ALL = "/v1/{path:path}"
_ANY_METHOD = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


def _observed(pieces: Iterator[str | Answer], metrics: Metrics) -> Iterator[str | Answer]:
    """A streamed answer's pieces, its final answer counted as it passes."""
    for piece in pieces:
        if isinstance(piece, Answer):
            metrics.answer(piece)
        yield piece


def _allowed_methods(router: APIRouter, path: str) -> list[str]:
    """The methods the router's routes (not the catch-all) answer on ``path``."""
    methods: set[str] = set()
    for route in router.routes:
        if isinstance(route, APIRoute) and route.path != _CATCH_ALL and route.path_regex.match(path):
            methods |= route.methods or set()
    return sorted(methods)


def _not_ready_reason(checks: dict[str, Any]) -> str:
    if checks["store"] != "ok":
        return f"the vector store is {checks['store']}"
    if not checks["chunks"]:
        return "the index is empty; run `assistant ingest PATH` or upload documents"
    return "the embedding model is still loading"


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(_: Request, err: ApiError) -> JSONResponse:
        return error_response(err.status, err.code, err.message, err.headers, err.param)

    @app.exception_handler(AssistantError)
    async def _assistant_error(_: Request, err: AssistantError) -> JSONResponse:
        return assistant_error_response(err)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, err: RequestValidationError) -> JSONResponse:
        problems = []
        for item in err.errors()[:3]:
            where = ".".join(str(p) for p in item.get("loc", ()) if p != "body")
            problems.append(f"{where}: {item.get('msg', 'invalid')}" if where else str(item.get("msg", "invalid")))
        return error_response(422, "invalid_request", "Invalid request: " + "; ".join(problems))

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, err: StarletteHTTPException) -> JSONResponse:
        messages = {404: "No such route; see /docs for the API.", 405: "Method not allowed on this route."}
        return error_response(err.status_code, "http_error", messages.get(err.status_code, str(err.detail)))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, err: Exception) -> JSONResponse:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return error_response(500, "internal_error", "Internal error; the server log has the details.")
