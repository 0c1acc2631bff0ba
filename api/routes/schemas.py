"""Public JSON shapes. Money is a decimal string in baht (e.g. ``"1250.00"``), never a float."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from api.db.models import CandidateRow, PhotoRow
from api.services.registry import Page, PhotoSummary


def photo_url(photo_id: int) -> str:
    return f"/api/v1/photos/{photo_id}"


def image_url(photo_id: int) -> str:
    return f"/api/v1/photos/{photo_id}/image"


class ErrorOut(BaseModel):
    code: str
    detail: str


class UploadAccepted(BaseModel):
    photo_id: int
    status: str
    duplicate: bool
    url: str


class MeasurementOut(BaseModel):
    width_cm: float
    height_cm: float
    area_cm2: float
    area_ci95_cm2: tuple[float, float]
    method: str
    scale_source: str | None


class TextLineOut(BaseModel):
    text: str
    script: str
    bbox_xyxy: list[float]  # pixels of the sign's crop
    confidence: float
    evidence: bool  # read surely enough to count for its script


class ContentOut(BaseModel):
    scripts: list[str]
    thai_below_foreign: bool
    has_graphics: bool
    moving_display: bool
    confidence: float
    needs_review: bool
    # The evidence: the lines read and the note; null for signs scanned before they were kept.
    note: str | None
    lines: list[TextLineOut] | None


class CandidateOut(BaseModel):
    id: int
    photo_id: int
    index_in_photo: int
    status: str
    sign_class: str
    confidence: float
    bbox_xyxy: list[float]
    corners_px: list[list[float]]
    corners_source: str
    measurement: MeasurementOut | None
    measurement_missing_reason: str | None
    content: ContentOut
    sign_type: int
    tax_year: int
    due_baht: Decimal | None
    baht_at_risk: Decimal | None
    tax_missing_reason: str | None
    tax: dict[str, Any]
    photo_url: str
    image_url: str

    @classmethod
    def of(cls, row: CandidateRow) -> CandidateOut:
        measurement = None
        if row.area_cm2 is not None and row.width_cm is not None and row.height_cm is not None:
            measurement = MeasurementOut(
                width_cm=row.width_cm,
                height_cm=row.height_cm,
                area_cm2=row.area_cm2,
                area_ci95_cm2=(
                    row.area_ci95_low_cm2 if row.area_ci95_low_cm2 is not None else row.area_cm2,
                    row.area_ci95_high_cm2 if row.area_ci95_high_cm2 is not None else row.area_cm2,
                ),
                method=row.measure_method or "unknown",
                scale_source=row.scale_source,
            )
        return cls(
            id=row.id,
            photo_id=row.photo_id,
            index_in_photo=row.index_in_photo,
            status=row.status,
            sign_class=row.sign_class,
            confidence=row.confidence,
            bbox_xyxy=row.bbox_xyxy,
            corners_px=row.corners_px,
            corners_source=row.corners_source,
            measurement=measurement,
            measurement_missing_reason=row.measurement_missing_reason,
            content=ContentOut(
                scripts=row.scripts,
                thai_below_foreign=row.thai_below_foreign,
                has_graphics=row.has_graphics,
                moving_display=row.moving,
                confidence=row.content_confidence,
                needs_review=row.content_needs_review,
                note=row.content_note,
                lines=None if row.content_lines is None
                else [TextLineOut(**line) for line in row.content_lines],
            ),
            sign_type=row.sign_type,
            tax_year=row.tax_year,
            due_baht=row.due_baht,
            baht_at_risk=row.baht_at_risk,
            tax_missing_reason=row.tax_missing_reason,
            tax=row.tax,
            photo_url=photo_url(row.photo_id),
            image_url=image_url(row.photo_id),
        )


class CameraOut(BaseModel):
    focal_px: float | None
    focal_source: str | None
    gps_lat_deg: float | None
    gps_lon_deg: float | None
    heading_deg: float | None
    taken_at: datetime | None  # the camera's own clock (local time, no zone)
    make_model: str | None


class PhotoOut(BaseModel):
    id: int
    sha256: str
    filename: str
    content_type: str
    size_bytes: int
    size_wh: tuple[int, int]
    camera: CameraOut
    distance_m: float | None
    uploaded_by: str | None
    uploaded_at: datetime
    status: str
    error: str | None
    attempts: int
    scanned_at: datetime | None
    model_version: str | None
    content_model_version: str | None
    content_analysis: str | None
    board_found: bool | None
    image_url: str
    candidates: list[CandidateOut]

    @classmethod
    def of(cls, row: PhotoRow) -> PhotoOut:
        return cls(
            id=row.id,
            sha256=row.sha256,
            filename=row.original_filename,
            content_type=row.content_type,
            size_bytes=row.size_bytes,
            size_wh=row.size_wh,
            camera=CameraOut(
                focal_px=row.focal_px,
                focal_source=row.focal_source,
                gps_lat_deg=row.gps_lat_deg,
                gps_lon_deg=row.gps_lon_deg,
                heading_deg=row.heading_deg,
                taken_at=row.taken_at,
                make_model=row.camera_make_model,
            ),
            distance_m=row.distance_m,
            uploaded_by=row.uploaded_by,
            uploaded_at=row.uploaded_at,
            status=row.status,
            error=row.error,
            attempts=row.attempts,
            scanned_at=row.scanned_at,
            model_version=row.model_version,
            content_model_version=row.content_model_version,
            content_analysis=row.content_analysis,
            board_found=row.board_found,
            image_url=image_url(row.id),
            candidates=[CandidateOut.of(c) for c in row.candidates],
        )


class PhotoSummaryOut(BaseModel):
    id: int
    filename: str
    status: str
    error: str | None
    uploaded_at: datetime
    candidate_count: int
    url: str

    @classmethod
    def of(cls, s: PhotoSummary) -> PhotoSummaryOut:
        p = s.photo
        return cls(
            id=p.id,
            filename=p.original_filename,
            status=p.status,
            error=p.error,
            uploaded_at=p.uploaded_at,
            candidate_count=s.candidate_count,
            url=photo_url(p.id),
        )


class PhotoListOut(BaseModel):
    items: list[PhotoSummaryOut]
    limit: int
    offset: int


class SignPageOut(BaseModel):
    items: list[CandidateOut]
    total: int
    limit: int
    offset: int

    @classmethod
    def of(cls, page: Page) -> SignPageOut:
        return cls(
            items=[CandidateOut.of(c) for c in page.items],
            total=page.total,
            limit=page.limit,
            offset=page.offset,
        )


class HealthOut(BaseModel):
    status: str
    model: str | None
    database: str
    worker: str
    model_error: str | None = None
    content_model: str | None = None  # the content network's version; None: OCR alone
    content_analysis: str | None = None  # the content analysis's fingerprint; None: not loaded
