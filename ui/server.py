"""One ASGI app: the API under ``/v1``, health probes, OpenAPI docs at ``/docs``, and
the chat page at ``/``, all on one set of services built once.

    $ assistant serve --host 127.0.0.1 --port 8000
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from starlette.routing import Mount
from starlette.types import ASGIApp, Receive, Scope, Send

from assistant.settings import Settings
from vectorstore.embeddings import Embedder

from .api import create_app
from .limits import Refused, key_matches
from .reconcile import reconcile_uploads
from .web import CSS, build_web, gr
from .wiring import Services, open_services


def build_app(services: Services) -> FastAPI:
    """The API and the web page over ``services``; the model is loaded, and the uploads
    folder reconciled with the index (what a killed server left half done), before serving."""
    services.assistant.warm_up()
    reconcile_uploads(services.app)
    services.jobs  # noqa: B018 - made now, before two requests could make one each
    app = create_app(services)
    keys = services.settings.api_keys

    def check(_user: str, password: str) -> bool:
        return key_matches(password, keys)

    gr.mount_gradio_app(
        app,
        build_web(services),
        path="/",
        auth=check if keys else None,
        auth_message="Sign in with any user name and an API key as the password.",
        css=CSS,
        footer_links=[],
        show_error=True,
        ssr_mode=False,
    )
    if keys:
        page = next(route.app for route in app.routes if isinstance(route, Mount) and route.path == "")
        app.add_middleware(SignedInOnly, page=page, prefixes=_SIGNED_IN_ONLY)
    return app


# Page routes that gradio leaves open even with sign-in on: the heartbeat holds an
# event stream open for as long as the client likes.
_SIGNED_IN_ONLY = ("/gradio_api/heartbeat/",)


class SignedInOnly:
    """Refuse ``prefixes`` (401) to a client without a signed-in chat page session."""

    def __init__(self, app: ASGIApp, page: Any, prefixes: tuple[str, ...]):
        self.app, self.page, self.prefixes = app, page, prefixes

    def _signed_in(self, scope: Scope) -> bool:
        cookies = Request(scope).cookies
        names = (f"access-token-{self.page.cookie_id}", f"access-token-unsecure-{self.page.cookie_id}")
        return any(self.page.tokens.get(cookies.get(name, "")) is not None for name in names)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = str(scope.get("path", ""))
        if scope["type"] == "http" and path.startswith(self.prefixes) and not self._signed_in(scope):
            await Refused(401, "not_signed_in", "Sign in on the chat page first: any user name, an API key as the "
                          "password.").send(send)  # fmt: skip
            return
        await self.app(scope, receive, send)


def create_server_app(settings: Settings | None = None, embedder: Embedder | None = None) -> FastAPI:
    return build_app(open_services(settings or Settings(), embedder=embedder))
