"""Documents: listing, uploads as jobs, deletes, and `assistant ingest` beside the server."""

from __future__ import annotations

import hmac
from pathlib import Path
from typing import Any

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import JSONResponse

from ..errors import ApiError
from ..jobs import IngestJob
from ..remote import LOCAL_HEADER
from ..schemas import DocumentList, DocumentOut, IngestPathsRequest, IngestSummary, JobList, JobOut
from .deps import ServicesDep

router = APIRouter()

_WAIT_S = 600  # `?wait=true` answers within this; past it, the job's state (202) as without


@router.get("/documents", response_model=DocumentList, summary="What is indexed, with chunk counts")
def list_documents(services: ServicesDep) -> DocumentList:
    records = services.documents.indexed()
    return DocumentList(
        documents=[DocumentOut(id=r.id, source=r.source, title=r.title, chunks=r.chunks) for r in records],
        chunks=services.assistant.store.count(),
    )


@router.post("/documents", response_model=JobOut, status_code=202,
             responses={200: {"model": IngestSummary, "description": "With `?wait=true`: what the upload changed"}},
             summary="Upload files; they are ingested by a job (202, poll GET /v1/jobs/{id})")  # fmt: skip
def upload_documents(services: ServicesDep, files: list[UploadFile] = File(...), wait: bool = False) -> Any:  # noqa: B008
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


@router.get("/jobs", response_model=JobList, summary="The latest upload jobs, newest first")
def list_jobs(services: ServicesDep) -> JobList:
    return JobList(jobs=[JobOut(**job.to_json()) for job in services.jobs.recent()])


@router.get("/jobs/{job_id}", response_model=JobOut, summary="An upload job: status, progress, result or error")
def get_job(job_id: str, services: ServicesDep) -> JSONResponse:
    job = services.jobs.get(job_id)
    if job is None:
        raise ApiError(404, "job_not_found", f"No upload job has the id {job_id!r}. Jobs are kept in memory for "
                       "the latest uploads until the server restarts; list them with GET /v1/jobs, and the "
                       "documents with GET /v1/documents.")  # fmt: skip
    return _job_response(job, 200)


@router.delete("/documents/{document_id}", response_model=DocumentOut, summary="Remove a document from the index")
def delete_document(document_id: str, services: ServicesDep) -> DocumentOut:
    record = services.documents.delete(document_id)
    return DocumentOut(id=record.id, source=record.source, title=record.title, chunks=record.chunks)


@router.post("/ingest", response_model=IngestSummary, include_in_schema=False)
def ingest_paths(body: IngestPathsRequest, request: Request, services: ServicesDep) -> Any:
    """`assistant ingest` beside the server: paths on the server's own disk, for a
    client holding the token the server left in the data folder (so it could read
    the index anyway); anyone else uploads files with POST /v1/documents."""
    if not hmac.compare_digest(request.headers.get(LOCAL_HEADER, ""), services.local_token):
        raise ApiError(403, "local_only", "Ingesting paths on the server's disk is for `assistant ingest` on "
                       "the same machine; upload files with POST /v1/documents instead.")  # fmt: skip
    return services.documents.ingest([Path(p) for p in body.paths]).to_json()


def _job_response(job: IngestJob, status: int) -> JSONResponse:
    body = JobOut(**job.to_json()).model_dump()
    return JSONResponse(body, status_code=status, headers={"Location": f"/v1/jobs/{job.id}"})
