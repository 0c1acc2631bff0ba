"""The FastAPI application: ``create_app(settings)`` wires everything; nothing happens at import.

Run the embedded default with::

    uvicorn --factory api.app:app_from_env

Startup (lifespan): migrate the database to head, requeue scans interrupted by a crash, start
the in-process scan worker (which loads the model in its own thread). Shutdown: let the worker
finish its current scan, then close the database pool.
"""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.db.migrate import upgrade_to_head
from api.routes import health, photos, signs, web
from api.routes.error_handlers import install_error_handlers
from api.services.container import AppServices
from api.services.jobs import resume_interrupted
from api.services.pricing import Pricer, tax_engine_pricer
from api.services.scanning import Scanner
from api.settings import Settings
from api.web import STATIC_DIR, build_templates

log = logging.getLogger(__name__)

# Nothing may load from outside this server (the UI must work on an offline municipal LAN).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'"
)
WORKER_STOP_TIMEOUT_S = 60.0


def create_app(
    settings: Settings, *, scanner: Scanner | None = None, pricer: Pricer | None = None
) -> FastAPI:
    """Build the service. ``scanner``/``pricer`` replace the real model and tax engine (tests).

    Without ``scanner`` the worker loads one from ``settings.model_dir`` in its thread, and
    loads the promoted one when that folder's PRODUCTION pointer changes.
    """

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        services = await run_in_threadpool(_start, settings, scanner, pricer or tax_engine_pricer)
        app.state.services = services
        try:
            yield
        finally:
            await run_in_threadpool(_stop, services)

    app = FastAPI(
        title="SignTax",
        summary="Signboard tax (ภาษีป้าย): find, measure and price signs from street photos",
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,  # Swagger UI loads from a CDN; the schema stays at /openapi.json
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.templates = build_templates()
    install_error_handlers(app)
    app.include_router(health.router)
    app.include_router(photos.router)
    app.include_router(signs.router)
    app.include_router(web.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    app.add_middleware(SecurityHeaders)
    return app


class SecurityHeaders:
    """Pure ASGI middleware adding the CSP and friends to every response."""

    HEADERS = (
        ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "same-origin"),
    )

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.HEADERS:
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _start(settings: Settings, scanner: Scanner | None, pricer: Pricer) -> AppServices:
    settings.photos_path.mkdir(parents=True, exist_ok=True)
    services = AppServices.build(settings, scanner=scanner, pricer=pricer)
    try:
        upgrade_to_head(services.db.engine)
        resume_interrupted(services.db)
    except BaseException:
        services.db.dispose()
        raise
    services.worker.start()
    log.info(
        "SignTax started: database %s, photos in %s, model %s",
        services.db.dialect,
        settings.photos_path,
        settings.model_dir,
    )
    return services


def _stop(services: AppServices) -> None:
    services.worker.stop(WORKER_STOP_TIMEOUT_S)
    services.db.dispose()


def app_from_env() -> FastAPI:
    """Entry point for ``uvicorn --factory``: settings from ``SIGNTAX_*`` environment variables."""
    # No pip installs by ultralytics at run time (first ONNX export); see api/cli/main.py.
    os.environ.setdefault("YOLO_AUTOINSTALL", "false")
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    return create_app(Settings())
