"""The one place where errors become HTTP responses: ``{"code": ..., "detail": ...}``.

API clients get JSON; a browser asking for an HTML page gets the same message on a page.
"""

from __future__ import annotations

import logging
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.errors import ApiError

log = logging.getLogger(__name__)

_HTTP_CODES = {
    400: "bad_request",
    404: "not_found",
    405: "method_not_allowed",
    413: "upload_too_large",
    415: "unsupported_media_type",
}


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)


def error_response(request: Request, status: int, code: str, detail: str) -> Response:
    if _wants_html(request):
        templates = getattr(request.app.state, "templates", None)
        if templates is not None:
            return templates.TemplateResponse(
                request,
                "error.html",
                {"status": status, "code": code, "detail": detail, "title": _reason(status)},
                status_code=status,
            )
    return JSONResponse({"code": code, "detail": detail}, status_code=status)


async def _api_error(request: Request, exc: Exception) -> Response:
    if not isinstance(exc, ApiError):  # registered for ApiError only
        raise exc
    return error_response(request, exc.status, exc.code, exc.detail)


async def _validation_error(request: Request, exc: Exception) -> Response:
    errors = exc.errors() if isinstance(exc, RequestValidationError) else []
    parts = []
    for err in errors:
        loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path", "form")]
        where = ".".join(loc) or "request"
        parts.append(f"{where}: {err.get('msg', 'invalid')}")
    detail = "; ".join(parts) or "the request is invalid"
    return error_response(request, 422, "invalid_request", detail)


async def _http_error(request: Request, exc: Exception) -> Response:
    status = getattr(exc, "status_code", 500)
    detail = getattr(exc, "detail", None)
    code = _HTTP_CODES.get(status, f"http_{status}")
    if not isinstance(detail, str) or not detail:
        detail = _reason(status)
    elif status == 404 and detail == "Not Found":
        detail = f"nothing at {request.url.path}"
    response = error_response(request, status, code, detail)
    for name, value in (getattr(exc, "headers", None) or {}).items():
        response.headers[name] = value
    return response


async def _unexpected(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(request, 500, "internal_error", "internal error; it has been logged")


def _wants_html(request: Request) -> bool:
    path = request.url.path
    if path.startswith("/api/") or path == "/healthz" or path.startswith("/static/"):
        return False
    return "text/html" in request.headers.get("accept", "")


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"
