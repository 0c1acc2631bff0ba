"""SQLAlchemy 2 models. The schema itself is created by the Alembic migrations, not ``create_all``.

A photo row doubles as its scan job: ``status`` moves queued → processing → done | failed,
``claim_token`` identifies the worker run that owns a ``processing`` row, and ``attempts``
counts how many times a scan was started (so a photo that keeps killing the process gives up).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from api.db.types import UTCDateTime, utcnow


class PhotoStatus(StrEnum):
    QUEUED = "queued"
    PROCESSING = "processing"
    DONE = "done"
    FAILED = "failed"


class CandidateStatus(StrEnum):
    CANDIDATE = "candidate"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class Base(DeclarativeBase):
    pass


# Money: baht with satang, up to 9,999,999,999.99.
Money = Numeric(12, 2, asdecimal=True)


class PhotoRow(Base):
    __tablename__ = "photos"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64))
    original_filename: Mapped[str] = mapped_column(String(255))
    stored_path: Mapped[str] = mapped_column(String(255))  # relative to settings.photo_dir
    content_type: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int] = mapped_column(Integer)
    width_px: Mapped[int] = mapped_column(Integer)
    height_px: Mapped[int] = mapped_column(Integer)
    # Camera facts from EXIF at upload time.
    focal_px: Mapped[float | None] = mapped_column(Float)
    focal_source: Mapped[str | None] = mapped_column(String(200))
    gps_lat_deg: Mapped[float | None] = mapped_column(Float)
    gps_lon_deg: Mapped[float | None] = mapped_column(Float)
    heading_deg: Mapped[float | None] = mapped_column(Float)
    taken_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=False))  # camera clock
    camera_make_model: Mapped[str | None] = mapped_column(String(200))
    distance_m: Mapped[float | None] = mapped_column(Float)  # surveyor's measured distance
    uploaded_by: Mapped[str | None] = mapped_column(String(100))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Scan job state.
    status: Mapped[str] = mapped_column(String(16), default=PhotoStatus.QUEUED.value)
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claim_token: Mapped[str | None] = mapped_column(String(64))
    scan_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    scanned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    model_version: Mapped[str | None] = mapped_column(String(100))  # the detector's
    # the content network's that read the signs' types; None when the OCR read alone
    content_model_version: Mapped[str | None] = mapped_column(String(100))
    # the whole content analysis's fingerprint (vision.content.fingerprint); None: scanned
    # before it was recorded, or by a scanner that does not name one
    content_analysis: Mapped[str | None] = mapped_column(String(64))
    board_found: Mapped[bool | None] = mapped_column(Boolean)

    candidates: Mapped[list[CandidateRow]] = relationship(
        back_populates="photo",
        order_by="CandidateRow.index_in_photo",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    __table_args__ = (
        UniqueConstraint("sha256", name="uq_photos_sha256"),
        Index("ix_photos_status_id", "status", "id"),
    )

    @property
    def size_wh(self) -> tuple[int, int]:
        return self.width_px, self.height_px


class CandidateRow(Base):
    """One sign found in one photo, priced, waiting for an officer's review."""

    __tablename__ = "candidates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    photo_id: Mapped[int] = mapped_column(
        ForeignKey("photos.id", ondelete="CASCADE", name="fk_candidates_photo_id")
    )
    index_in_photo: Mapped[int] = mapped_column(Integer)
    sign_class: Mapped[str] = mapped_column(String(32))
    confidence: Mapped[float] = mapped_column(Float)
    bbox_xyxy: Mapped[list[float]] = mapped_column(JSON)
    corners_px: Mapped[list[list[float]]] = mapped_column(JSON)
    corners_source: Mapped[str] = mapped_column(String(32))
    width_cm: Mapped[float | None] = mapped_column(Float)
    height_cm: Mapped[float | None] = mapped_column(Float)
    area_cm2: Mapped[float | None] = mapped_column(Float)
    area_ci95_low_cm2: Mapped[float | None] = mapped_column(Float)
    area_ci95_high_cm2: Mapped[float | None] = mapped_column(Float)
    measure_method: Mapped[str | None] = mapped_column(String(32))
    scale_source: Mapped[str | None] = mapped_column(String(200))
    measurement_missing_reason: Mapped[str | None] = mapped_column(Text)
    scripts: Mapped[list[str]] = mapped_column(JSON)
    thai_below_foreign: Mapped[bool] = mapped_column(Boolean)
    has_graphics: Mapped[bool] = mapped_column(Boolean)
    moving: Mapped[bool] = mapped_column(Boolean)
    content_confidence: Mapped[float] = mapped_column(Float)
    content_needs_review: Mapped[bool] = mapped_column(Boolean)
    # The evidence behind the type, as ``scan --json`` prints it: the lines the OCR read
    # (text, script, box in crop pixels, confidence) and the content's note. None: the sign
    # was scanned before the registry kept them (migration 0003).
    content_lines: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    content_note: Mapped[str | None] = mapped_column(Text)
    sign_type: Mapped[int] = mapped_column(Integer)
    tax_year: Mapped[int] = mapped_column(Integer)
    tax: Mapped[dict[str, Any]] = mapped_column(JSON)  # priced_sign_to_dict(), as the CLI prints
    tax_missing_reason: Mapped[str | None] = mapped_column(Text)
    due_baht: Mapped[Decimal | None] = mapped_column(Money)
    baht_at_risk: Mapped[Decimal | None] = mapped_column(Money)
    status: Mapped[str] = mapped_column(String(16), default=CandidateStatus.CANDIDATE.value)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    photo: Mapped[PhotoRow] = relationship(back_populates="candidates")

    __table_args__ = (
        Index("ix_candidates_photo_id", "photo_id"),
        Index("ix_candidates_status_risk", "status", "baht_at_risk", "due_baht"),
    )


class AuditEventRow(Base):
    """Append-only record of what happened, by whom, to what."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(64))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    __table_args__ = (Index("ix_audit_events_entity", "entity", "entity_id"),)
