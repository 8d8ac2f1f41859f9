"""Documents: listing, uploads as jobs, deletes, and `assistant ingest` beside the server."""

from __future__ import annotations

import hmac
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Query, Request, UploadFile
from fastapi.responses import JSONResponse

from assistant.collections import DEFAULT

from ..errors import ApiError
from ..jobs import IngestJob
from ..remote import LOCAL_HEADER
from ..schemas import DocumentList, DocumentOut, IngestPathsRequest, IngestSummary, JobList, JobOut
from .deps import AccessDep, ServicesDep, readable, writable

router = APIRouter()

_WAIT_S = 600  # `?wait=true` answers within this; past it, the job's state (202) as without


CollectionQuery = Annotated[str, Query(description="The collection (GET /v1/collections); default: default.")]


@router.get("/documents", response_model=DocumentList, summary="What a collection holds, with chunk counts")
def list_documents(services: ServicesDep, access: AccessDep, collection: CollectionQuery = DEFAULT) -> DocumentList:
    app = readable(services, access, collection)
    records = app.documents.indexed()
    return DocumentList(
        documents=[DocumentOut(id=r.id, source=r.source, title=r.title, chunks=r.chunks) for r in records],
        chunks=app.assistant.store.count(),
    )


@router.post("/documents", response_model=JobOut, status_code=202,
             responses={200: {"model": IngestSummary, "description": "With `?wait=true`: what the upload changed"}},
             summary="Upload files to a collection; they are ingested by a job (202, poll GET /v1/jobs/{id})")  # fmt: skip
def upload_documents(services: ServicesDep, access: AccessDep, files: list[UploadFile] = File(...),  # noqa: B008
                     wait: bool = False, collection: CollectionQuery = DEFAULT) -> Any:  # fmt: skip
    app = writable(services, access, collection)
    job = services.jobs.submit([(f.filename or "", f.file.read()) for f in files], app.documents, collection)
    if wait:
        job = services.jobs.wait(job.id, _WAIT_S)
        if job.status == "done":
            return JSONResponse(IngestSummary(**job.result).model_dump())  # type: ignore[arg-type]
        if job.error_code == "internal_error":
            raise ApiError(500, "internal_error", str(job.error))
        if job.error is not None:
            raise job.error
    return _job_response(job, 202)


@router.get("/jobs", response_model=JobList, summary="The latest upload jobs (to collections this key may read)")
def list_jobs(services: ServicesDep, access: AccessDep) -> JobList:
    jobs = [job for job in services.jobs.recent(limit=10_000) if access.can_read(job.collection)][:20]
    return JobList(jobs=[JobOut(**job.to_json()) for job in jobs])


@router.get("/jobs/{job_id}", response_model=JobOut, summary="An upload job: status, progress, result or error")
def get_job(job_id: str, services: ServicesDep, access: AccessDep) -> JSONResponse:
    job = services.jobs.get(job_id)
    if job is None or not access.can_read(job.collection):
        raise ApiError(404, "job_not_found", f"No upload job has the id {job_id!r}. Jobs are kept in memory for "
                       "the latest uploads until the server restarts; list them with GET /v1/jobs, and the "
                       "documents with GET /v1/documents.")  # fmt: skip
    return _job_response(job, 200)


@router.delete("/documents/{document_id}", response_model=DocumentOut, summary="Remove a document from a collection")
def delete_document(document_id: str, services: ServicesDep, access: AccessDep,
                    collection: CollectionQuery = DEFAULT) -> DocumentOut:  # fmt: skip
    record = writable(services, access, collection).documents.delete(document_id)
    return DocumentOut(id=record.id, source=record.source, title=record.title, chunks=record.chunks)


@router.post("/ingest", response_model=IngestSummary, include_in_schema=False)
def ingest_paths(body: IngestPathsRequest, request: Request, services: ServicesDep, access: AccessDep) -> Any:
    """`assistant ingest` beside the server: paths on the server's own disk, for a
    client holding the token the server left in the data folder (so it could read
    the index anyway); anyone else uploads files with POST /v1/documents."""
    if not hmac.compare_digest(request.headers.get(LOCAL_HEADER, ""), services.local_token):
        raise ApiError(403, "local_only", "Ingesting paths on the server's disk is for `assistant ingest` on "
                       "the same machine; upload files with POST /v1/documents instead.")  # fmt: skip
    if not access.can_write(body.collection):
        writable(services, access, body.collection)  # 404 or 403, as for an upload
    app = services.collections.ensure(body.collection)  # `assistant ingest --collection` creates it
    return app.documents.ingest([Path(p) for p in body.paths]).to_json()


def _job_response(job: IngestJob, status: int) -> JSONResponse:
    body = JobOut(**job.to_json()).model_dump()
    return JSONResponse(body, status_code=status, headers={"Location": f"/v1/jobs/{job.id}"})
