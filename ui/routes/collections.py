"""Collections: list those the key may read, create, delete."""

from __future__ import annotations

from fastapi import APIRouter

from assistant.collections import CollectionInfo

from .. import openai_compat
from ..errors import ApiError
from ..schemas import CollectionCreate, CollectionList, CollectionOut
from .deps import AccessDep, ServicesDep, readable, writable

router = APIRouter()


def _out(info: CollectionInfo) -> CollectionOut:
    return CollectionOut(name=info.name, documents=info.documents, chunks=info.chunks,
                         model=openai_compat.model_name(info.name))  # fmt: skip


@router.get("/collections", response_model=CollectionList,
            summary="The collections this key may read, with document and passage counts")  # fmt: skip
def list_collections(services: ServicesDep, access: AccessDep) -> CollectionList:
    names = access.readable(services.collections.names())
    return CollectionList(data=[_out(services.collections.info(name)) for name in names])


@router.post("/collections", response_model=CollectionOut, status_code=201, summary="Create an empty collection")
def create_collection(body: CollectionCreate, services: ServicesDep, access: AccessDep) -> CollectionOut:
    if not access.can_write(body.name):
        raise ApiError(403, "collection_forbidden", f"This key may not create the collection {body.name!r}; use a "
                       "key that may write to it.", param="name")  # fmt: skip
    services.collections.create(body.name)
    return _out(services.collections.info(body.name))


@router.get("/collections/{name}", response_model=CollectionOut, summary="One collection with its counts")
def get_collection(name: str, services: ServicesDep, access: AccessDep) -> CollectionOut:
    readable(services, access, name, param="name")
    return _out(services.collections.info(name))


@router.delete("/collections/{name}", response_model=CollectionOut,
               summary="Delete a collection with its documents (not default); answers what it held")  # fmt: skip
def delete_collection(name: str, services: ServicesDep, access: AccessDep) -> CollectionOut:
    writable(services, access, name, param="name")
    return _out(services.collections.delete(name))
