"""What a route needs from the app, as FastAPI dependencies, and the one way a route
reaches a collection: through what the caller's key may read or write."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from assistant.app import Application
from core.errors import UnknownCollectionError

from ..errors import ApiError
from ..keys import ALL, NONE, OPEN, Access
from ..limits import ACCESS, OWNER
from ..metrics import Metrics
from ..wiring import Services


def _services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


def _metrics(request: Request) -> Metrics:
    metrics: Metrics = request.app.state.metrics
    return metrics


def _access(request: Request) -> Access:
    """What the request's key may reach, as ``Admission`` found it; a request it did
    not see reaches nothing while keys are required."""
    access: Access | None = request.scope.get("state", {}).get(ACCESS)
    if access is None:
        return NONE if _services(request).keys.required else ALL
    return access


def _owner(request: Request) -> str:
    """Whose saved conversations the request reaches: its key's (``Admission`` noted it)."""
    owner: str = request.scope.get("state", {}).get(OWNER, OPEN)
    return owner


ServicesDep = Annotated[Services, Depends(_services)]
OwnerDep = Annotated[str, Depends(_owner)]
MetricsDep = Annotated[Metrics, Depends(_metrics)]
AccessDep = Annotated[Access, Depends(_access)]


def not_found(name: str, param: str = "collection") -> ApiError:
    """The same answer for a collection that does not exist and one the key may not read,
    so a key learns nothing of collections beyond its own."""
    return ApiError(404, "collection_not_found", f"No collection is named {name!r}; GET /v1/collections lists those "
                    "you may use.", param=param)  # fmt: skip


def readable(services: Services, access: Access, name: str, param: str = "collection") -> Application:
    """Collection ``name`` when the caller may read it, else 404."""
    if not access.can_read(name):
        raise not_found(name, param)
    try:
        return services.collection(name)
    except UnknownCollectionError:
        raise not_found(name, param) from None


def writable(services: Services, access: Access, name: str, param: str = "collection") -> Application:
    """Collection ``name`` when the caller may change it: 404 when it may not even read
    it, 403 when it may only read it."""
    app = readable(services, access, name, param)
    if not access.can_write(name):
        raise ApiError(403, "collection_read_only", f"This key may read the collection {name!r} but not change it; "
                       "use a key that may write to it.", param=param)  # fmt: skip
    return app
