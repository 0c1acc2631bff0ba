"""Server-rendered pages (Thai first, English alongside)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse

from api.routes.deps import ServicesDep, TemplatesDep
from api.services.ingest import format_bytes
from api.services.registry import MAX_PAGE

router = APIRouter(include_in_schema=False)

RECENT_PHOTOS = 20
SIGNS_PER_PAGE = 50


@router.get("/", response_class=HTMLResponse)
def upload_page(request: Request, services: ServicesDep, templates: TemplatesDep) -> HTMLResponse:
    limit = services.settings.max_upload_bytes
    return templates.TemplateResponse(
        request,
        "index.html",
        {
            "nav": "upload",
            "photos": services.registry.recent_photos(limit=RECENT_PHOTOS),
            "max_upload_bytes": limit,
            "max_upload_text": format_bytes(limit),
            "model_error": services.scanner.error,
        },
    )


@router.get("/photos/{photo_id}", response_class=HTMLResponse)
def photo_page(
    request: Request,
    photo_id: Annotated[int, Path(ge=1)],
    services: ServicesDep,
    templates: TemplatesDep,
) -> HTMLResponse:
    photo = services.registry.photo(photo_id)
    return templates.TemplateResponse(request, "photo.html", {"nav": "", "photo": photo})


@router.get("/signs", response_class=HTMLResponse)
def signs_page(
    request: Request,
    services: ServicesDep,
    templates: TemplatesDep,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = SIGNS_PER_PAGE,
) -> HTMLResponse:
    page = services.registry.signs(limit=limit, offset=offset)
    return templates.TemplateResponse(request, "signs.html", {"nav": "signs", "page": page})
