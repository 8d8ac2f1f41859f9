"""One ASGI app: the API under ``/v1``, health probes, OpenAPI docs at ``/docs``, and
the chat page at ``/``, all on one set of services built once.

    $ assistant serve --host 127.0.0.1 --port 8000
"""

from __future__ import annotations

from fastapi import FastAPI

from assistant.settings import Settings
from vectorstore.embeddings import Embedder

from .api import create_app
from .limits import key_matches
from .web import CSS, build_web, gr
from .wiring import Services, open_services


def build_app(services: Services) -> FastAPI:
    """The API and the web page over ``services``; the model is loaded before serving."""
    services.assistant.warm_up()
    app = create_app(services)
    keys = services.settings.api_keys

    def check(_user: str, password: str) -> bool:
        return key_matches(password, keys)

    return gr.mount_gradio_app(
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


def create_server_app(settings: Settings | None = None, embedder: Embedder | None = None) -> FastAPI:
    return build_app(open_services(settings or Settings(), embedder=embedder))
