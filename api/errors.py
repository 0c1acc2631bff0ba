"""Domain errors raised by services. One module (``api.routes.error_handlers``) maps them to HTTP.

Each error carries its HTTP status and a stable machine-readable ``code``; the message is the
human-readable ``detail``. Services raise these and never ``fastapi.HTTPException``.
"""

from __future__ import annotations


class ApiError(Exception):
    """Base class: ``status`` is the HTTP status, ``code`` a stable snake_case identifier."""

    status: int = 400
    code: str = "bad_request"

    def __init__(self, detail: str, *, code: str | None = None, status: int | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status

    def __repr__(self) -> str:
        return f"{type(self).__name__}(status={self.status}, code={self.code!r}, detail={self.detail!r})"


class NotFound(ApiError):
    status = 404
    code = "not_found"


class Forbidden(ApiError):
    status = 403
    code = "forbidden"


class Conflict(ApiError):
    status = 409
    code = "conflict"


class UploadRejected(ApiError):
    """The uploaded file or its form fields cannot be accepted (422 unless told otherwise)."""

    status = 422
    code = "upload_rejected"


class UploadTooLarge(UploadRejected):
    status = 413
    code = "upload_too_large"


class ServiceUnavailable(ApiError):
    status = 503
    code = "service_unavailable"
