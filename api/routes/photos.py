"""``/api/v1/photos``: upload, status with candidates, the stored image."""

from __future__ import annotations

from typing import Annotated, Any, BinaryIO

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import FileResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.types import Message, Receive

from api.errors import UploadRejected, UploadTooLarge
from api.routes.deps import ServicesDep
from api.routes.schemas import (
    ErrorOut,
    PhotoListOut,
    PhotoOut,
    PhotoSummaryOut,
    UploadAccepted,
    photo_url,
)
from api.services.ingest import too_large_message

router = APIRouter(prefix="/api/v1/photos", tags=["photos"])

# Multipart framing and the small text fields around the file.
FORM_OVERHEAD_BYTES = 64 * 1024
_CHUNK = 1024 * 1024

PhotoId = Annotated[int, Path(ge=1, description="photo id")]

_UPLOAD_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "distance_m": {
                            "type": "number",
                            "description": "measured camera-to-sign distance in metres",
                        },
                        "surveyor": {"type": "string", "maxLength": 100},
                    },
                }
            }
        },
    }
}
_ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorOut},
    413: {"model": ErrorOut},
    422: {"model": ErrorOut},
}


@router.post(
    "",
    status_code=202,
    response_model=UploadAccepted,
    responses=_ERRORS,
    openapi_extra=_UPLOAD_BODY,
    summary="Upload a street photo; its scan is queued",
)
async def upload_photo(
    request: Request, response: Response, services: ServicesDep
) -> UploadAccepted:
    """Multipart field ``file``; optional ``distance_m`` (metres) and ``surveyor``.

    The body is parsed here rather than through ``UploadFile`` parameters so the size limit is
    enforced while the bytes arrive, before a large upload is spooled to disk.
    """
    limit = services.ingest.max_upload_bytes
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit + FORM_OVERHEAD_BYTES:
        raise UploadTooLarge(too_large_message(limit))
    counted = Request(
        request.scope, receive=_counting(request.receive, limit + FORM_OVERHEAD_BYTES)
    )
    async with counted.form(max_files=1, max_fields=8) as form:
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise UploadRejected(
                "send the photo as a multipart/form-data field named 'file'", code="missing_file"
            )
        data = await run_in_threadpool(_read_limited, upload.file, limit)
        filename = upload.filename
        distance_m = form.get("distance_m")
        surveyor = form.get("surveyor")
    result = await run_in_threadpool(
        services.ingest.ingest, data, filename=filename, distance_m=distance_m, surveyor=surveyor
    )
    response.headers["Location"] = photo_url(result.photo_id)
    return UploadAccepted(
        photo_id=result.photo_id,
        status=result.status,
        duplicate=result.duplicate,
        url=photo_url(result.photo_id),
    )


@router.get("", response_model=PhotoListOut, summary="Recently uploaded photos, newest first")
def list_photos(
    services: ServicesDep,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> PhotoListOut:
    items = services.registry.recent_photos(limit=limit, offset=offset)
    return PhotoListOut(items=[PhotoSummaryOut.of(s) for s in items], limit=limit, offset=offset)


@router.get(
    "/{photo_id}",
    response_model=PhotoOut,
    responses=_ERRORS,
    summary="A photo's scan status, error and candidate signs",
)
def get_photo(photo_id: PhotoId, services: ServicesDep) -> PhotoOut:
    return PhotoOut.of(services.registry.photo(photo_id))


@router.get(
    "/{photo_id}/image",
    response_class=FileResponse,
    responses={**_ERRORS, 200: {"content": {"image/*": {}}}},
    summary="The photo exactly as uploaded",
)
def get_photo_image(photo_id: PhotoId, services: ServicesDep) -> FileResponse:
    image = services.registry.image(photo_id)
    return FileResponse(
        image.path,
        media_type=image.content_type,
        headers={
            # Content-addressed: the bytes behind this id never change.
            "Cache-Control": "private, max-age=31536000, immutable",
            "ETag": f'"{image.sha256}"',
        },
    )


@router.post(
    "/{photo_id}/rescan",
    status_code=202,
    response_model=UploadAccepted,
    responses={**_ERRORS, 409: {"model": ErrorOut}},
    summary="Queue a failed photo for another scan",
)
def rescan_photo(photo_id: PhotoId, services: ServicesDep) -> UploadAccepted:
    row = services.registry.rescan(photo_id, actor="anonymous")
    return UploadAccepted(
        photo_id=row.id, status=row.status, duplicate=False, url=photo_url(row.id)
    )


def _counting(receive: Receive, limit: int) -> Receive:
    """Wrap ``receive`` so a body longer than ``limit`` bytes stops with 413 as it streams in."""
    seen = 0

    async def counted_receive() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise UploadTooLarge(too_large_message(limit - FORM_OVERHEAD_BYTES))
        return message

    return counted_receive


def _read_limited(fh: BinaryIO, limit: int) -> bytes:
    """Read the spooled file, refusing it as soon as it exceeds ``limit`` bytes."""
    fh.seek(0)
    chunks: list[bytes] = []
    total = 0
    while chunk := fh.read(_CHUNK):
        total += len(chunk)
        if total > limit:
            raise UploadTooLarge(too_large_message(limit))
        chunks.append(chunk)
    return b"".join(chunks)
