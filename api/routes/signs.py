"""``/api/v1/signs``: the review queue, most baht at risk first."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.db.models import CandidateStatus
from api.routes.deps import ServicesDep
from api.routes.schemas import ErrorOut, SignPageOut
from api.services.registry import MAX_PAGE

router = APIRouter(prefix="/api/v1/signs", tags=["signs"])


@router.get(
    "",
    response_model=SignPageOut,
    responses={422: {"model": ErrorOut}},
    summary="Sign candidates by status, ordered by baht at risk, then tax due",
)
def list_signs(
    services: ServicesDep,
    status: CandidateStatus = CandidateStatus.CANDIDATE,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> SignPageOut:
    return SignPageOut.of(services.registry.signs(status=status, limit=limit, offset=offset))
