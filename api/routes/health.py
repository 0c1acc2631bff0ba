"""``/healthz``: is the database reachable, which models are loaded, is the worker alive."""

from __future__ import annotations

import logging

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy.exc import SQLAlchemyError

from api.routes.deps import ServicesDep
from api.routes.schemas import HealthOut

router = APIRouter(tags=["health"])
log = logging.getLogger(__name__)


@router.get("/healthz", response_model=HealthOut, responses={503: {"model": HealthOut}})
def healthz(services: ServicesDep) -> JSONResponse:
    database = "ok"
    try:
        services.db.ping()
    except SQLAlchemyError as exc:
        log.warning("health check: database unreachable: %s", exc)
        database = "unavailable"
    health = HealthOut(
        status="ok" if database == "ok" else "error",
        model=services.scanner.version,
        database=database,
        worker="running" if services.worker.running else "stopped",
        model_error=services.scanner.error,
        content_model=services.scanner.content_version,
        content_analysis=services.scanner.content_analysis,
    )
    return JSONResponse(
        health.model_dump(exclude_none=False), status_code=200 if database == "ok" else 503
    )
