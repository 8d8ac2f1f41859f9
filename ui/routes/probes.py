"""Outside ``/v1``: Prometheus metrics and the liveness and readiness probes."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response

from ..errors import ApiError
from ..metrics import CONTENT_TYPE
from .deps import MetricsDep, ServicesDep

router = APIRouter()
_OTHER_METHODS = ["POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


@router.get("/metrics", summary="Prometheus metrics: requests, answers by mode and stage, index size, upload jobs",
            response_class=PlainTextResponse)  # fmt: skip
def prometheus(metrics: MetricsDep) -> Response:
    return Response(metrics.exposition(), media_type=CONTENT_TYPE)


@router.get("/healthz", summary="The process is alive")
async def healthz() -> dict[str, str]:  # on the event loop: a liveness probe never queues for a thread
    return {"status": "ok"}


@router.get("/readyz", summary="Store reachable, index not empty, model loaded (and the LLM's state)")
def readyz(services: ServicesDep) -> JSONResponse:
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


def _not_ready_reason(checks: dict[str, Any]) -> str:
    if checks["store"] != "ok":
        return f"the vector store is {checks['store']}"
    if not checks["chunks"]:
        return "the index is empty; run `assistant ingest PATH` or upload documents"
    return "the embedding model is still loading"


# Any other method on a probe or the metrics is answered here, in the API's error shape; the
# chat page mounted at "/" would answer it with a 404 of its own.
@router.api_route("/healthz", methods=_OTHER_METHODS, include_in_schema=False)
@router.api_route("/readyz", methods=_OTHER_METHODS, include_in_schema=False)
@router.api_route("/metrics", methods=_OTHER_METHODS, include_in_schema=False)
def other_method(request: Request) -> None:
    raise ApiError(405, "method_not_allowed", f"{request.method} is not allowed on {request.url.path}; use GET or "
                   "HEAD.", {"Allow": "GET, HEAD"})  # fmt: skip
